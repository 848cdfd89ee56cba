// The aarch64 Masm's core (src/jit/a64/masm_a64.cpp, masm_a64_interrupt.cpp): immediates,
// memory operands, the frame, branches, jump tables, trap stubs, direct calls with their veneers
// and the link kinds of PatchExternalLink. Encoding tests: they assemble on any host and check
// instruction words (or simulate the few instructions that build a constant).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "jit/a64/masm_a64.h"
#include "jit/a64/masm_a64_impl.h"
#include "jit/abi.h"
#include "runtime/builtin_table.h"

#if defined(__aarch64__)
#include <string>

#include "../runtime/interrupt_test_util.h"
#endif

namespace wt::jit::a64 {
namespace {

std::vector<uint32_t> Words(Masm& m, uint64_t base = 0x10000) {
  auto size = m.Finish();
  EXPECT_TRUE(size.ok()) << m.error();
  if (!size.ok()) return {};
  std::vector<uint8_t> bytes(*size);
  EXPECT_TRUE(m.CopyTo(bytes.data(), bytes.size(), base).ok());
  std::vector<uint32_t> w(bytes.size() / 4);
  if (!w.empty())  // memcpy of nothing from a null buffer is UB
    std::memcpy(w.data(), bytes.data(), w.size() * 4);
  return w;
}

// DecodeBitMasks (the Arm ARM's pseudocode) for the logical-immediate check.
uint64_t DecodeLogical(uint32_t n, uint32_t immr, uint32_t imms, unsigned width) {
  uint32_t combined = (n << 6) | (~imms & 0x3F);
  int len = 31 - __builtin_clz(combined);
  unsigned esize = 1u << len;
  uint32_t levels = esize - 1;
  uint32_t s = imms & levels, r = immr & levels;
  uint64_t welem = s + 1 == 64 ? ~uint64_t{0} : (uint64_t{1} << (s + 1)) - 1;
  uint64_t emask = esize == 64 ? ~uint64_t{0} : (uint64_t{1} << esize) - 1;
  uint64_t elem = r == 0 ? welem : (((welem >> r) | (welem << (esize - r))) & emask);
  uint64_t v = 0;
  for (unsigned i = 0; i < 64; i += esize) v |= elem << i;
  return width == 32 ? (v & 0xFFFFFFFFull) : v;
}

// The value the movz/movn/movk/orr sequence `w` leaves in register `rd`.
uint64_t Simulate(const std::vector<uint32_t>& w, unsigned rd) {
  uint64_t v = 0;
  for (uint32_t insn : w) {
    EXPECT_EQ(insn & 31u, rd);
    bool sf = (insn >> 31) != 0;
    uint32_t opc = (insn >> 23) & 0x3F, hw = (insn >> 21) & 3;
    uint64_t imm16 = (insn >> 5) & 0xFFFF;
    if ((insn & 0x7F800000u) == 0x32000000u) {  // orr rd, zr, #imm
      EXPECT_EQ((insn >> 5) & 31u, 31u);
      v = DecodeLogical((insn >> 22) & 1, (insn >> 16) & 63, (insn >> 10) & 63, sf ? 64 : 32);
    } else if (opc == 0x25) {  // move wide
      switch ((insn >> 29) & 3) {
        case 0:  // movn
          v = ~(imm16 << (16 * hw));
          break;
        case 2:  // movz
          v = imm16 << (16 * hw);
          break;
        case 3:  // movk
          v = (v & ~(uint64_t{0xFFFF} << (16 * hw))) | (imm16 << (16 * hw));
          break;
        default:
          ADD_FAILURE() << std::hex << insn;
      }
    } else {
      ADD_FAILURE() << "unexpected " << std::hex << insn;
    }
    if (!sf) v &= 0xFFFFFFFFull;
  }
  return v;
}

TEST(A64Core, MovImmBuildsEveryConstantShortest) {
  std::mt19937_64 rng(7);
  std::vector<uint64_t> values = {0,
                                  1,
                                  0xFFFF,
                                  0x10000,
                                  0xFFFFFFFF,
                                  0x80000000,
                                  0xFFFFFFFFFFFFFFFFull,
                                  0xFFFFFFFF00000000ull,
                                  0x00FF00FF00FF00FFull,
                                  0x5555555555555555ull,
                                  0x8000000000000000ull,
                                  0x7FFFFFFFFFFFFFFFull,
                                  0xFFFFFFFFFFFF1234ull,
                                  0x0000123400005678ull};
  for (int i = 0; i < 300; ++i) {
    uint64_t r = rng();
    values.push_back(r);
    values.push_back(r & 0xFFFF0000FFFF0000ull);
    values.push_back(r | 0xFFFFFFFF0000FFFFull);
  }
  for (uint64_t v : values) {
    for (bool is64 : {true, false}) {
      Masm m(CpuFeatures{});
      m.LoadConst(is64 ? JType::kI64 : JType::kI32, reg::x3, v);
      std::vector<uint32_t> w = Words(m);
      uint64_t want = is64 ? v : (v & 0xFFFFFFFFull);
      EXPECT_EQ(Simulate(w, 3), want) << std::hex << v << " is64 " << is64;
      // At most the number of halfwords that differ from 0 (or from 0xFFFF).
      unsigned n = is64 ? 4 : 2, zeros = 0, ones = 0;
      for (unsigned h = 0; h < n; ++h) {
        zeros += ((want >> (16 * h)) & 0xFFFF) == 0;
        ones += ((want >> (16 * h)) & 0xFFFF) == 0xFFFF;
      }
      EXPECT_LE(w.size(), std::max(1u, n - std::max(zeros, ones))) << std::hex << v;
    }
  }
}

TEST(A64Core, LogicalImmediatesRoundTrip) {
  // Every encodable 64-bit pattern (N:immr:imms over all valid fields) encodes back to itself.
  int count = 0;
  for (uint32_t n = 0; n < 2; ++n) {
    for (uint32_t imms = 0; imms < 64; ++imms) {
      uint32_t combined = (n << 6) | (~imms & 0x3F);
      if (combined == 0) continue;
      int len = 31 - __builtin_clz(combined);
      if (len < 1) continue;
      unsigned esize = 1u << len;
      if ((imms & (esize - 1)) == esize - 1) continue;  // all ones: reserved
      for (uint32_t immr = 0; immr < esize; ++immr) {
        uint64_t v = DecodeLogical(n, immr, imms, 64);
        uint32_t enc;
        ASSERT_TRUE(EncodeLogicalImm(v, 64, &enc)) << std::hex << v;
        EXPECT_EQ(DecodeLogical(enc >> 12, (enc >> 6) & 63, enc & 63, 64), v);
        ++count;
      }
    }
  }
  EXPECT_EQ(count, 5334);
  uint32_t enc;
  EXPECT_FALSE(EncodeLogicalImm(0, 64, &enc));
  EXPECT_FALSE(EncodeLogicalImm(~uint64_t{0}, 64, &enc));
  EXPECT_FALSE(EncodeLogicalImm(0xFFFFFFFF, 32, &enc));
  EXPECT_FALSE(EncodeLogicalImm(0x12345678, 32, &enc));
  ASSERT_TRUE(EncodeLogicalImm(0xFF00FF00, 32, &enc));
  EXPECT_EQ(enc >> 12, 0u);  // N = 0 for 32-bit forms
}

TEST(A64Core, FloatConstants) {
  Masm m(CpuFeatures{});
  m.LoadConst(JType::kF64, Reg::Fp(1), 0x3FF0000000000000ull);  // 1.0: fmov d1, #1.0
  m.LoadConst(JType::kF32, Reg::Fp(2), 0xC0000000u);            // -2.0f: fmov s2, #-2.0
  m.LoadConst(JType::kF32, Reg::Fp(2), 0);                      // movi v2.2d, #0
  m.LoadConst(JType::kF64, Reg::Fp(4), 0x3FB999999999999Aull);  // 0.1: through x16
  m.LoadConst(JType::kF32, Reg::Fp(5), 0x41F80000u);            // 31.0f: fmov s5, #31.0
  m.LoadConst(JType::kF64, Reg::Fp(6), 0x4040000000000000ull);  // 32.0: not an fmov imm
  std::vector<uint32_t> w = Words(m);
  ASSERT_GE(w.size(), 6u);
  EXPECT_EQ(w[0], 0x1E6E1001u);
  EXPECT_EQ(w[1], 0x1E301002u);
  EXPECT_EQ(w[2], 0x6F00E402u);
  EXPECT_EQ(w.back(), 0x9E670206u);                                     // fmov d6, x16
  EXPECT_EQ(w[w.size() - 2] & 0xFF80001Fu, 0xD2800010u & 0xFF80001Fu);  // movz x16
  bool has31 = false;
  for (uint32_t x : w) has31 |= x == 0x1E27F005u;  // fmov s5, #31.0
  EXPECT_TRUE(has31);
}

TEST(A64Core, MemoryOperandForms) {
  Masm m(CpuFeatures{});
  m.Load(JType::kI64, reg::x0, Mem{Masm::kFp, -8});        // ldur x0, [x29, #-8]
  m.Load(JType::kI32, reg::x1, Mem{Masm::kFp, 16});        // ldr w1, [x29, #16]
  m.Load(JType::kI64, reg::x2, Mem{Masm::kSp, 32760});     // ldr x2, [sp, #32760]
  m.Load(JType::kI64, reg::x2, Mem{Masm::kFp, -20000});    // mov x17; ldr x2, [x29, x17]
  m.Store(JType::kV128, Mem{Masm::kSp, 32}, Reg::Fp(3));   // str q3, [sp, #32]
  m.Store(JType::kF64, Mem{Masm::kVmctx, 8}, Reg::Fp(0));  // str d0, [x28, #8]
  m.StoreConst(JType::kI32, Mem{Masm::kFp, -12}, 0);       // stur wzr, [x29, #-12]
  std::vector<uint32_t> w = Words(m);
  std::vector<uint32_t> want = {0xF85F83A0u, 0xB94013A1u, 0xF97FFFE2u, 0x9289C3F1u,
                                0xF8716BA2u, 0x3D800BE3u, 0xFD000780u, 0xB81F43BFu};
  EXPECT_EQ(w, want);
}

TEST(A64Core, FrameAndPatchedSize) {
  Masm m(CpuFeatures{});
  Label trap = m.NewLabel();
  uint32_t h = m.EnterFrame(trap);
  m.LeaveFrameAndReturn();
  m.EmitTrapStub(trap, runtime::TrapCode::kStackExhausted);
  m.PatchFrameSize(h, static_cast<uint32_t>(abi::kMaxFrameBytes));  // 64 MiB = 0x4000000
  std::vector<uint32_t> w = Words(m);
  ASSERT_GE(w.size(), 13u);
  EXPECT_EQ(w[0], 0xA9BF7BFDu);  // stp x29, x30, [sp, #-16]!
  EXPECT_EQ(w[1], 0x910003FDu);  // mov x29, sp
  EXPECT_EQ(h, 8u);
  EXPECT_EQ(w[2], 0xD2800010u);                 // movz x16, #0
  EXPECT_EQ(w[3], 0xF2A08010u);                 // movk x16, #0x400, lsl #16
  EXPECT_EQ(w[4], 0xCB3063F0u);                 // sub x16, sp, x16
  EXPECT_EQ(w[5], 0xF9400791u);                 // ldr x17, [x28, #8]
  EXPECT_EQ(w[6], 0xEB11021Fu);                 // cmp x16, x17
  EXPECT_EQ(w[7] & 0xFF00001Fu, 0x54000003u);   // b.lo
  EXPECT_EQ(7 + ((w[7] >> 5) & 0x7FFFF), 13u);  // ... to the stub after the epilogue
  EXPECT_EQ(w[8], 0x9100021Fu);                 // mov sp, x16
  EXPECT_EQ(w[9], 0xF81F83BCu);                 // stur x28, [x29, #-8]
  EXPECT_EQ(w[10], 0x910003BFu);                // mov sp, x29
  EXPECT_EQ(w[11], 0xA8C17BFDu);                // ldp x29, x30, [sp], #16
  EXPECT_EQ(w[12], 0xD65F03C0u);                // ret
}

TEST(A64Core, TrapStubCallsRaiseTrapThroughTheTable) {
  Masm m(CpuFeatures{});
  EXPECT_EQ(m.BuiltinTableLabelId(), UINT32_MAX);
  m.Ud2();
  Label l = m.NewLabel();
  uint32_t at = m.EmitTrapStub(l, runtime::TrapCode::kIntegerOverflow);
  EXPECT_EQ(at, 4u);
  std::vector<uint32_t> w = Words(m);
  ASSERT_EQ(w.size(), 8u);
  EXPECT_EQ(w[0], 0u);  // udf #0
  EXPECT_EQ(w[1], 0x52800000u | (static_cast<uint32_t>(runtime::TrapCode::kIntegerOverflow) << 5));
  EXPECT_EQ(w[2], 0x10FFFFE1u);  // adr x1, . - 4 (the stub)
  EXPECT_EQ(w[3], 0xAA1D03E2u);  // mov x2, x29
  EXPECT_EQ(w[4], 0x90000010u);  // adrp x16, table
  EXPECT_EQ(w[5], 0xF9400210u);  // ldr x16, [x16, #lo12]
  EXPECT_EQ(w[6], 0xD63F0200u);  // blr x16
  EXPECT_EQ(w[7], 0u);
  std::vector<Masm::ExternalLink> links;
  ASSERT_TRUE(m.ExternalLinks(&links).ok());
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].label, m.BuiltinTableLabelId());
  EXPECT_EQ(links[0].at, 16u);
  EXPECT_EQ(links[0].kind, Masm::kAdrpLdr);
  EXPECT_EQ(links[0].rel, 8 * static_cast<int32_t>(runtime::BuiltinId::kRaiseTrap));
  EXPECT_TRUE(m.PositionIndependent());
}

