#include "wast/value_match.h"

#include <cstring>

#include <gtest/gtest.h>

namespace wt::wast {
namespace {

using text::ExpectedValue;
using wasm::HeapKind;
using wasm::HeapType;
using wasm::ValType;

// The expected results of `(assert_return (invoke "f") PATTERNS)`.
std::vector<ExpectedValue> Patterns(const std::string& patterns) {
  auto script = text::ParseScript("(assert_return (invoke \"f\") " + patterns + ")", "t.wast");
  EXPECT_TRUE(script.ok()) << (script.ok() ? "" : script.error().ToString());
  if (!script.ok()) return {};
  return script->commands.at(0).expected;
}

ExpectedValue Pattern(const std::string& pattern) {
  std::vector<ExpectedValue> p = Patterns(pattern);
  EXPECT_EQ(p.size(), 1u);
  return p.empty() ? ExpectedValue{} : p[0];
}

bool Matches(const std::string& pattern, const ActualValue& actual) {
  return MatchesValue(Pattern(pattern), actual);
}

ActualValue V128FromU32(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  ActualValue v;
  v.type = ValType::V128();
  const uint32_t lanes[4] = {a, b, c, d};
  std::memcpy(v.v128.data(), lanes, 16);
  return v;
}

ActualValue V128FromU64(uint64_t a, uint64_t b) {
  ActualValue v;
  v.type = ValType::V128();
  const uint64_t lanes[2] = {a, b};
  std::memcpy(v.v128.data(), lanes, 16);
  return v;
}

ActualValue Ref(ValType type, RefClass ref, uint64_t host = 0) {
  ActualValue v;
  v.type = type;
  v.ref = ref;
  v.host = host;
  return v;
}

TEST(ValueMatch, IntegersCompareByBits) {
  EXPECT_TRUE(Matches("(i32.const -1)", ActualValue::I32(0xffffffffu)));
  EXPECT_TRUE(Matches("(i32.const 0xffffffff)", ActualValue::I32(0xffffffffu)));
  EXPECT_FALSE(Matches("(i32.const 1)", ActualValue::I32(2)));
  EXPECT_TRUE(Matches("(i64.const -2)", ActualValue::I64(0xfffffffffffffffeull)));
  EXPECT_FALSE(Matches("(i64.const 1)", ActualValue::I64(1ull << 32 | 1)));
  // The type must agree too.
  EXPECT_FALSE(Matches("(i64.const 1)", ActualValue::I32(1)));
  EXPECT_FALSE(Matches("(i32.const 0)", ActualValue::F32Bits(0)));
}

TEST(ValueMatch, FloatsCompareByBits) {
  EXPECT_TRUE(Matches("(f32.const 1.5)", ActualValue::F32Bits(0x3fc00000u)));
  EXPECT_FALSE(Matches("(f32.const 0)", ActualValue::F32Bits(0x80000000u)));  // -0 != +0
  EXPECT_TRUE(Matches("(f32.const -0)", ActualValue::F32Bits(0x80000000u)));
  EXPECT_TRUE(Matches("(f32.const nan:0x200000)", ActualValue::F32Bits(0x7fa00000u)));
  EXPECT_FALSE(Matches("(f32.const nan:0x200000)", ActualValue::F32Bits(0x7fc00000u)));
  EXPECT_TRUE(Matches("(f64.const -nan)", ActualValue::F64Bits(0xfff8000000000000ull)));
  EXPECT_FALSE(Matches("(f64.const nan)", ActualValue::F64Bits(0xfff8000000000000ull)));
  EXPECT_TRUE(Matches("(f64.const 0x1p-1074)", ActualValue::F64Bits(1)));
}

TEST(ValueMatch, NanPatternsOnBits) {
  EXPECT_TRUE(IsCanonicalNan32(0x7fc00000u));
  EXPECT_TRUE(IsCanonicalNan32(0xffc00000u));
  EXPECT_FALSE(IsCanonicalNan32(0x7fc00001u));
  EXPECT_FALSE(IsCanonicalNan32(0x7fa00000u));
  EXPECT_FALSE(IsCanonicalNan32(0x7f800000u));  // infinity
  EXPECT_TRUE(IsArithmeticNan32(0x7fc00001u));
  EXPECT_TRUE(IsArithmeticNan32(0xffffffffu));
  EXPECT_FALSE(IsArithmeticNan32(0x7fa00000u));  // signalling
  EXPECT_TRUE(IsCanonicalNan64(0xfff8000000000000ull));
  EXPECT_FALSE(IsCanonicalNan64(0x7ff8000000000001ull));
  EXPECT_TRUE(IsArithmeticNan64(0x7ff8000000000001ull));
  EXPECT_FALSE(IsArithmeticNan64(0x7ff4000000000000ull));
  EXPECT_FALSE(IsArithmeticNan64(0x7ff0000000000000ull));
}

TEST(ValueMatch, NanPatterns) {
  EXPECT_TRUE(Matches("(f32.const nan:canonical)", ActualValue::F32Bits(0xffc00000u)));
  EXPECT_FALSE(Matches("(f32.const nan:canonical)", ActualValue::F32Bits(0x7fc00001u)));
  EXPECT_TRUE(Matches("(f32.const nan:arithmetic)", ActualValue::F32Bits(0x7fc00001u)));
  EXPECT_FALSE(Matches("(f32.const nan:arithmetic)", ActualValue::F32Bits(0x7f800001u)));
  EXPECT_FALSE(Matches("(f32.const nan:arithmetic)", ActualValue::F32Bits(0x3f800000u)));
  EXPECT_TRUE(Matches("(f64.const nan:canonical)", ActualValue::F64Bits(0x7ff8000000000000ull)));
  EXPECT_FALSE(Matches("(f64.const nan:canonical)", ActualValue::F64Bits(0x7ff8000000000001ull)));
  EXPECT_TRUE(Matches("(f64.const nan:arithmetic)", ActualValue::F64Bits(0xfffc000000000000ull)));
  // An f32 pattern does not accept an f64 (whose low bits happen to be a NaN).
  EXPECT_FALSE(Matches("(f32.const nan:canonical)", ActualValue::F64Bits(0x7fc00000u)));
  EXPECT_FALSE(Matches("(f64.const nan:canonical)", ActualValue::F32Bits(0x7fc00000u)));
}

TEST(ValueMatch, V128ExactBytes) {
  EXPECT_TRUE(Matches("(v128.const i32x4 1 2 3 4)", V128FromU32(1, 2, 3, 4)));
  EXPECT_FALSE(Matches("(v128.const i32x4 1 2 3 4)", V128FromU32(1, 2, 3, 5)));
  EXPECT_TRUE(Matches("(v128.const i64x2 -1 0)", V128FromU64(~0ull, 0)));
  EXPECT_TRUE(
      Matches("(v128.const i8x16 1 0 0 0 2 0 0 0 3 0 0 0 4 0 0 0)", V128FromU32(1, 2, 3, 4)));
  EXPECT_FALSE(Matches("(v128.const i32x4 0 0 0 0)", ActualValue::I32(0)));
}

TEST(ValueMatch, V128LanesWithNanPatterns) {
  const char* f32_pattern = "(v128.const f32x4 nan:canonical 1.0 nan:arithmetic -0)";
  EXPECT_TRUE(
      Matches(f32_pattern, V128FromU32(0xffc00000u, 0x3f800000u, 0x7fc00123u, 0x80000000u)));
  EXPECT_FALSE(
      Matches(f32_pattern, V128FromU32(0x7fc00001u, 0x3f800000u, 0x7fc00000u, 0x80000000u)));
  EXPECT_FALSE(
      Matches(f32_pattern, V128FromU32(0x7fc00000u, 0x3f800000u, 0x7fa00000u, 0x80000000u)));
  EXPECT_FALSE(Matches(f32_pattern, V128FromU32(0x7fc00000u, 0x3f800000u, 0x7fc00000u, 0)));
  const char* f64_pattern = "(v128.const f64x2 2 nan:arithmetic)";
  EXPECT_TRUE(Matches(f64_pattern, V128FromU64(0x4000000000000000ull, 0xfff8000000000001ull)));
  EXPECT_FALSE(Matches(f64_pattern, V128FromU64(0x4000000000000000ull, 0x7ff0000000000001ull)));
  EXPECT_FALSE(Matches(f64_pattern, V128FromU64(0x4000000000000001ull, 0x7ff8000000000000ull)));
}

TEST(ValueMatch, References) {
  const ValType funcref = ValType::FuncRef();
  const ValType externref = ValType::ExternRef();
  // ref.null of any heap type matches any null.
  EXPECT_TRUE(Matches("(ref.null func)", Ref(funcref, RefClass::kNull)));
  EXPECT_TRUE(Matches("(ref.null extern)", Ref(externref, RefClass::kNull)));
  EXPECT_TRUE(Matches("(ref.null any)", Ref(ValType::Ref(HeapType::Abstract(HeapKind::kNone), true),
                                            RefClass::kNull)));
  EXPECT_FALSE(Matches("(ref.null func)", Ref(funcref, RefClass::kFunc)));
  EXPECT_FALSE(Matches("(ref.null extern)", ActualValue::I32(0)));
  // (ref.func): any non-null function reference, incl. typed ones.
  EXPECT_TRUE(Matches("(ref.func)", Ref(funcref, RefClass::kFunc)));
  EXPECT_TRUE(Matches("(ref.func)", Ref(ValType::Ref(HeapType::Index(3), false), RefClass::kFunc)));
  EXPECT_FALSE(Matches("(ref.func)", Ref(funcref, RefClass::kNull)));
  EXPECT_FALSE(Matches("(ref.func)", Ref(externref, RefClass::kExtern, 1)));
  // (ref.extern N): the host value N exactly; (ref.extern): any non-null externref.
  EXPECT_TRUE(Matches("(ref.extern 1)", Ref(externref, RefClass::kExtern, 1)));
  EXPECT_FALSE(Matches("(ref.extern 1)", Ref(externref, RefClass::kExtern, 2)));
  EXPECT_FALSE(Matches("(ref.extern 0)", Ref(externref, RefClass::kNull)));
  EXPECT_TRUE(Matches("(ref.extern)", Ref(externref, RefClass::kExtern, 7)));
  EXPECT_TRUE(Matches("(ref.extern)", Ref(externref, RefClass::kOther)));
  EXPECT_FALSE(Matches("(ref.extern)", Ref(externref, RefClass::kNull)));
  EXPECT_FALSE(Matches("(ref.extern)", Ref(funcref, RefClass::kFunc)));
}

TEST(ValueMatch, Either) {
  const char* pattern = "(either (i32.const 1) (i32.const 2))";
  EXPECT_TRUE(Matches(pattern, ActualValue::I32(1)));
  EXPECT_TRUE(Matches(pattern, ActualValue::I32(2)));
  EXPECT_FALSE(Matches(pattern, ActualValue::I32(3)));
  const char* nan_or_zero = "(either (f32.const nan:canonical) (f32.const 0))";
  EXPECT_TRUE(Matches(nan_or_zero, ActualValue::F32Bits(0x7fc00000u)));
  EXPECT_TRUE(Matches(nan_or_zero, ActualValue::F32Bits(0)));
  EXPECT_FALSE(Matches(nan_or_zero, ActualValue::F32Bits(0x7fc00001u)));
  const char* lanes = "(either (v128.const i32x4 1 1 1 1) (v128.const f32x4 nan:arithmetic 0 0 0))";
  EXPECT_TRUE(Matches(lanes, V128FromU32(1, 1, 1, 1)));
  EXPECT_TRUE(Matches(lanes, V128FromU32(0x7fc0beefu, 0, 0, 0)));
  EXPECT_FALSE(Matches(lanes, V128FromU32(0x7fc0beefu, 1, 0, 0)));
}

TEST(ValueMatch, MatchResultsChecksCountAndEachValue) {
  std::vector<ExpectedValue> expected = Patterns("(i32.const 1) (f64.const nan:canonical)");
  ASSERT_EQ(expected.size(), 2u);
  std::vector<ActualValue> good = {ActualValue::I32(1),
                                   ActualValue::F64Bits(0x7ff8000000000000ull)};
  EXPECT_FALSE(MatchResults(expected, good).has_value());
  std::vector<ActualValue> bad = {ActualValue::I32(1), ActualValue::F64Bits(0)};
  auto why = MatchResults(expected, bad);
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("result 1"), std::string::npos);
  std::vector<ActualValue> short_list = {ActualValue::I32(1)};
  why = MatchResults(expected, short_list);
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("expected 2 result(s), got 1"), std::string::npos);
  EXPECT_FALSE(MatchResults({}, {}).has_value());
}

