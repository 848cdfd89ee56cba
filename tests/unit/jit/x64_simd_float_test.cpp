// The x64 SIMD float family (masm_x64_simd_float.cpp) and the conversions
// (masm_x64_simd_convert.cpp), at the Masm level: every op on every ISA level the host has and
// every register layout of the harness, against scalar references with wasm's exact rules:
// canonical NaN in -> canonical NaN out (sign free), min/max NaN propagation and -0 < +0,
// pmin/pmax as x86 (exact bits), saturating truncations, correctly rounded conversions, and
// ties-to-even nearest.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <random>

#include "simd_test_util.h"

namespace wt::jit::testing {
namespace {

using wasm::Op;

// The harness layouts with the temps the op asked for and no more: a temp used without being
// asked for is Reg::None(), which aliases xmm15 (the Masm's scratch) and breaks the result.
std::vector<VRegs> LayoutsFor(Op op) {
  int n = 0;
  for (const IsaLevel& level : SimdLevels()) n = std::max(n, x64::Masm(level.cpu).SimdTemps(op));
  std::vector<VRegs> layouts = AliasLayouts();
  for (VRegs& r : layouts) {
    if (n < 2) r.t.t1 = Reg::None();
    if (n < 1) r.t.t0 = Reg::None();
  }
  return layouts;
}

template <typename T>
T CanonNan() {
  return FromBits<T>(sizeof(T) == 4 ? BitsOfT<T>(0x7FC00000u) : BitsOfT<T>(0x7FF8000000000000ull));
}
// An arithmetic NaN that is not canonical: a reference result meaning "any arithmetic NaN".
template <typename T>
T ArithNan() {
  return FromBits<T>(Bits(CanonNan<T>()) | 1);
}
// wasm's NaN result for an op on `xs`: canonical when every NaN input is canonical.
template <typename T, typename In>
T NanResult(std::initializer_list<In> xs) {
  for (In x : xs) {
    if (std::isnan(x) && !IsCanonicalNan(x)) return ArithNan<T>();
  }
  return CanonNan<T>();
}
template <typename T>
T Wasm(T r, std::initializer_list<T> xs) {
  return std::isnan(r) ? NanResult<T>(xs) : r;
}

// Lanes match under wasm's NaN rules: a canonical NaN wanted -> a canonical NaN of either sign;
// another NaN wanted -> any arithmetic NaN; else the same bits.
template <typename T>
bool WasmLanesMatch(const V128& want, const V128& got) {
  for (int i = 0; i < kLanes<T>; ++i) {
    T w = Lane<T>(want, i), g = Lane<T>(got, i);
    if (std::isnan(w)) {
      if (IsCanonicalNan(w) ? !IsCanonicalNan(g) : !IsArithmeticNan(g)) return false;
    } else if (Bits(w) != Bits(g)) {
      return false;
    }
  }
  return true;
}

template <typename T>
constexpr Shape kShape = sizeof(T) == 4 ? Shape::kF32 : Shape::kF64;
template <typename T>
constexpr const char* kPrefix = sizeof(T) == 4 ? "f32x4." : "f64x2.";

template <typename T, typename F>
void CheckBinop(Op op, const char* name, F f, const VMatch& match = WasmLanesMatch<T>) {
  CheckVOp(
      std::string(kPrefix<T>) + name, 2, kShape<T>,
      [op](x64::Masm& m, const VRegs& r) { m.SimdBinop(op, r.dst, r.a, r.b, r.t); },
      [f](const V128* in) { return Map2<T>(in[0], in[1], f); }, match, 0, LayoutsFor(op));
}

template <typename T, typename F>
void CheckUnop(Op op, const char* name, F f, const VMatch& match = WasmLanesMatch<T>) {
  CheckVOp(
      std::string(kPrefix<T>) + name, 1, kShape<T>,
      [op](x64::Masm& m, const VRegs& r) { m.SimdUnop(op, r.dst, r.a, r.t); },
      [f](const V128* in) { return Map1<T>(in[0], f); }, match, 0, LayoutsFor(op));
}

// Vectors of values near the interesting ranges of conversions and roundings: integers and
// halves, fractions, values around 2^31, 2^32 and 2^52, both signs, plus the edge lanes.
template <typename T>
std::vector<V128> RangedVectors(int count = 2000) {
  std::mt19937_64 rng(777);
  std::vector<V128> out = InputVectors(kShape<T>, 0);
  auto value = [&]() -> T {
    int kind = static_cast<int>(rng() % 6);
    double sign = (rng() & 1) ? -1.0 : 1.0;
    double mag;
    switch (kind) {
      case 0:  // small integers and halves (ties)
        mag = static_cast<double>(rng() % 64) * 0.5;
        break;
      case 1:  // random magnitude up to 2^34
        mag = std::ldexp(static_cast<double>(rng() >> 11), -53) * std::ldexp(1.0, rng() % 35);
        break;
      case 2:  // near 2^31
        mag = 2147483648.0 + static_cast<double>(static_cast<int64_t>(rng() % 1025) - 512);
        break;
      case 3:  // near 2^32
        mag = 4294967296.0 + static_cast<double>(static_cast<int64_t>(rng() % 1025) - 512);
        break;
      case 4:  // near 2^23 / 2^52 (where the fraction bits run out)
        mag = std::ldexp(1.0, sizeof(T) == 4 ? 23 : 52) +
              static_cast<double>(static_cast<int64_t>(rng() % 9) - 4) * 0.5;
        break;
      default:  // fractions
        mag = std::ldexp(static_cast<double>(rng() >> 11), -53) * 4.0;
        break;
    }
    return static_cast<T>(sign * mag);
  };
  for (int k = 0; k < count; ++k) {
    V128 v;
    for (int i = 0; i < kLanes<T>; ++i) SetLane<T>(v, i, value());
    out.push_back(v);
  }
  return out;
}

// Checks a one-input op on the given vectors (CheckVOp uses the standard vectors only).
void CheckUnopOn(const std::string& what, Op op, const std::vector<V128>& vs, const VRef& ref,
                 const VMatch& match) {
  int failures = 0;
  for (const IsaLevel& level : SimdLevels()) {
    for (const VRegs& r : LayoutsFor(op)) {
      if (r.dst == r.b && !(r.dst == r.a)) continue;
      if (r.dst == r.c && !(r.dst == r.a)) continue;
      auto fn = AssembleVOp(level.cpu, r, 1, [op](x64::Masm& m, const VRegs& rr) {
        m.SimdUnop(op, rr.dst, rr.a, rr.t);
      });
      ASSERT_TRUE(fn->ok()) << what << ": " << fn->error();
      for (const V128& v : vs) {
        V128 in[4] = {v, {}, {}, V128{0x0123456789ABCDEFull, 0xFEDCBA9876543210ull}};
        V128 out[3];
        (*fn)(in, out, 0);
        V128 want = ref(in);
        if (!match(want, out[0]) && failures++ < 5) {
          ADD_FAILURE() << what << " [" << level.name << ", " << r.name << "] input " << Hex(v)
                        << ": want " << Hex(want) << " got " << Hex(out[0]);
        }
      }
    }
  }
}

// --- arithmetic ---

template <typename T>
void CheckArith(Op add, Op sub, Op mul, Op div, Op sqrt) {
  CheckBinop<T>(add, "add", [](T x, T y) { return Wasm<T>(x + y, {x, y}); });
  CheckBinop<T>(sub, "sub", [](T x, T y) { return Wasm<T>(x - y, {x, y}); });
  CheckBinop<T>(mul, "mul", [](T x, T y) { return Wasm<T>(x * y, {x, y}); });
  CheckBinop<T>(div, "div", [](T x, T y) { return Wasm<T>(x / y, {x, y}); });
  CheckUnop<T>(sqrt, "sqrt", [](T x) { return Wasm<T>(std::sqrt(x), {x}); });
}

TEST(X64SimdFloat, F32x4Arithmetic) {
  CheckArith<float>(Op::F32x4Add, Op::F32x4Sub, Op::F32x4Mul, Op::F32x4Div, Op::F32x4Sqrt);
}
TEST(X64SimdFloat, F64x2Arithmetic) {
  CheckArith<double>(Op::F64x2Add, Op::F64x2Sub, Op::F64x2Mul, Op::F64x2Div, Op::F64x2Sqrt);
}

// abs/neg are bit operations: NaN payloads (signalling ones too) are kept exactly.
template <typename T>
void CheckSign(Op abs, Op neg) {
  constexpr BitsOfT<T> kSign = BitsOfT<T>(1) << (sizeof(T) * 8 - 1);
  CheckUnop<T>(
      abs, "abs", [](T x) { return FromBits<T>(Bits(x) & ~kSign); }, ExactMatch);
  CheckUnop<T>(
      neg, "neg", [](T x) { return FromBits<T>(Bits(x) ^ kSign); }, ExactMatch);
}

TEST(X64SimdFloat, F32x4AbsNeg) {
  CheckSign<float>(Op::F32x4Abs, Op::F32x4Neg);
}
TEST(X64SimdFloat, F64x2AbsNeg) {
  CheckSign<double>(Op::F64x2Abs, Op::F64x2Neg);
}

// --- min / max / pmin / pmax ---

template <typename T>
void CheckMinMax(Op min, Op max, Op pmin, Op pmax) {
  CheckBinop<T>(min, "min", [](T x, T y) {
    if (std::isnan(x) || std::isnan(y)) return NanResult<T>({x, y});
    if (x == y) return std::signbit(x) ? x : y;  // -0 < +0
    return x < y ? x : y;
  });
  CheckBinop<T>(max, "max", [](T x, T y) {
    if (std::isnan(x) || std::isnan(y)) return NanResult<T>({x, y});
    if (x == y) return std::signbit(x) ? y : x;
    return x > y ? x : y;
  });
  // pmin(a, b) = b < a ? b : a; pmax(a, b) = a < b ? b : a: exact bits (NaNs pass unchanged).
  CheckBinop<T>(
      pmin, "pmin", [](T x, T y) { return y < x ? y : x; }, ExactMatch);
  CheckBinop<T>(
      pmax, "pmax", [](T x, T y) { return x < y ? y : x; }, ExactMatch);
}

TEST(X64SimdFloat, F32x4MinMax) {
  CheckMinMax<float>(Op::F32x4Min, Op::F32x4Max, Op::F32x4Pmin, Op::F32x4Pmax);
}
TEST(X64SimdFloat, F64x2MinMax) {
  CheckMinMax<double>(Op::F64x2Min, Op::F64x2Max, Op::F64x2Pmin, Op::F64x2Pmax);
}

// min/max of canonical NaNs give a canonical NaN; of a signalling NaN, an arithmetic one; and
// the zeros, each sign in each position.
TEST(X64SimdFloat, MinMaxNanAndZeroCases) {
  const float nan = CanonNan<float>(), snan = FromBits<float>(0x7F800001u);
  const float cases[][2] = {{0.0f, -0.0f}, {-0.0f, 0.0f}, {nan, 1.0f}, {1.0f, nan},
                            {snan, 1.0f},  {1.0f, snan},  {nan, snan}, {-nan, -0.0f}};
  for (auto [x, y] : cases) {
    V128 a, b;
    for (int i = 0; i < 4; ++i) {
      SetLane<float>(a, i, x);
      SetLane<float>(b, i, y);
    }
    for (const IsaLevel& level : SimdLevels()) {
      for (Op op : {Op::F32x4Min, Op::F32x4Max}) {
        auto fn = AssembleVOp(level.cpu, AliasLayouts()[0], 2, [op](x64::Masm& m, const VRegs& r) {
          m.SimdBinop(op, r.dst, r.a, r.b, r.t);
        });
        ASSERT_TRUE(fn->ok()) << fn->error();
        V128 in[4] = {a, b, {}, {}}, out[3];
        (*fn)(in, out, 0);
        float got = Lane<float>(out[0], 0);
        if (std::isnan(x) || std::isnan(y)) {
          bool canon = !std::isnan(x) || IsCanonicalNan(x);
          canon = canon && (!std::isnan(y) || IsCanonicalNan(y));
          EXPECT_TRUE(canon ? IsCanonicalNan(got) : IsArithmeticNan(got))
              << level.name << " " << Bits(x) << " " << Bits(y) << " -> " << Bits(got);
        } else {
          bool neg = op == Op::F32x4Min ? (std::signbit(x) || std::signbit(y))
                                        : (std::signbit(x) && std::signbit(y));
          EXPECT_EQ(Bits(got), neg ? 0x80000000u : 0u) << level.name;
        }
      }
    }
  }
}

// --- compares ---

template <typename T>
void CheckCompares(Op eq, Op ne, Op lt, Op gt, Op le, Op ge) {
  using U = BitsOfT<T>;
  auto cmp = [](Op op, const char* name, auto pred) {
    CheckVOp(
        std::string(kPrefix<T>) + name, 2, kShape<T>,
        [op](x64::Masm& m, const VRegs& r) { m.SimdBinop(op, r.dst, r.a, r.b, r.t); },
        [pred](const V128* in) {
          V128 out;
          for (int i = 0; i < kLanes<T>; ++i) {
            SetLane<U>(out, i, Mask<U>(pred(Lane<T>(in[0], i), Lane<T>(in[1], i))));
          }
          return out;
        },
        ExactMatch, 0, LayoutsFor(op));
  };
  cmp(eq, "eq", [](T x, T y) { return x == y; });
  cmp(ne, "ne", [](T x, T y) { return x != y; });
  cmp(lt, "lt", [](T x, T y) { return x < y; });
  cmp(gt, "gt", [](T x, T y) { return x > y; });
  cmp(le, "le", [](T x, T y) { return x <= y; });
  cmp(ge, "ge", [](T x, T y) { return x >= y; });
}

TEST(X64SimdFloat, F32x4Compares) {
  CheckCompares<float>(Op::F32x4Eq, Op::F32x4Ne, Op::F32x4Lt, Op::F32x4Gt, Op::F32x4Le,
                       Op::F32x4Ge);
}
TEST(X64SimdFloat, F64x2Compares) {
  CheckCompares<double>(Op::F64x2Eq, Op::F64x2Ne, Op::F64x2Lt, Op::F64x2Gt, Op::F64x2Le,
                        Op::F64x2Ge);
}

// --- rounding ---

template <typename T>
void CheckRounding(Op ceil, Op floor, Op trunc, Op nearest) {
  const std::pair<Op, const char*> ops[] = {
      {ceil, "ceil"}, {floor, "floor"}, {trunc, "trunc"}, {nearest, "nearest"}};
  for (auto [op, name] : ops) {
    auto f = [op = op, ceil, floor, trunc](T x) -> T {
      if (std::isnan(x)) return NanResult<T>({x});
      if (op == ceil) return std::ceil(x);
      if (op == floor) return std::floor(x);
      if (op == trunc) return std::trunc(x);
      return std::nearbyint(x);  // the default rounding mode: ties to even
    };
    CheckUnop<T>(op, name, f);
    CheckUnopOn(
        std::string(kPrefix<T>) + name + " (ranged)", op, RangedVectors<T>(),
        [f](const V128* in) { return Map1<T>(in[0], f); }, WasmLanesMatch<T>);
  }
}

TEST(X64SimdFloat, F32x4Rounding) {
  CheckRounding<float>(Op::F32x4Ceil, Op::F32x4Floor, Op::F32x4Trunc, Op::F32x4Nearest);
}
TEST(X64SimdFloat, F64x2Rounding) {
  CheckRounding<double>(Op::F64x2Ceil, Op::F64x2Floor, Op::F64x2Trunc, Op::F64x2Nearest);
}

// --- conversions (masm_x64_simd_convert.cpp) ---

void CheckConvert(Op op, const char* name, Shape shape, const VRef& ref, const VMatch& match) {
  CheckVOp(
      name, 1, shape, [op](x64::Masm& m, const VRegs& r) { m.SimdUnop(op, r.dst, r.a, r.t); }, ref,
      match, 0, LayoutsFor(op));
}

TEST(X64SimdFloat, F32x4ConvertI32x4) {
  CheckConvert(
      Op::F32x4ConvertI32x4S, "f32x4.convert_i32x4_s", Shape::kI32,
      [](const V128* in) {
        return Map1<float, int32_t>(in[0], [](int32_t x) { return static_cast<float>(x); });
      },
      ExactMatch);
  // Correct rounding of every u32 (ties to even), above 2^24 and above 2^31.
  CheckConvert(
      Op::F32x4ConvertI32x4U, "f32x4.convert_i32x4_u", Shape::kI32,
      [](const V128* in) {
        return Map1<float, uint32_t>(in[0], [](uint32_t x) { return static_cast<float>(x); });
      },
      ExactMatch);
}

TEST(X64SimdFloat, F32x4ConvertI32x4UTies) {
  // Every rounding case of the upper range: x = 2^31 + k*64 + r for the ties and their
  // neighbours (r in {31, 32, 33, 95, 96, 97, 127, 128}) over many k.
  std::vector<V128> vs;
  for (uint32_t k = 0; k < 4096; ++k) {
    V128 v;
    const uint32_t r[] = {31, 32, 33, 64, 95, 96, 97, 128};
    for (int i = 0; i < 4; ++i) {
      uint32_t base = (k & 1) ? 0x80000000u + (k << 15) : 0x01000000u + (k << 8);
      SetLane<uint32_t>(v, i, base + r[(k + static_cast<uint32_t>(i)) % 8]);
    }
    vs.push_back(v);
  }
  CheckUnopOn(
      "f32x4.convert_i32x4_u (ties)", Op::F32x4ConvertI32x4U, vs,
      [](const V128* in) {
        return Map1<float, uint32_t>(in[0], [](uint32_t x) { return static_cast<float>(x); });
      },
      ExactMatch);
}

TEST(X64SimdFloat, F64x2ConvertLowI32x4) {
  auto low = [](bool u) {
    return [u](const V128* in) {
      V128 out;
      for (int i = 0; i < 2; ++i) {
        double d = u ? static_cast<double>(Lane<uint32_t>(in[0], i))
                     : static_cast<double>(Lane<int32_t>(in[0], i));
        SetLane<double>(out, i, d);
      }
      return out;
    };
  };
  CheckConvert(Op::F64x2ConvertLowI32x4S, "f64x2.convert_low_i32x4_s", Shape::kI32, low(false),
               ExactMatch);
  CheckConvert(Op::F64x2ConvertLowI32x4U, "f64x2.convert_low_i32x4_u", Shape::kI32, low(true),
               ExactMatch);
}

// Saturating truncation of a float to an integer type: NaN -> 0, out of range -> the bound.
template <typename I>
I TruncSat(double x) {
  if (std::isnan(x)) return 0;
  double t = std::trunc(x);
  if (t < static_cast<double>(std::numeric_limits<I>::min())) return std::numeric_limits<I>::min();
  if (t > static_cast<double>(std::numeric_limits<I>::max())) return std::numeric_limits<I>::max();
  return static_cast<I>(t);
}

template <typename I>
V128 TruncSatF32x4(const V128* in) {
  V128 out;
  for (int i = 0; i < 4; ++i) SetLane<I>(out, i, TruncSat<I>(Lane<float>(in[0], i)));
  return out;
}

template <typename I>
V128 TruncSatF64x2Zero(const V128* in) {
  V128 out;  // lanes 2 and 3 stay zero
  for (int i = 0; i < 2; ++i) SetLane<I>(out, i, TruncSat<I>(Lane<double>(in[0], i)));
  return out;
}

TEST(X64SimdFloat, I32x4TruncSatF32x4) {
  CheckConvert(Op::I32x4TruncSatF32x4S, "i32x4.trunc_sat_f32x4_s", Shape::kF32,
               TruncSatF32x4<int32_t>, ExactMatch);
  CheckConvert(Op::I32x4TruncSatF32x4U, "i32x4.trunc_sat_f32x4_u", Shape::kF32,
               TruncSatF32x4<uint32_t>, ExactMatch);
  CheckUnopOn("i32x4.trunc_sat_f32x4_s (ranged)", Op::I32x4TruncSatF32x4S, RangedVectors<float>(),
              TruncSatF32x4<int32_t>, ExactMatch);
  CheckUnopOn("i32x4.trunc_sat_f32x4_u (ranged)", Op::I32x4TruncSatF32x4U, RangedVectors<float>(),
              TruncSatF32x4<uint32_t>, ExactMatch);
}

TEST(X64SimdFloat, I32x4TruncSatF64x2Zero) {
  CheckConvert(Op::I32x4TruncSatF64x2SZero, "i32x4.trunc_sat_f64x2_s_zero", Shape::kF64,
               TruncSatF64x2Zero<int32_t>, ExactMatch);
  CheckConvert(Op::I32x4TruncSatF64x2UZero, "i32x4.trunc_sat_f64x2_u_zero", Shape::kF64,
               TruncSatF64x2Zero<uint32_t>, ExactMatch);
  CheckUnopOn("i32x4.trunc_sat_f64x2_s_zero (ranged)", Op::I32x4TruncSatF64x2SZero,
              RangedVectors<double>(), TruncSatF64x2Zero<int32_t>, ExactMatch);
  CheckUnopOn("i32x4.trunc_sat_f64x2_u_zero (ranged)", Op::I32x4TruncSatF64x2UZero,
              RangedVectors<double>(), TruncSatF64x2Zero<uint32_t>, ExactMatch);
}

// demote: lanes 0-1 rounded to f32 (NaN rule as arithmetic), lanes 2-3 zero; promote: exact.
TEST(X64SimdFloat, DemotePromote) {
  CheckConvert(
      Op::F32x4DemoteF64x2Zero, "f32x4.demote_f64x2_zero", Shape::kF64,
      [](const V128* in) {
        V128 out;
        for (int i = 0; i < 2; ++i) {
          double x = Lane<double>(in[0], i);
          SetLane<float>(out, i, std::isnan(x) ? NanResult<float>({x}) : static_cast<float>(x));
        }
        return out;
      },
      WasmLanesMatch<float>);
  CheckConvert(
      Op::F64x2PromoteLowF32x4, "f64x2.promote_low_f32x4", Shape::kF32,
      [](const V128* in) {
        V128 out;
        for (int i = 0; i < 2; ++i) {
          float x = Lane<float>(in[0], i);
          SetLane<double>(out, i, std::isnan(x) ? NanResult<double>({x}) : static_cast<double>(x));
        }
        return out;
      },
      WasmLanesMatch<double>);
}

// Every op of both families, with its number of vector inputs.
struct FamilyOp {
  Op op;
  int inputs;
};
const FamilyOp kFamilyOps[] = {
    {Op::F32x4Add, 2},
    {Op::F32x4Sub, 2},
    {Op::F32x4Mul, 2},
    {Op::F32x4Div, 2},
    {Op::F32x4Sqrt, 1},
    {Op::F32x4Abs, 1},
    {Op::F32x4Neg, 1},
    {Op::F32x4Min, 2},
    {Op::F32x4Max, 2},
    {Op::F32x4Pmin, 2},
    {Op::F32x4Pmax, 2},
    {Op::F32x4Eq, 2},
    {Op::F32x4Ne, 2},
    {Op::F32x4Lt, 2},
    {Op::F32x4Gt, 2},
    {Op::F32x4Le, 2},
    {Op::F32x4Ge, 2},
    {Op::F32x4Ceil, 1},
    {Op::F32x4Floor, 1},
    {Op::F32x4Trunc, 1},
    {Op::F32x4Nearest, 1},
    {Op::F64x2Add, 2},
    {Op::F64x2Sub, 2},
    {Op::F64x2Mul, 2},
    {Op::F64x2Div, 2},
    {Op::F64x2Sqrt, 1},
    {Op::F64x2Abs, 1},
    {Op::F64x2Neg, 1},
    {Op::F64x2Min, 2},
    {Op::F64x2Max, 2},
    {Op::F64x2Pmin, 2},
    {Op::F64x2Pmax, 2},
    {Op::F64x2Eq, 2},
    {Op::F64x2Ne, 2},
    {Op::F64x2Lt, 2},
    {Op::F64x2Gt, 2},
    {Op::F64x2Le, 2},
    {Op::F64x2Ge, 2},
    {Op::F64x2Ceil, 1},
    {Op::F64x2Floor, 1},
    {Op::F64x2Trunc, 1},
    {Op::F64x2Nearest, 1},
    {Op::F32x4ConvertI32x4S, 1},
    {Op::F32x4ConvertI32x4U, 1},
    {Op::F64x2ConvertLowI32x4S, 1},
    {Op::F64x2ConvertLowI32x4U, 1},
    {Op::I32x4TruncSatF32x4S, 1},
    {Op::I32x4TruncSatF32x4U, 1},
    {Op::I32x4TruncSatF64x2SZero, 1},
    {Op::I32x4TruncSatF64x2UZero, 1},
    {Op::F32x4DemoteF64x2Zero, 1},
    {Op::F64x2PromoteLowF32x4, 1},
};

// Only dst, the temps, xmm15 and r11 may change: the inputs (when not dst) and every other
// XMM register keep their values (the compiler caches locals in registers).
TEST(X64SimdFloat, ClobbersOnlyDstTempsAndScratch) {
  const Reg in = x64::reg::rdi, out = x64::reg::rsi;
  std::vector<V128> vs = InputVectors(Shape::kF32, 50);
  for (const FamilyOp& f : kFamilyOps) {
    for (const IsaLevel& level : SimdLevels()) {
      for (const VRegs& r : LayoutsFor(f.op)) {
        if (r.dst == r.a || r.dst == r.b || r.a == r.b) continue;
        // Registers to watch: every XMM register but dst, the temps and xmm15.
        std::vector<Reg> watch;
        for (unsigned n = 0; n < 15; ++n) {
          Reg x = Reg::Fp(n);
          if (!(x == r.dst) && !(x == r.t.t0) && !(x == r.t.t1)) watch.push_back(x);
        }
        auto fn = AssembleVOp(level.cpu, r, f.inputs, [&](x64::Masm& m, const VRegs& rr) {
          for (Reg x : watch) {
            if (!(x == rr.a) && !(f.inputs == 2 && x == rr.b)) m.Load(JType::kV128, x, Mem{in, 48});
          }
          if (f.inputs == 1)
            m.SimdUnop(f.op, rr.dst, rr.a, rr.t);
          else
            m.SimdBinop(f.op, rr.dst, rr.a, rr.b, rr.t);
          for (size_t i = 0; i < watch.size(); ++i) {
            m.Store(JType::kV128, Mem{out, static_cast<int32_t>(32 + 16 * i)}, watch[i]);
          }
        });
        ASSERT_TRUE(fn->ok()) << fn->error();
        for (size_t k = 0; k + 1 < vs.size(); k += 7) {
          V128 ins[4] = {vs[k], vs[k + 1], {}, V128{0x0123456789ABCDEFull, 0xFEDCBA9876543210ull}};
          V128 outs[2 + 16];
          (*fn)(ins, outs, 0);
          for (size_t i = 0; i < watch.size(); ++i) {
            V128 want = ins[3];
            if (watch[i] == r.a) want = ins[0];
            if (watch[i] == r.b && f.inputs == 2) want = ins[1];
            ASSERT_EQ(Hex(outs[2 + i]), Hex(want))
                << wasm::OpText(f.op) << " [" << level.name << ", " << r.name << "] changed xmm"
                << watch[i].hw();
          }
        }
      }
    }
  }
}

// Every ISA level gives the same bits, NaNs included (the simd_isa fuzz target compares the
// SSE4.1 and AVX lowerings bit for bit), in every layout.
TEST(X64SimdFloat, SameBitsOnEveryIsaLevel) {
  std::vector<V128> vs = InputVectors(Shape::kF32, 300);
  for (V128 v : InputVectors(Shape::kF64, 300)) vs.push_back(v);
  for (V128 v : InputVectors(Shape::kI32, 100)) vs.push_back(v);
  const size_t n = vs.size();
  int failures = 0;
  for (const FamilyOp& f : kFamilyOps) {
    std::vector<V128> first;  // the results of the first level and layout
    for (const IsaLevel& level : SimdLevels()) {
      for (const VRegs& r : LayoutsFor(f.op)) {
        if (r.a == r.b || (r.dst == r.c && !(r.dst == r.a) && !(r.dst == r.b))) continue;
        if (f.inputs == 1 && r.dst == r.b && !(r.dst == r.a)) continue;
        auto fn = AssembleVOp(level.cpu, r, f.inputs, [&](x64::Masm& m, const VRegs& rr) {
          if (f.inputs == 1)
            m.SimdUnop(f.op, rr.dst, rr.a, rr.t);
          else
            m.SimdBinop(f.op, rr.dst, rr.a, rr.b, rr.t);
        });
        ASSERT_TRUE(fn->ok()) << fn->error();
        for (size_t k = 0; k < n; ++k) {
          V128 ins[4] = {vs[k], vs[(k * 7 + 3) % n], {}, {}}, outs[3];
          (*fn)(ins, outs, 0);
          if (first.size() < n) {
            first.push_back(outs[0]);
            continue;
          }
          if (outs[0] == first[k] || ++failures > 10) continue;
          ADD_FAILURE() << wasm::OpText(f.op) << " [" << level.name << ", " << r.name << "] inputs "
                        << Hex(ins[0]) << " " << Hex(ins[1]) << ": " << Hex(outs[0]) << " vs "
                        << Hex(first[k]);
        }
      }
    }
  }
}

// The temps this family asks the compiler for (SimdTemps): one for trunc_sat_f32x4_u, none
// for anything else, on every ISA level.
TEST(X64SimdFloat, Temps) {
  for (const IsaLevel& level : SimdLevels()) {
    x64::Masm m(level.cpu);
    for (const FamilyOp& f : kFamilyOps) {
      EXPECT_EQ(m.SimdTemps(f.op), f.op == Op::I32x4TruncSatF32x4U ? 1 : 0)
          << wasm::OpText(f.op) << " [" << level.name << "]";
    }
  }
}

}  // namespace
}  // namespace wt::jit::testing
