// --max-wasm-stack (StoreLimits::max_wasm_stack): wasm code of a store may use at most that
// many bytes of native stack below its outermost activation ("call stack exhausted" beyond).
#include <gtest/gtest.h>

#include "interrupt_test_util.h"

namespace wt::runtime {
namespace {

using testing::Guest;
using testing::LoadWith;

constexpr std::string_view kProgram = R"((module
  (func $depth (export "depth") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (call $depth (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))))
))";

StoreOptions WithStack(uint64_t bytes) {
  StoreOptions o;
  o.limits.max_wasm_stack = bytes;
  return o;
}

bool Reaches(Guest& g, uint32_t depth) {
  std::vector<Value> results;
  auto trap = g.Call("depth", {Value::I32(depth)}, &results);
  if (trap) {
    EXPECT_EQ(*trap, TrapCode::kStackExhausted);
    return false;
  }
  EXPECT_EQ(results[0].i32(), depth);
  return true;
}

// The deepest recursion that fits (binary search).
uint32_t MaxDepth(Guest& g, uint32_t hi) {
  uint32_t lo = 0;  // reaches lo; not hi + 1 (assumed)
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo + 1) / 2;
    if (Reaches(g, mid))
      lo = mid;
    else
      hi = mid - 1;
  }
  return lo;
}

TEST(MaxWasmStack, BoundsTheRecursionDepth) {
  auto m = LoadWith(kProgram, false, false);
  ASSERT_NE(m, nullptr);
  Guest unlimited(m);
  EXPECT_TRUE(Reaches(unlimited, 20000));
  Guest small(m, WithStack(64 * 1024));
  EXPECT_FALSE(Reaches(small, 20000));
  EXPECT_TRUE(Reaches(small, 100));  // the store still works after the trap
  uint32_t d64 = MaxDepth(small, 20000);
  Guest large(m, WithStack(256 * 1024));
  uint32_t d256 = MaxDepth(large, 100000);
  // Frames of this function take a few tens of bytes: the depth follows the budget.
  EXPECT_GT(d64, 64u * 1024 / 256);
  EXPECT_LT(d64, 64u * 1024 / 16);
  EXPECT_GT(d256, 3 * d64);
  EXPECT_LT(d256, 5 * d64);
  // Deterministic for a given entry depth.
  EXPECT_EQ(MaxDepth(small, 20000), d64);
}

TEST(MaxWasmStack, LargerThanTheThreadStackMeansTheThreadStack) {
  auto m = LoadWith(kProgram, false, false);
  ASSERT_NE(m, nullptr);
  Guest g(m, WithStack(uint64_t{1} << 40));
  EXPECT_TRUE(Reaches(g, 1000));
  EXPECT_FALSE(Reaches(g, 100000000));  // still "call stack exhausted", no crash
}

// A host function called from wasm that enters wasm again: both activations share one budget.
TEST(MaxWasmStack, NestedActivationsShareTheBudget) {
  auto m = LoadWith(R"((module
    (import "host" "reenter" (func $reenter (param i32) (result i32)))
    (func $depth (export "depth") (param $n i32) (result i32)
      (if (result i32) (i32.eqz (local.get $n))
        (then (i32.const 0))
        (else (i32.add (call $depth (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))))
    (func $outer (export "outer") (param $n i32) (param $inner i32) (result i32)
      (if (result i32) (i32.eqz (local.get $n))
        (then (call $reenter (local.get $inner)))
        (else (call $outer (i32.sub (local.get $n) (i32.const 1)) (local.get $inner)))))
  ))",
                    false, false);
  ASSERT_NE(m, nullptr);
  struct Env {
    Store* store = nullptr;
    Func* depth = nullptr;
    bool inner_trapped = false;
  } env;
  Store store(WithStack(64 * 1024));
  Linker linker;
  wasm::FuncType sig;
  sig.params = {wasm::ValType::I32()};
  sig.results = {wasm::ValType::I32()};
  Func* host = store.NewHostFunc(
      sig,
      [](void* e, VMContext*, ValueSlot* args) noexcept -> uint32_t {
        auto* env = static_cast<Env*>(e);
        Value v = Value::I32(args[0].i32);
        auto r = Invoke(*env->store, *env->depth, {&v, 1});
        if (!r.ok() || r->trap) {
          env->inner_trapped = true;
          args[0].i32 = 0;
          return 0;
        }
        args[0].i32 = r->results[0].i32();
        return 0;
      },
      &env);
  linker.Define("host", "reenter", Extern(host));
  auto inst = linker.Instantiate(store, m);
  ASSERT_TRUE(inst.ok()) << inst.error().ToString();
  env.store = &store;
  env.depth = (*inst)->GetFunc("depth");
  // Alone, the inner recursion of 500 fits.
  Value alone = Value::I32(500);
  auto r = Invoke(store, *env.depth, {&alone, 1});
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->trap.has_value());
  // Behind an outer recursion that uses most of the budget, it does not.
  uint32_t fits = 0;
  for (uint32_t outer = 0; outer <= 4000; outer += 100) {
    Value args[] = {Value::I32(outer), Value::I32(500)};
    env.inner_trapped = false;
    auto o = Invoke(store, *(*inst)->GetFunc("outer"), args);
    ASSERT_TRUE(o.ok());
    if (o->trap) {
      EXPECT_EQ(o->trap->code, TrapCode::kStackExhausted);
      break;
    }
    if (env.inner_trapped) break;
    fits = outer;
  }
  EXPECT_LT(fits, 4000u);
  EXPECT_TRUE(env.inner_trapped);
}

}  // namespace
}  // namespace wt::runtime
