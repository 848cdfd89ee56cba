// [traps] Profiling through frame pointers: tell perf where every compiled function is.
#pragma once

#include <string_view>

#include "util/result.h"

namespace wt::runtime {

enum class ProfileMode { kNone, kPerfMap, kJitDump };

// Process-wide; call before loading modules. kPerfMap appends "START SIZE NAME" lines to
// /tmp/perf-PID.map for every compiled function (and trampoline); kJitDump writes
// jit-PID.dump records for `perf inject --jit`. Errors (kIo) when the file cannot be created.
Status SetProfileMode(ProfileMode mode);
// "perfmap" / "jitdump" / "none"; kUsage error otherwise.
Result<ProfileMode> ParseProfileMode(std::string_view text);

}  // namespace wt::runtime
