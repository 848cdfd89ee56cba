// v128 values as first-class JIT values (docs/simd-plan.md section 1): params and results at
// every position among scalars (call-area padding), spills under register pressure, locals in
// loops, branches carrying v128 values, select, if with params, globals, calls (direct,
// call_indirect, a host function) and the entry trampoline. Only moves, no vector arithmetic:
// values come in as params and go out as results.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "jit/abi.h"
#include "jit_test_util.h"

namespace wt::jit::testing {
namespace {

runtime::ValueSlot V(uint64_t lo, uint64_t hi) {
  runtime::ValueSlot s{};
  std::memcpy(s.v128, &lo, 8);
  std::memcpy(s.v128 + 8, &hi, 8);
  return s;
}
uint64_t Lo(const runtime::ValueSlot& s) {
  uint64_t v;
  std::memcpy(&v, s.v128, 8);
  return v;
}
uint64_t Hi(const runtime::ValueSlot& s) {
  uint64_t v;
  std::memcpy(&v, s.v128 + 8, 8);
  return v;
}
// Distinct patterns per value: both halves differ, so a half moved alone shows.
runtime::ValueSlot P(uint64_t n) {
  return V(0x1111111111111111ull * (n % 15 + 1) + n, 0xA0A0A0A0A0A0A0A0ull ^ (n << 8) ^ n);
}

#define EXPECT_V128(slot, expected)           \
  do {                                        \
    runtime::ValueSlot a_ = (slot);           \
    runtime::ValueSlot e_ = (expected);       \
    EXPECT_EQ(Lo(a_), Lo(e_)) << "low half";  \
    EXPECT_EQ(Hi(a_), Hi(e_)) << "high half"; \
  } while (0)

TEST(V128Abi, ArgSlots) {
  // v128 at an even slot of the call area, two slots each.
  uint32_t next = 0;
  EXPECT_EQ(abi::NextArgSlot(&next, JType::kI32), 0u);
  EXPECT_EQ(abi::NextArgSlot(&next, JType::kV128), 2u);
  EXPECT_EQ(abi::NextArgSlot(&next, JType::kV128), 4u);
  EXPECT_EQ(abi::NextArgSlot(&next, JType::kF64), 6u);
  EXPECT_EQ(next, 7u);
  // Frame slots below fp: a v128 at an odd slot, 16-aligned.
  EXPECT_EQ(abi::AlignFrameSlot(0, JType::kV128), 1u);
  EXPECT_EQ(abi::AlignFrameSlot(3, JType::kV128), 3u);
  EXPECT_EQ(abi::AlignFrameSlot(2, JType::kI64), 2u);
  EXPECT_EQ(abi::FrameSlotOffset(1, JType::kV128) % 16, 0);
  EXPECT_EQ(abi::FrameSlotOffset(5, JType::kV128) % 16, 0);
  EXPECT_EQ(abi::FrameSlotOffset(4, JType::kI32), abi::kFirstLocalOffset - 32);
}

// Params and results at every position among scalars: the entry trampoline's copies and the
// callee's incoming offsets agree.
TEST(V128Abi, ParamsAndResultsAmongScalars) {
  WT_JIT(m, R"((module
    (func (export "p1") (param v128) (result v128) (local.get 0))
    (func (export "p2") (param i32 v128) (result v128) (local.get 1))
    (func (export "p3") (param i32 v128 i64 v128 f32 v128 f64) (result v128 v128 v128)
      (local.get 5) (local.get 1) (local.get 3))
    (func (export "p4") (param i32 v128 i64 v128 f32 v128 f64) (result i32 i64 f32 f64)
      (local.get 0) (local.get 2) (local.get 4) (local.get 6))
    (func (export "r") (param v128 i32 v128 i64)
      (result i32 v128 i64 v128 v128 f64 v128)
      (local.get 1) (local.get 0) (local.get 3) (local.get 2) (local.get 0) (f64.const 2.5)
      (local.get 2))
  ))");
  auto r1 = m.Call("p1", {P(1)});
  EXPECT_V128(r1[0], P(1));
  auto r2 = m.Call("p2", {I32(7), P(2)});
  EXPECT_V128(r2[0], P(2));
  auto r3 = m.Call("p3", {I32(1), P(3), I64(2), P(4), F32(3), P(5), F64(4)});
  EXPECT_V128(r3[0], P(5));
  EXPECT_V128(r3[1], P(3));
  EXPECT_V128(r3[2], P(4));
  auto r4 = m.Call("p4", {I32(11), P(3), I64(12), P(4), F32(13.5f), P(5), F64(14.25)});
  EXPECT_EQ(r4[0].i32, 11u);
  EXPECT_EQ(r4[1].i64, 12u);
  EXPECT_EQ(r4[2].f32, 13.5f);
  EXPECT_EQ(r4[3].f64, 14.25);
  auto r = m.Call("r", {P(6), I32(21), P(7), I64(22)});
  EXPECT_EQ(r[0].i32, 21u);
  EXPECT_V128(r[1], P(6));
  EXPECT_EQ(r[2].i64, 22u);
  EXPECT_V128(r[3], P(7));
  EXPECT_V128(r[4], P(6));
  EXPECT_EQ(r[5].f64, 2.5);
  EXPECT_V128(r[6], P(7));
}

// Wasm-to-wasm calls: args in the area (v128 at even slots), result 0 in xmm0, the others in
// the area; direct and through call_indirect; values live across the call are spilled.
TEST(V128Abi, Calls) {
  WT_JIT(m, R"((module
    (type $t (func (param i32 v128 i64 v128) (result v128 i32 v128 f64)))
    (table 2 funcref)
    (elem (i32.const 0) $inner $inner2)
    (func $inner (type $t)
      (local.get 3) (local.get 0) (local.get 1) (f64.const 1.5))
    (func $inner2 (type $t)
      (local.get 1) (i32.add (local.get 0) (i32.const 1)) (local.get 3) (f64.const 2.5))
    (func $id (param v128) (result v128) (local.get 0))
    (func $id1 (param f32 v128) (result v128) (local.get 1))
    (func (export "direct") (param v128 v128 i32) (result v128 v128 i32 v128 f64)
      (local.get 0)
      (call $inner (local.get 2) (local.get 0) (i64.const 5) (local.get 1)))
    (func (export "indirect") (param v128 v128 i32) (result v128 i32 v128 f64)
      (call_indirect (type $t) (local.get 2) (local.get 0) (i64.const 5) (local.get 1)
                     (local.get 2)))
    (func (export "nested") (param v128 v128) (result v128 v128 v128)
      (call $id (local.get 1))
      (call $id1 (f32.const 1) (call $id (local.get 0)))
      (call $id (call $id1 (f32.const 2) (local.get 1))))
  ))");
  auto d = m.Call("direct", {P(1), P(2), I32(9)});
  EXPECT_V128(d[0], P(1));
  EXPECT_V128(d[1], P(2));
  EXPECT_EQ(d[2].i32, 9u);
  EXPECT_V128(d[3], P(1));
  EXPECT_EQ(d[4].f64, 1.5);
  auto i0 = m.Call("indirect", {P(3), P(4), I32(0)});
  EXPECT_V128(i0[0], P(4));
  EXPECT_EQ(i0[1].i32, 0u);
  EXPECT_V128(i0[2], P(3));
  EXPECT_EQ(i0[3].f64, 1.5);
  auto i1 = m.Call("indirect", {P(3), P(4), I32(1)});
  EXPECT_V128(i1[0], P(3));
  EXPECT_EQ(i1[1].i32, 2u);
  EXPECT_V128(i1[2], P(4));
  EXPECT_EQ(i1[3].f64, 2.5);
  auto n = m.Call("nested", {P(5), P(6)});
  EXPECT_V128(n[0], P(6));
  EXPECT_V128(n[1], P(5));
  EXPECT_V128(n[2], P(6));
}

