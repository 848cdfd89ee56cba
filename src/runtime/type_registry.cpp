// Process-wide canonical type ids (runtime/type_registry.h): iso-recursive interning of
// recursion groups; function types made by the host intern as groups of one final type.
#include "runtime/type_registry.h"

#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "runtime/instance_data.h"
#include "wasm/heap_subtype.h"

namespace wt::runtime {
namespace {

struct Entry {
  wasm::FuncType func;  // what FuncTypeOf returns (function types; empty otherwise)
  wasm::CompositeKind kind = wasm::CompositeKind::kFunc;
  uint32_t super = 0;  // the declared supertype's id, or 0
  // [wasmgc] The composite type with canonical ids in its concrete heap types (RttOf builds
  // object layouts and displays from it).
  wasm::CompositeType composite;
};

struct Registry {
  Registry() { types.emplace_back(); }  // id 0 is never handed out (a zeroed FuncRef matches none)
  std::mutex mu;
  std::deque<Entry> types;                           // id -> entry (deque: stable references)
  std::unordered_map<std::string, uint32_t> groups;  // group key -> the group's first id
};

Registry& GetRegistry() {
  static Registry* r = new Registry();  // never destroyed: ids outlive every store
  return *r;
}

// The key of a recursion group: its structure, with references to its own types by position
// ('R' + index in the group) and to other types by canonical id ('C' + id).
class KeyWriter {
 public:
  void U8(uint8_t v) { key_.push_back(static_cast<char>(v)); }
  void U32(uint32_t v) {
    for (int i = 0; i < 4; ++i) U8(static_cast<uint8_t>(v >> (8 * i)));
  }
  void Ref(bool internal, uint32_t v) {
    U8(internal ? 'R' : 'C');
    U32(v);
  }
  std::string& key() { return key_; }

 private:
  std::string key_;
};

// Resolves a type index of the group being keyed: internal (by position), external (by
// canonical id), or unresolvable (a later group: only in invalid modules).
struct IndexResolver {
  const std::vector<uint32_t>* ids = nullptr;  // canonical ids of the earlier types
  uint32_t first = 0, count = 0;               // the group's type indices
  bool ok = true;
  bool host = false;  // indices are canonical ids already (host function types)

