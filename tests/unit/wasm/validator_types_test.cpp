#include "wasm/validator_types.h"

#include <gtest/gtest.h>

#include "validator_test_util.h"

namespace wt::wasm {
namespace {

using testing::AbsRef;
using testing::Outcome;
using testing::Ref;
using testing::TestModule;

FieldType Field(ValType t, bool mut = false) {
  return FieldType{StorageType{t, Packed::kNone}, mut};
}

Status Init(const TestModule& t, TypeContext* types) {
  return types->Init(t.m, Features::Wasm30());
}

TEST(TypeContext, AbstractLattice) {
  TestModule t;
  uint32_t fn = t.Type({}, {});
  uint32_t st = t.Struct({});
  uint32_t ar = t.Array(Field(ValType::I32()));
  TypeContext types;
  ASSERT_EQ(Outcome(Init(t, &types)), "ok");
  auto sub = [&](ValType a, ValType b) { return types.IsSubtype(a, b); };
  using K = HeapKind;
  EXPECT_TRUE(sub(AbsRef(K::kI31), AbsRef(K::kEq)));
  EXPECT_TRUE(sub(AbsRef(K::kEq), AbsRef(K::kAny)));
  EXPECT_TRUE(sub(AbsRef(K::kNone), AbsRef(K::kStruct)));
  EXPECT_TRUE(sub(AbsRef(K::kNone), Ref(st, true)));
  EXPECT_FALSE(sub(AbsRef(K::kNone), Ref(st, false)));  // nullability
  EXPECT_TRUE(sub(AbsRef(K::kNone, false), Ref(st, false)));
  EXPECT_FALSE(sub(AbsRef(K::kNone), AbsRef(K::kFunc)));
  EXPECT_FALSE(sub(AbsRef(K::kNoFunc), AbsRef(K::kAny)));
  EXPECT_FALSE(sub(AbsRef(K::kNoExtern), AbsRef(K::kNone)));
  EXPECT_TRUE(sub(AbsRef(K::kNoExn), AbsRef(K::kExn)));
  EXPECT_TRUE(sub(Ref(fn), AbsRef(K::kFunc)));
  EXPECT_TRUE(sub(AbsRef(K::kNoFunc), Ref(fn, true)));
  EXPECT_FALSE(sub(Ref(fn), AbsRef(K::kAny)));
  EXPECT_TRUE(sub(Ref(st), AbsRef(K::kEq)));
  EXPECT_TRUE(sub(Ref(ar), AbsRef(K::kArray)));
  EXPECT_FALSE(sub(Ref(ar), AbsRef(K::kStruct)));
  EXPECT_FALSE(sub(AbsRef(K::kAny), AbsRef(K::kEq)));
  EXPECT_FALSE(sub(AbsRef(K::kExtern), AbsRef(K::kAny)));
  EXPECT_TRUE(sub(ValType::Bot(), ValType::I32()));
  EXPECT_FALSE(sub(ValType::I32(), ValType::I64()));
  EXPECT_EQ(types.Top(HeapType::Index(fn)), K::kFunc);
  EXPECT_EQ(types.Top(HeapType::Index(ar)), K::kAny);
  EXPECT_EQ(types.Bottom(HeapType::Abstract(K::kExtern)), K::kNoExtern);
}

TEST(TypeContext, IsoRecursiveEquivalence) {
  TestModule t;
  // Two identical groups (rec (struct (field (ref 1))) (struct (field (ref 0)))) and a third
  // group that differs in one field's nullability.
  auto add_group = [&](bool nullable) {
    uint32_t a = static_cast<uint32_t>(t.m.types.size());
    SubType s1, s2;
    s1.composite.kind = s2.composite.kind = CompositeKind::kStruct;
    s1.composite.fields = {Field(Ref(a + 1, nullable))};
    s2.composite.fields = {Field(Ref(a, false))};
    t.AddSub(s1, true);
    t.AddSub(s2, false);
    return a;
  };
  uint32_t g1 = add_group(false);
  uint32_t g2 = add_group(false);
  uint32_t g3 = add_group(true);
  // A singleton group is not equivalent to a member of a bigger group.
  uint32_t single = t.Struct({Field(Ref(g1 + 1))});
  TypeContext types;
  ASSERT_EQ(Outcome(Init(t, &types)), "ok");
  EXPECT_TRUE(types.Equivalent(g1, g2));
  EXPECT_TRUE(types.Equivalent(g1 + 1, g2 + 1));
  EXPECT_FALSE(types.Equivalent(g1, g2 + 1));
  EXPECT_FALSE(types.Equivalent(g1, g3));
  EXPECT_FALSE(types.Equivalent(single, g1));
  EXPECT_TRUE(types.IsSubtype(Ref(g1), Ref(g2)));
  EXPECT_FALSE(types.IsSubtype(Ref(g1), Ref(g3)));
}

TEST(TypeContext, ReferencesBeyondTheGroupAreUnknown) {
  TestModule t;
  t.Type({Ref(1)}, {});
  t.Type({}, {});
  TypeContext types;
  EXPECT_EQ(Outcome(Init(t, &types)), "unknown type 1");
}

TEST(TypeContext, DeclaredSubtypes) {
  TestModule t;
  uint32_t base = t.Struct({Field(ValType::I32())}, false);
  uint32_t derived = t.Struct({Field(ValType::I32()), Field(ValType::I64())}, false, {base});
  uint32_t other = t.Struct({Field(ValType::I32()), Field(ValType::I64())}, false);
  TypeContext types;
  ASSERT_EQ(Outcome(Init(t, &types)), "ok");
  EXPECT_TRUE(types.IsSubtype(Ref(derived), Ref(base)));
  EXPECT_FALSE(types.IsSubtype(Ref(base), Ref(derived)));
  EXPECT_FALSE(types.IsSubtype(Ref(other), Ref(base)));  // structural match is not enough
  EXPECT_EQ(types.Depth(derived), 1u);

  // Final supertypes, mismatching fields, mutability.
  TestModule f;
  uint32_t fin = f.Struct({}, true);
  f.Struct({}, true, {fin});
  EXPECT_EQ(Outcome(Init(f, &types)), "sub type 1 does not match super type 0");
  TestModule m;
  uint32_t mb = m.Struct({Field(AbsRef(HeapKind::kAny), true)}, false);
  m.Struct({Field(AbsRef(HeapKind::kEq), true)}, false, {mb});  // mutable fields are invariant
  EXPECT_EQ(Outcome(Init(m, &types)), "sub type 1 does not match super type 0");
  TestModule i;
  uint32_t ib = i.Struct({Field(AbsRef(HeapKind::kAny))}, false);
  i.Struct({Field(AbsRef(HeapKind::kEq))}, false, {ib});  // immutable fields are covariant
  EXPECT_EQ(Outcome(Init(i, &types)), "ok");
  TestModule fn;
  uint32_t fb = fn.Type({AbsRef(HeapKind::kEq)}, {AbsRef(HeapKind::kAny)});
  fn.m.types[fb].final = false;
  SubType fs;
  fs.final = false;
  fs.supers = {fb};
  fs.composite.func.params = {AbsRef(HeapKind::kAny)};  // contravariant
  fs.composite.func.results = {AbsRef(HeapKind::kEq)};  // covariant
  fn.AddSub(fs);
  EXPECT_EQ(Outcome(Init(fn, &types)), "ok");
  fn.m.types[1].composite.func.params = {AbsRef(HeapKind::kI31)};  // narrower: invalid
  EXPECT_EQ(Outcome(Init(fn, &types)), "sub type 1 does not match super type 0");
  // A supertype declared after the subtype.
  TestModule fw;
  fw.Struct({}, false, {1});
  fw.Struct({}, false);
  EXPECT_EQ(Outcome(Init(fw, &types)), "unknown type 1");
}

TEST(TypeContext, DeepHierarchiesAreCheap) {
  TestModule t;
  constexpr uint32_t kDepth = 20000;
  uint32_t prev = t.Struct({}, false);
  uint32_t root = prev;
  for (uint32_t i = 1; i < kDepth; ++i) prev = t.Struct({}, false, {prev});
  // A second, separately declared chain of the same shape is a different hierarchy (each
  // type's supertype is part of its identity, so equal shapes are equivalent).
  TypeContext types;
  ASSERT_EQ(Outcome(Init(t, &types)), "ok");
  EXPECT_EQ(types.Depth(prev), kDepth - 1);
  // Many checks of the deepest type against every level: O(log depth) each.
  for (uint32_t y = 0; y < kDepth; ++y) ASSERT_TRUE(types.IsSubtype(Ref(prev), Ref(y))) << y;
  for (uint32_t x = 1; x < kDepth; x += 997) EXPECT_FALSE(types.IsSubtype(Ref(root), Ref(x)));
  EXPECT_TRUE(types.IsSubtype(Ref(kDepth / 2), Ref(kDepth / 3)));
  EXPECT_FALSE(types.IsSubtype(Ref(kDepth / 3), Ref(kDepth / 2)));
}

}  // namespace
}  // namespace wt::wasm
