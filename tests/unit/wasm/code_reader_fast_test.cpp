// CodeReader::Next decodes the common one-byte opcodes inline (one- and two-byte LEB128
// immediates, memargs, float constants, block types) and everything else out of line: both
// paths must agree with the spec's encoding at their boundaries.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "wasm/code_reader.h"

namespace wt::wasm {
namespace {

// Decodes exactly one instruction from `bytes` (module offset 10) and expects it to use all of
// them.
Instr One(const std::vector<uint8_t>& bytes, Features f = Features::Wasm20()) {
  CodeReader r(bytes, 10, f);
  Instr in;
  Status s = r.Next(&in);
  EXPECT_TRUE(s.ok()) << s.error().message;
  EXPECT_TRUE(r.AtEnd()) << "consumed up to " << r.Offset();
  EXPECT_EQ(in.offset, 10u);
  return in;
}

int64_t I(const Instr& in) {
  return static_cast<int64_t>(in.value);
}

TEST(CodeReaderFast, SignedConstantsAtLengthBoundaries) {
  EXPECT_EQ(I(One({0x41, 0x3F})), 63);
  EXPECT_EQ(I(One({0x41, 0x40})), -64);
  EXPECT_EQ(I(One({0x41, 0xC0, 0x00})), 64);
  EXPECT_EQ(I(One({0x41, 0xFF, 0x3F})), 8191);
  EXPECT_EQ(I(One({0x41, 0x80, 0x40})), -8192);
  EXPECT_EQ(I(One({0x41, 0xFF, 0x7F})), -1);  // overlong but valid
  EXPECT_EQ(I(One({0x41, 0x80, 0x80, 0x01})), 16384);
  EXPECT_EQ(I(One({0x42, 0x80, 0x40})), -8192);
  EXPECT_EQ(I(One({0x42, 0xFF, 0xFF, 0x7F})), -1);
}

TEST(CodeReaderFast, IndicesAndMemargs) {
  EXPECT_EQ(One({0x20, 0x7F}).a, 127u);
  EXPECT_EQ(One({0x20, 0xAC, 0x02}).a, 300u);
  EXPECT_EQ(One({0x10, 0xFF, 0x7F}).a, 16383u);
  EXPECT_EQ(One({0x10, 0x80, 0x80, 0x01}).a, 16384u);
  Instr ld = One({0x28, 0x02, 0x90, 0x03});  // i32.load align=2 offset=400
  EXPECT_EQ(ld.op, Op::I32Load);
  EXPECT_EQ(ld.mem.align_log2, 2u);
  EXPECT_EQ(ld.mem.offset, 400u);
  EXPECT_EQ(ld.mem.memory, 0u);
  EXPECT_EQ(One({0x36, 0x02, 0x80, 0x80, 0x04}).mem.offset, 65536u);
  // Multi-memory: flag bit 6 means a memory index follows (out of line).
  Instr mm = One({0x28, 0x42, 0x01, 0x08}, Features::Wasm30());
  EXPECT_EQ(mm.mem.memory, 1u);
  EXPECT_EQ(mm.mem.align_log2, 2u);
  EXPECT_EQ(mm.mem.offset, 8u);
}

TEST(CodeReaderFast, BlockTypesAndFloats) {
  EXPECT_EQ(One({0x02, 0x40}).block.kind, BlockType::Kind::kEmpty);
  Instr b = One({0x02, 0x7E});
  EXPECT_EQ(b.block.kind, BlockType::Kind::kValue);
  EXPECT_EQ(b.block.value.kind, ValKind::kI64);
  EXPECT_EQ(One({0x02, 0x7C}).block.value.kind, ValKind::kF64);
  Instr t = One({0x02, 0x05});
  EXPECT_EQ(t.block.kind, BlockType::Kind::kIndex);
  EXPECT_EQ(t.block.index, 5u);
  EXPECT_EQ(One({0x43, 0x00, 0x00, 0x80, 0x3F}).value, 0x3F800000u);
  EXPECT_EQ(One({0x44, 1, 2, 3, 4, 5, 6, 7, 8}).value, 0x0807060504030201u);
}

TEST(CodeReaderFast, TruncatedAndGatedOpcodesFailAsMalformed) {
  for (const std::vector<uint8_t>& bytes : std::vector<std::vector<uint8_t>>{{0x41},
                                                                             {0x41, 0x80},
                                                                             {0x20, 0x80},
                                                                             {0x28, 0x02},
                                                                             {0x28, 0x20, 0x00},
                                                                             {0x43, 0, 0, 0},
                                                                             {0x02}}) {
    CodeReader r(bytes, 0, Features::Wasm20());
    Instr in;
    Status s = r.Next(&in);
    ASSERT_FALSE(s.ok()) << bytes.size();
    EXPECT_EQ(s.error().kind, ErrorKind::kMalformed);
  }
  // Sign extension needs its feature.
  Features mvp;
  mvp.set(Feature::kMvp);
  std::vector<uint8_t> ext = {0xC0};
  CodeReader r(ext, 0, mvp);
  Instr in;
  EXPECT_FALSE(r.Next(&in).ok());
  EXPECT_EQ(One({0xC0}).op, Op::I32Extend8S);
}

}  // namespace
}  // namespace wt::wasm
