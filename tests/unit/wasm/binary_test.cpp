#include "wasm/binary.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wt::wasm {
namespace {

using Bytes = std::vector<uint8_t>;

template <typename T>
std::string ErrorOf(const Result<T>& r) {
  return r.ok() ? std::string("ok") : r.error().message;
}

TEST(BinaryReader, U8AndEnd) {
  Bytes b = {0x12};
  BinaryReader r(b, 40);
  EXPECT_EQ(r.offset(), 40u);
  auto v = r.U8();
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 0x12);
  EXPECT_TRUE(r.AtEnd());
  auto e = r.U8();
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().kind, ErrorKind::kMalformed);
  EXPECT_EQ(e.error().message, "unexpected end");
  EXPECT_EQ(e.error().offset, 41u);
  r.set_end_message("unexpected end of section or function");
  EXPECT_EQ(ErrorOf(r.U32()), "unexpected end of section or function");
}

uint64_t ReadU32(Bytes b, std::string* err = nullptr) {
  BinaryReader r(b);
  auto v = r.U32();
  if (!v.ok()) {
    if (err) *err = v.error().message;
    return ~uint64_t{0};
  }
  EXPECT_TRUE(r.AtEnd());
  return *v;
}

TEST(BinaryReader, U32) {
  EXPECT_EQ(ReadU32({0x00}), 0u);
  EXPECT_EQ(ReadU32({0x7F}), 127u);
  EXPECT_EQ(ReadU32({0x80, 0x01}), 128u);
  EXPECT_EQ(ReadU32({0x80, 0x80, 0x80, 0x80, 0x00}), 0u);  // overlong but 5 bytes: fine
  EXPECT_EQ(ReadU32({0xFF, 0xFF, 0xFF, 0xFF, 0x0F}), 0xFFFFFFFFu);
  std::string err;
  ReadU32({0xFF, 0xFF, 0xFF, 0xFF, 0x1F}, &err);
  EXPECT_EQ(err, "integer too large");
  ReadU32({0x80, 0x80, 0x80, 0x80, 0x70}, &err);
  EXPECT_EQ(err, "integer too large");
  ReadU32({0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, &err);
  EXPECT_EQ(err, "integer representation too long");
  ReadU32({0x80, 0x80}, &err);
  EXPECT_EQ(err, "unexpected end");
  ReadU32({}, &err);
  EXPECT_EQ(err, "unexpected end");
}

TEST(BinaryReader, U32ErrorOffsets) {
  Bytes b = {0x80, 0x80, 0x80, 0x80, 0x10};
  BinaryReader r(b, 100);
  auto v = r.U32();
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().offset, 104u);  // the offending byte
}

TEST(BinaryReader, U64) {
  Bytes max = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01};
  BinaryReader r(max);
  auto v = r.U64();
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, ~uint64_t{0});
  Bytes big = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02};
  BinaryReader r2(big);
  EXPECT_EQ(ErrorOf(r2.U64()), "integer too large");
  Bytes longer = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  BinaryReader r3(longer);
  EXPECT_EQ(ErrorOf(r3.U64()), "integer representation too long");
}

TEST(BinaryReader, S32) {
  auto s32 = [](Bytes b) {
    BinaryReader r(b);
    auto v = r.S32();
    return v.ok() ? std::to_string(*v) : v.error().message;
  };
  EXPECT_EQ(s32({0x7F}), "-1");
  EXPECT_EQ(s32({0x3F}), "63");
  EXPECT_EQ(s32({0x40}), "-64");
  EXPECT_EQ(s32({0xC0, 0x00}), "64");
  EXPECT_EQ(s32({0xFF, 0xFF, 0xFF, 0xFF, 0x07}), "2147483647");
  EXPECT_EQ(s32({0x80, 0x80, 0x80, 0x80, 0x78}), "-2147483648");
  EXPECT_EQ(s32({0xFF, 0xFF, 0xFF, 0xFF, 0x7F}), "-1");  // overlong -1
  EXPECT_EQ(s32({0x80, 0x80, 0x80, 0x80, 0x08}), "integer too large");
  EXPECT_EQ(s32({0xFF, 0xFF, 0xFF, 0xFF, 0x77}), "integer too large");
  EXPECT_EQ(s32({0x80, 0x80, 0x80, 0x80, 0x80, 0x00}), "integer representation too long");
  EXPECT_EQ(s32({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}), "integer representation too long");
  EXPECT_EQ(s32({0xFF}), "unexpected end");
}

