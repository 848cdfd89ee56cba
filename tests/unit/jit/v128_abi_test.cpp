// v128 values as first-class JIT values (docs/simd-plan.md section 1): params and results at
// every position among scalars (call-area padding), spills under register pressure, locals in
// loops, branches carrying v128 values, select, if with params, globals, calls (direct,
// call_indirect, a host function) and the entry trampoline. Only moves, no vector arithmetic:
// values come in as params and go out as results.
#include <gtest/gtest.h>

#include <cstring>
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

}  // namespace
}  // namespace wt::jit::testing
