// [limits] Bulk operations under fuel and timeouts (docs/traps-limits.md, "Bulk operations"):
// memory.fill/copy/init and table.fill/copy/init charge fuel by size (code compiled with
// consume_fuel), and work in chunks checking the epoch deadline between them (code compiled
// with epoch_interruption). No timings: the interrupt is forced by a host function that moves
// the store's deadline into the past right before the bulk operation.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "interrupt_test_util.h"
#include "runtime/builtins.h"
#include "runtime_test_util.h"

namespace wt::runtime {
namespace {

using testing::LoadWith;
using testing::Sig;

constexpr uint32_t kMiB = 1 << 20;
constexpr uint32_t kTableSize = 1200000;  // more than two table chunks

// 20 MiB of memory, a big funcref table, a passive data segment of 200 bytes and a passive
// element segment of 10 functions. `expire` (imported) puts the store's deadline in the past.
constexpr std::string_view kModule = R"((module
  (import "env" "expire" (func $expire))
  (memory (export "mem") 320)
  (table $t (export "tab") 1200000 funcref)
  (global $iters (export "iters") (mut i32) (i32.const 0))
  (data $d "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij"
           "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij")
  (elem $e func $f $f $f $f $f $f $f $f $f $f)
  (func $f)
  (func (export "fill") (param $dst i32) (param $n i32)
    (memory.fill (local.get $dst) (i32.const 7) (local.get $n)))
  (func (export "copy") (param $dst i32) (param $src i32) (param $n i32)
    (memory.copy (local.get $dst) (local.get $src) (local.get $n)))
  (func (export "init") (param $dst i32) (param $n i32)
    (memory.init $d (local.get $dst) (i32.const 0) (local.get $n)))
  (func (export "tfill") (param $dst i32) (param $n i32)
    (table.fill $t (local.get $dst) (ref.func $f) (local.get $n)))
  (func (export "tcopy") (param $dst i32) (param $src i32) (param $n i32)
    (table.copy $t $t (local.get $dst) (local.get $src) (local.get $n)))
  (func (export "tinit") (param $dst i32) (param $n i32)
    (table.init $t $e (local.get $dst) (i32.const 0) (local.get $n)))
  (func (export "expire_fill") (param $n i32)
    (call $expire)
    (memory.fill (i32.const 0) (i32.const 7) (local.get $n)))
  (func (export "expire_copy") (param $dst i32) (param $src i32) (param $n i32)
    (call $expire)
    (memory.copy (local.get $dst) (local.get $src) (local.get $n)))
  (func (export "expire_tfill") (param $n i32)
    (call $expire)
    (table.fill $t (i32.const 0) (ref.func $f) (local.get $n)))
  ;; The issue's loop: fills of $n bytes until $count of them are done.
  (func (export "fill_loop") (param $n i32) (param $count i32) (result i32)
    (loop $l
      (memory.fill (i32.const 0) (i32.const 7) (local.get $n))
      (global.set $iters (i32.add (global.get $iters) (i32.const 1)))
      (br_if $l (i32.lt_u (global.get $iters) (local.get $count))))
    (global.get $iters))
))";

uint32_t Expire(void*, VMContext* caller, ValueSlot*) noexcept {
  caller->store_ctx->epoch_deadline = 0;  // the counter is >= 0: the deadline has passed
  return 0;
}

// An instance of kModule in a store of its own (no timeout: `expire` is the only way the
// deadline passes).
struct Bulk {
  Bulk(std::shared_ptr<LoadedModule> module, const StoreOptions& options = {}) : store(options) {
    linker.Define("env", "expire", store.NewHostFunc(Sig({}, {}), Expire, nullptr));
    if (!module) return;
    auto i = linker.Instantiate(store, module);
    EXPECT_TRUE(i.ok()) << i.error().ToString();
    if (i.ok()) inst = *i;
  }
  std::optional<TrapCode> Call(std::string_view name, std::vector<uint32_t> args) {
    std::vector<Value> values;
    for (uint32_t a : args) values.push_back(Value::I32(a));
    Func* f = inst ? inst->GetFunc(name) : nullptr;
    EXPECT_NE(f, nullptr) << name;
    if (!f) return TrapCode::kHostError;
    auto r = Invoke(store, *f, values);
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    if (!r.ok()) return TrapCode::kHostError;
    if (r->trap) return r->trap->code;
    return std::nullopt;
  }
  uint8_t* mem() { return inst->GetMemory("mem")->data(); }
  void** tab() { return inst->GetTable("tab")->elems(); }
  int64_t fuel_consumed() { return store.data().store_ctx.fuel_consumed; }

