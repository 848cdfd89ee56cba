// [wasmgc] Constant expressions that allocate (globals, tables, element segments), the pins of
// element segments, and the linker's matching of GC types across modules.
#include <gtest/gtest.h>

#include <cstring>

#include "runtime/gc/heap.h"
#include "runtime/gc/object.h"
#include "runtime/instance_data.h"
#include "runtime/runtime.h"
#include "runtime/type_registry.h"
#include "runtime_test_util.h"

namespace wt::runtime {
namespace {

using testing::Load;

const wasm::Features kWasm3 = wasm::Features::Wasm30();

class GcConstExprTest : public ::testing::Test {
 protected:
  Result<Instance*> Inst(std::string_view wat, Trap* trap = nullptr) {
    auto loaded = Load(wat, kWasm3);
    if (!loaded) return MakeError(ErrorKind::kMalformed, "load failed");
    return linker_.Instantiate(store_, loaded, trap);
  }
  gc::GcHeader* GlobalRef(Instance* inst, const char* name) {
    Global* g = inst->GetGlobal(name);
    EXPECT_NE(g, nullptr) << name;
    return g ? static_cast<gc::GcHeader*>(g->Get().ref()) : nullptr;
  }
  template <typename T>
  static T Field(const gc::GcHeader* obj, uint32_t offset) {
    T v;
    std::memcpy(&v, reinterpret_cast<const uint8_t*>(obj) + offset, sizeof(T));
    return v;
  }
  gc::GcHeap& heap() { return store_.data().Heap(); }

  Store store_;
  Linker linker_;
};

TEST_F(GcConstExprTest, StructsArraysAndI31sInGlobals) {
  auto inst = Inst(R"((module
    (type $s (struct (field i32) (field (mut i64)) (field i8) (field i16) (field anyref)
                     (field f64)))
    (type $a (array (mut i16)))
    (type $r (array anyref))
    (global $s (export "s") (ref $s)
      (struct.new $s (i32.const 7) (i64.const -2) (i32.const 0x1ff) (i32.const -1)
                     (ref.i31 (i32.const 5)) (f64.const 1.5)))
    (global (export "d") (ref $s) (struct.new_default $s))
    (global (export "a") (ref $a) (array.new $a (i32.const 0x12345) (i32.const 3)))
    (global (export "f") (ref $a) (array.new_fixed $a 2 (i32.const 1) (i32.const 2)))
    (global (export "z") (ref $a) (array.new_default $a (i32.const 4)))
    (global (export "r") (ref $r) (array.new_fixed $r 2 (global.get $s) (ref.null any)))
    (global (export "i") i31ref (ref.i31 (i32.const -1)))
    (global (export "e") externref (extern.convert_any (global.get $s)))
    (global (export "b") anyref (any.convert_extern (extern.convert_any (global.get $s))))))");
  ASSERT_TRUE(inst.ok()) << inst.error().ToString();
  const std::vector<uint32_t>& ids = (*inst)->data().loaded->type_ids;

  gc::GcHeader* s = GlobalRef(*inst, "s");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->kind, gc::GcKind::kStruct);
  EXPECT_EQ(s->rtt, gc::RttOf(ids[0]));
  EXPECT_TRUE(heap().IsObject(s));
  const gc::StructLayout layout = gc::LayoutStruct((*inst)->data().module->types[0].composite);
  EXPECT_EQ(Field<uint32_t>(s, layout.offsets[0]), 7u);
  EXPECT_EQ(Field<int64_t>(s, layout.offsets[1]), -2);
  EXPECT_EQ(Field<uint8_t>(s, layout.offsets[2]), 0xffu);  // packed: truncated
  EXPECT_EQ(Field<uint16_t>(s, layout.offsets[3]), 0xffffu);
  EXPECT_EQ(Field<uintptr_t>(s, layout.offsets[4]), (5u << 1) | 1u);
  EXPECT_EQ(Field<double>(s, layout.offsets[5]), 1.5);
  EXPECT_GE(s->count, 1u);  // the global pins it