TEST(A64Core, DirectCallsBoundAndExternalWithVeneer) {
  Masm m(CpuFeatures{});
  Label self = m.NewLabel(), ext = m.NewLabel(), fwd = m.NewLabel();
  m.Bind(self);
  m.CallLabel(self);  // 0: bl . (bound before)
  m.CallLabel(fwd);   // 4: bound later
  m.CallLabel(ext);   // 8: never bound -> veneer
  m.CallLabel(ext);   // 12: the same veneer
  m.Bind(fwd);
  m.RawRet();  // 16
  std::vector<uint32_t> w = Words(m);
  ASSERT_EQ(w.size(), 9u);
  EXPECT_EQ(w[0], 0x94000000u);
  EXPECT_EQ(w[1], 0x94000003u);  // bl +12
  EXPECT_EQ(w[2], 0x94000000u);  // external: patched by PatchExternalLink
  EXPECT_EQ(w[5], 0x90000010u);  // the island at 20: adrp x16; add x16, x16; br x16; udf
  EXPECT_EQ(w[6], 0x91000210u);
  EXPECT_EQ(w[7], 0xD61F0200u);
  EXPECT_EQ(w[8], 0u);
  std::vector<Masm::ExternalLink> links;
  ASSERT_TRUE(m.ExternalLinks(&links).ok());
  ASSERT_EQ(links.size(), 3u);
  EXPECT_EQ(links[0].at, 8u);
  EXPECT_EQ(links[0].rel, 12);
  EXPECT_EQ(links[0].kind, Masm::kBl26);
  EXPECT_EQ(links[1].at, 12u);
  EXPECT_EQ(links[1].rel, 8);
  EXPECT_EQ(links[2].at, 20u);
  EXPECT_EQ(links[2].kind, Masm::kAdrpAdd);
  EXPECT_EQ(links[2].label, ext.id);
  EXPECT_TRUE(m.PositionIndependent());
}

