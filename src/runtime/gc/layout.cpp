// [wasmgc] Object layout (runtime/gc/object.h): struct field offsets, storage sizes, which
// references are managed, and the static Rtts of extern objects and exceptions.
#include <algorithm>

#include "runtime/gc/object.h"
#include "wasm/module.h"

namespace wt::runtime::gc {

uint32_t StorageSize(const wasm::StorageType& s) {
  switch (s.packed) {
    case wasm::Packed::kI8:
      return 1;
    case wasm::Packed::kI16:
      return 2;
    case wasm::Packed::kNone:
      break;
  }
  switch (s.type.kind) {
    case wasm::ValKind::kI32:
    case wasm::ValKind::kF32:
      return 4;
    case wasm::ValKind::kV128:
      return 16;
    default:
      return 8;  // i64, f64, references
  }
}

StructLayout LayoutStruct(const wasm::CompositeType& t) {
  StructLayout l;
  uint32_t at = kStructFields;
  l.offsets.reserve(t.fields.size());
  for (const wasm::FieldType& f : t.fields) {
    const uint32_t size = StorageSize(f.storage);
    const uint32_t align = std::min<uint32_t>(size, kGcAlign);
    at = (at + align - 1) & ~(align - 1);
    l.offsets.push_back(at);
    at += size;
  }
  l.size = (at + kGcAlign - 1) & ~(kGcAlign - 1);
  return l;
}

bool IsManagedRef(const wasm::ValType& t, bool index_is_func) {
  if (!t.is_ref()) return false;
  switch (t.heap.kind) {
    case wasm::HeapKind::kFunc:
    case wasm::HeapKind::kNoFunc:
    case wasm::HeapKind::kBot:
      return false;
    case wasm::HeapKind::kIndex:
      return !index_is_func;
    default:
      return true;
  }
}

bool IsManagedRef(const wasm::ValType& t, const wasm::Module& m) {
  const bool index_is_func = t.is_ref() && t.heap.is_index() && t.heap.index < m.types.size() &&
                             m.types[t.heap.index].composite.kind == wasm::CompositeKind::kFunc;
  return IsManagedRef(t, index_is_func);
}

namespace {

// A static Rtt of depth 0 whose display holds only itself.
struct StaticRtt {
  explicit StaticRtt(GcKind kind) : r{} {
    r.display[0] = &r;
    r.composite = wasm::CompositeKind::kStruct;
    r.kind = kind;
  }
  Rtt r;
};

}  // namespace

const Rtt* ExternRtt() {
  static const StaticRtt s(GcKind::kExtern);
  return &s.r;
}

const Rtt* ExceptionRtt() {
  static const StaticRtt s(GcKind::kException);
  return &s.r;
}

}  // namespace wt::runtime::gc
