// The integer SIMD family of masm_x64_simd_int.cpp (add/sub/sat, mul, min/max, avgr, abs/neg,
// popcnt, compares) at the Masm level, on every ISA level the host has and every register
// layout of simd_test_util.h, against scalar references.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "simd_test_util.h"

namespace wt::jit::testing {
namespace {

using wasm::Op;

template <typename T, typename F>
VRef L2(F f) {
  return [f](const V128* in) { return Map2<T>(in[0], in[1], f); };
}
template <typename T, typename F>
VRef L1(F f) {
  return [f](const V128* in) { return Map1<T>(in[0], f); };
}

template <typename T>
T Sat(int64_t x) {
  return static_cast<T>(
      std::clamp<int64_t>(x, std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
}

TEST(X64SimdInt, AddSub) {
  auto add = [](auto x, auto y) { return x + y; };
  auto sub = [](auto x, auto y) { return x - y; };
  Bin(Op::I8x16Add, Shape::kI8, L2<uint8_t>(add));
  Bin(Op::I16x8Add, Shape::kI16, L2<uint16_t>(add));
  Bin(Op::I32x4Add, Shape::kI32, L2<uint32_t>(add));
  Bin(Op::I64x2Add, Shape::kI64, L2<uint64_t>(add));
  Bin(Op::I8x16Sub, Shape::kI8, L2<uint8_t>(sub));
  Bin(Op::I16x8Sub, Shape::kI16, L2<uint16_t>(sub));
  Bin(Op::I32x4Sub, Shape::kI32, L2<uint32_t>(sub));
  Bin(Op::I64x2Sub, Shape::kI64, L2<uint64_t>(sub));
}

TEST(X64SimdInt, Saturating) {
  Bin(Op::I8x16AddSatS, Shape::kI8,
      L2<int8_t>([](int8_t x, int8_t y) { return Sat<int8_t>(int64_t{x} + y); }));
  Bin(Op::I8x16AddSatU, Shape::kI8,
      L2<uint8_t>([](uint8_t x, uint8_t y) { return Sat<uint8_t>(int64_t{x} + y); }));
  Bin(Op::I8x16SubSatS, Shape::kI8,
      L2<int8_t>([](int8_t x, int8_t y) { return Sat<int8_t>(int64_t{x} - y); }));
  Bin(Op::I8x16SubSatU, Shape::kI8,
      L2<uint8_t>([](uint8_t x, uint8_t y) { return Sat<uint8_t>(int64_t{x} - y); }));
  Bin(Op::I16x8AddSatS, Shape::kI16,
      L2<int16_t>([](int16_t x, int16_t y) { return Sat<int16_t>(int64_t{x} + y); }));
  Bin(Op::I16x8AddSatU, Shape::kI16,
      L2<uint16_t>([](uint16_t x, uint16_t y) { return Sat<uint16_t>(int64_t{x} + y); }));
  Bin(Op::I16x8SubSatS, Shape::kI16,
      L2<int16_t>([](int16_t x, int16_t y) { return Sat<int16_t>(int64_t{x} - y); }));
  Bin(Op::I16x8SubSatU, Shape::kI16,
      L2<uint16_t>([](uint16_t x, uint16_t y) { return Sat<uint16_t>(int64_t{x} - y); }));
}

TEST(X64SimdInt, MinMaxAvgr) {
  auto mn = [](auto x, auto y) { return std::min(x, y); };
  auto mx = [](auto x, auto y) { return std::max(x, y); };
  Bin(Op::I8x16MinS, Shape::kI8, L2<int8_t>(mn));
  Bin(Op::I8x16MinU, Shape::kI8, L2<uint8_t>(mn));
  Bin(Op::I8x16MaxS, Shape::kI8, L2<int8_t>(mx));
  Bin(Op::I8x16MaxU, Shape::kI8, L2<uint8_t>(mx));
  Bin(Op::I16x8MinS, Shape::kI16, L2<int16_t>(mn));
  Bin(Op::I16x8MinU, Shape::kI16, L2<uint16_t>(mn));
  Bin(Op::I16x8MaxS, Shape::kI16, L2<int16_t>(mx));
  Bin(Op::I16x8MaxU, Shape::kI16, L2<uint16_t>(mx));
  Bin(Op::I32x4MinS, Shape::kI32, L2<int32_t>(mn));
  Bin(Op::I32x4MinU, Shape::kI32, L2<uint32_t>(mn));
  Bin(Op::I32x4MaxS, Shape::kI32, L2<int32_t>(mx));
  Bin(Op::I32x4MaxU, Shape::kI32, L2<uint32_t>(mx));
  auto avgr = [](auto x, auto y) { return (uint32_t{x} + y + 1) >> 1; };
  Bin(Op::I8x16AvgrU, Shape::kI8, L2<uint8_t>(avgr));
  Bin(Op::I16x8AvgrU, Shape::kI16, L2<uint16_t>(avgr));
}

TEST(X64SimdInt, Mul) {
  Bin(Op::I16x8Mul, Shape::kI16,
      L2<uint16_t>([](uint16_t x, uint16_t y) { return uint32_t{x} * y; }));
  Bin(Op::I32x4Mul, Shape::kI32,
      L2<uint32_t>([](uint32_t x, uint32_t y) { return uint64_t{x} * y; }));
  Bin(Op::I64x2Mul, Shape::kI64, L2<uint64_t>([](uint64_t x, uint64_t y) { return x * y; }));
}

TEST(X64SimdInt, AbsNeg) {
  auto abs = [](auto x) { return x < 0 ? 0 - static_cast<uint64_t>(x) : x; };
  auto neg = [](auto x) { return 0 - static_cast<uint64_t>(x); };
  Un(Op::I8x16Abs, Shape::kI8, L1<int8_t>(abs));
  Un(Op::I16x8Abs, Shape::kI16, L1<int16_t>(abs));
  Un(Op::I32x4Abs, Shape::kI32, L1<int32_t>(abs));
  Un(Op::I64x2Abs, Shape::kI64, L1<int64_t>(abs));
  Un(Op::I8x16Neg, Shape::kI8, L1<int8_t>(neg));
  Un(Op::I16x8Neg, Shape::kI16, L1<int16_t>(neg));
  Un(Op::I32x4Neg, Shape::kI32, L1<int32_t>(neg));
  Un(Op::I64x2Neg, Shape::kI64, L1<int64_t>(neg));
}

TEST(X64SimdInt, Popcnt) {
  Un(Op::I8x16Popcnt, Shape::kI8, L1<uint8_t>([](uint8_t x) { return __builtin_popcount(x); }));
}

// The ten compares of one shape (eq, ne, lt/gt/le/ge s and u), or the six of i64x2.
template <typename S>
void Compares(Shape shape, Op eq, Op ne, Op lt_s, Op lt_u, Op gt_s, Op gt_u, Op le_s, Op le_u,
              Op ge_s, Op ge_u) {
  using U = std::make_unsigned_t<S>;
  auto m = [](bool b) { return Mask<U>(b); };
  Bin(eq, shape, L2<U>([m](U x, U y) { return m(x == y); }));
  Bin(ne, shape, L2<U>([m](U x, U y) { return m(x != y); }));
  Bin(lt_s, shape, L2<U>([m](U x, U y) { return m(S(x) < S(y)); }));
  Bin(gt_s, shape, L2<U>([m](U x, U y) { return m(S(x) > S(y)); }));
  Bin(le_s, shape, L2<U>([m](U x, U y) { return m(S(x) <= S(y)); }));
  Bin(ge_s, shape, L2<U>([m](U x, U y) { return m(S(x) >= S(y)); }));
  if (lt_u == Op::Unreachable) return;
  Bin(lt_u, shape, L2<U>([m](U x, U y) { return m(x < y); }));
  Bin(gt_u, shape, L2<U>([m](U x, U y) { return m(x > y); }));
  Bin(le_u, shape, L2<U>([m](U x, U y) { return m(x <= y); }));
  Bin(ge_u, shape, L2<U>([m](U x, U y) { return m(x >= y); }));
}

TEST(X64SimdInt, CompareI8) {
  Compares<int8_t>(Shape::kI8, Op::I8x16Eq, Op::I8x16Ne, Op::I8x16LtS, Op::I8x16LtU, Op::I8x16GtS,
                   Op::I8x16GtU, Op::I8x16LeS, Op::I8x16LeU, Op::I8x16GeS, Op::I8x16GeU);
}

TEST(X64SimdInt, CompareI16) {
  Compares<int16_t>(Shape::kI16, Op::I16x8Eq, Op::I16x8Ne, Op::I16x8LtS, Op::I16x8LtU, Op::I16x8GtS,
                    Op::I16x8GtU, Op::I16x8LeS, Op::I16x8LeU, Op::I16x8GeS, Op::I16x8GeU);
}

TEST(X64SimdInt, CompareI32) {
  Compares<int32_t>(Shape::kI32, Op::I32x4Eq, Op::I32x4Ne, Op::I32x4LtS, Op::I32x4LtU, Op::I32x4GtS,
                    Op::I32x4GtU, Op::I32x4LeS, Op::I32x4LeU, Op::I32x4GeS, Op::I32x4GeU);
}

TEST(X64SimdInt, CompareI64) {
  // Both paths: pcmpgtq (sse4.2 and up) and the SSE4.1 sequence (the sse4.1 level).
  Compares<int64_t>(Shape::kI64, Op::I64x2Eq, Op::I64x2Ne, Op::I64x2LtS, Op::Unreachable,
                    Op::I64x2GtS, Op::Unreachable, Op::I64x2LeS, Op::Unreachable, Op::I64x2GeS,
                    Op::Unreachable);
}

TEST(X64SimdInt, I64CompareNeedsATempOnlyWithoutSse42) {
  for (const IsaLevel& level : SimdLevels()) {
    x64::Masm m(level.cpu);
    EXPECT_EQ(m.SimdTemps(Op::I64x2GtS), level.cpu.sse42 ? 0 : 1) << level.name;
    EXPECT_EQ(m.SimdTemps(Op::I64x2Mul), 1) << level.name;
    EXPECT_EQ(m.SimdTemps(Op::I8x16Popcnt), 1) << level.name;
    EXPECT_EQ(m.SimdTemps(Op::I32x4Add), 0) << level.name;
  }
}

// Every op of both integer families (int and int2); shifts by a constant and by a register.
struct AnyOp {
  std::string name;
  Op op;
  std::function<void(x64::Masm&, const VRegs&, VTemps)> emit;
};

std::vector<AnyOp> AllIntOps() {
  std::vector<AnyOp> ops;
  for (Op op : {Op::I8x16Add,
                Op::I16x8Add,
                Op::I32x4Add,
                Op::I64x2Add,
                Op::I8x16Sub,
                Op::I16x8Sub,
                Op::I32x4Sub,
                Op::I64x2Sub,
                Op::I8x16AddSatS,
                Op::I8x16AddSatU,
                Op::I16x8AddSatS,
                Op::I16x8AddSatU,
                Op::I8x16SubSatS,
                Op::I8x16SubSatU,
                Op::I16x8SubSatS,
                Op::I16x8SubSatU,
                Op::I8x16MinS,
                Op::I8x16MinU,
                Op::I8x16MaxS,
                Op::I8x16MaxU,
                Op::I16x8MinS,
                Op::I16x8MinU,
                Op::I16x8MaxS,
                Op::I16x8MaxU,
                Op::I32x4MinS,
                Op::I32x4MinU,
                Op::I32x4MaxS,
                Op::I32x4MaxU,
                Op::I8x16AvgrU,
                Op::I16x8AvgrU,
                Op::I16x8Mul,
                Op::I32x4Mul,
                Op::I64x2Mul,
                Op::I8x16Eq,
                Op::I8x16Ne,
                Op::I8x16LtS,
                Op::I8x16LtU,
                Op::I8x16GtS,
                Op::I8x16GtU,
                Op::I8x16LeS,
                Op::I8x16LeU,
                Op::I8x16GeS,
                Op::I8x16GeU,
                Op::I16x8Eq,
                Op::I16x8Ne,
                Op::I16x8LtS,
                Op::I16x8LtU,
                Op::I16x8GtS,
                Op::I16x8GtU,
                Op::I16x8LeS,
                Op::I16x8LeU,
                Op::I16x8GeS,
                Op::I16x8GeU,
                Op::I32x4Eq,
                Op::I32x4Ne,
                Op::I32x4LtS,
                Op::I32x4LtU,
                Op::I32x4GtS,
                Op::I32x4GtU,
                Op::I32x4LeS,
                Op::I32x4LeU,
                Op::I32x4GeS,
                Op::I32x4GeU,
                Op::I64x2Eq,
                Op::I64x2Ne,
                Op::I64x2LtS,
                Op::I64x2GtS,
                Op::I64x2LeS,
                Op::I64x2GeS,
                Op::I8x16NarrowI16x8S,
                Op::I8x16NarrowI16x8U,
                Op::I16x8NarrowI32x4S,
                Op::I16x8NarrowI32x4U,
                Op::I16x8ExtmulLowI8x16S,
                Op::I16x8ExtmulHighI8x16S,
                Op::I16x8ExtmulLowI8x16U,
                Op::I16x8ExtmulHighI8x16U,
                Op::I32x4ExtmulLowI16x8S,
                Op::I32x4ExtmulHighI16x8S,
                Op::I32x4ExtmulLowI16x8U,
                Op::I32x4ExtmulHighI16x8U,
                Op::I64x2ExtmulLowI32x4S,
                Op::I64x2ExtmulHighI32x4S,
                Op::I64x2ExtmulLowI32x4U,
                Op::I64x2ExtmulHighI32x4U,
                Op::I32x4DotI16x8S,
                Op::I16x8Q15mulrSatS}) {
    ops.push_back({wasm::OpText(op), op, [op](x64::Masm& m, const VRegs& r, VTemps t) {
                     m.SimdBinop(op, r.dst, r.a, r.b, t);
                   }});
  }
  for (Op op : {Op::I8x16Abs,
                Op::I16x8Abs,
                Op::I32x4Abs,
                Op::I64x2Abs,
                Op::I8x16Neg,
                Op::I16x8Neg,
                Op::I32x4Neg,
                Op::I64x2Neg,
                Op::I8x16Popcnt,
                Op::I16x8ExtendLowI8x16S,
                Op::I16x8ExtendHighI8x16S,
                Op::I16x8ExtendLowI8x16U,
                Op::I16x8ExtendHighI8x16U,
                Op::I32x4ExtendLowI16x8S,
                Op::I32x4ExtendHighI16x8S,
                Op::I32x4ExtendLowI16x8U,
                Op::I32x4ExtendHighI16x8U,
                Op::I64x2ExtendLowI32x4S,
                Op::I64x2ExtendHighI32x4S,
                Op::I64x2ExtendLowI32x4U,
                Op::I64x2ExtendHighI32x4U,
                Op::I16x8ExtaddPairwiseI8x16S,
                Op::I16x8ExtaddPairwiseI8x16U,
                Op::I32x4ExtaddPairwiseI16x8S,
                Op::I32x4ExtaddPairwiseI16x8U}) {
    ops.push_back({wasm::OpText(op), op, [op](x64::Masm& m, const VRegs& r, VTemps t) {
                     m.SimdUnop(op, r.dst, r.a, t);
                   }});
  }
  for (Op op :
       {Op::I8x16Shl, Op::I8x16ShrS, Op::I8x16ShrU, Op::I16x8Shl, Op::I16x8ShrS, Op::I16x8ShrU,
        Op::I32x4Shl, Op::I32x4ShrS, Op::I32x4ShrU, Op::I64x2Shl, Op::I64x2ShrS, Op::I64x2ShrU}) {
    ops.push_back(
        {std::string(wasm::OpText(op)) + " gp", op, [op](x64::Masm& m, const VRegs& r, VTemps t) {
           m.SimdShift(op, r.dst, r.a, r.gp_in, t);
         }});
    ops.push_back(
        {std::string(wasm::OpText(op)) + " imm", op,
         [op](x64::Masm& m, const VRegs& r, VTemps t) { m.SimdShiftImm(op, r.dst, r.a, 5, t); }});
  }
  return ops;
}

// Runs each op with xmm0..xmm14 and rax, rcx, rdx, r8..r10 holding known values, and checks
// that afterwards every one of them but dst and the op's temps holds it still (xmm15 and r11
// are the Masm's), on every ISA level.
TEST(X64SimdInt, ClobbersOnlyDstTempsAndScratch) {
  auto x = [](unsigned n) { return Reg::Fp(n); };
  std::vector<VRegs> layouts = {
      {"fresh", x(4), x(1), x(2), x(3), {x(5), x(6)}},
      {"dst=a", x(1), x(1), x(2), x(3), {x(5), x(6)}},
      {"dst=b", x(2), x(1), x(2), x(3), {x(0), x(7)}},
      {"high", x(12), x(9), x(10), x(11), {x(13), x(14)}},
  };
  layouts[3].gp_in = x64::reg::r8;
  for (const AnyOp& op : AllIntOps()) {
    for (const IsaLevel& level : SimdLevels()) {
      for (const VRegs& r : layouts) {
        VTemps t;
        bool ok = CheckKeepsRegs(
            op.name, level, r.name,
            [&](x64::Masm& m) {
              t = TempsFor(m, op.op, r);
              op.emit(m, r, t);
            },
            [&](Reg reg) { return reg.is_fp() && (reg == r.dst || reg == t.t0 || reg == t.t1); });
        if (!ok) return;
      }
    }
  }
}

}  // namespace
}  // namespace wt::jit::testing