  Store store;
  Linker linker;
  Instance* inst = nullptr;
};

constexpr uint64_t kAmple = uint64_t{1} << 40;

StoreOptions Fuel(uint64_t budget) {
  StoreOptions o;
  o.fuel = budget;
  return o;
}

// The fuel a call consumes with an ample budget.
int64_t CostOf(const std::shared_ptr<LoadedModule>& m, std::string_view name,
               std::vector<uint32_t> args) {
  Bulk b(m, Fuel(kAmple));
  EXPECT_EQ(b.Call(name, std::move(args)), std::nullopt) << name;
  return b.fuel_consumed() + static_cast<int64_t>(kAmple);
}

TEST(BulkLimits, FuelIsChargedBySize) {
  auto m = LoadWith(kModule, /*fuel=*/true, /*epochs=*/false);
  ASSERT_NE(m, nullptr);
  struct Case {
    const char* name;
    std::vector<uint32_t> zero;  // the same call with n = 0
    std::vector<uint32_t> args;
    int64_t extra;  // what the size adds
  } cases[] = {
      {"fill", {0, 0}, {0, 1}, 1},  // 1 unit per 64 bytes started
      {"fill", {0, 0}, {0, 64}, 1},
      {"fill", {0, 0}, {0, 65}, 2},
      {"fill", {0, 0}, {100, 6400}, 100},
      {"fill", {0, 0}, {0, 16 * kMiB}, 262144},
      {"copy", {0, 0, 0}, {1000, 0, 640}, 10},
      {"copy", {0, 0, 0}, {0, 1, 129}, 3},
      {"init", {0, 0}, {0, 200}, 4},
      {"tfill", {0, 0}, {5, 7}, 7},  // 1 unit per element
      {"tfill", {0, 0}, {0, kTableSize}, kTableSize},
      {"tcopy", {0, 0, 0}, {0, 100, 50}, 50},
      {"tinit", {0, 0}, {3, 10}, 10},
  };
  for (const Case& c : cases) {
    const int64_t base = CostOf(m, c.name, c.zero);
    ASSERT_GT(base, 0) << c.name;
    EXPECT_EQ(CostOf(m, c.name, c.args) - base, c.extra) << c.name << " n=" << c.args.back();
    EXPECT_EQ(BulkFuel(std::string_view(c.name).starts_with("t") ? BulkOp::kTableFill
                                                                 : BulkOp::kMemoryFill,
                       c.args.back()),
              static_cast<uint64_t>(c.extra))
        << c.name;
  }
}

TEST(BulkLimits, ExactBudgetFillsOneLessTrapsBeforeWriting) {
  auto m = LoadWith(kModule, /*fuel=*/true, /*epochs=*/false);
  ASSERT_NE(m, nullptr);
  const int64_t cost = CostOf(m, "fill", {0, 6400});
  {
    Bulk b(m, Fuel(static_cast<uint64_t>(cost)));
    EXPECT_EQ(b.Call("fill", {0, 6400}), std::nullopt);
    EXPECT_EQ(b.fuel_consumed(), 0);
    EXPECT_EQ(b.mem()[6399], 7);
  }
  {
    Bulk b(m, Fuel(static_cast<uint64_t>(cost - 1)));
    EXPECT_EQ(b.Call("fill", {0, 6400}), TrapCode::kOutOfFuel);
    // Charged before anything is written: nothing was.
    EXPECT_EQ(b.mem()[0], 0);
    EXPECT_EQ(b.mem()[6399], 0);
    // Out of fuel stays out of fuel.
    EXPECT_EQ(b.Call("fill", {0, 0}), TrapCode::kOutOfFuel);
  }
  {
    const int64_t tcost = CostOf(m, "tfill", {0, 1000});
    Bulk b(m, Fuel(static_cast<uint64_t>(tcost - 1)));
    EXPECT_EQ(b.Call("tfill", {0, 1000}), TrapCode::kOutOfFuel);
    EXPECT_EQ(b.tab()[0], nullptr);
  }
}

