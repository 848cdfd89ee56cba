// The subtyping relation over heap types of the Wasm 3.0 type lattice, written once and used by
// the validator (concrete types are a module's type indices), the runtime (canonical ids: the
// linker's import matching, host values) and the wast runner:
//
//   any > eq > {i31, struct > $struct types, array > $array types} > none
//   func > $func types > nofunc        extern > noextern        exn > noexn
//
// Concrete types are ordered by their declared supertypes; how a concrete type is looked up is
// the caller's (a "resolver"):
//
//   struct Resolver {
//     // Whether `t` names a type (a module's index in range, a canonical id that exists).
//     bool Has(uint32_t t) const;
//     // The composite kind of a type for which Has(t) holds.
//     wasm::CompositeKind Kind(uint32_t t) const;
//     // Whether concrete type `a` is `b` or declares it as a (transitive) supertype; both
//     // satisfy Has.
//     bool ConcreteSubtype(uint32_t a, uint32_t b) const;
//   };
#pragma once

#include <cstdint>

#include "wasm/types.h"

namespace wt::wasm {

// The top of the hierarchy an abstract heap kind belongs to (kAny, kFunc, kExtern, kExn);
// kIndex and kBot map to themselves (a concrete type's hierarchy needs its composite kind).
constexpr HeapKind AbstractTop(HeapKind k) {
  switch (k) {
    case HeapKind::kFunc:
    case HeapKind::kNoFunc:
      return HeapKind::kFunc;
    case HeapKind::kExtern:
    case HeapKind::kNoExtern:
      return HeapKind::kExtern;
    case HeapKind::kExn:
    case HeapKind::kNoExn:
      return HeapKind::kExn;
    case HeapKind::kAny:
    case HeapKind::kEq:
    case HeapKind::kI31:
    case HeapKind::kStruct:
    case HeapKind::kArray:
    case HeapKind::kNone:
      return HeapKind::kAny;
    case HeapKind::kIndex:
    case HeapKind::kBot:
      break;
  }
  return k;
}

// The bottom of the hierarchy whose top is `top` (kBot for kBot).
constexpr HeapKind BottomOfTop(HeapKind top) {
  switch (top) {
    case HeapKind::kFunc:
      return HeapKind::kNoFunc;
    case HeapKind::kExtern:
      return HeapKind::kNoExtern;
    case HeapKind::kExn:
      return HeapKind::kNoExn;
    case HeapKind::kBot:
      return HeapKind::kBot;
    default:
      return HeapKind::kNone;
  }
}

// The top of `t`'s hierarchy (a concrete type: func for function types, else any; one that
// the resolver does not know counts as any).
template <typename Resolver>
HeapKind HeapTop(HeapType t, const Resolver& r) {
  if (!t.is_index()) return AbstractTop(t.kind);
  return r.Has(t.index) && r.Kind(t.index) == CompositeKind::kFunc ? HeapKind::kFunc
                                                                   : HeapKind::kAny;
}

// Whether heap type `a` is a subtype of `b`. kBot (the validator's unknown type) is below
// everything; concrete types the resolver does not know match nothing but kBot.
template <typename Resolver>
bool HeapSubtype(HeapType a, HeapType b, const Resolver& r) {
  if (a.kind == HeapKind::kBot) return true;
  if (b.kind == HeapKind::kBot) return false;
  if (a.is_index() && b.is_index()) {
    if (!r.Has(a.index) || !r.Has(b.index)) return false;
    return r.ConcreteSubtype(a.index, b.index);
  }
  if (a.is_index()) {
    if (!r.Has(a.index)) return false;
    switch (r.Kind(a.index)) {
      case CompositeKind::kFunc:
        return b.kind == HeapKind::kFunc;
      case CompositeKind::kStruct:
        return b.kind == HeapKind::kStruct || b.kind == HeapKind::kEq || b.kind == HeapKind::kAny;
      case CompositeKind::kArray:
        return b.kind == HeapKind::kArray || b.kind == HeapKind::kEq || b.kind == HeapKind::kAny;
    }
    return false;
  }
  if (b.is_index()) {
    if (!r.Has(b.index)) return false;
    return a.kind ==
           (r.Kind(b.index) == CompositeKind::kFunc ? HeapKind::kNoFunc : HeapKind::kNone);
  }
  if (a.kind == b.kind) return true;
  switch (a.kind) {
    case HeapKind::kNone:
    case HeapKind::kNoFunc:
    case HeapKind::kNoExtern:
    case HeapKind::kNoExn:
      return AbstractTop(a.kind) == AbstractTop(b.kind);  // the bottom of b's hierarchy
    case HeapKind::kI31:
    case HeapKind::kStruct:
    case HeapKind::kArray:
      return b.kind == HeapKind::kEq || b.kind == HeapKind::kAny;
    case HeapKind::kEq:
      return b.kind == HeapKind::kAny;
    default:
      return false;
  }
}

// Reference subtyping: nullability, then the heap types.
template <typename Resolver>
bool RefSubtype(const ValType& a, const ValType& b, const Resolver& r) {
  if (a.nullable && !b.nullable) return false;
  return HeapSubtype(a.heap, b.heap, r);
}

// Value subtyping (numeric and vector types: equality; kBot below everything).
template <typename Resolver>
bool ValSubtype(const ValType& a, const ValType& b, const Resolver& r) {
  if (a.kind == ValKind::kBot) return true;
  if (a.kind != b.kind) return false;
  if (a.kind != ValKind::kRef) return true;
  return RefSubtype(a, b, r);
}

}  // namespace wt::wasm
