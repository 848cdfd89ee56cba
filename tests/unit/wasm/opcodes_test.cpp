#include "wasm/opcodes.h"

#include <gtest/gtest.h>

namespace wt::wasm {
namespace {

TEST(Opcodes, DecodeLookupRoundTrips) {
  for (size_t i = 0; i < kNumOps; ++i) {
    const OpInfo& info = GetOpInfo(static_cast<Op>(i));
    auto op = LookupOp(info.prefix, info.code);
    ASSERT_TRUE(op.has_value()) << info.text;
    EXPECT_EQ(static_cast<size_t>(*op), i) << info.text;
  }
}

TEST(Opcodes, TextLookupFindsFirstMnemonic) {
  EXPECT_EQ(LookupOpByText("i32.add"), Op::I32Add);
  EXPECT_EQ(LookupOpByText("select"), Op::Select);
  EXPECT_EQ(LookupOpByText("ref.test"), Op::RefTest);
  EXPECT_EQ(LookupOpByText("i32.addx"), std::nullopt);
}

TEST(Opcodes, Signatures) {
  const OpSig& add = GetOpInfo(Op::I64Add).sig;
  EXPECT_FALSE(add.special);
  EXPECT_EQ(add.num_params, 2);
  EXPECT_EQ(add.num_results, 1);
  EXPECT_EQ(add.params[0], SigKind::kI64);
  const OpSig& store = GetOpInfo(Op::F64Store).sig;
  EXPECT_EQ(store.num_params, 2);
  EXPECT_EQ(store.num_results, 0);
  EXPECT_EQ(store.params[0], SigKind::kAddr);
  EXPECT_EQ(store.params[1], SigKind::kF64);
  EXPECT_TRUE(GetOpInfo(Op::Block).sig.special);
  EXPECT_EQ(NaturalAlignLog2(GetOpInfo(Op::V128Load).imm), 4u);
  EXPECT_EQ(LaneCount(GetOpInfo(Op::I16x8ExtractLaneS).imm), 8u);
}

TEST(Opcodes, UnknownCodes) {
  EXPECT_FALSE(LookupOp(0x00, 0x27).has_value());
  EXPECT_FALSE(LookupOp(0xFD, 154).has_value());
  EXPECT_FALSE(LookupOp(0xFC, 0x1000).has_value());
  EXPECT_FALSE(LookupOp(0xFE, 0x04).has_value());  // between atomic.fence and the loads
  EXPECT_FALSE(LookupOp(0xFE, 0x4F).has_value());  // after the last cmpxchg
  EXPECT_FALSE(LookupOp(0xFF, 0).has_value());
}

}  // namespace
}  // namespace wt::wasm
