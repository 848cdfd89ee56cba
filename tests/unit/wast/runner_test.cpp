#include "wast/runner.h"

#include <gtest/gtest.h>

#include "jit/compiler.h"
#if defined(WTRUN_ISA_x64)
#include "jit/x64/masm_x64.h"
#endif

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

TEST(WastRunner, ExecutesActionsAndAssertions) {
  FileResult r = RunText(
      "(module $m\n"
      "  (func (export \"add\") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get "
      "1)))\n"
      "  (func (export \"div\") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get "
      "1)))\n"
      "  (func (export \"nan\") (result f32) (f32.div (f32.const 0) (f32.const 0)))\n"
      "  (func (export \"two\") (result i64 f64) (i64.const -1) (f64.const -0))\n"
      "  (func $loop (export \"loop\") (call $loop))\n"
      "  (func (export \"id\") (param externref) (result externref) (local.get 0))\n"
      "  (func (export \"null\") (result funcref) (ref.null func))\n"
      "  (global (export \"g\") i32 (i32.const 7)))\n"
      "(invoke \"add\" (i32.const 1) (i32.const 2))\n"
      "(assert_return (invoke \"add\" (i32.const -1) (i32.const 2)) (i32.const 1))\n"
      "(assert_return (invoke \"nan\") (f32.const nan:canonical))\n"
      "(assert_return (invoke \"two\") (i64.const -1) (f64.const -0))\n"
      "(assert_return (invoke \"id\" (ref.extern 5)) (ref.extern 5))\n"
      "(assert_return (invoke \"id\" (ref.null extern)) (ref.null extern))\n"
      "(assert_return (invoke \"null\") (ref.null func))\n"
      "(assert_return (get \"g\") (i32.const 7))\n"
      "(assert_return (get $m \"g\") (either (i32.const 6) (i32.const 7)))\n"
      "(assert_trap (invoke \"div\" (i32.const 1) (i32.const 0)) \"integer divide by zero\")\n"
      "(assert_trap (invoke \"div\" (i32.const 0x80000000) (i32.const -1)) \"integer overflow\")\n"
      "(assert_exhaustion (invoke \"loop\") \"call stack exhausted\")\n"
      "(register \"m\" $m)\n"
      "(module (import \"m\" \"add\" (func $add (param i32 i32) (result i32)))\n"
      "  (import \"spectest\" \"global_i32\" (global i32))\n"
      "  (func (export \"f\") (result i32) (call $add (global.get 0) (i32.const 1))))\n"
      "(assert_return (invoke \"f\") (i32.const 667))\n"
      "(assert_return (invoke $m \"add\" (i32.const 2) (i32.const 2)) (i32.const 4))\n"
      "(assert_trap (module (func $s unreachable) (start $s)) \"unreachable\")\n"
      "(assert_uninstantiable (module (func $s unreachable) (start $s)) \"unreachable\")\n"
      "(assert_unlinkable (module (import \"x\" \"y\" (func))) \"unknown import\")\n"
      "(assert_unlinkable (module (import \"m\" \"add\" (func))) \"incompatible import type\")\n"
      "(module definition $d (global (export \"h\") i64 (i64.const 9)))\n"
      "(module instance $i $d)\n"
      "(assert_return (get $i \"h\") (i64.const 9))\n",
      /*keep_all=*/true);
  for (const CommandRecord& rec : r.records) {
    EXPECT_EQ(rec.outcome, Outcome::kPassed) << "line " << rec.line << ": " << rec.message;
  }
  EXPECT_EQ(r.counts, (Counts{24, 0, 0}));
  ASSERT_EQ(r.records.size(), 24u);
  EXPECT_EQ(r.records[1].kind, "invoke");
  EXPECT_EQ(r.records[2].kind, "assert_return");
  EXPECT_EQ(r.records[2].line, 11u);
}

