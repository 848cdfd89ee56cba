// The pooling instance allocator (plain and with userfaultfd): limits, slot reuse, no leaks
// between instances, data segments, out-of-bounds traps around memory.grow.
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <string>
#include <thread>

#include "runtime/instance_data.h"
#include "runtime/pool/allocator.h"
#include "runtime_test_util.h"

namespace wt::runtime {
namespace {

using testing::Load;

// A module with one memory of `pages` pages (max `max`), load/store/grow/size exports and the
// data segment `data` at `offset`.
std::string MemModule(int pages, std::string data = "", int offset = 0, int max = 100) {
  std::string m = "(module (memory (export \"mem\") " + std::to_string(pages) + " " +
                  std::to_string(max) +
                  ")\n"
                  "(func (export \"load\") (param i32) (result i32) (i32.load8_u (local.get 0)))\n"
                  "(func (export \"store\") (param i32 i32) (i32.store8 (local.get 0) (local.get "
                  "1)))\n"
                  "(func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))\n"
                  "(func (export \"size\") (result i32) (memory.size))\n";
  if (!data.empty()) {
    m += "(data (i32.const " + std::to_string(offset) + ") \"" + data + "\")\n";
  }
  return m + ")";
}

class PoolTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    PoolConfig c;
    c.instances = 4;
    c.memory_size = 1 << 20;  // 16 pages
    c.table_elements = 100;
    c.tables_per_instance = 2;
    c.uffd = GetParam();
    auto p = CreatePoolingAllocator(c);
    ASSERT_TRUE(p.ok()) << p.error().ToString();
    pool_ = *p;
    options_.allocator = pool_;
  }

  uint32_t InUse() { return GetPoolStats(*pool_)->in_use; }

  // Instantiates `wat` in `store`.
  Result<Instance*> Inst(Store& store, std::string_view wat, Trap* trap = nullptr) {
    auto loaded = Load(wat);
    if (!loaded) return MakeError(ErrorKind::kInvalid, "bad test module");
    return linker_.Instantiate(store, loaded, trap);
  }

  static uint32_t Call(Instance* inst, const char* name, std::vector<Value> args = {}) {
    auto r = Invoke(*inst->data().store, *inst->GetFunc(name), args);
    EXPECT_TRUE(r.ok());
    EXPECT_FALSE(r->trap) << name << " trapped";
    return r->results.empty() ? 0 : r->results[0].i32();
  }
  static std::optional<TrapCode> TrapOf(Instance* inst, const char* name, std::vector<Value> args) {
    auto r = Invoke(*inst->data().store, *inst->GetFunc(name), args);
    EXPECT_TRUE(r.ok());
    if (!r->trap) return std::nullopt;
    return r->trap->code;
  }

  std::shared_ptr<InstanceAllocator> pool_;
  StoreOptions options_;
  Linker linker_;
};

TEST_P(PoolTest, UsesUffdWhenAskedAndAvailable) {
  // This machine runs the tests as root (or allows unprivileged userfaultfd).
  EXPECT_EQ(GetPoolStats(*pool_)->uffd, GetParam());
}

TEST_P(PoolTest, ExhaustionIsAnErrorAndSlotsComeBack) {
  auto stores = std::make_unique<std::vector<std::unique_ptr<Store>>>();
  for (int i = 0; i < 4; ++i) {
    stores->push_back(std::make_unique<Store>(options_));
    ASSERT_TRUE(Inst(*stores->back(), MemModule(1)).ok());
  }
  EXPECT_EQ(InUse(), 4u);
  Store extra(options_);
  auto r = Inst(extra, MemModule(1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUninstantiable);
  EXPECT_NE(r.error().message.find("pool is exhausted"), std::string::npos);
  // A module without memories or tables takes no slot.
  EXPECT_TRUE(Inst(extra, "(module (func (export \"f\")))").ok());
  stores->pop_back();
  EXPECT_EQ(InUse(), 3u);
  EXPECT_TRUE(Inst(extra, MemModule(1)).ok());
  stores.reset();
  EXPECT_EQ(InUse(), 1u);
}

TEST_P(PoolTest, LimitsAreInstantiationErrors) {
  Store store(options_);
  auto big = Inst(store, MemModule(17));  // the pool's memories hold 16 pages
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().kind, ErrorKind::kUninstantiable);
  EXPECT_NE(big.error().message.find("--pool-memory-size"), std::string::npos);
  auto table = Inst(store, "(module (table 101 funcref))");
  ASSERT_FALSE(table.ok());
  EXPECT_NE(table.error().message.find("--pool-table-elements"), std::string::npos);
  auto tables = Inst(store, "(module (table 1 funcref) (table 1 funcref) (table 1 funcref))");
  ASSERT_FALSE(tables.ok());
  EXPECT_NE(tables.error().message.find("3 tables"), std::string::npos);
  // Growth stops at the pool's memory size.
  auto ok = Inst(store, MemModule(15, "", 0, 65536));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(Call(*ok, "grow", {Value::I32(1)}), 15u);
  EXPECT_EQ(Call(*ok, "grow", {Value::I32(1)}), 0xffffffffu);
  // Failed instantiations keep their slots until the store dies (the one with 3 tables was
  // refused before taking one).
  EXPECT_EQ(InUse(), 3u);
}