TEST(BinaryReader, S33) {
  auto s33 = [](Bytes b) {
    BinaryReader r(b);
    auto v = r.S33();
    return v.ok() ? std::to_string(*v) : v.error().message;
  };
  EXPECT_EQ(s33({0x40}), "-64");
  EXPECT_EQ(s33({0xFF, 0xFF, 0xFF, 0xFF, 0x0F}), "4294967295");
  EXPECT_EQ(s33({0x80, 0x80, 0x80, 0x80, 0x70}), "-4294967296");
  EXPECT_EQ(s33({0x80, 0x80, 0x80, 0x80, 0x10}), "integer too large");
  EXPECT_EQ(s33({0x80, 0x80, 0x80, 0x80, 0x80, 0x00}), "integer representation too long");
}

TEST(BinaryReader, S64) {
  auto s64 = [](Bytes b) {
    BinaryReader r(b);
    auto v = r.S64();
    return v.ok() ? std::to_string(*v) : v.error().message;
  };
  EXPECT_EQ(s64({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00}),
            "9223372036854775807");
  EXPECT_EQ(s64({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F}),
            "-9223372036854775808");
  EXPECT_EQ(s64({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}), "integer too large");
  EXPECT_EQ(s64({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7E}), "integer too large");
  EXPECT_EQ(s64({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}),
            "integer representation too long");
}

TEST(BinaryReader, FixedWidth) {
  Bytes b = {0x00, 0x00, 0x80, 0x3F, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  BinaryReader r(b);
  auto f = r.F32Bits();
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*f, 0x3F800000u);
  auto d = r.F64Bits();
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, 0x0807060504030201ull);
  uint8_t v[16];
  EXPECT_EQ(ErrorOf(r.Bytes(v, 16)), "unexpected end");
  EXPECT_EQ(r.remaining(), 1u);  // a failed read consumes nothing
  EXPECT_EQ(ErrorOf(r.F32Bits()), "unexpected end");
  EXPECT_EQ(ErrorOf(r.Skip(2)), "unexpected end");
  EXPECT_TRUE(r.Skip(1).ok());
}

TEST(BinaryReader, LengthAndName) {
  Bytes b = {0x03, 'a', 'b', 'c', 0x05, 'x'};
  BinaryReader r(b);
  auto n = r.Name();
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, "abc");
  // 5 > the 2 bytes left counting its own encoding: out of bounds.
  auto bad = r.Name();
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "length out of bounds");
  EXPECT_EQ(bad.error().offset, 4u);
  // A length that only covers its own encoding fails at the end instead (as the spec
  // interpreter does).
  Bytes c = {0x02, 'x'};
  BinaryReader r2(c);
  EXPECT_EQ(ErrorOf(r2.Name()), "unexpected end");
  Bytes huge = {0xFF, 0xFF, 0xFF, 0xFF, 0x0F};
  BinaryReader r3(huge);
  EXPECT_EQ(ErrorOf(r3.Length()), "length out of bounds");
}

TEST(BinaryReader, ReserveHintAndCount) {
  Bytes b(10, 0);
  b[0] = 0xFF;
  b[1] = 0xFF;
  b[2] = 0xFF;
  b[3] = 0xFF;
  b[4] = 0x0F;
  BinaryReader r(b);
  EXPECT_EQ(r.ReserveHint(0xFFFFFFFFu), 10u);
  EXPECT_EQ(r.ReserveHint(3), 3u);
  EXPECT_EQ(r.ReserveHint(100, 4), 2u);
  Bytes big(1 << 20, 0);
  BinaryReader rb(big);
  EXPECT_EQ(rb.ReserveHint(0xFFFFFFFFu), BinaryReader::kMaxReserve);
  EXPECT_EQ(ErrorOf(r.Count()), "unexpected end");
}

