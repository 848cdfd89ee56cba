#include "runtime/trap/call_scope.h"

#include <pthread.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "runtime/builtins.h"
#include "runtime/code_registry.h"

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

namespace {

void PopScope(CallScope& scope, VMStoreContext* store_ctx) {
  if (store_ctx != nullptr) {
    store_ctx->last_exit_fp = scope.exit_fp;
    store_ctx->last_exit_pc = scope.exit_pc;
  }
  tls_top = scope.prev;
}

}  // namespace

__attribute__((noinline)) bool CallInScope(CallScope& scope, jit::EntryFn entry, VMContext* vmctx,
                                           const void* code, ValueSlot* args,
                                           VMStoreContext* store_ctx) {
  scope.prev = tls_top;
  scope.entry_fp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  scope.trap = TrapRecord{};
  scope.backtrace.count = scope.backtrace.total = 0;
  scope.store_ctx = store_ctx;
  uintptr_t limit = ThreadStackLimit();
  scope.stack_low = limit > kStackMargin ? limit - kStackMargin : 0;
  scope.exit_fp = scope.exit_pc = 0;
  if (store_ctx != nullptr) {
    scope.exit_fp = store_ctx->last_exit_fp;
    scope.exit_pc = store_ctx->last_exit_pc;
    store_ctx->last_exit_fp = store_ctx->last_exit_pc = 0;
  }
  tls_top = &scope;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  // No signal mask is saved: the signal handler unblocks its signal before jumping. `scope`
  // and `store_ctx` are not modified between sigsetjmp and siglongjmp, so they are intact.
  if (sigsetjmp(scope.jmp, 0) == 0) {
    entry(vmctx, code, args);
    std::atomic_signal_fence(std::memory_order_seq_cst);
    PopScope(scope, store_ctx);
    return true;
  }
  PopScope(scope, store_ctx);
  return false;
}

[[noreturn]] void RaiseTrap(TrapCode code, uintptr_t pc, uintptr_t fp) noexcept {
  CallScope* scope = tls_top;
  if (scope == nullptr) {
    std::fprintf(stderr, "wtrun: trap outside of wasm code: %s\n", TrapMessage(code));
    std::abort();
  }
  TrapRecord& t = scope->trap;
  t.trapped = true;
  t.code = code;
  t.pc = pc;
  t.fp = fp;
  t.wasm_offset = 0;
  t.fault_addr = t.vmctx = 0;
  bool at_site = false;
  if (pc != 0) {
    if (const jit::CodeObject* obj = LookupCode(pc)) {
      if (const jit::TrapSite* site = obj->FindTrap(pc)) {
        t.wasm_offset = site->wasm_offset;
        at_site = true;
      } else if (const jit::CallSite* call = obj->FindCallSite(pc)) {
        t.wasm_offset = call->wasm_offset;  // a builtin's return address
      }
    }
  }
  scope->backtrace.count = scope->backtrace.total = 0;
  if (code != TrapCode::kExit) {
    // The innermost wasm frame: the trap site's own (fp from the stub), or the caller of the
    // host stub / builtin that raised the trap.
    uintptr_t wasm_pc = pc, wasm_fp = fp;
    bool found = at_site;
    if (!found) {
      found = FindWasmCaller(scope, pc, fp, reinterpret_cast<uintptr_t>(__builtin_frame_address(0)),
                             &wasm_pc, &wasm_fp);
    }
    if (found) CaptureBacktrace(scope, wasm_pc, wasm_fp, at_site, &scope->backtrace);
  }
  siglongjmp(scope->jmp, 1);
}

}  // namespace wt::runtime

extern "C" [[noreturn]] void wt_raise_trap(uint32_t code, uintptr_t pc, uintptr_t fp) noexcept {
  auto c = code < static_cast<uint32_t>(wt::runtime::TrapCode::kCount)
               ? static_cast<wt::runtime::TrapCode>(code)
               : wt::runtime::TrapCode::kUnreachable;
  wt::runtime::RaiseTrap(c, pc, fp);
}
