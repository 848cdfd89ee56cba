// [perf] Memory of the parallel compile (compile_module.h): every chunk but the last is
// finished by its worker, copied into an exact-size buffer at an address that is not its final
// one, and moved later. That is only sound for code whose bytes do not depend on CopyTo's base
// address, which Masm::PositionIndependent reports; these tests pin it for what a chunk holds
// (builtin calls included: through the builtin table, runtime/builtin_table.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#if defined(WTRUN_ISA_x64)
#include "jit/x64/masm_x64.h"
#endif
#include "runtime/builtin_table.h"
#include "runtime/builtins.h"

// [a64] These pin the x64 Masm (not built on aarch64 hosts).
#if defined(WTRUN_ISA_x64)
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

// [lazy] Builtin calls, trap stubs and host stubs call through the builtin table: links to
// BuiltinTableLabelId (rel32 + 8 * id), no absolute address, the same bytes at any base. A
// builtin address not in the table is called absolutely and the code is then not
// position-independent.
uint64_t NotABuiltin(uint64_t x) noexcept {
  return x + 1;
}

TEST(ChunkMemory, BuiltinCallsGoThroughTheTable) {
  bool saved = x64::Masm::DirectEncoding();
  for (bool direct : {true, false}) {
    x64::Masm::SetDirectEncoding(direct);
    x64::Masm m(x64::HostCpuFeatures());
    EXPECT_EQ(m.BuiltinTableLabelId(), UINT32_MAX);
    m.CallBuiltin(reinterpret_cast<const void*>(&wt_memory_grow));
    Label trap = m.NewLabel();
    m.RawRet();
    m.EmitTrapStub(trap, runtime::TrapCode::kUnreachable);
    wasm::FuncType sig;
    sig.params = {wasm::ValType::I32()};
    sig.results = {wasm::ValType::I32()};
    m.EmitHostStub(sig);
    auto size = m.Finish();
    ASSERT_TRUE(size.ok());
    EXPECT_NE(m.BuiltinTableLabelId(), UINT32_MAX);
    EXPECT_TRUE(m.PositionIndependent()) << "direct encoder " << direct;
    EXPECT_EQ(CopyAt(m, *size, 0x10000), CopyAt(m, *size, 0x7f1234560000ull));
    std::vector<x64::Masm::ExternalLink> links;
    ASSERT_TRUE(m.ExternalLinks(&links).ok());
    ASSERT_EQ(links.size(), 3u) << "direct encoder " << direct;
    std::vector<uint8_t> bytes = CopyAt(m, *size, 0x10000);
    // call qword ptr [rip + disp32]: FF 15 before each field; rel = 8 * id - 4.
    const int32_t grow = 8 * static_cast<int32_t>(runtime::BuiltinId::kMemoryGrow) - 4;
    const int32_t raise = 8 * static_cast<int32_t>(runtime::BuiltinId::kRaiseTrap) - 4;
    std::sort(links.begin(), links.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
    std::vector<int32_t> rels;
    for (const auto& l : links) {
      EXPECT_EQ(l.label, m.BuiltinTableLabelId());
      ASSERT_GE(l.at, 2u);
      EXPECT_EQ(bytes[l.at - 2], 0xFF);
      EXPECT_EQ(bytes[l.at - 1], 0x15);
      rels.push_back(l.rel);
    }
    EXPECT_EQ(rels[0], grow);
    EXPECT_EQ(rels[1], raise);
    EXPECT_EQ(rels[2], raise);
  }
  for (bool direct : {true, false}) {
    x64::Masm::SetDirectEncoding(direct);
    x64::Masm m(x64::HostCpuFeatures());
    m.CallBuiltin(reinterpret_cast<const void*>(&NotABuiltin));
    m.RawRet();
    ASSERT_TRUE(m.Finish().ok());
    EXPECT_FALSE(m.PositionIndependent()) << "direct encoder " << direct;
  }
  x64::Masm::SetDirectEncoding(saved);
}

}  // namespace
}  // namespace wt::jit
#endif  // WTRUN_ISA_x64
