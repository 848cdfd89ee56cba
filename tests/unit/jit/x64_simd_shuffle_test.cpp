// SIMD shuffle family (masm_x64_simd_shuffle.cpp): i8x16.shuffle over every pattern class of
// the matcher (and random patterns), i8x16.swizzle; every ISA level and aliasing layout.
#include <gtest/gtest.h>

#include <array>
#include <random>
#include <string>
#include <vector>

#include "simd_test_util.h"

namespace wt::jit::testing {
namespace {

using wasm::Op;
using Lanes = std::array<uint8_t, 16>;

V128 ShuffleRef(const V128& a, const V128& b, const Lanes& l) {
  V128 out;
  for (int i = 0; i < 16; ++i) {
    // Lanes >= 32 (not wasm: the Masm's zero lanes) give 0.
    uint8_t x = l[i] < 16   ? Lane<uint8_t>(a, l[i])
                : l[i] < 32 ? Lane<uint8_t>(b, l[i] - 16)
                            : uint8_t{0};
    SetLane<uint8_t>(out, i, x);
  }
  return out;
}

std::string Name(const std::string& cls, const Lanes& l) {
  std::string s = "i8x16.shuffle ";
  s.append(cls).append(" [");
  for (int i = 0; i < 16; ++i) {
    if (i) s.push_back(' ');
    s.append(std::to_string(l[i]));
  }
  s.push_back(']');
  return s;
}

// Fewer random vectors than CheckVOp's default: many patterns, and a byte permutation is
// exercised fully by any vector with distinct bytes.
void CheckShuffle(const std::string& cls, const Lanes& l) {
  CheckVOp(
      Name(cls, l), 2, Shape::kI8,
      [&](x64::Masm& m, const VRegs& r) { m.SimdShuffle(r.dst, r.a, r.b, l.data(), r.t); },
      [&](const V128* in) { return ShuffleRef(in[0], in[1], l); });
}

// The code size of the shuffle alone (+ ret), or -1 when it does not assemble. A pool
// constant adds at least 16 bytes behind the code.
int ShuffleSize(const CpuFeatures& cpu, const Lanes& l, Reg dst, Reg a, Reg b) {
  x64::Masm m(cpu);
  m.SimdShuffle(dst, a, b, l.data(), VTemps{});
  m.RawRet();
  auto size = m.Finish();
  return size.ok() ? static_cast<int>(*size) : -1;
}

Lanes Seq(int start) {
  Lanes l;
  for (int i = 0; i < 16; ++i) l[i] = static_cast<uint8_t>(start + i);
  return l;
}

Lanes FromGroups(int n, const std::vector<int>& groups) {
  Lanes l;
  for (int k = 0; k < 16 / n; ++k) {
    for (int j = 0; j < n; ++j) l[k * n + j] = static_cast<uint8_t>(groups[k] * n + j);
  }
  return l;
}

Lanes Swap(Lanes l) {
  for (uint8_t& x : l) x ^= 16;
  return l;
}

Lanes Mod16(Lanes l) {
  for (uint8_t& x : l) x &= 15;
  return l;
}

// The named pattern classes, each with a few instances (both operand orders).
std::vector<std::pair<std::string, Lanes>> NamedPatterns() {
  std::vector<std::pair<std::string, Lanes>> out;
  std::mt19937 rng(99);
  auto add = [&](const std::string& cls, const Lanes& l) { out.emplace_back(cls, l); };
  add("identity a", Seq(0));
  add("identity b", Seq(16));
  for (int k = 0; k < 8; ++k) {
    std::vector<int> d(4);
    for (int& x : d) x = static_cast<int>(rng() % 4);
    add("pshufd", FromGroups(4, d));
    add("pshufd b", Swap(FromGroups(4, d)));
  }
  add("pshufd broadcast", FromGroups(4, {2, 2, 2, 2}));
  add("pshufd qword swap", FromGroups(8, {1, 0}));
  for (int k = 0; k < 6; ++k) {
    std::vector<int> lo(8), hi(8), both(8);
    for (int i = 0; i < 4; ++i) {
      lo[i] = static_cast<int>(rng() % 4), lo[i + 4] = i + 4;
      hi[i] = i, hi[i + 4] = 4 + static_cast<int>(rng() % 4);
      both[i] = static_cast<int>(rng() % 4), both[i + 4] = 4 + static_cast<int>(rng() % 4);
    }
    add("pshuflw", FromGroups(2, lo));
    add("pshufhw", FromGroups(2, hi));
    add("pshuflw+pshufhw", FromGroups(2, both));
    add("pshuflw+pshufhw b", Swap(FromGroups(2, both)));
  }
  for (int n = 1; n < 16; ++n) {
    Lanes rot;
    for (int i = 0; i < 16; ++i) rot[i] = static_cast<uint8_t>((i + n) & 15);
    add("rotate", rot);
    add("rotate b", Swap(rot));
    add("palignr", Seq(n));
    add("palignr swapped", Swap(Seq(n)));
  }
  for (int s = 0; s < 4; ++s) {
    int n = 1 << s, groups = 16 / n;
    for (int high = 0; high < 2; ++high) {
      std::vector<int> g(groups);
      for (int k = 0; k < groups; ++k) g[k] = high * groups / 2 + k / 2 + (k % 2 ? groups : 0);
      Lanes l = FromGroups(n, g);
      std::string cls = std::string("punpck") + (high ? "h" : "l") + std::to_string(8 * n);
      add(cls, l);
      add(cls + " swapped", Swap(l));
      add(cls + " self", Mod16(l));
      add(cls + " self b", Swap(Mod16(l)));
    }
  }
  add("movsd", FromGroups(8, {2, 1}));
  add("movsd swapped", FromGroups(8, {0, 3}));
  add("movhlps", FromGroups(8, {3, 1}));
  add("movhlps swapped", FromGroups(8, {1, 3}));
  add("movlhps", FromGroups(8, {0, 2}));
  add("movlhps swapped", FromGroups(8, {2, 0}));
  for (int k = 0; k < 10; ++k) {
    std::vector<int> d = {static_cast<int>(rng() % 4), static_cast<int>(rng() % 4),
                          4 + static_cast<int>(rng() % 4), 4 + static_cast<int>(rng() % 4)};
    add("shufps", FromGroups(4, d));
    add("shufps swapped", Swap(FromGroups(4, d)));
  }
  for (uint32_t mask : {0x01u, 0x0Fu, 0xF0u, 0x55u, 0xAAu, 0x80u, 0x7Eu, 0x3Cu}) {
    std::vector<int> w(8);
    for (int k = 0; k < 8; ++k) w[k] = (mask >> k) & 1 ? k + 8 : k;
    add("pblendw", FromGroups(2, w));
  }
  for (int k = 0; k < 12; ++k) {
    std::vector<int> w(8);
    uint32_t mask = rng() & 0xFF;
    for (int i = 0; i < 8; ++i) w[i] = (mask >> i) & 1 ? i + 8 : i;
    add("pblendw", FromGroups(2, w));
  }
  for (int k = 0; k < 12; ++k) {
    std::vector<int> d(4);
    for (int& x : d) x = static_cast<int>(rng() % 8);
    add("pshufd+pshufd+pblendw", FromGroups(4, d));
  }
  // Zero lanes (>= 32; 0x80 and 0xFF too): pmovzx, movq, byte shifts, from a or b.
  const uint8_t z = 0x80;
  for (auto [from, to] : {std::pair{1, 2}, std::pair{1, 4}, std::pair{1, 8}, std::pair{2, 4},
                          std::pair{2, 8}, std::pair{4, 8}}) {
    Lanes l;
    for (int i = 0; i < 16; ++i) {
      int k = i / to, j = i % to;
      l[i] = j < from ? static_cast<uint8_t>(k * from + j) : z;
    }
    std::string cls = "pmovzx " + std::to_string(from) + "->" + std::to_string(to);
    add(cls, l);
    Lanes lb = l;
    for (uint8_t& x : lb) x = x == z ? uint8_t{32} : static_cast<uint8_t>(x + 16);
    add(cls + " b", lb);
  }
  {
    Lanes l;
    for (int i = 0; i < 16; ++i) l[i] = i < 8 ? static_cast<uint8_t>(i) : uint8_t{0xFF};
    add("movq", l);
  }
  for (int n = 1; n < 16; ++n) {
    Lanes r, sl;
    for (int i = 0; i < 16; ++i) {
      r[i] = i < 16 - n ? static_cast<uint8_t>(i + n) : z;
      sl[i] = i < n ? uint8_t{40} : static_cast<uint8_t>(i - n + 16);
    }
    add("psrldq", r);
    add("pslldq b", sl);
  }
  for (int k = 0; k < 4; ++k) {
    for (int from = 4; from < 8; ++from) {
      std::vector<int> d = {0, 1, 2, 3};
      d[k] = from;
      add("insertps", FromGroups(4, d));
      add("insertps swapped", Swap(FromGroups(4, d)));
    }
  }
  return out;
}

TEST(X64SimdShuffle, NamedPatterns) {
  for (const auto& [cls, l] : NamedPatterns()) CheckShuffle(cls, l);
}

TEST(X64SimdShuffle, RandomPatterns) {
  std::mt19937 rng(4242);
  for (int k = 0; k < 60; ++k) {
    Lanes l;
    for (uint8_t& x : l) x = static_cast<uint8_t>(rng() % 32);
    CheckShuffle("random", l);
  }
  for (int k = 0; k < 20; ++k) {
    Lanes l;
    for (uint8_t& x : l) x = static_cast<uint8_t>(rng() % 16);
    CheckShuffle("random a", l);
    CheckShuffle("random b", Swap(l));
  }
  // Random patterns with zero lanes (>= 32), from one input and from both, and all zero.
  for (int k = 0; k < 30; ++k) {
    Lanes l;
    int range = k % 3 == 0 ? 16 : 32;
    for (uint8_t& x : l) {
      x = static_cast<uint8_t>(rng() % range);
      if (rng() % 3 == 0) x = static_cast<uint8_t>(32 + rng() % 224);
    }
    CheckShuffle("random with zeros", l);
  }
  CheckShuffle("all zero", Lanes{32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 255});
  // Random patterns of whole words, dwords and qwords (from one input or both).
  for (int n : {2, 4, 8}) {
    for (int k = 0; k < 12; ++k) {
      std::vector<int> g(16 / n);
      int range = k % 3 == 0 ? 16 / n : 32 / n;  // a third from a alone
      for (int& x : g) x = static_cast<int>(rng() % range);
      CheckShuffle("random groups of " + std::to_string(n), FromGroups(n, g));
    }
  }
  // Broadcasts and in-place byte blends (not word-granular: the generic path).
  for (int k = 0; k < 4; ++k) {
    Lanes l;
    l.fill(static_cast<uint8_t>(rng() % 32));
    CheckShuffle("broadcast", l);
    for (int i = 0; i < 16; ++i) l[i] = static_cast<uint8_t>(i + (rng() % 2 ? 16 : 0));
    CheckShuffle("byte blend", l);
  }
}

// Every named class but the unary pshufb fallback needs no pool constant: a few instructions,
// nothing behind them.
TEST(X64SimdShuffle, NamedPatternsNeedNoPool) {
  const Reg x1 = Reg::Fp(1), x2 = Reg::Fp(2), x3 = Reg::Fp(3);
  for (const IsaLevel& level : SimdLevels()) {
    for (const auto& [cls, l] : NamedPatterns()) {
      for (Reg dst : {x1, x2, x3}) {
        int size = ShuffleSize(level.cpu, l, dst, x1, x2);
        EXPECT_GT(size, 0) << Name(cls, l) << " " << level.name;
        EXPECT_LT(size, 24) << Name(cls, l) << " " << level.name << " dst=xmm" << dst.hw();
      }
    }
  }
}

TEST(X64SimdShuffle, Swizzle) {
  // Indices as they come (mostly >= 16: zero lanes), and reduced to 0..31 (half in range).
  for (uint8_t mask : {uint8_t{0xFF}, uint8_t{0x1F}, uint8_t{0x0F}}) {
    std::vector<VRegs> layouts = {
        {"fresh", Reg::Fp(4), Reg::Fp(1), Reg::Fp(2), Reg::Fp(3), {}},
        {"dst=a", Reg::Fp(1), Reg::Fp(1), Reg::Fp(2), Reg::Fp(3), {}},
        {"dst=b", Reg::Fp(2), Reg::Fp(1), Reg::Fp(2), Reg::Fp(3), {}},
        {"high", Reg::Fp(12), Reg::Fp(9), Reg::Fp(10), Reg::Fp(11), {}},
        {"high,dst=b", Reg::Fp(10), Reg::Fp(8), Reg::Fp(10), Reg::Fp(0), {}}};
    // a == b only unmasked (the mask would change a too).
    if (mask == 0xFF)
      layouts.push_back({"a=b", Reg::Fp(4), Reg::Fp(1), Reg::Fp(1), Reg::Fp(3), {}});
    CheckVOp(
        "i8x16.swizzle mask " + std::to_string(mask), 2, Shape::kI8,
        [&](x64::Masm& m, const VRegs& r) {
          // Reduce b's lanes in place first (pand with a splat of the mask).
          if (mask != 0xFF) {
            m.LoadConst(JType::kI32, x64::reg::rcx, mask);
            m.SimdSplat(Op::I8x16Splat, Reg::Fp(14), x64::reg::rcx);
            m.SimdBinop(Op::V128And, r.b, r.b, Reg::Fp(14), r.t);
          }
          m.SimdBinop(Op::I8x16Swizzle, r.dst, r.a, r.b, r.t);
        },
        [&](const V128* in) {
          V128 out;
          for (int i = 0; i < 16; ++i) {
            uint8_t idx = Lane<uint8_t>(in[1], i) & mask;
            SetLane<uint8_t>(out, i, idx < 16 ? Lane<uint8_t>(in[0], idx) : uint8_t{0});
          }
          return out;
        },
        ExactMatch, 0, layouts);
  }
}

TEST(X64SimdShuffle, NoTemps) {
  for (const IsaLevel& level : SimdLevels()) {
    x64::Masm m(level.cpu);
    EXPECT_EQ(m.SimdTemps(Op::I8x16Shuffle), 0) << level.name;
    EXPECT_EQ(m.SimdTemps(Op::I8x16Swizzle), 0) << level.name;
  }
}

}  // namespace
}  // namespace wt::jit::testing
