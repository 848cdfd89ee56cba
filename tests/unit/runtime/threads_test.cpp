// Two threads running guests at once, each in its own Store: one traps over and over (guard
// page faults and ud2 through the signal handlers, explicit trap stubs for division by zero
// and stack exhaustion, fuel and epoch traps), the other computes; neither disturbs the other.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "interrupt_test_util.h"

namespace wt::runtime {
namespace {

using testing::Guest;
using testing::LoadWith;

constexpr std::string_view kTrapper = R"((module
  (memory 1)
  (func (export "oob") (param $a i32) (result i32) (i32.load (local.get $a)))
  (func (export "div") (param $a i32) (result i32) (i32.div_u (i32.const 7) (local.get $a)))
  (func $down (export "down") (param $n i32) (result i32)
    (i32.add (call $down (i32.add (local.get $n) (i32.const 1))) (i32.const 1)))
  (func (export "unreachable") (param i32) (result i32) (unreachable))
  (func (export "spin") (param i32) (result i32) (loop $l (br $l)) (i32.const 0))
))";

constexpr std::string_view kWorker = R"((module
  (memory 1)
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  ;; Sums i for i in [0, n) through linear memory.
  (func (export "sum") (param $n i32) (result i32)
    (local $i i32)
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (i32.store (i32.const 16) (i32.add (i32.load (i32.const 16)) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (i32.load (i32.const 16)))
))";

TEST(Threads, TrapsOnOneThreadDoNotDisturbAnother) {
  std::atomic<bool> trapper_done{false};
  std::atomic<bool> worker_started{false};
  std::atomic<int> traps_ok{0}, traps_bad{0};
  std::atomic<int> rounds{0}, wrong{0};

  std::thread trapper([&] {
    auto m = LoadWith(kTrapper, /*fuel=*/true, /*epochs=*/true);
    if (!m) {
      trapper_done = true;
      return;
    }
    while (!worker_started) std::this_thread::yield();
    StoreOptions options;
    options.fuel = 1000000;
    options.limits.max_wasm_stack = 128 * 1024;
    struct Case {
      const char* name;
      uint32_t arg;
      TrapCode want;
    } cases[] = {
        {"oob", 70000, TrapCode::kMemoryOutOfBounds},  // guard page (SIGSEGV)
        {"oob", 0xFFFFFFF0u, TrapCode::kMemoryOutOfBounds},
        {"unreachable", 0, TrapCode::kUnreachable},  // ud2 (SIGILL)
        {"div", 0, TrapCode::kIntegerDivideByZero},  // trap stub
        {"down", 0, TrapCode::kStackExhausted},      // prologue check
        {"spin", 0, TrapCode::kOutOfFuel},
    };
    for (int round = 0; round < 40; ++round) {
      Guest g(m, options);
      for (const Case& c : cases) {
        if (c.want == TrapCode::kOutOfFuel) {
          // The store still works after all those traps.
          std::vector<Value> results;
          if (g.Call("oob", {Value::I32(8)}, &results).has_value()) ++traps_bad;
        }
        auto t = g.Call(c.name, {Value::I32(c.arg)});
        if (t == c.want)
          ++traps_ok;
        else
          ++traps_bad;
      }
    }
    // An epoch interruption too.
    StoreOptions timed;
    timed.timeout = std::chrono::milliseconds(20);
    Guest g(m, timed);
    if (g.Call("spin", {Value::I32(0)}) == TrapCode::kInterrupt)
      ++traps_ok;
    else
      ++traps_bad;
    trapper_done = true;
  });

  std::thread worker([&] {
    auto m = LoadWith(kWorker, false, false);
    worker_started = true;
    if (!m) return;
    Guest g(m);
    // Until the trapper is done (and at least a few rounds), so the two overlap throughout.
    while (!trapper_done || rounds < 5) {
      if (g.CallI32("fib", {Value::I32(18)}) != 2584u) ++wrong;
      uint32_t before = g.CallI32("sum", {Value::I32(0)});
      if (g.CallI32("sum", {Value::I32(1000)}) != before + 499500u) ++wrong;
      ++rounds;
    }
  });

  trapper.join();
  worker.join();
  EXPECT_EQ(traps_ok.load(), 40 * 6 + 1);
  EXPECT_EQ(traps_bad.load(), 0);
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_GE(rounds.load(), 5);
}

// Both threads trapping at once, through the same compiled module.
TEST(Threads, ConcurrentTrapsInOneModule) {
  auto m = LoadWith(kTrapper, false, false);
  ASSERT_NE(m, nullptr);
  std::atomic<int> ok{0};
  auto run = [&] {
    Guest g(m);
    for (int i = 0; i < 200; ++i) {
      ok += g.Call("oob", {Value::I32(65536 + static_cast<uint32_t>(i))}) ==
            TrapCode::kMemoryOutOfBounds;
      ok += g.Call("unreachable", {Value::I32(0)}) == TrapCode::kUnreachable;
      if (i % 20 == 0) ok += g.Call("down", {Value::I32(0)}) == TrapCode::kStackExhausted;
    }
  };
  std::thread a(run), b(run);
  a.join();
  b.join();
  EXPECT_EQ(ok.load(), 2 * (400 + 10));
}

}  // namespace
}  // namespace wt::runtime
