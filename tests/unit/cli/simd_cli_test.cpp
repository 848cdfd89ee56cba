// The CLI's SIMD parts: --simd-isa (run, invoke, compile, wast) and v128 values through
// --invoke (arguments as u128 decimal or 0x-hex, results as u128 decimal).
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli/app.h"
#include "cli_test_util.h"
#if defined(WTRUN_ISA_x64)
#include "jit/x64/masm_x64.h"
#endif

namespace wt::cli {
namespace {

namespace fs = std::filesystem;

size_t Lines(const std::string& s) {
  return static_cast<size_t>(std::count(s.begin(), s.end(), '\n'));
}

TEST(CliSimdIsa, BadValueIsAOneLineUsageError) {
  TempDir dir;
  std::string m = dir.Write("m.wat", "(module (func (export \"f\") (result i32) (i32.const 7)))");
  std::string w = dir.Write("w.wast", "(module)\n");
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--simd-isa=avx512", m},
                                               {"--simd-isa", "sse3", "--invoke", "f", m},
                                               {"run", "--simd-isa", "SSE4.1", m},
                                               {"--simd-isa=", m},
                                               {"compile", "--simd-isa", "x", m},
                                               {"wast", "--simd-isa=neon", w}}) {
    Outcome o = RunMain(args);
    EXPECT_EQ(o.code, 2) << testing::PrintToString(args);
    EXPECT_EQ(Lines(o.err), 1u) << o.err;
    EXPECT_EQ(o.err.rfind("wtrun: error: ", 0), 0u) << o.err;
    EXPECT_NE(o.err.find("--simd-isa"), std::string::npos) << o.err;
  }
  Outcome o = RunMain({"--simd-isa=avx512", m});
  EXPECT_NE(o.err.find("unknown value 'avx512' (expected auto, sse4.1, sse4.2, avx or avx2)"),
            std::string::npos)
      << o.err;
}

TEST(CliSimdIsa, AcceptedByEveryCommand) {
  TempDir dir;
  std::string m = dir.Write("m.wat", "(module (func (export \"f\") (result i32) (i32.const 7)))");
  std::string w = dir.Write("w.wast",
                            "(module (func (export \"f\") (result i32) (i32.const 7)))\n"
                            "(assert_return (invoke \"f\") (i32.const 7))\n");
#if defined(WTRUN_ISA_x64)
  const std::vector<const char*> isas = {"auto", "sse4.1", "sse4.2", "avx", "avx2"};
#else
  // [a64] Only `auto`: the levels are x86_64 ones, refused on aarch64 (jit/a64/cpu_a64.cpp).
  const std::vector<const char*> isas = {"auto"};
#endif
  for (const char* isa : isas) {
    std::string opt = std::string("--simd-isa=") + isa;
    Outcome o = RunMain({opt, "--invoke", "f", m});
    EXPECT_EQ(o.code, 0) << isa << ": " << o.err;
    EXPECT_EQ(o.out, "7\n");
    o = RunMain({"--simd-isa", isa, "--invoke", "f", m});  // separate value
    EXPECT_EQ(o.code, 0) << isa << ": " << o.err;
    EXPECT_EQ(o.out, "7\n");
    o = RunMain({"run", opt, "--invoke", "f", m});
    EXPECT_EQ(o.code, 0) << isa << ": " << o.err;
    o = RunMain({"compile", opt, m});
    EXPECT_EQ(o.code, 0) << isa << ": " << o.err;
    o = RunMain({opt, "compile", m});  // before the command, like --wasm
    EXPECT_EQ(o.code, 0) << isa << ": " << o.err;
  }
#if defined(WTRUN_ISA_x64)
  Outcome o = RunMain({"wast", "--simd-isa", "avx2", w});
  EXPECT_EQ(o.code, 0) << o.err << o.out;
#else
  Outcome o = RunMain({"--simd-isa=avx2", "--invoke", "f", m});
  EXPECT_NE(o.code, 0) << "an x86_64 level is refused on aarch64: " << o.out;
  EXPECT_NE(o.err.find("avx2"), std::string::npos) << o.err;
#endif
  o = RunMain({"--simd-isa=auto", "wast", w});
  EXPECT_EQ(o.code, 0) << o.err << o.out;
}

