// Epoch interruption (--timeout): code compiled with CompileOptions::epoch_interruption checks
// the process-wide epoch counter against its store's deadline at function entries and loop
// headers and traps "interrupt" once the store's timeout has passed.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "interrupt_test_util.h"
#include "runtime/interrupt.h"

namespace wt::runtime {
namespace {

using namespace std::chrono_literals;
using testing::Guest;
using testing::LoadWith;

constexpr std::string_view kProgram = R"((module
  (func (export "spin") (loop $l (br $l)))
  ;; No loop at all: 2^depth calls; only the checks at function entries can stop it.
  (func $tree (param $d i32)
    (if (i32.eqz (local.get $d)) (then (return)))
    (call $tree (i32.sub (local.get $d) (i32.const 1)))
    (call $tree (i32.sub (local.get $d) (i32.const 1))))
  (func (export "recurse") (call $tree (i32.const 62)))
  (func (export "count") (param $n i32) (result i32)
    (local $i i32)
    (loop $top
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $i))
))";

StoreOptions WithTimeout(std::chrono::nanoseconds t) {
  StoreOptions o;
  o.timeout = t;
  return o;
}

using Clock = std::chrono::steady_clock;

void ExpectInterruptedAfter(const std::shared_ptr<LoadedModule>& m, std::string_view name,
                            std::chrono::milliseconds timeout) {
  auto start = Clock::now();
  Guest g(m, WithTimeout(timeout));
  EXPECT_EQ(g.Call(name), TrapCode::kInterrupt) << name;
  auto took = Clock::now() - start;
  EXPECT_GE(took, timeout) << name;
  EXPECT_LT(took, timeout + 2s) << name;  // generous slack for a loaded machine
}

TEST(Interrupt, InfiniteLoopTrapsAfterTheTimeout) {
  auto m = LoadWith(kProgram, false, /*epochs=*/true);
  ASSERT_NE(m, nullptr);
  ExpectInterruptedAfter(m, "spin", 100ms);
}

TEST(Interrupt, RecursionWithoutLoopsTrapsAfterTheTimeout) {
  auto m = LoadWith(kProgram, false, true);
  ASSERT_NE(m, nullptr);
  ExpectInterruptedAfter(m, "recurse", 100ms);
}

TEST(Interrupt, AlsoWithFuelChecks) {
  auto m = LoadWith(kProgram, /*fuel=*/true, /*epochs=*/true);
  ASSERT_NE(m, nullptr);
  ExpectInterruptedAfter(m, "spin", 50ms);
}

TEST(Interrupt, StoreWithoutTimeoutIsNeverInterrupted) {
  auto m = LoadWith(kProgram, false, true);
  ASSERT_NE(m, nullptr);
  // Another store's deadline moves the shared counter; this one's is infinite.
  {
    Guest other(m, WithTimeout(1ms));
    EXPECT_EQ(other.Call("spin"), TrapCode::kInterrupt);
  }
  Guest g(m);
  EXPECT_EQ(g.CallI32("count", {Value::I32(1000000)}), 1000000u);
}

TEST(Interrupt, DeadlinesArePerStore) {
  auto m = LoadWith(kProgram, false, true);
  ASSERT_NE(m, nullptr);
  Guest patient(m, WithTimeout(1h));
  {
    Guest hasty(m, WithTimeout(20ms));
    EXPECT_EQ(hasty.Call("spin"), TrapCode::kInterrupt);
  }
  // The counter has passed the hasty store's deadline, not the patient one's.
  auto start = Clock::now();
  uint32_t n = 0;
  while (Clock::now() - start < 100ms) n += patient.CallI32("count", {Value::I32(100000)});
  EXPECT_GT(n, 0u);
}

TEST(Interrupt, FinishedWorkIsNotInterrupted) {
  auto m = LoadWith(kProgram, false, true);
  ASSERT_NE(m, nullptr);
  Guest g(m, WithTimeout(10s));
  EXPECT_EQ(g.CallI32("count", {Value::I32(5000000)}), 5000000u);
}

TEST(Interrupt, ExpiredStoreKeepsTrapping) {
  auto m = LoadWith(kProgram, false, true);
  ASSERT_NE(m, nullptr);
  Guest g(m, WithTimeout(10ms));
  std::this_thread::sleep_for(50ms);
  // Trapped at the first function entry (no loop needed).
  EXPECT_EQ(g.Call("count", {Value::I32(1)}), TrapCode::kInterrupt);
  EXPECT_EQ(g.Call("count", {Value::I32(1)}), TrapCode::kInterrupt);
}

TEST(Interrupt, NoEpochChecksWithoutTheOption) {
  auto with = LoadWith(kProgram, false, true);
  auto without = LoadWith(kProgram, false, false);
  ASSERT_NE(with, nullptr);
  ASSERT_NE(without, nullptr);
  // Function entries (4) and loop headers (2).
  EXPECT_EQ(testing::CountTrapSites(*with, TrapCode::kInterrupt), 6u);
  EXPECT_EQ(testing::CountTrapSites(*without, TrapCode::kInterrupt), 0u);
  // A timeout means nothing to code compiled without the checks: a finite loop completes.
  Guest g(without, WithTimeout(0ns));
  EXPECT_EQ(g.CallI32("count", {Value::I32(1000)}), 1000u);
}

TEST(Interrupt, TimerThreadStopsWithTheLastStore) {
  auto m = LoadWith(kProgram, false, true);
  ASSERT_NE(m, nullptr);
  {
    Guest a(m, WithTimeout(1h)), b(m, WithTimeout(5ms));
    EXPECT_EQ(PendingDeadlines(), 2u);
    EXPECT_TRUE(EpochTimerRunning());
    EXPECT_EQ(b.Call("spin"), TrapCode::kInterrupt);
  }
  EXPECT_EQ(PendingDeadlines(), 0u);
  auto start = Clock::now();
  while (EpochTimerRunning() && Clock::now() - start < 5s) std::this_thread::sleep_for(1ms);
  EXPECT_FALSE(EpochTimerRunning());
  // And starts again for the next one.
  ExpectInterruptedAfter(m, "spin", 10ms);
}

TEST(Interrupt, EpochOfIsMonotonic) {
  (void)EpochOf(Clock::now());  // fixes the origin (run alone, `now` would precede it)
  auto now = Clock::now();
  EXPECT_LE(EpochOf(now), EpochOf(now + 1us));
  EXPECT_EQ(EpochOf(now + 1ms) - EpochOf(now), 1000u);
  EXPECT_NE(EpochCounter(), nullptr);
}

}  // namespace
}  // namespace wt::runtime
