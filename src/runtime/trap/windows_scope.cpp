// Windows counterpart of call_scope.cpp (the same interface, trap/call_scope.h): the
// thread-local chain of CallScopes, the thread's stack limit, CallInScope and RaiseTrap.
//
// Unwinding uses GCC's __builtin_setjmp/__builtin_longjmp, which restore the frame pointer,
// the stack pointer and the resume address and nothing else: no RtlUnwind (the C runtime's
// longjmp walks SEH unwind information, which JIT frames do not have). The compiler saves
// every callee-saved register around a function that contains __builtin_setjmp, so
// CallInScope's caller sees them intact after a trap.
#if defined(_WIN32)

#include <windows.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "runtime/builtins.h"
#include "runtime/code_registry.h"
#include "runtime/trap/backtrace.h"
#include "runtime/trap/call_scope.h"
#include "runtime/trap/scope_common.h"

namespace wt::runtime {
namespace {

thread_local CallScope* tls_top = nullptr;

}  // namespace

CallScope* CurrentCallScope() noexcept {
  return tls_top;
}

uintptr_t ThreadStackLimit() {
  thread_local uintptr_t limit = 0;
  if (limit == 0) {
    ULONG_PTR low = 0, high = 0;
    GetCurrentThreadStackLimits(&low, &high);
    if (low == 0 || high - low <= 2 * kStackMargin) {
      auto here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
      limit = here - 1024 * 1024;
    } else {
      // The margin also covers the stack's guard pages (committed on demand).
      limit = static_cast<uintptr_t>(low) + kStackMargin;
    }
  }
  return limit;
}

// [stack] The walk bound of a scope (scope_common.cpp): the stack's low end.
uintptr_t ThreadStackLow() {
  ULONG_PTR low = 0, high = 0;
  GetCurrentThreadStackLimits(&low, &high);
  if (low != 0) return static_cast<uintptr_t>(low);
  uintptr_t limit = ThreadStackLimit();
  return limit > kStackMargin ? limit - kStackMargin : 0;
}

__attribute__((noinline)) bool CallInScope(CallScope& scope, jit::EntryFn entry, VMContext* vmctx,
                                           const void* code, ValueSlot* args,
                                           VMStoreContext* store_ctx) {
  BeginScope(scope, tls_top, reinterpret_cast<uintptr_t>(__builtin_frame_address(0)), store_ctx);
  tls_top = &scope;
  // Read back from memory after a __builtin_longjmp (registers are not restored).
  CallScope* volatile s = &scope;
  VMStoreContext* volatile ctx = store_ctx;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  if (__builtin_setjmp(scope.jmp) == 0) {
    entry(vmctx, code, args);
    std::atomic_signal_fence(std::memory_order_seq_cst);
    tls_top = EndScope(*s, ctx);
    return true;
  }
  tls_top = EndScope(*s, ctx);
  return false;
}

[[noreturn]] void RaiseTrap(TrapCode code, uintptr_t pc, uintptr_t fp) noexcept {
  CallScope* scope = tls_top;
  if (scope == nullptr) TrapOutsideWasm(code);
  RecordTrap(scope, code, pc, fp, reinterpret_cast<uintptr_t>(__builtin_frame_address(0)));
  __builtin_longjmp(scope->jmp, 1);
}

// Unwinds to the innermost scope, whose trap record is already written (windows_handler.cpp's
// landing routine).
[[noreturn]] void UnwindToCurrentScope() noexcept {
  __builtin_longjmp(tls_top->jmp, 1);
}

}  // namespace wt::runtime

#endif  // _WIN32
