// [wasm3] R: --invoke with typed function references (arguments and results).
#include <gtest/gtest.h>

#include "cli/invoke.h"
#include "runtime/runtime.h"

namespace wt::cli {
namespace {

using wasm::HeapKind;
using wasm::HeapType;
using wasm::ValType;

TEST(InvokeTypedRefs, NullableTypedRefsTakeNull) {
  ValType t = ValType::Ref(HeapType::Index(0), true);
  auto v = ParseInvokeArg("null", t);
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  EXPECT_TRUE(v->is_null_ref());
  EXPECT_EQ(v->type, t);
  EXPECT_EQ(FormatInvokeResult(*v), "<null funcref>");
  auto bad = ParseInvokeArg("1", t);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("only `null`"), std::string::npos) << bad.error().message;
}

TEST(InvokeTypedRefs, NonNullableRefsAreRefused) {
  for (ValType t : {ValType::Ref(HeapType::Index(0), false),
                    ValType::Ref(HeapType::Abstract(HeapKind::kFunc), false)}) {
    auto v = ParseInvokeArg("null", t);
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.error().kind, ErrorKind::kUsage);
    EXPECT_NE(v.error().message.find("non-null reference"), std::string::npos) << v.error().message;
  }
}

TEST(InvokeTypedRefs, TypedResultsPrintAsFuncref) {
  int dummy = 0;
  ValType t = ValType::Ref(HeapType::Index(3), false);
  EXPECT_EQ(FormatInvokeResult(runtime::Value::Ref(t, &dummy)), "<funcref>");
  ValType nofunc = ValType::Ref(HeapType::Abstract(HeapKind::kNoFunc), true);
  EXPECT_EQ(FormatInvokeResult(runtime::Value::Null(nofunc)), "<null funcref>");
}

}  // namespace
}  // namespace wt::cli