// More live v128 values than XMM registers (15): spills and reloads, across a call and a block.
TEST(V128Abi, Spills) {
  constexpr int kN = 24;
  std::string pick;  // value i: select(a, b, (c >> i) & 1)
  for (int i = 0; i < kN; ++i)
    pick += "(select (local.get 0) (local.get 1) (i32.and (i32.shr_u (local.get 2) (i32.const " +
            std::to_string(i) + ")) (i32.const 1)))\n";
  // Fold: acc = select(acc, v, (d >> i) & 1) from the top down.
  std::string fold;
  for (int i = kN - 1; i >= 1; --i)
    fold +=
        "(local.set 4) (local.set 5) (select (local.get 5) (local.get 4) (i32.and (i32.shr_u "
        "(local.get 3) (i32.const " +
        std::to_string(i) + ")) (i32.const 1)))\n";
  std::string wat = R"((module
    (func $id (param v128) (result v128) (local.get 0))
    (func (export "f") (param v128 v128 i32 i32) (result v128) (local v128 v128)
)" + pick + R"(
      (local.set 4) (call $id (local.get 4))
      (block (param v128) (result v128))
)" + fold + R"(
    )
    (func (export "all") (param v128 v128 i32) (result )" +
                    [&] {
                      std::string r;
                      for (int i = 0; i < kN; ++i) r += "v128 ";
                      return r;
                    }() +
                    ")\n" + pick + "))";
  WT_JIT(m, wat);
  auto value = [&](uint32_t c, int i) { return ((c >> i) & 1) ? P(10) : P(20); };
  for (uint32_t c : {0x00000000u, 0xFFFFFFFFu, 0x00A5A5A5u, 0x00123456u}) {
    auto all = m.Call("all", {P(10), P(20), I32(c)});
    ASSERT_EQ(all.size(), static_cast<size_t>(kN));
    for (int i = 0; i < kN; ++i) EXPECT_V128(all[i], value(c, i));
    for (uint32_t d : {0x00000000u, 0xFFFFFFFFu, 0x00F0F0F0u, 0x00654321u}) {
      // The fold keeps v_i (the deeper value) when bit i of d is set, else the accumulator.
      runtime::ValueSlot acc = value(c, kN - 1);
      for (int i = kN - 1; i >= 1; --i)
        if ((d >> i) & 1) acc = value(c, i - 1);
      auto r = m.Call("f", {P(10), P(20), I32(c), I32(d)});
      SCOPED_TRACE("c=" + std::to_string(c) + " d=" + std::to_string(d));
      EXPECT_V128(r[0], acc);
    }
  }
}

// v128 locals in a loop (cached in XMM registers, back-edge moves, swaps) and declared v128
// locals among scalar ones (zero-initialized, 16-byte slots).
TEST(V128Abi, LocalsAndLoops) {
  WT_JIT(m, R"((module
    (func (export "rotate") (param v128 v128 v128 i32) (result v128 v128 v128)
      (local v128)
      (block
        (loop
          (br_if 1 (i32.eqz (local.get 3)))
          (local.set 4 (local.get 0))
          (local.set 0 (local.get 1))
          (local.set 1 (local.get 2))
          (local.set 2 (local.get 4))
          (local.set 3 (i32.sub (local.get 3) (i32.const 1)))
          (br 0)))
      (local.get 0) (local.get 1) (local.get 2))
    (func (export "swap") (param v128 v128 i32) (result v128 v128)
      (local v128)
      (loop $l
        (local.set 3 (local.get 0))
        (local.set 0 (local.get 1))
        (local.set 1 (local.get 3))
        (br_if $l (local.tee 2 (i32.sub (local.get 2) (i32.const 1)))))
      (local.get 0) (local.get 1))
    (func (export "zero") (param i32) (result v128 i32 v128 i64)
      (local i32 v128 i64 v128)
      (local.get 2) (local.get 1) (local.get 4) (local.get 3))
    (func (export "mixed") (param v128 i32) (result v128 i32 v128)
      (local i32 v128 i32 v128 f64)
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (local.set 3 (local.get 0))
      (local.set 2 (local.get 1))
      (local.set 5 (local.get 3))
      (local.get 5) (local.get 2) (local.get 3))
    (func (export "loopparam") (param v128 v128 i32) (result v128)
      (local.get 0)
      (loop (param v128) (result v128)
        (local.set 0)
        (local.get 1) (local.set 1 (local.get 0)) 
        (br_if 0 (local.tee 2 (i32.sub (local.get 2) (i32.const 1))))))
  ))");
  for (uint32_t n = 0; n < 7; ++n) {
    auto r = m.Call("rotate", {P(1), P(2), P(3), I32(n)});
    runtime::ValueSlot v[3] = {P(1), P(2), P(3)};
    EXPECT_V128(r[0], v[n % 3]);
    EXPECT_V128(r[1], v[(n + 1) % 3]);
    EXPECT_V128(r[2], v[(n + 2) % 3]);
  }
  for (uint32_t n = 1; n < 6; ++n) {
    auto r = m.Call("swap", {P(4), P(5), I32(n)});
    EXPECT_V128(r[0], n % 2 ? P(5) : P(4));
    EXPECT_V128(r[1], n % 2 ? P(4) : P(5));
  }
  auto z = m.Call("zero", {I32(3)});
  EXPECT_V128(z[0], V(0, 0));
  EXPECT_EQ(z[1].i32, 0u);
  EXPECT_V128(z[2], V(0, 0));
  EXPECT_EQ(z[3].i64, 0u);
  auto x = m.Call("mixed", {P(6), I32(41)});
  EXPECT_V128(x[0], P(6));
  EXPECT_EQ(x[1].i32, 42u);
  EXPECT_V128(x[2], P(6));
  for (uint32_t n = 1; n < 6; ++n) {
    // Each iteration: the loop value becomes local 0; the result is the old local 1, and local
    // 1 takes the loop value.
    auto r = m.Call("loopparam", {P(7), P(8), I32(n)});
    EXPECT_V128(r[0], n == 1 ? P(8) : P(7 + (n % 2)));
  }
}

