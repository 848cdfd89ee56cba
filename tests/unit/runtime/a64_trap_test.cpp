// [a64] The trap machinery on aarch64 without the JIT (as trap_test.cpp does on x86_64):
// hand-assembled aarch64 code registered as a CodeObject with trap sites, entered through
// CallInScope. A faulting load and a udf at trap sites become traps with the pc, the frame
// pointer (x29) and the VMContext register (x28) of the fault; other faults still kill.
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

#if defined(__aarch64__)

class A64HandCode : public jit::CodeObject {
 public:
  A64HandCode(std::vector<uint32_t> words, std::vector<jit::TrapSite> traps)
      : traps_(std::move(traps)) {
    size_ = words.size() * 4;
    void* p = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT_NE(p, MAP_FAILED);
    std::memcpy(p, words.data(), size_);
    EXPECT_EQ(mprotect(p, 4096, PROT_READ | PROT_EXEC), 0);
    base_ = static_cast<uint8_t*>(p);
    __builtin___clear_cache(reinterpret_cast<char*>(p), reinterpret_cast<char*>(p) + size_);
    RegisterCode(this);
  }
  ~A64HandCode() override {
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

constexpr uint32_t kRet = 0xd65f03c0;
constexpr uint32_t kUdf = 0x00000000;
// ldr w0, [x0]; ret   -- x0 is the "vmctx" argument of the EntryFn
const std::vector<uint32_t> kLoadX0 = {0xb9400000, kRet};
// mov x28, x0; ldr w0, [x1]; ret   -- x28 = the "vmctx"; x1 = the code argument (null: faults).
// x28 is callee-saved: the trap's siglongjmp restores it.
const std::vector<uint32_t> kVmctxThenFault = {0xaa0003fc, 0xb9400020, kRet};
// stp x29, x30, [sp, #-16]!; mov x29, sp; udf #0
const std::vector<uint32_t> kFrameThenUdf = {0xa9bf7bfd, 0x910003fd, kUdf};

std::function<bool(int)> DiedOf(int sig) {
  return [sig](int status) {
#if defined(__SANITIZE_ADDRESS__)
    if (WIFSIGNALED(status)) return WTERMSIG(status) == sig || WTERMSIG(status) == SIGABRT;
    return WIFEXITED(status) && WEXITSTATUS(status) != 0;
#else
    return WIFSIGNALED(status) && WTERMSIG(status) == sig;
#endif
  };
}

std::optional<TrapRecord> RunCode(const A64HandCode& code, void* arg0, const void* arg1 = nullptr) {
  EnsureTrapHandling();
  CallScope scope;
  if (CallInScope(scope, code.entry(), static_cast<VMContext*>(arg0), arg1, nullptr))
    return std::nullopt;
  return scope.trap;
}

TEST(A64TrapTest, GuardPageFaultBecomesOutOfBoundsTrap) {
  wasm::MemoryType mt;
  mt.limits.min = 1;
  auto mem = Memory::Create(mt);
  ASSERT_TRUE(mem.ok());
  A64HandCode code(kLoadX0, {Site(0, TrapCode::kMemoryOutOfBounds, 1234)});
  EXPECT_EQ(RunCode(code, (*mem)->data() + 100), std::nullopt);
  for (uint64_t off : {uint64_t{65536}, uint64_t{1} << 32, (uint64_t{8} << 30) - 4}) {
    auto t = RunCode(code, (*mem)->data() + off);
    ASSERT_TRUE(t.has_value()) << off;
    EXPECT_TRUE(t->trapped);
    EXPECT_EQ(t->code, TrapCode::kMemoryOutOfBounds);
    EXPECT_EQ(t->pc, reinterpret_cast<uintptr_t>(code.base()));
    EXPECT_EQ(t->wasm_offset, 1234u);
    EXPECT_EQ(t->fault_addr, reinterpret_cast<uintptr_t>((*mem)->data() + off));
  }
  EXPECT_EQ(CurrentCallScope(), nullptr);
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(RunCode(code, (*mem)->data() + 70000).has_value());
}

// The handler reads the VMContext from x28 (it gives the memory fault its details).
TEST(A64TrapTest, TrapRecordsVmctxRegister) {
  A64HandCode code(kVmctxThenFault, {Site(4, TrapCode::kMemoryOutOfBounds)});
  int dummy = 0;
  auto t = RunCode(code, &dummy);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->code, TrapCode::kMemoryOutOfBounds);
  EXPECT_EQ(t->pc, reinterpret_cast<uintptr_t>(code.base()) + 4);
  EXPECT_EQ(t->vmctx, reinterpret_cast<uintptr_t>(&dummy));
}

// udf #0 is SIGILL at the udf; the trap's fp is x29 at the fault: the frame record the code
// pushed, whose [fp + 8] is the return address into CallInScope's caller path.
TEST(A64TrapTest, UdfTrapsWithFramePointer) {
  A64HandCode code(kFrameThenUdf, {Site(8, TrapCode::kUnreachable)});
  for (int i = 0; i < 3; ++i) {
    auto t = RunCode(code, nullptr);
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->code, TrapCode::kUnreachable);
    EXPECT_EQ(t->pc, reinterpret_cast<uintptr_t>(code.base()) + 8);
    EXPECT_NE(t->fp, 0u);
    EXPECT_EQ(t->fp % 16, 0u);
  }
}

TEST(A64TrapTest, TrapsOnOtherThreads) {
  A64HandCode udf({kUdf}, {Site(0, TrapCode::kUnreachable)});
  std::vector<std::thread> threads;
  std::atomic<int> trapped{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 50; ++j) {
        auto t = RunCode(udf, nullptr);
        if (t && t->code == TrapCode::kUnreachable) ++trapped;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(trapped.load(), 200);
}

TEST(A64TrapDeathTest, FaultInWasmCodeWithoutTrapSiteStillKills) {
  EXPECT_EXIT(
      {
        A64HandCode code(kLoadX0, {});
        RunCode(code, reinterpret_cast<void*>(uintptr_t{16}));
      },
      DiedOf(SIGSEGV), "");
}

TEST(A64TrapDeathTest, UdfWithoutTrapSiteStillKills) {
  EXPECT_EXIT(
      {
        A64HandCode code({kUdf}, {});
        RunCode(code, nullptr);
      },
      DiedOf(SIGILL), "");
}

#endif  // __aarch64__

}  // namespace
}  // namespace wt::runtime