uint32_t Field(const uint8_t* p) {
  uint32_t w;
  std::memcpy(&w, p, 4);
  return w;
}

TEST(A64Core, PatchBl26InReachOutOfReachAndVeneer) {
  uint8_t code[4];
  const uint64_t at = 0x40000000;
  auto bl = [&](int32_t rel, uint64_t target) {
    uint32_t w = 0x94000000u;
    std::memcpy(code, &w, 4);
    return Masm::PatchExternalLink(Masm::kBl26, rel, code, at, target);
  };
  ASSERT_TRUE(bl(0, at + 0x100));
  EXPECT_EQ(Field(code), 0x94000040u);
  ASSERT_TRUE(bl(0, at - 4));
  EXPECT_EQ(Field(code), 0x97FFFFFFu);
  ASSERT_TRUE(bl(0, at + (128u << 20) - 4));  // the last word in reach
  EXPECT_EQ(Field(code), 0x95FFFFFFu);
  ASSERT_TRUE(bl(0, at - (128u << 20)));
  EXPECT_EQ(Field(code), 0x96000000u);
  EXPECT_FALSE(bl(0, at + (128u << 20)));  // out of reach, no veneer
  EXPECT_FALSE(bl(0, at + 2));             // misaligned
  ASSERT_TRUE(bl(64, at + (1ull << 30)));  // out of reach: to the veneer at +64
  EXPECT_EQ(Field(code), 0x94000010u);
}

