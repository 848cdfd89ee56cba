// The aarch64 Masm's integer operations (masm_a64_int.cpp): golden encodings checked on every
// host (the expected words were assembled by GNU as from the listed instructions), and, on
// aarch64, the operations run end to end through the runtime (division edge cases, immediate
// forms, traps).
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "jit/a64/masm_a64.h"

#if defined(__aarch64__)
#include "../runtime/runtime_test_util.h"
#include "runtime/runtime.h"
#endif

namespace wt::jit::a64 {
namespace {

using wasm::Op;

constexpr Reg r0 = reg::x0, r1 = reg::x1, r2 = reg::x2, r3 = reg::x3;

// Assembles `emit` into a fresh Masm (binding `labels` at the end, when given) and returns the
// instruction words.
std::vector<uint32_t> Assemble(const std::function<void(Masm&)>& emit) {
  Masm m(CpuFeatures{});
  emit(m);
  EXPECT_EQ(m.error(), "");
  auto size = m.Finish();
  EXPECT_TRUE(size.ok());
  if (!size.ok()) return {};
  std::vector<uint8_t> bytes(*size);
  EXPECT_TRUE(m.CopyTo(bytes.data(), bytes.size(), 0x10000).ok());
  std::vector<uint32_t> words(bytes.size() / 4);
  for (size_t i = 0; i < words.size(); ++i)
    words[i] = static_cast<uint32_t>(bytes[4 * i]) | static_cast<uint32_t>(bytes[4 * i + 1]) << 8 |
               static_cast<uint32_t>(bytes[4 * i + 2]) << 16 |
               static_cast<uint32_t>(bytes[4 * i + 3]) << 24;
  return words;
}

TEST(A64Int, RegisterBinops) {
  auto got = Assemble([](Masm& m) {
    for (Op op : {Op::I32Add, Op::I32Sub, Op::I32Mul, Op::I32And, Op::I32Or, Op::I32Xor, Op::I32Shl,
                  Op::I32ShrS, Op::I32ShrU, Op::I32Rotl, Op::I32Rotr})
      m.IntBinop(op, r0, r1, r2);
  });
  std::vector<uint32_t> want = {
      0x0b020020,  // add w0, w1, w2
      0x4b020020,  // sub w0, w1, w2
      0x1b027c20,  // mul w0, w1, w2
      0x0a020020,  // and w0, w1, w2
      0x2a020020,  // orr w0, w1, w2
      0x4a020020,  // eor w0, w1, w2
      0x1ac22020,  // lsl w0, w1, w2
      0x1ac22820,  // asr w0, w1, w2
      0x1ac22420,  // lsr w0, w1, w2
      0x4b0203f0,  // neg w16, w2
      0x1ad02c20,  // ror w0, w1, w16
      0x1ac22c20,  // ror w0, w1, w2
  };
  EXPECT_EQ(got, want);
}

// dst aliasing rhs (or both operands): every form reads its inputs before writing dst; rotl's
// negated count goes through x16.
TEST(A64Int, RegisterBinopsAliasing) {
  auto got = Assemble([](Masm& m) {
    m.IntBinop(Op::I64Add, r2, r1, r2);
    m.IntBinop(Op::I64Sub, r2, r1, r2);
    m.IntBinop(Op::I64Mul, r1, r1, r2);
    m.IntBinop(Op::I64Shl, r2, r1, r2);
    m.IntBinop(Op::I64Rotl, r2, r1, r2);
    m.IntBinop(Op::I64Rotr, r0, r0, r0);
  });
  std::vector<uint32_t> want = {
      0x8b020022,  // add x2, x1, x2
      0xcb020022,  // sub x2, x1, x2
      0x9b027c21,  // mul x1, x1, x2
      0x9ac22022,  // lsl x2, x1, x2
      0xcb0203f0,  // neg x16, x2
      0x9ad02c22,  // ror x2, x1, x16
      0x9ac02c00,  // ror x0, x0, x0
  };
  EXPECT_EQ(got, want);
}

TEST(A64Int, ImmediateForms) {
  EXPECT_TRUE(Masm::HasImmForm(Op::I32Add));
  EXPECT_TRUE(Masm::HasImmForm(Op::I64Rotl));
  EXPECT_FALSE(Masm::HasImmForm(Op::I32DivS));
  EXPECT_TRUE(Masm::ClobbersFor(Op::I64RemS).empty());
  EXPECT_TRUE(Masm::ClobbersFor(Op::I32Shl).empty());
  auto got = Assemble([](Masm& m) {
    m.IntBinopImm(Op::I32Add, r0, r1, 4095);
    m.IntBinopImm(Op::I64Add, r0, r1, 0x5000);  // imm12, lsl 12
    m.IntBinopImm(Op::I32Add, r0, r1, -1);      // sub #1
    m.IntBinopImm(Op::I64Sub, r0, r1, -4096);   // add #1, lsl 12
    m.IntBinopImm(Op::I64Add, r3, r3, -4096);   // sub #1, lsl 12
    m.IntBinopImm(Op::I32And, r0, r1, 0xFF);    // logical immediates
    m.IntBinopImm(Op::I64And, r0, r1, 0xFFFF);
    m.IntBinopImm(Op::I64And, r0, r0, -1);        // nothing
    m.IntBinopImm(Op::I32And, r0, r1, 0);         // mov wzr
    m.IntBinopImm(Op::I32Or, r0, r1, INT32_MIN);  // 0x80000000
    m.IntBinopImm(Op::I32Xor, r0, r1, -1);        // mvn
    m.IntBinopImm(Op::I64Xor, r0, r1, -2);
    m.IntBinopImm(Op::I32Mul, r0, r1, 8);  // powers of two: shifts
    m.IntBinopImm(Op::I32Mul, r0, r1, INT32_MIN);
    m.IntBinopImm(Op::I32Shl, r0, r1, 33);  // counts modulo the width
    m.IntBinopImm(Op::I64ShrS, r0, r1, 63);
    m.IntBinopImm(Op::I32ShrU, r0, r0, 0);   // nothing
    m.IntBinopImm(Op::I32ShrU, r0, r1, 32);  // a move
    m.IntBinopImm(Op::I32Rotl, r0, r1, 8);   // ror by 24
    m.IntBinopImm(Op::I64Rotr, r0, r1, 1);
    m.IntBinopImm(Op::I64Rotl, r0, r1, 0);  // a move
  });
  std::vector<uint32_t> want = {
      0x113ffc20,  // add w0, w1, #0xfff
      0x91401420,  // add x0, x1, #0x5, lsl #12
      0x51000420,  // sub w0, w1, #0x1
      0x91400420,  // add x0, x1, #0x1, lsl #12
      0xd1400463,  // sub x3, x3, #0x1, lsl #12
      0x12001c20,  // and w0, w1, #0xff
      0x92403c20,  // and x0, x1, #0xffff
      0x2a1f03e0,  // mov w0, wzr
      0x32010020,  // orr w0, w1, #0x80000000
      0x2a2103e0,  // mvn w0, w1
      0xd27ff820,  // eor x0, x1, #0xfffffffffffffffe
      0x531d7020,  // lsl w0, w1, #3
      0x53010020,  // lsl w0, w1, #31
      0x531f7820,  // lsl w0, w1, #1
      0x937ffc20,  // asr x0, x1, #63
      0x2a0103e0,  // mov w0, w1
      0x13816020,  // ror w0, w1, #24
      0x93c10420,  // ror x0, x1, #1
      0xaa0103e0,  // mov x0, x1
  };
  EXPECT_EQ(got, want);
}

// Immediates no instruction form takes are materialized in x16 (w16 for i32).
TEST(A64Int, ImmediatesThroughScratch) {
  auto got = Assemble([](Masm& m) {
    m.IntBinopImm(Op::I64Mul, r0, r1, 10);
    m.IntBinopImm(Op::I32Add, r0, r1, INT32_MIN);
    m.IntBinopImm(Op::I64Add, r0, r1, 0x12345);
    m.IntBinopImm(Op::I32Or, r0, r1, 0x1234);  // not a logical immediate
  });
  std::vector<uint32_t> want = {
      0xd2800150,  // mov x16, #0xa
      0x9b107c20,  // mul x0, x1, x16
      0x52b00010,  // mov w16, #0x80000000
      0x0b100020,  // add w0, w1, w16
      0xd28468b0,  // mov x16, #0x2345
      0xf2a00030,  // movk x16, #0x1, lsl #16
      0x8b100020,  // add x0, x1, x16
      0x52824690,  // mov w16, #0x1234
      0x2a100020,  // orr w0, w1, w16
  };
  EXPECT_EQ(got, want);
}

// Division: cbz to div_by_zero; div_s also cmn rhs, #1; ccmp lhs, #1, #0, eq; b.vs overflow.
TEST(A64Int, DivRem) {
  auto divs32 = Assemble([](Masm& m) {
    Label zero = m.NewLabel(), ovf = m.NewLabel();
    m.IntDivRem(Op::I32DivS, r0, r1, r2, zero, ovf);
    m.Bind(zero);
    m.Bind(ovf);
  });
  EXPECT_EQ(divs32, (std::vector<uint32_t>{
                        0x340000a2,  // cbz w2, 14
                        0x3100045f,  // cmn w2, #0x1
                        0x7a410820,  // ccmp w1, #0x1, #0x0, eq
                        0x54000046,  // b.vs 14
                        0x1ac20c20,  // sdiv w0, w1, w2
                    }));
  auto remu64 = Assemble([](Masm& m) {
    Label zero = m.NewLabel();
    m.IntDivRem(Op::I64RemU, r2, r1, r2, zero, Label{});
    m.Bind(zero);
  });
  EXPECT_EQ(remu64, (std::vector<uint32_t>{
                        0xb4000062,  // cbz x2, c
                        0x9ac20830,  // udiv x16, x1, x2
                        0x9b028602,  // msub x2, x16, x2, x1
                    }));
  auto rems32 = Assemble([](Masm& m) {
    Label zero = m.NewLabel();
    m.IntDivRem(Op::I32RemS, r0, r0, r1, zero, Label{});  // no overflow check: INT_MIN % -1 = 0
    m.Bind(zero);
  });
  EXPECT_EQ(rems32, (std::vector<uint32_t>{
                        0x34000061,  // cbz w1, c
                        0x1ac10c10,  // sdiv w16, w0, w1
                        0x1b018200,  // msub w0, w16, w1, w0
                    }));
  auto divu64 = Assemble([](Masm& m) {
    Label zero = m.NewLabel();
    m.IntDivRem(Op::I64DivU, r0, r1, r0, zero, Label{});
    m.Bind(zero);
  });
  EXPECT_EQ(divu64, (std::vector<uint32_t>{
                        0xb4000040,  // cbz x0, 8
                        0x9ac00820,  // udiv x0, x1, x0
                    }));
  auto divs64 = Assemble([](Masm& m) {
    Label zero = m.NewLabel(), ovf = m.NewLabel();
    m.IntDivRem(Op::I64DivS, r2, r1, r2, zero, ovf);
    m.Bind(zero);
    m.IntUnop(Op::I64Clz, r0, r0);  // a word between the two targets
    m.Bind(ovf);
  });
  EXPECT_EQ(divs64.size(), 6u);
  if (divs64.size() == 6) divs64.pop_back();  // the clz
  EXPECT_EQ(divs64, (std::vector<uint32_t>{
                        0xb40000a2,  // cbz x2, 14
                        0xb100045f,  // cmn x2, #0x1
                        0xfa410820,  // ccmp x1, #0x1, #0x0, eq
                        0x54000066,  // b.vs 18
                        0x9ac20c22,  // sdiv x2, x1, x2
                    }));
}

TEST(A64Int, Unops) {
  auto got = Assemble([](Masm& m) {
    for (Op op :
         {Op::I32Clz, Op::I64Clz, Op::I32Ctz, Op::I64Ctz, Op::I32Popcnt, Op::I64Popcnt, Op::I32Eqz,
          Op::I64Eqz, Op::RefIsNull, Op::I32Extend8S, Op::I32Extend16S, Op::I64Extend8S,
          Op::I64Extend16S, Op::I64Extend32S, Op::I64ExtendI32S, Op::I64ExtendI32U, Op::I32WrapI64})
      m.IntUnop(op, r0, r1);
    m.IntUnop(Op::I32WrapI64, r1, r1);     // clears the upper half
    m.IntUnop(Op::I64ExtendI32U, r1, r1);  // nothing: the upper half is already zero
  });
  std::vector<uint32_t> want = {
      0x5ac01020,  // clz w0, w1
      0xdac01020,  // clz x0, x1
      0x5ac00020,  // rbit w0, w1
      0x5ac01000,  // clz w0, w0
      0xdac00020,  // rbit x0, x1
      0xdac01000,  // clz x0, x0
      0x1e27003f,  // fmov s31, w1
      0x0e205bff,  // cnt v31.8b, v31.8b
      0x0e31bbff,  // addv b31, v31.8b
      0x1e2603e0,  // fmov w0, s31
      0x9e67003f,  // fmov d31, x1
      0x0e205bff,  // cnt v31.8b, v31.8b
      0x0e31bbff,  // addv b31, v31.8b
      0x1e2603e0,  // fmov w0, s31
      0x7100003f,  // cmp w1, #0x0
      0x1a9f17e0,  // cset w0, eq
      0xf100003f,  // cmp x1, #0x0
      0x1a9f17e0,  // cset w0, eq
      0xf100003f,  // cmp x1, #0x0
      0x1a9f17e0,  // cset w0, eq
      0x13001c20,  // sxtb w0, w1
      0x13003c20,  // sxth w0, w1
      0x93401c20,  // sxtb x0, w1
      0x93403c20,  // sxth x0, w1
      0x93407c20,  // sxtw x0, w1
      0x93407c20,  // sxtw x0, w1
      0x2a0103e0,  // mov w0, w1
      0x2a0103e0,  // mov w0, w1
      0x2a0103e1,  // mov w1, w1
  };
  EXPECT_EQ(got, want);
}

TEST(A64Int, Compares) {
  auto got = Assemble([](Masm& m) {
    m.IntCompare(Op::I32LtS, r0, r1, r2);
    m.IntCompare(Op::I64GtU, r0, r1, r2);
    m.IntCompare(Op::I32LeU, r0, r1, r2);
    m.IntCompare(Op::I64GeS, r1, r1, r2);
  });
  std::vector<uint32_t> want = {
      0x6b02003f,  // cmp w1, w2
      0x1a9fa7e0,  // cset w0, lt
      0xeb02003f,  // cmp x1, x2
      0x1a9f97e0,  // cset w0, hi
      0x6b02003f,  // cmp w1, w2
      0x1a9f87e0,  // cset w0, ls
      0xeb02003f,  // cmp x1, x2
      0x1a9fb7e1,  // cset w1, ge
  };
  EXPECT_EQ(got, want);
}

// Negative immediates compare through cmn; the rest through x16.
TEST(A64Int, CompareImmediates) {
  auto got = Assemble([](Masm& m) {
    m.IntCompareImm(Op::I32Eq, r0, r1, 0);
    m.IntCompareImm(Op::I32LtS, r0, r1, -1);
    m.IntCompareImm(Op::I64GeU, r0, r1, 4096);
    m.IntCompareImm(Op::I32GtU, r0, r1, -4096);  // 0xFFFFF000
    m.IntCompareImm(Op::I64LeS, r0, r1, 4097);
    m.IntCompareImm(Op::I32Ne, r0, r1, INT32_MIN);
    m.IntCompareImm(Op::I64GtS, r0, r1, -4095);
  });
  std::vector<uint32_t> want = {
      0x7100003f,  // cmp w1, #0x0
      0x1a9f17e0,  // cset w0, eq
      0x3100043f,  // cmn w1, #0x1
      0x1a9fa7e0,  // cset w0, lt
      0xf140043f,  // cmp x1, #0x1, lsl #12
      0x1a9f37e0,  // cset w0, cs
      0x3140043f,  // cmn w1, #0x1, lsl #12
      0x1a9f97e0,  // cset w0, hi
      0xd2820030,  // mov x16, #0x1001
      0xeb10003f,  // cmp x1, x16
      0x1a9fc7e0,  // cset w0, le
      0x52b00010,  // mov w16, #0x80000000
      0x6b10003f,  // cmp w1, w16
      0x1a9f07e0,  // cset w0, ne
      0xb13ffc3f,  // cmn x1, #0xfff
      0x1a9fd7e0,  // cset w0, gt
  };
  EXPECT_EQ(got, want);
}

#if defined(__aarch64__)
// End to end on aarch64: the division checks (aarch64 division never traps by itself), the
// immediate forms, and the i32 upper-half invariant (an i32 result extended to i64 unsigned
// must come out with a zero upper half).
class A64IntRun : public ::testing::Test {
 protected:
  void Load(std::string_view wat) {
    inst_ = runtime::testing::Instantiate(linker_, store_, wat);
    ASSERT_NE(inst_, nullptr);
  }
  runtime::InvokeResult Run(std::string_view name, std::vector<runtime::Value> args) {
    runtime::Func* f = inst_->GetFunc(name);
    EXPECT_NE(f, nullptr) << name;
    if (f == nullptr) return {};
    auto r = runtime::Invoke(store_, *f, args);
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r.ok() ? std::move(*r) : runtime::InvokeResult{};
  }
  uint64_t Call(std::string_view name, std::vector<runtime::Value> args) {
    runtime::InvokeResult r = Run(name, std::move(args));
    EXPECT_FALSE(r.trap.has_value()) << name << ": trapped";
    if (r.trap.has_value() || r.results.empty()) return 0xDEADBEEFDEADBEEFull;
    const runtime::Value& v = r.results[0];
    return v.type == wasm::ValType::I32() ? v.i32() : v.i64();
  }
  void ExpectTrap(std::string_view name, std::vector<runtime::Value> args, runtime::TrapCode c) {
    runtime::InvokeResult r = Run(name, std::move(args));
    ASSERT_TRUE(r.trap.has_value()) << name << ": no trap";
    EXPECT_EQ(r.trap->code, c) << name;
  }

