// The Windows trap handling (src/runtime/trap/windows_*.cpp), cross-built with mingw-w64 by
// cmake/windows-trap and run under wine when available: hand-assembled x86_64 code
// registered with trap sites faults (access violation, ud2, divide by zero, overflow) and the
// faults become traps; faults elsewhere reach the embedder's handler; the embedder's continue
// handler never runs for a wasm trap; traps on two threads at once stay apart.
#include <windows.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

#include "jit/code_memory.h"
#include "runtime/code_registry.h"
#include "runtime/trap/call_scope.h"

using namespace wt;
using runtime::TrapCode;

namespace {

int g_checks = 0, g_failures = 0;
#define CHECK(cond)                                                        \
  do {                                                                     \
    ++g_checks;                                                            \
    if (!(cond)) {                                                         \
      ++g_failures;                                                        \
      std::printf("%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                      \
  } while (0)

// Registered machine code with trap sites. EntryFn args (Windows x64): rcx = vmctx, rdx, r8.
struct Code {
  Code(std::vector<uint8_t> bytes, std::vector<jit::TrapSite> traps, bool registered = true)
      : registered_(registered) {
    auto c = jit::ExecutableCode::Allocate(bytes.size());
    if (!c.ok()) {
      std::printf("cannot allocate code\n");
      std::exit(2);
    }
    code = std::move(*c);
    std::memcpy(code->writable(), bytes.data(), bytes.size());
    if (!code->Seal({}, std::move(traps)).ok()) std::exit(2);
    if (registered_) runtime::RegisterCode(code.get());
  }
  ~Code() {
    if (registered_) runtime::UnregisterCode(code.get());
  }
  jit::EntryFn entry() const {
    return reinterpret_cast<jit::EntryFn>(const_cast<uint8_t*>(code->base()));
  }
  std::unique_ptr<jit::ExecutableCode> code;
  bool registered_;
};

jit::TrapSite Site(uint32_t offset, TrapCode code, uint32_t wasm_offset = 0) {
  jit::TrapSite s;
  s.code_offset = offset;
  s.code = code;
  s.wasm_offset = wasm_offset;
  return s;
}

// mov eax, [rcx]; ret
const std::vector<uint8_t> kLoadRcx = {0x8B, 0x01, 0xC3};
// ud2
const std::vector<uint8_t> kUd2 = {0x0F, 0x0B};
// xor ecx, ecx; mov eax, 1; cdq; idiv ecx; ret
const std::vector<uint8_t> kDivZero = {0x31, 0xC9, 0xB8, 0x01, 0x00, 0x00,
                                       0x00, 0x99, 0xF7, 0xF9, 0xC3};
// mov eax, 0x80000000; mov ecx, -1; cdq; idiv ecx; ret
const std::vector<uint8_t> kOverflow = {0xB8, 0x00, 0x00, 0x00, 0x80, 0xB9, 0xFF,
                                        0xFF, 0xFF, 0xFF, 0x99, 0xF7, 0xF9, 0xC3};

// A trap record, or a default one (trapped = false) when the call returned.
runtime::TrapRecord Run(const Code& code, void* arg0) {
  runtime::EnsureTrapHandling();
  runtime::CallScope scope;
  if (runtime::CallInScope(scope, code.entry(), static_cast<runtime::VMContext*>(arg0), nullptr,
                           nullptr))
    return runtime::TrapRecord{};
  return scope.trap;
}

// The embedder's handlers, installed after (behind) ours.
std::atomic<int> g_embedder_faults{0};
std::atomic<int> g_embedder_continues{0};
uintptr_t g_foreign_pc = 0;  // the one fault the embedder handles (skips a 2-byte load)

LONG CALLBACK EmbedderHandler(EXCEPTION_POINTERS* info) {
  if (info->ExceptionRecord->ExceptionCode == EXCEPTION_ACCESS_VIOLATION &&
      info->ContextRecord->Rip == g_foreign_pc) {
    ++g_embedder_faults;
    info->ContextRecord->Rip += 2;
    info->ContextRecord->Rax = 77;
    return EXCEPTION_CONTINUE_EXECUTION;
  }
  return EXCEPTION_CONTINUE_SEARCH;
}

LONG CALLBACK EmbedderContinue(EXCEPTION_POINTERS*) {
  ++g_embedder_continues;
  return EXCEPTION_CONTINUE_SEARCH;
}

}  // namespace

int main() {
  runtime::EnsureTrapHandling();
  AddVectoredExceptionHandler(0, EmbedderHandler);
  AddVectoredContinueHandler(0, EmbedderContinue);

  // An inaccessible page stands for the guard region of a linear memory.
  void* guard = VirtualAlloc(nullptr, 65536, MEM_RESERVE, PAGE_NOACCESS);
  uint32_t readable = 1234;

  {
    Code load(kLoadRcx, {Site(0, TrapCode::kMemoryOutOfBounds, 77)});
    CHECK(!Run(load, &readable).trapped);
    for (int i = 0; i < 50; ++i) {
      runtime::TrapRecord t = Run(load, guard);
      CHECK(t.trapped);
      CHECK(t.code == TrapCode::kMemoryOutOfBounds);
      CHECK(t.pc == reinterpret_cast<uintptr_t>(load.code->base()));
      CHECK(t.wasm_offset == 77);
      CHECK(t.fault_addr == reinterpret_cast<uintptr_t>(guard));  // the address accessed
    }
    CHECK(runtime::CurrentCallScope() == nullptr);
  }
  {
    Code ud2(kUd2, {Site(0, TrapCode::kUnreachable)});
    Code div(kDivZero, {Site(8, TrapCode::kIntegerDivideByZero)});
    Code ovf(kOverflow, {Site(11, TrapCode::kIntegerOverflow)});
    for (int i = 0; i < 10; ++i) {
      runtime::TrapRecord t = Run(ud2, nullptr);
      CHECK(t.code == TrapCode::kUnreachable);
      CHECK(t.fault_addr == 0);
      CHECK(Run(div, nullptr).code == TrapCode::kIntegerDivideByZero);
      CHECK(Run(ovf, nullptr).code == TrapCode::kIntegerOverflow);
    }
  }
  // No continue handler behind ours ran for any of those traps.
  CHECK(g_embedder_continues.load() == 0);

  // Explicit traps (the JIT's trap stubs, runtime routines) unwind the same way, also out of
  // a nested activation into the inner scope only.
  {
    runtime::CallScope outer;
    static bool inner_trapped = false;
    bool returned = runtime::CallInScope(
        outer,
        [](runtime::VMContext*, const void*, runtime::ValueSlot*) {
          runtime::CallScope inner;
          inner_trapped = !runtime::CallInScope(
              inner,
              [](runtime::VMContext*, const void*, runtime::ValueSlot*) {
                runtime::RaiseTrap(TrapCode::kOutOfFuel);
              },
              nullptr, nullptr, nullptr);
          inner_trapped = inner_trapped && inner.trap.code == TrapCode::kOutOfFuel;
        },
        nullptr, nullptr, nullptr);
    CHECK(returned);
    CHECK(inner_trapped);
    runtime::CallScope scope;
    CHECK(!runtime::CallInScope(
        scope,
        [](runtime::VMContext*, const void*, runtime::ValueSlot*) {
          runtime::RaiseTrap(TrapCode::kInterrupt);
        },
        nullptr, nullptr, nullptr));
    CHECK(scope.trap.code == TrapCode::kInterrupt);
  }

  // Faults that are not wasm traps go on to the embedder: in unregistered code, and in
  // registered code at an instruction without a trap site.
  {
    // mov eax, [rcx] (2 bytes, skipped by the embedder, which sets eax = 77); ret
    Code foreign(kLoadRcx, {}, /*registered=*/false);
    Code no_site(kLoadRcx, {Site(2, TrapCode::kUnreachable)});
    for (const Code* c : {&foreign, &no_site}) {
      g_foreign_pc = reinterpret_cast<uintptr_t>(c->code->base());
      int before = g_embedder_faults.load();
      runtime::TrapRecord t = Run(*c, guard);
      CHECK(!t.trapped);
      CHECK(g_embedder_faults.load() == before + 1);
    }
  }

  // Two threads trapping at once, each into its own scopes.
  {
    Code load(kLoadRcx, {Site(0, TrapCode::kMemoryOutOfBounds)});
    Code ud2(kUd2, {Site(0, TrapCode::kUnreachable)});
    std::atomic<int> good{0};
    auto work = [&](const Code& c, TrapCode want) {
      for (int i = 0; i < 200; ++i) {
        runtime::TrapRecord t = Run(c, guard);
        if (t.trapped && t.code == want) ++good;
        if (!Run(load, &readable).trapped) ++good;
      }
    };
    std::thread a(work, std::cref(load), TrapCode::kMemoryOutOfBounds);
    std::thread b(work, std::cref(ud2), TrapCode::kUnreachable);
    a.join();
    b.join();
    CHECK(good.load() == 800);
  }

  std::printf("trap_win_test: %d checks, %d failed\n", g_checks, g_failures);
  return g_failures == 0 ? 0 : 1;
}
