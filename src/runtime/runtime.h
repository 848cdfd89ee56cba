// The runtime's public API: load (decode + validate + compile) modules, create host objects,
// link and instantiate, invoke functions, read and write globals.
//
//   Store store;                       // owns every instance, memory, table, global, function
//   Linker linker;
//   DefineSpectest(linker, store);     // the spec's `spectest` module
//   WT_TRY_ASSIGN(auto loaded, LoadModule(bytes, features));
//   WT_TRY_ASSIGN(Instance* inst, linker.Instantiate(store, loaded));
//   WT_TRY_ASSIGN(InvokeResult r, Invoke(store, *inst->GetFunc("f"), args));
//   if (r.trap) ... else r.results
//
// Objects are owned by their Store and live as long as it (also those of a failed
// instantiation: an imported table may hold their functions). A Store is used by one thread
// at a time. Pointers to runtime objects stay valid for the Store's life.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "jit/compiler.h"
#include "runtime/store_options.h"
#include "runtime/trap/trap.h"
#include "runtime/vmctx.h"
#include "util/result.h"
#include "wasm/features.h"
#include "wasm/module.h"
#include "wasm/types.h"

namespace wt::runtime {

class Func;
class Global;
class Instance;
class Memory;
class MemoryBacking;  // [pool] runtime/pool/allocator.h
class Store;
class Table;
class Tag;  // [exceptions]

// ---- Canonical function type ids (process-wide): structurally equal function types get
// equal ids, across modules and stores. This is what FuncRef::type_id and VMContext::type_ids
// hold and what call_indirect compares.
uint32_t InternFuncType(const wasm::FuncType& type);
// The function type of an id returned by InternFuncType (stable reference).
const wasm::FuncType& FuncTypeOf(uint32_t type_id);

// ---- Values

// A typed value. For references: funcref = `const FuncRef*` (a Func's ref()), externref = an
// opaque host pointer (see Store::HostRef), null = nullptr.
struct Value {
  wasm::ValType type = wasm::ValType::I32();
  ValueSlot bits{};

  static Value I32(uint32_t v);
  static Value I64(uint64_t v);
  static Value F32(float v);
  static Value F32Bits(uint32_t bits);
  static Value F64(double v);
  static Value F64Bits(uint64_t bits);
  static Value V128(const uint8_t bytes[16]);
  static Value Ref(wasm::ValType type, const void* ref);  // type must be a reference type
  static Value Null(wasm::ValType type) { return Ref(type, nullptr); }
  static Value FuncRefOf(const Func* f);     // funcref to f (null if f is nullptr)
  static Value ExternRef(const void* ref);   // externref
  static Value Default(wasm::ValType type);  // zero / null

  uint32_t i32() const { return bits.i32; }
  uint64_t i64() const { return bits.i64; }
  uint32_t f32_bits() const { return bits.i32; }
  uint64_t f64_bits() const { return bits.i64; }
  float f32() const { return bits.f32; }
  double f64() const { return bits.f64; }
  void* ref() const { return bits.ref; }
  bool is_null_ref() const { return type.is_ref() && bits.ref == nullptr; }
  // The Func a non-null funcref value refers to, or nullptr.
  const Func* func() const;
};

// "i32:42", "f64:0x..." (for messages and the CLI).
std::string ValueToString(const Value& v);

// ---- Runtime objects (created by a Store or by instantiation)

class Func {
 public:
  const wasm::FuncType& type() const { return FuncTypeOf(ref_.type_id); }
  uint32_t type_id() const { return ref_.type_id; }
  bool is_host() const { return host_.fn != nullptr; }
  // The record JIT code calls through (what funcref values and funcref tables hold).
  const FuncRef* ref() const { return &ref_; }
  FuncRef* ref() { return &ref_; }
  // The Func whose ref() is `r` (r non-null, made by the runtime).
  static const Func* FromRef(const FuncRef* r) { return reinterpret_cast<const Func*>(r); }
  static Func* FromRef(FuncRef* r) { return reinterpret_cast<Func*>(r); }

  // Wasm functions: the defining instance (nullptr for host functions).
  Instance* instance() const { return instance_; }

  // Implementation data (public for standard layout; use the accessors above).
  FuncRef ref_{};                 // must stay the first member (FromRef)
  HostFuncRecord host_{};         // host functions: fn + env (ref_.vmctx points here)
  jit::EntryFn entry_ = nullptr;  // wasm functions: host -> wasm trampoline for the type
  Instance* instance_ = nullptr;
};

class Memory {
 public:
  Memory(const Memory&) = delete;
  Memory& operator=(const Memory&) = delete;
  ~Memory();

