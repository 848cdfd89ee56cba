// Type section validation, iso-recursive canonicalization and subtyping.
#include "wasm/validator_types.h"

#include <string>
#include <string_view>
#include <unordered_map>

#include "wasm/heap_subtype.h"

namespace wt::wasm {
namespace {

Error Invalid(std::string message) {
  return Error{ErrorKind::kInvalid, std::move(message), SIZE_MAX, {}};
}

// Encodes a value type into a canonicalization key. Type indices inside the rec group being
// keyed are encoded relative to the group; indices before it by their canonical id.
struct KeyWriter {
  std::vector<uint32_t>* key;
  const std::vector<uint32_t>* canon;
  uint32_t group_first;
  uint32_t group_end;
  uint32_t bad_index = UINT32_MAX;

  void Put(uint32_t v) { key->push_back(v); }
  void PutHeap(HeapType h) {
    Put(static_cast<uint32_t>(h.kind));
    if (!h.is_index()) return;
    if (h.index >= group_end) {
      if (bad_index == UINT32_MAX) bad_index = h.index;
      Put(0);
      Put(0);
    } else if (h.index >= group_first) {
      Put(1);
      Put(h.index - group_first);
    } else {
      Put(2);
      Put((*canon)[h.index]);
    }
  }
  void PutVal(ValType t) {
    Put(static_cast<uint32_t>(t.kind));
    if (t.kind != ValKind::kRef) return;
    Put(t.nullable ? 1 : 0);
    PutHeap(t.heap);
  }
  void PutField(const FieldType& f) {
    Put(static_cast<uint32_t>(f.storage.packed));
    PutVal(f.storage.type);
    Put(f.mutable_ ? 1 : 0);
  }
};

}  // namespace

const FuncType* TypeContext::FuncAt(uint32_t index) const {
  if (index >= size()) return nullptr;
  const CompositeType& c = module_->types[index].composite;
  return c.kind == CompositeKind::kFunc ? &c.func : nullptr;
}

const CompositeType* TypeContext::StructAt(uint32_t index) const {
  if (index >= size()) return nullptr;
  const CompositeType& c = module_->types[index].composite;
  return c.kind == CompositeKind::kStruct ? &c : nullptr;
}

const CompositeType* TypeContext::ArrayAt(uint32_t index) const {
  if (index >= size()) return nullptr;
  const CompositeType& c = module_->types[index].composite;
  return c.kind == CompositeKind::kArray && c.fields.size() == 1 ? &c : nullptr;
}

Status TypeContext::Init(const Module& module, const Features& features) {
  module_ = &module;
  features_ = features;
  const auto n = static_cast<uint32_t>(module.types.size());
  canon_.assign(n, 0);
  depth_.assign(n, 0);
  jump_.assign(n, 0);

  // The rec groups must tile the type indices; a reader that produced none (or an
  // inconsistent list) gets one group per type.
  std::vector<RecGroup> singletons;
  const std::vector<RecGroup>* groups = &module.rec_groups;
  {
    uint64_t next = 0;
    bool tiles = true;
    for (const RecGroup& g : module.rec_groups) {
      if (g.first != next) {
        tiles = false;
        break;
      }
      next += g.count;
    }
    if (!tiles || next != n) {
      singletons.reserve(n);
      for (uint32_t i = 0; i < n; ++i) singletons.push_back(RecGroup{i, 1});
      groups = &singletons;
    }
  }

  std::unordered_map<std::string, uint32_t> seen;  // group key -> first type index
  std::vector<uint32_t> key;
  for (const RecGroup& g : *groups) {
    // Supertypes must be declared before the subtype (this also makes chains finite).
    for (uint32_t x = g.first; x < g.first + g.count; ++x) {
      const SubType& st = module.types[x];
      if (st.supers.size() > 1) {
        return Invalid(fmt::format("sub type {} has too many supertypes", x));
      }
      if (!st.supers.empty()) {
        uint32_t y = st.supers[0];
        if (y >= x) return Invalid(fmt::format("unknown type {}", y));
        depth_[x] = depth_[y] + 1;
        uint32_t j = jump_[y];
        jump_[x] = depth_[y] - depth_[j] == depth_[j] - depth_[jump_[j]] ? jump_[j] : y;
      } else {
        jump_[x] = x;
      }
    }
    WT_TRY(CanonicalizeGroup(g, &key));
    std::string k(reinterpret_cast<const char*>(key.data()), key.size() * sizeof(uint32_t));
    auto [it, inserted] = seen.emplace(std::move(k), g.first);
    for (uint32_t i = 0; i < g.count; ++i) canon_[g.first + i] = it->second + i;
    for (uint32_t x = g.first; x < g.first + g.count; ++x) WT_TRY(CheckSubType(x));
  }
  return Ok();
}

Status TypeContext::CanonicalizeGroup(const RecGroup& g, std::vector<uint32_t>* key) {
  key->clear();
  KeyWriter w{key, &canon_, g.first, g.first + g.count};
  w.Put(g.count);
  for (uint32_t x = g.first; x < g.first + g.count; ++x) {
    const SubType& st = module_->types[x];
    w.Put(st.final ? 1 : 0);
    w.Put(static_cast<uint32_t>(st.supers.size()));
    for (uint32_t y : st.supers) w.PutHeap(HeapType::Index(y));
    const CompositeType& c = st.composite;
    w.Put(static_cast<uint32_t>(c.kind));
    if (c.kind == CompositeKind::kFunc) {
      w.Put(static_cast<uint32_t>(c.func.params.size()));
      for (ValType t : c.func.params) w.PutVal(t);
      w.Put(static_cast<uint32_t>(c.func.results.size()));
      for (ValType t : c.func.results) w.PutVal(t);
    } else {
      if (c.kind == CompositeKind::kArray && c.fields.size() != 1) {
        return Invalid(fmt::format("array type {} must have exactly one field", x));
      }
      w.Put(static_cast<uint32_t>(c.fields.size()));
      for (const FieldType& f : c.fields) w.PutField(f);
    }
    if (w.bad_index != UINT32_MAX) return Invalid(fmt::format("unknown type {}", w.bad_index));
  }
  return Ok();
}

Status TypeContext::CheckSubType(uint32_t x) {
  const SubType& st = module_->types[x];
  if (st.supers.empty()) return Ok();
  uint32_t y = st.supers[0];
  const SubType& sup = module_->types[y];
  if (sup.final || !CompositeMatches(st.composite, sup.composite)) {
    return Invalid(fmt::format("sub type {} does not match super type {}", x, y));
  }
  return Ok();
}

bool TypeContext::IsStorageSubtype(const StorageType& a, const StorageType& b) const {
  if (a.packed != b.packed) return false;
  if (a.packed != Packed::kNone) return true;
  return IsSubtype(a.type, b.type);
}

bool TypeContext::CompositeMatches(const CompositeType& sub, const CompositeType& sup) const {
  if (sub.kind != sup.kind) return false;
  auto field_matches = [&](const FieldType& a, const FieldType& b) {
    if (a.mutable_ != b.mutable_) return false;
    if (!IsStorageSubtype(a.storage, b.storage)) return false;
    return !a.mutable_ || IsStorageSubtype(b.storage, a.storage);
  };
  switch (sub.kind) {
    case CompositeKind::kFunc: {
      const FuncType& a = sub.func;
      const FuncType& b = sup.func;
      if (a.params.size() != b.params.size() || a.results.size() != b.results.size()) {
        return false;
      }
      for (size_t i = 0; i < a.params.size(); ++i) {
        if (!IsSubtype(b.params[i], a.params[i])) return false;
      }
      for (size_t i = 0; i < a.results.size(); ++i) {
        if (!IsSubtype(a.results[i], b.results[i])) return false;
      }
      return true;
    }
    case CompositeKind::kStruct:
      if (sub.fields.size() < sup.fields.size()) return false;
      for (size_t i = 0; i < sup.fields.size(); ++i) {
        if (!field_matches(sub.fields[i], sup.fields[i])) return false;
      }
      return true;
    case CompositeKind::kArray:
      return sub.fields.size() == 1 && sup.fields.size() == 1 &&
             field_matches(sub.fields[0], sup.fields[0]);
  }
  return false;
}

// The validator's resolver for heap_subtype.h: concrete types are this module's indices.
struct TypeContext::IndexResolver {
  const TypeContext& c;
  bool Has(uint32_t t) const { return t < c.size(); }
  CompositeKind Kind(uint32_t t) const { return c.Get(t).composite.kind; }
  bool ConcreteSubtype(uint32_t x, uint32_t y) const {
    if (c.canon_[x] == c.canon_[y]) return true;
    if (c.depth_[x] <= c.depth_[y]) return false;
    const uint32_t d = c.depth_[y];
    while (c.depth_[x] > d) x = c.depth_[c.jump_[x]] >= d ? c.jump_[x] : c.Get(x).supers[0];
    return c.canon_[x] == c.canon_[y];
  }
};

HeapKind TypeContext::Top(HeapType t) const {
  return HeapTop(t, IndexResolver{*this});
}

HeapKind TypeContext::Bottom(HeapType t) const {
  return BottomOfTop(Top(t));
}

bool TypeContext::IsHeapSubtype(HeapType a, HeapType b) const {
  return HeapSubtype(a, b, IndexResolver{*this});
}

bool TypeContext::IsRefSubtype(ValType a, ValType b) const {
  return RefSubtype(a, b, IndexResolver{*this});
}

bool TypeContext::Same(ValType a, ValType b) const {
  if (a.kind != b.kind) return false;
  if (a.kind != ValKind::kRef) return true;
  if (a.nullable != b.nullable || a.heap.kind != b.heap.kind) return false;
  if (!a.heap.is_index()) return true;
  if (a.heap.index >= size() || b.heap.index >= size()) return a.heap.index == b.heap.index;
  return canon_[a.heap.index] == canon_[b.heap.index];
}

}  // namespace wt::wasm