TEST(A64Core, PatchAdrpAddAndAdrpLdr) {
  uint8_t code[8];
  auto patch = [&](uint8_t kind, int32_t rel, uint64_t at, uint64_t target) {
    uint32_t w[2] = {0x90000010u, kind == Masm::kAdrpAdd ? 0x91000210u : 0xF9400210u};
    std::memcpy(code, w, 8);
    return Masm::PatchExternalLink(kind, rel, code, at, target);
  };
  auto page_delta = [&]() {
    uint32_t w = Field(code);
    int64_t imm = static_cast<int64_t>((((w >> 5) & 0x7FFFF) << 2) | ((w >> 29) & 3));
    if (imm & (int64_t{1} << 20)) imm -= int64_t{1} << 21;
    EXPECT_EQ(w & 0x9F00001Fu, 0x90000010u);  // still adrp x16
    return imm * 4096;
  };
  auto lo12 = [&]() { return (Field(code + 4) >> 10) & 0xFFF; };
  for (uint64_t at : {0x7F0000001234ull, 0x7F0000000FFCull}) {
    for (int64_t d :
         {int64_t{0}, int64_t{0x10}, int64_t{-0x5000}, int64_t{0x12345678}, int64_t{-0x7FFFFFF0},
          (int64_t{4} << 30) - 4096 - static_cast<int64_t>(at % 4096)}) {
      uint64_t target = at + static_cast<uint64_t>(d);
      target &= ~uint64_t{7};
      ASSERT_TRUE(patch(Masm::kAdrpAdd, 24, at, target)) << d;
      uint64_t addr = target + 24;
      EXPECT_EQ((at & ~uint64_t{0xFFF}) + static_cast<uint64_t>(page_delta()) + lo12(), addr);
      EXPECT_EQ(Field(code + 4) & ~(0xFFFu << 10), 0x91000210u);  // add x16, x16
      ASSERT_TRUE(patch(Masm::kAdrpLdr, 8 * 3, at, target)) << d;
      EXPECT_EQ((at & ~uint64_t{0xFFF}) + static_cast<uint64_t>(page_delta()) + 8 * lo12(), addr);
    }
  }
  const uint64_t at = 0x7F0000000000ull;
  EXPECT_FALSE(patch(Masm::kAdrpAdd, 0, at, at + (4ull << 30)));  // +4 GiB: out of reach
  EXPECT_FALSE(patch(Masm::kAdrpAdd, 0, at, at - (4ull << 30) - 4096));
  EXPECT_TRUE(patch(Masm::kAdrpAdd, 0, at, at - (4ull << 30)));
  EXPECT_FALSE(patch(Masm::kAdrpLdr, 4, at, at + 0x1000));  // misaligned word
  EXPECT_FALSE(patch(99, 0, at, at));
}

