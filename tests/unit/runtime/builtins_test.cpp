// The runtime routines JIT code calls (builtins.h), called here from a fake entry trampoline
// inside a real CallScope so that their traps unwind exactly as they do under JIT code.
#include "runtime/builtins.h"

#include <gtest/gtest.h>

#include <cstring>
#include <functional>

#include "runtime/gc/gc_ref.h"
#include "runtime/instance_data.h"
#include "runtime/trap/call_scope.h"
#include "runtime_test_util.h"

namespace wt::runtime {
namespace {

thread_local const std::function<void(VMContext*)>* g_body = nullptr;

void FakeEntry(VMContext* vmctx, const void*, ValueSlot*) {
  (*g_body)(vmctx);
}

// Runs `body` as if it were wasm code: nullopt if it returned, else the trap code.
std::optional<TrapCode> RunAsWasm(VMContext* vmctx, const std::function<void(VMContext*)>& body) {
  EnsureTrapHandling();
  CallScope* before = CurrentCallScope();
  g_body = &body;
  CallScope scope;
  bool ok = CallInScope(scope, FakeEntry, vmctx, nullptr, nullptr);
  EXPECT_EQ(CurrentCallScope(), before);
  if (ok) return std::nullopt;
  EXPECT_TRUE(scope.trap.trapped);
  return scope.trap.code;
}

class BuiltinsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DefineSpectest(linker_, store_);
    inst_ = testing::Instantiate(linker_, store_, R"((module
        (import "spectest" "print" (func $p))
        (import "spectest" "print_i32" (func $q (param i32)))
        (memory 1 2)
        (table $t0 4 8 funcref) (table $t1 2 externref)
        (data "0123456789")
        (elem $e func $p $q $p)))");
    ASSERT_NE(inst_, nullptr);
    vm_ = inst_->vmctx();
    mem_ = vm_->memories[0]->base;
    p_ = vm_->funcs[0];
    q_ = vm_->funcs[1];
  }
  std::optional<TrapCode> Do(const std::function<void(VMContext*)>& body) {
    return RunAsWasm(vm_, body);
  }

  Store store_;
  Linker linker_;
  Instance* inst_ = nullptr;
  VMContext* vm_ = nullptr;
  uint8_t* mem_ = nullptr;
  FuncRef* p_ = nullptr;
  FuncRef* q_ = nullptr;
};

constexpr uint64_t kPage = 65536;
const auto kMemOob = std::optional<TrapCode>(TrapCode::kMemoryOutOfBounds);
const auto kTableOob = std::optional<TrapCode>(TrapCode::kTableOutOfBounds);

TEST_F(BuiltinsTest, MemoryGrow) {
  uint8_t* base = vm_->mem0_base;
  EXPECT_EQ(wt_memory_grow(vm_, 0, 1), 1u);
  EXPECT_EQ(vm_->memories[0]->size_bytes, 2 * kPage);
  EXPECT_EQ(wt_memory_grow(vm_, 0, 1), UINT64_MAX);  // max 2
  EXPECT_EQ(wt_memory_grow(vm_, 0, 0), 2u);
  EXPECT_EQ(vm_->mem0_base, base);
}

TEST_F(BuiltinsTest, MemoryFill) {
  EXPECT_EQ(Do([](VMContext* vm) { wt_memory_fill(vm, 0, 10, 0x1AB, 5); }), std::nullopt);
  EXPECT_EQ(mem_[9], 0);
  EXPECT_EQ(mem_[10], 0xAB);
  EXPECT_EQ(mem_[14], 0xAB);
  EXPECT_EQ(mem_[15], 0);
  EXPECT_EQ(Do([](VMContext* vm) { wt_memory_fill(vm, 0, kPage, 1, 0); }), std::nullopt);
  EXPECT_EQ(Do([](VMContext* vm) { wt_memory_fill(vm, 0, kPage - 1, 1, 1); }), std::nullopt);
  EXPECT_EQ(Do([](VMContext* vm) { wt_memory_fill(vm, 0, kPage + 1, 1, 0); }), kMemOob);
  EXPECT_EQ(Do([](VMContext* vm) { wt_memory_fill(vm, 0, kPage - 1, 2, 2); }), kMemOob);
  EXPECT_EQ(mem_[kPage - 2], 0);  // nothing written by a failing fill
  EXPECT_EQ(mem_[kPage - 1], 1);
  EXPECT_EQ(Do([](VMContext* vm) { wt_memory_fill(vm, 0, 1, 0, UINT64_MAX); }), kMemOob);
}

