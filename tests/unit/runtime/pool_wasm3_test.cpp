// [wasm3] The pooling allocator with Wasm 3.0 memories (docs/pool.md): 64-bit memories in the
// pool's slots (up to the pool's memory size), multi-memory modules with
// memories_per_instance > 1 (and the refusal with the default of 1); fault reports name the
// memory (docs/memory64.md). Plain pool and userfaultfd.
#include <string>

#include "runtime/instance_data.h"
#include "runtime/pool/allocator.h"
#include "runtime_test_util.h"

namespace wt::runtime {
namespace {

using testing::Load;

const wasm::Features kFeatures = wasm::Features::Wasm30();

class PoolWasm3 : public ::testing::TestWithParam<bool> {
 protected:
  std::shared_ptr<InstanceAllocator> MakePool(uint32_t memories_per_instance) {
    PoolConfig c;
    c.instances = 2;
    c.memory_size = 1 << 20;  // 16 pages
    c.memories_per_instance = memories_per_instance;
    c.uffd = GetParam();
    auto p = CreatePoolingAllocator(c);
    EXPECT_TRUE(p.ok()) << p.error().ToString();
    return p.ok() ? *p : nullptr;
  }
  Result<Instance*> Inst(Store& store, std::string_view wat) {
    auto loaded = Load(wat, kFeatures);
    if (!loaded) return MakeError(ErrorKind::kInvalid, "bad test module");
    return linker_.Instantiate(store, loaded);
  }
  static InvokeResult Run(Instance* inst, const char* name, std::vector<Value> args = {}) {
    auto r = Invoke(*inst->data().store, *inst->GetFunc(name), args);
    EXPECT_TRUE(r.ok());
    return r.ok() ? std::move(*r) : InvokeResult{};
  }
  Linker linker_;
};

constexpr const char* kMem64 = R"(
  (module
    (memory (export "mem") i64 2 100)
    (data (i64.const 0x10000) "\2a")
    (func (export "load") (param i64) (result i32) (i32.load8_u (local.get 0)))
    (func (export "load64") (param i64) (result i64) (i64.load (local.get 0)))
    (func (export "store") (param i64 i32) (i32.store8 (local.get 0) (local.get 1)))
    (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
    (func (export "size") (result i64) (memory.size)))
)";

// A 64-bit memory lives in a pool slot: data segment, loads and stores, growth up to the
// pool's memory size (then -1), out-of-bounds traps at the bound check and in the guard.
TEST_P(PoolWasm3, Memory64InASlot) {
  auto pool = MakePool(1);
  ASSERT_NE(pool, nullptr);
  StoreOptions o;
  o.allocator = pool;
  for (int round = 0; round < 2; ++round) {  // the slot is reused with the same contents
    Store store(o);
    auto inst = Inst(store, kMem64);
    ASSERT_TRUE(inst.ok()) << inst.error().ToString();
    Memory* m = (*inst)->data().memory_objs[0];
    uint8_t* base = m->data();
    EXPECT_GE(GetPoolStats(*pool)->in_use, 1u);
    EXPECT_EQ(Run(*inst, "load", {Value::I64(0x10000)}).results[0].i32(), 42u);
    EXPECT_EQ(Run(*inst, "load", {Value::I64(5)}).results[0].i32(), 0u);  // no leak
    Run(*inst, "store", {Value::I64(5), Value::I32(7)});
    EXPECT_EQ(Run(*inst, "load", {Value::I64(5)}).results[0].i32(), 7u);
    EXPECT_EQ(Run(*inst, "grow", {Value::I64(14)}).results[0].i64(), 2u);
    EXPECT_EQ(Run(*inst, "size").results[0].i64(), 16u);
    EXPECT_EQ(Run(*inst, "grow", {Value::I64(1)}).results[0].i64(), UINT64_MAX);  // pool size
    Run(*inst, "store", {Value::I64(0xfffff), Value::I32(9)});
    EXPECT_EQ(Run(*inst, "load", {Value::I64(0xfffff)}).results[0].i32(), 9u);
    // Past the size: the bound check.
    auto r = Run(*inst, "load", {Value::I64(0x100000)});
    ASSERT_TRUE(r.trap);
    EXPECT_EQ(r.trap->code, TrapCode::kMemoryOutOfBounds);
    r = Run(*inst, "load", {Value::I64(uint64_t{1} << 40)});
    ASSERT_TRUE(r.trap);
    EXPECT_EQ(r.trap->code, TrapCode::kMemoryOutOfBounds);
    // At the end (address == size): passes the check, faults in the guard, reported with its
    // address.
    r = Run(*inst, "load64", {Value::I64(0x100000)});
    ASSERT_TRUE(r.trap);
    EXPECT_EQ(r.trap->code, TrapCode::kMemoryOutOfBounds);
    if (!GetParam()) {  // (uffd: the guard fault address is the same; checked plainly here)
      ASSERT_TRUE(r.trap->fault);
      EXPECT_EQ(r.trap->fault->memory_index, 0u);
      EXPECT_EQ(r.trap->fault->wasm_address, 0x100000u);
      EXPECT_EQ(r.trap->fault->memory_size, 0x100000u);
    }
    EXPECT_EQ(m->data(), base);
  }
  EXPECT_EQ(GetPoolStats(*pool)->in_use, 0u);
}

constexpr const char* kTwoMemories = R"(
  (module
    (memory $a 1 4)
    (memory $b i64 2 4)
    (data (memory $a) (i32.const 3) "\01")
    (data (memory $b) (i64.const 0x10003) "\02")
    (func (export "sum") (result i32)
      (i32.add (i32.load8_u $a (i32.const 3)) (i32.load8_u $b (i64.const 0x10003))))
    (func (export "poke") (param i32) (i32.store8 $b (i64.extend_i32_u (local.get 0))
                                                      (i32.const 5)))
    (func (export "oob_b") (param i32) (result i32)
      (i32.load $b offset=16 (i64.extend_i32_u (local.get 0)))))
)";

// Two memories (one 64-bit) of one instance take two memory slots of its instance slot.
TEST_P(PoolWasm3, MultiMemoryWithTwoMemoriesPerInstance) {
  auto pool = MakePool(2);
  ASSERT_NE(pool, nullptr);
  StoreOptions o;
  o.allocator = pool;
  Store store(o);
  auto inst = Inst(store, kTwoMemories);
  ASSERT_TRUE(inst.ok()) << inst.error().ToString();
  EXPECT_EQ(Run(*inst, "sum").results[0].i32(), 3u);
  Run(*inst, "poke", {Value::I32(0x1ffff)});
  auto r = Run(*inst, "oob_b", {Value::I32(0x1fff0)});  // 0x20000: at the end of memory 1
  ASSERT_TRUE(r.trap);
  EXPECT_EQ(r.trap->code, TrapCode::kMemoryOutOfBounds);
  if (!GetParam()) {
    ASSERT_TRUE(r.trap->fault);
    EXPECT_EQ(r.trap->fault->memory_index, 1u);
    EXPECT_EQ(r.trap->fault->wasm_address, 0x20000u);
    EXPECT_EQ(r.trap->fault->memory_size, 0x20000u);
  }
}

// The default pool (one memory per instance) refuses a module defining two, naming the limit.
TEST_P(PoolWasm3, MultiMemoryRefusedByTheDefault) {
  auto pool = MakePool(1);
  ASSERT_NE(pool, nullptr);
  StoreOptions o;
  o.allocator = pool;
  Store store(o);
  auto inst = Inst(store, kTwoMemories);
  ASSERT_FALSE(inst.ok());
  EXPECT_NE(inst.error().message.find("module defines 2 memories; the pool allows 1 per instance"),
            std::string::npos)
      << inst.error().message;
}

INSTANTIATE_TEST_SUITE_P(Modes, PoolWasm3, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& i) {
                           return i.param ? "Uffd" : "Plain";
                         });

}  // namespace
}  // namespace wt::runtime
