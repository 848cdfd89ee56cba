// The aarch64 Masm's scalar floating point (masm_a64_float.cpp): encodings (on every host) and,
// on aarch64, execution of bare Masm functions called from C: the NaN behaviour of comparisons
// (plain and fused with a branch) and the exact boundaries of the trapping truncations.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "jit/a64/masm_a64.h"

#if defined(__aarch64__)
#include <sys/mman.h>
#endif

namespace wt::jit::a64 {
namespace {

using wasm::Op;

const Reg kX0 = Reg::Gp(0), kX1 = Reg::Gp(1);
const Reg kV0 = Reg::Fp(0), kV1 = Reg::Fp(1), kV2 = Reg::Fp(2);

// The instruction words a Masm emitted (Finish + CopyTo at address 0).
std::vector<uint32_t> Words(Masm& m) {
  EXPECT_EQ(m.error(), "");
  auto size = m.Finish();
  EXPECT_TRUE(size.ok());
  if (!size.ok()) return {};
  std::vector<uint8_t> bytes(*size);
  EXPECT_TRUE(m.CopyTo(bytes.data(), bytes.size(), 0).ok());
  std::vector<uint32_t> words(bytes.size() / 4);
  if (!words.empty())  // memcpy of nothing from a null buffer is UB
    std::memcpy(words.data(), bytes.data(), words.size() * 4);
  return words;
}

TEST(A64Float, ArithmeticEncodings) {
  Masm m{CpuFeatures{}};
  m.FloatBinop(Op::F32Add, kV0, kV1, kV2);
  m.FloatBinop(Op::F64Sub, kV0, kV1, kV2);
  m.FloatBinop(Op::F64Min, kV0, kV1, kV2);
  m.FloatBinop(Op::F64Max, kV0, kV1, kV2);
  m.FloatUnop(Op::F32Nearest, kV0, kV1);
  m.FloatUnop(Op::F64Floor, kV0, kV1);
  m.FloatUnop(Op::F64Ceil, kV0, kV1);
  m.FloatUnop(Op::F32Trunc, kV0, kV1);
  m.FloatUnop(Op::F64Neg, kV0, kV1);
  m.FloatUnop(Op::F32Abs, kV0, kV1);
  EXPECT_EQ(Words(m), (std::vector<uint32_t>{
                          0x1e222820,  // fadd s0, s1, s2
                          0x1e623820,  // fsub d0, d1, d2
                          0x1e625820,  // fmin d0, d1, d2
                          0x1e624820,  // fmax d0, d1, d2
                          0x1e244020,  // frintn s0, s1
                          0x1e654020,  // frintm d0, d1
                          0x1e64c020,  // frintp d0, d1
                          0x1e25c020,  // frintz s0, s1
                          0x1e614020,  // fneg d0, d1
                          0x1e20c020,  // fabs s0, s1
                      }));
}

TEST(A64Float, CopysignBuildsTheResultInScratch) {
  // dst aliases rhs: the result is built in v31 (bsl), so rhs is read before dst is written.
  Masm m{CpuFeatures{}};
  m.FloatBinop(Op::F64Copysign, kV2, kV1, kV2);
  m.FloatBinop(Op::F32Copysign, kV0, kV1, kV2);
  EXPECT_EQ(Words(m), (std::vector<uint32_t>{
                          0x6f00e41f,  // movi v31.2d, #0
                          0x1e6143ff,  // fneg d31, d31
                          0x2e611c5f,  // bsl v31.8b, v2.8b, v1.8b
                          0x1e6043e2,  // fmov d2, d31
                          0x6f00e41f,  // movi v31.2d, #0
                          0x1e2143ff,  // fneg s31, s31
                          0x2e611c5f,  // bsl v31.8b, v2.8b, v1.8b
                          0x1e2043e0,  // fmov s0, s31
                      }));
}

TEST(A64Float, CompareConditionsAreFalseForNaN) {
  // fcmp sets NZCV = 0011 when unordered: lt must use MI (not LT) and le LS (not LE).
  Masm m{CpuFeatures{}};
  m.FloatCompare(Op::F32Lt, kX0, kV1, kV2);
  m.FloatCompare(Op::F64Le, kX0, kV1, kV2);
  m.FloatCompare(Op::F64Ne, kX1, kV1, kV2);
  m.FloatCompare(Op::F32Gt, kX0, kV1, kV2);
  m.FloatCompare(Op::F32Ge, kX0, kV1, kV2);
  m.FloatCompare(Op::F64Eq, kX0, kV1, kV2);
  EXPECT_EQ(Words(m), (std::vector<uint32_t>{
                          0x1e222020, 0x1a9f57e0,  // fcmp s1, s2; cset w0, mi
                          0x1e622020, 0x1a9f87e0,  // fcmp d1, d2; cset w0, ls
                          0x1e622020, 0x1a9f07e1,  // fcmp d1, d2; cset w1, ne
                          0x1e222020, 0x1a9fd7e0,  // fcmp s1, s2; cset w0, gt
                          0x1e222020, 0x1a9fb7e0,  // fcmp s1, s2; cset w0, ge
                          0x1e622020, 0x1a9f17e0,  // fcmp d1, d2; cset w0, eq
                      }));
}

TEST(A64Float, ConvertEncodings) {
  Masm m{CpuFeatures{}};
  Label l = m.NewLabel();
  m.Convert(Op::F32ConvertI64U, kV0, kX1, l, l);
  m.Convert(Op::F64ConvertI32S, kV0, kX1, l, l);
  m.Convert(Op::F32DemoteF64, kV0, kV1, l, l);
  m.Convert(Op::F64PromoteF32, kV0, kV1, l, l);
  m.Convert(Op::I64ReinterpretF64, kX0, kV1, l, l);
  m.Convert(Op::F32ReinterpretI32, kV0, kX1, l, l);
  m.Convert(Op::I64TruncSatF64U, kX0, kV1, l, l);
  m.Convert(Op::I32TruncSatF32S, kX0, kV1, l, l);
  m.Bind(l);
  EXPECT_EQ(Words(m), (std::vector<uint32_t>{
                          0x9e230020,  // ucvtf s0, x1
                          0x1e620020,  // scvtf d0, w1
                          0x1e624020,  // fcvt s0, d1
                          0x1e22c020,  // fcvt d0, s1
                          0x9e660020,  // fmov x0, d1
                          0x1e270020,  // fmov s0, w1
                          0x9e790020,  // fcvtzu x0, d1 (saturating, NaN -> 0)
                          0x1e380020,  // fcvtzs w0, s1
                      }));
}

TEST(A64Float, TrappingTruncationChecksBounds) {
  // i32.trunc_f64_s: NaN through the unordered compare with the lower bound -2^31 - 1
  // (exclusive: b.le), then 2^31 (b.ge), then fcvtzs.
  Masm m{CpuFeatures{}};
  Label invalid = m.NewLabel(), overflow = m.NewLabel();
  m.Convert(Op::I32TruncF64S, kX0, kV1, invalid, overflow);
  m.Bind(invalid);
  m.Bind(overflow);
  std::vector<uint32_t> w = Words(m);
  ASSERT_EQ(w.size(), 11u);
  EXPECT_EQ(w[0], 0xd2a00410u);                // movz x16, #0x20, lsl #16
  EXPECT_EQ(w[1], 0xf2f83c10u);                // movk x16, #0xc1e0, lsl #48
  EXPECT_EQ(w[2], 0x9e67021fu);                // fmov d31, x16
  EXPECT_EQ(w[3], 0x1e7f2020u);                // fcmp d1, d31
  EXPECT_EQ(w[4] & 0xff00001fu, 0x54000006u);  // b.vs
  EXPECT_EQ(w[5] & 0xff00001fu, 0x5400000du);  // b.le
  EXPECT_EQ(w[6], 0xd2e83c10u);                // movz x16, #0x41e0, lsl #48
  EXPECT_EQ(w[9] & 0xff00001fu, 0x5400000au);  // b.ge
  EXPECT_EQ(w[10], 0x1e780020u);               // fcvtzs w0, d1
}

TEST(A64Float, BranchToAFarLoopHeadInvertsOverB) {
  // A bound label beyond b.cond's +-1 MiB (a long loop body): b.<inverse> +8; b head.
  Masm m{CpuFeatures{}};
  Label head = m.NewLabel();
  m.Bind(head);
  m.FloatUnop(Op::F64Neg, kV0, kV1);
  m.AlignCode(2u << 20);
  m.BranchFloatCmp(JType::kF64, Op::F64Lt, true, kV1, kV2, head);
  std::vector<uint32_t> w = Words(m);
  ASSERT_EQ(w.size(), (2u << 20) / 4 + 3);
  EXPECT_EQ(w[w.size() - 3], 0x1e622020u);  // fcmp d1, d2
  EXPECT_EQ(w[w.size() - 2], 0x54000045u);  // b.pl +8 (not lt, NaN included)
  // b -(2 MiB + 8): imm26 = -(2 MiB + 8) / 4.
  EXPECT_EQ(w[w.size() - 1], 0x14000000u | ((0u - ((2u << 20) + 8) / 4) & 0x3FFFFFFu));
}

#if defined(__aarch64__)

// A bare function assembled by a Masm, mapped executable (until destruction).
class A64Code {
 public:
  explicit A64Code(Masm& m) {
    EXPECT_EQ(m.error(), "");
    auto size = m.Finish();
    if (!size.ok()) return;
    size_ = (*size + 4095) & ~size_t{4095};
    void* p = mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return;
    mem_ = static_cast<uint8_t*>(p);
    EXPECT_TRUE(m.CopyTo(mem_, *size, reinterpret_cast<uint64_t>(mem_)).ok());
    __builtin___clear_cache(reinterpret_cast<char*>(mem_), reinterpret_cast<char*>(mem_ + *size));
    mprotect(mem_, size_, PROT_READ | PROT_EXEC);
  }
  ~A64Code() {
    if (mem_) munmap(mem_, size_);
  }
  template <typename F>
  F Fn() const {
    return reinterpret_cast<F>(mem_);
  }