std::string Utf8(std::initializer_list<int> bytes) {
  Bytes b;
  for (int x : bytes) b.push_back(static_cast<uint8_t>(x));
  return IsValidUtf8(b) ? "valid" : "invalid";
}

TEST(Utf8, Valid) {
  EXPECT_EQ(Utf8({}), "valid");
  EXPECT_EQ(Utf8({'a', 0x00, 0x7F}), "valid");
  EXPECT_EQ(Utf8({0xC2, 0x80}), "valid");              // U+0080
  EXPECT_EQ(Utf8({0xDF, 0xBF}), "valid");              // U+07FF
  EXPECT_EQ(Utf8({0xE0, 0xA0, 0x80}), "valid");        // U+0800
  EXPECT_EQ(Utf8({0xED, 0x9F, 0xBF}), "valid");        // U+D7FF
  EXPECT_EQ(Utf8({0xEE, 0x80, 0x80}), "valid");        // U+E000
  EXPECT_EQ(Utf8({0xEF, 0xBF, 0xBF}), "valid");        // U+FFFF
  EXPECT_EQ(Utf8({0xF0, 0x90, 0x80, 0x80}), "valid");  // U+10000
  EXPECT_EQ(Utf8({0xF4, 0x8F, 0xBF, 0xBF}), "valid");  // U+10FFFF
}

TEST(Utf8, Invalid) {
  EXPECT_EQ(Utf8({0x80}), "invalid");                    // lone continuation
  EXPECT_EQ(Utf8({0xC0, 0x80}), "invalid");              // overlong NUL
  EXPECT_EQ(Utf8({0xC1, 0xBF}), "invalid");              // overlong
  EXPECT_EQ(Utf8({0xC2}), "invalid");                    // truncated
  EXPECT_EQ(Utf8({0xC2, 0x7F}), "invalid");              // bad continuation
  EXPECT_EQ(Utf8({0xC2, 0xC0}), "invalid");              // bad continuation
  EXPECT_EQ(Utf8({0xE0, 0x9F, 0xBF}), "invalid");        // overlong 3-byte
  EXPECT_EQ(Utf8({0xED, 0xA0, 0x80}), "invalid");        // surrogate U+D800
  EXPECT_EQ(Utf8({0xED, 0xBF, 0xBF}), "invalid");        // surrogate U+DFFF
  EXPECT_EQ(Utf8({0xE1, 0x80}), "invalid");              // truncated
  EXPECT_EQ(Utf8({0xE1, 0x80, 0xC0}), "invalid");        // bad third byte
  EXPECT_EQ(Utf8({0xF0, 0x8F, 0xBF, 0xBF}), "invalid");  // overlong 4-byte
  EXPECT_EQ(Utf8({0xF4, 0x90, 0x80, 0x80}), "invalid");  // > U+10FFFF
  EXPECT_EQ(Utf8({0xF5, 0x80, 0x80, 0x80}), "invalid");
  EXPECT_EQ(Utf8({0xF8, 0x88, 0x80, 0x80, 0x80}), "invalid");  // 5-byte form
  EXPECT_EQ(Utf8({0xFF}), "invalid");
  EXPECT_EQ(Utf8({0xF0, 0x90, 0x80}), "invalid");  // truncated 4-byte
}

TEST(Utf8, NameRejectsMalformed) {
  Bytes b = {0x02, 0xC0, 0x80};
  BinaryReader r(b, 7);
  auto n = r.Name();
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().message, "malformed UTF-8 encoding");
  EXPECT_EQ(n.error().offset, 8u);
}

}  // namespace
}  // namespace wt::wasm