// Branches carrying v128 values: br, br_if, br_table to blocks with several results, select,
// if with v128 params.
TEST(V128Abi, BranchesAndSelect) {
  WT_JIT(m, R"((module
    (func (export "brif") (param v128 v128 i32) (result v128)
      (block (result v128)
        (br_if 0 (local.get 0) (local.get 2))
        (drop)
        (local.get 1)))
    (func (export "brtable") (param v128 v128 v128 i32) (result v128 i32)
      (block (result v128 i32)
        (block (result v128 i32)
          (block (result v128 i32)
            (local.get 0) (i32.const 10)
            (br_table 0 1 2 (local.get 3)))
          (drop) (drop) (local.get 1) (i32.const 11) (br 1))
        (drop) (drop) (local.get 2) (i32.const 12)))
    (func (export "brdeep") (param v128 v128 i32) (result v128 v128)
      (local.get 1)
      (block (param v128) (result v128 v128)
        (local.get 0)
        (block (param v128 v128) (result v128 v128)
          (br_if 1 (local.get 2))
          (drop) (drop) (local.get 0) (local.get 0))))
    (func (export "select") (param v128 v128 i32) (result v128)
      (select (local.get 0) (local.get 1) (local.get 2)))
    (func (export "selectcmp") (param v128 v128 i32 i32) (result v128)
      (select (local.get 0) (local.get 1) (i32.lt_s (local.get 2) (local.get 3))))
    (func (export "selectt") (param v128 v128 i32) (result v128)
      (select (result v128) (local.get 0) (local.get 1) (local.get 2)))
    (func (export "ifparams") (param v128 v128 i32) (result v128 i32)
      (local.get 0) (local.get 1)
      (if (param v128 v128) (result v128 i32) (local.get 2)
        (then (drop) (i32.const 1))
        (else (local.set 0) (drop) (local.get 0) (i32.const 2))))
    (func (export "ifnoelse") (param v128 i32) (result v128)
      (local.get 0)
      (if (param v128) (result v128) (local.get 1) (then (drop) (local.get 0))))
    (func (export "ret") (param v128 v128 i32) (result v128)
      (if (local.get 2) (then (return (local.get 1))))
      (local.get 0))
  ))");
  EXPECT_V128(m.Call("brif", {P(1), P(2), I32(1)})[0], P(1));
  EXPECT_V128(m.Call("brif", {P(1), P(2), I32(0)})[0], P(2));
  for (uint32_t i = 0; i < 5; ++i) {
    auto r = m.Call("brtable", {P(1), P(2), P(3), I32(i)});
    uint32_t target = i > 2 ? 2 : i;
    EXPECT_V128(r[0], target == 2 ? P(1) : target == 1 ? P(3) : P(2));
    EXPECT_EQ(r[1].i32, target == 2 ? 10u : target == 1 ? 12u : 11u);
  }
  auto bd1 = m.Call("brdeep", {P(4), P(5), I32(1)});
  EXPECT_V128(bd1[0], P(5));
  EXPECT_V128(bd1[1], P(4));
  auto bd0 = m.Call("brdeep", {P(4), P(5), I32(0)});
  EXPECT_V128(bd0[0], P(4));
  EXPECT_V128(bd0[1], P(4));
  EXPECT_V128(m.Call("select", {P(1), P(2), I32(1)})[0], P(1));
  EXPECT_V128(m.Call("select", {P(1), P(2), I32(0)})[0], P(2));
  EXPECT_V128(m.Call("selectcmp", {P(1), P(2), I32(1), I32(2)})[0], P(1));
  EXPECT_V128(m.Call("selectcmp", {P(1), P(2), I32(3), I32(2)})[0], P(2));
  EXPECT_V128(m.Call("selectt", {P(1), P(2), I32(5)})[0], P(1));
  EXPECT_V128(m.Call("selectt", {P(1), P(2), I32(0)})[0], P(2));
  auto t = m.Call("ifparams", {P(3), P(4), I32(1)});
  EXPECT_V128(t[0], P(3));
  EXPECT_EQ(t[1].i32, 1u);
  auto f = m.Call("ifparams", {P(3), P(4), I32(0)});
  EXPECT_V128(f[0], P(4));
  EXPECT_EQ(f[1].i32, 2u);
  EXPECT_V128(m.Call("ifnoelse", {P(5), I32(1)})[0], P(5));
  EXPECT_V128(m.Call("ifnoelse", {P(5), I32(0)})[0], P(5));
  EXPECT_V128(m.Call("ret", {P(6), P(7), I32(1)})[0], P(7));
  EXPECT_V128(m.Call("ret", {P(6), P(7), I32(0)})[0], P(6));
}

