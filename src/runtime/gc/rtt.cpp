// [wasmgc] Run-time types (gc/object.h: Rtt): one per canonical type id, built on first use
// from the type registry (the canonical composite type and the declared supertype), shared
// by every module and store of the process and never freed.
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "runtime/gc/object.h"
#include "runtime/type_registry.h"

namespace wt::runtime::gc {
namespace {

// An Rtt and the arrays it points to.
struct RttBox {
  Rtt rtt{};
  std::vector<const Rtt*> deep;
  std::vector<uint32_t> ref_offsets;
};

struct RttTable {
  std::mutex mu;
  std::unordered_map<uint32_t, std::unique_ptr<RttBox>> by_id;
};

RttTable& Table() {
  static RttTable* t = new RttTable();  // never destroyed: Rtts outlive every store
  return *t;
}

// A managed reference of a canonical value type (its concrete heap types hold canonical ids).
bool IsManagedCanonical(const wasm::ValType& t) {
  const bool index_is_func =
      t.is_ref() && t.heap.is_index() && CanonicalKind(t.heap.index) == wasm::CompositeKind::kFunc;
  return IsManagedRef(t, index_is_func);
}

uint8_t Log2(uint32_t size) {
  uint8_t l = 0;
  while ((1u << l) < size) ++l;
  return l;
}

// Builds the Rtt of `id` whose supertype's Rtt (`super`, null for none) exists. Lock held.
const Rtt* Build(RttTable& t, uint32_t id, const Rtt* super) {
  auto box = std::make_unique<RttBox>();
  Rtt& r = box->rtt;
  const wasm::CompositeType& c = CanonicalCompositeType(id);
  r.type_id = id;
  r.composite = c.kind;
  r.depth = super != nullptr ? super->depth + 1 : 0;
  // The supertypes, root first, self last.
  std::vector<const Rtt*> chain;
  if (super != nullptr) {
    for (uint32_t i = 0; i <= super->depth; ++i)
      chain.push_back(super->depth < kRttDisplay ? super->display[i] : super->deep[i]);
  }
  chain.push_back(&r);
  for (uint32_t i = 0; i < kRttDisplay && i < chain.size(); ++i) r.display[i] = chain[i];
  if (r.depth >= kRttDisplay) {
    box->deep = chain;
    r.deep = box->deep.data();
  }
  switch (c.kind) {
    case wasm::CompositeKind::kStruct: {
      r.kind = GcKind::kStruct;
      StructLayout l = LayoutStruct(c);
      r.size = l.size;
      for (size_t i = 0; i < c.fields.size(); ++i)
        if (IsManagedCanonical(c.fields[i].storage.type)) box->ref_offsets.push_back(l.offsets[i]);
      r.ref_offsets = box->ref_offsets.data();
      r.num_ref_offsets = static_cast<uint32_t>(box->ref_offsets.size());
      break;
    }
    case wasm::CompositeKind::kArray: {
      r.kind = GcKind::kArray;
      r.size = kArrayElems;
      if (!c.fields.empty()) {
        r.elem_size_log2 = Log2(StorageSize(c.fields[0].storage));
        r.elem_is_ref = IsManagedCanonical(c.fields[0].storage.type) ? 1 : 0;
      }
      break;
    }
    case wasm::CompositeKind::kFunc:
      r.kind = GcKind::kStruct;  // never an object: function types have Rtts for casts only
      r.size = 0;
      break;
  }
  const Rtt* out = &box->rtt;
  t.by_id.emplace(id, std::move(box));
  return out;
}

}  // namespace

const Rtt* RttOf(uint32_t type_id) {
  RttTable& t = Table();
  std::lock_guard<std::mutex> lock(t.mu);
  if (auto it = t.by_id.find(type_id); it != t.by_id.end()) return &it->second->rtt;
  // The chain of supertypes without an Rtt yet (ids decrease towards the root).
  std::vector<uint32_t> missing{type_id};
  const Rtt* super = nullptr;
  for (uint32_t s = CanonicalSuper(type_id); s != 0 && s < missing.back(); s = CanonicalSuper(s)) {
    if (auto it = t.by_id.find(s); it != t.by_id.end()) {
      super = &it->second->rtt;
      break;
    }
    missing.push_back(s);
  }
  for (size_t i = missing.size(); i-- > 0;) super = Build(t, missing[i], super);
  return super;
}

}  // namespace wt::runtime::gc
