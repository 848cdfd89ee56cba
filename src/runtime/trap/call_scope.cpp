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

namespace {

// This thread's stack bounds as the stack check uses them, computed once per thread.
struct StackBounds {
  uintptr_t low = 0;    // lowest usable address (above the guard page)
  uintptr_t limit = 0;  // lowest address wasm frames may use: low + StackMarginFor(size)
};

// A main thread under `ulimit -s unlimited` reports a stack of terabytes (up to the next
// mapping, without the kernel's guard gap): wasm gets at most this much of it.
constexpr uintptr_t kMaxTrustedStack = uintptr_t{1} << 30;
// Bounds unknown: wasm may use this much below the frame that first asked, with the usual
// margin below that.
constexpr uintptr_t kUnknownStackUse = 256 * 1024;

const StackBounds& ThreadStackBounds() {
  thread_local StackBounds b;
  if (b.limit == 0) {
    pthread_attr_t attr;
    void* addr = nullptr;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      pthread_attr_getstack(&attr, &addr, &size);
      pthread_attr_destroy(&attr);
    }
    auto low = reinterpret_cast<uintptr_t>(addr);
    auto here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
    if (low == 0 || size == 0 || here < low || here - low >= size) {
      b.limit = here - kUnknownStackUse;
      b.low = b.limit - kStackMargin;
    } else {
      if (size > kMaxTrustedStack) {
        low += size - kMaxTrustedStack;
        size = kMaxTrustedStack;
      }
      b.low = low;
      b.limit = low + StackMarginFor(size);
    }
  }
  return b;
}

}  // namespace

uintptr_t ThreadStackLimit() {
  return ThreadStackBounds().limit;
}

uintptr_t ThreadStackLow() {
  return ThreadStackBounds().low;
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