TEST(A64Core, JumpTableOfLabelDeltas) {
  Masm m(CpuFeatures{});
  Label a = m.NewLabel(), b = m.NewLabel(), dflt = m.NewLabel();
  Label labels[] = {a, b, dflt};
  m.Bind(a);
  m.JumpTable(reg::x4, labels);  // 0: cmp; 4: b.hs; 8: adr; 12: ldrsw; 16: add; 20: br; 24: table
  m.Bind(b);
  m.Bind(dflt);
  m.RawRet();
  std::vector<uint32_t> w = Words(m);
  ASSERT_EQ(w.size(), 9u);
  EXPECT_EQ(w[0], 0x7100089Fu);  // cmp w4, #2
  EXPECT_EQ(w[1], 0x540000E2u);  // b.hs +28 (the default, after the table)
  EXPECT_EQ(w[2], 0x10000090u);  // adr x16, table
  EXPECT_EQ(w[3], 0xB8A45A11u);  // ldrsw x17, [x16, w4, uxtw #2]
  EXPECT_EQ(w[4], 0x8B110210u);  // add x16, x16, x17
  EXPECT_EQ(w[5], 0xD61F0200u);  // br x16
  EXPECT_EQ(static_cast<int32_t>(w[6]), -24);
  EXPECT_EQ(static_cast<int32_t>(w[7]), 8);
  EXPECT_TRUE(m.PositionIndependent());
}

