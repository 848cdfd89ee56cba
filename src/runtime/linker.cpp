// Linking (import resolution and type checks) and instantiation.
#include <algorithm>
#include <cstring>
#include <functional>

#include "runtime/instance_data.h"
#include "runtime/type_registry.h"

namespace wt::runtime {
namespace {

using wasm::ExternKind;

bool LimitsMatch(const wasm::Limits& actual, const wasm::Limits& expected) {
  if (actual.min < expected.min) return false;
  if (!expected.max) return true;
  return actual.max && *actual.max <= *expected.max;
}

Error Incompatible(const wasm::Import& imp, std::string_view why) {
  return MakeError(ErrorKind::kUnlinkable, "incompatible import type: {}::{} ({})", imp.module,
                   imp.name, why);
}

Status CheckImport(const LoadedModule& loaded, const wasm::Import& imp, const Extern& ext) {
  const wasm::Module& m = *loaded.module;
  if (ext.kind != imp.kind || ext.object == nullptr) {
    return Incompatible(imp, fmt::format("expected a {}, got a {}", wasm::ExternKindName(imp.kind),
                                         wasm::ExternKindName(ext.kind)));
  }
  switch (imp.kind) {
    case ExternKind::kFunc: {
      // [wasm3] R: the function's type matches the import's (equal canonical ids, or a
      // declared subtype).
      uint32_t want = loaded.type_ids[m.funcs[imp.index].type_index];
      if (!CanonicalTypeMatches(ext.func()->type_id(), want))
        return Incompatible(imp, "function type mismatch");
      return Ok();
    }
    case ExternKind::kTable: {
      const wasm::TableType& want = m.tables[imp.index].type;
      wasm::TableType have = ext.table()->type();
      // [wasm3] R: equal canonical element types (tables are mutable).
      if (!(have.elem == CanonicalValType(loaded.type_ids, want.elem)))
        return Incompatible(imp, "element type mismatch");
      if (have.addr != want.addr) return Incompatible(imp, "address type mismatch");
      if (!LimitsMatch(have.limits, want.limits)) return Incompatible(imp, "limits mismatch");
      return Ok();
    }
    case ExternKind::kMemory: {
      const wasm::MemoryType& want = m.memories[imp.index].type;
      wasm::MemoryType have = ext.memory()->type();
      if (have.addr != want.addr || have.shared != want.shared ||
          have.page_size_log2 != want.page_size_log2) {
        return Incompatible(imp, "memory type mismatch");
      }
      if (!LimitsMatch(have.limits, want.limits)) return Incompatible(imp, "limits mismatch");
      return Ok();
    }
    case ExternKind::kGlobal: {
      const wasm::GlobalType& want = m.globals[imp.index].type;
      const wasm::GlobalType& have = ext.global()->type();
      if (have.mutable_ != want.mutable_) return Incompatible(imp, "mutability mismatch");
      // [wasm3] R: an immutable global's type is a subtype of the import's; a mutable one's
      // is the same (canonical types).
      wasm::ValType want_type = CanonicalValType(loaded.type_ids, want.type);
      if (want.mutable_ ? !(have.type == want_type)
                        : !CanonicalValTypeMatches(have.type, want_type))
        return Incompatible(imp, "value type mismatch");
      return Ok();
    }
    case ExternKind::kTag: {  // [exceptions] equal canonical function types
      uint32_t want = loaded.type_ids[m.tags[imp.index].type.type_index];
      if (ext.tag()->type_id() != want) return Incompatible(imp, "tag type mismatch");
      return Ok();
    }
  }
  return Incompatible(imp, "unsupported import kind");
}

uint64_t OffsetValue(const Value& v, wasm::AddrType addr) {
  return addr == wasm::AddrType::kI64 ? v.i64() : v.i32();
}

Error TrapError(TrapCode code, Trap* trap_out, const Trap* trap = nullptr) {
  if (trap_out) {
    if (trap) {
      *trap_out = *trap;
    } else {
      *trap_out = Trap{};
      trap_out->code = code;
    }
  }
  return MakeError(ErrorKind::kUninstantiable, "{}", TrapMessage(code));
}

// Builds everything but the segments and the start function.
Status Build(Store& store, InstanceData& d, Instance* inst, const std::vector<Extern>& imports) {
  const wasm::Module& m = *d.module;
  const LoadedModule& loaded = *d.loaded;
  const jit::CompiledModule& code = *loaded.code;

  // Functions.
  size_t num_defined = m.funcs.size() - m.num_imported_funcs;
  if (code.func_code.size() != num_defined) {
    return MakeError(ErrorKind::kUninstantiable, "compiled code does not match the module");
  }
  d.own_funcs = std::make_unique<Func[]>(num_defined);
  d.funcs.resize(m.funcs.size(), nullptr);
  d.func_objs.resize(m.funcs.size(), nullptr);
  d.globals.reserve(m.globals.size());
  d.tables.reserve(m.tables.size());
  d.memories.reserve(m.memories.size());
  for (size_t i = 0; i < m.imports.size(); ++i) {
    const wasm::Import& imp = m.imports[i];
    const Extern& ext = imports[i];
    switch (imp.kind) {
      case ExternKind::kFunc:
        d.func_objs[imp.index] = ext.func();
        d.funcs[imp.index] = ext.func()->ref();
        break;
      default:
        break;  // the other kinds are added in index order below
    }
  }
  for (size_t j = 0; j < num_defined; ++j) {
    uint32_t index = static_cast<uint32_t>(m.num_imported_funcs + j);
    uint32_t ti = m.funcs[index].type_index;
    Func& f = d.own_funcs[j];
    f.ref_.code = code.func_code[j];
    f.ref_.vmctx = &d.vmctx;
    f.ref_.type_id = loaded.type_ids[ti];
    f.ref_.func_index = index;
    f.entry_ = ti < code.entries.size() ? code.entries[ti] : nullptr;
    f.instance_ = inst;
    d.func_objs[index] = &f;
    d.funcs[index] = f.ref();
  }
  d.vmctx.funcs = d.funcs.data();
  d.vmctx.type_ids = loaded.type_ids.data();
  // [wasmgc] The run-time type of every module type (struct.new, casts).
  d.rtts.reserve(loaded.type_ids.size());
  for (uint32_t id : loaded.type_ids) d.rtts.push_back(gc::RttOf(id));
  d.vmctx.rtts = d.rtts.data();

  // Imported tables, memories, globals (in import order = index order).
  for (size_t i = 0; i < m.imports.size(); ++i) {
    const wasm::Import& imp = m.imports[i];
    const Extern& ext = imports[i];
    if (imp.kind == ExternKind::kTable) {
      d.table_objs.push_back(ext.table());
      d.tables.push_back(ext.table()->vm());
    } else if (imp.kind == ExternKind::kMemory) {
      d.memory_objs.push_back(ext.memory());
      d.memories.push_back(ext.memory()->vm());
    } else if (imp.kind == ExternKind::kGlobal) {
      d.global_objs.push_back(ext.global());
      d.globals.push_back(ext.global()->cell());
    } else if (imp.kind == ExternKind::kTag) {  // [exceptions]
      d.tag_objs.push_back(ext.tag());
    }
  }
  // [exceptions] Defined tags: new identities owned by the store.
  for (size_t i = m.num_imported_tags; i < m.tags.size(); ++i) {
    auto tag =
        std::make_unique<Tag>(loaded.type_ids[m.tags[i].type.type_index], fmt::format("tag {}", i));
    d.tag_objs.push_back(tag.get());
    store.data().tags.push_back(std::move(tag));
  }
  d.vmctx.tags = d.tag_objs.data();
  // Defined globals (an initializer may read the globals before it).
  for (size_t i = m.num_imported_globals; i < m.globals.size(); ++i) {
    const wasm::Global& g = m.globals[i];
    WT_TRY_ASSIGN(Value v, EvalConstExpr(d, g.init, g.type.type));
    wasm::GlobalType type = g.type;  // [wasm3] R: canonical (linker checks across modules)
    type.type = CanonicalValType(loaded.type_ids, type.type);
    WT_TRY_ASSIGN(Global * obj, store.NewGlobal(type, v));
    d.global_objs.push_back(obj);
    d.globals.push_back(obj->cell());
  }
  // Defined tables.
  for (size_t i = m.num_imported_tables; i < m.tables.size(); ++i) {
    const wasm::Table& t = m.tables[i];
    void* init = nullptr;
    if (t.init) {
      WT_TRY_ASSIGN(Value v, EvalConstExpr(d, *t.init, t.type.elem));
      init = v.ref();
    }
    wasm::TableType type = t.type;  // [wasm3] R: canonical element type
    type.elem = CanonicalValType(loaded.type_ids, type.elem);
    WT_TRY_ASSIGN(std::unique_ptr<Table> table,
                  d.allocation->CreateTable(static_cast<uint32_t>(i - m.num_imported_tables), type,
                                            init, store.options().limits));
    Table* obj = table.get();
    store.data().tables.push_back(std::move(table));
    d.table_objs.push_back(obj);
    d.tables.push_back(obj->vm());
  }
  // Defined memories.
  for (size_t i = m.num_imported_memories; i < m.memories.size(); ++i) {
    WT_TRY_ASSIGN(std::unique_ptr<Memory> memory,
                  d.allocation->CreateMemory(static_cast<uint32_t>(i - m.num_imported_memories),
                                             m.memories[i].type, store.options().limits));
    Memory* obj = memory.get();
    store.data().memories.push_back(std::move(memory));
    d.memory_objs.push_back(obj);
    d.memories.push_back(obj->vm());
  }
  d.vmctx.globals = d.globals.data();
  d.vmctx.tables = d.tables.data();
  d.vmctx.memories = d.memories.data();
  d.vmctx.mem0_base = d.memories.empty() ? nullptr : d.memories[0]->base;

  // Exports.
  d.exports.reserve(m.exports.size());
  for (const wasm::Export& e : m.exports) {
    Extern ext;
    switch (e.kind) {
      case ExternKind::kFunc:
        ext = Extern(d.func_objs[e.index]);
        break;
      case ExternKind::kTable:
        ext = Extern(d.table_objs[e.index]);
        break;
      case ExternKind::kMemory:
        ext = Extern(d.memory_objs[e.index]);
        break;
      case ExternKind::kGlobal:
        ext = Extern(d.global_objs[e.index]);
        break;
      case ExternKind::kTag: {  // [exceptions]
        auto* tag = static_cast<Tag*>(d.tag_objs[e.index]);
        if (e.index >= m.num_imported_tags && tag->name().starts_with("tag "))
          tag->set_name(fmt::format("\"{}\"", e.name));
        ext = Extern(tag);
        break;
      }
    }
    d.exports.push_back(ExportEntry{e.name, ext});
  }
  for (size_t i = 0; i < d.exports.size(); ++i) d.export_index.emplace(d.exports[i].name, i);

  // Segment contents (for memory.init / table.init; active ones are applied and dropped by
  // the caller).
  d.datas.reserve(m.datas.size());
  for (const wasm::DataSegment& s : m.datas) d.datas.push_back(m.Slice(s.init));
  d.elems.resize(m.elems.size());
  d.elem_counted.assign(m.elems.size(), 0);
  for (size_t i = 0; i < m.elems.size(); ++i) {
    const wasm::ElemSegment& s = m.elems[i];
    std::vector<void*>& items = d.elems[i];
    items.reserve(s.size());
    if (!s.uses_exprs) {
      for (uint32_t fi : s.func_indices) items.push_back(d.funcs[fi]);
    } else {
      // [wasmgc] Items of a managed type hold a count while the segment lives (the next
      // item's allocation may collect; a passive segment's structs live until elem.drop).
      const bool counted = gc::IsManagedRef(s.elem_type, m);
      d.elem_counted[i] = counted ? 1 : 0;
      for (const wasm::ConstExpr& x : s.exprs) {
        WT_TRY_ASSIGN(Value v, EvalConstExpr(d, x, s.elem_type));
        if (counted) gc::IncRef(v.ref());
        items.push_back(v.ref());
      }
    }
  }
  return Ok();
}

}  // namespace

// [wasmgc] Releases a segment's items (and their counts, for managed references).
void InstanceData::DropElem(uint32_t index) {
  if (index >= elems.size()) return;
  std::vector<void*> items;
  items.swap(elems[index]);
  if (index < elem_counted.size() && elem_counted[index] != 0)
    for (void* r : items) gc::DecRef(r);
}

InstanceData::~InstanceData() {
  for (size_t i = 0; i < elems.size(); ++i) DropElem(static_cast<uint32_t>(i));
}

size_t Linker::KeyHash::operator()(const Key& k) const {
  size_t a = std::hash<std::string>()(k.module);
  size_t b = std::hash<std::string>()(k.name);
  return a ^ (b + 0x9e3779b97f4a7c15ull + (a << 6) + (a >> 2));
}

void Linker::Define(std::string_view module, std::string_view name, Extern value) {
  defs_[Key{std::string(module), std::string(name)}] = value;
}

void Linker::DefineInstance(std::string_view module_name, const Instance& instance) {
  for (const ExportEntry& e : instance.exports()) Define(module_name, e.name, e.value);
}

std::optional<Extern> Linker::Lookup(std::string_view module, std::string_view name) const {
  auto it = defs_.find(Key{std::string(module), std::string(name)});
  if (it == defs_.end()) return std::nullopt;
  return it->second;
}

Result<Instance*> Linker::Instantiate(Store& store, std::shared_ptr<const LoadedModule> loaded,
                                      Trap* trap_out) {
  if (!loaded || !loaded->module || !loaded->code) {
    return MakeError(ErrorKind::kUninstantiable, "module is not compiled");
  }
  const wasm::Module& m = *loaded->module;

  // Resolve and check the imports: nothing happens unless all of them link.
  std::vector<Extern> imports;
  imports.reserve(m.imports.size());
  for (const wasm::Import& imp : m.imports) {
    auto ext = Lookup(imp.module, imp.name);
    if (!ext) {
      return MakeError(ErrorKind::kUnlinkable, "unknown import: {}::{}", imp.module, imp.name);
    }
    WT_TRY(CheckImport(*loaded, imp, *ext));
    imports.push_back(*ext);
  }

  // [pool] A slot (or the on-demand allocator) for the defined memories and tables.
  const std::shared_ptr<InstanceAllocator>& allocator =
      store.options().allocator ? store.options().allocator : OnDemandAllocator();
  WT_TRY_ASSIGN(std::shared_ptr<InstanceAllocation> allocation, allocator->Allocate(loaded));

  auto data = std::make_unique<InstanceData>();
  data->allocation = std::move(allocation);
  data->store = &store;
  data->module = &m;
  data->loaded = std::move(loaded);
  // The store owns the instance from here on, also if instantiation fails below: its
  // functions may already sit in an imported table.
  Instance* inst = store.data().AddInstance(std::move(data));
  InstanceData& d = inst->data();
  // Until the data segments, contents an allocator placed in advance (a memory image) must not
  // be visible should instantiation fail: a function of this instance may already sit in an
  // imported table.
  struct AbortGuard {
    InstanceAllocation* allocation;
    ~AbortGuard() {
      if (allocation) allocation->AbortInit();
    }
  } abort_guard{d.allocation.get()};
  WT_TRY(Build(store, d, inst, imports));

  // Element segments, in order: active ones are table.init + elem.drop, declarative ones are
  // dropped. A failing segment traps; the effects of those before it persist.
  for (size_t i = 0; i < m.elems.size(); ++i) {
    const wasm::ElemSegment& s = m.elems[i];
    if (s.mode == wasm::SegmentMode::kActive) {
      Table* table = d.table_objs[s.table_index];
      WT_TRY_ASSIGN(Value off, EvalConstExpr(d, s.offset, wasm::ValType::I32()));
      uint64_t dst = OffsetValue(off, table->type().addr);
      std::vector<void*>& items = d.elems[i];
      uint64_t size = table->size();
      if (dst > size || items.size() > size - dst) {
        return TrapError(TrapCode::kTableOutOfBounds, trap_out);
      }
      if (gc::IsGcRefType(table->elem_type())) {  // [gc] counted elements
        for (size_t j = 0; j < items.size(); ++j) table->Set(dst + j, items[j]);
      } else {
        std::copy(items.begin(), items.end(), table->elems() + dst);
      }
    }
    if (s.mode != wasm::SegmentMode::kPassive) d.DropElem(static_cast<uint32_t>(i));
  }
  // Data segments: active ones are memory.init + data.drop. The allocator may have put them
  // all in place already (constant in-bounds offsets into defined memories: none can trap).
  abort_guard.allocation = nullptr;
  bool placed = d.allocation->InitMemories();
  for (size_t i = 0; i < m.datas.size(); ++i) {
    const wasm::DataSegment& s = m.datas[i];
    if (s.mode != wasm::SegmentMode::kActive) continue;
    if (placed) {
      d.datas[i] = {};
      continue;
    }
    Memory* mem = d.memory_objs[s.memory_index];
    WT_TRY_ASSIGN(Value off, EvalConstExpr(d, s.offset, wasm::ValType::I32()));
    uint64_t dst = OffsetValue(off, mem->type().addr);
    std::span<const uint8_t> bytes = d.datas[i];
    uint64_t size = mem->size_bytes();
    if (dst > size || bytes.size() > size - dst) {
      return TrapError(TrapCode::kMemoryOutOfBounds, trap_out);
    }
    if (!bytes.empty()) std::memcpy(mem->data() + dst, bytes.data(), bytes.size());
    d.datas[i] = {};
  }
  // The start function.
  if (m.start) {
    WT_TRY_ASSIGN(InvokeResult r, Invoke(store, *d.func_objs[*m.start], {}));
    if (r.trap) return TrapError(r.trap->code, trap_out, &*r.trap);
  }
  return inst;
}

}  // namespace wt::runtime
