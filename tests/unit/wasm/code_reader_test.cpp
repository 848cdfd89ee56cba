#include "wasm/code_reader.h"

#include <gtest/gtest.h>

#include <vector>

namespace wt::wasm {
namespace {

struct Decoded {
  std::vector<Instr> instrs;
  std::optional<Error> error;
};

// Decodes all of `bytes` (module offset 100).
Decoded DecodeAll(std::vector<uint8_t> bytes, Features f = Features::Wasm30()) {
  static std::vector<uint8_t> keep;  // the Instr spans point into the reader, not the bytes
  keep = bytes;
  Decoded d;
  CodeReader r(keep, 100, f);
  while (!r.AtEnd()) {
    Instr in;
    Status s = r.Next(&in);
    if (!s.ok()) {
      d.error = s.error();
      break;
    }
    d.instrs.push_back(in);
  }
  return d;
}

TEST(CodeReader, SimpleInstructionsAndOffsets) {
  auto d = DecodeAll({0x41, 0x7F, 0x42, 0x80, 0x01, 0x6A, 0x0B});
  ASSERT_FALSE(d.error) << d.error->message;
  ASSERT_EQ(d.instrs.size(), 4u);
  EXPECT_EQ(d.instrs[0].op, Op::I32Const);
  EXPECT_EQ(d.instrs[0].offset, 100u);
  EXPECT_EQ(static_cast<int64_t>(d.instrs[0].value), -1);
  EXPECT_EQ(d.instrs[1].op, Op::I64Const);
  EXPECT_EQ(d.instrs[1].value, 128u);
  EXPECT_EQ(d.instrs[1].offset, 102u);
  EXPECT_EQ(d.instrs[2].op, Op::I32Add);
  EXPECT_EQ(d.instrs[3].op, Op::End);
  EXPECT_EQ(d.instrs[3].offset, 106u);
}

TEST(CodeReader, FloatConstants) {
  auto d = DecodeAll({0x43, 0x00, 0x00, 0x80, 0x3F, 0x44, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F});
  ASSERT_FALSE(d.error);
  EXPECT_EQ(d.instrs[0].value, 0x3F800000u);
  EXPECT_EQ(d.instrs[1].value, 0x3FF0000000000000ull);
  auto t = DecodeAll({0x44, 0, 0, 0});
  ASSERT_TRUE(t.error);
  EXPECT_EQ(t.error->message, "unexpected end");
}

TEST(CodeReader, BlockTypes) {
  auto d = DecodeAll({0x02, 0x40, 0x03, 0x7F, 0x04, 0x05, 0x02, 0x63, 0x00, 0x02, 0x70});
  ASSERT_FALSE(d.error) << d.error->message;
  EXPECT_EQ(d.instrs[0].block.kind, BlockType::Kind::kEmpty);
  EXPECT_EQ(d.instrs[1].block.kind, BlockType::Kind::kValue);
  EXPECT_EQ(d.instrs[1].block.value, ValType::I32());
  EXPECT_EQ(d.instrs[2].block.kind, BlockType::Kind::kIndex);
  EXPECT_EQ(d.instrs[2].block.index, 5u);
  EXPECT_EQ(d.instrs[3].block.value, ValType::Ref(HeapType::Index(0), true));
  EXPECT_EQ(d.instrs[4].block.value, ValType::FuncRef());
  // A negative s33 that is no value type.
  auto bad = DecodeAll({0x02, 0x7A});
  ASSERT_TRUE(bad.error);
  EXPECT_EQ(bad.error->kind, ErrorKind::kMalformed);
  // Type indices need multi-value.
  Features mvp;
  mvp.set(Feature::kMvp);
  EXPECT_TRUE(DecodeAll({0x02, 0x00}, mvp).error);
  EXPECT_FALSE(DecodeAll({0x02, 0x00}, Features::Wasm20()).error);
}

TEST(CodeReader, BrTable) {
  auto d = DecodeAll({0x0E, 0x02, 0x00, 0x01, 0x02, 0x0F});
  ASSERT_FALSE(d.error);
  ASSERT_EQ(d.instrs.size(), 2u);
  // The span of the last instruction is still valid only for br_table if it was last: check
  // it directly with a fresh reader.
  std::vector<uint8_t> bytes = {0x0E, 0x02, 0x05, 0x06, 0x07};
  CodeReader r(bytes, 0, Features::Wasm30());
  Instr in;
  ASSERT_TRUE(r.Next(&in).ok());
  ASSERT_EQ(in.targets.size(), 3u);
  EXPECT_EQ(in.targets[0], 5u);
  EXPECT_EQ(in.targets[1], 6u);
  EXPECT_EQ(in.targets[2], 7u);
}

TEST(CodeReader, BrTableHugeCountFailsWithoutAllocating) {
  auto d = DecodeAll({0x0E, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00});
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->kind, ErrorKind::kMalformed);
}

TEST(CodeReader, UnknownAndDisabledOpcodesAreIllegal) {
  auto d = DecodeAll({0xFF});
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->message, "illegal opcode ff");
  EXPECT_EQ(d.error->offset, 100u);
  auto d2 = DecodeAll({0xFC, 0x7F});
  ASSERT_TRUE(d2.error);
  EXPECT_EQ(d2.error->message.rfind("illegal opcode", 0), 0u);
  // return_call is 3.0 (tail calls): illegal under 2.0.
  EXPECT_TRUE(DecodeAll({0x12, 0x00}, Features::Wasm20()).error);
  EXPECT_FALSE(DecodeAll({0x12, 0x00}, Features::Wasm30()).error);
  // SIMD off.
  Features no_simd = Features::Wasm20();
  no_simd.set(Feature::kSimd, false);
  EXPECT_TRUE(DecodeAll({0xFD, 0x0E}, no_simd).error);
  EXPECT_FALSE(DecodeAll({0xFD, 0x0E}, Features::Wasm20()).error);
  // Prefix sub-opcodes are LEB128 u32.
  auto d3 = DecodeAll({0xFC, 0x80, 0x00});  // i32.trunc_sat_f32_s, overlong but in range
  ASSERT_FALSE(d3.error);
  EXPECT_EQ(d3.instrs[0].op, Op::I32TruncSatF32S);
}

