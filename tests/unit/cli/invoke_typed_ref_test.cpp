// [wasm3] R: --invoke with typed function references (arguments and results).
#include <gtest/gtest.h>

#include "cli/invoke.h"
#include "runtime/runtime.h"
#include "runtime/type_registry.h"

namespace wt::cli {
namespace {

using wasm::HeapKind;
using wasm::HeapType;
using wasm::ValType;

// A canonical function type id (runtime values carry canonical types).
uint32_t FuncTypeId() {
  return runtime::InternFuncType(wasm::FuncType{{ValType::I32()}, {}});
}

TEST(InvokeTypedRefs, NullableTypedRefsTakeNull) {
  ValType t = ValType::Ref(HeapType::Index(FuncTypeId()), true);
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
  for (ValType t : {ValType::Ref(HeapType::Index(FuncTypeId()), false),
                    ValType::Ref(HeapType::Abstract(HeapKind::kFunc), false)}) {
    auto v = ParseInvokeArg("null", t);
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.error().kind, ErrorKind::kUsage);
    EXPECT_NE(v.error().message.find("non-null reference"), std::string::npos) << v.error().message;
  }
}

TEST(InvokeTypedRefs, TypedResultsPrintAsFuncref) {
  int dummy = 0;
  ValType t = ValType::Ref(HeapType::Index(FuncTypeId()), false);
  EXPECT_EQ(FormatInvokeResult(runtime::Value::Ref(t, &dummy)), "<funcref>");
  ValType nofunc = ValType::Ref(HeapType::Abstract(HeapKind::kNoFunc), true);
  EXPECT_EQ(FormatInvokeResult(runtime::Value::Null(nofunc)), "<null funcref>");
}

// [wasmgc] Concrete struct and array types and the abstract any-hierarchy types print as
// anyref (as wasmtime prints them), i31s included.
TEST(InvokeTypedRefs, GcResultsPrintAsAnyref) {
  wasm::Module m;
  wasm::SubType st;
  st.composite.kind = wasm::CompositeKind::kStruct;
  m.types.push_back(st);
  const std::vector<uint32_t> ids = runtime::CanonicalTypeIds(m);
  ASSERT_EQ(ids.size(), 1u);
  int dummy = 0;
  ValType s = ValType::Ref(HeapType::Index(ids[0]), true);
  EXPECT_EQ(FormatInvokeResult(runtime::Value::Ref(s, &dummy)), "<anyref>");
  EXPECT_EQ(FormatInvokeResult(runtime::Value::Null(s)), "<null anyref>");
  ValType i31 = ValType::Ref(HeapType::Abstract(HeapKind::kI31), false);
  EXPECT_EQ(FormatInvokeResult(runtime::Value::Ref(i31, reinterpret_cast<void*>(uintptr_t{11}))),
            "<anyref>");
  ValType none = ValType::Ref(HeapType::Abstract(HeapKind::kNone), true);
  EXPECT_EQ(FormatInvokeResult(runtime::Value::Null(none)), "<null anyref>");
  auto v = ParseInvokeArg("null", s);
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  EXPECT_TRUE(v->is_null_ref());
}

}  // namespace
}  // namespace wt::cli