  gc::GcHeader* d = GlobalRef(*inst, "d");
  ASSERT_NE(d, nullptr);
  EXPECT_NE(d, s);
  for (uint32_t off : layout.offsets) EXPECT_EQ(Field<uint8_t>(d, off), 0u);

  gc::GcHeader* a = GlobalRef(*inst, "a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->kind, gc::GcKind::kArray);
  EXPECT_EQ(Field<uint32_t>(a, gc::kArrayLength), 3u);
  for (uint32_t i = 0; i < 3; ++i) EXPECT_EQ(Field<uint16_t>(a, gc::kArrayElems + 2 * i), 0x2345u);
  gc::GcHeader* f = GlobalRef(*inst, "f");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(Field<uint32_t>(f, gc::kArrayLength), 2u);
  EXPECT_EQ(Field<uint16_t>(f, gc::kArrayElems), 1u);
  EXPECT_EQ(Field<uint16_t>(f, gc::kArrayElems + 2), 2u);
  gc::GcHeader* z = GlobalRef(*inst, "z");
  ASSERT_NE(z, nullptr);
  EXPECT_EQ(Field<uint32_t>(z, gc::kArrayLength), 4u);
  gc::GcHeader* r = GlobalRef(*inst, "r");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(Field<gc::GcHeader*>(r, gc::kArrayElems), s);
  EXPECT_EQ(Field<gc::GcHeader*>(r, gc::kArrayElems + 8), nullptr);

  EXPECT_EQ(reinterpret_cast<uintptr_t>(GlobalRef(*inst, "i")), 0xffffffffu);  // (-1 << 1) | 1
  EXPECT_EQ(GlobalRef(*inst, "e"), s);  // the conversions are the identity
  EXPECT_EQ(GlobalRef(*inst, "b"), s);

  // Everything reachable from globals survives a collection.
  heap().Collect();
  for (const gc::GcHeader* o : {s, d, a, f, z, r}) EXPECT_TRUE(heap().IsObject(o));
  EXPECT_EQ(Field<uint32_t>(s, layout.offsets[0]), 7u);
}

TEST_F(GcConstExprTest, TablesOfGcTypesAreInitializedAndCounted) {
  auto inst = Inst(R"((module
    (type $s (struct (field i32)))
    (table (export "t") 3 (ref null $s) (struct.new $s (i32.const 9)))
    (table (export "u") 2 anyref)
    (table (export "v") 2 i31ref (ref.i31 (i32.const 4)))))");
  ASSERT_TRUE(inst.ok()) << inst.error().ToString();
  Table* t = (*inst)->GetTable("t");
  ASSERT_NE(t, nullptr);
  auto* o = static_cast<gc::GcHeader*>(*t->Get(0));
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(*t->Get(1), o);
  EXPECT_EQ(*t->Get(2), o);
  EXPECT_EQ(o->count, 3u);  // one pin per element
  Table* u = (*inst)->GetTable("u");
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(*u->Get(0), nullptr);  // the default: null
  Table* v = (*inst)->GetTable("v");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(*v->Get(1)), 9u);

  // Set, grow and the collector: an object only a table holds stays; one it no longer holds
  // goes.
  ASSERT_TRUE(t->Set(0, nullptr));
  ASSERT_TRUE(t->Set(1, nullptr));
  EXPECT_EQ(o->count, 1u);
  ASSERT_TRUE(u->Grow(2, o).has_value());
  EXPECT_EQ(o->count, 3u);
  heap().Collect();
  EXPECT_TRUE(heap().IsObject(o));
  ASSERT_TRUE(t->Set(2, nullptr));
  ASSERT_TRUE(u->Set(2, nullptr));
  ASSERT_TRUE(u->Set(3, nullptr));
  EXPECT_EQ(o->count, 0u);
  heap().Collect();
  EXPECT_FALSE(heap().IsObject(o));
}

