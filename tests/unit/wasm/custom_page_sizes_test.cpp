// The custom-page-sizes proposal in the binary reader and the validator: memory limits flag
// bit 3 followed by a u32 page size exponent, enabled by the "custom-page-sizes" feature (part
// of the 3.0 preset); page sizes 1 and 65536 only, limits counted in pages of that size.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "validator_test_util.h"
#include "wasm/reader.h"
#include "wasm/validator.h"

namespace wt::wasm {
namespace {

using Bytes = std::vector<uint8_t>;
using testing::Check;
using testing::Section;
using testing::Uleb;

Bytes Header() {
  return {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
}

// A module whose only section is `id` with `contents`.
Bytes With(uint8_t id, const Bytes& contents) {
  Bytes m = Header();
  Section(&m, id, contents);
  return m;
}

// A memory section of one memory: flags, the limits as given (LEB128 each), and then the page
// size exponent when flags has bit 3.
Bytes Memory(uint8_t flags, std::vector<uint64_t> limits, uint32_t exponent = 0) {
  Bytes s = {0x01, flags};
  for (uint64_t v : limits) Uleb(&s, v);
  if (flags & 0x08) Uleb(&s, exponent);
  return With(5, s);
}

TEST(CustomPageSizes, PresetHasFeature) {
  EXPECT_TRUE(Features::Wasm30().has(Feature::kCustomPageSizes));
  EXPECT_FALSE(Features::Wasm20().has(Feature::kCustomPageSizes));
  Feature f;
  ASSERT_TRUE(ParseFeatureName("custom-page-sizes", &f));
  EXPECT_EQ(f, Feature::kCustomPageSizes);
  EXPECT_STREQ(FeatureName(Feature::kCustomPageSizes), "custom-page-sizes");
}

TEST(CustomPageSizes, Decodes) {
  // (memory 1 (pagesize 1)): before the feature, "malformed limits flags".
  auto m = ReadModule(Memory(0x08, {1}, 0));
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_EQ(m->memories.size(), 1u);
  EXPECT_EQ(m->memories[0].type.page_size_log2, 0u);
  EXPECT_EQ(m->memories[0].type.limits.min, 1u);
  EXPECT_FALSE(m->memories[0].type.limits.max.has_value());
  EXPECT_EQ(Check(Memory(0x08, {1}, 0)), "ok");
  // (memory 1 2 (pagesize 65536)): the default page size, given explicitly.
  auto big = ReadModule(Memory(0x09, {1, 2}, 16));
  ASSERT_TRUE(big.ok()) << big.error().message;
  EXPECT_EQ(big->memories[0].type.page_size_log2, 16u);
  EXPECT_EQ(big->memories[0].type.limits.max, 2u);
  // Without bit 3 the page size stays 64 KiB.
  auto plain = ReadModule(Memory(0x00, {1}));
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(plain->memories[0].type.page_size_log2, 16u);
  // With the other flags: shared (max required), 64-bit addresses.
  EXPECT_EQ(Check(Memory(0x0B, {1, 1}, 0)), "ok");
  EXPECT_EQ(Check(Memory(0x0C, {1}, 0)), "ok");
  // The 2.0 preset with the feature: the flags are a byte there too.
  Features f20 = Features::Wasm20();
  f20.set(Feature::kCustomPageSizes);
  EXPECT_EQ(Check(Memory(0x08, {1}, 0), f20), "ok");
}

TEST(CustomPageSizes, ImportedMemory) {
  // (import "m" "mem" (memory 0 (pagesize 1)))
  Bytes s = {0x01, 0x01, 'm', 0x03, 'm', 'e', 'm', 0x02, 0x08, 0x00, 0x00};
  auto m = ReadModule(With(2, s));
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_EQ(m->memories.size(), 1u);
  EXPECT_EQ(m->memories[0].type.page_size_log2, 0u);
  EXPECT_EQ(Check(With(2, s)), "ok");
  // An invalid page size in an import is invalid too.
  s.back() = 0x02;
  EXPECT_EQ(Check(With(2, s)), "invalid: invalid custom page size");
}

TEST(CustomPageSizes, Malformed) {
  // Without the feature, bit 3 is a malformed flag (as before).
  Features off = Features::Wasm30();
  off.set(Feature::kCustomPageSizes, false);
  EXPECT_EQ(Check(Memory(0x08, {1}, 0), off), "malformed: malformed limits flags");
  // Tables have no page size.
  EXPECT_EQ(Check(With(4, {0x01, 0x70, 0x08, 0x00, 0x00})), "malformed: malformed limits flags");
  // A page size that does not fit in 64 bits (the spec's 2^65), and 2^64.
  EXPECT_EQ(Check(Memory(0x08, {0}, 65)), "malformed: invalid custom page size");
  EXPECT_EQ(Check(Memory(0x08, {0}, 64)), "malformed: invalid custom page size");
  EXPECT_EQ(Check(Memory(0x08, {0}, 0xFFFFFFFF)), "malformed: invalid custom page size");
  // The exponent is missing, or is not a u32.
  EXPECT_NE(Check(With(5, {0x01, 0x08, 0x00})).find("malformed: "), std::string::npos);
  EXPECT_NE(Check(With(5, {0x01, 0x08, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10})).find("malformed: "),
            std::string::npos);
}

TEST(CustomPageSizes, OnlyOneByteAnd64KiB) {
  for (uint32_t e = 1; e < 64; ++e) {
    if (e == 16) continue;
    EXPECT_EQ(Check(Memory(0x08, {0}, e)), "invalid: invalid custom page size") << e;
  }
}

TEST(CustomPageSizes, LimitsInPages) {
  // 32-bit addresses, 1-byte pages: up to 2^32-1 pages (bytes), memory_max.wast.
  EXPECT_EQ(Check(Memory(0x08, {0xFFFFFFFFull}, 0)), "ok");
  EXPECT_EQ(Check(Memory(0x08, {0x100000000ull}, 0)),
            "invalid: memory size must be at most 4294967295 pages");
  EXPECT_EQ(Check(Memory(0x09, {0, 0x100000000ull}, 0)),
            "invalid: memory size must be at most 4294967295 pages");
  // 32-bit addresses, 64 KiB pages: 65536 pages, as without a page size.
  EXPECT_EQ(Check(Memory(0x08, {65536}, 16)), "ok");
  EXPECT_EQ(Check(Memory(0x08, {65537}, 16)),
            "invalid: memory size must be at most 65536 pages (4GiB)");
  // 64-bit addresses: any u64 with 1-byte pages, 2^48 pages of 64 KiB.
  EXPECT_EQ(Check(Memory(0x0C, {UINT64_MAX}, 0)), "ok");
  EXPECT_EQ(Check(Memory(0x0C, {1ull << 48}, 16)), "ok");
  EXPECT_EQ(Check(Memory(0x0C, {(1ull << 48) + 1}, 16)),
            "invalid: memory size must be at most 281474976710656 pages");
  // min <= max still holds.
  EXPECT_EQ(Check(Memory(0x09, {3, 2}, 0)),
            "invalid: size minimum must not be greater than maximum");
}

}  // namespace
}  // namespace wt::wasm