TEST(WastRunner, FailuresAreRecordedAndTheFileGoesOn) {
  FileResult r = RunText(
      "(module (func (export \"one\") (result i32) (i32.const 1))\n"
      "  (func (export \"trap\") unreachable))\n"
      "(assert_return (invoke \"one\") (i32.const 2))\n"        // 3: wrong value
      "(assert_return (invoke \"one\") (i64.const 1))\n"        // 4: wrong type
      "(assert_return (invoke \"one\"))\n"                      // 5: wrong count
      "(assert_trap (invoke \"one\") \"unreachable\")\n"        // 6: no trap
      "(assert_trap (invoke \"trap\") \"integer overflow\")\n"  // 7: wrong trap
      "(assert_return (invoke \"trap\"))\n"                     // 8: a trap
      "(invoke \"missing\")\n"                                  // 9: no such export
      "(invoke \"one\" (i32.const 1))\n"                        // 10: too many args
      "(assert_return (invoke $nope \"one\") (i32.const 1))\n"  // 11: no such module
      "(assert_return (invoke \"one\") (i32.const 1))\n");      // 12: passes
  EXPECT_EQ(r.counts, (Counts{2, 9, 0}));
  ASSERT_EQ(r.records.size(), 9u);
  EXPECT_EQ(r.records[0].line, 3u);
  EXPECT_EQ(r.records[0].expected, "i32:2");
  EXPECT_EQ(r.records[0].actual, "i32:1");
  EXPECT_NE(r.records[2].message.find("expected 0 result(s), got 1"), std::string::npos);
  EXPECT_NE(r.records[3].message.find("expected a trap"), std::string::npos);
  EXPECT_EQ(r.records[4].actual, "unreachable");
  EXPECT_NE(r.records[5].message.find("unreachable"), std::string::npos);
  EXPECT_NE(r.records[6].message.find("missing"), std::string::npos);
  EXPECT_NE(r.records[8].message.find("$nope"), std::string::npos);
}

TEST(WastRunner, ArgumentsMustFitTheParameters) {
  FileResult r = RunText(
      "(module (func (export \"e\") (param externref)) (func (export \"i\") (param i64)))\n"
      "(invoke \"e\" (ref.null func))\n"
      "(invoke \"e\" (ref.extern 1))\n"
      "(invoke \"i\" (i32.const 1))\n"
      "(invoke \"e\" (ref.null extern))\n");
  EXPECT_EQ(r.counts, (Counts{3, 2, 0}));
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_NE(r.records[0].message.find("argument 0: ref.null func given for a parameter of type"),
            std::string::npos)
      << r.records[0].message;
  EXPECT_NE(r.records[1].message.find("i32:1 given"), std::string::npos) << r.records[1].message;
}

TEST(WastRunner, AFailedModuleLeavesNoCurrentModule) {
  FileResult r = RunText(
      "(module (func (export \"f\") (result i32) (i32.const 1)))\n"
      "(module (import \"nowhere\" \"f\" (func)) (func (export \"f\") (result i32) (i32.const "
      "2)))\n"
      "(assert_return (invoke \"f\") (i32.const 1))\n");
  EXPECT_EQ(r.counts, (Counts{1, 2, 0}));
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0].line, 2u);
  EXPECT_NE(r.records[0].message.find("unknown import"), std::string::npos);
  EXPECT_EQ(r.records[1].line, 3u);
  EXPECT_NE(r.records[1].message.find("failed to instantiate"), std::string::npos);
}