TEST_F(GcConstExprTest, ElementSegmentsPinTheirItemsUntilDropped) {
  auto inst = Inst(R"((module
    (type $s (struct (field i32)))
    (table $t 4 anyref)
    (elem $p anyref (item (struct.new $s (i32.const 1))) (item (ref.i31 (i32.const 3)))
                    (item (struct.new_default $s)))
    (elem declare anyref (item (struct.new $s (i32.const 2))))
    (elem (table $t) (i32.const 1) anyref (item (struct.new $s (i32.const 3))))
    (func (export "drop") (elem.drop $p))))");
  ASSERT_TRUE(inst.ok()) << inst.error().ToString();
  InstanceData& d = (*inst)->data();
  ASSERT_EQ(d.elems.size(), 3u);
  ASSERT_EQ(d.elems[0].size(), 3u);
  EXPECT_TRUE(d.elems[1].empty());  // declarative: dropped
  EXPECT_TRUE(d.elems[2].empty());  // active: applied, then dropped
  auto* p0 = static_cast<gc::GcHeader*>(d.elems[0][0]);
  auto* p2 = static_cast<gc::GcHeader*>(d.elems[0][2]);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(d.elems[0][1]), 7u);
  EXPECT_EQ(p0->count, 1u);
  Table* t = d.table_objs[0];
  auto* in_table = static_cast<gc::GcHeader*>(*t->Get(1));
  ASSERT_NE(in_table, nullptr);
  EXPECT_EQ(in_table->count, 1u);  // the table's; the segment's pin is gone

  heap().Collect();
  EXPECT_TRUE(heap().IsObject(p0));
  EXPECT_TRUE(heap().IsObject(p2));
  EXPECT_TRUE(heap().IsObject(in_table));

  Func* drop = (*inst)->GetFunc("drop");
  ASSERT_NE(drop, nullptr);
  auto r = Invoke(store_, *drop, {});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->trap.has_value());
  EXPECT_TRUE(d.elems[0].empty());
  EXPECT_EQ(p0->count, 0u);
  heap().Collect();
  EXPECT_FALSE(heap().IsObject(p0));
  EXPECT_FALSE(heap().IsObject(p2));
  EXPECT_TRUE(heap().IsObject(in_table));
}

// An extern object the host stores into a heap object goes into the activations table, and
// stays there across collections while the object lives.
TEST_F(GcConstExprTest, ExternsStoredInObjectsEnterTheActivationsTable) {
  // The fixture's store outlives this body and drops the extern when it dies: the counter
  // must outlive it too (a local here was written after the frame was gone; on aarch64 that
  // slot held a callee-saved register of the store's destructor: a crash).
  static int drops;
  drops = 0;
  void* host = gc::NewExternRef(&drops, [](void* p) noexcept { ++*static_cast<int*>(p); });
  wasm::GlobalType gt;
  gt.type = wasm::ValType::ExternRef();
  auto g = store_.NewGlobal(gt, Value::ExternRef(host));
  ASSERT_TRUE(g.ok());
  linker_.Define("host", "g", Extern(*g));
  auto* h = static_cast<gc::GcHeader*>(host);
  EXPECT_EQ(h->count, 1u);  // the global's
  auto inst = Inst(R"((module
    (type $s (struct (field externref)))
    (import "host" "g" (global $g externref))
    (global (export "s") (ref $s) (struct.new $s (global.get $g)))))");
  ASSERT_TRUE(inst.ok()) << inst.error().ToString();
  gc::GcHeader* s = GlobalRef(*inst, "s");
  ASSERT_NE(s, nullptr);
  const gc::StructLayout layout = gc::LayoutStruct((*inst)->data().module->types[0].composite);
  EXPECT_EQ(Field<void*>(s, layout.offsets[0]), host);
  EXPECT_EQ(h->count, 2u);  // the global's and the activations table's
  heap().Collect();         // the struct is live (its global pins it): the entry stays
  EXPECT_TRUE(heap().IsObject(s));
  EXPECT_EQ(h->count, 2u);
  EXPECT_EQ(drops, 0);
}