TEST(V128Abi, Globals) {
  WT_JIT(m, R"((module
    (global $g (mut v128) (v128.const i64x2 0 0))
    (global $h (mut i64) (i64.const 0))
    (func (export "set") (param v128 i64) (global.set $g (local.get 0)) (global.set $h (local.get 1)))
    (func (export "get") (result v128 i64 v128) (global.get $g) (global.get $h) (global.get $g))
    (func (export "swap") (param v128) (result v128)
      (global.get $g) (global.set $g (local.get 0)))
  ))");
  m.Call("set", {P(1), I64(77)});
  EXPECT_V128(m.global(0), P(1));
  auto r = m.Call("get");
  EXPECT_V128(r[0], P(1));
  EXPECT_EQ(r[1].i64, 77u);
  EXPECT_V128(r[2], P(1));
  m.global(0) = P(2);
  EXPECT_V128(m.Call("swap", {P(3)})[0], P(2));
  EXPECT_V128(m.global(0), P(3));
}

// (i32, v128, v128) -> (v128, i32, v128): swaps the vectors, adds 1 to the i32.
uint32_t HostSwap(void* env, runtime::VMContext*, runtime::ValueSlot* args) noexcept {
  ++*static_cast<int*>(env);
  runtime::ValueSlot a = args[1], b = args[2];
  uint32_t n = args[0].i32;
  args[0] = b;
  args[1] = runtime::ValueSlot{};
  args[1].i32 = n + 1;
  args[2] = a;
  return 0;
}
// (v128) -> v128 with both halves swapped.
uint32_t HostHalves(void*, runtime::VMContext*, runtime::ValueSlot* args) noexcept {
  runtime::ValueSlot r = V(Hi(args[0]), Lo(args[0]));
  args[0] = r;
  return 0;
}

