#include <gtest/gtest.h>

#include "runtime/runtime.h"

namespace wt::runtime {
namespace {

wasm::TableType Tab(uint64_t min, std::optional<uint64_t> max = std::nullopt,
                    wasm::ValType elem = wasm::ValType::FuncRef()) {
  wasm::TableType t;
  t.elem = elem;
  t.limits.min = min;
  t.limits.max = max;
  return t;
}

TEST(TableTest, CreateFillsWithInit) {
  int x = 0;
  auto t = Table::Create(Tab(3), &x);
  ASSERT_TRUE(t.ok());
  Table& table = **t;
  EXPECT_EQ(table.size(), 3u);
  EXPECT_EQ(table.vm()->size, 3u);
  for (uint64_t i = 0; i < 3; ++i) EXPECT_EQ(table.Get(i), std::optional<void*>(&x));
  EXPECT_EQ(table.Get(3), std::nullopt);
}

TEST(TableTest, SetGetBounds) {
  auto t = Table::Create(Tab(2), nullptr);
  ASSERT_TRUE(t.ok());
  Table& table = **t;
  int a = 0;
  EXPECT_TRUE(table.Set(1, &a));
  EXPECT_FALSE(table.Set(2, &a));
  EXPECT_EQ(table.Get(1), std::optional<void*>(&a));
  EXPECT_EQ(table.vm()->elems[1], &a);
}

TEST(TableTest, GrowUpdatesVmDataAndHonoursMax) {
  auto t = Table::Create(Tab(1, 4), nullptr);
  ASSERT_TRUE(t.ok());
  Table& table = **t;
  int a = 0;
  EXPECT_EQ(table.Grow(2, &a), std::optional<uint64_t>(1));
  EXPECT_EQ(table.size(), 3u);
  EXPECT_EQ(table.vm()->size, 3u);
  EXPECT_EQ(table.vm()->elems, table.elems());
  EXPECT_EQ(table.Get(0), std::optional<void*>(nullptr));
  EXPECT_EQ(table.Get(2), std::optional<void*>(&a));
  EXPECT_EQ(table.Grow(2, nullptr), std::nullopt);
  EXPECT_EQ(table.size(), 3u);
  EXPECT_EQ(table.Grow(1, nullptr), std::optional<uint64_t>(3));
  EXPECT_EQ(table.Grow(0, nullptr), std::optional<uint64_t>(4));
  EXPECT_EQ(table.type().limits.min, 4u);
}

TEST(TableTest, GrowWithoutMaxHasAnImplementationLimit) {
  auto t = Table::Create(Tab(0x10), nullptr);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ((*t)->Grow(0xFFFFFFF0u, nullptr), std::nullopt);
  EXPECT_EQ((*t)->Grow(UINT64_MAX, nullptr), std::nullopt);
  EXPECT_EQ((*t)->size(), 0x10u);
}

TEST(GlobalTest, GetSetAndMutability) {
  Global g(wasm::GlobalType{wasm::ValType::I64(), true}, Value::I64(5));
  EXPECT_EQ(g.Get().i64(), 5u);
  EXPECT_TRUE(g.Set(Value::I64(9)).ok());
  EXPECT_EQ(g.cell()->i64, 9u);
  EXPECT_FALSE(g.Set(Value::I32(1)).ok());
  Global c(wasm::GlobalType{wasm::ValType::F32(), false}, Value::F32Bits(0x7fc00001));
  EXPECT_EQ(c.Get().f32_bits(), 0x7fc00001u);
  EXPECT_FALSE(c.Set(Value::F32(1.0f)).ok());
}

TEST(ValueTest, Constructors) {
  EXPECT_EQ(Value::I32(0xFFFFFFFF).i32(), 0xFFFFFFFFu);
  EXPECT_EQ(Value::F64Bits(0x7ff8000000000001).f64_bits(), 0x7ff8000000000001u);
  EXPECT_TRUE(Value::Null(wasm::ValType::ExternRef()).is_null_ref());
  EXPECT_FALSE(Value::I32(0).is_null_ref());
  EXPECT_EQ(Value::Default(wasm::ValType::F32()).f32_bits(), 0u);
  EXPECT_EQ(ValueToString(Value::I32(42)), "i32:42");
}

}  // namespace
}  // namespace wt::runtime
