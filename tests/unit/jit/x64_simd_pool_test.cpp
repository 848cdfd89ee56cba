// The v128 constant pool and constants (masm_x64_simd_pool.cpp): LoadConstV128 (zero, all
// ones, pool entries), StoreConstV128 (through xmm15), deduplication, the
// pool's alignment and placement after the code, and identical bytes with the direct encoder
// on and off.
#include <gtest/gtest.h>

#include <random>

#include "simd_test_util.h"

namespace wt::jit::testing {
namespace {

std::vector<V128> Constants() {
  std::vector<V128> v = {
      {0, 0},
      {~0ull, ~0ull},
      {1, 0},
      {0, 1},
      {0x7FFFFFFF, 0xFFFFFFFF80000000ull},  // both halves simm32
      {0x80000000, 0},                      // lo not simm32
      {0x0123456789ABCDEFull, 0xFEDCBA9876543210ull},
      {~0ull, 0},
      {0x8000000080000000ull, 0x8000000080000000ull},
  };
  std::mt19937_64 rng(99);
  for (int i = 0; i < 20; ++i) v.push_back(V128{rng(), rng()});
  return v;
}

class SimdPool : public DirectEncodingTest {};

TEST_P(SimdPool, LoadConstV128) {
  for (const IsaLevel& level : SimdLevels()) {
    for (unsigned r : {0u, 3u, 8u, 14u}) {
      std::vector<V128> cs = Constants();
      // Every constant into a register, stored to out[i]; the same constants twice (dedup).
      SimdFn fn(level.cpu, [&](x64::Masm& m) {
        for (int rep = 0; rep < 2; ++rep) {
          for (size_t i = 0; i < cs.size(); ++i) {
            m.LoadConstV128(Reg::Fp(r), cs[i]);
            m.Store(JType::kV128, Mem{x64::reg::rsi, static_cast<int32_t>(16 * i)}, Reg::Fp(r));
          }
        }
      });
      ASSERT_TRUE(fn.ok()) << fn.error();
      std::vector<V128> out(cs.size());
      V128 in[4] = {};
      fn(in, out.data(), 0);
      for (size_t i = 0; i < cs.size(); ++i)
        EXPECT_EQ(Hex(out[i]), Hex(cs[i])) << level.name << " xmm" << r << " #" << i;
    }
  }
}

TEST_P(SimdPool, StoreConstV128) {
  for (const IsaLevel& level : SimdLevels()) {
    std::vector<V128> cs = Constants();
    SimdFn fn(level.cpu, [&](x64::Masm& m) {
      for (size_t i = 0; i < cs.size(); ++i)
        m.StoreConstV128(Mem{x64::reg::rsi, static_cast<int32_t>(16 * i + 8)}, cs[i]);
    });
    ASSERT_TRUE(fn.ok()) << fn.error();
    std::vector<V128> out(cs.size() + 1);
    V128 in[4] = {};
    fn(in, out.data(), 0);
    for (size_t i = 0; i < cs.size(); ++i) {
      V128 got;
      std::memcpy(&got, reinterpret_cast<const uint8_t*>(out.data()) + 16 * i + 8, 16);
      EXPECT_EQ(Hex(got), Hex(cs[i])) << level.name << " #" << i;
    }
  }
}

// The code: f() { LoadConstV128 xmm1, each of `cs`; ret }, then the pool.
std::vector<uint8_t> Assemble(const CpuFeatures& cpu, const std::vector<V128>& cs) {
  x64::Masm m(cpu);
  for (const V128& c : cs) m.LoadConstV128(Reg::Fp(1), c);
  m.RawRet();
  auto size = m.Finish();
  EXPECT_TRUE(size.ok());
  if (!size.ok()) return {};
  std::vector<uint8_t> bytes(*size);
  EXPECT_TRUE(m.CopyTo(bytes.data(), bytes.size(), 0x100000).ok());
  return bytes;
}

TEST_P(SimdPool, DedupAlignmentAndPlacement) {
  CpuFeatures cpu = SimdLevels().at(0).cpu;
  V128 a{1, 2}, b{3, 4};
  // Zero and all ones never reach the pool.
  std::vector<uint8_t> none = Assemble(cpu, {V128{0, 0}, V128{~0ull, ~0ull}});
  std::vector<uint8_t> one = Assemble(cpu, {a, a, a});
  std::vector<uint8_t> two = Assemble(cpu, {a, b, a});
  ASSERT_FALSE(one.empty());
  ASSERT_FALSE(two.empty());
  EXPECT_EQ(none.size(), 4u + 4u + 1u);  // pxor, pcmpeqd, ret: no pool
  // Same code length; the pool is 16 aligned, after the code, one entry per distinct value.
  EXPECT_EQ(two.size(), one.size() + 16);
  EXPECT_EQ(one.size() % 16, 0u);
  V128 last;
  std::memcpy(&last, one.data() + one.size() - 16, 16);
  EXPECT_EQ(Hex(last), Hex(a));
  std::memcpy(&last, two.data() + two.size() - 16, 16);
  EXPECT_EQ(Hex(last), Hex(b));
  std::memcpy(&last, two.data() + two.size() - 32, 16);
  EXPECT_EQ(Hex(last), Hex(a));
}

TEST(SimdPoolEncoders, SameBytesWithAndWithoutTheDirectEncoder) {
  bool saved = x64::Masm::DirectEncoding();
  for (const IsaLevel& level : SimdLevels()) {
    auto build = [&](bool direct) {
      x64::Masm::SetDirectEncoding(direct);
      x64::Masm m(level.cpu);
      // Scalar code around pool references, a forward branch over them, and a label bound
      // after them (the direct encoder binds plain rel32 links itself).
      Label skip = m.NewLabel();
      m.LoadConst(JType::kI32, x64::reg::rax, 5);
      m.BranchIfZero(JType::kI32, x64::reg::rax, skip);
      for (const V128& c : Constants()) {
        m.LoadConstV128(Reg::Fp(2), c);
        m.StoreConstV128(Mem{x64::reg::rsi, 0}, c);
      }
      m.Bind(skip);
      m.RawRet();
      auto size = m.Finish();
      EXPECT_TRUE(size.ok());
      std::vector<uint8_t> bytes(size.ok() ? *size : 0);
      if (size.ok()) {
        EXPECT_TRUE(m.CopyTo(bytes.data(), bytes.size(), 0x200000).ok());
      }
      std::vector<x64::Masm::ExternalLink> links;
      EXPECT_TRUE(m.ExternalLinks(&links).ok());
      EXPECT_TRUE(links.empty()) << "pool references must not be left as external links";
      return bytes;
    };
    std::vector<uint8_t> fast = build(true), ref = build(false);
    EXPECT_EQ(fast, ref) << level.name;
  }
  x64::Masm::SetDirectEncoding(saved);
}

INSTANTIATE_TEST_SUITE_P(Encoders, SimdPool, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& p) {
                           return p.param ? std::string("direct") : std::string("asmjit");
                         });

}  // namespace
}  // namespace wt::jit::testing