TEST(WastRunner, AssertException) {
  // [exceptions] Before: skipped ("needs exceptions").
  FileResult r = RunText(
      "(module (tag $e (param i32)) (func (export \"f\")) (func (export \"g\")\n"
      "  (throw $e (i32.const 1))) (func (export \"t\") unreachable))\n"
      "(assert_exception (invoke \"g\"))\n"
      "(assert_exception (invoke \"f\"))\n"
      "(assert_exception (invoke \"t\"))\n",
      /*keep_all=*/true);
  EXPECT_EQ(r.counts, (Counts{2, 2, 0}));
  ASSERT_EQ(r.records.size(), 4u);
  EXPECT_EQ(r.records[2].message, "expected an exception, but it returned");
  EXPECT_NE(r.records[3].message.find("expected an exception, got a"), std::string::npos);
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
  std::string script = "(assert_invalid (module (memory 1) (memory 1)) \"multiple memories\")\n";
  EXPECT_EQ(RunText(script).counts, (Counts{0, 1, 0}));
  EXPECT_EQ(RunText(script, false, wasm::Features::Wasm20()).counts, (Counts{1, 0, 0}));
}

TEST(WastRunner, ScriptErrorsAreOneFailure) {
  FileResult r = RunText("(module)\n(assert_bogus)\n");
  EXPECT_EQ(r.counts, (Counts{0, 1, 0}));
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].kind, "script");
  EXPECT_EQ(r.records[0].line, 2u);
}

// [a64] x86 only: the cap names x86 levels (relaxed madd on NEON: docs/simd-a64.md).
#if defined(WTRUN_ISA_x64)
TEST(WastRunner, SimdIsaReachesTheCompiler) {
  // [simd] Relaxed madd is the one op whose result depends on the ISA: fused (one rounding)
  // with FMA under an AVX2 cap, a multiply and an add (two roundings) under SSE4.1. With
  // a = b = 1 + 2^-12 and c = -(1 + 2^-11), a * b rounds to 1 + 2^-11 (a tie, to even): the
  // sum is 0 unfused and 2^-24 fused.
  auto script = [](const char* expected) {
    return std::string(
               "(module (func (export \"madd\") (param v128 v128 v128) (result v128)\n"
               "  (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2))))\n"
               "(assert_return (invoke \"madd\" (v128.const f32x4 0x1.001p+0 0x1.001p+0 "
               "0x1.001p+0 0x1.001p+0) (v128.const f32x4 0x1.001p+0 0x1.001p+0 0x1.001p+0 "
               "0x1.001p+0) (v128.const f32x4 -0x1.002p+0 -0x1.002p+0 -0x1.002p+0 -0x1.002p+0))\n"
               "  (v128.const f32x4 ") +
           expected + "))\n";
  };
  const std::string unfused = script("0 0 0 0");
  const std::string fused = script("0x1p-24 0x1p-24 0x1p-24 0x1p-24");
  RunOptions options;
  EXPECT_EQ(options.simd_isa, jit::SimdIsa::kAuto);
  options.simd_isa = jit::SimdIsa::kSse41;
  FileResult r = RunScriptSource(unfused, "sse41.wast", options);
  EXPECT_EQ(r.counts, (Counts{2, 0, 0})) << (r.records.empty() ? "" : r.records[0].message);
  jit::x64::CpuFeatures host = jit::x64::HostCpuFeatures();
  if (!host.fma || !host.avx2) GTEST_SKIP() << "no FMA/AVX2 on this host: madd is never fused";
  // The same script under AVX2 (and the fused one) shows that the cap made the difference.
  options.simd_isa = jit::SimdIsa::kAvx2;
  EXPECT_EQ(RunScriptSource(unfused, "avx2.wast", options).counts, (Counts{1, 1, 0}));
  EXPECT_EQ(RunScriptSource(fused, "avx2.wast", options).counts, (Counts{2, 0, 0}));
  options.simd_isa = jit::SimdIsa::kSse41;
  EXPECT_EQ(RunScriptSource(fused, "sse41.wast", options).counts, (Counts{1, 1, 0}));
}
#endif

TEST(WastRunner, MissingFileIsOneFailure) {
  FileResult r = RunScriptFile("/nonexistent/dir/x.wast", {});
  EXPECT_EQ(r.counts, (Counts{0, 1, 0}));
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].kind, "file");
}

}  // namespace
}  // namespace wt::wast