TEST(CodeReader, MemArg20) {
  Features f = Features::Wasm20();
  auto d = DecodeAll({0x28, 0x02, 0x10}, f);
  ASSERT_FALSE(d.error);
  EXPECT_EQ(d.instrs[0].mem.align_log2, 2u);
  EXPECT_EQ(d.instrs[0].mem.offset, 16u);
  EXPECT_EQ(d.instrs[0].mem.memory, 0u);
  // Alignment exponent 31 decodes (validation rejects it); 32 and more are malformed.
  EXPECT_FALSE(DecodeAll({0x28, 0x1F, 0x00}, f).error);
  auto bad = DecodeAll({0x28, 0x20, 0x00}, f);
  ASSERT_TRUE(bad.error);
  EXPECT_EQ(bad.error->message, "malformed memop flags");
  // Offsets are u32 in 2.0.
  auto big = DecodeAll({0x28, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10}, f);
  ASSERT_TRUE(big.error);
  EXPECT_EQ(big.error->message, "integer too large");
}

TEST(CodeReader, MemArg30) {
  auto d = DecodeAll({0x28, 0x42, 0x03, 0x80, 0x80, 0x80, 0x80, 0x10});
  ASSERT_FALSE(d.error) << d.error->message;
  EXPECT_EQ(d.instrs[0].mem.align_log2, 2u);
  EXPECT_EQ(d.instrs[0].mem.memory, 3u);
  EXPECT_EQ(d.instrs[0].mem.offset, 1ull << 32);
  auto bad = DecodeAll({0x28, 0x80, 0x01, 0x00});
  ASSERT_TRUE(bad.error);
  EXPECT_EQ(bad.error->message, "malformed memop flags");
  // With multi-memory, exponents up to 63 decode (validation rejects them).
  EXPECT_FALSE(DecodeAll({0x28, 0x3F, 0x00}).error);
  auto lane = DecodeAll({0xFD, 0x54, 0x00, 0x04, 0x0F});
  ASSERT_FALSE(lane.error);
  EXPECT_EQ(lane.instrs[0].op, Op::V128Load8Lane);
  EXPECT_EQ(lane.instrs[0].mem.offset, 4u);
  EXPECT_EQ(lane.instrs[0].lane, 15u);
}

