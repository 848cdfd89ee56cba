#include "wast/runner.h"

#include <gtest/gtest.h>

namespace wt::wast {
namespace {

FileResult RunText(std::string source, bool keep_all = false,
                   wasm::Features features = wasm::Features::Wasm30()) {
  RunOptions options;
  options.features = features;
  options.keep_all_records = keep_all;
  return RunScriptSource(std::move(source), "test.wast", options);
}

TEST(WastRunner, ValidModulesPass) {
  FileResult r = RunText(
      "(module (func (export \"f\") (result i32) (i32.const 1)))\n"
      "(module binary \"\\00asm\" \"\\01\\00\\00\\00\")\n"
      "(module quote \"(func)\")\n"
      "(module definition (func))\n");
  EXPECT_EQ(r.counts, (Counts{4, 0, 0}));
  EXPECT_TRUE(r.records.empty());  // only failures are kept by default
  EXPECT_EQ(r.path, "test.wast");
}

TEST(WastRunner, ExecutionIsSkippedNeverPassed) {
  FileResult r = RunText(
      "(module $m (func (export \"f\") (result i32) (i32.const 1)))\n"
      "(register \"m\" $m)\n"
      "(invoke \"f\")\n"
      "(assert_return (invoke \"f\") (i32.const 1))\n"
      "(assert_trap (invoke \"f\") \"unreachable\")\n"
      "(assert_exhaustion (invoke \"f\") \"call stack exhausted\")\n"
      "(assert_trap (module (func $s unreachable) (start $s)) \"unreachable\")\n"
      "(assert_unlinkable (module (import \"x\" \"y\" (func))) \"unknown import\")\n"
      "(assert_uninstantiable (module (func $s unreachable) (start $s)) \"unreachable\")\n",
      /*keep_all=*/true);
  EXPECT_EQ(r.counts, (Counts{1, 0, 8}));
  ASSERT_EQ(r.records.size(), 9u);
  EXPECT_EQ(r.records[0].outcome, Outcome::kPassed);
  EXPECT_EQ(r.records[2].kind, "invoke");
  EXPECT_EQ(r.records[3].kind, "assert_return");
  EXPECT_EQ(r.records[3].line, 4u);
  for (size_t i = 1; i < r.records.size(); ++i) {
    EXPECT_EQ(r.records[i].outcome, Outcome::kSkipped) << i;
    EXPECT_EQ(r.records[i].message, kNeedsExecution) << i;
  }
}

TEST(WastRunner, AssertMalformedAndInvalidPassOnTheRightKind) {
  FileResult r = RunText(
      "(assert_malformed (module binary \"\\00asm\") \"unexpected end\")\n"
      "(assert_malformed (module quote \"(func (i32.add\") \"unexpected end\")\n"
      "(assert_invalid (module (func (result i32) (i64.const 0))) \"type mismatch\")\n"
      "(assert_invalid (module definition (func (result i32))) \"type mismatch\")\n",
      /*keep_all=*/true);
  EXPECT_EQ(r.counts, (Counts{4, 0, 0}));
  ASSERT_EQ(r.records.size(), 4u);
  EXPECT_EQ(r.records[2].expected, "type mismatch");
  EXPECT_FALSE(r.records[2].actual.empty());
}

TEST(WastRunner, WrongKindsFail) {
  FileResult r = RunText(
      "(module (func (result i32) (i64.const 0)))\n"                             // invalid module
      "(assert_invalid (module (func)) \"type mismatch\")\n"                     // valid
      "(assert_malformed (module quote \"(func)\") \"unexpected token\")\n"      // well-formed
      "(assert_invalid (module binary \"\\00asm\") \"type mismatch\")\n"         // malformed
      "(assert_malformed (module (func (result i32) (i64.const 0))) \"x\")\n");  // invalid
  EXPECT_EQ(r.counts, (Counts{0, 5, 0}));
  ASSERT_EQ(r.records.size(), 5u);
  EXPECT_EQ(r.records[0].kind, "module");
  EXPECT_EQ(r.records[0].line, 1u);
  EXPECT_NE(r.records[0].actual.find("type mismatch"), std::string::npos);
  EXPECT_EQ(r.records[1].expected, "type mismatch");
  EXPECT_NE(r.records[1].message.find("validates"), std::string::npos);
  EXPECT_NE(r.records[3].message.find("malformed"), std::string::npos);
  EXPECT_NE(r.records[4].message.find("invalid"), std::string::npos);
  EXPECT_EQ(r.records[4].line, 5u);
}

TEST(WastRunner, FeaturePresetReachesTheDecoderAndValidator) {
  // Two memories: valid with multi-memory (3.0), not in 2.0.
  std::string script = "(module (memory 1) (memory 1))\n";
  EXPECT_EQ(RunText(script).counts, (Counts{1, 0, 0}));
  EXPECT_EQ(RunText(script, false, wasm::Features::Wasm20()).counts, (Counts{0, 1, 0}));
}

TEST(WastRunner, ScriptErrorsAreOneFailure) {
  FileResult r = RunText("(module)\n(assert_bogus)\n");
  EXPECT_EQ(r.counts, (Counts{0, 1, 0}));
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].kind, "script");
  EXPECT_EQ(r.records[0].line, 2u);
}

TEST(WastRunner, MissingFileIsOneFailure) {
  FileResult r = RunScriptFile("/nonexistent/dir/x.wast", {});
  EXPECT_EQ(r.counts, (Counts{0, 1, 0}));
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].kind, "file");
}

}  // namespace
}  // namespace wt::wast