  // Reserves the address space (8 GiB for a 32-bit memory) and commits `type.limits.min`
  // pages. kUnsupported / kUninstantiable errors when the reservation fails.
  static Result<std::unique_ptr<Memory>> Create(const wasm::MemoryType& type);
  // [pool] Same, within the store's limits (max_memory_bytes caps growth; a larger initial size
  // is a kUninstantiable error).
  static Result<std::unique_ptr<Memory>> Create(const wasm::MemoryType& type,
                                                const StoreLimits& limits);
  // [pool] A memory placed by an instance allocator at `base` (at least 8 GiB reserved,
  // inaccessible past the committed size), usable up to `max_bytes`; `backing` commits pages
  // on grow and gives the space back when the memory dies.
  static Result<std::unique_ptr<Memory>> CreateAt(const wasm::MemoryType& type,
                                                  const StoreLimits& limits, uint8_t* base,
                                                  uint64_t max_bytes,
                                                  std::shared_ptr<MemoryBacking> backing);

  // The current type: limits.min = current pages, limits.max = declared maximum.
  wasm::MemoryType type() const;
  bool is64() const { return type_.addr == wasm::AddrType::kI64; }
  uint64_t pages() const { return data_.size_bytes >> type_.page_size_log2; }
  uint64_t size_bytes() const { return data_.size_bytes; }
  uint8_t* data() const { return data_.base; }
  // The largest number of pages this memory may reach (declared max, capped by the index
  // type: 65536 pages for a 32-bit memory of 64 KiB pages).
  uint64_t max_pages() const { return max_pages_; }
  // memory.grow: the old size in pages, or nullopt (the memory is unchanged).
  std::optional<uint64_t> Grow(uint64_t delta_pages);

  MemoryData* vm() { return &data_; }

 private:
  Memory() = default;
  MemoryData data_{};
  wasm::MemoryType type_;
  uint64_t max_pages_ = 0;
  uint64_t reserved_bytes_ = 0;
  std::shared_ptr<MemoryBacking> backing_;  // [pool] nullptr: this memory's own mapping
};

class Table {
 public:
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;
  ~Table() = default;

  // `init` fills the initial elements (FuncRef* / externref / nullptr).
  static Result<std::unique_ptr<Table>> Create(const wasm::TableType& type, void* init);
  // [pool] Same, within the store's limits (max_table_elements).
  static Result<std::unique_ptr<Table>> Create(const wasm::TableType& type, void* init,
                                               const StoreLimits& limits);
  // [pool] Elements in `storage` (room for `capacity`, kept alive by `keep`), placed by an
  // instance allocator.
  static Result<std::unique_ptr<Table>> CreateAt(const wasm::TableType& type, void* init,
                                                 const StoreLimits& limits, void** storage,
                                                 uint64_t capacity, std::shared_ptr<void> keep);

  // The current type: limits.min = current size.
  wasm::TableType type() const;
  wasm::ValType elem_type() const { return type_.elem; }
  uint64_t size() const { return data_.size; }
  uint64_t max_size() const { return max_size_; }
  // nullopt when out of bounds.
  std::optional<void*> Get(uint64_t index) const;
  bool Set(uint64_t index, void* ref);
  // table.grow: the old size, or nullopt (the table is unchanged).
  std::optional<uint64_t> Grow(uint64_t delta, void* init);
  void** elems() { return data_.elems; }

  TableData* vm() { return &data_; }

 private:
  Table() = default;
  TableData data_{};
  std::vector<void*> elems_;
  wasm::TableType type_;
  uint64_t max_size_ = 0;
  void** storage_ = nullptr;  // [pool] placed elements (elems_ unused)
  std::shared_ptr<void> keep_;
};

class Global {
 public:
  Global(const wasm::GlobalType& type, const Value& init);
  Global(const Global&) = delete;
  Global& operator=(const Global&) = delete;

  const wasm::GlobalType& type() const { return type_; }
  Value Get() const;
  // Errors (kUsage) for an immutable global or a value of another type.
  Status Set(const Value& v);
  // The cell JIT code reads and writes.
  ValueSlot* cell() { return &cell_; }

 private:
  ValueSlot cell_{};
  wasm::GlobalType type_;
};

// [exceptions] An exception tag (docs/exceptions.md): its identity is the object (a catch
// clause matches an exception thrown with the very same Tag), its payload types are the
// params of a function type (canonical id, as FuncRef::type_id).
class Tag {
 public:
  Tag(uint32_t type_id, std::string name) : type_id_(type_id), name_(std::move(name)) {}
  Tag(const Tag&) = delete;
  Tag& operator=(const Tag&) = delete;
  const wasm::FuncType& type() const { return FuncTypeOf(type_id_); }
  uint32_t type_id() const { return type_id_; }
  // For reports: the first export name, else "tag N" of the defining module.
  const std::string& name() const { return name_; }
  void set_name(std::string n) { name_ = std::move(n); }

