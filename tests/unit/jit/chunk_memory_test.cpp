// [perf] Memory of the parallel compile (compile_module.h): every chunk but the last is
// finished by its worker, copied into an exact-size buffer at an address that is not its final
// one, and moved later. That is only sound for code whose bytes do not depend on CopyTo's base
// address, which Masm::PositionIndependent reports; these tests pin it for what a chunk holds.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "jit/x64/masm_x64.h"

namespace wt::jit {
namespace {

std::vector<uint8_t> CopyAt(x64::Masm& m, size_t size, uint64_t base) {
  std::vector<uint8_t> bytes(size);
  EXPECT_TRUE(m.CopyTo(bytes.data(), size, base).ok());
  return bytes;
}

// Jump tables (label-delta entries: asmjit expression relocations), a SIMD constant pool
// (rip-relative), branches and a direct call to a label bound elsewhere (an external link):
// the same bytes at any base.
TEST(ChunkMemory, ChunkCodeIsPositionIndependent) {
  bool saved = x64::Masm::DirectEncoding();
  for (bool direct : {true, false}) {
    x64::Masm::SetDirectEncoding(direct);
    x64::CpuFeatures cpu = x64::HostCpuFeatures();
    x64::Masm m(cpu);
    Label callee = m.NewLabel();  // never bound: another chunk's function
    std::vector<Label> cases;
    for (int i = 0; i < 5; ++i) cases.push_back(m.NewLabel());
    m.LoadConst(JType::kI32, x64::reg::rax, 2);
    m.JumpTable(x64::reg::rax, cases);
    for (int i = 0; i < 5; ++i) {
      m.Bind(cases[i]);
      m.LoadConst(JType::kI32, x64::reg::rax, i);
    }
    if (cpu.ssse3) m.LoadConstV128(Reg::Fp(1), V128{0x0102030405060708ull, 0x1112131415161718ull});
    m.CallLabel(callee);
    m.RawRet();
    auto size = m.Finish();
    ASSERT_TRUE(size.ok());
    EXPECT_TRUE(m.PositionIndependent()) << "direct encoder " << direct;
    std::vector<uint8_t> a = CopyAt(m, *size, 0x10000);
    std::vector<uint8_t> b = CopyAt(m, *size, 0x7f1234560000ull);
    EXPECT_EQ(a, b) << "direct encoder " << direct;
    std::vector<x64::Masm::ExternalLink> links;
    EXPECT_TRUE(m.ExternalLinks(&links).ok());
    EXPECT_EQ(links.size(), 1u);
  }
  x64::Masm::SetDirectEncoding(saved);
}

}  // namespace
}  // namespace wt::jit
