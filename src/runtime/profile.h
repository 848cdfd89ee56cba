// Profiling through frame pointers: tell perf where every compiled function is.
//
//   --profile=perfmap   appends "START SIZE NAME" lines (hex, no 0x) to /tmp/perf-PID.map
//   --profile=jitdump   writes jit-PID.dump (in $JITDUMPDIR, else the current directory) in
//                       the format of perf's jitdump specification, for `perf inject --jit`
//
// Names: "MODULE!FUNCTION" with the module's name-section name (else "wasm") and the
// function's demangled name-section name (else "<wasm function N>"); trampolines are named
// "wasm-trampolines" / "wasm-host-stub". See README.md (Profiling a guest).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace wt::jit {
class CodeObject;
}
namespace wt::wasm {
struct Module;
}

namespace wt::runtime {

enum class ProfileMode { kNone, kPerfMap, kJitDump };

// Process-wide; call before loading modules. kPerfMap appends "START SIZE NAME" lines to
// /tmp/perf-PID.map for every compiled function (and trampoline); kJitDump writes
// jit-PID.dump records for `perf inject --jit`. Errors (kIo) when the file cannot be created.
Status SetProfileMode(ProfileMode mode);
ProfileMode GetProfileMode();
// "perfmap" / "jitdump" / "none"; kUsage error otherwise.
Result<ProfileMode> ParseProfileMode(std::string_view text);

// The name profiles give function `func_index` of `module` (module may be null).
std::string ProfileFuncName(const wasm::Module* module, uint32_t func_index);

// Announces registered code (installed as the code registry's hook while a mode is set):
// every function, then the trampolines after the last function. Thread-safe.
void ProfileCode(const jit::CodeObject& code, const wasm::Module* module);
// Announces one piece of code that is not a module's (e.g. a shared host stub).
void ProfileRange(const void* start, size_t size, std::string_view name);

// The file being written (empty when profiling is off).
std::string ProfileFilePath();

}  // namespace wt::runtime