TEST_P(PoolTest, StoreLimitsApply) {
  StoreOptions o = options_;
  o.limits.max_memory_bytes = 2 * 65536;
  o.limits.max_table_elements = 5;
  Store store(o);
  auto m = Inst(store, MemModule(1));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(Call(*m, "grow", {Value::I32(1)}), 1u);
  EXPECT_EQ(Call(*m, "grow", {Value::I32(1)}), 0xffffffffu);
  auto big = Inst(store, MemModule(3));
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.error().message.find("memory limit"), std::string::npos);
  auto t = Inst(store, "(module (table 6 funcref))");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("table element limit"), std::string::npos);
}

TEST_P(PoolTest, SlotReusableAfterTrap) {
  for (int round = 0; round < 6; ++round) {
    Store store(options_);
    auto inst = Inst(store, MemModule(1));
    ASSERT_TRUE(inst.ok()) << inst.error().ToString();
    EXPECT_EQ(TrapOf(*inst, "load", {Value::I32(65536)}), TrapCode::kMemoryOutOfBounds);
    Call(*inst, "store", {Value::I32(5), Value::I32(round + 1)});
    EXPECT_EQ(Call(*inst, "load", {Value::I32(5)}), static_cast<uint32_t>(round + 1));
  }
  EXPECT_EQ(InUse(), 0u);
}

TEST_P(PoolTest, NoLeakBetweenInstancesOfOneSlot) {
  // One LoadedModule: its instances share an image and prefer the slot it used last.
  auto loaded = Load(MemModule(1, "hello", 100));
  ASSERT_TRUE(loaded);
  for (int round = 0; round < 3; ++round) {
    Store store(options_);
    auto inst = linker_.Instantiate(store, loaded);
    ASSERT_TRUE(inst.ok());
    EXPECT_EQ(Call(*inst, "size"), 1u);
    EXPECT_EQ(Call(*inst, "load", {Value::I32(100)}), static_cast<uint32_t>('h'));
    for (uint32_t a : {0u, 100u, 4096u, 65535u})
      EXPECT_EQ(Call(*inst, "load", {Value::I32(a)}), 0u + (a == 100 ? 'h' : 0));
    // Write secrets, also in grown memory.
    EXPECT_EQ(Call(*inst, "grow", {Value::I32(2)}), 1u);
    for (uint32_t a : {0u, 100u, 4096u, 65535u, 65536u, 3u * 65536 - 1}) {
      Call(*inst, "store", {Value::I32(a), Value::I32(0x5e)});
    }
  }
  // Another module in the same (only used) slot sees zeros where the first one's image was.
  Store store(options_);
  auto other = Inst(store, MemModule(1));
  ASSERT_TRUE(other.ok());
  for (uint32_t a : {0u, 100u, 101u, 4096u, 65535u}) {
    EXPECT_EQ(Call(*other, "load", {Value::I32(a)}), 0u) << a;
  }
  EXPECT_EQ(TrapOf(*other, "load", {Value::I32(65536)}), TrapCode::kMemoryOutOfBounds);
  EXPECT_GE(GetPoolStats(*pool_)->reused_warm, 2u);
}

