// The text front end for the custom-page-sizes proposal: `(pagesize N)` on memories (defined,
// imported, with inline data) encodes limits flag bit 3 and the exponent, and the result decodes
// and validates with the default (3.0) features (fuzz finding text-pagesize.wat).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "text/wat.h"
#include "wasm/reader.h"
#include "wasm/validator.h"

namespace wt::text {
namespace {

using wasm::Module;

bool Contains(const std::vector<uint8_t>& bytes, const std::vector<uint8_t>& part) {
  return std::search(bytes.begin(), bytes.end(), part.begin(), part.end()) != bytes.end();
}

// Encodes, decodes and validates: "ok" or the first error.
std::string Check(std::string_view wat, Module* out = nullptr) {
  auto bytes = WatToBinary(wat, "pagesize.wat");
  if (!bytes.ok()) return "text: " + bytes.error().message;
  auto m = wasm::ReadModule(*bytes);
  if (!m.ok()) return "malformed: " + m.error().message;
  Status v = wasm::ValidateModule(*m);
  if (!v.ok()) return "invalid: " + v.error().message;
  if (out) *out = std::move(*m);
  return "ok";
}

TEST(WatPageSize, FuzzFinding) {
  // tests/fuzz/findings/text-pagesize.wat: the decoder refused the encoder's bytes with
  // "malformed limits flags".
  const char* wat = "(module (memory 1 (pagesize 1)))";
  auto bytes = WatToBinary(wat, "t.wat");
  ASSERT_TRUE(bytes.ok());
  // Memory section: one memory, flags 0x08, min 1, exponent 0.
  EXPECT_TRUE(Contains(*bytes, {0x05, 0x04, 0x01, 0x08, 0x01, 0x00}));
  Module m;
  ASSERT_EQ(Check(wat, &m), "ok");
  ASSERT_EQ(m.memories.size(), 1u);
  EXPECT_EQ(m.memories[0].type.page_size_log2, 0u);
  EXPECT_EQ(m.memories[0].type.limits.min, 1u);
}

TEST(WatPageSize, Forms) {
  Module m;
  // 64 KiB given explicitly, with a maximum: flags 0x09, exponent 16.
  auto bytes = WatToBinary("(module (memory 1 2 (pagesize 65536)))", "t.wat");
  ASSERT_TRUE(bytes.ok());
  EXPECT_TRUE(Contains(*bytes, {0x05, 0x05, 0x01, 0x09, 0x01, 0x02, 0x10}));
  ASSERT_EQ(Check("(module (memory 1 2 (pagesize 65536)))", &m), "ok");
  EXPECT_EQ(m.memories[0].type.page_size_log2, 16u);
  EXPECT_EQ(m.memories[0].type.limits.max, 2u);
  // Imported, both forms.
  ASSERT_EQ(Check(R"((module (import "m" "mem" (memory 0 (pagesize 1)))))", &m), "ok");
  ASSERT_EQ(m.memories.size(), 1u);
  EXPECT_EQ(m.memories[0].type.page_size_log2, 0u);
  ASSERT_EQ(Check(R"((module (memory (import "m" "mem") 0 (pagesize 1))))", &m), "ok");
  EXPECT_EQ(m.memories[0].type.page_size_log2, 0u);
  // Inline data: the limits count pages of the given size (3 bytes: 3 pages of 1 byte).
  ASSERT_EQ(Check(R"((module (memory (pagesize 1) (data "xyz"))))", &m), "ok");
  EXPECT_EQ(m.memories[0].type.page_size_log2, 0u);
  EXPECT_EQ(m.memories[0].type.limits.min, 3u);
  EXPECT_EQ(m.memories[0].type.limits.max, 3u);
  ASSERT_EQ(Check(R"((module (memory (pagesize 65536) (data "xyz"))))", &m), "ok");
  EXPECT_EQ(m.memories[0].type.limits.min, 1u);
  // With 64-bit addresses and with shared.
  ASSERT_EQ(Check("(module (memory i64 0xFFFF_FFFF_FFFF_FFFF (pagesize 1)))", &m), "ok");
  EXPECT_EQ(m.memories[0].type.addr, wasm::AddrType::kI64);
  ASSERT_EQ(Check("(module (memory 1 1 shared (pagesize 1)))", &m), "ok");
  EXPECT_TRUE(m.memories[0].type.shared);
  EXPECT_EQ(m.memories[0].type.page_size_log2, 0u);
}

TEST(WatPageSize, Errors) {
  // Not a power of two: a text error (assert_malformed in the proposal's tests).
  EXPECT_EQ(Check("(module (memory 0 (pagesize 3)))"), "text: invalid custom page size");
  EXPECT_EQ(Check("(module (memory 0 (pagesize 0)))"), "text: invalid custom page size");
  EXPECT_EQ(Check("(module (memory (pagesize 0) (data)))"), "text: invalid custom page size");
  // Powers of two other than 1 and 65536 encode and decode, but do not validate.
  EXPECT_EQ(Check("(module (memory 0 (pagesize 2)))"), "invalid: invalid custom page size");
  EXPECT_EQ(Check("(module (memory 0 (pagesize 0x20000)))"), "invalid: invalid custom page size");
  // Limits in pages of the given size (memory_max.wast).
  EXPECT_EQ(Check("(module (memory 0xFFFF_FFFF (pagesize 1)))"), "ok");
  EXPECT_EQ(Check("(module (memory 0x1_0000_0000 (pagesize 1)))").substr(0, 36),
            "invalid: memory size must be at most");
  EXPECT_EQ(Check("(module (memory 65537 (pagesize 65536)))").substr(0, 36),
            "invalid: memory size must be at most");
}

}  // namespace
}  // namespace wt::text
