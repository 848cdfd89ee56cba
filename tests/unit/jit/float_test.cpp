// The baseline JIT: float arithmetic with Wasm semantics (min/max NaN and zero signs, nearest,
// copysign), comparisons, conversions (unsigned, saturating), reinterpretations.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "jit_test_util.h"

namespace wt::jit::testing {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr float kNaNf = std::numeric_limits<float>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(JitFloat, Arithmetic) {
  WT_JIT(m, R"((module
    (func (export "add") (param f64 f64) (result f64) (f64.add (local.get 0) (local.get 1)))
    (func (export "sub") (param f64 f64) (result f64) (f64.sub (local.get 0) (local.get 1)))
    (func (export "div") (param f32 f32) (result f32) (f32.div (local.get 0) (local.get 1)))
    (func (export "subc") (param f64) (result f64) (f64.sub (f64.const 10) (local.get 0)))
    (func (export "min") (param f64 f64) (result f64) (f64.min (local.get 0) (local.get 1)))
    (func (export "max") (param f64 f64) (result f64) (f64.max (local.get 0) (local.get 1)))
    (func (export "minf") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
    (func (export "maxf") (param f32 f32) (result f32) (f32.max (local.get 0) (local.get 1)))
    (func (export "copysign") (param f64 f64) (result f64) (f64.copysign (local.get 0) (local.get 1)))
    (func (export "copysignf") (param f32 f32) (result f32) (f32.copysign (local.get 0) (local.get 1)))
    (func (export "neg") (param f64) (result f64) (f64.neg (local.get 0)))
    (func (export "absf") (param f32) (result f32) (f32.abs (local.get 0)))
    (func (export "sqrt") (param f64) (result f64) (f64.sqrt (local.get 0)))
    (func (export "nearest") (param f64) (result f64) (f64.nearest (local.get 0)))
    (func (export "floorf") (param f32) (result f32) (f32.floor (local.get 0)))
    (func (export "ceil") (param f64) (result f64) (f64.ceil (local.get 0)))
    (func (export "trunc") (param f64) (result f64) (f64.trunc (local.get 0)))
    (func (export "lt") (param f64 f64) (result i32) (f64.lt (local.get 0) (local.get 1)))
    (func (export "ge") (param f64 f64) (result i32) (f64.ge (local.get 0) (local.get 1)))
    (func (export "eq") (param f32 f32) (result i32) (f32.eq (local.get 0) (local.get 1)))
    (func (export "ne") (param f32 f32) (result i32) (f32.ne (local.get 0) (local.get 1)))
    (func (export "consts") (result f64) (f64.add (f64.const 0) (f64.mul (f64.const 1.5) (f64.const -2))))
  ))");
  EXPECT_EQ(m.Call("add", {F64(1.25), F64(2)}).at(0).f64, 3.25);
  EXPECT_EQ(m.Call("sub", {F64(1), F64(3)}).at(0).f64, -2.0);
  EXPECT_EQ(m.Call("div", {F32(1), F32(4)}).at(0).f32, 0.25f);
  EXPECT_EQ(m.Call("subc", {F64(4)}).at(0).f64, 6.0);
  EXPECT_EQ(m.Call("min", {F64(1), F64(-3)}).at(0).f64, -3.0);
  EXPECT_EQ(m.Call("max", {F64(1), F64(-3)}).at(0).f64, 1.0);
  EXPECT_TRUE(std::signbit(m.Call("min", {F64(0.0), F64(-0.0)}).at(0).f64));
  EXPECT_TRUE(std::signbit(m.Call("min", {F64(-0.0), F64(0.0)}).at(0).f64));
  EXPECT_FALSE(std::signbit(m.Call("max", {F64(-0.0), F64(0.0)}).at(0).f64));
  EXPECT_FALSE(std::signbit(m.Call("max", {F64(0.0), F64(-0.0)}).at(0).f64));
  EXPECT_TRUE(std::isnan(m.Call("min", {F64(kNaN), F64(1)}).at(0).f64));
  EXPECT_TRUE(std::isnan(m.Call("min", {F64(1), F64(kNaN)}).at(0).f64));
  EXPECT_TRUE(std::isnan(m.Call("max", {F64(kNaN), F64(1)}).at(0).f64));
  EXPECT_TRUE(std::isnan(m.Call("maxf", {F32(1), F32(kNaNf)}).at(0).f32));
  EXPECT_TRUE(std::signbit(m.Call("minf", {F32(0.0f), F32(-0.0f)}).at(0).f32));
  EXPECT_EQ(m.Call("maxf", {F32(-1), F32(2)}).at(0).f32, 2.0f);
  EXPECT_EQ(m.Call("copysign", {F64(3), F64(-0.0)}).at(0).f64, -3.0);
  EXPECT_EQ(m.Call("copysign", {F64(-3), F64(1)}).at(0).f64, 3.0);
  EXPECT_EQ(m.Call("copysignf", {F32(2), F32(-5)}).at(0).f32, -2.0f);
  EXPECT_EQ(m.Call("neg", {F64(2)}).at(0).f64, -2.0);
  EXPECT_TRUE(std::signbit(m.Call("neg", {F64(0)}).at(0).f64));
  EXPECT_EQ(m.Call("absf", {F32(-2.5f)}).at(0).f32, 2.5f);
  EXPECT_EQ(m.Call("sqrt", {F64(16)}).at(0).f64, 4.0);
  EXPECT_EQ(m.Call("nearest", {F64(2.5)}).at(0).f64, 2.0);
  EXPECT_EQ(m.Call("nearest", {F64(3.5)}).at(0).f64, 4.0);
  EXPECT_TRUE(std::signbit(m.Call("nearest", {F64(-0.4)}).at(0).f64));
  EXPECT_EQ(m.Call("floorf", {F32(-1.5f)}).at(0).f32, -2.0f);
  EXPECT_EQ(m.Call("ceil", {F64(1.1)}).at(0).f64, 2.0);
  EXPECT_EQ(m.Call("trunc", {F64(-1.9)}).at(0).f64, -1.0);
  EXPECT_EQ(m.CallI32("lt", {F64(1), F64(2)}), 1u);
  EXPECT_EQ(m.CallI32("lt", {F64(kNaN), F64(2)}), 0u);
  EXPECT_EQ(m.CallI32("ge", {F64(2), F64(2)}), 1u);
  EXPECT_EQ(m.CallI32("ge", {F64(2), F64(kNaN)}), 0u);
  EXPECT_EQ(m.CallI32("eq", {F32(kNaNf), F32(kNaNf)}), 0u);
  EXPECT_EQ(m.CallI32("ne", {F32(kNaNf), F32(kNaNf)}), 1u);
  EXPECT_EQ(m.CallI32("eq", {F32(0.0f), F32(-0.0f)}), 1u);
  EXPECT_EQ(m.Call("consts").at(0).f64, -3.0);
}

TEST(JitFloat, Conversions) {
  WT_JIT(m, R"((module
    (func (export "f64_u64") (param i64) (result f64) (f64.convert_i64_u (local.get 0)))
    (func (export "f32_u64") (param i64) (result f32) (f32.convert_i64_u (local.get 0)))
    (func (export "f64_u32") (param i32) (result f64) (f64.convert_i32_u (local.get 0)))
    (func (export "f32_s32") (param i32) (result f32) (f32.convert_i32_s (local.get 0)))
    (func (export "i32_f64_s") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
    (func (export "i32_f64_u") (param f64) (result i32) (i32.trunc_f64_u (local.get 0)))
    (func (export "i64_f64_u") (param f64) (result i64) (i64.trunc_f64_u (local.get 0)))
    (func (export "i64_f32_s") (param f32) (result i64) (i64.trunc_f32_s (local.get 0)))
    (func (export "sat_i32_f32_s") (param f32) (result i32) (i32.trunc_sat_f32_s (local.get 0)))
    (func (export "sat_i32_f64_u") (param f64) (result i32) (i32.trunc_sat_f64_u (local.get 0)))
    (func (export "sat_i64_f64_s") (param f64) (result i64) (i64.trunc_sat_f64_s (local.get 0)))
    (func (export "sat_i64_f64_u") (param f64) (result i64) (i64.trunc_sat_f64_u (local.get 0)))
    (func (export "demote") (param f64) (result f32) (f32.demote_f64 (local.get 0)))
    (func (export "promote") (param f32) (result f64) (f64.promote_f32 (local.get 0)))
    (func (export "bits") (param f32) (result i32) (i32.reinterpret_f32 (local.get 0)))
    (func (export "frombits") (param i64) (result f64) (f64.reinterpret_i64 (local.get 0)))
  ))");
  EXPECT_EQ(m.Call("f64_u64", {I64(~0ull)}).at(0).f64, 18446744073709551616.0);
  EXPECT_EQ(m.Call("f64_u64", {I64(1ull << 63)}).at(0).f64, 9223372036854775808.0);
  EXPECT_EQ(m.Call("f64_u64", {I64(12345)}).at(0).f64, 12345.0);
  // Round to nearest even through the sticky bit: 2^63 + 2^39 + 1 -> 2^63 + 2^40 in f32.
  EXPECT_EQ(m.Call("f32_u64", {I64((1ull << 63) + (1ull << 39) + 1)}).at(0).f32,
            static_cast<float>((1ull << 63) + (1ull << 39) + 1));
  EXPECT_EQ(m.Call("f64_u32", {I32(0xFFFFFFFF)}).at(0).f64, 4294967295.0);
  EXPECT_EQ(m.Call("f32_s32", {I32(static_cast<uint32_t>(-3))}).at(0).f32, -3.0f);
  EXPECT_EQ(m.CallI32("i32_f64_s", {F64(-2147483648.9)}), 0x80000000u);
  EXPECT_EQ(m.CallI32("i32_f64_s", {F64(-7.9)}), static_cast<uint32_t>(-7));
  EXPECT_EQ(m.CallI32("i32_f64_u", {F64(4294967295.9)}), 0xFFFFFFFFu);
  EXPECT_EQ(m.CallI32("i32_f64_u", {F64(-0.9)}), 0u);
  EXPECT_EQ(m.CallI64("i64_f64_u", {F64(18446744073709549568.0)}), 18446744073709549568ull);
  EXPECT_EQ(m.CallI64("i64_f64_u", {F64(9223372036854775808.0)}), 1ull << 63);
  EXPECT_EQ(m.CallI64("i64_f64_u", {F64(3.7)}), 3u);
  EXPECT_EQ(m.CallI64("i64_f32_s", {F32(-9223372036854775808.0f)}), 1ull << 63);
  EXPECT_EQ(m.CallI32("sat_i32_f32_s", {F32(1e20f)}), 0x7FFFFFFFu);
  EXPECT_EQ(m.CallI32("sat_i32_f32_s", {F32(-1e20f)}), 0x80000000u);
  EXPECT_EQ(m.CallI32("sat_i32_f32_s", {F32(kNaNf)}), 0u);
  EXPECT_EQ(m.CallI32("sat_i32_f32_s", {F32(-5.5f)}), static_cast<uint32_t>(-5));
  EXPECT_EQ(m.CallI32("sat_i32_f64_u", {F64(1e20)}), 0xFFFFFFFFu);
  EXPECT_EQ(m.CallI32("sat_i32_f64_u", {F64(-1e20)}), 0u);
  EXPECT_EQ(m.CallI32("sat_i32_f64_u", {F64(kNaN)}), 0u);
  EXPECT_EQ(m.CallI32("sat_i32_f64_u", {F64(3e9)}), 3000000000u);
  EXPECT_EQ(m.CallI64("sat_i64_f64_s", {F64(kInf)}), 0x7FFFFFFFFFFFFFFFull);
  EXPECT_EQ(m.CallI64("sat_i64_f64_s", {F64(-kInf)}), 0x8000000000000000ull);
  EXPECT_EQ(m.CallI64("sat_i64_f64_u", {F64(1e30)}), ~0ull);
  EXPECT_EQ(m.CallI64("sat_i64_f64_u", {F64(-1)}), 0u);
  EXPECT_EQ(m.CallI64("sat_i64_f64_u", {F64(kNaN)}), 0u);
  EXPECT_EQ(m.CallI64("sat_i64_f64_u", {F64(1e19)}), 10000000000000000000ull);
  EXPECT_EQ(m.Call("demote", {F64(0.5)}).at(0).f32, 0.5f);
  EXPECT_EQ(m.Call("promote", {F32(0.25f)}).at(0).f64, 0.25);
  EXPECT_EQ(m.CallI32("bits", {F32(1.0f)}), 0x3F800000u);
  EXPECT_EQ(m.Call("frombits", {I64(BitsOf(2.0))}).at(0).f64, 2.0);
}

TEST(JitFloat, Select) {
  WT_JIT(m, R"((module
    (func (export "seli") (param i32 i32 i32) (result i32) (select (local.get 0) (local.get 1) (local.get 2)))
    (func (export "self") (param f64 f64 i32) (result f64) (select (local.get 0) (local.get 1) (local.get 2)))
    (func (export "selt") (param i64 i32) (result i64) (select (result i64) (i64.const 5) (local.get 0) (local.get 1)))
  ))");
  EXPECT_EQ(m.CallI32("seli", {I32(1), I32(2), I32(1)}), 1u);
  EXPECT_EQ(m.CallI32("seli", {I32(1), I32(2), I32(0)}), 2u);
  EXPECT_EQ(m.Call("self", {F64(1), F64(2), I32(7)}).at(0).f64, 1.0);
  EXPECT_EQ(m.Call("self", {F64(1), F64(2), I32(0)}).at(0).f64, 2.0);
  EXPECT_EQ(m.CallI64("selt", {I64(9), I32(0)}), 9u);
  EXPECT_EQ(m.CallI64("selt", {I64(9), I32(1)}), 5u);
}

}  // namespace
}  // namespace wt::jit::testing