TEST(V128Abi, HostFunctions) {
  int calls = 0;
  std::vector<runtime::HostFuncRecord> hosts = {{&HostSwap, &calls}, {&HostHalves, nullptr}};
  WT_JIT(m, R"((module
    (import "env" "swap" (func $swap (param i32 v128 v128) (result v128 i32 v128)))
    (import "env" "halves" (func $halves (param v128) (result v128)))
    (func (export "go") (param v128 v128 i32) (result v128 i32 v128 v128)
      (call $swap (local.get 2) (local.get 0) (local.get 1))
      (call $halves (local.get 0)))
  ))",
         hosts);
  auto r = m.Call("go", {P(1), P(2), I32(5)});
  EXPECT_EQ(calls, 1);
  EXPECT_V128(r[0], P(2));
  EXPECT_EQ(r[1].i32, 6u);
  EXPECT_V128(r[2], P(1));
  EXPECT_V128(r[3], V(Hi(P(1)), Lo(P(1))));
}

// v128.const entries (kConst, bits = an index into the function's constants) materialized
// everywhere a value goes: registers, result registers and slots, call args, label slots,
// loop params, if params (saved across the arms), locals (also under register pressure),
// globals, select operands. Zero and all-ones are built in a register, others come from the
// pool.
TEST(V128Abi, Constants) {
  std::string many;  // 16 constants live at once, then stored into locals 16..1
  for (int i = 1; i <= 16; ++i) many += "(v128.const i64x2 " + std::to_string(i) + " 0)\n";
  for (int i = 16; i >= 1; --i) many += "(local.set " + std::to_string(i) + ")\n";
  std::string locals;
  for (int i = 0; i < 16; ++i) locals += "v128 ";
  std::string wat = R"((module
    (global $g (mut v128) (v128.const i64x2 0 0))
    (func $id (param i32 v128 v128) (result v128 v128 i32)
      (local.get 1) (local.get 2) (local.get 0))
    (func (export "ret") (result v128 i32 v128 v128 v128)
      (v128.const i64x2 0x1122334455667788 0x99aabbccddeeff00) (i32.const 3)
      (v128.const i64x2 0 0) (v128.const i64x2 -1 -1)
      (v128.const i64x2 0x1122334455667788 0x99aabbccddeeff00))
    (func (export "call") (result v128 v128 i32)
      (call $id (i32.const 7) (v128.const i64x2 1 2) (v128.const i32x4 -1 -1 -1 -1)))
    (func (export "br") (param i32) (result v128 v128)
      (block (result v128 v128)
        (v128.const i64x2 5 6) (v128.const i64x2 0 0)
        (br_if 0 (local.get 0))
        (drop) (drop)
        (v128.const i64x2 7 8) (v128.const i64x2 9 10)))
    (func (export "brtable") (param i32) (result v128)
      (block (result v128)
        (block (result v128)
          (v128.const i64x2 11 12)
          (br_table 0 1 (local.get 0)))
        (drop) (v128.const i64x2 13 14)))
    (func (export "loop") (param i32) (result v128)
      (v128.const i64x2 15 16)
      (loop (param v128) (result v128)
        (drop) (v128.const i64x2 17 18)
        (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))))
    (func (export "if") (param i32) (result v128 v128)
      (v128.const i64x2 19 20) (v128.const i64x2 21 22)
      (if (param v128 v128) (result v128 v128) (local.get 0)
        (then (drop) (v128.const i64x2 23 24))))
    (func (export "select") (param i32) (result v128)
      (select (v128.const i64x2 25 26) (v128.const i64x2 -1 -1) (local.get 0)))
    (func (export "global") (result v128)
      (global.set $g (v128.const i64x2 27 28)) (global.get $g))
    (func (export "locals") (param i32) (result v128 v128 v128) (local )" +
                    locals + ")\n" + many + R"(
      (if (local.get 0) (then (local.set 4 (v128.const i64x2 -1 -1))))
      (local.get 4) (local.get 16) (local.get 1))
  ))";
  WT_JIT(m, wat);
  auto r = m.Call("ret");
  EXPECT_V128(r[0], V(0x1122334455667788ull, 0x99aabbccddeeff00ull));
  EXPECT_EQ(r[1].i32, 3u);
  EXPECT_V128(r[2], V(0, 0));
  EXPECT_V128(r[3], V(~0ull, ~0ull));
  EXPECT_V128(r[4], V(0x1122334455667788ull, 0x99aabbccddeeff00ull));
  auto c = m.Call("call");
  EXPECT_V128(c[0], V(1, 2));
  EXPECT_V128(c[1], V(~0ull, ~0ull));
  EXPECT_EQ(c[2].i32, 7u);
  auto b1 = m.Call("br", {I32(1)});
  EXPECT_V128(b1[0], V(5, 6));
  EXPECT_V128(b1[1], V(0, 0));
  auto b0 = m.Call("br", {I32(0)});
  EXPECT_V128(b0[0], V(7, 8));
  EXPECT_V128(b0[1], V(9, 10));
  EXPECT_V128(m.Call("brtable", {I32(0)})[0], V(13, 14));
  EXPECT_V128(m.Call("brtable", {I32(1)})[0], V(11, 12));
  EXPECT_V128(m.Call("brtable", {I32(9)})[0], V(11, 12));
  EXPECT_V128(m.Call("loop", {I32(3)})[0], V(17, 18));
  auto i1 = m.Call("if", {I32(1)});
  EXPECT_V128(i1[0], V(19, 20));
  EXPECT_V128(i1[1], V(23, 24));
  auto i0 = m.Call("if", {I32(0)});
  EXPECT_V128(i0[0], V(19, 20));
  EXPECT_V128(i0[1], V(21, 22));
  EXPECT_V128(m.Call("select", {I32(1)})[0], V(25, 26));
  EXPECT_V128(m.Call("select", {I32(0)})[0], V(~0ull, ~0ull));
  EXPECT_V128(m.Call("global")[0], V(27, 28));
  EXPECT_V128(m.global(0), V(27, 28));
  auto l1 = m.Call("locals", {I32(1)});
  EXPECT_V128(l1[0], V(~0ull, ~0ull));
  EXPECT_V128(l1[1], V(16, 0));
  EXPECT_V128(l1[2], V(1, 0));
  auto l0 = m.Call("locals", {I32(0)});
  EXPECT_V128(l0[0], V(4, 0));
  EXPECT_V128(l0[1], V(16, 0));
  EXPECT_V128(l0[2], V(1, 0));
}

