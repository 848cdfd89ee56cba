// The aarch64 SIMD float and relaxed families (masm_a64_simd_float.cpp,
// masm_a64_simd_relaxed.cpp) at the family level, without the dispatch: golden encodings on
// every host (the expected words were assembled by GNU as from the listed instructions), and, on
// aarch64, every op executed on edge and random vectors in several register-aliasing layouts
// against scalar references of wasm's semantics and of wtrun's relaxed choices
// (docs/simd-a64.md), checking that nothing but dst changes among the operand registers.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <vector>

#include "jit/a64/masm_a64_simd.h"
#include "simd_reference.h"

#if defined(__aarch64__)
#include <sys/mman.h>
#endif

namespace wt::jit::a64 {
namespace {

using namespace wt::jit::testing;
using wasm::Op;
namespace aa = asmjit::a64;

// v3 = op(v1, v2, v4) unless a test says otherwise.
constexpr Reg vd = Reg::Fp(3), va = Reg::Fp(1), vb = Reg::Fp(2), vc = Reg::Fp(4);

// Emits `op` through the float or the relaxed family (whichever knows it).
void Emit(Masm::Impl& m, Op op, Reg dst, Reg a, Reg b = Reg::None(), Reg c = Reg::None()) {
  simd::VOps o;
  o.dst = dst;
  o.a = a;
  o.b = b;
  o.c = c;
  bool done = simd::EmitFloat(m, op, o) || simd::EmitRelaxed(m, op, o);
  EXPECT_TRUE(done) << wasm::OpText(op);
}

std::vector<uint32_t> Words(Masm::Impl& m) {
  EXPECT_EQ(m.error, "");
  const asmjit::CodeBuffer& buf = m.code.textSection()->buffer();
  std::vector<uint32_t> words(buf.size() / 4);
  if (!words.empty())  // memcpy of nothing from a null buffer is UB
    std::memcpy(words.data(), buf.data(), words.size() * 4);
  return words;
}

std::vector<uint32_t> Assemble(const std::function<void(Masm::Impl&)>& emit) {
  Masm::Impl m(CpuFeatures{});
  emit(m);
  return Words(m);
}

TEST(A64SimdFloat, NoTemps) {
  // Neither family asks the compiler for temporaries (v16..v18 are the Masm's).
  for (size_t i = 0; i < wasm::kNumOps; ++i) {
    Op op = static_cast<Op>(i);
    EXPECT_EQ(simd::TempsFloat(CpuFeatures{}, op), 0);
    EXPECT_EQ(simd::TempsRelaxed(CpuFeatures{}, op), 0);
  }
}

TEST(A64SimdFloat, NotTheFamilysOps) {
  Masm::Impl m(CpuFeatures{});
  simd::VOps o;
  o.dst = vd;
  o.a = va;
  o.b = vb;
  EXPECT_FALSE(simd::EmitFloat(m, Op::I32x4Add, o));
  EXPECT_FALSE(simd::EmitFloat(m, Op::F32x4RelaxedMadd, o));
  EXPECT_FALSE(simd::EmitRelaxed(m, Op::F32x4Add, o));
  EXPECT_FALSE(simd::EmitRelaxed(m, Op::V128Bitselect, o));
  EXPECT_TRUE(Words(m).empty());
}

TEST(A64SimdFloat, F32x4Ops) {
  auto got = Assemble([](Masm::Impl& m) {
    for (Op op : {Op::F32x4Add, Op::F32x4Sub, Op::F32x4Mul, Op::F32x4Div, Op::F32x4Min,
                  Op::F32x4Max, Op::F32x4Pmin, Op::F32x4Pmax, Op::F32x4Eq, Op::F32x4Ne, Op::F32x4Lt,
                  Op::F32x4Le, Op::F32x4Gt, Op::F32x4Ge})
      Emit(m, op, vd, va, vb);
    for (Op op : {Op::F32x4Sqrt, Op::F32x4Abs, Op::F32x4Neg, Op::F32x4Ceil, Op::F32x4Floor,
                  Op::F32x4Trunc, Op::F32x4Nearest})
      Emit(m, op, vd, va);
  });
  std::vector<uint32_t> want = {
      0x4e22d423,  // fadd v3.4s, v1.4s, v2.4s
      0x4ea2d423,  // fsub v3.4s, v1.4s, v2.4s
      0x6e22dc23,  // fmul v3.4s, v1.4s, v2.4s
      0x6e22fc23,  // fdiv v3.4s, v1.4s, v2.4s
      0x4ea2f423,  // fmin v3.4s, v1.4s, v2.4s
      0x4e22f423,  // fmax v3.4s, v1.4s, v2.4s
      0x6ea2e423,  // fcmgt v3.4s, v1.4s, v2.4s
      0x6e611c43,  // bsl v3.16b, v2.16b, v1.16b
      0x6ea1e443,  // fcmgt v3.4s, v2.4s, v1.4s
      0x6e611c43,  // bsl v3.16b, v2.16b, v1.16b
      0x4e22e423,  // fcmeq v3.4s, v1.4s, v2.4s
      0x4e22e423,  // fcmeq v3.4s, v1.4s, v2.4s
      0x6e205863,  // mvn v3.16b, v3.16b
      0x6ea1e443,  // fcmgt v3.4s, v2.4s, v1.4s
      0x6e21e443,  // fcmge v3.4s, v2.4s, v1.4s
      0x6ea2e423,  // fcmgt v3.4s, v1.4s, v2.4s
      0x6e22e423,  // fcmge v3.4s, v1.4s, v2.4s
      0x6ea1f823,  // fsqrt v3.4s, v1.4s
      0x4ea0f823,  // fabs v3.4s, v1.4s
      0x6ea0f823,  // fneg v3.4s, v1.4s
      0x4ea18823,  // frintp v3.4s, v1.4s
      0x4e219823,  // frintm v3.4s, v1.4s
      0x4ea19823,  // frintz v3.4s, v1.4s
      0x4e218823,  // frintn v3.4s, v1.4s
  };
  EXPECT_EQ(got, want);
}

TEST(A64SimdFloat, F64x2Ops) {
  auto got = Assemble([](Masm::Impl& m) {
    for (Op op : {Op::F64x2Add, Op::F64x2Min, Op::F64x2Max, Op::F64x2Pmin, Op::F64x2Lt, Op::F64x2Le,
                  Op::F64x2Ne})
      Emit(m, op, vd, va, vb);
    for (Op op : {Op::F64x2Sqrt, Op::F64x2Neg, Op::F64x2Nearest, Op::F64x2Floor})
      Emit(m, op, vd, va);
  });
  std::vector<uint32_t> want = {
      0x4e62d423,  // fadd v3.2d, v1.2d, v2.2d
      0x4ee2f423,  // fmin v3.2d, v1.2d, v2.2d
      0x4e62f423,  // fmax v3.2d, v1.2d, v2.2d
      0x6ee2e423,  // fcmgt v3.2d, v1.2d, v2.2d
      0x6e611c43,  // bsl v3.16b, v2.16b, v1.16b
      0x6ee1e443,  // fcmgt v3.2d, v2.2d, v1.2d
      0x6e61e443,  // fcmge v3.2d, v2.2d, v1.2d
      0x4e62e423,  // fcmeq v3.2d, v1.2d, v2.2d
      0x6e205863,  // mvn v3.16b, v3.16b
      0x6ee1f823,  // fsqrt v3.2d, v1.2d
      0x6ee0f823,  // fneg v3.2d, v1.2d
      0x4e618823,  // frintn v3.2d, v1.2d
      0x4e619823,  // frintm v3.2d, v1.2d
  };
  EXPECT_EQ(got, want);
}

TEST(A64SimdFloat, Conversions) {
  auto got = Assemble([](Masm::Impl& m) {
    for (Op op : {Op::F32x4ConvertI32x4S, Op::F32x4ConvertI32x4U, Op::I32x4TruncSatF32x4S,
                  Op::I32x4TruncSatF32x4U, Op::I32x4TruncSatF64x2SZero, Op::I32x4TruncSatF64x2UZero,
                  Op::F64x2ConvertLowI32x4S, Op::F64x2ConvertLowI32x4U, Op::F32x4DemoteF64x2Zero,
                  Op::F64x2PromoteLowF32x4})
      Emit(m, op, vd, va);
  });
  std::vector<uint32_t> want = {
      0x4e21d823,  // scvtf v3.4s, v1.4s
      0x6e21d823,  // ucvtf v3.4s, v1.4s
      0x4ea1b823,  // fcvtzs v3.4s, v1.4s
      0x6ea1b823,  // fcvtzu v3.4s, v1.4s
      0x4ee1b830,  // fcvtzs v16.2d, v1.2d
      0x0ea14a03,  // sqxtn v3.2s, v16.2d
      0x6ee1b830,  // fcvtzu v16.2d, v1.2d
      0x2ea14a03,  // uqxtn v3.2s, v16.2d
      0x0f20a423,  // sxtl v3.2d, v1.2s
      0x4e61d863,  // scvtf v3.2d, v3.2d
      0x2f20a423,  // uxtl v3.2d, v1.2s
      0x6e61d863,  // ucvtf v3.2d, v3.2d
      0x0e616823,  // fcvtn v3.2s, v1.2d
      0x0e617823,  // fcvtl v3.2d, v1.2s
  };
  EXPECT_EQ(got, want);
}

// pmin/pmax with dst aliasing an operand: the mask goes to v16, then bit/bif insert into dst.
TEST(A64SimdFloat, PminPmaxAliasing) {
  auto got = Assemble([](Masm::Impl& m) {
    Emit(m, Op::F32x4Pmin, va, va, vb);
    Emit(m, Op::F32x4Pmin, vb, va, vb);
    Emit(m, Op::F64x2Pmax, va, va, vb);
    Emit(m, Op::F64x2Pmax, vb, va, vb);
  });
  std::vector<uint32_t> want = {
      0x6ea2e430,  // fcmgt v16.4s, v1.4s, v2.4s
      0x6eb01c41,  // bit v1.16b, v2.16b, v16.16b
      0x6ea2e430,  // fcmgt v16.4s, v1.4s, v2.4s
      0x6ef01c22,  // bif v2.16b, v1.16b, v16.16b
      0x6ee1e450,  // fcmgt v16.2d, v2.2d, v1.2d
      0x6eb01c41,  // bit v1.16b, v2.16b, v16.16b
      0x6ee1e450,  // fcmgt v16.2d, v2.2d, v1.2d
      0x6ef01c22,  // bif v2.16b, v1.16b, v16.16b
  };
  EXPECT_EQ(got, want);
}

TEST(A64SimdRelaxed, Ops) {
  auto got = Assemble([](Masm::Impl& m) {
    Emit(m, Op::I8x16RelaxedSwizzle, vd, va, vb);
    for (Op op : {Op::I32x4RelaxedTruncF32x4S, Op::I32x4RelaxedTruncF32x4U,
                  Op::I32x4RelaxedTruncF64x2SZero, Op::I32x4RelaxedTruncF64x2UZero})
      Emit(m, op, vd, va);
    Emit(m, Op::F32x4RelaxedMadd, vd, va, vb, vc);
    Emit(m, Op::F64x2RelaxedNmadd, vc, va, vb, vc);  // accumulates in place
    Emit(m, Op::F32x4RelaxedMadd, va, va, vb, vc);   // through v16
    Emit(m, Op::F64x2RelaxedNmadd, vb, va, vb, vc);
    Emit(m, Op::I8x16RelaxedLaneselect, vd, va, vb, vc);
    Emit(m, Op::I16x8RelaxedLaneselect, vc, va, vb, vc);
    Emit(m, Op::I32x4RelaxedLaneselect, va, va, vb, vc);
    Emit(m, Op::I64x2RelaxedLaneselect, vb, va, vb, vc);
    for (Op op : {Op::F32x4RelaxedMin, Op::F32x4RelaxedMax, Op::F64x2RelaxedMin,
                  Op::F64x2RelaxedMax, Op::I16x8RelaxedQ15mulrS, Op::I16x8RelaxedDotI8x16I7x16S})
      Emit(m, op, vd, va, vb);
    Emit(m, Op::I32x4RelaxedDotI8x16I7x16AddS, vd, va, vb, vc);
    Emit(m, Op::I32x4RelaxedDotI8x16I7x16AddS, vc, va, vb, vc);
  });
  std::vector<uint32_t> want = {
      0x4e020023,  // tbl v3.16b, {v1.16b}, v2.16b
      0x4ea1b823,  // fcvtzs v3.4s, v1.4s
      0x6ea1b823,  // fcvtzu v3.4s, v1.4s
      0x4ee1b830,  // fcvtzs v16.2d, v1.2d
      0x0ea14a03,  // sqxtn v3.2s, v16.2d
      0x6ee1b830,  // fcvtzu v16.2d, v1.2d
      0x2ea14a03,  // uqxtn v3.2s, v16.2d
      0x4ea41c83,  // mov v3.16b, v4.16b
      0x4e22cc23,  // fmla v3.4s, v1.4s, v2.4s
      0x4ee2cc24,  // fmls v4.2d, v1.2d, v2.2d
      0x4ea41c90,  // mov v16.16b, v4.16b
      0x4e22cc30,  // fmla v16.4s, v1.4s, v2.4s
      0x4eb01e01,  // mov v1.16b, v16.16b
      0x4ea41c90,  // mov v16.16b, v4.16b
      0x4ee2cc30,  // fmls v16.2d, v1.2d, v2.2d
      0x4eb01e02,  // mov v2.16b, v16.16b
      0x4ea41c83,  // mov v3.16b, v4.16b
      0x6e621c23,  // bsl v3.16b, v1.16b, v2.16b
      0x6e621c24,  // bsl v4.16b, v1.16b, v2.16b
      0x6ee41c41,  // bif v1.16b, v2.16b, v4.16b
      0x6ea41c22,  // bit v2.16b, v1.16b, v4.16b
      0x4ea2f423,  // fmin v3.4s, v1.4s, v2.4s
      0x4e22f423,  // fmax v3.4s, v1.4s, v2.4s
      0x4ee2f423,  // fmin v3.2d, v1.2d, v2.2d
      0x4e62f423,  // fmax v3.2d, v1.2d, v2.2d
      0x6e62b423,  // sqrdmulh v3.8h, v1.8h, v2.8h
      0x0e22c030,  // smull v16.8h, v1.8b, v2.8b
      0x4e22c031,  // smull2 v17.8h, v1.16b, v2.16b
      0x4e511a12,  // uzp1 v18.8h, v16.8h, v17.8h
      0x4e515a10,  // uzp2 v16.8h, v16.8h, v17.8h
      0x4e700e43,  // sqadd v3.8h, v18.8h, v16.8h
      0x0e22c030,  // smull v16.8h, v1.8b, v2.8b
      0x4e22c031,  // smull2 v17.8h, v1.16b, v2.16b
      0x4e511a12,  // uzp1 v18.8h, v16.8h, v17.8h
      0x4e515a10,  // uzp2 v16.8h, v16.8h, v17.8h
      0x4e700e50,  // sqadd v16.8h, v18.8h, v16.8h
      0x4e602a10,  // saddlp v16.4s, v16.8h
      0x4ea48603,  // add v3.4s, v16.4s, v4.4s
      0x0e22c030,  // smull v16.8h, v1.8b, v2.8b
      0x4e22c031,  // smull2 v17.8h, v1.16b, v2.16b
      0x4e511a12,  // uzp1 v18.8h, v16.8h, v17.8h
      0x4e515a10,  // uzp2 v16.8h, v16.8h, v17.8h
      0x4e700e50,  // sqadd v16.8h, v18.8h, v16.8h
      0x4e606a04,  // sadalp v4.4s, v16.8h
  };
  EXPECT_EQ(got, want);
}

#if defined(__aarch64__)

// --- Execution (aarch64) -------------------------------------------------------------------

// Register layouts (hardware v numbers): distinct, dst aliasing each operand, operands aliasing
// each other. Aliased operands get the same input.
struct Layout {
  unsigned dst, a, b, c;
};
constexpr Layout kLayouts[] = {{3, 1, 2, 4}, {1, 1, 2, 4}, {2, 1, 2, 4},  {4, 1, 2, 4},
                               {0, 5, 5, 5}, {5, 5, 5, 6}, {14, 0, 13, 7}};

// Code for one op in one layout: void f(const V128 in[4], V128 out[4]) loads a, b, c (and a
// junk dst when it is no operand), runs the op, stores dst, a, b, c.
class Runner {
 public:
  Runner(Op op, const Layout& l) : l_(l) {
    Masm::Impl m(CpuFeatures{});
    aa::Assembler& as = m.a;
    as.ldr(aa::v(l.a).q(), aa::ptr(aa::x0, 0));
    if (l.b != l.a) as.ldr(aa::v(l.b).q(), aa::ptr(aa::x0, 16));
    if (l.c != l.a && l.c != l.b) as.ldr(aa::v(l.c).q(), aa::ptr(aa::x0, 32));
    if (l.dst != l.a && l.dst != l.b && l.dst != l.c) as.ldr(aa::v(l.dst).q(), aa::ptr(aa::x0, 48));
    Emit(m, op, Reg::Fp(l.dst), Reg::Fp(l.a), Reg::Fp(l.b), Reg::Fp(l.c));
    as.str(aa::v(l.dst).q(), aa::ptr(aa::x1, 0));
    as.str(aa::v(l.a).q(), aa::ptr(aa::x1, 16));
    as.str(aa::v(l.b).q(), aa::ptr(aa::x1, 32));
    as.str(aa::v(l.c).q(), aa::ptr(aa::x1, 48));
    as.ret(aa::x30);
    EXPECT_EQ(m.error, "");
    const asmjit::CodeBuffer& buf = m.code.textSection()->buffer();
    size_ = buf.size();
    void* p = mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT_NE(p, MAP_FAILED);
    std::memcpy(p, buf.data(), size_);
    EXPECT_EQ(mprotect(p, size_, PROT_READ | PROT_EXEC), 0);
    __builtin___clear_cache(static_cast<char*>(p), static_cast<char*>(p) + size_);
    code_ = p;
  }
  ~Runner() { munmap(code_, size_); }
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  // The inputs as the layout sees them (aliased operands share the first one's value).
  void Canon(V128& a, V128& b, V128& c) const {
    if (l_.b == l_.a) b = a;
    if (l_.c == l_.a) c = a;
    if (l_.c == l_.b && l_.b != l_.a) c = b;
  }
  // dst = op(a, b, c); EXPECTs that the operand registers not aliasing dst kept their values.
  V128 Run(const V128& a, const V128& b, const V128& c) const {
    V128 in[4] = {a, b, c, V128{0xA5A5A5A5DEADBEEFull, 0x5A5A5A5ACAFEF00Dull}};
    V128 out[4];
    reinterpret_cast<void (*)(const V128*, V128*)>(code_)(in, out);
    if (l_.a != l_.dst) {
      EXPECT_EQ(out[1], a) << "a clobbered";
    }
    if (l_.b != l_.dst) {
      EXPECT_EQ(out[2], b) << "b clobbered";
    }
    if (l_.c != l_.dst) {
      EXPECT_EQ(out[3], c) << "c clobbered";
    }
    return out[0];
  }

