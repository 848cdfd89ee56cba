// Tables (arrays of references of any type) and globals.
#include <algorithm>

#include "runtime/gc/gc_ref.h"
#include "runtime/runtime.h"
#include "runtime/type_registry.h"

namespace wt::runtime {
namespace {

// An implementation limit on table sizes (table.grow past it fails with -1, as the spec
// allows); keeps a hostile module from allocating unbounded host memory.
constexpr uint64_t kMaxTableElems = 10'000'000;

}  // namespace

// [gc] Elements of externref tables hold counts: one per element set to `ref`.
static void CountElems(const wasm::ValType& elem, void* ref, uint64_t n) {
  if (ref == nullptr || !gc::IsGcRefType(elem)) return;
  for (uint64_t i = 0; i < n; ++i) gc::IncRef(ref);
}

Result<std::unique_ptr<Table>> Table::Create(const wasm::TableType& type, void* init) {
  return Create(type, init, StoreLimits{});
}

namespace {

// The largest size a table of `type` may reach within `limits` and `capacity` (0 = none).
Result<uint64_t> MaxSize(const wasm::TableType& type, const StoreLimits& limits,
                         uint64_t capacity) {
  uint64_t index_limit = type.addr == wasm::AddrType::kI32 ? UINT32_MAX : UINT64_MAX;
  uint64_t max = type.limits.max ? std::min(*type.limits.max, index_limit) : index_limit;
  uint64_t cap = limits.max_table_elements != 0 ? limits.max_table_elements : kMaxTableElems;
  const char* what = limits.max_table_elements != 0 ? "table element limit" : "table size limit";
  if (capacity != 0 && capacity < cap) {
    cap = capacity;
    what = "pool's table size";
  }
  if (type.limits.min > cap) {
    return MakeError(ErrorKind::kUninstantiable, "table of {} elements exceeds the {} of {}",
                     type.limits.min, what, cap);
  }
  return std::min(max, cap);
}

}  // namespace

Result<std::unique_ptr<Table>> Table::Create(const wasm::TableType& type, void* init,
                                             const StoreLimits& limits) {
  std::unique_ptr<Table> t(new Table());
  t->type_ = type;
  WT_TRY_ASSIGN(t->max_size_, MaxSize(type, limits, 0));
  t->elems_.assign(type.limits.min, init);
  CountElems(type.elem, init, type.limits.min);
  t->data_.elems = t->elems_.data();
  t->data_.size = t->elems_.size();
  return t;
}

Result<std::unique_ptr<Table>> Table::CreateAt(const wasm::TableType& type, void* init,
                                               const StoreLimits& limits, void** storage,
                                               uint64_t capacity, std::shared_ptr<void> keep) {
  std::unique_ptr<Table> t(new Table());
  t->type_ = type;
  WT_TRY_ASSIGN(t->max_size_, MaxSize(type, limits, capacity));
  t->storage_ = storage;
  t->keep_ = std::move(keep);
  std::fill(storage, storage + type.limits.min, init);
  CountElems(type.elem, init, type.limits.min);
  t->data_.elems = storage;
  t->data_.size = type.limits.min;
  return t;
}

wasm::TableType Table::type() const {
  wasm::TableType t = type_;
  t.limits.min = data_.size;
  return t;
}

std::optional<void*> Table::Get(uint64_t index) const {
  if (index >= data_.size) return std::nullopt;
  return data_.elems[index];
}

bool Table::Set(uint64_t index, void* ref) {
  if (index >= data_.size) return false;
  void* old = data_.elems[index];
  CountElems(type_.elem, ref, 1);
  data_.elems[index] = ref;
  if (gc::IsGcRefType(type_.elem)) gc::DecRef(old);
  return true;
}

std::optional<uint64_t> Table::Grow(uint64_t delta, void* init) {
  uint64_t old = data_.size;
  if (delta > max_size_ - old) return std::nullopt;
  CountElems(type_.elem, init, delta);
  if (storage_) {
    std::fill(storage_ + old, storage_ + old + delta, init);
    data_.size = old + delta;
    return old;
  }
  elems_.resize(old + delta, init);
  data_.elems = elems_.data();
  data_.size = elems_.size();
  return old;
}

Global::Global(const wasm::GlobalType& type, const Value& init) : cell_(init.bits), type_(type) {}

Value Global::Get() const {
  Value v;
  v.type = type_.type;
  v.bits = cell_;
  return v;
}

Status Global::Set(const Value& v) {
  if (!type_.mutable_) return MakeError(ErrorKind::kUsage, "global is immutable");
  // [wasmgc] References: the same hierarchy (a funcref in an anyref cell would be counted).
  if (v.type.kind != type_.type.kind ||
      (v.type.is_ref() && CanonicalHeapTop(v.type.heap) != CanonicalHeapTop(type_.type.heap))) {
    return MakeError(ErrorKind::kUsage, "type mismatch: global of type {} set to a {}",
                     wasm::ValTypeName(type_.type), wasm::ValTypeName(v.type));
  }
  void* old = cell_.ref;
  bool counted = gc::IsGcRefType(type_.type);
  if (counted) gc::IncRef(v.bits.ref);
  cell_ = v.bits;
  if (counted) gc::DecRef(old);
  return Ok();
}

}  // namespace wt::runtime