// Found by the differential fuzzer (session 10, docs/fuzzing-diff.md: an intermittent crash
// calling an export whose funcref filled a global array): a constant expression storing a
// funcref into an array or a struct put it into the activations table when the FuncRef's
// bytes 4-7 (its code pointer's upper half) read as an extern or exception header kind, and
// the count increment moved the code pointer by one byte. A host function's FuncRef with such
// a code word stands for JIT code mapped at 0x1'xxxx'xxxx (it is never called here).
TEST_F(GcConstExprTest, FuncRefsStoredInObjectsStayOutOfTheActivationsTable) {
  Func* f = store_.NewHostFunc(
      wasm::FuncType{}, [](void*, VMContext*, ValueSlot*) noexcept { return uint32_t{0}; },
      nullptr);
  const void* real = f->ref()->code;
  const auto* fake = reinterpret_cast<const void*>(uintptr_t{1} << 32);  // byte 4: kExtern
  f->ref()->code = fake;
  wasm::GlobalType gt;
  gt.type = wasm::ValType::FuncRef();
  auto g = store_.NewGlobal(gt, Value::FuncRefOf(f));
  ASSERT_TRUE(g.ok());
  linker_.Define("host", "f", Extern(*g));
  auto inst = Inst(R"((module
    (type $fa (array funcref))
    (type $s (struct (field funcref)))
    (import "host" "f" (global $f funcref))
    (global (export "a") (ref $fa) (array.new $fa (global.get $f) (i32.const 3)))
    (global (export "s") (ref $s) (struct.new $s (global.get $f)))))");
  ASSERT_TRUE(inst.ok()) << inst.error().ToString();
  EXPECT_EQ(f->ref()->code, fake);  // not counted as a GC object
  heap().Collect();
  EXPECT_EQ(f->ref()->code, fake);
  f->ref()->code = real;
}

TEST_F(GcConstExprTest, LinkerMatchesGcTypesAcrossModules) {
  auto a = Inst(R"((module
    (type $s (sub (struct (field i32))))
    (type $t (sub $s (struct (field i32) (field i64))))
    (global (export "t") (ref $t) (struct.new_default $t))
    (global (export "tm") (mut (ref null $t)) (ref.null none))
    (global (export "i") i31ref (ref.i31 (i32.const 1)))
    (table (export "tab") 1 (ref null $s))))");
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  linker_.DefineInstance("a", **a);
  auto links = [&](const std::string& import) {
    auto r = Inst(
        "(module (type $s (sub (struct (field i32))))\n"
        "  (type $t (sub $s (struct (field i32) (field i64))))\n  " +
        import + ")");
    return r.ok();
  };
  // Immutable globals: any supertype.
  EXPECT_TRUE(links(R"((import "a" "t" (global (ref $t))))"));
  EXPECT_TRUE(links(R"((import "a" "t" (global (ref null $s))))"));
  EXPECT_TRUE(links(R"((import "a" "t" (global structref)))"));
  EXPECT_TRUE(links(R"((import "a" "t" (global eqref)))"));
  EXPECT_TRUE(links(R"((import "a" "t" (global (ref any))))"));
  EXPECT_FALSE(links(R"((import "a" "t" (global arrayref)))"));
  EXPECT_FALSE(links(R"((import "a" "t" (global i31ref)))"));
  EXPECT_FALSE(links(R"((import "a" "t" (global externref)))"));
  EXPECT_FALSE(links(R"((import "a" "t" (global funcref)))"));
  EXPECT_FALSE(links(R"((import "a" "t" (global nullref)))"));
  EXPECT_TRUE(links(R"((import "a" "i" (global eqref)))"));
  EXPECT_FALSE(links(R"((import "a" "i" (global structref)))"));
  // Mutable globals and tables: the same type only.
  EXPECT_TRUE(links(R"((import "a" "tm" (global (mut (ref null $t)))))"));
  EXPECT_FALSE(links(R"((import "a" "tm" (global (mut (ref null $s)))))"));
  EXPECT_FALSE(links(R"((import "a" "tm" (global (mut anyref))))"));
  EXPECT_TRUE(links(R"((import "a" "tab" (table 1 (ref null $s))))"));
  EXPECT_FALSE(links(R"((import "a" "tab" (table 1 (ref null $t))))"));
  EXPECT_FALSE(links(R"((import "a" "tab" (table 1 anyref)))"));
}

