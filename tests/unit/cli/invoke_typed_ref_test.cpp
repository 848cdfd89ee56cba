// [wasm3] R: --invoke with typed function references (arguments and results).
#include <gtest/gtest.h>

#include "cli/invoke.h"
#include "runtime/gc/object.h"
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

// [wasmgc] GC results print what they hold: i31 references with their value (signed, as
// i31.get_s reads it), structs and arrays by kind, the rest of the any hierarchy (a host
// value through any.convert_extern) and nulls as wasmtime prints them.
TEST(InvokeTypedRefs, GcResultsPrintWhatTheyHold) {
  wasm::Module m;
  wasm::SubType st;
  st.composite.kind = wasm::CompositeKind::kStruct;
  m.types.push_back(st);
  const std::vector<uint32_t> ids = runtime::CanonicalTypeIds(m);
  ASSERT_EQ(ids.size(), 1u);
  runtime::gc::GcHeader object{};
  object.kind = runtime::gc::GcKind::kStruct;
  ValType s = ValType::Ref(HeapType::Index(ids[0]), true);
  EXPECT_EQ(FormatInvokeResult(runtime::Value::Ref(s, &object)), "<structref>");
  EXPECT_EQ(FormatInvokeResult(runtime::Value::Null(s)), "<null anyref>");
  ValType any = ValType::Ref(HeapType::Abstract(HeapKind::kAny), true);
  object.kind = runtime::gc::GcKind::kArray;
  EXPECT_EQ(FormatInvokeResult(runtime::Value::Ref(any, &object)), "<arrayref>");
  object.kind = runtime::gc::GcKind::kExtern;
  EXPECT_EQ(FormatInvokeResult(runtime::Value::Ref(any, &object)), "<anyref>");
  ValType i31 = ValType::Ref(HeapType::Abstract(HeapKind::kI31), false);
  EXPECT_EQ(FormatInvokeResult(runtime::Value::Ref(i31, reinterpret_cast<void*>(uintptr_t{11}))),
            "<i31ref 5>");
  EXPECT_EQ(
      FormatInvokeResult(runtime::Value::Ref(any, reinterpret_cast<void*>(uintptr_t{0xffffffff}))),
      "<i31ref -1>");
  ValType none = ValType::Ref(HeapType::Abstract(HeapKind::kNone), true);
  EXPECT_EQ(FormatInvokeResult(runtime::Value::Null(none)), "<null anyref>");
  auto v = ParseInvokeArg("null", s);
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  EXPECT_TRUE(v->is_null_ref());
}

// [wasmgc] An integer argument for a parameter that takes i31 references is `ref.i31` of it;
// it prints back the same.
TEST(InvokeTypedRefs, IntegersPassAsI31References) {
  for (HeapKind k : {HeapKind::kAny, HeapKind::kEq, HeapKind::kI31}) {
    for (bool nullable : {true, false}) {
      ValType t = ValType::Ref(HeapType::Abstract(k), nullable);
      for (const auto& [text, printed] : std::vector<std::pair<std::string, std::string>>{
               {"5", "<i31ref 5>"},
               {"-1", "<i31ref -1>"},
               {"0x7fffffff", "<i31ref -1>"},
               {"-1073741824", "<i31ref -1073741824>"},
               {"1073741823", "<i31ref 1073741823>"}}) {
        auto v = ParseInvokeArg(text, t);
        ASSERT_TRUE(v.ok()) << text << ": " << v.error().ToString();
        EXPECT_TRUE(runtime::gc::IsI31(v->ref())) << text;
        EXPECT_EQ(FormatInvokeResult(*v), printed) << text;
      }
      for (const char* bad : {"-1073741825", "2147483648", "x", "1.5"}) {
        auto v = ParseInvokeArg(bad, t);
        ASSERT_FALSE(v.ok()) << bad;
        EXPECT_EQ(v.error().kind, ErrorKind::kUsage);
        EXPECT_NE(v.error().message.find("i31 value"), std::string::npos) << v.error().message;
      }
    }
  }
  // Types without i31 in them take no integer.
  for (HeapKind k : {HeapKind::kStruct, HeapKind::kArray, HeapKind::kNone, HeapKind::kExtern}) {
    auto v = ParseInvokeArg("5", ValType::Ref(HeapType::Abstract(k), true));
    ASSERT_FALSE(v.ok());
    EXPECT_NE(v.error().message.find("only `null`"), std::string::npos) << v.error().message;
  }
}

}  // namespace
}  // namespace wt::cli