 private:
  Layout l_;
  void* code_ = nullptr;
  size_t size_ = 0;
};

// Expected float lanes: a canonical NaN in `want` requires a canonical NaN (either sign), any
// other NaN an arithmetic NaN; else the bits must be equal.
template <typename T>
bool FloatMatch(const V128& want, const V128& got) {
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

// The NaN wasm allows for an arithmetic op with these operands: canonical when every NaN
// operand is canonical, else any arithmetic NaN (marked by a payload bit).
template <typename T>
T NanFor(std::initializer_list<T> in) {
  bool canonical = true;
  for (T x : in)
    if (std::isnan(x) && !IsCanonicalNan(x)) canonical = false;
  T nan = std::numeric_limits<T>::quiet_NaN();
  return canonical ? nan : FromBits<T>(Bits(nan) | 1);
}
template <typename T>
T Arith(T r, std::initializer_list<T> in) {
  return std::isnan(r) ? NanFor<T>(in) : r;
}

enum class Cmp { kExact, kF32, kF64 };
using Ref = std::function<V128(const V128&, const V128&, const V128&)>;

// Runs `op` in every layout on inputs of `shape` against `ref`.
void Check(Op op, Shape shape, Cmp cmp, const Ref& ref, Shape c_shape = Shape::kI32) {
  std::vector<V128> as = InputVectors(shape, 300, 1), bs = InputVectors(shape, 300, 2);
  std::vector<V128> cs = InputVectors(c_shape, 300, 3);
  for (const Layout& l : kLayouts) {
    Runner r(op, l);
    int failures = 0;
    for (size_t i = 0; i < as.size() && failures < 5; ++i) {
      V128 a = as[i], b = bs[(i * 7) % bs.size()], c = cs[(i * 13) % cs.size()];
      r.Canon(a, b, c);
      V128 want = ref(a, b, c), got = r.Run(a, b, c);
      bool ok = cmp == Cmp::kF32   ? FloatMatch<float>(want, got)
                : cmp == Cmp::kF64 ? FloatMatch<double>(want, got)
                                   : want == got;
      if (!ok) {
        ++failures;
        ADD_FAILURE() << wasm::OpText(op) << " layout " << l.dst << "," << l.a << "," << l.b << ","
                      << l.c << ": a=" << Hex(a) << " b=" << Hex(b) << " c=" << Hex(c) << " want "
                      << Hex(want) << " got " << Hex(got);
      }
    }
  }
}

template <typename T>
Ref Bin(T (*f)(T, T)) {
  return [f](const V128& a, const V128& b, const V128&) {
    return Map2<T>(a, b, [f](T x, T y) { return Arith(f(x, y), {x, y}); });
  };
}
template <typename T>
Ref Un(T (*f)(T)) {
  return [f](const V128& a, const V128&, const V128&) {
    return Map1<T>(a, [f](T x) { return Arith(f(x), {x}); });
  };
}

template <typename T>
T Min(T x, T y) {
  if (std::isnan(x) || std::isnan(y)) return NanFor<T>({x, y});
  if (x == 0 && y == 0) return std::signbit(x) ? x : y;
  return x < y ? x : y;
}
template <typename T>
T Max(T x, T y) {
  if (std::isnan(x) || std::isnan(y)) return NanFor<T>({x, y});
  if (x == 0 && y == 0) return std::signbit(x) ? y : x;
  return x > y ? x : y;
}

template <typename T>
void CheckFloatShape(bool f64) {
  const Shape s = f64 ? Shape::kF64 : Shape::kF32;
  const Cmp fc = f64 ? Cmp::kF64 : Cmp::kF32;
  auto pick = [f64](Op o32, Op o64) { return f64 ? o64 : o32; };
  Check(pick(Op::F32x4Add, Op::F64x2Add), s, fc, Bin<T>([](T x, T y) { return x + y; }));
  Check(pick(Op::F32x4Sub, Op::F64x2Sub), s, fc, Bin<T>([](T x, T y) { return x - y; }));
  Check(pick(Op::F32x4Mul, Op::F64x2Mul), s, fc, Bin<T>([](T x, T y) { return x * y; }));
  Check(pick(Op::F32x4Div, Op::F64x2Div), s, fc, Bin<T>([](T x, T y) { return x / y; }));
  Check(pick(Op::F32x4Min, Op::F64x2Min), s, fc, Bin<T>(Min<T>));
  Check(pick(Op::F32x4Max, Op::F64x2Max), s, fc, Bin<T>(Max<T>));
  Check(pick(Op::F32x4RelaxedMin, Op::F64x2RelaxedMin), s, fc, Bin<T>(Min<T>));
  Check(pick(Op::F32x4RelaxedMax, Op::F64x2RelaxedMax), s, fc, Bin<T>(Max<T>));
  // pmin/pmax select an operand's exact bits (NaN payloads too).
  Check(pick(Op::F32x4Pmin, Op::F64x2Pmin), s, Cmp::kExact, [](auto& a, auto& b, auto&) {
    return Map2<T>(a, b, [](T x, T y) { return y < x ? y : x; });
  });
  Check(pick(Op::F32x4Pmax, Op::F64x2Pmax), s, Cmp::kExact, [](auto& a, auto& b, auto&) {
    return Map2<T>(a, b, [](T x, T y) { return x < y ? y : x; });
  });
  auto cmp = [&](Op o32, Op o64, bool (*f)(T, T)) {
    Check(pick(o32, o64), s, Cmp::kExact, [f](auto& a, auto& b, auto&) {
      return Map2<T>(a, b, [f](T x, T y) { return Mask<T>(f(x, y)); });
    });
  };
  cmp(Op::F32x4Eq, Op::F64x2Eq, [](T x, T y) { return x == y; });
  cmp(Op::F32x4Ne, Op::F64x2Ne, [](T x, T y) { return x != y; });
  cmp(Op::F32x4Lt, Op::F64x2Lt, [](T x, T y) { return x < y; });
  cmp(Op::F32x4Le, Op::F64x2Le, [](T x, T y) { return x <= y; });
  cmp(Op::F32x4Gt, Op::F64x2Gt, [](T x, T y) { return x > y; });
  cmp(Op::F32x4Ge, Op::F64x2Ge, [](T x, T y) { return x >= y; });
  Check(pick(Op::F32x4Sqrt, Op::F64x2Sqrt), s, fc, Un<T>([](T x) { return std::sqrt(x); }));
  Check(pick(Op::F32x4Ceil, Op::F64x2Ceil), s, fc, Un<T>([](T x) { return std::ceil(x); }));
  Check(pick(Op::F32x4Floor, Op::F64x2Floor), s, fc, Un<T>([](T x) { return std::floor(x); }));
  Check(pick(Op::F32x4Trunc, Op::F64x2Trunc), s, fc, Un<T>([](T x) { return std::trunc(x); }));
  Check(pick(Op::F32x4Nearest, Op::F64x2Nearest), s, fc,
        Un<T>([](T x) { return std::nearbyint(x); }));
  // abs/neg: sign-bit operations, NaNs included.
  Check(pick(Op::F32x4Abs, Op::F64x2Abs), s, Cmp::kExact, [](auto& a, auto&, auto&) {
    return Map1<BitsOfT<T>>(a, [](BitsOfT<T> x) { return x & (~BitsOfT<T>{0} >> 1); });
  });
  Check(pick(Op::F32x4Neg, Op::F64x2Neg), s, Cmp::kExact, [](auto& a, auto&, auto&) {
    return Map1<BitsOfT<T>>(a, [](BitsOfT<T> x) { return x ^ ~(~BitsOfT<T>{0} >> 1); });
  });
}

TEST(A64SimdFloat, F32x4Executes) {
  CheckFloatShape<float>(false);
}
TEST(A64SimdFloat, F64x2Executes) {
  CheckFloatShape<double>(true);
}

// The NaN a conversion of the NaN `x` may give: canonical for canonical, else arithmetic.
template <typename To, typename From>
To NanAs(From x) {
  To nan = std::numeric_limits<To>::quiet_NaN();
  return IsCanonicalNan(x) ? nan : FromBits<To>(Bits(nan) | 1);
}

template <typename I, typename F>
I TruncSat(F f) {
  if (std::isnan(f)) return 0;
  if (f <= static_cast<F>(std::numeric_limits<I>::min())) return std::numeric_limits<I>::min();
  if (f >= static_cast<F>(std::numeric_limits<I>::max())) return std::numeric_limits<I>::max();
  return static_cast<I>(f);
}

TEST(A64SimdFloat, ConversionsExecute) {
  Check(Op::F32x4ConvertI32x4S, Shape::kI32, Cmp::kExact, [](auto& a, auto&, auto&) {
    return Map1<float, int32_t>(a, [](int32_t x) { return static_cast<float>(x); });
  });
  Check(Op::F32x4ConvertI32x4U, Shape::kI32, Cmp::kExact, [](auto& a, auto&, auto&) {
    return Map1<float, uint32_t>(a, [](uint32_t x) { return static_cast<float>(x); });
  });
  for (Op op : {Op::I32x4TruncSatF32x4S, Op::I32x4RelaxedTruncF32x4S}) {
    Check(op, Shape::kF32, Cmp::kExact, [](auto& a, auto&, auto&) {
      return Map1<int32_t, float>(a, [](float x) { return TruncSat<int32_t>(x); });
    });
  }
  for (Op op : {Op::I32x4TruncSatF32x4U, Op::I32x4RelaxedTruncF32x4U}) {
    Check(op, Shape::kF32, Cmp::kExact, [](auto& a, auto&, auto&) {
      return Map1<uint32_t, float>(a, [](float x) { return TruncSat<uint32_t>(x); });
    });
  }
  for (Op op : {Op::I32x4TruncSatF64x2SZero, Op::I32x4RelaxedTruncF64x2SZero}) {
    Check(op, Shape::kF64, Cmp::kExact, [](auto& a, auto&, auto&) {
      V128 out;
      for (int i = 0; i < 2; ++i) SetLane<int32_t>(out, i, TruncSat<int32_t>(Lane<double>(a, i)));
      return out;
    });
  }
  for (Op op : {Op::I32x4TruncSatF64x2UZero, Op::I32x4RelaxedTruncF64x2UZero}) {
    Check(op, Shape::kF64, Cmp::kExact, [](auto& a, auto&, auto&) {
      V128 out;
      for (int i = 0; i < 2; ++i) {
        SetLane<uint32_t>(out, i, TruncSat<uint32_t>(Lane<double>(a, i)));
      }
      return out;
    });
  }
  Check(Op::F64x2ConvertLowI32x4S, Shape::kI32, Cmp::kExact, [](auto& a, auto&, auto&) {
    V128 out;
    for (int i = 0; i < 2; ++i) SetLane<double>(out, i, Lane<int32_t>(a, i));
    return out;
  });
  Check(Op::F64x2ConvertLowI32x4U, Shape::kI32, Cmp::kExact, [](auto& a, auto&, auto&) {
    V128 out;
    for (int i = 0; i < 2; ++i) SetLane<double>(out, i, Lane<uint32_t>(a, i));
    return out;
  });
  Check(Op::F32x4DemoteF64x2Zero, Shape::kF64, Cmp::kF32, [](auto& a, auto&, auto&) {
    V128 out;
    for (int i = 0; i < 2; ++i) {
      double x = Lane<double>(a, i);
      SetLane<float>(out, i, std::isnan(x) ? NanAs<float>(x) : static_cast<float>(x));
    }
    return out;
  });
  Check(Op::F64x2PromoteLowF32x4, Shape::kF32, Cmp::kF64, [](auto& a, auto&, auto&) {
    V128 out;
    for (int i = 0; i < 2; ++i) {
      float x = Lane<float>(a, i);
      SetLane<double>(out, i, std::isnan(x) ? NanAs<double>(x) : static_cast<double>(x));
    }
    return out;
  });
}

template <typename T>
void CheckMadd(Op op, bool negate) {
  const Shape s = sizeof(T) == 8 ? Shape::kF64 : Shape::kF32;
  Check(
      op, s, sizeof(T) == 8 ? Cmp::kF64 : Cmp::kF32,
      [negate](auto& a, auto& b, auto& c) {
        V128 out;
        for (int i = 0; i < kLanes<T>; ++i) {
          T x = Lane<T>(a, i), y = Lane<T>(b, i), z = Lane<T>(c, i);
          T r = std::fma(negate ? -x : x, y, z);  // fused: one rounding
          SetLane<T>(out, i, Arith(r, {x, y, z}));
        }
        return out;
      },
      s);
}

TEST(A64SimdRelaxed, Executes) {
  CheckMadd<float>(Op::F32x4RelaxedMadd, false);
  CheckMadd<float>(Op::F32x4RelaxedNmadd, true);
  CheckMadd<double>(Op::F64x2RelaxedMadd, false);
  CheckMadd<double>(Op::F64x2RelaxedNmadd, true);
  // Swizzle: an index >= 16 gives 0 (every one, as i8x16.swizzle).
  Check(Op::I8x16RelaxedSwizzle, Shape::kI8, Cmp::kExact, [](auto& a, auto& b, auto&) {
    V128 out;
    for (int i = 0; i < 16; ++i) {
      uint8_t idx = Lane<uint8_t>(b, i);
      SetLane<uint8_t>(out, i, idx < 16 ? Lane<uint8_t>(a, idx) : 0);
    }
    return out;
  });
  // Laneselect: bitwise, for every lane width.
  for (Op op : {Op::I8x16RelaxedLaneselect, Op::I16x8RelaxedLaneselect, Op::I32x4RelaxedLaneselect,
                Op::I64x2RelaxedLaneselect}) {
    Check(
        op, Shape::kI8, Cmp::kExact,
        [](auto& a, auto& b, auto& c) {
          return V128{(a.lo & c.lo) | (b.lo & ~c.lo), (a.hi & c.hi) | (b.hi & ~c.hi)};
        },
        Shape::kI8);
  }
  // q15mulr: rounding, saturating (0x8000 * 0x8000 -> 0x7FFF).
  Check(Op::I16x8RelaxedQ15mulrS, Shape::kI16, Cmp::kExact, [](auto& a, auto& b, auto&) {
    return Map2<int16_t>(a, b, [](int16_t x, int16_t y) {
      int32_t r = (int32_t{x} * y + 0x4000) >> 15;
      return static_cast<int16_t>(r > 32767 ? 32767 : r);
    });
  });
  // Dot: signed x signed, pair sums saturated to i16; the add form sums those pairs into i32.
  auto dot16 = [](const V128& a, const V128& b) {
    V128 out;
    for (int i = 0; i < 8; ++i) {
      int32_t s = int32_t{Lane<int8_t>(a, 2 * i)} * Lane<int8_t>(b, 2 * i) +
                  int32_t{Lane<int8_t>(a, 2 * i + 1)} * Lane<int8_t>(b, 2 * i + 1);
      SetLane<int16_t>(out, i, static_cast<int16_t>(s > 32767 ? 32767 : s < -32768 ? -32768 : s));
    }
    return out;
  };
  Check(Op::I16x8RelaxedDotI8x16I7x16S, Shape::kI8, Cmp::kExact,
        [dot16](auto& a, auto& b, auto&) { return dot16(a, b); });
  Check(Op::I32x4RelaxedDotI8x16I7x16AddS, Shape::kI8, Cmp::kExact,
        [dot16](auto& a, auto& b, auto& c) {
          V128 d = dot16(a, b), out;
          for (int i = 0; i < 4; ++i) {
            SetLane<uint32_t>(
                out, i,
                static_cast<uint32_t>(Lane<int16_t>(d, 2 * i) + Lane<int16_t>(d, 2 * i + 1)) +
                    Lane<uint32_t>(c, i));
          }
          return out;
        });
}

// The saturating pair sum of the dot product (-128 * -128 twice: 32768 -> 32767), which the
// wrapping addp would get wrong.
TEST(A64SimdRelaxed, DotSaturates) {
  Runner r(Op::I16x8RelaxedDotI8x16I7x16S, kLayouts[0]);
  V128 a{0x8080808080808080ull, 0x8080808080808080ull};
  V128 got = r.Run(a, a, V128{});
  EXPECT_EQ(got, (V128{0x7FFF7FFF7FFF7FFFull, 0x7FFF7FFF7FFF7FFFull}));
  // The add form sums the saturated pairs: 2 * 32767 + c, in place (dst = c) and not.
  const V128 c{0x00000001FFFFFFFFull, 0x8000000000000000ull};
  const V128 want{0x0000FFFF0000FFFDull, 0x8000FFFE0000FFFEull};
  for (const Layout& l : {kLayouts[0], kLayouts[3]}) {
    Runner add(Op::I32x4RelaxedDotI8x16I7x16AddS, l);
    EXPECT_EQ(add.Run(a, a, c), want);
  }
}

#endif  // __aarch64__

}  // namespace
}  // namespace wt::jit::a64