TEST(A64Core, BranchesCompareAndSelect) {
  Masm m(CpuFeatures{});
  Label l = m.NewLabel();
  m.Bind(l);
  m.BranchIfZero(JType::kI32, reg::x3, l);                    // cbz w3
  m.BranchIfNonZero(JType::kI64, reg::x3, l);                 // cbnz x3
  m.BranchCmp(JType::kI64, Cond::kLtU, reg::x1, reg::x2, l);  // cmp x1, x2; b.lo
  m.BranchCmpImm(JType::kI32, Cond::kGtS, reg::x1, -7, l);    // cmn w1, #7; b.gt
  m.BranchCmpImm(JType::kI32, Cond::kEq, reg::x1, 0, l);      // cbz w1
  m.Select(JType::kI64, reg::x0, reg::x5, reg::x6, reg::x7);  // cmp w5, #0; csel x0, x6, x7, ne
  m.SelectCmp(JType::kI32, Cond::kLeU, reg::x1, Reg::None(), 9, JType::kI32, reg::x2, reg::x3);
  std::vector<uint32_t> w = Words(m);
  std::vector<uint32_t> want = {0x34000003u, 0xB5FFFFE3u, 0xEB02003Fu, 0x54FFFFA3u,
                                0x31001C3Fu, 0x54FFFF6Cu, 0x34FFFF41u, 0x710000BFu,
                                0x9A8710C0u, 0x7100243Fu, 0x1A839042u};
  EXPECT_EQ(w, want);
}

TEST(A64Core, OutOfReachBranchIsAnError) {
  // cbz reaches +-1 MiB: a forward branch over more than that with no label bound on the way
  // (no island can be placed) must fail the compile cleanly.
  Masm m(CpuFeatures{});
  Label far = m.NewLabel();
  m.BranchIfZero(JType::kI32, reg::x0, far);
  for (int i = 0; i < (1 << 18) + 8; ++i) m.Ud2();
  m.Bind(far);
  m.RawRet();
  EXPECT_FALSE(m.error().empty());
  EXPECT_FALSE(m.Finish().ok());
}

// Follows b / b.cond / cbz / cbnz from word i to its target word.
size_t Target(const std::vector<uint32_t>& w, size_t i) {
  uint32_t insn = w[i];
  if ((insn & 0xFC000000u) == 0x14000000u) {
    int32_t imm = static_cast<int32_t>(insn << 6) >> 6;
    return i + imm;
  }
  int32_t imm = static_cast<int32_t>((insn >> 5) << 13) >> 13;
  return i + imm;
}

TEST(A64Core, FarForwardBranchesGoThroughVeneers) {
  // A cbz and a b.cond 3 MiB before their labels, with labels bound along the way (as the
  // compiler does at every block end): islands redirect them through `b` veneers.
  Masm m(CpuFeatures{});
  Label far = m.NewLabel(), trap = m.NewLabel();
  m.BranchIfZero(JType::kI32, reg::x0, far);
  m.BranchCmp(JType::kI64, Cond::kLtS, reg::x1, reg::x2, trap);
  for (int k = 0; k < 48; ++k) {
    for (int i = 0; i < 16384; ++i) m.Ud2();  // 64 KiB
    m.Bind(m.NewLabel());
  }
  m.Bind(far);
  m.RawRet();
  m.EmitTrapStub(trap, runtime::TrapCode::kUnreachable);
  ASSERT_TRUE(m.error().empty()) << m.error();
  std::vector<uint32_t> w = Words(m);
  ASSERT_FALSE(w.empty());
  size_t far_at = m.LabelOffset(far) / 4, trap_at = m.LabelOffset(trap) / 4;
  EXPECT_EQ(w[0] & 0xFF00001Fu, 0x34000000u);  // cbz w0 (to a veneer)
  size_t v = Target(w, 0);
  EXPECT_EQ(w[v] & 0xFC000000u, 0x14000000u);  // b
  EXPECT_EQ(Target(w, v), far_at);
  EXPECT_EQ(w[2] & 0xFF00001Fu, 0x5400000Bu);  // b.lt
  v = Target(w, 2);
  EXPECT_EQ(Target(w, v), trap_at);
  // The islands are jumped over: every island starts with a `b` to the word after it.
  EXPECT_EQ(w[far_at], 0xD65F03C0u);
}