#if defined(WTRUN_ISA_x64)
// [a64] x86 only: relaxed madd is fused or not depending on the x86 cap (FMA needs AVX2).
TEST(CliSimdIsa, WastCompilesWithTheCap) {
  // Relaxed madd: fused (2^-24 here) with FMA under an AVX2 cap, unfused (0) under SSE4.1
  // (the numbers as in tests/unit/wast/runner_test.cpp). Each wast run applies its own
  // --simd-isa, also after an earlier compile in the same process.
  jit::x64::CpuFeatures host = jit::x64::HostCpuFeatures();
  if (!host.fma || !host.avx2) GTEST_SKIP() << "no FMA/AVX2 on this host: madd is never fused";
  TempDir dir;
  auto script = [&](const std::string& name, const char* expected) {
    return dir.Write(
        name, std::string("(module (func (export \"madd\") (param v128 v128 v128) (result v128)\n"
                          "  (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2))))\n"
                          "(assert_return (invoke \"madd\" (v128.const f32x4 0x1.001p+0 "
                          "0x1.001p+0 0x1.001p+0 0x1.001p+0) (v128.const f32x4 0x1.001p+0 "
                          "0x1.001p+0 0x1.001p+0 0x1.001p+0) (v128.const f32x4 -0x1.002p+0 "
                          "-0x1.002p+0 -0x1.002p+0 -0x1.002p+0))\n"
                          "  (v128.const f32x4 ") +
                  expected + "))\n");
  };
  std::string unfused = script("unfused.wast", "0 0 0 0");
  std::string fused = script("fused.wast", "0x1p-24 0x1p-24 0x1p-24 0x1p-24");
  Outcome o = RunMain({"wast", "--simd-isa=avx2", fused});
  EXPECT_EQ(o.code, 0) << o.err << o.out;
  o = RunMain({"wast", "--simd-isa", "sse4.1", unfused});
  EXPECT_EQ(o.code, 0) << o.err << o.out;
  o = RunMain({"--simd-isa=sse4.1", "wast", fused});
  EXPECT_EQ(o.code, 1) << o.err << o.out;
  o = RunMain({"wast", "--simd-isa=avx2", unfused});
  EXPECT_EQ(o.code, 1) << o.err << o.out;
}
#endif

TEST(CliInvokeV128, ArgumentsAndResults) {
  TempDir dir;
  std::string m = dir.Write("v.wat",
                            "(module\n"
                            "  (func (export \"id\") (param v128) (result v128) (local.get 0))\n"
                            "  (func (export \"lane\") (param v128) (result i32)\n"
                            "    (i32x4.extract_lane 1 (local.get 0)))\n"
                            "  (func (export \"both\") (param i32 v128 i64) (result v128 i32)\n"
                            "    (local.get 1) (local.get 0)))\n");
  Outcome o = RunMain({"--invoke", "id", m, "340282366920938463463374607431768211455"});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.out, "340282366920938463463374607431768211455\n");
  o = RunMain({"--invoke", "id", m, "0x0102030405060708090a0b0c0d0e0f10"});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.out, "1339673755198158349044581307228491536\n");
  o = RunMain({"--invoke", "lane", m, "0x00000000000000000000002a00000000"});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.out, "42\n");
  o = RunMain({"--invoke", "both", m, "5", "18446744073709551616", "1"});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.out, "18446744073709551616\n5\n");
  o = RunMain({"--invoke", "id", m, "-1"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(Lines(o.err), 1u) << o.err;
  EXPECT_NE(o.err.find("invalid v128 argument '-1'"), std::string::npos) << o.err;
}

}  // namespace
}  // namespace wt::cli
