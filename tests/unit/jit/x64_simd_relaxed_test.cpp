// The 20 relaxed SIMD ops at the Masm level (masm_x64_simd_relaxed.cpp), on every ISA level the
// host has, against exact references for wtrun's deterministic choices (docs/simd.md): the
// same bits on every level, except madd/nmadd, fused only on the levels with FMA and AVX2.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "simd_test_util.h"

namespace wt::jit::testing {
namespace {

using wasm::Op;

auto Binop(Op op) {
  return [op](x64::Masm& m, const VRegs& r) { m.SimdBinop(op, r.dst, r.a, r.b, r.t); };
}
auto Unop(Op op) {
  return [op](x64::Masm& m, const VRegs& r) { m.SimdUnop(op, r.dst, r.a, r.t); };
}
auto Ternop(Op op) {
  return [op](x64::Masm& m, const VRegs& r) { m.SimdTernop(op, r.dst, r.a, r.b, r.c, r.t); };
}

// x86's cvtt*: NaN and out-of-range lanes give INT32_MIN.
template <typename F>
int32_t TruncOrMin(F f) {
  if (std::isnan(f) || f >= F(2147483648.0) || f < F(-2147483648.0)) return INT32_MIN;
  return static_cast<int32_t>(f);
}
// trunc_sat_u.
template <typename F>
uint32_t TruncSatU(F f) {
  if (std::isnan(f) || f <= F(-1.0)) return 0;
  if (f >= F(4294967296.0)) return UINT32_MAX;
  return static_cast<uint32_t>(f);
}

TEST(X64SimdRelaxed, TempsDeclared) {
  CpuFeatures host = x64::HostCpuFeatures();
  x64::Masm m(host);
  EXPECT_EQ(m.SimdTemps(Op::I32x4RelaxedTruncF32x4U), 1);
  EXPECT_EQ(m.SimdTemps(Op::I32x4RelaxedTruncF64x2UZero), 1);
  EXPECT_EQ(m.SimdTemps(Op::I32x4RelaxedDotI8x16I7x16AddS), 1);
  EXPECT_EQ(m.SimdTemps(Op::F32x4RelaxedMadd), 0);
  EXPECT_EQ(m.SimdTemps(Op::I8x16RelaxedLaneselect), 0);
}

TEST(X64SimdRelaxed, Swizzle) {
  // Top bit set -> 0; otherwise a[idx & 15] (indices 16..127 wrap, as pshufb does).
  CheckVOp("i8x16.relaxed_swizzle", 2, Shape::kI8, Binop(Op::I8x16RelaxedSwizzle),
           [](const V128* in) {
             V128 out;
             for (int i = 0; i < 16; ++i) {
               uint8_t idx = Lane<uint8_t>(in[1], i);
               SetLane<uint8_t>(out, i, (idx & 0x80) ? 0 : Lane<uint8_t>(in[0], idx & 15));
             }
             return out;
           });
}

TEST(X64SimdRelaxed, TruncF32x4) {
  CheckVOp("i32x4.relaxed_trunc_f32x4_s", 1, Shape::kF32, Unop(Op::I32x4RelaxedTruncF32x4S),
           [](const V128* in) {
             return Map1<int32_t, float>(in[0], [](float f) { return TruncOrMin(f); });
           });
  CheckVOp("i32x4.relaxed_trunc_f32x4_u", 1, Shape::kF32, Unop(Op::I32x4RelaxedTruncF32x4U),
           [](const V128* in) {
             return Map1<uint32_t, float>(in[0], [](float f) { return TruncSatU(f); });
           });
}

TEST(X64SimdRelaxed, TruncF64x2Zero) {
  CheckVOp("i32x4.relaxed_trunc_f64x2_s_zero", 1, Shape::kF64,
           Unop(Op::I32x4RelaxedTruncF64x2SZero), [](const V128* in) {
             V128 out;
             for (int i = 0; i < 2; ++i)
               SetLane<int32_t>(out, i, TruncOrMin(Lane<double>(in[0], i)));
             return out;
           });
  CheckVOp("i32x4.relaxed_trunc_f64x2_u_zero", 1, Shape::kF64,
           Unop(Op::I32x4RelaxedTruncF64x2UZero), [](const V128* in) {
             V128 out;
             for (int i = 0; i < 2; ++i)
               SetLane<uint32_t>(out, i, TruncSatU(Lane<double>(in[0], i)));
             return out;
           });
}

// madd/nmadd differ by level, so this loops over the levels itself.
template <typename F>
void CheckMadd(Op op, bool negate, Shape shape) {
  std::vector<V128> vs = InputVectors(shape);
  size_t n = vs.size();
  int failures = 0;
  for (const IsaLevel& level : SimdLevels()) {
    bool fused = level.cpu.fma && level.cpu.avx2;
    for (const VRegs& r : AliasLayouts()) {
      auto fn = AssembleVOp(level.cpu, r, 3, Ternop(op));
      ASSERT_TRUE(fn->ok()) << fn->error();
      for (size_t k = 0; k < n && failures < 5; ++k) {
        V128 in[4];
        for (int i = 0; i < 3; ++i) in[i] = vs[(k * (i + 1) + i) % n];
        in[3] = V128{0x0123456789ABCDEFull, 0xFEDCBA9876543210ull};
        EffectiveInputs(r, 3, in);
        V128 out[3];
        (*fn)(in, out, 0);
        V128 want;
        for (int i = 0; i < kLanes<F>; ++i) {
          F a = Lane<F>(in[0], i), b = Lane<F>(in[1], i), c = Lane<F>(in[2], i);
          if (negate) a = -a;
          F res;
          if (fused) {
            res = std::fma(a, b, c);
          } else {
            volatile F p = a * b;  // rounded: no contraction
            res = p + c;
          }
          SetLane<F>(want, i, res);
        }
        if (!FloatLanesMatch<F>(want, out[0])) {
          ++failures;
          ADD_FAILURE() << wasm::OpText(op) << " [" << level.name << ", " << r.name << "] "
                        << Hex(in[0]) << " " << Hex(in[1]) << " " << Hex(in[2]) << ": want "
                        << Hex(want) << " got " << Hex(out[0]);
        }
      }
    }
  }
}

TEST(X64SimdRelaxed, Madd) {
  CheckMadd<float>(Op::F32x4RelaxedMadd, false, Shape::kF32);
  CheckMadd<float>(Op::F32x4RelaxedNmadd, true, Shape::kF32);
  CheckMadd<double>(Op::F64x2RelaxedMadd, false, Shape::kF64);
  CheckMadd<double>(Op::F64x2RelaxedNmadd, true, Shape::kF64);
}

TEST(X64SimdRelaxed, MaddIsFusedOnlyWithFmaAndAvx2) {
  // 1 + 2^-23 squared minus (1 + 2^-22): 2^-46 fused, 0 unfused.
  float x = 1.0f + 0x1p-23f;
  V128 in[4];
  for (int i = 0; i < 4; ++i) {
    SetLane<float>(in[0], i, x);
    SetLane<float>(in[1], i, x);
    SetLane<float>(in[2], i, -(1.0f + 0x1p-22f));
  }
  for (const IsaLevel& level : SimdLevels()) {
    auto fn = AssembleVOp(level.cpu, AliasLayouts()[0], 3, Ternop(Op::F32x4RelaxedMadd));
    ASSERT_TRUE(fn->ok());
    V128 out[3];
    (*fn)(in, out, 0);
    float want = level.cpu.fma && level.cpu.avx2 ? 0x1p-46f : 0.0f;
    EXPECT_EQ(Lane<float>(out[0], 3), want) << level.name;
  }
}

template <typename T>
V128 LaneselectRef(const V128* in, bool by_byte) {
  V128 out;
  if (by_byte) {
    for (int i = 0; i < 16; ++i) {
      bool sel = Lane<uint8_t>(in[2], i) & 0x80;
      SetLane<uint8_t>(out, i, sel ? Lane<uint8_t>(in[0], i) : Lane<uint8_t>(in[1], i));
    }
    return out;
  }
  for (int i = 0; i < kLanes<T>; ++i) {
    bool sel = Lane<T>(in[2], i) >> (sizeof(T) * 8 - 1);
    SetLane<T>(out, i, sel ? Lane<T>(in[0], i) : Lane<T>(in[1], i));
  }
  return out;
}

TEST(X64SimdRelaxed, Laneselect) {
  CheckVOp("i8x16.relaxed_laneselect", 3, Shape::kI8, Ternop(Op::I8x16RelaxedLaneselect),
           [](const V128* in) { return LaneselectRef<uint8_t>(in, true); });
  // i16x8 selects by each byte's top bit (pblendvb), the choice the spec allows.
  CheckVOp("i16x8.relaxed_laneselect", 3, Shape::kI16, Ternop(Op::I16x8RelaxedLaneselect),
           [](const V128* in) { return LaneselectRef<uint16_t>(in, true); });
  CheckVOp("i32x4.relaxed_laneselect", 3, Shape::kI32, Ternop(Op::I32x4RelaxedLaneselect),
           [](const V128* in) { return LaneselectRef<uint32_t>(in, false); });
  CheckVOp("i64x2.relaxed_laneselect", 3, Shape::kI64, Ternop(Op::I64x2RelaxedLaneselect),
           [](const V128* in) { return LaneselectRef<uint64_t>(in, false); });
}

TEST(X64SimdRelaxed, MinMax) {
  // x86: the second operand unless a < b (min) / a > b (max): NaNs and zero pairs give b.
  auto min = [](auto a, auto b) { return a < b ? a : b; };
  auto max = [](auto a, auto b) { return a > b ? a : b; };
  auto bits = [](auto f) { return [f](auto a, auto b) { return Bits(f(a, b)); }; };
  CheckVOp("f32x4.relaxed_min", 2, Shape::kF32, Binop(Op::F32x4RelaxedMin),
           [&](const V128* in) { return Map2<uint32_t, float>(in[0], in[1], bits(min)); });
  CheckVOp("f32x4.relaxed_max", 2, Shape::kF32, Binop(Op::F32x4RelaxedMax),
           [&](const V128* in) { return Map2<uint32_t, float>(in[0], in[1], bits(max)); });
  CheckVOp("f64x2.relaxed_min", 2, Shape::kF64, Binop(Op::F64x2RelaxedMin),
           [&](const V128* in) { return Map2<uint64_t, double>(in[0], in[1], bits(min)); });
  CheckVOp("f64x2.relaxed_max", 2, Shape::kF64, Binop(Op::F64x2RelaxedMax),
           [&](const V128* in) { return Map2<uint64_t, double>(in[0], in[1], bits(max)); });
}

TEST(X64SimdRelaxed, Q15mulr) {
  CheckVOp("i16x8.relaxed_q15mulr_s", 2, Shape::kI16, Binop(Op::I16x8RelaxedQ15mulrS),
           [](const V128* in) {
             return Map2<int16_t>(in[0], in[1], [](int16_t a, int16_t b) {
               return static_cast<int16_t>((int32_t{a} * b + 0x4000) >> 15);  // 0x8000² wraps
             });
           });
}

int16_t Dot16(const V128& a, const V128& b, int i) {
  int32_t s = 0;
  for (int k = 2 * i; k < 2 * i + 2; ++k) s += Lane<int8_t>(a, k) * Lane<uint8_t>(b, k);
  return static_cast<int16_t>(std::clamp(s, -32768, 32767));
}

TEST(X64SimdRelaxed, Dot) {
  CheckVOp("i16x8.relaxed_dot_i8x16_i7x16_s", 2, Shape::kI8, Binop(Op::I16x8RelaxedDotI8x16I7x16S),
           [](const V128* in) {
             V128 out;
             for (int i = 0; i < 8; ++i) SetLane<int16_t>(out, i, Dot16(in[0], in[1], i));
             return out;
           });
  CheckVOp("i32x4.relaxed_dot_i8x16_i7x16_add_s", 3, Shape::kI8,
           Ternop(Op::I32x4RelaxedDotI8x16I7x16AddS), [](const V128* in) {
             V128 out;
             for (int i = 0; i < 4; ++i) {
               uint32_t s = static_cast<uint32_t>(Dot16(in[0], in[1], 2 * i) +
                                                  Dot16(in[0], in[1], 2 * i + 1));
               SetLane<uint32_t>(out, i, s + Lane<uint32_t>(in[2], i));
             }
             return out;
           });
}

TEST(X64SimdRelaxed, SpecDotCases) {
  // relaxed_dot_product.wast: both results the spec allows for b's lanes >= 0x80 include ours.
  V128 in[4];
  for (int i = 0; i < 16; ++i) {
    SetLane<int8_t>(in[0], i, -128);
    SetLane<uint8_t>(in[1], i, 0x81);  // -127 signed, 129 unsigned
  }
  auto fn =
      AssembleVOp(SimdLevels()[0].cpu, AliasLayouts()[0], 2, Binop(Op::I16x8RelaxedDotI8x16I7x16S));
  ASSERT_TRUE(fn->ok());
  V128 out[3];
  (*fn)(in, out, 0);
  EXPECT_EQ(Lane<int16_t>(out[0], 0), -32768);  // -128*129*2 saturated
}

}  // namespace
}  // namespace wt::jit::testing