// Random move-only programs over i32/i64/f64/v128 values, checked against a model: locals
// (params and declared, of mixed kinds: odd/even slot padding), constants, local.set/tee,
// drop, select, blocks with params and results left by br_if or by the end, if/else with
// params, and calls to helpers with random mixed signatures and multiple results. The model
// evaluates the program while generating it.
class MoveProgram {
 public:
  explicit MoveProgram(uint32_t seed) : rng_(seed) {}

  struct Val {
    char t;  // 'i' i32, 'I' i64, 'F' f64, 'V' v128
    uint64_t lo = 0, hi = 0;
  };

  std::string Generate() {
    int np = Rand(1, 6), nd = Rand(0, 6);
    for (int i = 0; i < np + nd; ++i) {
      Val v{Kind()};
      if (i < np) {
        v.lo = Bits(v.t);
        if (v.t == 'V') v.hi = rng_();
        params_.push_back(v);
      }
      locals_.push_back(v);
    }
    // Param 0 is an i32 selector: conditions come from it or from constants.
    std::string body = Seq(0, &stack_);
    while (stack_.size() > 14) {
      body += "drop\n";
      stack_.pop_back();
    }
    std::string wat = "(module\n" + helpers_ + "(func (export \"f\")";
    if (!params_.empty()) wat += " (param" + Types(params_) + ")";
    if (!stack_.empty()) wat += " (result" + Types(stack_) + ")";
    if (nd > 0)
      wat += " (local" + Types(std::vector<Val>(locals_.begin() + np, locals_.end())) + ")";
    return wat + "\n" + body + "))";
  }
  const std::vector<Val>& params() const { return params_; }
  const std::vector<Val>& results() const { return stack_; }

