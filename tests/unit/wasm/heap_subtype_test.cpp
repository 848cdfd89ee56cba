// The one heap-type subtyping implementation (wasm/heap_subtype.h) over a resolver of its own:
// the lattice of abstract types, concrete types by composite kind and declared supertypes.
#include "wasm/heap_subtype.h"

#include <gtest/gtest.h>

#include <vector>

namespace wt::wasm {
namespace {

// Types 0..n-1: kinds and one optional declared supertype each.
struct FakeTypes {
  std::vector<CompositeKind> kinds;
  std::vector<int> supers;  // -1: none
  bool Has(uint32_t t) const { return t < kinds.size(); }
  CompositeKind Kind(uint32_t t) const { return kinds[t]; }
  bool ConcreteSubtype(uint32_t a, uint32_t b) const {
    for (int x = static_cast<int>(a); x >= 0; x = supers[x])
      if (static_cast<uint32_t>(x) == b) return true;
    return false;
  }
};

HeapType A(HeapKind k) {
  return HeapType::Abstract(k);
}

TEST(HeapSubtype, AbstractLattice) {
  const FakeTypes r;
  using K = HeapKind;
  const K any_h[] = {K::kAny, K::kEq, K::kI31, K::kStruct, K::kArray, K::kNone};
  for (K k : any_h) {
    EXPECT_TRUE(HeapSubtype(A(k), A(K::kAny), r));
    EXPECT_TRUE(HeapSubtype(A(K::kNone), A(k), r));
    EXPECT_TRUE(HeapSubtype(A(k), A(k), r));
    EXPECT_FALSE(HeapSubtype(A(k), A(K::kFunc), r));
    EXPECT_FALSE(HeapSubtype(A(k), A(K::kExtern), r));
    EXPECT_FALSE(HeapSubtype(A(K::kNoFunc), A(k), r));
    EXPECT_EQ(AbstractTop(k), K::kAny);
  }
  EXPECT_TRUE(HeapSubtype(A(K::kI31), A(K::kEq), r));
  EXPECT_TRUE(HeapSubtype(A(K::kStruct), A(K::kEq), r));
  EXPECT_FALSE(HeapSubtype(A(K::kEq), A(K::kStruct), r));
  EXPECT_FALSE(HeapSubtype(A(K::kI31), A(K::kStruct), r));
  EXPECT_FALSE(HeapSubtype(A(K::kArray), A(K::kStruct), r));
  EXPECT_FALSE(HeapSubtype(A(K::kAny), A(K::kEq), r));
  EXPECT_TRUE(HeapSubtype(A(K::kNoFunc), A(K::kFunc), r));
  EXPECT_TRUE(HeapSubtype(A(K::kNoExtern), A(K::kExtern), r));
  EXPECT_TRUE(HeapSubtype(A(K::kNoExn), A(K::kExn), r));
  EXPECT_FALSE(HeapSubtype(A(K::kFunc), A(K::kNoFunc), r));
  EXPECT_FALSE(HeapSubtype(A(K::kExtern), A(K::kAny), r));
  EXPECT_FALSE(HeapSubtype(A(K::kNoExn), A(K::kNoExtern), r));
  EXPECT_TRUE(HeapSubtype(A(K::kBot), A(K::kI31), r));
  EXPECT_FALSE(HeapSubtype(A(K::kI31), A(K::kBot), r));
  EXPECT_EQ(BottomOfTop(K::kExtern), K::kNoExtern);
  EXPECT_EQ(BottomOfTop(K::kAny), K::kNone);
}

TEST(HeapSubtype, ConcreteTypes) {
  // 0 struct, 1 struct <: 0, 2 array, 3 func, 4 func <: 3, 5 struct <: 1
  FakeTypes r{{CompositeKind::kStruct, CompositeKind::kStruct, CompositeKind::kArray,
               CompositeKind::kFunc, CompositeKind::kFunc, CompositeKind::kStruct},
              {-1, 0, -1, -1, 3, 1}};
  using K = HeapKind;
  auto I = [](uint32_t i) { return HeapType::Index(i); };
  EXPECT_TRUE(HeapSubtype(I(5), I(0), r));
  EXPECT_TRUE(HeapSubtype(I(1), I(0), r));
  EXPECT_FALSE(HeapSubtype(I(0), I(1), r));
  EXPECT_TRUE(HeapSubtype(I(4), I(3), r));
  EXPECT_FALSE(HeapSubtype(I(4), I(0), r));
  for (K k : {K::kStruct, K::kEq, K::kAny}) EXPECT_TRUE(HeapSubtype(I(1), A(k), r));
  for (K k : {K::kArray, K::kI31, K::kFunc, K::kNone}) EXPECT_FALSE(HeapSubtype(I(1), A(k), r));
  EXPECT_TRUE(HeapSubtype(I(2), A(K::kArray), r));
  EXPECT_FALSE(HeapSubtype(I(2), A(K::kStruct), r));
  EXPECT_TRUE(HeapSubtype(I(3), A(K::kFunc), r));
  EXPECT_FALSE(HeapSubtype(I(3), A(K::kAny), r));
  EXPECT_TRUE(HeapSubtype(A(K::kNone), I(5), r));
  EXPECT_FALSE(HeapSubtype(A(K::kNoFunc), I(5), r));
  EXPECT_TRUE(HeapSubtype(A(K::kNoFunc), I(4), r));
  EXPECT_FALSE(HeapSubtype(A(K::kStruct), I(0), r));
  // Unknown types match nothing but the validator's bottom.
  EXPECT_FALSE(HeapSubtype(I(9), A(K::kAny), r));
  EXPECT_FALSE(HeapSubtype(A(K::kNone), I(9), r));
  EXPECT_TRUE(HeapSubtype(A(K::kBot), I(9), r));
  EXPECT_EQ(HeapTop(I(4), r), K::kFunc);
  EXPECT_EQ(HeapTop(I(2), r), K::kAny);
  // Reference and value subtyping.
  EXPECT_TRUE(RefSubtype(ValType::Ref(I(5), false), ValType::Ref(I(0), true), r));
  EXPECT_FALSE(RefSubtype(ValType::Ref(I(5), true), ValType::Ref(I(0), false), r));
  EXPECT_TRUE(ValSubtype(ValType::I32(), ValType::I32(), r));
  EXPECT_FALSE(ValSubtype(ValType::I32(), ValType::I64(), r));
  EXPECT_TRUE(ValSubtype(ValType::Bot(), ValType::F64(), r));
}

}  // namespace
}  // namespace wt::wasm