 private:
  uint8_t* mem_ = nullptr;
  size_t size_ = 0;
};

constexpr uint64_t kInvalid = 0x1111111111111111ull, kOverflow = 0x2222222222222222ull;

// x0 = Convert(op, v0): the result, or kInvalid / kOverflow when it jumped to a trap label.
template <typename In>
struct TruncFn {
  explicit TruncFn(Op op) {
    Label invalid = m.NewLabel(), overflow = m.NewLabel();
    m.Convert(op, kX0, kV0, invalid, overflow);
    m.RawRet();
    m.Bind(invalid);
    m.LoadConst(JType::kI64, kX0, kInvalid);
    m.RawRet();
    m.Bind(overflow);
    m.LoadConst(JType::kI64, kX0, kOverflow);
    m.RawRet();
    code = std::make_unique<A64Code>(m);
  }
  uint64_t operator()(In x) const { return code->Fn<uint64_t (*)(In)>()(x); }
  Masm m{CpuFeatures{}};
  std::unique_ptr<A64Code> code;
};

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr float kNaNf = std::numeric_limits<float>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr float kInff = std::numeric_limits<float>::infinity();

TEST(A64FloatRun, TruncI32Boundaries) {
  TruncFn<float> s32f(Op::I32TruncF32S);
  EXPECT_EQ(s32f(-2147483648.0f), 0x80000000u);
  EXPECT_EQ(s32f(-2147483904.0f), kOverflow);   // the float below -2^31
  EXPECT_EQ(s32f(2147483520.0f), 0x7fffff80u);  // the float below 2^31
  EXPECT_EQ(s32f(2147483648.0f), kOverflow);
  EXPECT_EQ(s32f(-0.9f), 0u);
  EXPECT_EQ(s32f(-1.5f), 0xffffffffu);  // upper half zero (a W result)
  EXPECT_EQ(s32f(kNaNf), kInvalid);
  EXPECT_EQ(s32f(-kNaNf), kInvalid);
  EXPECT_EQ(s32f(kInff), kOverflow);
  EXPECT_EQ(s32f(-kInff), kOverflow);

  TruncFn<double> s32d(Op::I32TruncF64S);
  EXPECT_EQ(s32d(-2147483648.9), 0x80000000u);
  EXPECT_EQ(s32d(-2147483649.0), kOverflow);
  EXPECT_EQ(s32d(2147483647.9), 0x7fffffffu);
  EXPECT_EQ(s32d(2147483648.0), kOverflow);
  EXPECT_EQ(s32d(kNaN), kInvalid);
  EXPECT_EQ(s32d(-kInf), kOverflow);

  TruncFn<float> u32f(Op::I32TruncF32U);
  EXPECT_EQ(u32f(-0.99f), 0u);
  EXPECT_EQ(u32f(-1.0f), kOverflow);
  EXPECT_EQ(u32f(4294967040.0f), 0xffffff00u);
  EXPECT_EQ(u32f(4294967296.0f), kOverflow);
  EXPECT_EQ(u32f(kNaNf), kInvalid);

  TruncFn<double> u32d(Op::I32TruncF64U);
  EXPECT_EQ(u32d(-0.9999), 0u);
  EXPECT_EQ(u32d(-1.0), kOverflow);
  EXPECT_EQ(u32d(4294967295.9), 0xffffffffu);
  EXPECT_EQ(u32d(4294967296.0), kOverflow);
  EXPECT_EQ(u32d(kNaN), kInvalid);
}

TEST(A64FloatRun, TruncI64Boundaries) {
  TruncFn<float> s64f(Op::I64TruncF32S);
  EXPECT_EQ(s64f(-9223372036854775808.0f), 0x8000000000000000ull);
  EXPECT_EQ(s64f(-9223373136366403584.0f), kOverflow);  // the float below -2^63
  EXPECT_EQ(s64f(9223371487098961920.0f), 0x7fffff8000000000ull);
  EXPECT_EQ(s64f(9223372036854775808.0f), kOverflow);
  EXPECT_EQ(s64f(kNaNf), kInvalid);

  TruncFn<double> s64d(Op::I64TruncF64S);
  EXPECT_EQ(s64d(-9223372036854775808.0), 0x8000000000000000ull);
  EXPECT_EQ(s64d(-9223372036854777856.0), kOverflow);
  EXPECT_EQ(s64d(9223372036854774784.0), 0x7ffffffffffffc00ull);
  EXPECT_EQ(s64d(9223372036854775808.0), kOverflow);
  EXPECT_EQ(s64d(-1.5), 0xffffffffffffffffull);
  EXPECT_EQ(s64d(kNaN), kInvalid);

  TruncFn<float> u64f(Op::I64TruncF32U);
  EXPECT_EQ(u64f(-0.99f), 0u);
  EXPECT_EQ(u64f(-1.0f), kOverflow);
  EXPECT_EQ(u64f(18446742974197923840.0f), 0xffffff0000000000ull);
  EXPECT_EQ(u64f(18446744073709551616.0f), kOverflow);
  EXPECT_EQ(u64f(kNaNf), kInvalid);

  TruncFn<double> u64d(Op::I64TruncF64U);
  EXPECT_EQ(u64d(-0.9999), 0u);
  EXPECT_EQ(u64d(-1.0), kOverflow);
  EXPECT_EQ(u64d(18446744073709549568.0), 0xfffffffffffff800ull);
  EXPECT_EQ(u64d(18446744073709551616.0), kOverflow);
  EXPECT_EQ(u64d(kNaN), kInvalid);
  EXPECT_EQ(u64d(kInf), kOverflow);
}

TEST(A64FloatRun, SaturatingTruncations) {
  TruncFn<double> s32(Op::I32TruncSatF64S);
  EXPECT_EQ(s32(kNaN), 0u);
  EXPECT_EQ(s32(-1e10), 0x80000000u);
  EXPECT_EQ(s32(1e10), 0x7fffffffu);
  EXPECT_EQ(s32(-1.5), 0xffffffffu);
  TruncFn<float> u64(Op::I64TruncSatF32U);
  EXPECT_EQ(u64(kNaNf), 0u);
  EXPECT_EQ(u64(-5.0f), 0u);
  EXPECT_EQ(u64(kInff), 0xffffffffffffffffull);
}

// x0 = FloatCompare(op, v0, v1), and through BranchFloatCmp (when true and when false).
TEST(A64FloatRun, ComparisonsWithNaN) {
  const Op ops[] = {Op::F64Eq, Op::F64Ne, Op::F64Lt, Op::F64Gt, Op::F64Le, Op::F64Ge};
  auto ref = [](Op op, double x, double y) -> uint64_t {
    switch (op) {
      case Op::F64Eq:
        return x == y;
      case Op::F64Ne:
        return x != y;
      case Op::F64Lt:
        return x < y;
      case Op::F64Gt:
        return x > y;
      case Op::F64Le:
        return x <= y;
      default:
        return x >= y;
    }
  };
  const double vals[] = {kNaN, -1.0, 0.0, -0.0, 2.5, kInf};
  for (Op op : ops) {
    Masm m{CpuFeatures{}};
    m.FloatCompare(op, kX0, kV0, kV1);
    m.RawRet();
    A64Code plain(m);
    for (bool when : {true, false}) {
      Masm b{CpuFeatures{}};
      Label taken = b.NewLabel();
      b.BranchFloatCmp(JType::kF64, op, when, kV0, kV1, taken);
      b.LoadConst(JType::kI64, kX0, 0);
      b.RawRet();
      b.Bind(taken);
      b.LoadConst(JType::kI64, kX0, 1);
      b.RawRet();
      A64Code branch(b);
      for (double x : vals) {
        for (double y : vals) {
          uint64_t want = ref(op, x, y);
          EXPECT_EQ(plain.Fn<uint64_t (*)(double, double)>()(x, y), want)
              << static_cast<int>(op) << " " << x << " " << y;
          EXPECT_EQ(branch.Fn<uint64_t (*)(double, double)>()(x, y), when ? want : !want)
              << static_cast<int>(op) << " " << x << " " << y << " when " << when;
        }
      }
    }
  }
}

TEST(A64FloatRun, MinMaxCopysignBits) {
  auto binop = [](Op op) {
    auto m = std::make_unique<Masm>(CpuFeatures{});
    m->FloatBinop(op, kV0, kV0, kV1);
    m->RawRet();
    return m;
  };
  auto min_m = binop(Op::F64Min), max_m = binop(Op::F64Max), cs_m = binop(Op::F32Copysign);
  A64Code min_c(*min_m), max_c(*max_m), cs_c(*cs_m);
  auto fmin = min_c.Fn<double (*)(double, double)>();
  auto fmax = max_c.Fn<double (*)(double, double)>();
  auto cs = cs_c.Fn<float (*)(float, float)>();
  EXPECT_TRUE(std::signbit(fmin(0.0, -0.0)));
  EXPECT_TRUE(std::signbit(fmin(-0.0, 0.0)));
  EXPECT_FALSE(std::signbit(fmax(-0.0, 0.0)));
  EXPECT_TRUE(std::isnan(fmin(1.0, kNaN)));
  EXPECT_TRUE(std::isnan(fmax(kNaN, 1.0)));
  // copysign keeps a NaN's payload and takes the sign from a NaN too.
  uint32_t nan_payload = 0x7fa00001u, neg_nan = 0xffc00000u, out;
  float in, sign;
  std::memcpy(&in, &nan_payload, 4);
  std::memcpy(&sign, &neg_nan, 4);
  float r = cs(in, sign);
  std::memcpy(&out, &r, 4);
  EXPECT_EQ(out, 0xffa00001u);
  EXPECT_EQ(cs(3.0f, -0.0f), -3.0f);
  EXPECT_EQ(cs(-3.0f, 1.0f), 3.0f);
}

#endif  // __aarch64__

}  // namespace
}  // namespace wt::jit::a64
