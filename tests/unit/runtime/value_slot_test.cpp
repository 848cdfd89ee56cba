// [fuzz] `ValueSlot{}` and the default values built on it are zero in all 16 bytes (a fuzz
// finding: with clang, the empty braces zeroed only the union's first member, so a default
// externref held garbage high bits; tests/fuzz/findings/run-default-externref-global.wasm).
#include <gtest/gtest.h>

#include <cstring>
#include <new>

#include "runtime/runtime.h"

namespace wt::runtime {
namespace {

TEST(ValueSlotTest, EmptyBracesZeroAllSixteenBytes) {
  alignas(ValueSlot) unsigned char buf[sizeof(ValueSlot)];
  std::memset(buf, 0xab, sizeof buf);
  auto* slot = ::new (static_cast<void*>(buf)) ValueSlot{};
  unsigned char bytes[sizeof(ValueSlot)];
  std::memcpy(bytes, slot, sizeof bytes);
  for (unsigned char b : bytes) EXPECT_EQ(b, 0);
}

TEST(ValueSlotTest, DefaultReferenceIsNull) {
  alignas(Value) unsigned char buf[sizeof(Value)];
  std::memset(buf, 0xab, sizeof buf);
  auto* v = ::new (static_cast<void*>(buf)) Value(Value::Default(wasm::ValType::ExternRef()));
  EXPECT_EQ(v->ref(), nullptr);
  EXPECT_TRUE(v->is_null_ref());
  EXPECT_EQ(Value::Default(wasm::ValType::I64()).i64(), 0u);
}

}  // namespace
}  // namespace wt::runtime