 private:
  uint32_t type_id_;
  std::string name_;
};

// An exported / importable object.
struct Extern {
  wasm::ExternKind kind = wasm::ExternKind::kFunc;
  void* object = nullptr;

  Extern() = default;
  Extern(Func* f) : kind(wasm::ExternKind::kFunc), object(f) {}
  Extern(Table* t) : kind(wasm::ExternKind::kTable), object(t) {}
  Extern(Memory* m) : kind(wasm::ExternKind::kMemory), object(m) {}
  Extern(Global* g) : kind(wasm::ExternKind::kGlobal), object(g) {}
  Extern(Tag* t) : kind(wasm::ExternKind::kTag), object(t) {}  // [exceptions]

  Func* func() const { return Is(wasm::ExternKind::kFunc) ? static_cast<Func*>(object) : nullptr; }
  Table* table() const {
    return Is(wasm::ExternKind::kTable) ? static_cast<Table*>(object) : nullptr;
  }
  Memory* memory() const {
    return Is(wasm::ExternKind::kMemory) ? static_cast<Memory*>(object) : nullptr;
  }
  Global* global() const {
    return Is(wasm::ExternKind::kGlobal) ? static_cast<Global*>(object) : nullptr;
  }
  Tag* tag() const { return Is(wasm::ExternKind::kTag) ? static_cast<Tag*>(object) : nullptr; }

 private:
  bool Is(wasm::ExternKind k) const { return kind == k; }
};

// ---- Loaded (compiled) modules

// A decoded, validated and compiled module; its code is registered in the code registry
// (pc -> code, for the trap handler) for as long as this object lives. Instances hold it.
struct LoadedModule {
  std::shared_ptr<const wasm::Module> module;
  std::unique_ptr<jit::CompiledModule> code;
  std::vector<uint32_t> type_ids;  // module type index -> canonical id (0 for non-function types;
                                   // InternFuncType never returns 0)

  LoadedModule() = default;
  LoadedModule(const LoadedModule&) = delete;
  LoadedModule& operator=(const LoadedModule&) = delete;
  ~LoadedModule();  // unregisters the code
};

// Canonical type ids of a module's types, LoadedModule::type_ids (runtime/load.cpp; the
// .cwasm loader uses it too).
std::vector<uint32_t> ComputeTypeIds(const wasm::Module& m);

// Decodes, validates and compiles. Errors: kMalformed, kInvalid, kUnsupported.
Result<std::shared_ptr<LoadedModule>> LoadModule(std::vector<uint8_t> bytes,
                                                 const wasm::Features& features);
// Same, from a decoded module (validated here unless `validated`).
Result<std::shared_ptr<LoadedModule>> LoadModule(wasm::Module module,
                                                 const wasm::Features& features,
                                                 bool validated = false);
// Same, with every compile option (fuel, epoch checks).
Result<std::shared_ptr<LoadedModule>> LoadModule(wasm::Module module,
                                                 const jit::CompileOptions& options,
                                                 bool validated = false);
// Same, for a module the caller shares (e.g. to read its exports when compiling fails).
Result<std::shared_ptr<LoadedModule>> LoadModule(std::shared_ptr<const wasm::Module> module,
                                                 const jit::CompileOptions& options,
                                                 bool validated = false);

// ---- Instances

struct ExportEntry {
  std::string name;
  Extern value;
};

class InstanceData;  // implementation (runtime/instance.h)

class Instance {
 public:
  ~Instance();
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  const wasm::Module& module() const;
  const std::shared_ptr<const LoadedModule>& loaded() const;
  std::span<const ExportEntry> exports() const;
  std::optional<Extern> GetExport(std::string_view name) const;
  // The export `name` if it is of that kind, else nullptr.
  Func* GetFunc(std::string_view name) const;
  Global* GetGlobal(std::string_view name) const;
  Memory* GetMemory(std::string_view name) const;
  Table* GetTable(std::string_view name) const;

  VMContext* vmctx();
  InstanceData& data() { return *data_; }

