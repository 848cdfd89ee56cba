// [lazy] The runtime side of lazy compilation (docs/lazy-plan.md 1.3): the builtin the compile
// thunk calls, the stack headroom a compile needs, the compile-failure trap.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "runtime/vmctx.h"

namespace wt::jit {
class LazyModule;
}

namespace wt::runtime {

// A compile runs in C++ below the calling wasm frame. When less than this is left above the
// store's wasm stack limit (VMContext::stack_limit), the compile is handed to a helper thread
// (and the calling thread waits) instead of running on the nearly exhausted stack. The
// compiler's deepest native stack use is measured by a test against it (lazy_test.cpp).
inline constexpr uintptr_t kLazyCompileStack = 256 * 1024;

// Tests: called before each compile the thunk asks for with the defined function index; a
// non-empty string makes that compile fail with it (as a resource failure would). nullptr: off.
using LazyCompileFailHook = std::function<std::string(uint32_t defined)>;
void SetLazyCompileFailHookForTesting(LazyCompileFailHook hook);

// The message of this thread's last failed lazy compile ("failed to compile function N: ..."),
// empty if none.
const std::string& LastLazyCompileError();

// Tests: how many compiles went to the helper thread because the stack was nearly exhausted.
uint64_t LazyHeadroomHandoffs();

}  // namespace wt::runtime

extern "C" {
// The compile thunk's call: the entry of defined function `defined` of `module`, compiling it
// first. `thunk_fp` is the thunk's frame (saved fp, then the return address into the caller).
// On failure (resources only: the module was validated) raises kCompileFailed with the caller
// as the innermost frame; never returns null.
const void* wt_lazy_compile(wt::jit::LazyModule* module, uint32_t defined,
                            wt::runtime::VMContext* vmctx, uintptr_t thunk_fp) noexcept;
}