TEST(BulkLimits, BoundsAreCheckedBeforeFuel) {
  auto m = LoadWith(kModule, /*fuel=*/true, /*epochs=*/false);
  ASSERT_NE(m, nullptr);
  const int64_t base = CostOf(m, "fill", {0, 0});
  Bulk b(m, Fuel(static_cast<uint64_t>(base) + 10));
  // Out of bounds and far beyond the budget: the bounds trap, nothing charged for the size.
  EXPECT_EQ(b.Call("fill", {20 * kMiB - 10, 11 * kMiB}), TrapCode::kMemoryOutOfBounds);
  EXPECT_EQ(b.fuel_consumed(), -10);
  EXPECT_EQ(b.mem()[20 * kMiB - 1], 0);
}

// The issue's report: a loop of large fills ran on under --fuel 1000 (each fill cost one
// instruction). Now the first fill needs 262144 units: not one completes.
TEST(BulkLimits, LoopOfLargeFillsRunsOutOfFuelAtTheFirstFill) {
  auto m = LoadWith(kModule, /*fuel=*/true, /*epochs=*/false);
  ASSERT_NE(m, nullptr);
  Bulk b(m, Fuel(1000));
  EXPECT_EQ(b.Call("fill_loop", {16 * kMiB, 1000000}), TrapCode::kOutOfFuel);
  EXPECT_EQ(b.inst->GetGlobal("iters")->Get().i32(), 0u);
  EXPECT_EQ(b.mem()[0], 0);
}

TEST(BulkLimits, FillIsInterruptedBetweenChunks) {
  auto m = LoadWith(kModule, /*fuel=*/false, /*epochs=*/true);
  ASSERT_NE(m, nullptr);
  Bulk b(m);
  // 16 MiB = 4 chunks: the first is written, then the deadline (already past) stops it.
  EXPECT_EQ(b.Call("expire_fill", {16 * kMiB}), TrapCode::kInterrupt);
  EXPECT_EQ(b.mem()[0], 7);
  EXPECT_EQ(b.mem()[kBulkChunkBytes - 1], 7);
  EXPECT_EQ(b.mem()[kBulkChunkBytes], 0);
  EXPECT_EQ(b.mem()[16 * kMiB - 1], 0);
}

TEST(BulkLimits, FillWithinOneChunkCompletes) {
  auto m = LoadWith(kModule, /*fuel=*/false, /*epochs=*/true);
  ASSERT_NE(m, nullptr);
  Bulk b(m);
  EXPECT_EQ(b.Call("expire_fill", {static_cast<uint32_t>(kBulkChunkBytes)}), std::nullopt);
  EXPECT_EQ(b.mem()[kBulkChunkBytes - 1], 7);
}

TEST(BulkLimits, OverlappingCopyIsInterruptedFromTheHighEnd) {
  auto m = LoadWith(kModule, /*fuel=*/false, /*epochs=*/true);
  ASSERT_NE(m, nullptr);
  Bulk b(m);
  uint8_t* mem = b.mem();
  for (uint32_t i = 0; i < 12 * kMiB; ++i) mem[i] = static_cast<uint8_t>(i % 251 + 1);
  // dst > src, overlapping: memmove's order copies the highest chunk first.
  const uint32_t n = 12 * kMiB;
  EXPECT_EQ(b.Call("expire_copy", {kMiB, 0, n}), TrapCode::kInterrupt);
  const uint32_t last = kMiB + n - 1;
  EXPECT_EQ(mem[last], static_cast<uint8_t>((n - 1) % 251 + 1));  // copied
  EXPECT_EQ(mem[kMiB], static_cast<uint8_t>(kMiB % 251 + 1));     // not yet copied
  // The copied chunk starts there; below it, the bytes are still the original ones.
  EXPECT_EQ(mem[kMiB + n - kBulkChunkBytes], static_cast<uint8_t>((n - kBulkChunkBytes) % 251 + 1));
  EXPECT_EQ(mem[kMiB + n - kBulkChunkBytes - 1],
            static_cast<uint8_t>((kMiB + n - kBulkChunkBytes - 1) % 251 + 1));
}