TEST(CodeReader, MemoryIndexImmediates) {
  Features f20 = Features::Wasm20();
  EXPECT_FALSE(DecodeAll({0x3F, 0x00}, f20).error);
  auto z = DecodeAll({0x40, 0x01}, f20);
  ASSERT_TRUE(z.error);
  EXPECT_EQ(z.error->message, "zero byte expected");
  auto z2 = DecodeAll({0x3F, 0x80, 0x00}, f20);
  ASSERT_TRUE(z2.error);
  EXPECT_EQ(z2.error->message, "zero byte expected");
  // memory.copy: two reserved bytes in 2.0, two memory indices in 3.0.
  EXPECT_TRUE(DecodeAll({0xFC, 0x0A, 0x00, 0x01}, f20).error);
  auto mc = DecodeAll({0xFC, 0x0A, 0x02, 0x01});
  ASSERT_FALSE(mc.error);
  EXPECT_EQ(mc.instrs[0].a, 2u);
  EXPECT_EQ(mc.instrs[0].b, 1u);
  auto mi = DecodeAll({0xFC, 0x08, 0x07, 0x00}, f20);
  ASSERT_FALSE(mi.error);
  EXPECT_EQ(mi.instrs[0].a, 7u);
  auto ms = DecodeAll({0x3F, 0x80, 0x00});
  ASSERT_FALSE(ms.error);
  EXPECT_EQ(ms.instrs[0].a, 0u);
}

TEST(CodeReader, CallIndirect) {
  auto d = DecodeAll({0x11, 0x03, 0x02}, Features::Wasm20());
  ASSERT_FALSE(d.error);
  EXPECT_EQ(d.instrs[0].a, 3u);
  EXPECT_EQ(d.instrs[0].b, 2u);
  Features mvp;
  mvp.set(Feature::kMvp);
  auto z = DecodeAll({0x11, 0x00, 0x01}, mvp);
  ASSERT_TRUE(z.error);
  EXPECT_EQ(z.error->message, "zero byte expected");
}

TEST(CodeReader, SelectTAndHeapTypes) {
  auto d = DecodeAll({0x1C, 0x02, 0x7F, 0x6F, 0xD0, 0x70, 0xD0, 0x05});
  ASSERT_FALSE(d.error) << d.error->message;
  EXPECT_EQ(d.instrs[1].heap1, HeapType::Abstract(HeapKind::kFunc));
  EXPECT_EQ(d.instrs[2].heap1, HeapType::Index(5));
  std::vector<uint8_t> bytes = {0x1C, 0x02, 0x7F, 0x6F};
  CodeReader r(bytes, 0, Features::Wasm30());
  Instr in;
  ASSERT_TRUE(r.Next(&in).ok());
  ASSERT_EQ(in.types.size(), 2u);
  EXPECT_EQ(in.types[0], ValType::I32());
  EXPECT_EQ(in.types[1], ValType::ExternRef());
  // Heap type index needs function references.
  EXPECT_TRUE(DecodeAll({0xD0, 0x05}, Features::Wasm20()).error);
  // GC abstract types need GC.
  EXPECT_TRUE(DecodeAll({0xD0, 0x6E}, Features::Wasm20()).error);
  EXPECT_FALSE(DecodeAll({0xD0, 0x6E}).error);
  // v128 in select t needs SIMD.
  Features no_simd = Features::Wasm20();
  no_simd.set(Feature::kSimd, false);
  EXPECT_TRUE(DecodeAll({0x1C, 0x01, 0x7B}, no_simd).error);
}