 private:
  int Rand(int lo, int hi) { return lo + static_cast<int>(rng_() % (hi - lo + 1)); }
  char Kind() { return "iIFVV"[Rand(0, 4)]; }
  uint64_t Bits(char t) {
    if (t == 'i') return rng_() & 0xFFFFFFFFu;
    if (t == 'F') {
      double d = Rand(-1000, 1000) * 0.25;
      uint64_t b;
      std::memcpy(&b, &d, 8);
      return b;
    }
    return (static_cast<uint64_t>(rng_()) << 32) | rng_();
  }
  static const char* TypeName(char t) {
    return t == 'i' ? "i32" : t == 'I' ? "i64" : t == 'F' ? "f64" : "v128";
  }
  static std::string Types(const std::vector<Val>& vs) {
    std::string r;
    for (const Val& v : vs) {
      r.push_back(' ');
      r.append(TypeName(v.t));
    }
    return r;
  }
  std::string Const(const Val& v) {
    switch (v.t) {
      case 'i':
        return "(i32.const " + std::to_string(static_cast<uint32_t>(v.lo)) + ")";
      case 'I':
        return "(i64.const " + std::to_string(v.lo) + ")";
      case 'F': {
        double d;
        std::memcpy(&d, &v.lo, 8);
        return "(f64.const " + std::to_string(d) + ")";
      }
      default:
        return "(v128.const i64x2 " + std::to_string(v.lo) + " " + std::to_string(v.hi) + ")";
    }
  }
  Val RandomVal(char t) {
    Val v{t, Bits(t), t == 'V' ? (static_cast<uint64_t>(rng_()) << 32 | rng_()) : 0};
    return v;
  }
  // A value of kind t: a local of that kind or a constant.
  std::string Push(char t, std::vector<Val>* st) {
    std::vector<int> same;
    for (size_t i = 0; i < locals_.size(); ++i)
      if (locals_[i].t == t) same.push_back(static_cast<int>(i));
    if (!same.empty() && Rand(0, 2) > 0) {
      int l = same[Rand(0, static_cast<int>(same.size()) - 1)];
      st->push_back(locals_[l]);
      return "(local.get " + std::to_string(l) + ")\n";
    }
    Val v = RandomVal(t);
    st->push_back(v);
    return Const(v) + "\n";
  }
  // An i32 condition; *taken says whether it is nonzero.
  std::string Cond(bool* taken) {
    if (params_[0].t == 'i' && Rand(0, 1)) {
      *taken = static_cast<uint32_t>(locals_[0].lo) != 0;
      return "(local.get 0)";
    }
    *taken = Rand(0, 1) != 0;
    return *taken ? "(i32.const 1)" : "(i32.const 0)";
  }
  std::string Seq(int depth, std::vector<Val>* st) {
    std::string out;
    int n = Rand(2, 10);
    for (int k = 0; k < n; ++k) {
      switch (Rand(0, 9)) {
        case 0:
        case 1:
          out += Push(Kind(), st);
          break;
        case 2:  // local.set / local.tee
          if (!st->empty()) {
            std::vector<int> same;
            for (size_t i = 0; i < locals_.size(); ++i)
              if (locals_[i].t == st->back().t) same.push_back(static_cast<int>(i));
            if (same.empty()) break;
            int l = same[Rand(0, static_cast<int>(same.size()) - 1)];
            locals_[l] = st->back();
            if (Rand(0, 1)) {
              out += "local.tee " + std::to_string(l) + "\n";
            } else {
              out += "local.set " + std::to_string(l) + "\n";
              st->pop_back();
            }
          }
          break;
        case 3:
          if (!st->empty() && st->size() > 3) {
            out += "drop\n";
            st->pop_back();
          }
          break;
        case 4: {  // select between the top value and a new one of its kind
          if (st->empty()) break;
          Val a = st->back();
          out += Push(a.t, st);
          Val b = st->back();
          st->pop_back();
          st->pop_back();
          bool taken;
          out += Cond(&taken) + "\nselect\n";
          st->push_back(taken ? a : b);
          break;
        }
        case 5:
        case 6:
          if (depth < 3) out += Block(depth, st);
          break;
        case 7:
          if (depth < 3) out += If(depth, st);
          break;
        default:
          out += Call(st);
          break;
      }
    }
    return out;
  }
  // The top n values (at most what is there) become the params of a nested construct.
  std::vector<Val> TakeParams(std::vector<Val>* st) {
    auto n = static_cast<size_t>(Rand(0, 4));
    n = std::min(n, st->size());
    std::vector<Val> p(st->end() - static_cast<ptrdiff_t>(n), st->end());
    st->resize(st->size() - n);
    return p;
  }
  // Replaces `vals` by new values of the same kinds (code: drops, then pushes).
  std::string Replace(std::vector<Val>* vals) {
    std::string out;
    std::vector<char> kinds;
    for (const Val& v : *vals) kinds.push_back(v.t);
    for (size_t i = 0; i < kinds.size(); ++i) out += "drop\n";
    vals->clear();
    for (char t : kinds) out += Push(t, vals);
    return out;
  }
  std::string Block(int depth, std::vector<Val>* st) {
    std::vector<Val> inner = TakeParams(st);
    std::string params = Types(inner);
    std::string body = Seq(depth + 1, &inner);
    while (inner.size() > 5) {
      body += "drop\n";
      inner.pop_back();
    }
    std::string results = Types(inner);
    bool taken = false;
    if (Rand(0, 1)) {  // br_if with the results; if not taken they are replaced
      std::string cond = Cond(&taken);
      body += cond + "\nbr_if 0\n";
      if (!taken) body += Replace(&inner);
    }
    std::string out = "(block";
    if (!params.empty()) out += " (param" + params + ")";
    if (!results.empty()) out += " (result" + results + ")";
    out += "\n" + body + ")\n";
    st->insert(st->end(), inner.begin(), inner.end());
    return out;
  }
  std::string If(int depth, std::vector<Val>* st) {
    std::vector<Val> p = TakeParams(st);
    bool taken;
    std::string cond = Cond(&taken);
    std::vector<Val> then_stack = p;
    std::vector<Val> saved_locals = locals_;
    std::string then_body = Seq(depth + 1, &then_stack);
    while (then_stack.size() > 5) {
      then_body += "drop\n";
      then_stack.pop_back();
    }
    std::vector<Val> then_locals = locals_;
    locals_ = saved_locals;
    // else: drop the params, push values of the then arm's result kinds.
    std::vector<Val> else_stack;
    std::string else_body;
    for (size_t i = 0; i < p.size(); ++i) else_body += "drop\n";
    for (const Val& v : then_stack) else_body += Push(v.t, &else_stack);
    std::string out = cond + "\n(if";
    if (!p.empty()) out += " (param" + Types(p) + ")";
    if (!then_stack.empty()) out += " (result" + Types(then_stack) + ")";
    out += "\n(then\n" + then_body + ")\n(else\n" + else_body + "))\n";
    if (taken) locals_ = then_locals;
    const std::vector<Val>& r = taken ? then_stack : else_stack;
    st->insert(st->end(), r.begin(), r.end());
    return out;
  }
  std::string Call(std::vector<Val>* st) {
    std::vector<Val> args = TakeParams(st);
    std::string name = "$h" + std::to_string(num_helpers_++);
    std::string fn = "(func " + name;
    if (!args.empty()) fn += " (param" + Types(args) + ")";
    std::vector<Val> res;
    std::string body;
    int nr = args.empty() ? 0 : Rand(0, 4);
    for (int i = 0; i < nr; ++i) {
      int a = Rand(0, static_cast<int>(args.size()) - 1);
      res.push_back(args[a]);
      body += " (local.get " + std::to_string(a) + ")";
    }
    if (!res.empty()) fn += " (result" + Types(res) + ")";
    helpers_ += fn + body + ")\n";
    st->insert(st->end(), res.begin(), res.end());
    return "call " + name + "\n";
  }

  std::mt19937 rng_;
  std::vector<Val> params_, locals_, stack_;
  std::string helpers_;
  int num_helpers_ = 0;
};

TEST(V128Abi, RandomMovePrograms) {
  for (uint32_t seed = 1; seed <= 400; ++seed) {
    MoveProgram p(seed);
    std::string wat = p.Generate();
    SCOPED_TRACE("seed " + std::to_string(seed) + ":\n" + wat);
    WT_JIT(m, wat);
    std::vector<runtime::ValueSlot> args;
    for (const auto& v : p.params()) args.push_back(V(v.lo, v.hi));
    auto r = m.Call("f", args);
    ASSERT_EQ(r.size(), p.results().size());
    for (size_t i = 0; i < r.size(); ++i) {
      const auto& e = p.results()[i];
      SCOPED_TRACE("result " + std::to_string(i));
      if (e.t == 'i')
        EXPECT_EQ(r[i].i32, static_cast<uint32_t>(e.lo));
      else if (e.t == 'V')
        EXPECT_V128(r[i], V(e.lo, e.hi));
      else
        EXPECT_EQ(r[i].i64, e.lo);
    }
  }
}

}  // namespace
}  // namespace wt::jit::testing