TEST_P(PoolTest, DataSegmentsAreRight) {
  // Segments across page boundaries, overlapping (the later wins), and a non-constant one.
  std::string wat =
      "(module (global $g (import \"env\" \"g\") i32)"
      "(memory (export \"mem\") 2)"
      "(data (i32.const 4094) \"abcdef\")"
      "(data (i32.const 4096) \"XY\")"
      "(data (i32.const 65535) \"z\")"
      "(data (i32.const 70000) \"\\01\\02\"))";
  Store store(options_);
  auto g = store.NewGlobal(wasm::GlobalType{wasm::ValType::I32(), false}, Value::I32(9000));
  ASSERT_TRUE(g.ok());
  linker_.Define("env", "g", *g);
  for (int round = 0; round < 2; ++round) {
    Store s(options_);
    auto inst = Inst(s, wat);
    ASSERT_TRUE(inst.ok()) << inst.error().ToString();
    const uint8_t* mem = (*inst)->GetMemory("mem")->data();
    EXPECT_EQ(std::memcmp(mem + 4094, "abXYef", 6), 0);
    EXPECT_EQ(mem[65535], 'z');
    EXPECT_EQ(mem[70000], 1);
    EXPECT_EQ(mem[70001], 2);
    EXPECT_EQ(mem[0], 0);
    EXPECT_EQ(mem[131071], 0);
  }
  // A segment at a global's offset: the linker copies it.
  Store s2(options_);
  auto inst = Inst(s2,
                   "(module (global $g (import \"env\" \"g\") i32) (memory (export \"mem\") 1)"
                   "(data (global.get $g) \"q\") (data (i32.const 1) \"r\"))");
  ASSERT_TRUE(inst.ok()) << inst.error().ToString();
  EXPECT_EQ((*inst)->GetMemory("mem")->data()[9000], 'q');
  EXPECT_EQ((*inst)->GetMemory("mem")->data()[1], 'r');
  // A large segment: 1 MiB is too big for this pool's memories, 512 KiB fits.
  std::string big(8 * 65536, 'x');
  auto binst = Inst(s2, MemModule(8, big, 0));
  ASSERT_TRUE(binst.ok());
  const uint8_t* bm = (*binst)->GetMemory("mem")->data();
  EXPECT_EQ(bm[0], 'x');
  EXPECT_EQ(bm[8 * 65536 - 1], 'x');
  EXPECT_EQ(std::count(bm, bm + 8 * 65536, 'x'), 8 * 65536);
}

TEST_P(PoolTest, OutOfBoundsTrapsAroundGrow) {
  for (int round = 0; round < 2; ++round) {
    Store store(options_);
    auto inst = Inst(store, MemModule(1, "k", 65535));
    ASSERT_TRUE(inst.ok());
    EXPECT_EQ(Call(*inst, "load", {Value::I32(65535)}), static_cast<uint32_t>('k'));
    // Past the size: the page is a guard (under uffd: made inaccessible by the handler).
    EXPECT_EQ(TrapOf(*inst, "load", {Value::I32(65536)}), TrapCode::kMemoryOutOfBounds);
    EXPECT_EQ(TrapOf(*inst, "store", {Value::I32(70000), Value::I32(1)}),
              TrapCode::kMemoryOutOfBounds);
    EXPECT_EQ(TrapOf(*inst, "load", {Value::I32(65536)}), TrapCode::kMemoryOutOfBounds);
    EXPECT_EQ(Call(*inst, "grow", {Value::I32(1)}), 1u);
    // The same pages are memory now (zero), the next page is the guard.
    EXPECT_EQ(Call(*inst, "load", {Value::I32(65536)}), 0u);
    EXPECT_EQ(Call(*inst, "load", {Value::I32(70000)}), 0u);
    Call(*inst, "store", {Value::I32(70000), Value::I32(7)});
    EXPECT_EQ(Call(*inst, "load", {Value::I32(70000)}), 7u);
    EXPECT_EQ(TrapOf(*inst, "load", {Value::I32(131072)}), TrapCode::kMemoryOutOfBounds);
    EXPECT_EQ(TrapOf(*inst, "load", {Value::I32(0xfffffff0u)}), TrapCode::kMemoryOutOfBounds);
  }
}

