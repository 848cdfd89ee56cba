// Windows trap handling (the counterpart of signals.cpp): a vectored exception handler, first
// in the list, turns an access violation, illegal instruction, integer divide by zero or
// integer overflow raised by registered wasm code at a trap site into a trap; anything else
// goes on to the next handler (so a real bug still crashes, and an embedder's handlers see
// what is theirs).
//
// A trap resumes the faulting thread in TrapLanding (the handler rewrites the context's
// instruction and stack pointers), which unwinds to the innermost CallScope with
// __builtin_longjmp: nothing runs on the exception dispatcher's frames, and nothing needs SEH
// unwind information for JIT frames. Because the exception is then "handled" with
// EXCEPTION_CONTINUE_EXECUTION, Windows runs the vectored continue handlers: ours, also first
// in the list, ends that walk (returns EXCEPTION_CONTINUE_EXECUTION) when the exception is
// the one this thread just turned into a trap (a thread-local pc), so an embedder's continue
// handler (which might abort) never runs for a wasm trap.
#if defined(_WIN32)

#include <windows.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "runtime/code_registry.h"
#include "runtime/trap/backtrace.h"
#include "runtime/trap/call_scope.h"

namespace wt::runtime {

[[noreturn]] void UnwindToCurrentScope() noexcept;  // windows_scope.cpp

namespace {

// The fault this thread last turned into a trap (its pc), for the continue handler.
thread_local uintptr_t tls_last_exception_pc = 0;

bool IsTrapException(DWORD code) {
  switch (code) {
    case EXCEPTION_ACCESS_VIOLATION:
    case EXCEPTION_ILLEGAL_INSTRUCTION:
    case EXCEPTION_INT_DIVIDE_BY_ZERO:
    case EXCEPTION_INT_OVERFLOW:
      return true;
    default:
      return false;
  }
}

// Where a trapping thread resumes: the trap and its backtrace are recorded in the innermost
// scope already; unwind to it.
[[noreturn]] void TrapLanding() {
  UnwindToCurrentScope();
}

LONG CALLBACK HandleException(EXCEPTION_POINTERS* info) {
  const EXCEPTION_RECORD* rec = info->ExceptionRecord;
  if (!IsTrapException(rec->ExceptionCode)) return EXCEPTION_CONTINUE_SEARCH;
  CallScope* scope = CurrentCallScope();
  if (scope == nullptr) return EXCEPTION_CONTINUE_SEARCH;
  CONTEXT* ctx = info->ContextRecord;
#if defined(_M_X64) || defined(__x86_64__)
  auto pc = static_cast<uintptr_t>(ctx->Rip);
  auto fp = static_cast<uintptr_t>(ctx->Rbp);
  auto vmctx = static_cast<uintptr_t>(ctx->R15);  // the JIT's VMContext register
#elif defined(_M_ARM64) || defined(__aarch64__)
  auto pc = static_cast<uintptr_t>(ctx->Pc);
  auto fp = static_cast<uintptr_t>(ctx->Fp);
  uintptr_t vmctx = 0;
#else
#error "unsupported architecture"
#endif
  const jit::CodeObject* code = LookupCode(pc);
  if (code == nullptr) return EXCEPTION_CONTINUE_SEARCH;
  const jit::TrapSite* site = code->FindTrap(pc);
  if (site == nullptr) return EXCEPTION_CONTINUE_SEARCH;
  TrapRecord& t = scope->trap;
  t.trapped = true;
  t.code = site->code;
  t.pc = pc;
  t.fp = fp;
  t.wasm_offset = site->wasm_offset;
  // Access violations: ExceptionInformation[1] is the address accessed.
  bool memory_fault =
      rec->ExceptionCode == EXCEPTION_ACCESS_VIOLATION && rec->NumberParameters >= 2;
  t.fault_addr = memory_fault ? static_cast<uintptr_t>(rec->ExceptionInformation[1]) : 0;
  t.vmctx = vmctx;
  // The wasm frames, while they are intact (the walk allocates nothing and takes no locks).
  CaptureBacktrace(scope, pc, fp, /*first_is_trap=*/true, &scope->backtrace);
  tls_last_exception_pc = pc;
  // Resume in TrapLanding on the faulting thread's stack, below the faulting frame (as if
  // called: the stack pointer is 8 mod 16).
#if defined(_M_X64) || defined(__x86_64__)
  ctx->Rsp = ((ctx->Rsp - 256) & ~DWORD64{15}) - 8;
  ctx->Rip = reinterpret_cast<DWORD64>(&TrapLanding);
#else
  ctx->Sp = (ctx->Sp - 256) & ~DWORD64{15};
  ctx->Pc = reinterpret_cast<DWORD64>(&TrapLanding);
#endif
  return EXCEPTION_CONTINUE_EXECUTION;
}

LONG CALLBACK HandleContinue(EXCEPTION_POINTERS* info) {
  auto pc = reinterpret_cast<uintptr_t>(info->ExceptionRecord->ExceptionAddress);
  if (tls_last_exception_pc != 0 && pc == tls_last_exception_pc) {
    tls_last_exception_pc = 0;
    return EXCEPTION_CONTINUE_EXECUTION;  // ours: no other continue handler runs
  }
  return EXCEPTION_CONTINUE_SEARCH;
}

void InstallHandlers() {
  if (AddVectoredExceptionHandler(1, HandleException) == nullptr ||
      AddVectoredContinueHandler(1, HandleContinue) == nullptr) {
    std::fprintf(stderr, "wtrun: cannot install the exception handlers\n");
    std::abort();
  }
}

}  // namespace

void EnsureTrapHandling() {
  static std::once_flag once;
  std::call_once(once, InstallHandlers);
  // Touch the thread-locals here, not first in the handler (emulated TLS allocates).
  tls_last_exception_pc = 0;
  (void)CurrentCallScope();
}

}  // namespace wt::runtime

#endif  // _WIN32
