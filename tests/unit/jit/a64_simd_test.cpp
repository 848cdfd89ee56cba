// The aarch64 SIMD int and lane families, constants and memory ops (masm_a64_simd.cpp,
// masm_a64_simd_int.cpp, masm_a64_simd_lane.cpp): golden encodings on every host (the expected
// words were assembled by GNU as from the listed instructions), and, on aarch64, the ops
// executed on edge and random vectors in several register-aliasing layouts against scalar
// references of wasm's semantics, checking that no operand register but dst changes.
#include <gtest/gtest.h>

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

constexpr Reg vd = Reg::Fp(3), va = Reg::Fp(1), vb = Reg::Fp(2), vc = Reg::Fp(4);
constexpr Reg gp = Reg::Gp(2), gout = Reg::Gp(4);

// Emits `op` through the int or the lane family.
bool EmitOp(Masm::Impl& m, Op op, const simd::VOps& o) {
  return simd::EmitInt(m, op, o) || simd::EmitLane(m, op, o);
}

simd::VOps Ops(Reg dst, Reg a, Reg b = Reg::None(), Reg c = Reg::None()) {
  simd::VOps o;
  o.dst = dst;
  o.a = a;
  o.b = b;
  o.c = c;
  return o;
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

TEST(A64Simd, NoTemps) {
  for (size_t i = 0; i < wasm::kNumOps; ++i) {
    Op op = static_cast<Op>(i);
    EXPECT_EQ(simd::TempsInt(CpuFeatures{}, op), 0);
    EXPECT_EQ(simd::TempsLane(CpuFeatures{}, op), 0);
  }
}

TEST(A64Simd, IntOps) {
  auto got = Assemble([](Masm::Impl& m) {
    for (Op op : {Op::I8x16Add, Op::I16x8SubSatU, Op::I32x4LtS, Op::I32x4LeU, Op::I64x2Ne,
                  Op::I16x8Q15mulrSatS, Op::I8x16AvgrU})
      EXPECT_TRUE(EmitOp(m, op, Ops(vd, va, vb)));
  });
  std::vector<uint32_t> want = {
      0x4e228423,  // add v3.16b, v1.16b, v2.16b
      0x6e622c23,  // uqsub v3.8h, v1.8h, v2.8h
      0x4ea13443,  // cmgt v3.4s, v2.4s, v1.4s
      0x6ea13c43,  // cmhs v3.4s, v2.4s, v1.4s
      0x6ee28c23,  // cmeq v3.2d, v1.2d, v2.2d
      0x6e205863,  // mvn v3.16b, v3.16b
      0x6e62b423,  // sqrdmulh v3.8h, v1.8h, v2.8h
      0x6e221423,  // urhadd v3.16b, v1.16b, v2.16b
  };
  EXPECT_EQ(got, want);
}

TEST(A64Simd, Shifts) {
  auto got = Assemble([](Masm::Impl& m) {
    simd::VOps o = Ops(vd, va);
    o.gp = gp;
    EXPECT_TRUE(EmitOp(m, Op::I16x8ShrS, o));
    EXPECT_TRUE(EmitOp(m, Op::I64x2Shl, o));
    o.gp = Reg::None();
    o.imm = 3;
    EXPECT_TRUE(EmitOp(m, Op::I32x4ShrU, o));
    o.imm = 0;
    EXPECT_TRUE(EmitOp(m, Op::I32x4ShrU, o));
  });
  std::vector<uint32_t> want = {
      0x12000c50,  // and w16, w2, #0xf
      0x4b1003f0,  // neg w16, w16
      0x4e020e1f,  // dup v31.8h, w16
      0x4e7f4423,  // sshl v3.8h, v1.8h, v31.8h
      0x12001450,  // and w16, w2, #0x3f
      0x4e080e1f,  // dup v31.2d, x16
      0x6eff4423,  // ushl v3.2d, v1.2d, v31.2d
      0x6f3d0423,  // ushr v3.4s, v1.4s, #3
      0x4ea11c23,  // mov v3.16b, v1.16b
  };
  EXPECT_EQ(got, want);
}

TEST(A64Simd, Constants) {
  auto got = Assemble([](Masm::Impl& m) {
    aa::Vec d = aa::v3;
    simd::LoadV128(m.a, d, V128{0, 0});
    simd::LoadV128(m.a, d, V128{~0ull, ~0ull});
    simd::LoadV128(m.a, d, V128{0x7F7F7F7F7F7F7F7Full, 0x7F7F7F7F7F7F7F7Full});
    simd::LoadV128(m.a, d, V128{0x0000AB000000AB00ull, 0x0000AB000000AB00ull});
    simd::LoadV128(m.a, d, V128{0xFFFFFFEFFFFFFFEFull, 0xFFFFFFEFFFFFFFEFull});
    simd::LoadV128(m.a, d, V128{0x1234, 0});
    simd::LoadV128(m.a, d, V128{0x1234, 0x5678});
    simd::LoadV128(m.a, d, V128{0x0001000200030004ull, 0x0001000200030004ull});
  });
  std::vector<uint32_t> want = {
      0x6f00e403,  // movi v3.2d, #0
      0x6f07e7e3,  // movi v3.2d, #0xffffffffffffffff
      0x4f03e7e3,  // movi v3.16b, #0x7f
      0x4f052563,  // movi v3.4s, #0xab, lsl #8
      0x6f000603,  // mvni v3.4s, #0x10
      0xd2824690,  // mov x16, #0x1234
      0x9e670203,  // fmov d3, x16
      0xd2824690,  // mov x16, #0x1234
      0x9e670203,  // fmov d3, x16
      0xd28acf10,  // mov x16, #0x5678
      0x4e181e03,  // mov v3.d[1], x16
      0xd2800090,  // mov x16, #0x4
      0xf2a00070,  // movk x16, #0x3, lsl #16
      0xf2c00050,  // movk x16, #0x2, lsl #32
      0xf2e00030,  // movk x16, #0x1, lsl #48
      0x4e080e03,  // dup v3.2d, x16
  };
  EXPECT_EQ(got, want);
}

// The shuffle matcher: one instruction for the common patterns, tbl for the rest.
TEST(A64Simd, ShufflePatterns) {
  auto shuffle = [](Masm::Impl& m, std::initializer_list<int> l, Reg a = va, Reg b = vb) {
    uint8_t lanes[16];
    int i = 0;
    for (int x : l) lanes[i++] = static_cast<uint8_t>(x);
    simd::VOps o = Ops(vd, a, b);
    o.lanes = lanes;
    EXPECT_TRUE(EmitOp(m, Op::I8x16Shuffle, o));
  };
  auto got = Assemble([&](Masm::Impl& m) {
    shuffle(m, {16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31});  // b
    shuffle(m, {4, 5, 6, 7, 4, 5, 6, 7, 4, 5, 6, 7, 4, 5, 6, 7});                  // dup s[1]
    shuffle(m, {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18});         // ext #3
    shuffle(m, {16, 0, 17, 1, 18, 2, 19, 3, 20, 4, 21, 5, 22, 6, 23, 7});          // zip1 b, a
    shuffle(m, {0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29});        // uzp1 .8h
    shuffle(m, {7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8});            // rev64 .16b
    shuffle(m, {0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7}, va, va);          // zip1 a, a
    shuffle(m, {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});  // tbl, one register
    shuffle(m, {0, 32, 1, 32, 2, 32, 3, 32, 4, 32, 5, 32, 6, 32, 7, 32}, va, va);  // uxtl
    shuffle(m, {8, 9, 32, 32, 10, 11, 32, 32, 12, 13, 32, 32, 14, 15, 32, 32}, va, va);
    shuffle(m, {0, 32, 32, 32, 1, 32, 32, 32, 2, 32, 32, 32, 3, 32, 32, 32}, va, va);
    // tbl, two registers: v1, v2 are consecutive; v2, v1 are not (copies to v30, v31).
    shuffle(m, {1, 17, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    shuffle(m, {1, 17, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, vb, va);
    // One element replaced; dst aliasing the element's source goes through v31.
    shuffle(m, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 20, 21, 22, 23});
    shuffle(m, {16, 17, 2, 3, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31});
    shuffle(m, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 31}, va, vd);
  });
  std::vector<uint32_t> want = {
      0x4ea21c43,  // mov v3.16b, v2.16b
      0x4e0c0423,  // dup v3.4s, v1.s[1]
      0x6e021823,  // ext v3.16b, v1.16b, v2.16b, #3
      0x4e013843,  // zip1 v3.16b, v2.16b, v1.16b
      0x4e421823,  // uzp1 v3.8h, v1.8h, v2.8h
      0x4e200823,  // rev64 v3.16b, v1.16b
      0x4e013823,  // zip1 v3.16b, v1.16b, v1.16b
      0xd2800030,  // mov x16, #0x1
      0x9e67021d,  // fmov d29, x16
      0x4e1d0023,  // tbl v3.16b, {v1.16b}, v29.16b
      0x2f08a423,  // uxtl v3.8h, v1.8b
      0x6f10a423,  // uxtl2 v3.4s, v1.8h
      0x2f08a423,  // uxtl v3.8h, v1.8b
      0x2f10a463,  // uxtl v3.4s, v3.4h
      0xd2822030,  // mov x16, #0x1101
      0x9e67021d,  // fmov d29, x16
      0x4e1d2023,  // tbl v3.16b, {v1.16b, v2.16b}, v29.16b
      0xd2822030,  // mov x16, #0x1101
      0x9e67021d,  // fmov d29, x16
      0x4ea21c5e,  // mov v30.16b, v2.16b
      0x4ea11c3f,  // mov v31.16b, v1.16b
      0x4e1d23c3,  // tbl v3.16b, {v30.16b, v31.16b}, v29.16b
      0x4ea11c23,  // mov v3.16b, v1.16b
      0x6e1c2443,  // mov v3.s[3], v2.s[1]
      0x4ea21c43,  // mov v3.16b, v2.16b
      0x6e061423,  // mov v3.h[1], v1.h[1]
      0x4ea31c7f,  // mov v31.16b, v3.16b
      0x4ea11c23,  // mov v3.16b, v1.16b
      0x6e1f7fe3,  // mov v3.b[15], v31.b[15]
  };
  EXPECT_EQ(got, want);
}

// Masm-level: memory address forms (and the faulting instruction's offset each returns), v128
// constant stores, fused vector-test branches.
TEST(A64Simd, MemoryConstStoreBranch) {
  Masm m(CpuFeatures{});
  const Reg d = Reg::Fp(3), x1 = reg::x1;
  std::vector<uint32_t> at;
  at.push_back(m.LoadMemV128(Op::V128Load, d, x1, 0, 0));
  at.push_back(m.LoadMemV128(Op::V128Load, d, x1, 32, 0));
  at.push_back(m.LoadMemV128(Op::V128Load, d, x1, 8, 0));
  at.push_back(m.LoadMemV128(Op::V128Load8x8S, d, x1, 0x12345, 0));
  at.push_back(m.LoadMemV128(Op::V128Load32Splat, d, x1, 0, 0));
  at.push_back(m.LoadMemV128(Op::V128Load16Lane, d, x1, 0, 5));
  at.push_back(m.LoadMemV128(Op::V128Load64Lane, d, Reg::None(), 0x12345678, 1));
  at.push_back(m.LoadMemV128(Op::V128Load32Zero, d, Reg::None(), 8, 0));
  at.push_back(m.StoreMemV128(Op::V128Store64Lane, x1, 16, d, 0));
  at.push_back(m.StoreMemV128(Op::V128Store32Lane, x1, 0, d, 2));
  m.StoreConstV128(Mem{reg::fp, -32}, V128{0, 0});
  m.StoreConstV128(Mem{reg::fp, -48}, V128{0x0101010101010101ull, 0x0101010101010101ull});
  Label l = m.NewLabel();
  m.BranchSimd(Op::V128AnyTrue, true, d, l);
  m.BranchSimd(Op::I64x2AllTrue, false, d, l);
  m.Bind(l);
  EXPECT_EQ(m.error(), "");
  auto size = m.Finish();
  ASSERT_TRUE(size.ok());
  std::vector<uint8_t> bytes(*size);
  ASSERT_TRUE(m.CopyTo(bytes.data(), bytes.size(), 0x10000).ok());
  std::vector<uint32_t> got(bytes.size() / 4);
  if (!got.empty())  // memcpy of nothing from a null buffer is UB
    std::memcpy(got.data(), bytes.data(), got.size() * 4);
  std::vector<uint32_t> want = {
      0x3ce14b63,  // ldr q3, [x27, w1, uxtw]
      0x8b010370,  // add x16, x27, x1
      0x3dc00a03,  // ldr q3, [x16, #32]
      0x8b010370,  // add x16, x27, x1
      0x91002210,  // add x16, x16, #0x8
      0x3dc00203,  // ldr q3, [x16]
      0x8b010370,  // add x16, x27, x1
      0x91404a10,  // add x16, x16, #0x12, lsl #12
      0x910d1610,  // add x16, x16, #0x345
      0xfd400203,  // ldr d3, [x16]
      0x0f08a463,  // sxtl v3.8h, v3.8b
      0x8b010370,  // add x16, x27, x1
      0x4d40ca03,  // ld1r {v3.4s}, [x16]
      0x8b010370,  // add x16, x27, x1
      0x4d404a03,  // ld1 {v3.h}[5], [x16]
      0xd28acf11,  // mov x17, #0x5678
      0xf2a24691,  // movk x17, #0x1234, lsl #16
      0x8b110370,  // add x16, x27, x17
      0x4d408603,  // ld1 {v3.d}[1], [x16]
      0xbd400b63,  // ldr s3, [x27, #8]
      0x8b010370,  // add x16, x27, x1
      0xfd000a03,  // str d3, [x16, #16]
      0x8b010370,  // add x16, x27, x1
      0x4d008203,  // st1 {v3.s}[2], [x16]
      0xa93e7fbf,  // stp xzr, xzr, [x29, #-32]
      0x4f00e43f,  // movi v31.16b, #0x1
      0x3c9d03bf,  // stur q31, [x29, #-48]
      0x6ea3a47f,  // umaxp v31.4s, v3.4s, v3.4s
      0x9e6603f0,  // fmov x16, d31
      0xb50000b0,  // cbnz x16, <end>
      0x4ee0987f,  // cmeq v31.2d, v3.2d, #0
      0x6ebfa7ff,  // umaxp v31.4s, v31.4s, v31.4s
      0x9e6603f0,  // fmov x16, d31
      0xb5000030,  // cbnz x16, <end>
  };
  EXPECT_EQ(got, want);
  EXPECT_EQ(at, (std::vector<uint32_t>{0, 8, 20, 36, 48, 56, 72, 76, 84, 92}));
}

#if defined(__aarch64__)

// --- Execution (aarch64) -------------------------------------------------------------------

// Register layouts (hardware v numbers, caller-saved only): distinct, dst aliasing each operand,
// operands aliasing each other. Aliased operands get the same input.
struct Layout {
  unsigned dst, a, b, c;
};
constexpr Layout kLayouts[] = {{3, 1, 2, 4}, {1, 1, 2, 4}, {2, 1, 2, 4}, {4, 1, 2, 4},
                               {0, 5, 5, 5}, {5, 5, 5, 6}, {7, 0, 6, 1}};

// Code for one op in one layout: void f(const V128 in[4], V128 out[4], uint64_t gp_in,
// uint64_t* gp_out) loads a, b, c (and a junk dst), runs the op with x2 as its GP operand and x4
// as its GP result, stores dst, a, b, c and x4.
class Runner {
 public:
  Runner(const std::function<void(Masm::Impl&, const Layout&)>& emit, const Layout& l) : l_(l) {
    Masm::Impl m(CpuFeatures{});
    aa::Assembler& as = m.a;
    as.ldr(aa::v(l.a).q(), aa::ptr(aa::x0, 0));
    if (l.b != l.a) as.ldr(aa::v(l.b).q(), aa::ptr(aa::x0, 16));
    if (l.c != l.a && l.c != l.b) as.ldr(aa::v(l.c).q(), aa::ptr(aa::x0, 32));
    if (l.dst != l.a && l.dst != l.b && l.dst != l.c) as.ldr(aa::v(l.dst).q(), aa::ptr(aa::x0, 48));
    as.mov(aa::x4, 0x5555);
    emit(m, l);
    as.str(aa::v(l.dst).q(), aa::ptr(aa::x1, 0));
    as.str(aa::v(l.a).q(), aa::ptr(aa::x1, 16));
    as.str(aa::v(l.b).q(), aa::ptr(aa::x1, 32));
    as.str(aa::v(l.c).q(), aa::ptr(aa::x1, 48));
    as.str(aa::x4, aa::ptr(aa::x3));
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
  Runner(Op op, const Layout& l)
      : Runner(
            [op](Masm::Impl& m, const Layout& l) {
              EXPECT_TRUE(
                  EmitOp(m, op, Ops(Reg::Fp(l.dst), Reg::Fp(l.a), Reg::Fp(l.b), Reg::Fp(l.c))))
                  << wasm::OpText(op);
            },
            l) {}
  ~Runner() { munmap(code_, size_); }
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  void Canon(V128& a, V128& b, V128& c) const {
    if (l_.b == l_.a) b = a;
    if (l_.c == l_.a) c = a;
    if (l_.c == l_.b && l_.b != l_.a) c = b;
  }
  V128 Run(const V128& a, const V128& b, const V128& c, uint64_t gin = 0,
           uint64_t* gres = nullptr) const {
    V128 in[4] = {a, b, c, V128{0xA5A5A5A5DEADBEEFull, 0x5A5A5A5ACAFEF00Dull}};
    V128 out[4];
    uint64_t g = 0;
    reinterpret_cast<void (*)(const V128*, V128*, uint64_t, uint64_t*)>(code_)(in, out, gin, &g);
    if (gres) *gres = g;
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

using Ref = std::function<V128(const V128&, const V128&, const V128&)>;

void Check(Op op, Shape shape, const Ref& ref) {
  std::vector<V128> as = InputVectors(shape, 200, 1), bs = InputVectors(shape, 200, 2);
  std::vector<V128> cs = InputVectors(Shape::kI8, 200, 3);
  for (const Layout& l : kLayouts) {
    Runner r(op, l);
    int failures = 0;
    for (size_t i = 0; i < as.size() && failures < 3; ++i) {
      V128 a = as[i], b = bs[(i * 7) % bs.size()], c = cs[(i * 13) % cs.size()];
      r.Canon(a, b, c);
      V128 want = ref(a, b, c), got = r.Run(a, b, c);
      if (want != got) {
        ++failures;
        ADD_FAILURE() << wasm::OpText(op) << " layout " << l.dst << "," << l.a << "," << l.b << ","
                      << l.c << " a=" << Hex(a) << " b=" << Hex(b) << " c=" << Hex(c) << " want "
                      << Hex(want) << " got " << Hex(got);
      }
    }
  }
}

template <typename T>
T SatT(int64_t x) {
  return static_cast<T>(
      std::clamp<int64_t>(x, std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
}

TEST(A64SimdRun, Arithmetic) {
  Check(Op::I64x2Mul, Shape::kI64, [](const V128& a, const V128& b, const V128&) {
    return Map2<uint64_t>(a, b, [](uint64_t x, uint64_t y) { return x * y; });
  });
  Check(Op::I16x8Q15mulrSatS, Shape::kI16, [](const V128& a, const V128& b, const V128&) {
    return Map2<int16_t>(a, b, [](int16_t x, int16_t y) {
      return SatT<int16_t>((int64_t{x} * y + (1 << 14)) >> 15);
    });
  });
  Check(Op::I8x16AddSatS, Shape::kI8, [](const V128& a, const V128& b, const V128&) {
    return Map2<int8_t>(a, b, [](int8_t x, int8_t y) { return SatT<int8_t>(int64_t{x} + y); });
  });
  Check(Op::I32x4DotI16x8S, Shape::kI16, [](const V128& a, const V128& b, const V128&) {
    V128 out;
    for (int i = 0; i < 4; ++i) {
      int64_t s = int64_t{Lane<int16_t>(a, 2 * i)} * Lane<int16_t>(b, 2 * i) +
                  int64_t{Lane<int16_t>(a, 2 * i + 1)} * Lane<int16_t>(b, 2 * i + 1);
      SetLane<uint32_t>(out, i, static_cast<uint32_t>(s));
    }
    return out;
  });
  Check(Op::I8x16NarrowI16x8S, Shape::kI16, [](const V128& a, const V128& b, const V128&) {
    V128 out;
    for (int i = 0; i < 8; ++i) {
      SetLane<int8_t>(out, i, SatT<int8_t>(Lane<int16_t>(a, i)));
      SetLane<int8_t>(out, 8 + i, SatT<int8_t>(Lane<int16_t>(b, i)));
    }
    return out;
  });
  Check(Op::I16x8NarrowI32x4U, Shape::kI32, [](const V128& a, const V128& b, const V128&) {
    V128 out;
    for (int i = 0; i < 4; ++i) {
      SetLane<uint16_t>(out, i, SatT<uint16_t>(Lane<int32_t>(a, i)));
      SetLane<uint16_t>(out, 4 + i, SatT<uint16_t>(Lane<int32_t>(b, i)));
    }
    return out;
  });
  Check(Op::I32x4LeU, Shape::kI32, [](const V128& a, const V128& b, const V128&) {
    return Map2<uint32_t>(a, b, [](uint32_t x, uint32_t y) { return Mask<uint32_t>(x <= y); });
  });
  Check(Op::I64x2LtS, Shape::kI64, [](const V128& a, const V128& b, const V128&) {
    return Map2<int64_t>(a, b, [](int64_t x, int64_t y) { return Mask<int64_t>(x < y); });
  });
  Check(Op::V128Bitselect, Shape::kI8, [](const V128& a, const V128& b, const V128& c) {
    return V128{(a.lo & c.lo) | (b.lo & ~c.lo), (a.hi & c.hi) | (b.hi & ~c.hi)};
  });
  Check(Op::I8x16Swizzle, Shape::kI8, [](const V128& a, const V128& b, const V128&) {
    V128 out;
    for (int i = 0; i < 16; ++i) {
      uint8_t j = Lane<uint8_t>(b, i);
      SetLane<uint8_t>(out, i, j < 16 ? Lane<uint8_t>(a, j) : 0);
    }
    return out;
  });
}

template <typename T, typename F>
void Bin(Op op, Shape shape, F f) {
  Check(op, shape, [f](const V128& a, const V128& b, const V128&) { return Map2<T>(a, b, f); });
}
template <typename T, typename F>
void Un(Op op, Shape shape, F f) {
  Check(op, shape, [f](const V128& a, const V128&, const V128&) { return Map1<T>(a, f); });
}
// Widening ops: out lane i (type W) = f(lanes of the narrow type N at `first + i`).
template <typename W, typename N, typename F>
void Widen(Op op, Shape shape, int first, F f) {
  Check(op, shape, [=](const V128& a, const V128& b, const V128&) {
    V128 out;
    for (int i = 0; i < kLanes<W>; ++i)
      SetLane<W>(out, i, static_cast<W>(f(Lane<N>(a, first + i), Lane<N>(b, first + i))));
    return out;
  });
}
template <typename W, typename N>
void Pairwise(Op op, Shape shape) {
  Check(op, shape, [](const V128& a, const V128&, const V128&) {
    V128 out;
    for (int i = 0; i < kLanes<W>; ++i)
      SetLane<W>(out, i, static_cast<W>(W{Lane<N>(a, 2 * i)} + W{Lane<N>(a, 2 * i + 1)}));
    return out;
  });
}

// Every other op of the int family, lane by lane.
TEST(A64SimdRun, IntFamily) {
  Bin<uint8_t>(Op::I8x16Add, Shape::kI8, [](uint8_t x, uint8_t y) { return x + y; });
  Bin<uint16_t>(Op::I16x8Sub, Shape::kI16, [](uint16_t x, uint16_t y) { return x - y; });
  Bin<uint32_t>(Op::I32x4Mul, Shape::kI32, [](uint32_t x, uint32_t y) { return x * y; });
  Bin<uint16_t>(Op::I16x8Mul, Shape::kI16, [](uint16_t x, uint16_t y) { return x * y; });
  Bin<uint64_t>(Op::I64x2Sub, Shape::kI64, [](uint64_t x, uint64_t y) { return x - y; });
  Bin<uint8_t>(Op::I8x16SubSatU, Shape::kI8,
               [](uint8_t x, uint8_t y) { return SatT<uint8_t>(int64_t{x} - y); });
  Bin<int16_t>(Op::I16x8AddSatS, Shape::kI16,
               [](int16_t x, int16_t y) { return SatT<int16_t>(int64_t{x} + y); });
  Bin<uint16_t>(Op::I16x8AddSatU, Shape::kI16,
                [](uint16_t x, uint16_t y) { return SatT<uint16_t>(int64_t{x} + y); });
  Bin<int8_t>(Op::I8x16MinS, Shape::kI8, [](int8_t x, int8_t y) { return std::min(x, y); });
  Bin<uint16_t>(Op::I16x8MaxU, Shape::kI16, [](uint16_t x, uint16_t y) { return std::max(x, y); });
  Bin<int32_t>(Op::I32x4MaxS, Shape::kI32, [](int32_t x, int32_t y) { return std::max(x, y); });
  Bin<uint32_t>(Op::I32x4MinU, Shape::kI32, [](uint32_t x, uint32_t y) { return std::min(x, y); });
  Bin<uint8_t>(Op::I8x16AvgrU, Shape::kI8,
               [](uint8_t x, uint8_t y) { return (uint32_t{x} + y + 1) / 2; });
  Bin<uint16_t>(Op::I16x8AvgrU, Shape::kI16,
                [](uint16_t x, uint16_t y) { return (uint32_t{x} + y + 1) / 2; });
  Bin<int8_t>(Op::I8x16Ne, Shape::kI8, [](int8_t x, int8_t y) { return Mask<int8_t>(x != y); });
  Bin<uint8_t>(Op::I8x16GtU, Shape::kI8, [](uint8_t x, uint8_t y) { return Mask<uint8_t>(x > y); });
  Bin<int16_t>(Op::I16x8LeS, Shape::kI16,
               [](int16_t x, int16_t y) { return Mask<int16_t>(x <= y); });
  Bin<uint16_t>(Op::I16x8LtU, Shape::kI16,
                [](uint16_t x, uint16_t y) { return Mask<uint16_t>(x < y); });
  Bin<int32_t>(Op::I32x4GeS, Shape::kI32,
               [](int32_t x, int32_t y) { return Mask<int32_t>(x >= y); });
  Bin<uint32_t>(Op::I32x4GeU, Shape::kI32,
                [](uint32_t x, uint32_t y) { return Mask<uint32_t>(x >= y); });
  Bin<int64_t>(Op::I64x2GeS, Shape::kI64,
               [](int64_t x, int64_t y) { return Mask<int64_t>(x >= y); });
  Bin<int64_t>(Op::I64x2Eq, Shape::kI64,
               [](int64_t x, int64_t y) { return Mask<int64_t>(x == y); });
  Bin<int64_t>(Op::I64x2Ne, Shape::kI64,
               [](int64_t x, int64_t y) { return Mask<int64_t>(x != y); });
  Un<int8_t>(Op::I8x16Abs, Shape::kI8, [](int8_t x) { return x < 0 ? -x : x; });
  Un<int64_t>(Op::I64x2Abs, Shape::kI64,
              [](int64_t x) { return x < 0 ? 0 - static_cast<uint64_t>(x) : x; });
  Un<uint32_t>(Op::I32x4Neg, Shape::kI32, [](uint32_t x) { return 0u - x; });
  Un<uint8_t>(Op::I8x16Popcnt, Shape::kI8, [](uint8_t x) { return __builtin_popcount(x); });
  Widen<int16_t, int8_t>(Op::I16x8ExtendHighI8x16S, Shape::kI8, 8,
                         [](int8_t x, int8_t) { return x; });
  Widen<uint32_t, uint16_t>(Op::I32x4ExtendLowI16x8U, Shape::kI16, 0,
                            [](uint16_t x, uint16_t) { return x; });
  Widen<int64_t, int32_t>(Op::I64x2ExtendHighI32x4S, Shape::kI32, 2,
                          [](int32_t x, int32_t) { return x; });
  Widen<uint16_t, uint8_t>(Op::I16x8ExtmulHighI8x16U, Shape::kI8, 8,
                           [](uint8_t x, uint8_t y) { return uint32_t{x} * y; });
  Widen<int32_t, int16_t>(Op::I32x4ExtmulLowI16x8S, Shape::kI16, 0,
                          [](int16_t x, int16_t y) { return int32_t{x} * y; });
  Widen<int64_t, int32_t>(Op::I64x2ExtmulHighI32x4S, Shape::kI32, 2,
                          [](int32_t x, int32_t y) { return int64_t{x} * y; });
  Widen<uint64_t, uint32_t>(Op::I64x2ExtmulLowI32x4U, Shape::kI32, 0,
                            [](uint32_t x, uint32_t y) { return uint64_t{x} * y; });
  Pairwise<int16_t, int8_t>(Op::I16x8ExtaddPairwiseI8x16S, Shape::kI8);
  Pairwise<uint32_t, uint16_t>(Op::I32x4ExtaddPairwiseI16x8U, Shape::kI16);
  Check(Op::I8x16NarrowI16x8U, Shape::kI16, [](const V128& a, const V128& b, const V128&) {
    V128 out;
    for (int i = 0; i < 8; ++i) {
      SetLane<uint8_t>(out, i, SatT<uint8_t>(Lane<int16_t>(a, i)));
      SetLane<uint8_t>(out, 8 + i, SatT<uint8_t>(Lane<int16_t>(b, i)));
    }
    return out;
  });
  Check(Op::V128Andnot, Shape::kI8, [](const V128& a, const V128& b, const V128&) {
    return V128{a.lo & ~b.lo, a.hi & ~b.hi};
  });
  Check(Op::V128Not, Shape::kI8, [](const V128& a, const V128&, const V128&) {
    return V128{~a.lo, ~a.hi};
  });
}

// Shifts by a register count, including counts >= the lane width and negative ones (masked).
TEST(A64SimdRun, Shifts) {
  struct Case {
    Op op;
    int bits;
    int kind;
  };
  for (Case c : {Case{Op::I8x16Shl, 8, 0}, Case{Op::I8x16ShrS, 8, 1}, Case{Op::I16x8ShrU, 16, 2},
                 Case{Op::I32x4ShrS, 32, 1}, Case{Op::I64x2ShrS, 64, 1}, Case{Op::I64x2ShrU, 64, 2},
                 Case{Op::I64x2Shl, 64, 0}}) {
    Runner r(
        [&](Masm::Impl& m, const Layout& l) {
          simd::VOps o = Ops(Reg::Fp(l.dst), Reg::Fp(l.a));
          o.gp = gp;
          EXPECT_TRUE(EmitOp(m, c.op, o));
        },
        kLayouts[0]);
    for (uint32_t count : {0u, 1u, 7u, 8u, 9u, 15u, 17u, 31u, 33u, 63u, 64u, 65u, 0xFFFFFFFFu}) {
      for (const V128& a : InputVectors(Shape::kI64, 20, 4)) {
        V128 want;
        int n = static_cast<int>(count & (c.bits - 1));
        for (int i = 0; i < 128 / c.bits; ++i) {
          uint64_t mask = c.bits == 64 ? ~0ull : (1ull << c.bits) - 1;
          uint64_t x = 0;
          std::memcpy(&x, reinterpret_cast<const uint8_t*>(&a) + i * c.bits / 8, c.bits / 8);
          int64_t sx = static_cast<int64_t>(x << (64 - c.bits)) >> (64 - c.bits);
          uint64_t y = c.kind == 0 ? x << n : c.kind == 1 ? static_cast<uint64_t>(sx >> n) : x >> n;
          y &= mask;
          std::memcpy(reinterpret_cast<uint8_t*>(&want) + i * c.bits / 8, &y, c.bits / 8);
        }
        V128 got = r.Run(a, a, a, count);
        EXPECT_EQ(got, want) << wasm::OpText(c.op) << " by " << count << " of " << Hex(a);
      }
    }
  }
}

TEST(A64SimdRun, Reductions) {
  for (Op op :
       {Op::V128AnyTrue, Op::I8x16AllTrue, Op::I16x8AllTrue, Op::I32x4AllTrue, Op::I64x2AllTrue,
        Op::I8x16Bitmask, Op::I16x8Bitmask, Op::I32x4Bitmask, Op::I64x2Bitmask}) {
    Runner r(
        [&](Masm::Impl& m, const Layout& l) {
          simd::VOps o;
          o.a = Reg::Fp(l.a);
          o.gp = gout;
          EXPECT_TRUE(EmitOp(m, op, o));
        },
        kLayouts[0]);
    int bytes = op == Op::I8x16AllTrue || op == Op::I8x16Bitmask   ? 1
                : op == Op::I16x8AllTrue || op == Op::I16x8Bitmask ? 2
                : op == Op::I32x4AllTrue || op == Op::I32x4Bitmask ? 4
                                                                   : 8;
    std::vector<V128> ins = InputVectors(Shape::kI8, 200, 5);
    for (int i = 0; i < 16; ++i) {  // vectors with zero lanes
      V128 v{~0ull, ~0ull};
      std::memset(reinterpret_cast<uint8_t*>(&v) + i, 0, 1);
      ins.push_back(v);
      ins.push_back(V128{0, 0});
      V128 w{};
      std::memset(reinterpret_cast<uint8_t*>(&w) + i, 0x80, 1);
      ins.push_back(w);
    }
    for (const V128& v : ins) {
      uint64_t want = 0;
      const uint8_t* p = reinterpret_cast<const uint8_t*>(&v);
      if (op == Op::V128AnyTrue) {
        want = (v.lo | v.hi) != 0;
      } else if (op == Op::I8x16AllTrue || op == Op::I16x8AllTrue || op == Op::I32x4AllTrue ||
                 op == Op::I64x2AllTrue) {
        want = 1;
        for (int i = 0; i < 16; i += bytes) {
          bool zero = true;
          for (int k = 0; k < bytes; ++k) zero = zero && p[i + k] == 0;
          if (zero) want = 0;
        }
      } else {
        for (int i = 0; i < 16 / bytes; ++i)
          if (p[i * bytes + bytes - 1] & 0x80) want |= 1u << i;
      }
      uint64_t got = 0;
      r.Run(v, v, v, 0, &got);
      EXPECT_EQ(got, want) << wasm::OpText(op) << " of " << Hex(v);
    }
  }
}

TEST(A64SimdRun, Shuffles) {
  std::mt19937 rng(7);
  std::vector<std::vector<uint8_t>> patterns = {
      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
      {16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31},
      {8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15},
      {5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5},
      {30, 31, 30, 31, 30, 31, 30, 31, 30, 31, 30, 31, 30, 31, 30, 31},
      {13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28},
      {29, 30, 31, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
      {0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23},
      {8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31},
      {1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31},
      {0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27},
      {4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31},
      {3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12},
      {1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14},
      {2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13},
      {17, 16, 19, 18, 21, 20, 23, 22, 25, 24, 27, 26, 29, 28, 31, 30},
  };
  // One element replaced (mov + ins).
  patterns.push_back({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 20, 21, 22, 23});
  patterns.push_back({16, 17, 18, 19, 20, 21, 22, 23, 0, 1, 2, 3, 4, 5, 6, 7});
  patterns.push_back({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 31});
  patterns.push_back({16, 17, 2, 3, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31});
  patterns.push_back({0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15});
  // Zero lanes (>= 32: the compiler's shuffle against v128.const 0).
  constexpr uint8_t Z = 32;
  patterns.push_back({0, Z, 1, Z, 2, Z, 3, Z, 4, Z, 5, Z, 6, Z, 7, Z});
  patterns.push_back({0, Z, Z, Z, 1, Z, Z, Z, 2, Z, Z, Z, 3, Z, Z, Z});
  patterns.push_back({0, 1, Z, Z, Z, Z, Z, Z, 2, 3, Z, Z, Z, Z, Z, Z});
  patterns.push_back({8, Z, 9, Z, 10, Z, 11, Z, 12, Z, 13, Z, 14, Z, 15, Z});
  patterns.push_back({24, Z, 25, Z, 26, Z, 27, Z, 28, Z, 29, Z, 30, Z, 31, Z});
  patterns.push_back({0, 1, 2, 3, 4, 5, 6, 7, Z, Z, Z, Z, Z, Z, Z, Z});
  patterns.push_back({Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z});
  patterns.push_back({3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, Z, Z, Z});
  patterns.push_back({Z, 17, 3, Z, 20, 5, Z, 31, 0, Z, 9, 9, Z, 16, 1, 2});
  for (int k = 0; k < 30; ++k) {
    std::vector<uint8_t> p(16);
    for (auto& x : p) x = static_cast<uint8_t>(rng() % (k < 10 ? 16 : 32));
    patterns.push_back(p);
  }
  for (const auto& p : patterns) {
    for (const Layout& l : kLayouts) {
      Runner r(
          [&](Masm::Impl& m, const Layout& l) {
            simd::VOps o = Ops(Reg::Fp(l.dst), Reg::Fp(l.a), Reg::Fp(l.b));
            o.lanes = p.data();
            EXPECT_TRUE(EmitOp(m, Op::I8x16Shuffle, o));
          },
          l);
      for (const V128& a0 : InputVectors(Shape::kI8, 5, 6)) {
        V128 a = a0, b{a0.hi * 3 + 1, a0.lo ^ 0x0123456789ABCDEFull}, c{};
        r.Canon(a, b, c);
        V128 want;
        for (int i = 0; i < 16; ++i)
          SetLane<uint8_t>(want, i,
                           p[i] >= 32  ? uint8_t{0}
                           : p[i] < 16 ? Lane<uint8_t>(a, p[i])
                                       : Lane<uint8_t>(b, p[i] - 16));
        EXPECT_EQ(r.Run(a, b, c), want) << "layout " << l.dst << "," << l.a << "," << l.b;
      }
    }
  }
}

TEST(A64SimdRun, Lanes) {
  // Splat, extract (with sign/zero extension; the i32 result's upper half zero), replace.
  struct Case {
    Op op;
    uint32_t lane;
  };
  for (Case c : {Case{Op::I8x16ExtractLaneS, 15}, Case{Op::I8x16ExtractLaneU, 3},
                 Case{Op::I16x8ExtractLaneS, 7}, Case{Op::I16x8ExtractLaneU, 1},
                 Case{Op::I32x4ExtractLane, 2}, Case{Op::I64x2ExtractLane, 1}}) {
    Runner r(
        [&](Masm::Impl& m, const Layout& l) {
          simd::VOps o;
          o.a = Reg::Fp(l.a);
          o.gp = gout;
          o.imm = c.lane;
          EXPECT_TRUE(EmitOp(m, c.op, o));
        },
        kLayouts[0]);
    for (const V128& v : InputVectors(Shape::kI8, 50, 8)) {
      uint64_t got = 0, want = 0;
      r.Run(v, v, v, 0, &got);
      switch (c.op) {
        case Op::I8x16ExtractLaneS:
          want = static_cast<uint32_t>(int32_t{Lane<int8_t>(v, c.lane)});
          break;
        case Op::I8x16ExtractLaneU:
          want = Lane<uint8_t>(v, c.lane);
          break;
        case Op::I16x8ExtractLaneS:
          want = static_cast<uint32_t>(int32_t{Lane<int16_t>(v, c.lane)});
          break;
        case Op::I16x8ExtractLaneU:
          want = Lane<uint16_t>(v, c.lane);
          break;
        case Op::I32x4ExtractLane:
          want = Lane<uint32_t>(v, c.lane);
          break;
        default:
          want = Lane<uint64_t>(v, c.lane);
          break;
      }
      EXPECT_EQ(got, want) << wasm::OpText(c.op) << " " << Hex(v);
    }
  }
  for (const Layout& l : kLayouts) {
    Runner r(
        [&](Masm::Impl& m, const Layout& l) {
          simd::VOps o = Ops(Reg::Fp(l.dst), Reg::Fp(l.a), Reg::Fp(l.b));
          o.imm = 1;
          EXPECT_TRUE(EmitOp(m, Op::F64x2ReplaceLane, o));
        },
        l);
    V128 a{1, 2}, b{3, 4}, c{};
    r.Canon(a, b, c);
    EXPECT_EQ(r.Run(a, b, c), (V128{a.lo, b.lo}));
  }
  Runner r(
      [&](Masm::Impl& m, const Layout& l) {
        simd::VOps o = Ops(Reg::Fp(l.dst), Reg::Fp(l.a));
        o.gp = gp;
        o.imm = 5;
        EXPECT_TRUE(EmitOp(m, Op::I16x8ReplaceLane, o));
      },
      kLayouts[1]);
  V128 v{0x1111222233334444ull, 0x5555666677778888ull};
  EXPECT_EQ(r.Run(v, v, v, 0xABCDEF),
            (V128{v.lo, (0x5555666677778888ull & ~0xFFFF0000ull) | 0xCDEF0000ull}));
}

TEST(A64SimdRun, ConstantsExecute) {
  std::vector<V128> values = {{0, 0},
                              {~0ull, ~0ull},
                              {0x0000FF000000FF00ull, 0x0000FF000000FF00ull},
                              {0xFFFFFFEFFFFFFFEFull, 0xFFFFFFEFFFFFFFEFull},
                              {0x00AB00AB00AB00ABull, 0x00AB00AB00AB00ABull},
                              {0xAB00AB00AB00AB00ull, 0xAB00AB00AB00AB00ull},
                              {0xFF54FF54FF54FF54ull, 0xFF54FF54FF54FF54ull},
                              {0x1234, 0},
                              {0, 0x1234},
                              {0xFFFFFFFF00000000ull, 0x8000000000000001ull},
                              {0x0102030405060708ull, 0x0102030405060708ull}};
  for (const V128& v : values) {
    Runner r([&](Masm::Impl& m, const Layout& l) { simd::LoadV128(m.a, aa::v(l.dst), v); },
             kLayouts[0]);
    EXPECT_EQ(r.Run(V128{}, V128{}, V128{}), v) << Hex(v);
  }
}

#endif  // __aarch64__

}  // namespace
}  // namespace wt::jit::a64