TEST_P(PoolTest, FailedInstantiationHidesTheImage) {
  // Element segment 0 puts `read` in an imported table, segment 1 is out of bounds: the data
  // segment is never applied, and `read` (reachable through the table) sees zeros.
  Store store(options_);
  auto table = store.NewTable(wasm::TableType{wasm::ValType::FuncRef(), {1, 1}});
  ASSERT_TRUE(table.ok());
  linker_.Define("env", "t", *table);
  const char* wat =
      "(module (import \"env\" \"t\" (table 1 funcref)) (memory 1)"
      "(func $read (result i32) (i32.load8_u (i32.const 10)))"
      "(elem (i32.const 0) $read) (elem (i32.const 1) $read)"
      "(data (i32.const 10) \"S\"))";
  for (int round = 0; round < 2; ++round) {
    Trap trap;
    auto r = Inst(store, wat, &trap);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(trap.code, TrapCode::kTableOutOfBounds);
    auto f = (*table)->Get(0);
    ASSERT_TRUE(f && *f);
    auto v = Invoke(store, *Func::FromRef(static_cast<FuncRef*>(*f)), {});
    ASSERT_TRUE(v.ok());
    ASSERT_FALSE(v->trap);
    EXPECT_EQ(v->results[0].i32(), 0u);
  }
}

TEST_P(PoolTest, TablesLiveInTheSlot) {
  Store store(options_);
  auto inst = Inst(store,
                   "(module (table (export \"t\") 2 10 funcref) (func $f (result i32) "
                   "(i32.const 7)) (elem (i32.const 1) $f)"
                   "(func (export \"call\") (param i32) (result i32) (call_indirect (result i32) "
                   "(local.get 0)))"
                   "(func (export \"grow\") (param i32) (result i32) (table.grow (ref.null func) "
                   "(local.get 0))))");
  ASSERT_TRUE(inst.ok()) << inst.error().ToString();
  EXPECT_EQ(Call(*inst, "call", {Value::I32(1)}), 7u);
  EXPECT_EQ(TrapOf(*inst, "call", {Value::I32(0)}), TrapCode::kUninitializedElement);
  EXPECT_EQ(Call(*inst, "grow", {Value::I32(8)}), 2u);
  EXPECT_EQ(Call(*inst, "grow", {Value::I32(1)}), 0xffffffffu);
  EXPECT_EQ((*inst)->GetTable("t")->size(), 10u);
  EXPECT_EQ(InUse(), 1u);
}

TEST_P(PoolTest, SharedByStoresOnSeveralThreads) {
  // Four threads, one store at a time each, share the pool's four slots and one module.
  auto loaded = Load(MemModule(1, "t", 7));
  ASSERT_TRUE(loaded);
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Linker linker;
      for (int i = 0; i < 50; ++i) {
        Store store(options_);
        auto inst = linker.Instantiate(store, loaded);
        if (!inst.ok()) return;
        Func* load = (*inst)->GetFunc("load");
        Func* st = (*inst)->GetFunc("store");
        auto a = Invoke(store, *load, std::vector<Value>{Value::I32(7)});
        auto z = Invoke(store, *load, std::vector<Value>{Value::I32(100)});
        auto w = Invoke(store, *st, std::vector<Value>{Value::I32(100), Value::I32(t + 1)});
        auto oob = Invoke(store, *load, std::vector<Value>{Value::I32(65536)});
        if (a.ok() && !a->trap && a->results[0].i32() == 't' && z.ok() && !z->trap &&
            z->results[0].i32() == 0 && w.ok() && !w->trap && oob.ok() && oob->trap) {
          ++good;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(good.load(), 200);
  EXPECT_EQ(InUse(), 0u);
}

INSTANTIATE_TEST_SUITE_P(PlainAndUffd, PoolTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Uffd" : "Plain"; });

TEST(OnDemandLimits, StoreLimitsApply) {
  StoreOptions o;
  o.limits.max_memory_bytes = 65536;
  o.limits.max_table_elements = 3;
  Store store(o);
  Linker linker;
  auto m = store.NewMemory(wasm::MemoryType{{1, std::nullopt}});
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE((*m)->Grow(1));
  EXPECT_FALSE(store.NewMemory(wasm::MemoryType{{2, std::nullopt}}).ok());
  auto inst = linker.Instantiate(store, Load(MemModule(2)));
  ASSERT_FALSE(inst.ok());
  EXPECT_EQ(inst.error().kind, ErrorKind::kUninstantiable);
  auto t = linker.Instantiate(store, Load("(module (table 4 funcref))"));
  ASSERT_FALSE(t.ok());
  auto t3 = store.NewTable(wasm::TableType{wasm::ValType::FuncRef(), {3, std::nullopt}});
  ASSERT_TRUE(t3.ok());
  EXPECT_FALSE((*t3)->Grow(1, nullptr));
}

}  // namespace
}  // namespace wt::runtime
