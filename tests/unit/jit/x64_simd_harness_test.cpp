// The SIMD test harness itself (simd_test_util.h) and the v128 moves every SIMD family relies
// on: Load/Store/Move/Swap/CopyMem of kV128 through the direct encoder and through asmjit.
#include <gtest/gtest.h>

#include "simd_test_util.h"

namespace wt::jit::testing {
namespace {

TEST(X64SimdHarness, LevelsImplyTheOnesBelow) {
  CpuFeatures host = x64::HostCpuFeatures();
  EXPECT_TRUE(!host.avx || (host.sse42 && host.ssse3 && host.sse41));
  EXPECT_TRUE(!host.avx2 || host.avx);
  EXPECT_TRUE(!host.fma || host.avx2);
  auto levels = SimdLevels();
  ASSERT_FALSE(levels.empty()) << "the host has no SSSE3/SSE4.1";
  EXPECT_STREQ(levels[0].name, "sse4.1");
  EXPECT_FALSE(levels[0].cpu.avx || levels[0].cpu.sse42);
}

class V128Moves : public DirectEncodingTest {};

TEST_P(V128Moves, MoveKeepsAll128Bits) {
  CheckVOp(
      "move", 1, Shape::kI32,
      [](x64::Masm& m, const VRegs& r) { m.Move(JType::kV128, r.dst, r.a); },
      [](const V128* in) { return in[0]; });
}

TEST_P(V128Moves, SwapExchangesWholeRegisters) {
  // dst <- b after swapping a and b, then a must hold b's old value: out = a (after swap).
  CheckVOp(
      "swap", 2, Shape::kI32,
      [](x64::Masm& m, const VRegs& r) {
        m.Swap(JType::kV128, r.a, r.b);
        m.Move(JType::kV128, r.dst, r.a);
      },
      [](const V128* in) { return in[1]; }, ExactMatch, 0,
      {{"swap", Reg::Fp(4), Reg::Fp(1), Reg::Fp(9), Reg::Fp(3), {}}});
}

TEST_P(V128Moves, CopyMemAndSpillSlots) {
  // in[0] -> out[2] via CopyMem, then back into dst with Load.
  CheckVOp(
      "copymem", 1, Shape::kI8,
      [](x64::Masm& m, const VRegs& r) {
        m.CopyMem(JType::kV128, Mem{x64::reg::rsi, 32}, Mem{x64::reg::rdi, 0});
        m.Load(JType::kV128, r.dst, Mem{x64::reg::rsi, 32});
      },
      [](const V128* in) { return in[0]; });
}

INSTANTIATE_TEST_SUITE_P(Encoders, V128Moves, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& p) {
                           return p.param ? std::string("direct") : std::string("asmjit");
                         });

}  // namespace
}  // namespace wt::jit::testing