 private:
  friend class StoreData;
  explicit Instance(std::unique_ptr<InstanceData> data);
  std::unique_ptr<InstanceData> data_;
};

// ---- The store

class StoreData;  // implementation

class Store {
 public:
  Store();
  explicit Store(const StoreOptions& options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // A host function. `fn` reads params from args[0..n) and writes results to args[0..m),
  // returns 0 or 1 + TrapCode (see vmctx.h). Callable from wasm once the JIT provides a host
  // stub for the type (jit::HostStubFor), and directly through Invoke.
  Func* NewHostFunc(const wasm::FuncType& type, HostFn fn, void* env);
  Result<Memory*> NewMemory(const wasm::MemoryType& type);
  Result<Table*> NewTable(const wasm::TableType& type, void* init = nullptr);
  Result<Global*> NewGlobal(const wasm::GlobalType& type, const Value& init);

  // A stable, non-null externref standing for the host value `n` (the wast `ref.extern N`);
  // the same n gives the same pointer. HostRefIndex is the inverse (nullopt for other refs).
  void* HostRef(uint64_t n);
  std::optional<uint64_t> HostRefIndex(const void* ref) const;

  const StoreOptions& options() const;
  // [limits] Starts the limits afresh: the whole fuel budget again, the timeout counted from
  // now (`wtrun wast` gives each command the full --fuel and --timeout). No-op without them.
  void ResetLimits();
  StoreData& data() { return *data_; }

 private:
  std::unique_ptr<StoreData> data_;
};

// ---- Linking and instantiation

class Linker {
 public:
  // Defines (or redefines) the import `module`.`name`.
  void Define(std::string_view module, std::string_view name, Extern value);
  // Defines every export of `instance` under `module_name` (the wast `register` command).
  void DefineInstance(std::string_view module_name, const Instance& instance);
  std::optional<Extern> Lookup(std::string_view module, std::string_view name) const;

  // Resolves the imports and instantiates. Errors:
  // - kUnlinkable: "unknown import: MODULE::NAME", "incompatible import type: MODULE::NAME"
  //   (nothing has happened then);
  // - kUninstantiable: a trap while applying the segments or in the start function; the
  //   message is the trap's (TrapMessage) and `trap_out`, if given, receives the trap. The
  //   effects of segments applied before the failing one persist (in imported memories and
  //   tables).
  Result<Instance*> Instantiate(Store& store, std::shared_ptr<const LoadedModule> module,
                                Trap* trap_out = nullptr);

 private:
  struct Key {
    std::string module, name;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const;
  };
  std::unordered_map<Key, Extern, KeyHash> defs_;
};

// ---- Invocation

// [exceptions] An owned reference to a wasm exception (an exnref: one count, dropped by the
// destructor). What a host function gets back when wasm it invoked threw an exception nothing
// caught (wasmtime's ThrownException), and what it hands to PropagateException.
class ExnRef {
 public:
  ExnRef() = default;
  explicit ExnRef(void* exn) : exn_(exn) {}  // adopts one count of `exn` (may be null)
  ExnRef(const ExnRef& o);
  ExnRef& operator=(const ExnRef& o);
  ExnRef(ExnRef&& o) noexcept : exn_(o.exn_) { o.exn_ = nullptr; }
  ExnRef& operator=(ExnRef&& o) noexcept;
  ~ExnRef();

  explicit operator bool() const { return exn_ != nullptr; }
  void* get() const { return exn_; }  // the exnref value (identity), or null
  void* release() {                   // gives up the count
    void* e = exn_;
    exn_ = nullptr;
    return e;
  }
  // Non-null only: the tag it was thrown with, and its payload (the tag's param types).
  const Tag* tag() const;
  std::vector<Value> payload() const;

 private:
  void* exn_ = nullptr;
};

struct InvokeResult {
  std::vector<Value> results;  // empty if trapped
  std::optional<Trap> trap;
  // [exceptions] With trap code kUncaughtException: the exception that left the activation
  // (the trap's detail names its tag and payload). A host function called from wasm may
  // return PropagateException(std::move(exception)) to rethrow it into its wasm callers.
  ExnRef exception;
};

// Calls `func` with `args`. Errors (kUsage) when the arguments do not match the parameter
// types; a trap is a successful Result with `trap` set.
Result<InvokeResult> Invoke(Store& store, const Func& func, std::span<const Value> args);

// [exceptions] For a host function called from wasm: continues unwinding `exn` (non-null)
// into the wasm frames that called it, as if the host call had thrown it (the callers'
// try_table / try clauses can catch it; if none does, the outermost Invoke reports it as an
// uncaught exception). Returns the code the host function must return at once. Also valid in
// a host function called directly by Invoke (its result then carries the exception).
uint32_t PropagateException(ExnRef exn);
// [exceptions] A new exception of `tag` with `values` (the tag's param types), e.g. for a host
// function to throw with PropagateException.
ExnRef NewException(const Tag& tag, std::span<const Value> values);

// ---- The spec test host module

// Defines the `spectest` module: print, print_i32, print_i64, print_f32, print_f64,
// print_i32_f32, print_f64_f64 (they print to `print_to` when it is non-null), global_i32 =
// 666, global_i64 = 666, global_f32 = 666.6, global_f64 = 666.6, table (10..20 funcref),
// memory (1..2 pages).
void DefineSpectest(Linker& linker, Store& store, std::FILE* print_to = nullptr);

}  // namespace wt::runtime
