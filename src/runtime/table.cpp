// Tables (funcref / externref arrays) and globals.
#include "runtime/runtime.h"

namespace wt::runtime {
namespace {

// An implementation limit on table sizes (table.grow past it fails with -1, as the spec
// allows); keeps a hostile module from allocating unbounded host memory.
constexpr uint64_t kMaxTableElems = 10'000'000;

}  // namespace

Result<std::unique_ptr<Table>> Table::Create(const wasm::TableType& type, void* init) {
  std::unique_ptr<Table> t(new Table());
  t->type_ = type;
  uint64_t index_limit = type.addr == wasm::AddrType::kI32 ? UINT32_MAX : UINT64_MAX;
  uint64_t max = type.limits.max ? std::min(*type.limits.max, index_limit) : index_limit;
  t->max_size_ = std::min(max, kMaxTableElems);
  if (type.limits.min > t->max_size_) {
    return MakeError(ErrorKind::kUninstantiable, "table of {} elements is too large",
                     type.limits.min);
  }
  t->elems_.assign(type.limits.min, init);
  t->data_.elems = t->elems_.data();
  t->data_.size = t->elems_.size();
  return t;
}

wasm::TableType Table::type() const {
  wasm::TableType t = type_;
  t.limits.min = data_.size;
  return t;
}

std::optional<void*> Table::Get(uint64_t index) const {
  if (index >= data_.size) return std::nullopt;
  return elems_[index];
}

bool Table::Set(uint64_t index, void* ref) {
  if (index >= data_.size) return false;
  elems_[index] = ref;
  return true;
}

std::optional<uint64_t> Table::Grow(uint64_t delta, void* init) {
  uint64_t old = data_.size;
  if (delta > max_size_ - old) return std::nullopt;
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
  if (v.type.kind != type_.type.kind) {
    return MakeError(ErrorKind::kUsage, "type mismatch: global of type {} set to a {}",
                     wasm::ValTypeName(type_.type), wasm::ValTypeName(v.type));
  }
  cell_ = v.bits;
  return Ok();
}

}  // namespace wt::runtime
