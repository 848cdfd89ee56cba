// The values of `run`'s options: sizes, durations and counts as text, checked into
// RunCommandOptions (errors are kUsage, one line naming the option).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/options.h"
#include "util/result.h"

namespace wt::cli {

// Bytes: plain digits, or with a K, M, G or T suffix (powers of 1024; "K", "KB", "KiB" and
// lower case alike): "65536", "64K", "4GiB".
Result<uint64_t> ParseByteSize(std::string_view text);
// A duration: digits with a unit ns, us, ms, s, m or h ("500ms", "2s", "1m"); digits alone are
// seconds.
Result<std::chrono::nanoseconds> ParseDuration(std::string_view text);
// A decimal count that fits `max`.
Result<uint64_t> ParseCount(std::string_view text, uint64_t max = UINT64_MAX);

// The value options as given on the command line (before checking).
struct RawRunOptions {
  std::string max_backtrace, fuel, timeout, max_wasm_stack, max_memory_size, max_table_elements,
      pool_instances, pool_memory_size, pool_table_elements;
  std::string max_gc_heap_size;          // [wasmgc] --max-gc-heap-size
  std::string gc_collector;              // [wasmgc] --gc-collector tracing|null
  std::string compile, compile_threads;  // [lazy] --compile, --compile-threads
};

// [lazy] The CLI's compile mode when neither --compile nor WTRUN_COMPILE names one (run,
// --invoke and wast): lazy (both spec suites pass in either mode with the same expectations).
inline constexpr bool kCompileEagerByDefault = false;

// [lazy] What --compile asks for: `wtrun wast` also takes cwasm (every module round-tripped
// through an in-memory .cwasm artifact).
enum class CompileChoice : uint8_t { kEager, kLazy, kCwasm };
// --compile's value when `flag` is not empty, else the environment variable WTRUN_COMPILE's
// when set and not empty (eager or lazy), else the default above. Errors (kUsage) name the
// option or the variable and the values it takes.
Result<CompileChoice> ResolveCompileChoice(std::string_view flag, bool allow_cwasm);
// [lazy] Unsets WTRUN_COMPILE: called when --compile was given, so that runtime::LoadModule
// (which lets the variable override CompileOptions::mode) compiles in the mode of the flag.
void HideCompileEnvironment();
// [lazy] Background compile threads of a lazy run without --compile-threads: min(cores - 1, 4).
uint32_t DefaultLazyCompileThreads();

// Checks `raw` into `out` and the other fields of `out` (--dir, --env, --preload forms,
// --profile names). Errors (kUsage) name the option: "--timeout: invalid duration 'x' ...".
Status FinishRunOptions(const RawRunOptions& raw, RunCommandOptions* out);

// Every option of `run` ("--dir", "--fuel", ...), and whether it takes a value.
struct RunOptionName {
  std::string_view name;
  bool takes_value;
};
const std::vector<RunOptionName>& RunOptionNames();

// The first of `program_args` that names an option of wtrun (`--dir`, `--env=X`, ...), or
// nullopt: given after FILE, it went to the program.
std::optional<std::string> MisplacedRunOption(const std::vector<std::string>& program_args);

}  // namespace wt::cli