TEST(BulkLimits, TableFillIsInterruptedBetweenChunks) {
  auto m = LoadWith(kModule, /*fuel=*/false, /*epochs=*/true);
  ASSERT_NE(m, nullptr);
  Bulk b(m);
  EXPECT_EQ(b.Call("expire_tfill", {kTableSize}), TrapCode::kInterrupt);
  EXPECT_NE(b.tab()[0], nullptr);
  EXPECT_EQ(b.tab()[kTableSize - 1], nullptr);
}

// Without epoch_interruption the plain builtins run: no checks, the fill completes.
TEST(BulkLimits, NoChecksWithoutTheOptions) {
  auto m = LoadWith(kModule, /*fuel=*/false, /*epochs=*/false);
  ASSERT_NE(m, nullptr);
  Bulk b(m);
  EXPECT_EQ(b.Call("expire_fill", {16 * kMiB}), std::nullopt);
  EXPECT_EQ(b.mem()[16 * kMiB - 1], 7);
  EXPECT_EQ(BulkBuiltin(BulkOp::kMemoryFill, false, false),
            reinterpret_cast<const void*>(&wt_memory_fill));
  EXPECT_NE(BulkBuiltin(BulkOp::kMemoryFill, true, false),
            reinterpret_cast<const void*>(&wt_memory_fill));
}

// Chunked copies give memmove's result in both directions, for memory and tables.
TEST(BulkLimits, ChunkedCopiesMatchMemmove) {
  auto m = LoadWith(kModule, /*fuel=*/true, /*epochs=*/true);
  ASSERT_NE(m, nullptr);
  struct Case {
    uint32_t dst, src, n;
  } cases[] = {{kMiB, 0, 9 * kMiB + 5}, {0, kMiB + 3, 9 * kMiB + 5}, {10 * kMiB, 1, 9 * kMiB}};
  for (const Case& c : cases) {
    Bulk b(m, Fuel(kAmple));
    uint8_t* mem = b.mem();
    for (uint32_t i = 0; i < 20 * kMiB; ++i) mem[i] = static_cast<uint8_t>(i * 7 + i / 251);
    std::vector<uint8_t> want(mem, mem + 20 * kMiB);
    std::memmove(want.data() + c.dst, want.data() + c.src, c.n);
    EXPECT_EQ(b.Call("copy", {c.dst, c.src, c.n}), std::nullopt);
    EXPECT_EQ(std::memcmp(mem, want.data(), want.size()), 0) << c.dst << " " << c.src;
  }
  struct TCase {
    uint32_t dst, src, n;
  } tcases[] = {{100000, 0, 1100000}, {0, 99999, 1100000}};
  for (const TCase& c : tcases) {
    Bulk b(m, Fuel(kAmple));
    void** tab = b.tab();
    // Any bit patterns: a funcref table.copy moves them without looking at them.
    for (uint32_t i = 0; i < kTableSize; ++i)
      tab[i] = reinterpret_cast<void*>(uintptr_t{i} * 8 + 8);
    std::vector<void*> want(tab, tab + kTableSize);
    std::memmove(want.data() + c.dst, want.data() + c.src, c.n * sizeof(void*));
    EXPECT_EQ(b.Call("tcopy", {c.dst, c.src, c.n}), std::nullopt);
    EXPECT_TRUE(std::equal(want.begin(), want.end(), tab)) << c.dst << " " << c.src;
    std::fill_n(tab, kTableSize, nullptr);
  }
}

}  // namespace
}  // namespace wt::runtime