TEST(GcCanonicalTypes, SubtypingOverCanonicalIds) {
  auto loaded = Load(R"((module
    (type $s (sub (struct)))
    (type $t (sub $s (struct (field i32))))
    (type $a (array i8))
    (type $f (func))))",
                     kWasm3);
  ASSERT_NE(loaded, nullptr);
  const std::vector<uint32_t>& ids = loaded->type_ids;
  auto ref = [](wasm::HeapType h, bool nullable = false) {
    return wasm::ValType::Ref(h, nullable);
  };
  auto idx = [&](uint32_t i) { return wasm::HeapType::Index(ids[i]); };
  auto abs = [](wasm::HeapKind k) { return wasm::HeapType::Abstract(k); };
  using wasm::HeapKind;
  EXPECT_TRUE(CanonicalValTypeMatches(ref(idx(1)), ref(idx(0))));
  EXPECT_FALSE(CanonicalValTypeMatches(ref(idx(0)), ref(idx(1))));
  EXPECT_TRUE(CanonicalValTypeMatches(ref(idx(1)), ref(abs(HeapKind::kStruct))));
  EXPECT_TRUE(CanonicalValTypeMatches(ref(idx(2)), ref(abs(HeapKind::kEq))));
  EXPECT_FALSE(CanonicalValTypeMatches(ref(idx(2)), ref(abs(HeapKind::kStruct))));
  EXPECT_TRUE(CanonicalValTypeMatches(ref(idx(3)), ref(abs(HeapKind::kFunc))));
  EXPECT_FALSE(CanonicalValTypeMatches(ref(idx(3)), ref(abs(HeapKind::kAny))));
  EXPECT_TRUE(CanonicalValTypeMatches(ref(abs(HeapKind::kNone)), ref(idx(1))));
  EXPECT_FALSE(CanonicalValTypeMatches(ref(abs(HeapKind::kNoFunc)), ref(idx(1))));
  EXPECT_TRUE(CanonicalValTypeMatches(ref(abs(HeapKind::kNoFunc)), ref(idx(3))));
  EXPECT_FALSE(CanonicalValTypeMatches(ref(idx(1), true), ref(idx(0))));
  EXPECT_EQ(CanonicalHeapTop(idx(1)), HeapKind::kAny);
  EXPECT_EQ(CanonicalHeapTop(idx(3)), HeapKind::kFunc);
  EXPECT_EQ(CanonicalHeapTop(abs(HeapKind::kNoExtern)), HeapKind::kExtern);
  // Function types seen by the host are canonical: a (ref $s) parameter names $s's id.
  auto f = Load(R"((module (type $s (struct)) (func (export "f") (param (ref $s)))))", kWasm3);
  ASSERT_NE(f, nullptr);
  const wasm::FuncType& ft = FuncTypeOf(f->type_ids[1]);
  ASSERT_EQ(ft.params.size(), 1u);
  EXPECT_EQ(ft.params[0].heap.index, f->type_ids[0]);
}

}  // namespace
}  // namespace wt::runtime
