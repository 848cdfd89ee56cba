// Fuel (--fuel): code compiled with CompileOptions::consume_fuel charges every basic block its
// number of wasm instructions at its entry and traps "all fuel consumed" past the budget.
#include <gtest/gtest.h>

#include "interrupt_test_util.h"

namespace wt::runtime {
namespace {

using testing::Guest;
using testing::LoadWith;
using testing::WithFuel;

// Counts to $n in a loop, recording progress in the exported global; plus a recursive fib and
// a br_table / if-else mix, so every kind of block boundary is charged.
constexpr std::string_view kProgram = R"((module
  (global $progress (export "progress") (mut i32) (i32.const 0))
  (func (export "count") (param $n i32) (result i32)
    (local $i i32)
    (block $done
      (loop $top
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (global.set $progress (local.get $i))
        (br $top)))
    (local.get $i))
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  (func (export "mix") (param $n i32) (result i32)
    (local $acc i32)
    (loop $l
      (block $b2 (block $b1 (block $b0
        (br_table $b0 $b1 $b2 (i32.rem_u (local.get $n) (i32.const 3))))
        (local.set $acc (i32.add (local.get $acc) (i32.const 1))) (br $b2))
        (local.set $acc (i32.mul (local.get $acc) (i32.const 3))))
      (if (i32.and (local.get $n) (i32.const 1))
        (then (local.set $acc (i32.xor (local.get $acc) (local.get $n)))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc))
  (func (export "spin") (loop $l (br $l)))
))";

// The fuel a call consumes with an ample budget.
int64_t CostOf(const std::shared_ptr<LoadedModule>& m, std::string_view name, uint32_t arg) {
  const uint64_t kBudget = uint64_t{1} << 40;
  Guest g(m, WithFuel(kBudget));
  std::vector<Value> results;
  EXPECT_EQ(g.Call(name, {Value::I32(arg)}, &results), std::nullopt);
  return g.fuel_consumed() + static_cast<int64_t>(kBudget);
}

TEST(Fuel, ExactBudgetCompletesOneLessTraps) {
  auto m = LoadWith(kProgram, /*fuel=*/true, /*epochs=*/false);
  ASSERT_NE(m, nullptr);
  struct Case {
    const char* name;
    uint32_t arg;
    uint32_t result;
  } cases[] = {{"count", 1000, 1000}, {"fib", 15, 610}, {"mix", 100, 0}};
  for (const Case& c : cases) {
    int64_t cost = CostOf(m, c.name, c.arg);
    ASSERT_GT(cost, 0) << c.name;
    {
      Guest g(m, WithFuel(static_cast<uint64_t>(cost)));
      std::vector<Value> results;
      EXPECT_EQ(g.Call(c.name, {Value::I32(c.arg)}, &results), std::nullopt) << c.name;
      if (c.result != 0 && !results.empty()) {
        EXPECT_EQ(results[0].i32(), c.result) << c.name;
      }
      EXPECT_EQ(g.fuel_consumed(), 0) << c.name;  // every unit used
    }
    {
      Guest g(m, WithFuel(static_cast<uint64_t>(cost - 1)));
      EXPECT_EQ(g.Call(c.name, {Value::I32(c.arg)}), TrapCode::kOutOfFuel) << c.name;
    }
  }
}

TEST(Fuel, CostIsLinearInTheWorkDone) {
  auto m = LoadWith(kProgram, true, false);
  ASSERT_NE(m, nullptr);
  int64_t c0 = CostOf(m, "count", 0);
  int64_t c100 = CostOf(m, "count", 100);
  int64_t c200 = CostOf(m, "count", 200);
  EXPECT_GT(c100, c0);
  EXPECT_EQ(c200 - c100, c100 - c0);  // a fixed cost per iteration
  // At least one unit per wasm instruction of the loop body (9 instructions per iteration).
  EXPECT_GE((c100 - c0) / 100, 9);
  // fib: the cost follows the number of calls, fib(n+2) calls = fib(n+1) calls + fib(n) calls + 1.
  int64_t f10 = CostOf(m, "fib", 10), f11 = CostOf(m, "fib", 11), f12 = CostOf(m, "fib", 12);
  EXPECT_GT(f12, f11 + f10);
}

TEST(Fuel, TheSameBudgetStopsAtTheSamePoint) {
  auto m = LoadWith(kProgram, true, false);
  ASSERT_NE(m, nullptr);
  for (uint64_t budget : {50u, 333u, 5000u, 12345u}) {
    uint32_t progress[3];
    for (uint32_t& p : progress) {
      Guest g(m, WithFuel(budget));
      EXPECT_EQ(g.Call("count", {Value::I32(1000000)}), TrapCode::kOutOfFuel);
      p = g.inst->GetGlobal("progress")->Get().i32();
      EXPECT_GT(g.fuel_consumed(), 0);
    }
    EXPECT_EQ(progress[0], progress[1]) << budget;
    EXPECT_EQ(progress[1], progress[2]) << budget;
  }
  // More fuel, more progress.
  Guest small(m, WithFuel(1000)), large(m, WithFuel(2000));
  small.Call("count", {Value::I32(1000000)});
  large.Call("count", {Value::I32(1000000)});
  EXPECT_GT(large.inst->GetGlobal("progress")->Get().i32(),
            small.inst->GetGlobal("progress")->Get().i32());
}

TEST(Fuel, InfiniteLoopRunsOutOfFuel) {
  auto m = LoadWith(kProgram, true, false);
  ASSERT_NE(m, nullptr);
  Guest g(m, WithFuel(1000000));
  EXPECT_EQ(g.Call("spin"), TrapCode::kOutOfFuel);
  // The store stays out of fuel; other calls trap too.
  EXPECT_EQ(g.Call("fib", {Value::I32(3)}), TrapCode::kOutOfFuel);
  Guest empty(m, WithFuel(0));
  EXPECT_EQ(empty.Call("fib", {Value::I32(1)}), TrapCode::kOutOfFuel);
}

TEST(Fuel, StoreWithoutBudgetIsUnlimited) {
  auto m = LoadWith(kProgram, true, false);
  ASSERT_NE(m, nullptr);
  Guest g(m);
  EXPECT_EQ(g.CallI32("count", {Value::I32(100000)}), 100000u);
  EXPECT_EQ(g.CallI32("fib", {Value::I32(20)}), 6765u);
}

TEST(Fuel, NoFuelCodeWithoutTheOption) {
  auto with = LoadWith(kProgram, true, false);
  auto without = LoadWith(kProgram, false, false);
  ASSERT_NE(with, nullptr);
  ASSERT_NE(without, nullptr);
  EXPECT_GT(testing::CountTrapSites(*with, TrapCode::kOutOfFuel), 4u);
  EXPECT_EQ(testing::CountTrapSites(*without, TrapCode::kOutOfFuel), 0u);
  EXPECT_EQ(testing::CountTrapSites(*without, TrapCode::kInterrupt), 0u);
  EXPECT_LT(without->code->code->size(), with->code->code->size());
  // A budget means nothing to code compiled without fuel.
  Guest g(without, WithFuel(0));
  EXPECT_EQ(g.CallI32("count", {Value::I32(1000)}), 1000u);
}

}  // namespace
}  // namespace wt::runtime
