// [a64] The ISA the JIT generates code for in this build (the host's: CMake's WTRUN_ISA): its
// Masm namespace as `jit::host`, and its target name in .cwasm artifacts. Runtime code that
// needs the host ISA's CPU features names them through here, never through jit/x64 or jit/a64.
#pragma once

#include <string_view>

#if defined(WTRUN_ISA_a64)
#include "jit/a64/masm_a64.h"
namespace wt::jit {
namespace host = a64;
inline constexpr std::string_view kHostTarget = "aarch64-linux";
}  // namespace wt::jit
#else
#include "jit/x64/masm_x64.h"
namespace wt::jit {
namespace host = x64;
inline constexpr std::string_view kHostTarget = "x86_64-linux";
}  // namespace wt::jit
#endif
