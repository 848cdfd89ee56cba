// The trap machinery without the JIT: hand-assembled x86_64 code registered as a CodeObject
// with trap sites, entered through CallInScope; faults at trap sites become traps, other
// faults still kill the process.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>

#include <sys/wait.h>

#include <atomic>
#include <cstring>
#include <functional>
#include <thread>
#include <vector>

#include "runtime/code_registry.h"
#include "runtime/runtime.h"
#include "runtime/trap/call_scope.h"

namespace wt::runtime {
namespace {

#if defined(__x86_64__)

class HandCode : public jit::CodeObject {
 public:
  HandCode(std::vector<uint8_t> bytes, std::vector<jit::TrapSite> traps)
      : traps_(std::move(traps)) {
    size_ = bytes.size();
    void* p = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT_NE(p, MAP_FAILED);
    std::memcpy(p, bytes.data(), bytes.size());
    EXPECT_EQ(mprotect(p, 4096, PROT_READ | PROT_EXEC), 0);
    base_ = static_cast<uint8_t*>(p);
    RegisterCode(this);
  }
  ~HandCode() override {
    UnregisterCode(this);
    munmap(const_cast<uint8_t*>(base_), 4096);
  }
  const uint8_t* base() const override { return base_; }
  size_t size() const override { return size_; }
  std::span<const jit::FuncRange> funcs() const override { return {}; }
  std::span<const jit::TrapSite> traps() const override { return traps_; }
  jit::EntryFn entry() const { return reinterpret_cast<jit::EntryFn>(const_cast<uint8_t*>(base_)); }

 private:
  const uint8_t* base_ = nullptr;
  size_t size_ = 0;
  std::vector<jit::TrapSite> traps_;
};

jit::TrapSite Site(uint32_t offset, TrapCode code, uint32_t wasm_offset = 0) {
  jit::TrapSite s;
  s.code_offset = offset;
  s.code = code;
  s.wasm_offset = wasm_offset;
  return s;
}

// mov eax, [rdi]; ret   -- rdi is the "vmctx" argument of the EntryFn
const std::vector<uint8_t> kLoadRdi = {0x8B, 0x07, 0xC3};
// xor ecx, ecx; mov eax, 1; cdq; idiv ecx; ret
const std::vector<uint8_t> kDivZero = {0x31, 0xC9, 0xB8, 0x01, 0x00, 0x00,
                                       0x00, 0x99, 0xF7, 0xF9, 0xC3};
// ud2
const std::vector<uint8_t> kUd2 = {0x0F, 0x0B};

// Killed by `sig` (the default action ran). Under AddressSanitizer, whose handler the runtime
// forwards to, a report and a non-zero exit also count.
std::function<bool(int)> DiedOf(int sig) {
  return [sig](int status) {
#if defined(__SANITIZE_ADDRESS__)
    // ASan reports the fault, then exits non-zero or aborts (ASAN_OPTIONS=abort_on_error=1).
    if (WIFSIGNALED(status)) return WTERMSIG(status) == sig || WTERMSIG(status) == SIGABRT;
    return WIFEXITED(status) && WEXITSTATUS(status) != 0;
#else
    return WIFSIGNALED(status) && WTERMSIG(status) == sig;
#endif
  };
}

std::optional<TrapRecord> RunCode(const HandCode& code, void* arg0) {
  EnsureTrapHandling();
  CallScope scope;
  if (CallInScope(scope, code.entry(), static_cast<VMContext*>(arg0), nullptr, nullptr)) {
    return std::nullopt;
  }
  return scope.trap;
}

TEST(TrapTest, GuardPageFaultBecomesOutOfBoundsTrap) {
  wasm::MemoryType mt;
  mt.limits.min = 1;
  auto mem = Memory::Create(mt);
  ASSERT_TRUE(mem.ok());
  HandCode code(kLoadRdi, {Site(0, TrapCode::kMemoryOutOfBounds, 1234)});
  // In bounds: returns normally.
  EXPECT_EQ(RunCode(code, (*mem)->data() + 100), std::nullopt);
  // Just past the committed page, and deep in the guard region.
  for (uint64_t off : {uint64_t{65536}, uint64_t{1} << 32, (uint64_t{8} << 30) - 4}) {
    auto t = RunCode(code, (*mem)->data() + off);
    ASSERT_TRUE(t.has_value()) << off;
    EXPECT_TRUE(t->trapped);
    EXPECT_EQ(t->code, TrapCode::kMemoryOutOfBounds);
    EXPECT_EQ(t->pc, reinterpret_cast<uintptr_t>(code.base()));
    EXPECT_EQ(t->wasm_offset, 1234u);
  }
  EXPECT_EQ(CurrentCallScope(), nullptr);
  // Traps repeat: the signal is unblocked again after each one.
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(RunCode(code, (*mem)->data() + 70000).has_value());
}

TEST(TrapTest, SigfpeAndSigillAtTrapSites) {
  HandCode div(kDivZero, {Site(8, TrapCode::kIntegerDivideByZero)});
  auto t = RunCode(div, nullptr);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->code, TrapCode::kIntegerDivideByZero);
  HandCode ud2(kUd2, {Site(0, TrapCode::kUnreachable)});
  for (int i = 0; i < 3; ++i) {
    t = RunCode(ud2, nullptr);
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->code, TrapCode::kUnreachable);
  }
}

TEST(TrapTest, TrapsOnOtherThreads) {
  HandCode ud2(kUd2, {Site(0, TrapCode::kUnreachable)});
  std::vector<std::thread> threads;
  std::atomic<int> trapped{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 50; ++j) {
        auto t = RunCode(ud2, nullptr);
        if (t && t->code == TrapCode::kUnreachable) ++trapped;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(trapped.load(), 200);
}

TEST(TrapDeathTest, HostSegfaultOutsideWasmStillKills) {
  EXPECT_EXIT(
      {
        EnsureTrapHandling();
        volatile int* p = nullptr;
        *p = 1;
      },
      DiedOf(SIGSEGV), "");
}

TEST(TrapDeathTest, FaultInWasmCodeWithoutTrapSiteStillKills) {
  EXPECT_EXIT(
      {
        HandCode code(kLoadRdi, {});  // no trap site: a JIT bug, not a wasm trap
        RunCode(code, reinterpret_cast<void*>(uintptr_t{16}));
      },
      DiedOf(SIGSEGV), "");
}

TEST(TrapDeathTest, HostFaultInsideCallScopeStillKills) {
  EXPECT_EXIT(
      {
        EnsureTrapHandling();
        CallScope scope;
        CallInScope(
            scope,
            [](VMContext*, const void*, ValueSlot*) {
              volatile int* p = nullptr;
              *p = 1;
            },
            nullptr, nullptr, nullptr);
      },
      DiedOf(SIGSEGV), "");
}

TEST(TrapDeathTest, RaisedSignalsAreForwarded) {
  EXPECT_EXIT(
      {
        EnsureTrapHandling();
        raise(SIGBUS);
      },
      DiedOf(SIGBUS), "");
}

#endif  // __x86_64__

}  // namespace
}  // namespace wt::runtime