  void Write(KeyWriter& w, uint32_t index) {
    if (host) return w.Ref(false, index);
    if (index >= first && index - first < count) return w.Ref(true, index - first);
    if (index < first && ids != nullptr && (*ids)[index] != 0) return w.Ref(false, (*ids)[index]);
    ok = false;
    w.Ref(false, 0);
  }
};

void WriteValType(KeyWriter& w, IndexResolver& r, const wasm::ValType& v) {
  w.U8(static_cast<uint8_t>(v.kind));
  if (v.kind != wasm::ValKind::kRef) return;
  w.U8(v.nullable ? 1 : 0);
  w.U8(static_cast<uint8_t>(v.heap.kind));
  if (v.heap.is_index()) r.Write(w, v.heap.index);
}

void WriteSubType(KeyWriter& w, IndexResolver& r, const wasm::SubType& st) {
  w.U8(st.final ? 1 : 0);
  w.U32(static_cast<uint32_t>(st.supers.size()));
  for (uint32_t s : st.supers) r.Write(w, s);
  const wasm::CompositeType& c = st.composite;
  w.U8(static_cast<uint8_t>(c.kind));
  if (c.kind == wasm::CompositeKind::kFunc) {
    w.U32(static_cast<uint32_t>(c.func.params.size()));
    for (const wasm::ValType& v : c.func.params) WriteValType(w, r, v);
    w.U32(static_cast<uint32_t>(c.func.results.size()));
    for (const wasm::ValType& v : c.func.results) WriteValType(w, r, v);
    return;
  }
  w.U32(static_cast<uint32_t>(c.fields.size()));
  for (const wasm::FieldType& f : c.fields) {
    WriteValType(w, r, f.storage.type);
    w.U8(static_cast<uint8_t>(f.storage.packed));
    w.U8(f.mutable_ ? 1 : 0);
  }
}

// Interns a group keyed by `key` (or gives it fresh ids when `shared` is false): the id of
// its first type; `fill(first)` sets up the new entries.
template <typename Fill>
uint32_t InternGroup(const std::string& key, bool shared, uint32_t count, Fill fill) {
  Registry& r = GetRegistry();
  std::lock_guard<std::mutex> lock(r.mu);
  if (shared) {
    auto it = r.groups.find(key);
    if (it != r.groups.end()) return it->second;
  }
  auto first = static_cast<uint32_t>(r.types.size());
  r.types.resize(r.types.size() + count);
  fill(first, r.types);
  if (shared) r.groups.emplace(key, first);
  return first;
}

// [wasmgc] wasm/heap_subtype.h's view of canonical ids (the one subtyping implementation,
// shared with the validator).
struct CanonicalResolver {
  bool Has(uint32_t id) const {
    Registry& r = GetRegistry();
    std::lock_guard<std::mutex> lock(r.mu);
    return id != 0 && id < r.types.size();
  }
  wasm::CompositeKind Kind(uint32_t id) const { return CanonicalKind(id); }
  bool ConcreteSubtype(uint32_t a, uint32_t b) const { return CanonicalTypeMatches(a, b); }
};

// [wasmgc] `t` of the group starting at type index `first` (interned at canonical id `at`)
// with canonical ids in its concrete heap types.
wasm::ValType CanonicalInGroup(const std::vector<uint32_t>& ids, uint32_t first, uint32_t count,
                               uint32_t at, wasm::ValType t) {
  if (!t.is_ref() || !t.heap.is_index()) return t;
  const uint32_t i = t.heap.index;
  if (i >= first && i - first < count)
    t.heap.index = at + (i - first);
  else if (i < ids.size())
    t.heap.index = ids[i];
  return t;
}

wasm::CompositeType CanonicalComposite(const std::vector<uint32_t>& ids, uint32_t first,
                                       uint32_t count, uint32_t at, wasm::CompositeType c) {
  for (wasm::ValType& v : c.func.params) v = CanonicalInGroup(ids, first, count, at, v);
  for (wasm::ValType& v : c.func.results) v = CanonicalInGroup(ids, first, count, at, v);
  for (wasm::FieldType& f : c.fields)
    f.storage.type = CanonicalInGroup(ids, first, count, at, f.storage.type);
  return c;
}

}  // namespace

std::vector<uint32_t> CanonicalTypeIds(const wasm::Module& m) {
  const auto n = static_cast<uint32_t>(m.types.size());
  std::vector<uint32_t> ids(n, 0);
  // The groups in order; a module without group records has one group per type.
  std::vector<wasm::RecGroup> groups = m.rec_groups;
  uint32_t covered = 0;
  for (const wasm::RecGroup& g : groups) {
    if (g.first != covered || g.count > n - covered) {
      groups.clear();
      break;
    }
    covered += g.count;
  }
  if (covered != n) groups.clear();
  if (groups.empty())
    for (uint32_t i = 0; i < n; ++i) groups.push_back(wasm::RecGroup{i, 1});

  for (const wasm::RecGroup& g : groups) {
    KeyWriter w;
    IndexResolver r{&ids, g.first, g.count, true};
    w.U32(g.count);
    for (uint32_t k = 0; k < g.count; ++k) WriteSubType(w, r, m.types[g.first + k]);
    uint32_t first = InternGroup(w.key(), r.ok, g.count, [&](uint32_t at, std::deque<Entry>& t) {
      for (uint32_t k = 0; k < g.count; ++k) {
        const wasm::SubType& st = m.types[g.first + k];
        Entry& e = t[at + k];
        e.kind = st.composite.kind;
        e.composite = CanonicalComposite(ids, g.first, g.count, at, st.composite);
        // [wasmgc] FuncTypeOf: canonical too (the host's Invoke, tags and the wast runner
        // resolve concrete types by canonical id, as for InternFuncType's types).
        if (e.kind == wasm::CompositeKind::kFunc) e.func = e.composite.func;
        if (!st.supers.empty()) {
          uint32_t s = st.supers[0];
          if (s >= g.first && s - g.first < g.count)
            e.super = at + (s - g.first);
          else if (s < g.first)
            e.super = ids[s];
        }
      }
    });
    for (uint32_t k = 0; k < g.count; ++k) ids[g.first + k] = first + k;
  }
  return ids;
}

std::vector<uint32_t> ComputeTypeIds(const wasm::Module& m) {
  return CanonicalTypeIds(m);
}

uint32_t InternFuncType(const wasm::FuncType& type) {
  // A group of one final function type without supertypes; its concrete heap types are taken
  // as canonical ids already (the host has no type indices of its own).
  KeyWriter w;
  IndexResolver r{nullptr, 0, 0, true, true};
  wasm::SubType st;
  st.composite.func = type;
  w.U32(1);
  WriteSubType(w, r, st);
  return InternGroup(w.key(), true, 1, [&](uint32_t at, std::deque<Entry>& t) {
    t[at].func = type;
    t[at].kind = wasm::CompositeKind::kFunc;
    t[at].composite.func = type;  // [wasmgc] canonical already
  });
}

const wasm::FuncType& FuncTypeOf(uint32_t type_id) {
  Registry& r = GetRegistry();
  std::lock_guard<std::mutex> lock(r.mu);
  return r.types.at(type_id).func;
}

wasm::CompositeKind CanonicalKind(uint32_t id) {
  Registry& r = GetRegistry();
  std::lock_guard<std::mutex> lock(r.mu);
  return id < r.types.size() ? r.types[id].kind : wasm::CompositeKind::kFunc;
}

const wasm::CompositeType& CanonicalCompositeType(uint32_t id) {
  Registry& r = GetRegistry();
  std::lock_guard<std::mutex> lock(r.mu);
  return r.types.at(id).composite;  // entries never change once made (deque: stable)
}

uint32_t CanonicalSuper(uint32_t id) {
  Registry& r = GetRegistry();
  std::lock_guard<std::mutex> lock(r.mu);
  return id < r.types.size() ? r.types[id].super : 0;
}

bool CanonicalTypeMatches(uint32_t sub, uint32_t super) {
  if (sub == super) return true;
  Registry& r = GetRegistry();
  std::lock_guard<std::mutex> lock(r.mu);
  // Supertypes come from earlier groups or earlier in the same group: ids decrease.
  for (uint32_t at = sub; at != 0 && at < r.types.size();) {
    uint32_t s = r.types[at].super;
    if (s == super) return true;
    if (s >= at) return false;
    at = s;
  }
  return false;
}

wasm::ValType CanonicalValType(const std::vector<uint32_t>& ids, wasm::ValType t) {
  if (t.is_ref() && t.heap.is_index() && t.heap.index < ids.size())
    t.heap.index = ids[t.heap.index];
  return t;
}

bool CanonicalValTypeMatches(const wasm::ValType& sub, const wasm::ValType& super) {
  return wasm::ValSubtype(sub, super, CanonicalResolver{});
}

wasm::HeapKind CanonicalHeapTop(const wasm::HeapType& t) {  // [wasmgc]
  return wasm::HeapTop(t, CanonicalResolver{});
}

}  // namespace wt::runtime