TEST(CodeReader, GcImmediates) {
  auto d =
      DecodeAll({0xFB, 0x02, 0x03, 0x04, 0xFB, 0x18, 0x03, 0x01, 0x6E, 0x6C, 0xFB, 0x16, 0x6B});
  ASSERT_FALSE(d.error) << d.error->message;
  EXPECT_EQ(d.instrs[0].op, Op::StructGet);
  EXPECT_EQ(d.instrs[0].a, 3u);
  EXPECT_EQ(d.instrs[0].b, 4u);
  EXPECT_EQ(d.instrs[1].op, Op::BrOnCast);
  EXPECT_EQ(d.instrs[1].cast_flags, 3u);
  EXPECT_EQ(d.instrs[1].a, 1u);
  EXPECT_EQ(d.instrs[1].heap1, HeapType::Abstract(HeapKind::kAny));
  EXPECT_EQ(d.instrs[1].heap2, HeapType::Abstract(HeapKind::kI31));
  EXPECT_EQ(d.instrs[2].op, Op::RefCast);
  EXPECT_EQ(d.instrs[2].heap1, HeapType::Abstract(HeapKind::kStruct));
  EXPECT_TRUE(DecodeAll({0xFB, 0x18, 0x04, 0x01, 0x6E, 0x6C}).error);
}

TEST(CodeReader, TryTable) {
  std::vector<uint8_t> bytes = {0x1F, 0x40, 0x03, 0x00, 0x01, 0x02, 0x01, 0x03, 0x04, 0x02, 0x05};
  CodeReader r(bytes, 0, Features::Wasm30());
  Instr in;
  Status s = r.Next(&in);
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(in.catches.size(), 3u);
  EXPECT_EQ(in.catches[0].kind, CatchClause::Kind::kCatch);
  EXPECT_EQ(in.catches[0].tag, 1u);
  EXPECT_EQ(in.catches[0].label, 2u);
  EXPECT_EQ(in.catches[1].kind, CatchClause::Kind::kCatchRef);
  EXPECT_EQ(in.catches[1].tag, 3u);
  EXPECT_EQ(in.catches[1].label, 4u);
  EXPECT_EQ(in.catches[2].kind, CatchClause::Kind::kCatchAll);
  EXPECT_EQ(in.catches[2].label, 5u);
  EXPECT_TRUE(DecodeAll({0x1F, 0x40, 0x01, 0x04, 0x00}).error);
}

TEST(CodeReader, SimdImmediates) {
  std::vector<uint8_t> bytes = {0xFD, 0x0C};
  for (int i = 0; i < 16; ++i) bytes.push_back(static_cast<uint8_t>(i));
  bytes.insert(bytes.end(), {0xFD, 0x15, 0x0F});  // i8x16.extract_lane_s 15
  auto d = DecodeAll(bytes);
  ASSERT_FALSE(d.error) << d.error->message;
  EXPECT_EQ(d.instrs[0].op, Op::V128Const);
  EXPECT_EQ(d.instrs[0].v128[15], 15);
  EXPECT_EQ(d.instrs[1].lane, 15);
}

TEST(CodeReader, TruncatedImmediates) {
  for (auto bytes : std::vector<std::vector<uint8_t>>{{0x41},
                                                      {0x41, 0x80},
                                                      {0x42, 0xFF, 0xFF},
                                                      {0x0C},
                                                      {0x28, 0x00},
                                                      {0xFC},
                                                      {0xFD, 0x0C, 1},
                                                      {0x0E, 0x01, 0x00},
                                                      {0x1C, 0x01},
                                                      {0xFB, 0x02, 0x00},
                                                      {0x02}}) {
    auto d = DecodeAll(bytes);
    ASSERT_TRUE(d.error);
    EXPECT_EQ(d.error->kind, ErrorKind::kMalformed);
    EXPECT_EQ(d.error->message, "unexpected end");
  }
}

