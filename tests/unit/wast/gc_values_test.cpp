// [wasmgc] The wast runner's GC values: patterns by what a reference holds ((ref.struct),
// (ref.array), (ref.i31), (ref.eq), (ref.any), (ref.host N)), the identity conversions between
// the extern and any hierarchies, and the values' messages.
#include <gtest/gtest.h>

#include "runtime/gc/object.h"
#include "runtime/instance_data.h"
#include "wast/engine.h"
#include "wast/runner.h"
#include "wast/value_match.h"

namespace wt::wast {
namespace {

using text::ExpectedValue;
using wasm::HeapKind;
using wasm::HeapType;
using wasm::ValType;

ExpectedValue Pattern(const std::string& pattern) {
  auto script = text::ParseScript("(assert_return (invoke \"f\") " + pattern + ")", "t.wast");
  EXPECT_TRUE(script.ok()) << (script.ok() ? "" : script.error().ToString());
  if (!script.ok() || script->commands.at(0).expected.size() != 1) return ExpectedValue{};
  return script->commands.at(0).expected[0];
}

bool Matches(const std::string& pattern, const ActualValue& actual) {
  return MatchesValue(Pattern(pattern), actual);
}

ActualValue Ref(HeapKind top, RefClass ref, uint64_t host_or_i31 = 0) {
  ActualValue v;
  v.type = ValType::Ref(HeapType::Abstract(top), true);
  v.top = top;
  v.ref = ref;
  v.host = host_or_i31;
  v.bits = host_or_i31;
  return v;
}

TEST(GcValueMatch, PatternsFollowTheValueNotTheDeclaredType) {
  const ActualValue s = Ref(HeapKind::kAny, RefClass::kStruct);
  const ActualValue a = Ref(HeapKind::kAny, RefClass::kArray);
  const ActualValue i = Ref(HeapKind::kAny, RefClass::kI31, 5);
  const ActualValue h = Ref(HeapKind::kAny, RefClass::kExtern, 3);
  for (const char* p : {"(ref.struct)", "(ref.eq)", "(ref.any)"}) EXPECT_TRUE(Matches(p, s)) << p;
  for (const char* p : {"(ref.array)", "(ref.eq)", "(ref.any)"}) EXPECT_TRUE(Matches(p, a)) << p;
  for (const char* p : {"(ref.i31)", "(ref.eq)", "(ref.any)"}) EXPECT_TRUE(Matches(p, i)) << p;
  EXPECT_FALSE(Matches("(ref.array)", s));
  EXPECT_FALSE(Matches("(ref.i31)", s));
  EXPECT_FALSE(Matches("(ref.struct)", a));
  EXPECT_FALSE(Matches("(ref.struct)", i));
  EXPECT_FALSE(Matches("(ref.extern)", s));  // another hierarchy
  EXPECT_FALSE(Matches("(ref.func)", s));
  // A host value in the any hierarchy: (ref.host N) and (ref.any), not eq.
  EXPECT_TRUE(Matches("(ref.host 3)", h));
  EXPECT_FALSE(Matches("(ref.host 4)", h));
  EXPECT_FALSE(Matches("(ref.extern 3)", h));
  EXPECT_TRUE(Matches("(ref.any)", h));
  EXPECT_FALSE(Matches("(ref.eq)", h));
  // The same host value as an externref: (ref.extern N), not (ref.host N).
  const ActualValue e = Ref(HeapKind::kExtern, RefClass::kExtern, 3);
  EXPECT_TRUE(Matches("(ref.extern 3)", e));
  EXPECT_FALSE(Matches("(ref.host 3)", e));
  // An externref holding an i31 or a struct (extern.convert_any): (ref.extern) only.
  const ActualValue ei = Ref(HeapKind::kExtern, RefClass::kI31, 7);
  EXPECT_TRUE(Matches("(ref.extern)", ei));
  EXPECT_FALSE(Matches("(ref.i31)", ei));
  EXPECT_FALSE(Matches("(ref.extern 7)", ei));
  // Nulls of every hierarchy match every (ref.null ...).
  const ActualValue n = Ref(HeapKind::kNone, RefClass::kNull);
  EXPECT_TRUE(Matches("(ref.null any)", n));
  EXPECT_TRUE(Matches("(ref.null struct)", n));
  EXPECT_TRUE(Matches("(ref.null)", n));
  EXPECT_FALSE(Matches("(ref.any)", n));
  EXPECT_FALSE(Matches("(ref.null any)", s));
  // An exception: (ref.exn).
  EXPECT_TRUE(Matches("(ref.exn)", Ref(HeapKind::kExn, RefClass::kExn)));
}

TEST(GcValueMatch, Formatting) {
  EXPECT_EQ(FormatActual(Ref(HeapKind::kAny, RefClass::kStruct)), "ref.struct");
  EXPECT_EQ(FormatActual(Ref(HeapKind::kAny, RefClass::kArray)), "ref.array");
  ActualValue neg = Ref(HeapKind::kAny, RefClass::kI31);
  neg.bits = static_cast<uint64_t>(int64_t{-5});
  EXPECT_EQ(FormatActual(neg), "ref.i31 -5");
  EXPECT_EQ(FormatActual(Ref(HeapKind::kAny, RefClass::kExtern, 2)), "ref.host 2");
  EXPECT_EQ(FormatActual(Ref(HeapKind::kExtern, RefClass::kExtern, 2)), "ref.extern 2");
  EXPECT_EQ(FormatActual(Ref(HeapKind::kExtern, RefClass::kI31, 7)), "ref.extern (ref.i31 7)");
  EXPECT_EQ(FormatActual(Ref(HeapKind::kExtern, RefClass::kStruct)), "ref.extern (ref.struct)");
}

// Script values to runtime values and back, through the engine.
TEST(GcEngineValues, HostValuesAreOneObjectInBothHierarchies) {
  Engine engine(wasm::Features::Wasm30());
  const ValType anyref = ValType::Ref(HeapType::Abstract(HeapKind::kAny), true);
  const ValType externref = ValType::ExternRef();
  text::Value host;
  host.kind = text::ValueKind::kRef;
  host.ref = text::RefKind::kHost;
  host.bits = 4;
  text::Value ext = host;
  ext.ref = text::RefKind::kExtern;
  auto as_any = engine.ToRuntime(host, anyref);
  auto as_extern = engine.ToRuntime(ext, externref);
  ASSERT_TRUE(as_any.ok());
  ASSERT_TRUE(as_extern.ok());
  EXPECT_EQ(as_any->ref(), as_extern->ref());  // the conversions are the identity
  EXPECT_FALSE(engine.ToRuntime(host, externref).ok());
  EXPECT_FALSE(engine.ToRuntime(ext, anyref).ok());
  EXPECT_FALSE(engine.ToRuntime(host, ValType::FuncRef()).ok());

  ActualValue a = engine.FromRuntime(*as_any);
  EXPECT_EQ(a.ref, RefClass::kExtern);
  EXPECT_EQ(a.host, 4u);
  EXPECT_EQ(a.top, HeapKind::kAny);
  EXPECT_TRUE(Matches("(ref.host 4)", a));
  ActualValue e = engine.FromRuntime(*as_extern);
  EXPECT_TRUE(Matches("(ref.extern 4)", e));

  // i31s: the value sign-extended from 31 bits, in either hierarchy.
  const auto i31 = [](int32_t v) {
    return reinterpret_cast<void*>(static_cast<uintptr_t>((static_cast<uint32_t>(v) << 1) | 1u));
  };
  ActualValue m = engine.FromRuntime(runtime::Value::Ref(anyref, i31(-3)));
  EXPECT_EQ(m.ref, RefClass::kI31);
  EXPECT_EQ(static_cast<int64_t>(m.bits), -3);
  EXPECT_EQ(FormatActual(m), "ref.i31 -3");
  ActualValue big = engine.FromRuntime(runtime::Value::Ref(anyref, i31(0x3fffffff)));
  EXPECT_EQ(static_cast<int64_t>(big.bits), 0x3fffffff);
  ActualValue ex = engine.FromRuntime(runtime::Value::Ref(externref, i31(9)));
  EXPECT_EQ(ex.top, HeapKind::kExtern);
  EXPECT_TRUE(Matches("(ref.extern)", ex));
  EXPECT_FALSE(Matches("(ref.i31)", ex));
  // Nulls by hierarchy.
  text::Value null;
  null.kind = text::ValueKind::kRef;
  null.ref = text::RefKind::kNull;
  null.heap = HeapType::Abstract(HeapKind::kNone);
  EXPECT_TRUE(engine.ToRuntime(null, anyref).ok());
  EXPECT_FALSE(engine.ToRuntime(null, externref).ok());
}

FileResult RunText(std::string source) {
  RunOptions options;
  options.features = wasm::Features::Wasm30();
  options.keep_all_records = false;
  return RunScriptSource(std::move(source), "test.wast", options);
}

// Globals initialized by allocating constant expressions, read by `get` (no function body:
// runs whatever the JIT compiles).
TEST(GcWastRunner, GlobalsOfEveryGcKind) {
  FileResult r = RunText(R"(
(module
  (type $s (struct (field i32)))
  (type $a (array i8))
  (global $s (export "s") (ref $s) (struct.new $s (i32.const 1)))
  (global (export "a") arrayref (array.new_default $a (i32.const 2)))
  (global (export "i") i31ref (ref.i31 (i32.const -5)))
  (global (export "ei") externref (extern.convert_any (ref.i31 (i32.const 7))))
  (global (export "es") externref (extern.convert_any (global.get $s)))
  (global (export "back") anyref (any.convert_extern (extern.convert_any (global.get $s))))
  (global (export "n") nullref (ref.null none))
  (global (export "any") anyref (global.get $s)))
(assert_return (get "s") (ref.struct))
(assert_return (get "s") (ref.eq))
(assert_return (get "s") (ref.any))
(assert_return (get "a") (ref.array))
(assert_return (get "i") (ref.i31))
(assert_return (get "i") (ref.eq))
(assert_return (get "ei") (ref.extern))
(assert_return (get "es") (ref.extern))
(assert_return (get "back") (ref.struct))
(assert_return (get "n") (ref.null any))
(assert_return (get "n") (ref.null))
(assert_return (get "any") (ref.struct))
(assert_return (get "s") (ref.array))
(assert_return (get "i") (ref.struct))
(assert_return (get "ei") (ref.i31))
(assert_return (get "n") (ref.any))
)");
  EXPECT_EQ(r.counts, (Counts{13, 4, 0}));
  ASSERT_EQ(r.records.size(), 4u);
  const std::string first = r.records[0].message + " " + r.records[0].actual;
  const std::string second = r.records[1].message + " " + r.records[1].actual;
  EXPECT_NE(first.find("ref.struct"), std::string::npos) << first;
  EXPECT_NE(second.find("ref.i31 -5"), std::string::npos) << second;
}

}  // namespace
}  // namespace wt::wast
