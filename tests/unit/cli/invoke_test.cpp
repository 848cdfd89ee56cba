#include "cli/invoke.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace wt::cli {
namespace {

using wasm::ValType;

std::optional<uint64_t> Bits(std::string_view text, ValType type) {
  auto v = ParseInvokeArg(text, type);
  if (!v.ok()) return std::nullopt;
  EXPECT_EQ(v->type, type);
  return type.kind == wasm::ValKind::kI32 || type.kind == wasm::ValKind::kF32 ? v->bits.i32
                                                                              : v->bits.i64;
}

TEST(InvokeArgs, Integers) {
  EXPECT_EQ(Bits("42", ValType::I32()), 42u);
  EXPECT_EQ(Bits("-1", ValType::I32()), 0xffffffffu);
  EXPECT_EQ(Bits("+7", ValType::I32()), 7u);
  EXPECT_EQ(Bits("0x10", ValType::I32()), 16u);
  EXPECT_EQ(Bits("0XfF", ValType::I32()), 255u);
  EXPECT_EQ(Bits("-0x10", ValType::I32()), 0xfffffff0u);
  EXPECT_EQ(Bits("-2147483648", ValType::I32()), 0x80000000u);
  EXPECT_EQ(Bits("4294967295", ValType::I32()), 0xffffffffu);
  EXPECT_EQ(Bits("0xffffffff", ValType::I32()), 0xffffffffu);
  EXPECT_EQ(Bits("-9223372036854775808", ValType::I64()), 0x8000000000000000ull);
  EXPECT_EQ(Bits("18446744073709551615", ValType::I64()), ~0ull);
  EXPECT_EQ(Bits("0x123456789abcdef0", ValType::I64()), 0x123456789abcdef0ull);
  for (const char* bad : {"", "-", "0x", "4294967296", "-2147483649", "1.5", "12a", "abc", " 1",
                          "1 ", "--1", "0x-1"}) {
    EXPECT_FALSE(Bits(bad, ValType::I32()).has_value()) << bad;
  }
  EXPECT_FALSE(Bits("18446744073709551616", ValType::I64()).has_value());
  EXPECT_FALSE(Bits("-9223372036854775809", ValType::I64()).has_value());
}

TEST(InvokeArgs, Floats) {
  EXPECT_EQ(Bits("1.5", ValType::F32()), 0x3fc00000u);
  EXPECT_EQ(Bits("-0", ValType::F32()), 0x80000000u);
  EXPECT_EQ(Bits("0.1", ValType::F32()), 0x3dcccccdu);  // rounded once, as an f32
  EXPECT_EQ(Bits("inf", ValType::F32()), 0x7f800000u);
  EXPECT_EQ(Bits("-Infinity", ValType::F32()), 0xff800000u);
  EXPECT_EQ(Bits("0x1p3", ValType::F32()), 0x41000000u);
  EXPECT_EQ(Bits("1e3", ValType::F64()), 0x408f400000000000ull);
  EXPECT_EQ(Bits(".5", ValType::F64()), 0x3fe0000000000000ull);
  EXPECT_EQ(Bits("1e400", ValType::F64()), 0x7ff0000000000000ull);
  auto nan = Bits("NaN", ValType::F64());
  ASSERT_TRUE(nan.has_value());
  EXPECT_EQ(*nan & 0x7ff8000000000000ull, 0x7ff8000000000000ull);
  auto neg_nan = Bits("-nan", ValType::F32());
  ASSERT_TRUE(neg_nan.has_value());
  EXPECT_EQ(*neg_nan & 0xffc00000u, 0xffc00000u);
  for (const char* bad : {"", "x", "1.5.5", "1,5", "nan(1)", "--1", "+-1", "0x", "in"}) {
    EXPECT_FALSE(Bits(bad, ValType::F64()).has_value()) << bad;
  }
}

TEST(InvokeArgs, ReferencesAndErrors) {
  auto null = ParseInvokeArg("null", ValType::ExternRef());
  ASSERT_TRUE(null.ok());
  EXPECT_TRUE(null->is_null_ref());
  EXPECT_EQ(null->type, ValType::ExternRef());
  auto bad = ParseInvokeArg("5", ValType::FuncRef());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kUsage);
  EXPECT_NE(bad.error().message.find("null"), std::string::npos);
  auto bad_int = ParseInvokeArg("x", ValType::I64());
  ASSERT_FALSE(bad_int.ok());
  EXPECT_EQ(bad_int.error().message, "invalid i64 argument 'x'");
  auto bad_v128 = ParseInvokeArg("-1", ValType::V128());
  ASSERT_FALSE(bad_v128.ok());
  EXPECT_EQ(bad_v128.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(bad_v128.error().message, "invalid v128 argument '-1'");
}

// A v128 argument's bytes (lane 0 of i8x16 first), or nullopt.
std::optional<std::string> V128Bytes(std::string_view text) {
  auto v = ParseInvokeArg(text, ValType::V128());
  if (!v.ok()) return std::nullopt;
  EXPECT_EQ(v->type, ValType::V128());
  std::string out;
  for (uint8_t b : v->bits.v128) out += fmt::format("{:02x}", b);
  return out;
}

TEST(InvokeArgs, Vectors) {
  const std::string zeros(32, '0');
  EXPECT_EQ(V128Bytes("0"), zeros);
  EXPECT_EQ(V128Bytes("1"), "01" + zeros.substr(2));
  EXPECT_EQ(V128Bytes("256"), "0001" + zeros.substr(4));
  EXPECT_EQ(V128Bytes("18446744073709551616"), zeros.substr(16) + "01" + zeros.substr(18));
  EXPECT_EQ(V128Bytes("340282366920938463463374607431768211455"), std::string(32, 'f'));
  EXPECT_EQ(V128Bytes("0x0102"), "0201" + zeros.substr(4));
  EXPECT_EQ(V128Bytes("0XFFffffffffffffffffffffffffffffff"), std::string(32, 'f'));
  EXPECT_EQ(V128Bytes("0x000000000000000000000000000000000001"), "01" + zeros.substr(2));
  for (const char* bad :
       {"", "-1", "+1", "0x", "340282366920938463463374607431768211456",
        "0x1ffffffffffffffffffffffffffffffff", "1.5", "0xg", "12a", " 1", "i32x4 1 2 3 4"}) {
    EXPECT_FALSE(V128Bytes(bad).has_value()) << bad;
  }
  // What --invoke prints for a v128 result reads back as the same value.
  auto v = ParseInvokeArg("123456789012345678901234567890", ValType::V128());
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(FormatInvokeResult(*v), "123456789012345678901234567890");
}

TEST(InvokeResults, IntegersAreSignedDecimal) {
  EXPECT_EQ(FormatInvokeResult(runtime::Value::I32(0xffffffffu)), "-1");
  EXPECT_EQ(FormatInvokeResult(runtime::Value::I32(42)), "42");
  EXPECT_EQ(FormatInvokeResult(runtime::Value::I64(0x8000000000000000ull)), "-9223372036854775808");
}

TEST(InvokeResults, FloatsAsShortestPlainDecimal) {
  EXPECT_EQ(FormatF32(1.5f), "1.5");
  EXPECT_EQ(FormatF32(1.0f), "1");
  EXPECT_EQ(FormatF32(0.1f), "0.1");
  EXPECT_EQ(FormatF32(-2.25f), "-2.25");
  EXPECT_EQ(FormatF32(1e10f), "10000000000");
  EXPECT_EQ(FormatF32(std::numeric_limits<float>::max()),
            "340282350000000000000000000000000000000");
  EXPECT_EQ(FormatF32(1e-7f), "0.0000001");
  EXPECT_EQ(FormatF32(-0.0f), "-0");
  EXPECT_EQ(FormatF32(0.0f), "0");
  EXPECT_EQ(FormatF32(std::numeric_limits<float>::infinity()), "inf");
  EXPECT_EQ(FormatF32(-std::numeric_limits<float>::infinity()), "-inf");
  EXPECT_EQ(FormatF32(std::numeric_limits<float>::quiet_NaN()), "NaN");
  EXPECT_EQ(FormatF32(-std::numeric_limits<float>::quiet_NaN()), "NaN");
  EXPECT_EQ(FormatF64(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(FormatF64(123.456), "123.456");
  EXPECT_EQ(FormatF64(1e21), "1000000000000000000000");
  EXPECT_EQ(FormatF64(5e-324), "0." + std::string(323, '0') + "5");
  EXPECT_EQ(FormatInvokeResult(runtime::Value::F64(2.5)), "2.5");
  EXPECT_EQ(FormatInvokeResult(runtime::Value::F32Bits(0x7fc00000u)), "NaN");
}

TEST(InvokeResults, VectorsAndReferences) {
  uint8_t bytes[16] = {};
  bytes[0] = 1;
  EXPECT_EQ(FormatInvokeResult(runtime::Value::V128(bytes)), "1");
  std::memset(bytes, 0xff, 16);
  EXPECT_EQ(FormatInvokeResult(runtime::Value::V128(bytes)),
            "340282366920938463463374607431768211455");
  std::memset(bytes, 0, 16);
  bytes[8] = 1;  // 2^64
  EXPECT_EQ(FormatInvokeResult(runtime::Value::V128(bytes)), "18446744073709551616");
  EXPECT_EQ(FormatInvokeResult(runtime::Value::Null(ValType::FuncRef())), "<null funcref>");
  EXPECT_EQ(FormatInvokeResult(runtime::Value::Null(ValType::ExternRef())), "<null externref>");
  int dummy = 0;
  EXPECT_EQ(FormatInvokeResult(runtime::Value::ExternRef(&dummy)), "<externref>");
}

}  // namespace
}  // namespace wt::cli
