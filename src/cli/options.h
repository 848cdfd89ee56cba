// Options shared by the commands, and the command entry points.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"
#include "wasm/features.h"

namespace wt::jit {
enum class SimdIsa : uint8_t;  // jit/compiler.h (a value-initialized SimdIsa is kAuto)
}  // namespace wt::jit

namespace wt::cli {

struct GlobalOptions {
  std::string log_level;     // empty: WTRUN_LOG, else "warn"
  std::string wasm = "3.0";  // feature preset
  std::string features;      // "+name,-name,..."
  // --simd-isa auto|sse4.1|sse4.2|avx|avx2 (as given; empty: not given): the vector ISA cap
  // of run, compile and wast. auto: WTRUN_SIMD_ISA when set, else what the host has.
  std::string simd_isa;
};

// The feature set from a preset ("2.0" or "3.0") and a comma-separated list of changes
// ("+simd", "-gc", or a bare name meaning "+"). Errors are kUsage.
Result<wasm::Features> ResolveFeatures(std::string_view preset, std::string_view changes);

struct WastOptions {
  std::vector<std::string> files;
  std::vector<std::string> dirs;  // every *.wast directly in each folder, sorted
  std::string json_path;
  std::string expect_path;
  bool verbose = false;
  bool update_expect = false;
  bool skip_missing_dir = false;
  bool pooling = false;    // [pool] --pooling: instances come from a pooling allocator
  bool pool_uffd = false;  // [pool] --pool-uffd: the pool with userfaultfd (implies --pooling)
  // [limits] --fuel N / --timeout DURATION, per command (as given; checked by WastCommand).
  std::string fuel;
  std::string timeout;
  std::string max_gc_heap_size;  // [wasmgc] --max-gc-heap-size BYTES (as given)
  // --simd-isa, checked (empty or "auto": WTRUN_SIMD_ISA when set, else the host's level).
  std::string simd_isa;
  // [lazy] --compile eager|lazy|cwasm (as given; empty: WTRUN_COMPILE, else the CLI default).
  std::string compile;
};

struct RunCommandOptions {
  std::optional<std::string> invoke;  // --invoke NAME: the export to call with ARGS
  // [wasi] (wasmtime's names)
  std::vector<std::string> dirs;                // --dir HOST[::GUEST]
  std::vector<std::string> envs;                // --env NAME[=VALUE]
  bool inherit_env = false;                     // --inherit-env
  std::optional<std::string> argv0;             // --argv0 NAME
  std::vector<std::string> preloads;            // --preload NAME=FILE
  bool trap_unknown_imports = false;            // --trap-unknown-imports
  bool default_values_unknown_imports = false;  // --default-values-unknown-imports
  // [traps]
  bool no_backtrace = false;               // --no-backtrace
  uint32_t max_backtrace = 20;             // --max-backtrace N
  std::string profile;                     // --profile=perfmap|jitdump
  std::optional<uint64_t> fuel;            // --fuel N
  std::optional<std::string> timeout;      // --timeout DURATION (e.g. 500ms, 2s, 1m)
  std::optional<uint64_t> max_wasm_stack;  // --max-wasm-stack BYTES
  // [pool]
  std::optional<uint64_t> max_memory_size;      // --max-memory-size BYTES
  std::optional<uint64_t> max_table_elements;   // --max-table-elements N
  std::optional<uint64_t> max_gc_heap_size;     // [wasmgc] --max-gc-heap-size BYTES
  bool gc_collect = true;                       // [wasmgc] --gc-collector tracing (else null)
  bool pooling = false;                         // --pooling
  std::optional<uint32_t> pool_instances;       // --pool-instances N
  std::optional<uint64_t> pool_memory_size;     // --pool-memory-size BYTES
  std::optional<uint64_t> pool_table_elements;  // --pool-table-elements N
  bool pool_uffd = false;                       // --pool-uffd (implies --pooling)
  jit::SimdIsa simd_isa{};                      // --simd-isa (kAuto unless given)
  // [lazy] --compile eager|lazy, resolved by FinishRunOptions (flag, else WTRUN_COMPILE, else
  // kCompileEagerByDefault in run_options.h). A default-constructed value means eager, the
  // library's default (`wtrun compile` builds its options from one).
  bool compile_eager = true;
  std::optional<uint32_t> compile_threads;  // --compile-threads N
  bool allow_precompiled = false;           // --allow-precompiled: FILE may be a .cwasm artifact
};

// Runs a module: instantiates it (no imports are provided yet) and calls `--invoke NAME` with
// `args` parsed by its parameter types, else the `_start` export (or "" export) if there is
// one. Results are printed one per line. Exit codes: 0, kExitFailure for module/link errors,
// kExitUsage for bad arguments, kExitTrap when the code traps.
int RunCommand(const wasm::Features& features, const std::string& file,
               const std::vector<std::string>& args, const RunCommandOptions& run_options);
// [lazy] `wtrun compile`: always eager.
struct CompileCommandOptions {
  jit::SimdIsa simd_isa{};            // --simd-isa
  std::optional<std::string> output;  // -o FILE: write a .cwasm artifact
  bool fuel_checks = false;           // --fuel-checks: the artifact may run with --fuel
  bool interrupt_checks = false;      // --interrupt-checks: ... with --timeout
};
int CompileCommand(const wasm::Features& features, const std::string& file,
                   const CompileCommandOptions& options);
int WastCommand(const wasm::Features& features, const WastOptions& options);

// Prints "wtrun: error: MESSAGE" (one line) to stderr.
void PrintError(std::string_view message);
// The one-line description of a module error: "WHERE: malformed module: MESSAGE".
std::string DescribeModuleError(std::string_view path, const Error& error);

}  // namespace wt::cli
