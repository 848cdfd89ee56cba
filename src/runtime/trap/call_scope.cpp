#include "runtime/trap/call_scope.h"

#include <pthread.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "runtime/builtins.h"
#include "runtime/code_registry.h"
#include "runtime/trap/scope_common.h"

namespace wt::runtime {
namespace {

// Plain pointer (no dynamic initialization): read by the signal handler.
thread_local CallScope* tls_top = nullptr;

}  // namespace

CallScope* CurrentCallScope() noexcept {
  return tls_top;
}

uintptr_t ThreadStackLimit() {
  thread_local uintptr_t limit = 0;
  if (limit == 0) {
    pthread_attr_t attr;
    void* addr = nullptr;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      pthread_attr_getstack(&attr, &addr, &size);
      pthread_attr_destroy(&attr);
    }
    auto low = reinterpret_cast<uintptr_t>(addr);
    if (low == 0 || size <= 2 * kStackMargin) {
      // Unknown bounds: allow 1 MiB below the current frame.
      auto here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
      limit = here - 1024 * 1024;
    } else {
      limit = low + kStackMargin;
    }
  }
  return limit;
}

__attribute__((noinline)) bool CallInScope(CallScope& scope, jit::EntryFn entry, VMContext* vmctx,
                                           const void* code, ValueSlot* args,
                                           VMStoreContext* store_ctx) {
  BeginScope(scope, tls_top, reinterpret_cast<uintptr_t>(__builtin_frame_address(0)), store_ctx);
  tls_top = &scope;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  // No signal mask is saved: the signal handler unblocks its signal before jumping. `scope`
  // and `store_ctx` are not modified between sigsetjmp and siglongjmp, so they are intact.
  if (sigsetjmp(scope.jmp, 0) == 0) {
    entry(vmctx, code, args);
    std::atomic_signal_fence(std::memory_order_seq_cst);
    tls_top = EndScope(scope, store_ctx);
    return true;
  }
  tls_top = EndScope(scope, store_ctx);
  return false;
}

[[noreturn]] void RaiseTrap(TrapCode code, uintptr_t pc, uintptr_t fp) noexcept {
  CallScope* scope = tls_top;
  if (scope == nullptr) TrapOutsideWasm(code);
  RecordTrap(scope, code, pc, fp, reinterpret_cast<uintptr_t>(__builtin_frame_address(0)));
  siglongjmp(scope->jmp, 1);
}

}  // namespace wt::runtime
