// Runtime internals: what an Instance and a Store hold. Not part of the public API
// (runtime.h); used by the runtime's own files and its tests.
#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/gc/activations.h"
#include "runtime/gc/gc_ref.h"
#include "runtime/gc/heap.h"
#include "runtime/pool/allocator.h"
#include "runtime/runtime.h"

namespace wt::runtime {

class InstanceData {
 public:
  Store* store = nullptr;
  std::shared_ptr<const LoadedModule> loaded;
  const wasm::Module* module = nullptr;  // loaded->module.get()

  VMContext vmctx{};
  // The arrays vmctx points to (index spaces, imports first).
  std::vector<MemoryData*> memories;
  std::vector<ValueSlot*> globals;
  std::vector<TableData*> tables;
  std::vector<FuncRef*> funcs;

  // The objects behind them.
  std::vector<Memory*> memory_objs;
  std::vector<Table*> table_objs;
  std::vector<Global*> global_objs;
  std::vector<Func*> func_objs;
  std::vector<void*> tag_objs;        // [exceptions] Tag* per tag index (vmctx.tags)
  std::vector<const void*> rtts;      // [wasmgc] gc::Rtt* per type index (vmctx.rtts)
  std::unique_ptr<Func[]> own_funcs;  // the defined functions

  std::vector<ExportEntry> exports;
  std::unordered_map<std::string_view, size_t> export_index;  // views into `exports`

  // [pool] Where the defined memories and tables live (a pool slot stays leased while this or
  // one of them lives).
  std::shared_ptr<InstanceAllocation> allocation;

  // Segments for memory.init / table.init: a dropped segment is empty.
  std::vector<std::span<const uint8_t>> datas;
  std::vector<std::vector<void*>> elems;
  // [wasmgc] Per element segment: 1 when its items are managed references, each holding a
  // count (a pin) until the segment is dropped (DropElem, elem.drop, the instance's end).
  std::vector<uint8_t> elem_counted;
  void DropElem(uint32_t index);  // runtime/linker.cpp
  InstanceData() = default;
  InstanceData(const InstanceData&) = delete;
  InstanceData& operator=(const InstanceData&) = delete;
  ~InstanceData();

  // vmctx->instance -> InstanceData.
  static InstanceData& Of(VMContext* vmctx) {
    return static_cast<Instance*>(vmctx->instance)->data();
  }
};

// [gc] A host function whose results include externrefs is called through a wrapper that
// moves the (owned) result references into the activations table.
struct HostRefWrapper {
  HostFn fn = nullptr;
  void* env = nullptr;
  StoreData* store = nullptr;
  std::vector<uint32_t> ref_results;  // indices of the externref results
};

class StoreData {
 public:
  StoreOptions options;
  // [wasmgc] The GC heap (created on first use by Heap(); store_ctx.gc_heap points to it).
  // Declared first after the options so that it dies last: holders destroyed before it
  // (tables, globals, exceptions, the activations table) may still touch its objects' counts.
  std::unique_ptr<gc::GcHeap> gc_heap;
  gc::GcHeap& Heap() {
    if (!gc_heap) {
      gc_heap = std::make_unique<gc::GcHeap>(&store_ctx, &Activations(),
                                             options.limits.max_gc_heap_bytes);
      if (!options.gc_collect) gc_heap->SetCollectionEnabled(false);
    }
    return *gc_heap;
  }
  std::vector<std::unique_ptr<Instance>> instances;  // also failed instantiations
  std::vector<std::unique_ptr<Memory>> memories;
  std::vector<std::unique_ptr<Table>> tables;
  std::vector<std::unique_ptr<Global>> globals;
  std::vector<std::unique_ptr<Func>> host_funcs;
  std::vector<std::unique_ptr<Tag>> tags;  // [exceptions] the defined tags of its instances
  std::unordered_map<uint64_t, gc::ExternRef> host_refs;  // n -> externref holding n ([gc])
  std::unordered_map<const void*, uint64_t> host_ref_index;
  // [gc] The externref activations table (created on first use; store_ctx's activations_next
  // / activations_end point into it) and the wrappers of host functions returning externrefs.
  std::unique_ptr<gc::ActivationsTable> activations;
  gc::ActivationsTable& Activations();
  void ReleaseRefs();
  ~StoreData() { ReleaseRefs(); }
  std::vector<std::unique_ptr<HostRefWrapper>> host_wrappers;

  // What every VMContext's store_ctx points to.
  VMStoreContext store_ctx{};

  // The stack limit every VMContext of this store holds (the thread's; see Invoke).
  uintptr_t stack_limit = 0;
  void SetStackLimit(uintptr_t limit);

  Instance* AddInstance(std::unique_ptr<InstanceData> data);
};

// Evaluates a constant expression of `inst`'s module (its globals and functions so far).
Result<Value> EvalConstExpr(const InstanceData& inst, const wasm::ConstExpr& expr,
                            wasm::ValType type);

}  // namespace wt::runtime
