// CallScope: one host -> wasm activation on this thread. Scopes form a thread-local chain
// (innermost first); a trap (explicit, from a runtime routine, or a fault caught by the signal
// handler) is recorded in the innermost scope and unwinds to it with siglongjmp.
#pragma once

#include <csetjmp>
#include <cstdint>

#include "jit/compiler.h"
#include "runtime/trap/backtrace.h"
#include "runtime/trap/trap.h"
#include "runtime/vmctx.h"

namespace wt::runtime {

#if defined(_WIN32)
// Windows (trap/windows_scope.cpp): a __builtin_setjmp buffer; __builtin_longjmp restores the
// frame and stack pointers without unwinding (JIT frames have no SEH unwind information).
using sigjmp_buf = void* [5];
#endif

// What a trap leaves in its CallScope (plain data: the signal handler writes it).
struct TrapRecord {
  bool trapped = false;
  TrapCode code = TrapCode::kUnreachable;
  uintptr_t pc = 0;
  uintptr_t fp = 0;
  uint32_t wasm_offset = 0;
  uintptr_t fault_addr = 0;  // faults: the address accessed (si_addr), else 0
  uintptr_t vmctx = 0;       // faults: the trapping function's VMContext (its memory 0)
};

struct CallScope {
  sigjmp_buf jmp;
  uintptr_t entry_fp = 0;  // frame of the host function that entered wasm
  // Where the enclosing activation's wasm code had called out to the host when this scope
  // was entered (the store's VMStoreContext then; 0 if none): a backtrace continues there
  // after this activation's frames. Restored into the store context when the scope ends.
  uintptr_t exit_fp = 0;
  uintptr_t exit_pc = 0;
  TrapRecord trap;
  CallScope* prev = nullptr;
  VMStoreContext* store_ctx = nullptr;  // the store's (may be null): its last exit fp/pc
  uintptr_t stack_low = 0;              // lowest address of this thread's stack (walk bound)
  // The wasm frames at the trap, captured before unwinding (not for kExit). Left
  // uninitialized until a trap writes it.
  RawBacktrace backtrace;
  // [exceptions] kUncaughtException: the exception (a GcHeader* holding one count the reader
  // drops), else null. Set by the unwinder (runtime/exceptions.cpp).
  void* exception = nullptr;
};

// The innermost scope of this thread, or nullptr when no wasm is running.
CallScope* CurrentCallScope() noexcept;

// Installs the signal handlers (once per process) and this thread's alternate signal stack
// (once per thread). Invoke calls it; cheap after the first call.
void EnsureTrapHandling();

// The lowest stack address wasm code may use on this thread (its stack's end plus a margin
// for host calls and the trap path, StackMarginFor); cached per thread. Every wasm frame lies
// entirely above it (the prologue compares before it moves the stack pointer); host code
// called from wasm (host functions, builtins, wt_raise_trap) runs in the margin below it.
// Signal handlers run on their own alternate stack (signals.cpp).
uintptr_t ThreadStackLimit();
// The lowest usable address of this thread's stack (a bound for frame walks); cached.
uintptr_t ThreadStackLow();
// The headroom kept below the limit: 256 KiB, or half the stack when it is smaller than
// 512 KiB (e.g. a 256 KiB thread gives wasm and the host 128 KiB each).
inline constexpr uintptr_t kStackMargin = 256 * 1024;
constexpr uintptr_t StackMarginFor(uintptr_t stack_size) {
  return stack_size >= 2 * kStackMargin ? kStackMargin : stack_size / 2;
}

// Calls entry(vmctx, code, args) inside `scope` (pushed on this thread's chain for the
// duration). True when the call returned; false when a trap unwound it (scope.trap is set).
// `store_ctx` (may be null) has its exit fp/pc saved in the scope, cleared for the call and
// restored afterwards.
bool CallInScope(CallScope& scope, jit::EntryFn entry, VMContext* vmctx, const void* code,
                 ValueSlot* args, VMStoreContext* store_ctx = nullptr);

// Records the trap in the innermost scope and unwinds to it. `pc` is the trapping instruction
// (its trap site gives the wasm offset) or 0. Aborts if no scope is active.
[[noreturn]] void RaiseTrap(TrapCode code, uintptr_t pc = 0, uintptr_t fp = 0) noexcept;

}  // namespace wt::runtime