TEST_F(BuiltinsTest, MemoryCopyOverlapAndBounds) {
  std::memcpy(mem_, "abcdefgh", 8);
  EXPECT_EQ(Do([](VMContext* vm) { wt_memory_copy(vm, 0, 0, 2, 0, 6); }), std::nullopt);
  EXPECT_EQ(std::memcmp(mem_, "ababcdef", 8), 0);
  EXPECT_EQ(Do([](VMContext* vm) { wt_memory_copy(vm, 0, 0, 0, 2, 6); }), std::nullopt);
  EXPECT_EQ(std::memcmp(mem_, "abcdefef", 8), 0);
  EXPECT_EQ(Do([](VMContext* vm) { wt_memory_copy(vm, 0, 0, kPage, 0, 0); }), std::nullopt);
  EXPECT_EQ(Do([](VMContext* vm) { wt_memory_copy(vm, 0, 0, 0, kPage, 0); }), std::nullopt);
  EXPECT_EQ(Do([](VMContext* vm) { wt_memory_copy(vm, 0, 0, kPage + 1, 0, 0); }), kMemOob);
  EXPECT_EQ(Do([](VMContext* vm) { wt_memory_copy(vm, 0, 0, 0, kPage - 3, 4); }), kMemOob);
}

TEST_F(BuiltinsTest, MemoryCopyAcrossMemoriesAndGrowOfSecondMemory) {
  // A context with two memories (multi-memory), built by hand: the builtins only read
  // vmctx->memories for copies.
  wasm::MemoryType mt;
  mt.limits.min = 1;
  auto second = store_.NewMemory(mt);
  ASSERT_TRUE(second.ok());
  MemoryData* mems[2] = {vm_->memories[0], (*second)->vm()};
  VMContext ctx = *vm_;
  ctx.memories = mems;
  std::memcpy(mem_, "abc", 3);
  EXPECT_EQ(RunAsWasm(&ctx, [](VMContext* vm) { wt_memory_copy(vm, 1, 0, 100, 0, 3); }),
            std::nullopt);
  EXPECT_EQ(std::memcmp((*second)->data() + 100, "abc", 3), 0);
  EXPECT_EQ(RunAsWasm(&ctx, [](VMContext* vm) { wt_memory_copy(vm, 0, 1, 0, kPage - 1, 2); }),
            kMemOob);
  EXPECT_EQ((*second)->Grow(65535), std::optional<uint64_t>(1));
  EXPECT_EQ(RunAsWasm(&ctx, [](VMContext* vm) { wt_memory_copy(vm, 0, 1, 0, kPage - 1, 2); }),
            std::nullopt);
}

TEST_F(BuiltinsTest, MemoryInitAndDataDrop) {
  EXPECT_EQ(Do([](VMContext* vm) { wt_memory_init(vm, 0, 0, 20, 2, 3); }), std::nullopt);
  EXPECT_EQ(std::memcmp(mem_ + 20, "234", 3), 0);
  EXPECT_EQ(Do([](VMContext* vm) { wt_memory_init(vm, 0, 0, 0, 10, 0); }), std::nullopt);
  EXPECT_EQ(Do([](VMContext* vm) { wt_memory_init(vm, 0, 0, 0, 11, 0); }), kMemOob);
  EXPECT_EQ(Do([](VMContext* vm) { wt_memory_init(vm, 0, 0, 0, 8, 3); }), kMemOob);
  EXPECT_EQ(Do([](VMContext* vm) { wt_memory_init(vm, 0, 0, kPage - 1, 0, 2); }), kMemOob);
  EXPECT_EQ(Do([](VMContext* vm) { wt_memory_init(vm, 0, 0, kPage, 0, 0); }), std::nullopt);
  wt_data_drop(vm_, 0);
  EXPECT_EQ(Do([](VMContext* vm) { wt_memory_init(vm, 0, 0, 0, 0, 0); }), std::nullopt);
  EXPECT_EQ(Do([](VMContext* vm) { wt_memory_init(vm, 0, 0, 0, 0, 1); }), kMemOob);
  wt_data_drop(vm_, 0);  // dropping twice is fine
}

TEST_F(BuiltinsTest, TableGetSet) {
  EXPECT_EQ(Do([this](VMContext* vm) { wt_table_set(vm, 0, 3, p_); }), std::nullopt);
  void* got = nullptr;
  EXPECT_EQ(Do([&got](VMContext* vm) { got = wt_table_get(vm, 0, 3); }), std::nullopt);
  EXPECT_EQ(got, p_);
  EXPECT_EQ(Do([](VMContext* vm) { wt_table_get(vm, 0, 4); }), kTableOob);
  EXPECT_EQ(Do([this](VMContext* vm) { wt_table_set(vm, 0, 4, p_); }), kTableOob);
  EXPECT_EQ(Do([](VMContext* vm) { wt_table_get(vm, 1, UINT64_MAX); }), kTableOob);
}

