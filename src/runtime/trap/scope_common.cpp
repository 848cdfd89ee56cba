#include "runtime/trap/scope_common.h"

#include <cstdio>
#include <cstdlib>

#include "runtime/code_registry.h"
#include "runtime/trap/backtrace.h"

namespace wt::runtime {

std::atomic<ResumePendingExceptionFn> g_resume_pending_exception{nullptr};

void BeginScope(CallScope& scope, CallScope* prev, uintptr_t entry_fp, VMStoreContext* store_ctx) {
  scope.prev = prev;
  scope.entry_fp = entry_fp;
  scope.trap = TrapRecord{};
  scope.exception = nullptr;
  scope.backtrace.count = scope.backtrace.total = 0;
  scope.store_ctx = store_ctx;
  scope.stack_low = ThreadStackLow();
  scope.exit_fp = scope.exit_pc = 0;
  if (store_ctx != nullptr) {
    scope.exit_fp = store_ctx->last_exit_fp;
    scope.exit_pc = store_ctx->last_exit_pc;
    store_ctx->last_exit_fp = store_ctx->last_exit_pc = 0;
  }
}

CallScope* EndScope(CallScope& scope, VMStoreContext* store_ctx) {
  if (store_ctx != nullptr) {
    store_ctx->last_exit_fp = scope.exit_fp;
    store_ctx->last_exit_pc = scope.exit_pc;
  }
  return scope.prev;
}

void RecordTrap(CallScope* scope, TrapCode code, uintptr_t pc, uintptr_t fp, uintptr_t here_fp) {
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
  if (code == TrapCode::kExit) return;
  // The innermost wasm frame: the trap site's own (fp from the stub), or the caller of the
  // host stub / builtin that raised the trap.
  uintptr_t wasm_pc = pc, wasm_fp = fp;
  bool found = at_site || FindWasmCaller(scope, pc, fp, here_fp, &wasm_pc, &wasm_fp);
  if (found) CaptureBacktrace(scope, wasm_pc, wasm_fp, at_site, &scope->backtrace);
}

[[noreturn]] void TrapOutsideWasm(TrapCode code) noexcept {
  std::fprintf(stderr, "wtrun: trap outside of wasm code: %s\n", TrapMessage(code));
  std::abort();
}

}  // namespace wt::runtime

extern "C" [[noreturn]] void wt_raise_trap(uint32_t code, uintptr_t pc, uintptr_t fp) noexcept {
  auto c = code < static_cast<uint32_t>(wt::runtime::TrapCode::kCount)
               ? static_cast<wt::runtime::TrapCode>(code)
               : wt::runtime::TrapCode::kUnreachable;
  // [exceptions] A host function returned PropagateException(exn) (host stubs pass pc 0 and
  // their own frame): the exception goes on unwinding from the stub's wasm caller
  // (docs/exceptions.md, "Host frames").
  if (c == wt::runtime::TrapCode::kUncaughtException && pc == 0 && fp != 0) {
    if (auto resume = wt::runtime::g_resume_pending_exception.load(std::memory_order_acquire))
      resume(fp);
  }
  wt::runtime::RaiseTrap(c, pc, fp);
}