TEST(A64Core, FarForwardBranchesOverStraightArithmetic) {
  // The same with only integer, float and memory operations in between (no label bound, no
  // move): every Masm entry point between wasm instructions may place an island, so a long
  // straight-line body (e.g. 400k `i32.add` with a constant) still assembles.
  Masm m(CpuFeatures{});
  Label trap = m.NewLabel();
  m.BranchIfZero(JType::kI32, reg::x0, trap);
  for (int i = 0; i < 300000; ++i) {
    switch (i % 4) {
      case 0:
        m.IntBinopImm(wasm::Op::I32Add, reg::x1, reg::x1, 1);
        break;
      case 1:
        m.IntBinop(wasm::Op::I64Xor, reg::x2, reg::x2, reg::x3);
        break;
      case 2:
        m.FloatBinop(wasm::Op::F64Add, Reg::Fp(1), Reg::Fp(1), Reg::Fp(2));
        break;
      default:
        m.LoadMem(wasm::Op::I32Load, reg::x4, reg::x5, 8);
        break;
    }
  }
  m.RawRet();
  m.EmitTrapStub(trap, runtime::TrapCode::kUnreachable);
  ASSERT_TRUE(m.error().empty()) << m.error();
  std::vector<uint32_t> w = Words(m);
  ASSERT_FALSE(w.empty());
  size_t v = Target(w, 0);
  EXPECT_EQ(w[v] & 0xFC000000u, 0x14000000u);  // cbz -> a `b` veneer
  EXPECT_EQ(Target(w, v), m.LabelOffset(trap) / 4);
}

TEST(A64Core, FarBackwardBranchInvertsOverB) {
  Masm m(CpuFeatures{});
  Label loop = m.NewLabel();
  m.Bind(loop);
  for (int i = 0; i < (1 << 18) + 4; ++i) m.Ud2();  // just over 1 MiB
  m.BranchCmpImm(JType::kI32, Cond::kNe, reg::x3, 5, loop);
  m.BranchIfNonZero(JType::kI64, reg::x4, loop);
  std::vector<uint32_t> w = Words(m);
  size_t n = (1 << 18) + 4;
  ASSERT_EQ(w.size(), n + 5);
  EXPECT_EQ(w[n], 0x7100147Fu);                     // cmp w3, #5
  EXPECT_EQ(w[n + 1], 0x54000040u);                 // b.eq +8
  EXPECT_EQ(Target(w, n + 2), 0u);                  // b loop
  EXPECT_EQ(w[n + 3], 0xB5000044u & ~0x01000000u);  // cbz x4, +8
  EXPECT_EQ(Target(w, n + 4), 0u);
}

TEST(A64Core, FuelAndEpoch) {
  Masm m(CpuFeatures{});
  Label out = m.NewLabel();
  uint32_t h = m.ChargeFuel(out);
  m.PatchFuelCost(h, 0x12345);
  m.CheckEpoch(Reg::None(), out);
  m.Bind(out);
  std::vector<uint32_t> w = Words(m);
  std::vector<uint32_t> want = {0xF9402390u, 0xF9400A11u, 0xD28468AFu, 0xF2A0002Fu, 0xAB0F0231u,
                                0xF9000A11u, 0x540000ECu, 0xF9402390u, 0xF9401211u, 0xF9400231u,
                                0xF9400E10u, 0xEB10023Fu, 0x54000022u};
  EXPECT_EQ(w, want);
}

TEST(A64Core, ZeroFillStraightAndLoop) {
  Masm m(CpuFeatures{});
  m.ZeroFill(Mem{Masm::kFp, -40}, 3);  // stp xzr, xzr, [x29, #-40]; str xzr, [x29, #-24]
  m.ZeroFill(Mem{Masm::kFp, -1000}, 5);
  std::vector<uint32_t> w = Words(m);
  std::vector<uint32_t> want = {0xA93DFFBFu, 0xF81E83BFu,
                                0xD10FA3B0u,   // sub x16, x29, #1000
                                0xF800861Fu,   // str xzr, [x16], #8
                                0xD2800051u,   // mov x17, #2
                                0xA8817E1Fu,   // stp xzr, xzr, [x16], #16
                                0xF1000631u,   // subs x17, x17, #1
                                0x54FFFFC1u};  // b.ne
  EXPECT_EQ(w, want);
}

#if defined(__aarch64__)
// Execution on aarch64 (the a64 build under qemu): the core's frame, jump tables, selects and
// interrupt checks through whole modules.
using runtime::TrapCode;
using runtime::Value;
using runtime::testing::Guest;
using runtime::testing::LoadWith;