TEST_F(BuiltinsTest, TableGrowFill) {
  EXPECT_EQ(wt_table_grow(vm_, 0, q_, 2), 4u);
  EXPECT_EQ(vm_->tables[0]->size, 6u);
  EXPECT_EQ(vm_->tables[0]->elems[5], q_);
  EXPECT_EQ(wt_table_grow(vm_, 0, nullptr, 3), UINT64_MAX);  // max 8
  EXPECT_EQ(wt_table_grow(vm_, 0, nullptr, 2), 6u);
  EXPECT_EQ(Do([this](VMContext* vm) { wt_table_fill(vm, 0, 1, p_, 3); }), std::nullopt);
  EXPECT_EQ(vm_->tables[0]->elems[0], nullptr);
  EXPECT_EQ(vm_->tables[0]->elems[3], p_);
  EXPECT_EQ(vm_->tables[0]->elems[4], q_);
  EXPECT_EQ(Do([this](VMContext* vm) { wt_table_fill(vm, 0, 8, p_, 0); }), std::nullopt);
  EXPECT_EQ(Do([this](VMContext* vm) { wt_table_fill(vm, 0, 9, p_, 0); }), kTableOob);
  EXPECT_EQ(Do([this](VMContext* vm) { wt_table_fill(vm, 0, 7, q_, 2); }), kTableOob);
  EXPECT_EQ(vm_->tables[0]->elems[7], nullptr);
  // externref elements are counted GC references ([gc]): the table takes one count.
  int host = 0;
  gc::ExternObject* ref = gc::NewExternRef(&host, nullptr);
  EXPECT_EQ(wt_table_grow(vm_, 1, ref, 1), 2u);
  EXPECT_EQ(vm_->tables[1]->elems[2], ref);
  EXPECT_EQ(ref->count, 1u);
}

TEST_F(BuiltinsTest, TableCopy) {
  void** e = vm_->tables[0]->elems;
  e[0] = p_;
  e[1] = q_;
  EXPECT_EQ(Do([](VMContext* vm) { wt_table_copy(vm, 0, 0, 1, 0, 3); }), std::nullopt);
  EXPECT_EQ(e[1], p_);
  EXPECT_EQ(e[2], q_);
  EXPECT_EQ(e[3], nullptr);
  EXPECT_EQ(Do([](VMContext* vm) { wt_table_copy(vm, 0, 0, 4, 0, 0); }), std::nullopt);
  EXPECT_EQ(Do([](VMContext* vm) { wt_table_copy(vm, 0, 0, 5, 0, 0); }), kTableOob);
  EXPECT_EQ(Do([](VMContext* vm) { wt_table_copy(vm, 0, 0, 0, 2, 3); }), kTableOob);
}

TEST_F(BuiltinsTest, TableInitAndElemDrop) {
  EXPECT_EQ(Do([](VMContext* vm) { wt_table_init(vm, 0, 0, 1, 0, 3); }), std::nullopt);
  void** e = vm_->tables[0]->elems;
  EXPECT_EQ(e[0], nullptr);
  EXPECT_EQ(e[1], p_);
  EXPECT_EQ(e[2], q_);
  EXPECT_EQ(e[3], p_);
  EXPECT_EQ(Do([](VMContext* vm) { wt_table_init(vm, 0, 0, 4, 3, 0); }), std::nullopt);
  EXPECT_EQ(Do([](VMContext* vm) { wt_table_init(vm, 0, 0, 2, 1, 3); }), kTableOob);
  EXPECT_EQ(Do([](VMContext* vm) { wt_table_init(vm, 0, 0, 0, 4, 0); }), kTableOob);
  wt_elem_drop(vm_, 0);
  EXPECT_EQ(Do([](VMContext* vm) { wt_table_init(vm, 0, 0, 0, 0, 0); }), std::nullopt);
  EXPECT_EQ(Do([](VMContext* vm) { wt_table_init(vm, 0, 0, 0, 0, 1); }), kTableOob);
}

TEST_F(BuiltinsTest, RaiseTrapUnwindsToInnermostScope) {
  EXPECT_EQ(Do([](VMContext*) {
              wt_raise_trap(static_cast<uint32_t>(TrapCode::kIntegerOverflow), 0, 0);
            }),
            std::optional<TrapCode>(TrapCode::kIntegerOverflow));
  // Nested scopes: the inner trap lands in the inner scope, the outer call continues.
  std::optional<TrapCode> inner;
  EXPECT_EQ(Do([&inner](VMContext* vm) {
              inner = RunAsWasm(vm, [](VMContext*) { wt_raise_trap(0, 0, 0); });
            }),
            std::nullopt);
  EXPECT_EQ(inner, std::optional<TrapCode>(TrapCode::kUnreachable));
}

TEST(CallScopeDeathTest, TrapOutsideWasmAborts) {
  EXPECT_DEATH(wt_raise_trap(0, 0, 0), "trap outside of wasm code");
}

TEST(CallScopeTest, StackLimitIsBelowTheCurrentFrame) {
  uintptr_t limit = ThreadStackLimit();
  auto here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  EXPECT_LT(limit, here);
  EXPECT_GT(limit, 0u);
  EXPECT_EQ(ThreadStackLimit(), limit);
}

}  // namespace
}  // namespace wt::runtime
