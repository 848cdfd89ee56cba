#include "text/wast_script.h"

#include <gtest/gtest.h>

#include <string>

namespace wt::text {
namespace {

Script Parse(std::string src) {
  auto r = ParseScript(std::move(src), "t.wast");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().ToString());
  if (!r.ok()) return Script{};
  return std::move(r).value();
}

std::string ErrorOf(std::string src) {
  auto r = ParseScript(std::move(src), "t.wast");
  EXPECT_FALSE(r.ok());
  return r.ok() ? "" : r.error().ToString();
}

TEST(WastScriptTest, TextModuleKeepsFieldTokens) {
  Script s = Parse("(module $m (func (export \"f\") (result i32) (i32.const 1)))\n(module)");
  ASSERT_EQ(s.commands.size(), 2u);
  const Command& c = s.commands[0];
  EXPECT_EQ(c.kind, CommandKind::kModule);
  EXPECT_EQ(c.line, 1u);
  ASSERT_TRUE(c.module.has_value());
  EXPECT_EQ(c.module->form, ModuleForm::kText);
  EXPECT_EQ(c.module->id, "m");
  EXPECT_EQ(c.module->id_text, "$m");
  EXPECT_FALSE(c.module->definition);
  auto fields = s.ModuleFields(*c.module);
  ASSERT_EQ(fields.size(), 15u);
  EXPECT_EQ(fields.front().kind, TokenKind::kLParen);
  EXPECT_EQ(fields[1].text, "func");
  EXPECT_EQ(fields.back().kind, TokenKind::kRParen);
  EXPECT_EQ(s.commands[1].line, 2u);
  EXPECT_TRUE(s.ModuleFields(*s.commands[1].module).empty());
}

TEST(WastScriptTest, BinaryQuoteDefinitionInstance) {
  Script s = Parse(R"wast(
    (module binary "\00asm" "\01\00\00\00")
    (module $q quote "(func" " $f)")
    (module definition $D binary "\00asm\01\00\00\00")
    (module instance $I $D)
    (module instance)
    (module $"a b" (memory 1))
    (register "M" $q)
  )wast");
  ASSERT_EQ(s.commands.size(), 7u);
  EXPECT_EQ(s.commands[0].module->form, ModuleForm::kBinary);
  EXPECT_EQ(s.commands[0].module->bytes, (std::vector<uint8_t>{0, 'a', 's', 'm', 1, 0, 0, 0}));
  EXPECT_EQ(s.commands[1].module->form, ModuleForm::kQuote);
  EXPECT_EQ(s.commands[1].module->quote, "(func $f)");
  EXPECT_EQ(s.commands[1].module->id, "q");
  EXPECT_TRUE(s.commands[2].module->definition);
  EXPECT_EQ(s.commands[2].module->id, "D");
  EXPECT_EQ(s.commands[3].kind, CommandKind::kModuleInstance);
  EXPECT_EQ(s.commands[3].id, "I");
  EXPECT_EQ(s.commands[3].definition, "D");
  EXPECT_EQ(s.commands[4].id, "");
  EXPECT_EQ(s.commands[5].module->id, "a b");
  EXPECT_EQ(s.commands[6].kind, CommandKind::kRegister);
  EXPECT_EQ(s.commands[6].text, "M");
  EXPECT_EQ(s.commands[6].id, "q");
}

TEST(WastScriptTest, ActionsAndScalars) {
  Script s = Parse(R"wast(
    (invoke "f" (i32.const -1) (i64.const 0xffffffffffffffff) (f32.const -0x1p-1)
                (f64.const nan:0x4) (ref.null func) (ref.extern 7) (ref.host 3))
    (get $m "g")
    (assert_return (invoke $m "h") (i32.const 1) (f32.const nan:canonical)
                   (f64.const nan:arithmetic) (f64.const -inf))
  )wast");
  ASSERT_EQ(s.commands.size(), 3u);
  const Action& a = *s.commands[0].action;
  EXPECT_EQ(s.commands[0].kind, CommandKind::kAction);
  EXPECT_EQ(a.kind, ActionKind::kInvoke);
  EXPECT_EQ(a.name, "f");
  EXPECT_EQ(a.module_id, "");
  ASSERT_EQ(a.args.size(), 7u);
  EXPECT_EQ(a.args[0].kind, ValueKind::kI32);
  EXPECT_EQ(a.args[0].i32(), 0xffffffffu);
  EXPECT_EQ(a.args[1].i64(), UINT64_MAX);
  EXPECT_EQ(a.args[2].kind, ValueKind::kF32);
  EXPECT_EQ(a.args[2].bits, 0xbf000000u);
  EXPECT_EQ(a.args[3].bits, 0x7ff0000000000004u);
  EXPECT_EQ(a.args[4].kind, ValueKind::kRef);
  EXPECT_EQ(a.args[4].ref, RefKind::kNull);
  EXPECT_EQ(a.args[4].heap.kind, wasm::HeapKind::kFunc);
  EXPECT_EQ(a.args[5].ref, RefKind::kExtern);
  EXPECT_EQ(a.args[5].bits, 7u);
  EXPECT_EQ(a.args[6].ref, RefKind::kHost);
  EXPECT_EQ(a.args[6].bits, 3u);

  EXPECT_EQ(s.commands[1].action->kind, ActionKind::kGet);
  EXPECT_EQ(s.commands[1].action->module_id, "m");
  EXPECT_EQ(s.commands[1].action->name, "g");

  const Command& r = s.commands[2];
  EXPECT_EQ(r.kind, CommandKind::kAssertReturn);
  EXPECT_EQ(r.action->module_id, "m");
  ASSERT_EQ(r.expected.size(), 4u);
  EXPECT_EQ(r.expected[0].kind, ExpectedKind::kExact);
  EXPECT_EQ(r.expected[0].value.i32(), 1u);
  EXPECT_EQ(r.expected[1].kind, ExpectedKind::kNan);
  EXPECT_EQ(r.expected[1].value.kind, ValueKind::kF32);
  EXPECT_EQ(r.expected[1].nan, NanPattern::kCanonical);
  EXPECT_EQ(r.expected[2].nan, NanPattern::kArithmetic);
  EXPECT_EQ(r.expected[2].value.kind, ValueKind::kF64);
  EXPECT_EQ(r.expected[3].value.bits, 0xfff0000000000000u);
}

TEST(WastScriptTest, Vectors) {
  Script s = Parse(R"wast(
    (assert_return (invoke "v" (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 -1)
                               (v128.const i16x8 -1 0 0 0 0 0 0 0x8000))
      (v128.const i32x4 1 2 3 0xffffffff)
      (v128.const i64x2 -2 1)
      (v128.const f32x4 1.0 nan:canonical -0 nan:arithmetic)
      (v128.const f64x2 nan:0x1 -inf))
  )wast");
  const Command& c = s.commands[0];
  const Value& a0 = c.action->args[0];
  EXPECT_EQ(a0.kind, ValueKind::kV128);
  EXPECT_EQ(a0.shape, V128Shape::kI8x16);
  EXPECT_EQ(a0.v128[1], 1u);
  EXPECT_EQ(a0.v128[15], 0xffu);
  const Value& a1 = c.action->args[1];
  EXPECT_EQ(a1.v128[0], 0xffu);
  EXPECT_EQ(a1.v128[1], 0xffu);
  EXPECT_EQ(a1.v128[14], 0x00u);
  EXPECT_EQ(a1.v128[15], 0x80u);
  ASSERT_EQ(c.expected.size(), 4u);
  EXPECT_EQ(c.expected[0].kind, ExpectedKind::kExact);
  EXPECT_EQ(c.expected[0].value.v128[4], 2u);
  EXPECT_EQ(c.expected[0].value.v128[12], 0xffu);
  EXPECT_EQ(c.expected[1].value.v128[0], 0xfeu);
  EXPECT_EQ(c.expected[1].value.v128[7], 0xffu);
  EXPECT_EQ(c.expected[1].value.v128[8], 1u);
  const ExpectedValue& f = c.expected[2];
  EXPECT_EQ(f.kind, ExpectedKind::kV128Lanes);
  EXPECT_EQ(f.lane_nan[0], NanPattern::kNone);
  EXPECT_EQ(f.lane_nan[1], NanPattern::kCanonical);
  EXPECT_EQ(f.lane_nan[3], NanPattern::kArithmetic);
  EXPECT_EQ(f.value.v128[3], 0x3fu);   // 1.0f = 0x3f800000, little-endian
  EXPECT_EQ(f.value.v128[11], 0x80u);  // -0
  const ExpectedValue& d = c.expected[3];
  EXPECT_EQ(d.kind, ExpectedKind::kExact);
  EXPECT_EQ(d.value.v128[0], 1u);
  EXPECT_EQ(d.value.v128[6], 0xf0u);
  EXPECT_EQ(d.value.v128[15], 0xffu);
}

TEST(WastScriptTest, ReferencePatternsAndEither) {
  Script s = Parse(R"wast(
    (assert_return (invoke "r") (ref.null) (ref.null extern) (ref.func) (ref.extern)
                                (ref.extern 2) (ref.struct) (ref.i31) (ref.host 1))
    (assert_return (invoke "e") (either (i32.const 1) (v128.const f32x4 0 0 0 nan:canonical)))
  )wast");
  const auto& e = s.commands[0].expected;
  ASSERT_EQ(e.size(), 8u);
  EXPECT_EQ(e[0].kind, ExpectedKind::kRefNull);
  EXPECT_FALSE(e[0].has_heap);
  EXPECT_EQ(e[1].kind, ExpectedKind::kRefNull);
  EXPECT_TRUE(e[1].has_heap);
  EXPECT_EQ(e[1].heap, wasm::HeapKind::kExtern);
  EXPECT_EQ(e[2].kind, ExpectedKind::kRefNonNull);
  EXPECT_EQ(e[2].heap, wasm::HeapKind::kFunc);
  EXPECT_EQ(e[3].heap, wasm::HeapKind::kExtern);
  EXPECT_EQ(e[4].kind, ExpectedKind::kExact);
  EXPECT_EQ(e[4].value.ref, RefKind::kExtern);
  EXPECT_EQ(e[4].value.bits, 2u);
  EXPECT_EQ(e[5].heap, wasm::HeapKind::kStruct);
  EXPECT_EQ(e[6].heap, wasm::HeapKind::kI31);
  EXPECT_EQ(e[7].value.ref, RefKind::kHost);
  const auto& either = s.commands[1].expected;
  ASSERT_EQ(either.size(), 1u);
  EXPECT_EQ(either[0].kind, ExpectedKind::kEither);
  ASSERT_EQ(either[0].either.size(), 2u);
  EXPECT_EQ(either[0].either[1].kind, ExpectedKind::kV128Lanes);
  EXPECT_EQ(FormatExpected(either[0]),
            "either(i32:1 | v128 f32x4: 0x00000000 0x00000000 0x00000000 0x00000000 "
            "[lane 3: nan:canonical])");
}

TEST(WastScriptTest, Assertions) {
  Script s = Parse(R"wast(
    (assert_trap (invoke "t") "unreachable")
    (assert_trap (module (func $f unreachable) (start $f)) "unreachable")
    (assert_exhaustion (invoke "x" (i32.const 0)) "call stack exhausted")
    (assert_exception (invoke "throw"))
    (assert_malformed (module quote "(i32.const 0x)") "unknown operator")
    (assert_invalid (module (func (result i32))) "type mismatch")
    (assert_unlinkable (module (import "a" "b" (func))) "unknown import")
    (assert_uninstantiable (module binary "") "x")
    (assert_invalid (module definition (func)) "y")
    (thread $T (shared (module $M)) (assert_return (invoke "f")))
    (wait $T)
  )wast");
  ASSERT_EQ(s.commands.size(), 11u);
  EXPECT_EQ(s.commands[0].kind, CommandKind::kAssertTrap);
  EXPECT_TRUE(s.commands[0].action.has_value());
  EXPECT_FALSE(s.commands[0].module.has_value());
  EXPECT_EQ(s.commands[0].text, "unreachable");
  EXPECT_EQ(s.commands[1].kind, CommandKind::kAssertTrap);
  EXPECT_TRUE(s.commands[1].module.has_value());
  EXPECT_EQ(s.commands[2].kind, CommandKind::kAssertExhaustion);
  EXPECT_EQ(s.commands[2].action->args.size(), 1u);
  EXPECT_EQ(s.commands[3].kind, CommandKind::kAssertException);
  EXPECT_EQ(s.commands[4].kind, CommandKind::kAssertMalformed);
  EXPECT_EQ(s.commands[4].module->quote, "(i32.const 0x)");
  EXPECT_EQ(s.commands[4].text, "unknown operator");
  EXPECT_EQ(s.commands[5].kind, CommandKind::kAssertInvalid);
  EXPECT_EQ(s.commands[5].text, "type mismatch");
  EXPECT_EQ(s.commands[6].kind, CommandKind::kAssertUnlinkable);
  EXPECT_EQ(s.commands[7].kind, CommandKind::kAssertUninstantiable);
  EXPECT_TRUE(s.commands[7].module->bytes.empty());
  EXPECT_TRUE(s.commands[8].module->definition);
  EXPECT_EQ(s.commands[9].kind, CommandKind::kThread);
  EXPECT_EQ(s.commands[9].id, "T");
  EXPECT_EQ(s.commands[10].kind, CommandKind::kWait);
  EXPECT_STREQ(CommandKindName(s.commands[10].kind), "wait");
}

TEST(WastScriptTest, InlineModule) {
  Script s = Parse("(func) (memory 0)");
  ASSERT_EQ(s.commands.size(), 1u);
  EXPECT_EQ(s.commands[0].kind, CommandKind::kModule);
  EXPECT_EQ(s.ModuleFields(*s.commands[0].module).size(), 7u);
}

TEST(WastScriptTest, Errors) {
  EXPECT_EQ(ErrorOf("(module\n  (func)"), "t.wast:1:1: unclosed parenthesis");
  EXPECT_EQ(ErrorOf("(foo)"), "t.wast:1:2: unknown command \"foo\"");
  EXPECT_EQ(ErrorOf("(invoke \"f\" (i32.const 4294967296))"), "t.wast:1:24: constant out of range");
  EXPECT_EQ(ErrorOf("(invoke \"f\" (f32.const 1e39))"), "t.wast:1:24: constant out of range");
  EXPECT_NE(ErrorOf("(invoke \"f\" (f32.const nan:canonical))").find("unexpected token"),
            std::string::npos);
  EXPECT_NE(ErrorOf("(invoke \"f\" (ref.null))").find("unexpected token"), std::string::npos);
  EXPECT_NE(ErrorOf("(invoke \"f\" (ref.func))").find("unexpected constant"), std::string::npos);
  EXPECT_NE(ErrorOf("(assert_return (invoke \"f\") (either (either)))").find("unexpected"),
            std::string::npos);
  EXPECT_NE(ErrorOf("(invoke \"f\" (v128.const i32x4 1 2 3))").find("unexpected token"),
            std::string::npos);
  EXPECT_NE(ErrorOf("(invoke \"f\" (v128.const i8x16 256 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0))")
                .find("constant out of range"),
            std::string::npos);
  EXPECT_NE(ErrorOf("(invoke \"f\" (ref.null foo))").find("unknown heap type"), std::string::npos);
  EXPECT_NE(ErrorOf("(assert_invalid (invoke \"f\") \"x\")").find("unexpected token"),
            std::string::npos);
  EXPECT_NE(ErrorOf("(assert_trap (invoke \"f\"))").find("unexpected token"), std::string::npos);
  EXPECT_NE(ErrorOf("(register $m)").find("unexpected token"), std::string::npos);
  EXPECT_NE(ErrorOf("(module quote \"a\" $x)").find("unexpected token"), std::string::npos);
  EXPECT_NE(ErrorOf("(invoke").find("unexpected end of script"), std::string::npos);
  EXPECT_NE(ErrorOf("x").find("unexpected token"), std::string::npos);
  EXPECT_NE(ErrorOf("(module \"\\x\")").find("illegal escape"), std::string::npos);
}

TEST(WastScriptTest, DeepNestingInModuleIsNotRecursion) {
  std::string src = "(module (func";
  for (int i = 0; i < 200000; ++i) src += " (block";
  for (int i = 0; i < 200000; ++i) src += ")";
  src += "))";
  Script s = Parse(src);
  ASSERT_EQ(s.commands.size(), 1u);
  EXPECT_EQ(s.ModuleFields(*s.commands[0].module).size(), 3u + 200000u * 3u);
}

}  // namespace
}  // namespace wt::text
