// Helpers of the compiler-level SIMD tests that check their results through the .wast runner
// (simd_branch_test.cpp, simd_compiler_opt_test.cpp).
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "jit/compiler.h"
#if defined(WTRUN_ISA_x64)
#include "jit/x64/masm_x64.h"
#endif
#include "wast/runner.h"

namespace wt::jit::testing {

using Bytes = std::array<uint8_t, 16>;

// `(v128.const i8x16 ...)` of the bytes.
inline std::string Const(const Bytes& b) {
  std::string s = "(v128.const i8x16";
  for (uint8_t x : b) s.append(" ").append(std::to_string(x));
  return s + ")";
}

// Runs a .wast script of one module and assert_returns (`file` names it in messages) on the
// SSE4.1 lowering and, when the host has AVX2, on the AVX2 one (on aarch64: the NEON one):
// every command must pass.
inline void ExpectWastPassesOnSimdIsas(const std::string& script, const char* file) {
  uint64_t n = 1;  // the module
  for (size_t at = script.find("(assert_return"); at != std::string::npos;
       at = script.find("(assert_return", at + 1))
    ++n;
#if defined(WTRUN_ISA_x64)
  std::vector<SimdIsa> isas = {SimdIsa::kSse41};
  if (x64::HostCpuFeatures().avx2) isas.push_back(SimdIsa::kAvx2);
#else
  // [a64] One lowering (NEON): the SIMD cap names x86 levels only.
  std::vector<SimdIsa> isas = {SimdIsa::kAuto};
#endif
  for (SimdIsa isa : isas) {
    wast::RunOptions options;
    options.simd_isa = isa;
    wast::FileResult r = wast::RunScriptSource(script, file, options);
    EXPECT_EQ(r.counts.failed, 0u)
        << static_cast<int>(isa) << ": "
        << (r.records.empty() ? ""
                              : r.records[0].message + " at " + std::to_string(r.records[0].line));
    EXPECT_EQ(r.counts.passed, n) << static_cast<int>(isa);
  }
}

}  // namespace wt::jit::testing
