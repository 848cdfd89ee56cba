// Store, Instance accessors and host objects.
#include <algorithm>
#include <cstdint>
#include <type_traits>

#include "runtime/instance_data.h"
#include "runtime/interrupt.h"

namespace wt::runtime {

static_assert(std::is_standard_layout_v<Func>, "Func::FromRef needs FuncRef at offset 0");

// ---- Store

Store::Store() : Store(StoreOptions{}) {}

Store::Store(const StoreOptions& options) : data_(std::make_unique<StoreData>()) {
  data_->options = options;
  // Fuel and epochs (docs/traps-limits.md): read only by code compiled with
  // CompileOptions::consume_fuel / epoch_interruption. No budget: practically unlimited.
  VMStoreContext& ctx = data_->store_ctx;
  ctx.fuel_consumed = INT64_MIN;
  if (options.fuel)
    ctx.fuel_consumed = -static_cast<int64_t>(std::min<uint64_t>(*options.fuel, INT64_MAX));
  ctx.epoch_counter = EpochCounter();
  ctx.epoch_deadline = kNoEpochDeadline;
  if (options.timeout) ctx.epoch_deadline = RegisterDeadline(*options.timeout);
}

const StoreOptions& Store::options() const {
  return data_->options;
}

void Store::ResetLimits() {
  VMStoreContext& ctx = data_->store_ctx;
  const StoreOptions& options = data_->options;
  if (options.fuel)
    ctx.fuel_consumed = -static_cast<int64_t>(std::min<uint64_t>(*options.fuel, INT64_MAX));
  if (options.timeout) {
    // The new deadline first: the timer thread keeps running (it stops with the last one).
    const uint64_t old = ctx.epoch_deadline;
    ctx.epoch_deadline = RegisterDeadline(*options.timeout);
    ReleaseDeadline(old);
  }
}

Store::~Store() {
  if (data_->options.timeout) ReleaseDeadline(data_->store_ctx.epoch_deadline);
}

// [gc] Drops the counts this store's holders own: the activations table, the elements of
// externref tables and globals, the wast host values. (Called first by ~StoreData.)
void StoreData::ReleaseRefs() {
  activations.reset();
  for (auto& t : tables) {
    if (!gc::IsGcRefType(t->elem_type())) continue;
    for (uint64_t i = 0; i < t->size(); ++i) {
      void* r = t->elems()[i];
      t->elems()[i] = nullptr;
      gc::DecRef(r);
    }
  }
  for (auto& g : globals) {
    if (!gc::IsGcRefType(g->type().type)) continue;
    void* r = g->cell()->ref;
    g->cell()->ref = nullptr;
    gc::DecRef(r);
  }
  host_ref_index.clear();
  host_refs.clear();
}

gc::ActivationsTable& StoreData::Activations() {
  if (!activations) activations = std::make_unique<gc::ActivationsTable>(&store_ctx);
  return *activations;
}

namespace {

// [gc] Host functions returning externrefs hand over one count per result; the wrapper moves
// it into the activations table (the results then live like any reference in wasm frames).
uint32_t HostRefTrampoline(void* env, VMContext* caller, ValueSlot* args) noexcept {
  auto* w = static_cast<HostRefWrapper*>(env);
  uint32_t rc = w->fn(w->env, caller, args);
  if (rc != 0) return rc;
  for (uint32_t i : w->ref_results) {
    if (args[i].ref != nullptr) w->store->Activations().InsertOwned(args[i].ref);
  }
  return 0;
}

}  // namespace

Func* Store::NewHostFunc(const wasm::FuncType& type, HostFn fn, void* env) {
  auto f = std::make_unique<Func>();
  std::vector<uint32_t> ref_results;  // [gc]
  for (size_t i = 0; i < type.results.size(); ++i)
    if (gc::IsGcRefType(type.results[i])) ref_results.push_back(static_cast<uint32_t>(i));
  if (!ref_results.empty()) {
    auto w = std::make_unique<HostRefWrapper>();
    w->fn = fn;
    w->env = env;
    w->store = data_.get();
    w->ref_results = std::move(ref_results);
    env = w.get();
    fn = &HostRefTrampoline;
    data_->host_wrappers.push_back(std::move(w));
  }
  f->host_.fn = fn;
  f->host_.env = env;
  f->ref_.code = jit::HostStubFor(type);
  f->ref_.vmctx = reinterpret_cast<VMContext*>(&f->host_);
  f->ref_.type_id = InternFuncType(type);
  f->ref_.func_index = 0;
  Func* raw = f.get();
  data_->host_funcs.push_back(std::move(f));
  return raw;
}

Result<Memory*> Store::NewMemory(const wasm::MemoryType& type) {
  WT_TRY_ASSIGN(std::unique_ptr<Memory> m, Memory::Create(type, data_->options.limits));
  Memory* raw = m.get();
  data_->memories.push_back(std::move(m));
  return raw;
}

Result<Table*> Store::NewTable(const wasm::TableType& type, void* init) {
  WT_TRY_ASSIGN(std::unique_ptr<Table> t, Table::Create(type, init, data_->options.limits));
  Table* raw = t.get();
  data_->tables.push_back(std::move(t));
  return raw;
}

Result<Global*> Store::NewGlobal(const wasm::GlobalType& type, const Value& init) {
  if (init.type.kind != type.type.kind) {
    return MakeError(ErrorKind::kUsage, "type mismatch: global of type {} initialized with a {}",
                     wasm::ValTypeName(type.type), wasm::ValTypeName(init.type));
  }
  auto g = std::make_unique<Global>(type, init);
  if (gc::IsGcRefType(type.type)) gc::IncRef(init.bits.ref);  // [gc] the cell's count
  Global* raw = g.get();
  data_->globals.push_back(std::move(g));
  return raw;
}

void* Store::HostRef(uint64_t n) {
  auto it = data_->host_refs.find(n);
  if (it != data_->host_refs.end()) return it->second.get();
  // [gc] A counted externref whose payload is n itself; the store holds it until it dies.
  gc::ExternRef r = gc::ExternRef::New(reinterpret_cast<void*>(static_cast<uintptr_t>(n)), nullptr);
  void* p = r.get();
  data_->host_refs.emplace(n, std::move(r));
  data_->host_ref_index.emplace(p, n);
  return p;
}

std::optional<uint64_t> Store::HostRefIndex(const void* ref) const {
  auto it = data_->host_ref_index.find(ref);
  if (it == data_->host_ref_index.end()) return std::nullopt;
  return it->second;
}

void StoreData::SetStackLimit(uintptr_t limit) {
  if (limit == stack_limit) return;
  stack_limit = limit;
  for (auto& inst : instances) inst->vmctx()->stack_limit = limit;
}

Instance* StoreData::AddInstance(std::unique_ptr<InstanceData> data) {
  data->vmctx.stack_limit = stack_limit;
  data->vmctx.store_ctx = &store_ctx;
  std::unique_ptr<Instance> inst(new Instance(std::move(data)));
  inst->data().vmctx.instance = inst.get();
  instances.push_back(std::move(inst));
  return instances.back().get();
}

// ---- Instance

Instance::Instance(std::unique_ptr<InstanceData> data) : data_(std::move(data)) {}

Instance::~Instance() = default;

const wasm::Module& Instance::module() const {
  return *data_->module;
}

const std::shared_ptr<const LoadedModule>& Instance::loaded() const {
  return data_->loaded;
}

std::span<const ExportEntry> Instance::exports() const {
  return data_->exports;
}

std::optional<Extern> Instance::GetExport(std::string_view name) const {
  auto it = data_->export_index.find(name);
  if (it == data_->export_index.end()) return std::nullopt;
  return data_->exports[it->second].value;
}

Func* Instance::GetFunc(std::string_view name) const {
  auto e = GetExport(name);
  return e ? e->func() : nullptr;
}

Global* Instance::GetGlobal(std::string_view name) const {
  auto e = GetExport(name);
  return e ? e->global() : nullptr;
}

Memory* Instance::GetMemory(std::string_view name) const {
  auto e = GetExport(name);
  return e ? e->memory() : nullptr;
}

Table* Instance::GetTable(std::string_view name) const {
  auto e = GetExport(name);
  return e ? e->table() : nullptr;
}

VMContext* Instance::vmctx() {
  return &data_->vmctx;
}

}  // namespace wt::runtime