TEST(CodeReader, OverlongImmediates) {
  auto d = DecodeAll({0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00});
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->message, "integer representation too long");
  auto d2 = DecodeAll({0x41, 0x80, 0x80, 0x80, 0x80, 0x70});
  ASSERT_TRUE(d2.error);
  EXPECT_EQ(d2.error->message, "integer too large");
  auto ok = DecodeAll({0x41, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F});
  ASSERT_FALSE(ok.error);
  EXPECT_EQ(static_cast<int64_t>(ok.instrs[0].value), -1);
}

TEST(CodeReader, EveryOpcodeWithoutImmediatesDecodesToItself) {
  Features all(~0u);
  size_t checked = 0;
  for (size_t i = 0; i < kNumOps; ++i) {
    const OpInfo& info = GetOpInfo(static_cast<Op>(i));
    if (info.imm != Imm::kNone) continue;
    std::vector<uint8_t> bytes;
    if (info.prefix != 0) {
      bytes.push_back(info.prefix);
      uint32_t c = info.code;
      do {
        uint8_t b = c & 0x7F;
        c >>= 7;
        if (c) b |= 0x80;
        bytes.push_back(b);
      } while (c);
    } else {
      bytes.push_back(static_cast<uint8_t>(info.code));
    }
    CodeReader r(bytes, 0, all);
    Instr in;
    Status s = r.Next(&in);
    ASSERT_TRUE(s.ok()) << info.text << ": " << s.error().message;
    EXPECT_EQ(in.op, static_cast<Op>(i)) << info.text;
    EXPECT_TRUE(r.AtEnd()) << info.text;
    ++checked;
  }
  EXPECT_GT(checked, 350u);
}

TEST(CodeReader, ResetReusesReader) {
  std::vector<uint8_t> a = {0x01}, b = {0x41, 0x05};
  CodeReader r(a, 0, Features::Wasm30());
  Instr in;
  ASSERT_TRUE(r.Next(&in).ok());
  EXPECT_TRUE(r.AtEnd());
  r.Reset(b, 50);
  EXPECT_FALSE(r.AtEnd());
  EXPECT_EQ(r.Offset(), 50u);
  ASSERT_TRUE(r.Next(&in).ok());
  EXPECT_EQ(in.op, Op::I32Const);
  EXPECT_EQ(in.offset, 50u);
  EXPECT_EQ(r.Offset(), 52u);
}

TEST(DecodeTypes, ValRefHeap) {
  std::vector<uint8_t> bytes = {0x7F, 0x64, 0x6E, 0x63, 0x02, 0x6F, 0x7B};
  size_t pos = 0;
  Features f = Features::Wasm30();
  auto a = DecodeValType(bytes, &pos, f);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, ValType::I32());
  auto b = DecodeValType(bytes, &pos, f);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, ValType::Ref(HeapType::Abstract(HeapKind::kAny), false));
  auto c = DecodeRefType(bytes, &pos, f);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*c, ValType::Ref(HeapType::Index(2), true));
  auto h = DecodeHeapType(bytes, &pos, f);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(*h, HeapType::Abstract(HeapKind::kExtern));
  EXPECT_EQ(pos, 6u);
  auto bad = DecodeRefType(bytes, &pos, f);  // v128 is no reference type
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "malformed reference type");
  EXPECT_EQ(pos, 6u);  // unchanged on error
  std::vector<uint8_t> i32 = {0x7F};
  pos = 0;
  auto e = DecodeRefType(i32, &pos, f);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "malformed reference type");
  // (ref ...) needs function references.
  std::vector<uint8_t> ref = {0x64, 0x70};
  pos = 0;
  EXPECT_FALSE(DecodeValType(ref, &pos, Features::Wasm20()).ok());
  pos = 0;
  EXPECT_TRUE(DecodeValType(ref, &pos, f).ok());
  std::vector<uint8_t> bad_vt = {0x60};
  pos = 0;
  auto v = DecodeValType(bad_vt, &pos, f);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().message, "malformed value type");
  pos = 5;
  EXPECT_FALSE(DecodeValType(bad_vt, &pos, f).ok());  // pos past the end
}

}  // namespace
}  // namespace wt::wasm
