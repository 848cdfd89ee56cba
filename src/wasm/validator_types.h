// Type relations of one module, built while validating its type section: iso-recursive type
// equivalence (each type index gets a canonical id: equal ids <=> equivalent types), declared
// supertype chains, and the subtyping relation over the Wasm 3.0 type lattice
// (wasm/heap_subtype.h, shared with the runtime and the wast runner):
//
//   any > eq > {i31, struct > $struct types, array > $array types} > none
//   func > $func types > nofunc        extern > noextern        exn > noexn
//
// (concrete types are ordered by their declared supertypes). In Wasm 2.0 only funcref and
// externref exist and subtyping degenerates to equality.
#pragma once

#include <cstdint>
#include <vector>

#include "util/result.h"
#include "wasm/features.h"
#include "wasm/module.h"
#include "wasm/types.h"

namespace wt::wasm {

class TypeContext {
 public:
  TypeContext() = default;

  // Validates module.types (references to known types, rec group scoping, supertype
  // declarations) and computes canonical ids. `module` must outlive this object. kInvalid
  // errors.
  Status Init(const Module& module, const Features& features);

  const Module& module() const { return *module_; }
  uint32_t size() const { return static_cast<uint32_t>(canon_.size()); }
  const SubType& Get(uint32_t index) const { return module_->types[index]; }

  // Equal canonical ids <=> equivalent types (iso-recursive equivalence). The id is the index of
  // the first type in the module that is equivalent.
  uint32_t CanonicalId(uint32_t index) const { return canon_[index]; }
  bool Equivalent(uint32_t a, uint32_t b) const { return canon_[a] == canon_[b]; }
  // Length of the declared supertype chain above `index` (0 for a type without supertype).
  uint32_t Depth(uint32_t index) const { return depth_[index]; }

  // The composite type at `index` if it is of that kind, else nullptr. `index` may be out of
  // range (nullptr then).
  const FuncType* FuncAt(uint32_t index) const;
  const CompositeType* StructAt(uint32_t index) const;
  const CompositeType* ArrayAt(uint32_t index) const;

  // True if every type index `t` mentions is defined.
  bool IsValid(HeapType t) const { return !t.is_index() || t.index < size(); }
  bool IsValid(ValType t) const { return t.kind != ValKind::kRef || IsValid(t.heap); }

  // Inline for the common numeric case (every operand-stack pop of the validator).
  bool IsSubtype(ValType a, ValType b) const {
    if (a.kind == ValKind::kBot) return true;
    if (a.kind != b.kind) return false;
    if (a.kind != ValKind::kRef) return true;
    return IsRefSubtype(a, b);
  }
  // a and b references.
  bool IsRefSubtype(ValType a, ValType b) const;
  bool IsHeapSubtype(HeapType a, HeapType b) const;
  // Equivalence of value types (same kind, nullability, equivalent heap types).
  bool Same(ValType a, ValType b) const;
  bool IsStorageSubtype(const StorageType& a, const StorageType& b) const;

  // The top / bottom of the hierarchy a heap type belongs to (kAny, kFunc, kExtern, kExn /
  // kNone, kNoFunc, kNoExtern, kNoExn). kBot maps to itself.
  HeapKind Top(HeapType t) const;
  HeapKind Bottom(HeapType t) const;

 private:
  struct IndexResolver;  // wasm/heap_subtype.h's view of this module's types
  Status CanonicalizeGroup(const RecGroup& group, std::vector<uint32_t>* key);
  Status CheckSubType(uint32_t index);
  bool CompositeMatches(const CompositeType& sub, const CompositeType& super) const;

  const Module* module_ = nullptr;
  Features features_;
  std::vector<uint32_t> canon_;
  std::vector<uint32_t> depth_;
  // Jump pointers over the supertype forest (each type's declared supertype is its parent):
  // finding the ancestor at a given depth takes O(log depth) steps, so a subtype check between
  // concrete types costs O(log depth) however deep the declared hierarchy is.
  std::vector<uint32_t> jump_;
};

// Free-function form of TypeContext::IsSubtype.
inline bool IsSubtype(ValType a, ValType b, const TypeContext& types) {
  return types.IsSubtype(a, b);
}

}  // namespace wt::wasm
