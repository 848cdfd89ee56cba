// The platform-neutral parts of CallScope handling, shared by the POSIX (call_scope.cpp) and
// Windows (windows_scope.cpp) implementations, which differ only in the thread's stack bounds
// and in how they jump (sigsetjmp/siglongjmp vs __builtin_setjmp/__builtin_longjmp).
#pragma once

#include <atomic>
#include <cstdint>

#include "runtime/trap/call_scope.h"

namespace wt::runtime {

// Fills `scope` for a new activation entered from the frame `entry_fp` on top of `prev`, and
// takes over the store's last-exit record (saved in the scope, cleared in the store).
void BeginScope(CallScope& scope, CallScope* prev, uintptr_t entry_fp, VMStoreContext* store_ctx);
// Gives the store its saved last-exit record back; returns the enclosing scope.
CallScope* EndScope(CallScope& scope, VMStoreContext* store_ctx);

// Writes the trap into `scope` (its code, pc, fp, wasm offset from the trap or call site) and
// captures the wasm backtrace (not for kExit) before the caller unwinds. `here_fp` is the
// caller's frame (where the walk to the innermost wasm frame starts when `pc` is not a trap
// site). Async-signal-safe.
void RecordTrap(CallScope* scope, TrapCode code, uintptr_t pc, uintptr_t fp, uintptr_t here_fp);

// [exceptions] Set by the exceptions runtime (exn/host_exception.cpp) once a host function
// propagates an exception: wt_raise_trap calls it with the host stub's frame when a host stub
// raises kUncaughtException; it unwinds into the stub's wasm caller (never returns) if an
// exception is pending, else returns. A pointer, so that the trap module links without the
// exceptions runtime (the Windows cross build of cmake/windows-trap).
using ResumePendingExceptionFn = void (*)(uintptr_t stub_fp) noexcept;
extern std::atomic<ResumePendingExceptionFn> g_resume_pending_exception;

// No scope: a trap outside wasm code is a bug of the embedder; prints and aborts.
[[noreturn]] void TrapOutsideWasm(TrapCode code) noexcept;

}  // namespace wt::runtime
