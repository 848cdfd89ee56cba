// POSIX signal handling: SIGSEGV, SIGBUS, SIGFPE and SIGILL raised by registered wasm code at
// a trap site become traps; anything else goes on to the handler that was installed before
// ours (or the default action), so a real bug still crashes.
//
// The handler runs on a per-thread alternate stack, allocates nothing, takes no locks and
// logs nothing.
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <ucontext.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "runtime/code_registry.h"
#include "runtime/trap/call_scope.h"

namespace wt::runtime {
namespace {

constexpr int kSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};
constexpr int kNumSignals = 4;
struct sigaction g_previous[kNumSignals];

constexpr size_t kAltStackSize = 256 * 1024;
constexpr size_t kAltGuard = 4096;

int SignalSlot(int sig) {
  for (int i = 0; i < kNumSignals; ++i) {
    if (kSignals[i] == sig) return i;
  }
  return -1;
}

// pc, frame pointer and the VMContext register at the fault (jit/abi.h; x64: rip, rbp, r15;
// a64: pc, x29, x28, jit/a64/masm_a64.h). A udf (SIGILL) or a faulting access reports the pc
// of that instruction on both, which is where the trap sites are recorded.
void ContextRegisters(void* ctx, uintptr_t* pc, uintptr_t* fp, uintptr_t* vmctx) {
  auto* uc = static_cast<ucontext_t*>(ctx);
#if defined(__x86_64__)
  *pc = static_cast<uintptr_t>(uc->uc_mcontext.gregs[REG_RIP]);
  *fp = static_cast<uintptr_t>(uc->uc_mcontext.gregs[REG_RBP]);
  *vmctx = static_cast<uintptr_t>(uc->uc_mcontext.gregs[REG_R15]);
#elif defined(__aarch64__)
  *pc = static_cast<uintptr_t>(uc->uc_mcontext.pc);
  *fp = static_cast<uintptr_t>(uc->uc_mcontext.regs[29]);
  *vmctx = static_cast<uintptr_t>(uc->uc_mcontext.regs[28]);
#else
#error "unsupported architecture"
#endif
}

void Forward(int sig, siginfo_t* info, void* ctx) {
  int slot = SignalSlot(sig);
  if (slot >= 0) {
    const struct sigaction& prev = g_previous[slot];
    if (prev.sa_flags & SA_SIGINFO) {
      if (prev.sa_sigaction != nullptr) {
        prev.sa_sigaction(sig, info, ctx);
        return;
      }
    } else if (prev.sa_handler != SIG_DFL && prev.sa_handler != SIG_IGN) {
      prev.sa_handler(sig);
      return;
    }
  }
  // Default action: restore it; a fault re-executes the instruction on return and dies, a
  // signal sent by kill/raise is re-raised (delivered when the handler returns).
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, nullptr);
  if (info == nullptr || info->si_code <= 0) raise(sig);
}

void HandleSignal(int sig, siginfo_t* info, void* ctx) {
  CallScope* scope = CurrentCallScope();
  if (scope != nullptr) {
    uintptr_t pc = 0, fp = 0, vmctx = 0;
    ContextRegisters(ctx, &pc, &fp, &vmctx);
    if (const jit::CodeObject* code = LookupCode(pc)) {
      if (const jit::TrapSite* site = code->FindTrap(pc)) {
        TrapRecord& t = scope->trap;
        t.trapped = true;
        t.code = site->code;
        t.pc = pc;
        t.fp = fp;
        t.wasm_offset = site->wasm_offset;
        bool memory_fault = (sig == SIGSEGV || sig == SIGBUS) && info != nullptr;
        t.fault_addr = memory_fault ? reinterpret_cast<uintptr_t>(info->si_addr) : 0;
        t.vmctx = vmctx;
        // The wasm frames, before unwinding destroys them (async-signal-safe walk).
        CaptureBacktrace(scope, pc, fp, /*first_is_trap=*/true, &scope->backtrace);
        // The scope's sigsetjmp saved no mask: unblock the signal we are handling.
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, sig);
        pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
        siglongjmp(scope->jmp, 1);
      }
    }
  }
  Forward(sig, info, ctx);
}

void InstallHandlers() {
  for (int i = 0; i < kNumSignals; ++i) {
    struct sigaction sa {};
    sa.sa_sigaction = HandleSignal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    if (sigaction(kSignals[i], &sa, &g_previous[i]) != 0) {
      std::perror("wtrun: sigaction");
      std::abort();
    }
  }
}

// This thread's alternate signal stack (unless the thread already has one big enough).
struct AltStack {
  void* mem = nullptr;
  AltStack() {
    stack_t old{};
    if (sigaltstack(nullptr, &old) == 0 && !(old.ss_flags & SS_DISABLE) &&
        old.ss_size >= 64 * 1024) {
      return;
    }
    void* p = mmap(nullptr, kAltStackSize + kAltGuard, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
      std::perror("wtrun: cannot allocate the signal stack");
      std::abort();
    }
    mprotect(p, kAltGuard, PROT_NONE);  // overflow of the signal stack faults
    stack_t ss{};
    ss.ss_sp = static_cast<char*>(p) + kAltGuard;
    ss.ss_size = kAltStackSize;
    ss.ss_flags = 0;
    if (sigaltstack(&ss, nullptr) != 0) {
      std::perror("wtrun: sigaltstack");
      std::abort();
    }
    mem = p;
  }
  ~AltStack() {
    if (mem == nullptr) return;
    stack_t cur{};
    if (sigaltstack(nullptr, &cur) == 0 && cur.ss_sp == static_cast<char*>(mem) + kAltGuard) {
      stack_t off{};
      off.ss_flags = SS_DISABLE;
      sigaltstack(&off, nullptr);
    }
    munmap(mem, kAltStackSize + kAltGuard);
  }
};

}  // namespace

void EnsureTrapHandling() {
  static std::once_flag once;
  std::call_once(once, InstallHandlers);
  thread_local AltStack alt;
  (void)alt;
}

}  // namespace wt::runtime