TEST(ValueMatch, Formatting) {
  EXPECT_EQ(FormatActual(ActualValue::I32(42)), "i32:42");
  EXPECT_NE(FormatActual(ActualValue::F32Bits(0x7fc00000u)).find("0x7fc00000"), std::string::npos);
  EXPECT_EQ(FormatActual(Ref(ValType::ExternRef(), RefClass::kExtern, 3)), "ref.extern 3");
  EXPECT_NE(FormatActual(Ref(ValType::FuncRef(), RefClass::kNull)).find("ref.null"),
            std::string::npos);
  std::vector<ActualValue> none;
  EXPECT_EQ(FormatActuals(none), "(no results)");
  std::vector<ActualValue> two = {ActualValue::I32(1), ActualValue::I64(2)};
  EXPECT_EQ(FormatActuals(two), "i32:1, i64:2");
}

TEST(TrapMessage, PrefixEitherWay) {
  EXPECT_TRUE(TrapMessageMatches("unreachable", "unreachable"));
  EXPECT_TRUE(TrapMessageMatches("uninitialized element 2", "uninitialized element"));
  EXPECT_TRUE(TrapMessageMatches("null function reference", "null"));
  EXPECT_TRUE(TrapMessageMatches("integer overflow", "integer overflow"));
  EXPECT_FALSE(TrapMessageMatches("integer overflow", "integer divide by zero"));
  EXPECT_FALSE(TrapMessageMatches("undefined element", "uninitialized element"));
  EXPECT_FALSE(TrapMessageMatches("out of bounds memory access", "out of bounds table access"));
  EXPECT_FALSE(TrapMessageMatches("unreachable", ""));
}

}  // namespace
}  // namespace wt::wast