TEST(A64CoreRun, BigFramesAreZeroedAndStackExhaustionTraps) {
  // 20000 i64 locals: a 160 KiB frame (movz+movk size, the ZeroFill loop).
  std::string wat = "(module (func (export \"big\") (param i32) (result i64) (local";
  for (int i = 0; i < 20000; ++i) wat += " i64";
  wat +=
      ") (local.set 19999 (i64.extend_i32_u (local.get 0)))"
      " (i64.add (i64.add (local.get 1) (local.get 10000)) (local.get 19999)))"
      " (func $rec (export \"rec\") (param i32) (result i32)"
      "  (i32.add (call $rec (i32.add (local.get 0) (i32.const 1))) (i32.const 1))))";
  Guest g(LoadWith(wat, false, false));
  ASSERT_NE(g.inst, nullptr);
  std::vector<Value> results;
  EXPECT_FALSE(g.Call("big", {Value::I32(42)}, &results).has_value());
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].i64(), 42u);
  EXPECT_EQ(g.Call("rec", {Value::I32(0)}), TrapCode::kStackExhausted);
  // The store is usable after the trap (sp and the frame chain restored).
  EXPECT_FALSE(g.Call("big", {Value::I32(7)}, &results).has_value());
}

TEST(A64CoreRun, JumpTablesAndSelects) {
  // br_table over 5000 targets (the bound does not fit cmp's imm12) and every select kind.
  std::string wat = "(module (func (export \"sw\") (param i32) (result i32) (block $d";
  for (int i = 0; i < 5000; ++i) wat += " (block";
  wat += " (br_table";
  for (int i = 0; i < 5000; ++i) {
    wat += ' ';
    wat += std::to_string(i);
  }
  wat += " $d (local.get 0))";
  for (int i = 0; i < 5000; ++i) {
    wat += ") (return (i32.const ";
    wat += std::to_string(i * 3);
    wat += "))";
  }
  wat +=
      ") (i32.const -1))"
      " (func (export \"sel64\") (param i32 i64 i64) (result i64)"
      "  (select (local.get 1) (local.get 2) (local.get 0)))"
      " (func (export \"self\") (param i32 f64 f64) (result f64)"
      "  (select (local.get 1) (local.get 2) (local.get 0))))";
  Guest g(LoadWith(wat, false, false));
  ASSERT_NE(g.inst, nullptr);
  EXPECT_EQ(g.CallI32("sw", {Value::I32(0)}), 0u);
  EXPECT_EQ(g.CallI32("sw", {Value::I32(4095)}), 3u * 4095);
  EXPECT_EQ(g.CallI32("sw", {Value::I32(4999)}), 3u * 4999);
  EXPECT_EQ(g.CallI32("sw", {Value::I32(5000)}), 0xFFFFFFFFu);
  EXPECT_EQ(g.CallI32("sw", {Value::I32(0x80000000u)}), 0xFFFFFFFFu);
  std::vector<Value> r;
  EXPECT_FALSE(g.Call("sel64", {Value::I32(1), Value::I64(5), Value::I64(~0ull)}, &r));
  EXPECT_EQ(r.at(0).i64(), 5u);
  EXPECT_FALSE(g.Call("sel64", {Value::I32(0x100), Value::I64(5), Value::I64(~0ull)}, &r));
  EXPECT_EQ(r.at(0).i64(), 5u);
  EXPECT_FALSE(g.Call("sel64", {Value::I32(0), Value::I64(5), Value::I64(~0ull)}, &r));
  EXPECT_EQ(r.at(0).i64(), ~0ull);
  EXPECT_FALSE(g.Call("self", {Value::I32(0), Value::F64(1.5), Value::F64(-2.25)}, &r));
  EXPECT_EQ(r.at(0).f64(), -2.25);
}

TEST(A64CoreRun, EpochCheckComparesCounterWithDeadline) {
  // No timer thread (RegisterDeadline): the deadline is set directly. The counter only moves
  // with registered deadlines, so it is below UINT64_MAX - 1 and >= 0.
  Guest g(LoadWith(R"((module (func (export "spin") (param i32) (result i32) (local i32)
      (loop $l (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br_if $l (i32.ne (local.get 1) (local.get 0))))
      (local.get 1))))",
                   false, true));
  ASSERT_NE(g.inst, nullptr);
  g.store.data().store_ctx.epoch_deadline = UINT64_MAX - 1;
  EXPECT_EQ(g.CallI32("spin", {Value::I32(1000)}), 1000u);
  g.store.data().store_ctx.epoch_deadline = 0;
  EXPECT_EQ(g.Call("spin", {Value::I32(1000)}), TrapCode::kInterrupt);
}
#endif  // __aarch64__

}  // namespace
}  // namespace wt::jit::a64
