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

namespace wt::runtime {
namespace {

thread_local CallScope* tls_top = nullptr;

void PopScope(CallScope& scope, VMStoreContext* store_ctx) {
  if (store_ctx != nullptr) {
    store_ctx->last_exit_fp = scope.exit_fp;
    store_ctx->last_exit_pc = scope.exit_pc;
  }
  tls_top = scope.prev;
}

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
  // Read back from memory after a __builtin_longjmp (registers are not restored).
  CallScope* volatile s = &scope;
  VMStoreContext* volatile ctx = store_ctx;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  if (__builtin_setjmp(scope.jmp) == 0) {
    entry(vmctx, code, args);
    std::atomic_signal_fence(std::memory_order_seq_cst);
    PopScope(*s, ctx);
    return true;
  }
  PopScope(*s, ctx);
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
  // The wasm frames before unwinding destroys them (as call_scope.cpp does).
  scope->backtrace.count = scope->backtrace.total = 0;
  if (code != TrapCode::kExit) {
    uintptr_t wasm_pc = pc, wasm_fp = fp;
    bool found = at_site;
    if (!found) {
      found = FindWasmCaller(scope, pc, fp, reinterpret_cast<uintptr_t>(__builtin_frame_address(0)),
                             &wasm_pc, &wasm_fp);
    }
    if (found) CaptureBacktrace(scope, wasm_pc, wasm_fp, at_site, &scope->backtrace);
  }
  __builtin_longjmp(scope->jmp, 1);
}

// Unwinds to the innermost scope, whose trap record is already written (windows_handler.cpp's
// landing routine).
[[noreturn]] void UnwindToCurrentScope() noexcept {
  __builtin_longjmp(tls_top->jmp, 1);
}

}  // namespace wt::runtime

extern "C" [[noreturn]] void wt_raise_trap(uint32_t code, uintptr_t pc, uintptr_t fp) noexcept {
  auto c = code < static_cast<uint32_t>(wt::runtime::TrapCode::kCount)
               ? static_cast<wt::runtime::TrapCode>(code)
               : wt::runtime::TrapCode::kUnreachable;
  wt::runtime::RaiseTrap(c, pc, fp);
}

#endif  // _WIN32