  runtime::Store store_;
  runtime::Linker linker_;
  runtime::Instance* inst_ = nullptr;
};

using runtime::TrapCode;
using runtime::Value;

TEST_F(A64IntRun, Division) {
  Load(R"((module
    (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
    (func (export "div_u") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
    (func (export "rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
    (func (export "rem_u") (param i32 i32) (result i32) (i32.rem_u (local.get 0) (local.get 1)))
    (func (export "div_s64") (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1)))
    (func (export "div_u64") (param i64 i64) (result i64) (i64.div_u (local.get 0) (local.get 1)))
    (func (export "rem_s64") (param i64 i64) (result i64) (i64.rem_s (local.get 0) (local.get 1)))
    (func (export "rem_u64") (param i64 i64) (result i64) (i64.rem_u (local.get 0) (local.get 1)))
    (func (export "div_self") (param i32) (result i32) (i32.div_s (local.get 0) (local.get 0)))
    (func (export "rem_self") (param i64) (result i64) (i64.rem_u (local.get 0) (local.get 0)))
    (func (export "div_m1") (param i32) (result i32) (i32.div_s (local.get 0) (i32.const -1)))
    (func (export "rem_m1") (param i64) (result i64) (i64.rem_s (local.get 0) (i64.const -1)))
    (func (export "ext_rem") (param i32 i32) (result i64)
      (i64.extend_i32_u (i32.rem_s (local.get 0) (local.get 1))))
  ))");
  const uint32_t kMin32 = 0x80000000u, kM1 = 0xFFFFFFFFu;
  const uint64_t kMin64 = 1ull << 63, kM164 = ~0ull;
  ExpectTrap("div_s", {Value::I32(1), Value::I32(0)}, TrapCode::kIntegerDivideByZero);
  ExpectTrap("div_s", {Value::I32(kMin32), Value::I32(kM1)}, TrapCode::kIntegerOverflow);
  ExpectTrap("div_u", {Value::I32(1), Value::I32(0)}, TrapCode::kIntegerDivideByZero);
  ExpectTrap("rem_s", {Value::I32(kMin32), Value::I32(0)}, TrapCode::kIntegerDivideByZero);
  ExpectTrap("rem_u", {Value::I32(0), Value::I32(0)}, TrapCode::kIntegerDivideByZero);
  ExpectTrap("div_s64", {Value::I64(kMin64), Value::I64(kM164)}, TrapCode::kIntegerOverflow);
  ExpectTrap("div_s64", {Value::I64(5), Value::I64(0)}, TrapCode::kIntegerDivideByZero);
  ExpectTrap("div_u64", {Value::I64(5), Value::I64(0)}, TrapCode::kIntegerDivideByZero);
  ExpectTrap("rem_s64", {Value::I64(5), Value::I64(0)}, TrapCode::kIntegerDivideByZero);
  ExpectTrap("rem_u64", {Value::I64(5), Value::I64(0)}, TrapCode::kIntegerDivideByZero);
  ExpectTrap("div_self", {Value::I32(0)}, TrapCode::kIntegerDivideByZero);
  ExpectTrap("div_m1", {Value::I32(kMin32)}, TrapCode::kIntegerOverflow);
  // Not overflows: INT_MIN with a divisor other than -1, -1 with a dividend other than INT_MIN.
  EXPECT_EQ(Call("div_s", {Value::I32(kMin32), Value::I32(1)}), kMin32);
  EXPECT_EQ(Call("div_s", {Value::I32(kMin32), Value::I32(2)}), 0xC0000000u);
  EXPECT_EQ(Call("div_s", {Value::I32(kMin32 + 1), Value::I32(kM1)}), 0x7FFFFFFFu);
  EXPECT_EQ(Call("div_s", {Value::I32(static_cast<uint32_t>(-7)), Value::I32(2)}), 0xFFFFFFFDu);
  EXPECT_EQ(Call("div_u", {Value::I32(kMin32), Value::I32(kM1)}), 0u);
  EXPECT_EQ(Call("div_u", {Value::I32(kM1), Value::I32(2)}), 0x7FFFFFFFu);
  EXPECT_EQ(Call("rem_s", {Value::I32(kMin32), Value::I32(kM1)}), 0u);
  EXPECT_EQ(Call("rem_s", {Value::I32(static_cast<uint32_t>(-7)), Value::I32(2)}), kM1);
  EXPECT_EQ(Call("rem_s", {Value::I32(7), Value::I32(static_cast<uint32_t>(-2))}), 1u);
  EXPECT_EQ(Call("rem_u", {Value::I32(kM1), Value::I32(10)}), 5u);
  EXPECT_EQ(Call("div_s64", {Value::I64(kMin64), Value::I64(2)}), 0xC000000000000000ull);
  EXPECT_EQ(Call("div_s64", {Value::I64(kMin64 + 1), Value::I64(kM164)}), 0x7FFFFFFFFFFFFFFFull);
  EXPECT_EQ(Call("div_u64", {Value::I64(kM164), Value::I64(3)}), 0x5555555555555555ull);
  EXPECT_EQ(Call("rem_s64", {Value::I64(kMin64), Value::I64(kM164)}), 0u);
  EXPECT_EQ(Call("rem_s64", {Value::I64(static_cast<uint64_t>(-13)), Value::I64(5)}),
            static_cast<uint64_t>(-3));
  EXPECT_EQ(Call("rem_u64", {Value::I64(kM164), Value::I64(10)}), 5u);
  EXPECT_EQ(Call("div_self", {Value::I32(kMin32)}), 1u);
  EXPECT_EQ(Call("rem_self", {Value::I64(kM164)}), 0u);
  EXPECT_EQ(Call("div_m1", {Value::I32(5)}), static_cast<uint32_t>(-5));
  EXPECT_EQ(Call("rem_m1", {Value::I64(kMin64)}), 0u);
  EXPECT_EQ(Call("rem_m1", {Value::I64(12345)}), 0u);
  EXPECT_EQ(Call("ext_rem", {Value::I32(static_cast<uint32_t>(-7)), Value::I32(2)}), kM1);
}

TEST_F(A64IntRun, ImmediatesAndUpperHalf) {
  Load(R"((module
    (func (export "add_min") (param i32) (result i64)
      (i64.extend_i32_u (i32.add (local.get 0) (i32.const 0x80000000))))
    (func (export "sub_big") (param i64) (result i64) (i64.sub (local.get 0) (i64.const -0x12345)))
    (func (export "add_neg") (param i32) (result i64)
      (i64.extend_i32_u (i32.add (local.get 0) (i32.const -1))))
    (func (export "mul10") (param i64) (result i64) (i64.mul (local.get 0) (i64.const -10)))
    (func (export "mul_pow2") (param i32) (result i64)
      (i64.extend_i32_u (i32.mul (local.get 0) (i32.const 0x10000))))
    (func (export "and_odd") (param i32) (result i32) (i32.and (local.get 0) (i32.const 0x1234)))
    (func (export "and_m1_64") (param i64) (result i64) (i64.and (local.get 0) (i64.const -256)))
    (func (export "or_x") (param i64) (result i64) (i64.or (local.get 0) (i64.const 0x5555)))
    (func (export "xor_m1") (param i32) (result i64)
      (i64.extend_i32_u (i32.xor (local.get 0) (i32.const -1))))
    (func (export "shl33") (param i32) (result i64)
      (i64.extend_i32_u (i32.shl (local.get 0) (i32.const 33))))
    (func (export "rotl4") (param i32) (result i32) (i32.rotl (local.get 0) (i32.const 4)))
    (func (export "rotl64") (param i64 i64) (result i64) (i64.rotl (local.get 0) (local.get 1)))
    (func (export "rotl32") (param i32 i32) (result i64)
      (i64.extend_i32_u (i32.rotl (local.get 0) (local.get 1))))
    (func (export "shr_s64") (param i64) (result i64) (i64.shr_s (local.get 0) (i64.const 68)))
    (func (export "lt_u_m1") (param i32) (result i32) (i32.lt_u (local.get 0) (i32.const -1)))
    (func (export "gt_s_neg") (param i64) (result i32) (i64.gt_s (local.get 0) (i64.const -4095)))
    (func (export "eq_min") (param i32) (result i32) (i32.eq (local.get 0) (i32.const 0x80000000)))
    (func (export "ge_u_big") (param i64) (result i32) (i64.ge_u (local.get 0) (i64.const 0x7FFFF)))
    (func (export "popcnt64") (param i64) (result i64) (i64.popcnt (local.get 0)))
    (func (export "popcnt32") (param i64) (result i32) (i32.popcnt (i32.wrap_i64 (local.get 0))))
    (func (export "ctz64") (param i64) (result i64) (i64.ctz (local.get 0)))
    (func (export "ext16") (param i32) (result i64) (i64.extend16_s (i64.extend_i32_u (local.get 0))))
    (func (export "wrap") (param i64) (result i64) (i64.extend_i32_u (i32.wrap_i64 (local.get 0))))
  ))");
  EXPECT_EQ(Call("add_min", {Value::I32(0x80000001u)}), 1u);
  EXPECT_EQ(Call("sub_big", {Value::I64(1)}), 0x12346u);
  EXPECT_EQ(Call("add_neg", {Value::I32(0)}), 0xFFFFFFFFu);
  EXPECT_EQ(Call("mul10", {Value::I64(3)}), static_cast<uint64_t>(-30));
  EXPECT_EQ(Call("mul_pow2", {Value::I32(0x12345)}), 0x23450000u);
  EXPECT_EQ(Call("and_odd", {Value::I32(0xFFFF)}), 0x1234u);
  EXPECT_EQ(Call("and_m1_64", {Value::I64(~0ull)}), ~0xFFull);
  EXPECT_EQ(Call("or_x", {Value::I64(0xAAAA00000000ull)}), 0xAAAA00005555ull);
  EXPECT_EQ(Call("xor_m1", {Value::I32(0x0F)}), 0xFFFFFFF0u);
  EXPECT_EQ(Call("shl33", {Value::I32(0xC0000001u)}), 0x80000002u);
  EXPECT_EQ(Call("rotl4", {Value::I32(0xF000000Au)}), 0x000000AFu);
  EXPECT_EQ(Call("rotl64", {Value::I64(0x8000000000000001ull), Value::I64(65)}), 3u);
  EXPECT_EQ(Call("rotl32", {Value::I32(0x80000001u), Value::I32(0xFFFFFFFFu)}), 0xC0000000u);
  EXPECT_EQ(Call("shr_s64", {Value::I64(0x8000000000000000ull)}), 0xF800000000000000ull);
  EXPECT_EQ(Call("lt_u_m1", {Value::I32(0xFFFFFFFEu)}), 1u);
  EXPECT_EQ(Call("lt_u_m1", {Value::I32(0xFFFFFFFFu)}), 0u);
  EXPECT_EQ(Call("gt_s_neg", {Value::I64(static_cast<uint64_t>(-4095))}), 0u);
  EXPECT_EQ(Call("gt_s_neg", {Value::I64(static_cast<uint64_t>(-4094))}), 1u);
  EXPECT_EQ(Call("eq_min", {Value::I32(0x80000000u)}), 1u);
  EXPECT_EQ(Call("eq_min", {Value::I32(0)}), 0u);
  EXPECT_EQ(Call("ge_u_big", {Value::I64(0x7FFFF)}), 1u);
  EXPECT_EQ(Call("ge_u_big", {Value::I64(0x7FFFE)}), 0u);
  EXPECT_EQ(Call("popcnt64", {Value::I64(~0ull)}), 64u);
  EXPECT_EQ(Call("popcnt32", {Value::I64(0xFFFFFFFF00000003ull)}), 2u);
  EXPECT_EQ(Call("ctz64", {Value::I64(0)}), 64u);
  EXPECT_EQ(Call("ctz64", {Value::I64(1ull << 40)}), 40u);
  EXPECT_EQ(Call("ext16", {Value::I32(0x18000u)}), 0xFFFFFFFFFFFF8000ull);
  EXPECT_EQ(Call("wrap", {Value::I64(0x123456789ull)}), 0x23456789u);
}

// Every binary operation and comparison with a constant right operand (the immediate forms, and
// the in-place form on a local) against a reference, over constants around each encoding's
// edges: add/sub imm12 (shifted), logical immediates, cmn, materialized values.
uint64_t Reference(std::string_view op, uint64_t a, uint64_t b, unsigned width) {
  const uint64_t m = width == 64 ? ~0ull : 0xFFFFFFFFull;
  a &= m;
  b &= m;
  auto sgn = [&](uint64_t v) {
    return width == 64 ? static_cast<int64_t>(v) : static_cast<int64_t>(static_cast<int32_t>(v));
  };
  unsigned k = static_cast<unsigned>(b & (width - 1));
  if (op == "add") return (a + b) & m;
  if (op == "sub") return (a - b) & m;
  if (op == "mul") return (a * b) & m;
  if (op == "and") return a & b;
  if (op == "or") return a | b;
  if (op == "xor") return a ^ b;
  if (op == "shl") return (a << k) & m;
  if (op == "shr_u") return a >> k;
  if (op == "shr_s") return static_cast<uint64_t>(sgn(a) >> k) & m;
  if (op == "rotl") return k ? ((a << k) | (a >> (width - k))) & m : a;
  if (op == "rotr") return k ? ((a >> k) | (a << (width - k))) & m : a;
  if (op == "eq") return a == b;
  if (op == "ne") return a != b;
  if (op == "lt_u") return a < b;
  if (op == "gt_u") return a > b;
  if (op == "le_u") return a <= b;
  if (op == "ge_u") return a >= b;
  if (op == "lt_s") return sgn(a) < sgn(b);
  if (op == "gt_s") return sgn(a) > sgn(b);
  if (op == "le_s") return sgn(a) <= sgn(b);
  return sgn(a) >= sgn(b);  // ge_s
}

TEST_F(A64IntRun, ConstantOperandsMatchReference) {
  const std::vector<std::string_view> ops = {
      "add", "sub", "mul",  "and",  "or",   "xor",  "shl",  "shr_s", "shr_u", "rotl", "rotr",
      "eq",  "ne",  "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u",  "ge_s",  "ge_u"};
  const size_t kFirstCompare = 11;  // "eq"
  const std::vector<int64_t> consts = {0,    1,      -1,      -2,         4095,       4096,
                                       4097, -4095,  -4096,   -4097,      0xFFF000,   0x1000000,
                                       0xFF, 0x1234, 0x12345, 0x5555,     INT32_MAX,  INT32_MIN,
                                       31,   33,     63,      -0x1000000, 0x7FFFF000, 0x10000};
  const std::vector<uint64_t> inputs = {0,
                                        1,
                                        0xFFFFFFFFull,
                                        0x80000000ull,
                                        0x7FFFFFFFull,
                                        0xFFF,
                                        0x1000,
                                        0x8000000000000000ull,
                                        ~0ull,
                                        0x123456789ABCDEF0ull,
                                        0xFFFFF000ull};
  for (unsigned width : {32u, 64u}) {
    const char* t = width == 32 ? "i32" : "i64";
    std::ostringstream wat;
    wat << "(module\n";
    int n = 0;
    struct Case {
      std::string name;
      std::string_view op;
      uint64_t c;
    };
    std::vector<Case> cases;
    for (size_t i = 0; i < ops.size(); ++i) {
      std::string_view op = ops[i];
      bool cmp = i >= kFirstCompare;
      for (int64_t c : consts) {
        std::string name = std::to_string(n++);
        name.insert(0, 1, 'f');
        wat << "(func (export \"" << name << "\") (param " << t << ") (result " << (cmp ? "i32" : t)
            << ") (" << t << "." << op << " (local.get 0) (" << t << ".const " << c << ")))\n";
        cases.push_back({name, op, static_cast<uint64_t>(c)});
        if (!cmp) {  // in place on the local
          name = std::to_string(n++);
          name.insert(0, 1, 'f');
          wat << "(func (export \"" << name << "\") (param " << t << ") (result " << t
              << ") (local.set 0 (" << t << "." << op << " (local.get 0) (" << t << ".const " << c
              << "))) (local.get 0))\n";
          cases.push_back({name, op, static_cast<uint64_t>(c)});
        }
      }
    }
    wat << ")";
    Load(wat.str());
    if (inst_ == nullptr) return;
    for (const Case& c : cases) {
      for (uint64_t x : inputs) {
        Value arg = width == 32 ? Value::I32(static_cast<uint32_t>(x)) : Value::I64(x);
        uint64_t want = Reference(c.op, x, c.c, width);
        EXPECT_EQ(Call(c.name, {arg}), want)
            << t << "." << c.op << " " << std::hex << x << ", " << static_cast<int64_t>(c.c);
      }
    }
  }
}

// The division checks branch to trap stubs placed after the function: in a function of more
// than 1 MiB of code they are out of cbz's / b.cond's reach and go through veneers.
TEST_F(A64IntRun, DivisionTrapsFromAFunctionBeyondOneMiB) {
  std::string wat =
      "(module (func (export \"f\") (param i32 i32) (result i32) (local i64)"
      " (local.set 0 (i32.div_s (local.get 0) (local.get 1)))";
  // Each: the 64-bit constant (movz + 3 movk) and an eor: 20 bytes, 1.3 MiB in all.
  for (int i = 0; i < 70000; ++i)
    wat += " (local.set 2 (i64.xor (local.get 2) (i64.const 0x123456789abcdef)))";
  wat += " (local.get 0)))";
  Load(wat);
  if (inst_ == nullptr) return;
  ExpectTrap("f", {Value::I32(1), Value::I32(0)}, TrapCode::kIntegerDivideByZero);
  ExpectTrap("f", {Value::I32(0x80000000u), Value::I32(0xFFFFFFFFu)}, TrapCode::kIntegerOverflow);
  EXPECT_EQ(Call("f", {Value::I32(7), Value::I32(2)}), 3u);
}
#endif  // __aarch64__

}  // namespace
}  // namespace wt::jit::a64
