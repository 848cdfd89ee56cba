// [wasmgc] The GC heap of a store: Wasm GC structs and arrays (layout in gc/object.h), their
// allocation and their collection (docs/gc.md "The GC heap", docs/gc-plan.md).
//
// Allocation: the heap hands JIT code a zeroed bump span (VMStoreContext::gc_next/gc_end);
// JIT code allocates inline and calls wt_gc_alloc_struct / the array builtins when the span is
// exhausted. The heap is non-moving: objects never change address.
//
// Collection: tracing, from the roots
//   - every slot the stack maps of the wasm frames of this store's activations list
//     (gc::WalkWasmFrames; values are checked to be object starts before they are used, so a
//     funcref or a stale word in a listed slot is harmless),
//   - every heap object whose count is non-zero (pinned by a table, a global, a host handle or
//     an exception payload; the activations table's own counts are set aside first),
// tracing the managed-reference fields of reachable objects (Rtt::ref_offsets, array elements
// when Rtt::elem_is_ref). Extern objects and exceptions reached from live heap objects stay
// in the activations table (so the reference counting of externrefs keeps them alive);
// unreached heap objects are freed whatever cycles they form. One collection also collects
// the activations table (ActivationsTable::Collect calls into the heap when the store has one).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "runtime/gc/object.h"
#include "runtime/vmctx.h"

namespace wt::runtime::gc {

class ActivationsTable;

// The default bound of a store's GC heap (--max-gc-heap-size).
inline constexpr uint64_t kDefaultMaxGcHeapBytes = uint64_t{4} << 30;

struct GcHeapStats {
  uint64_t collections = 0;
  uint64_t bytes_allocated = 0;  // total, since creation
  uint64_t bytes_live = 0;       // after the last collection
  uint64_t bytes_reserved = 0;   // chunks currently held
  uint64_t objects_freed = 0;    // total
};

class GcHeap {
 public:
  // `ctx`: the store context whose gc_next / gc_end / gc_heap this heap owns.
  GcHeap(VMStoreContext* ctx, ActivationsTable* activations, uint64_t max_bytes);
  ~GcHeap();
  GcHeap(const GcHeap&) = delete;
  GcHeap& operator=(const GcHeap&) = delete;

  // Host side (constant expressions, the wast runner, tests): a new object with zeroed
  // fields / elements, count 0. Null when the heap's bound is reached even after a
  // collection (the caller traps kGcHeapExhausted). Collections run from here walk the wasm
  // frames of the store's current activation (from its last exit point), as
  // ActivationsTable::Collect does from the host.
  GcHeader* AllocStruct(const Rtt* rtt);
  GcHeader* AllocArray(const Rtt* rtt, uint32_t length);

  // The JIT's slow path: `bytes` zeroed bytes (a multiple of kGcAlign) for an object the
  // caller initializes at once, collecting first when due; (fp, pc): the calling wasm frame
  // and the return address into it. Null when exhausted.
  void* AllocFromWasm(uint32_t bytes, uintptr_t fp, uintptr_t pc);

  // A full collection (also collects the activations table). fp == 0: from the host.
  void Collect(uintptr_t fp = 0, uintptr_t pc = 0);

  // Whether `p` is the start of a live heap object (for tests and debugging; valid between
  // collections).
  bool IsObject(const void* p) const;

  const GcHeapStats& stats() const;
  uint64_t max_bytes() const;
  // For tests: with collection disabled no heap object is ever freed (the memory test's
  // control run shows the leak the collector prevents).
  void SetCollectionEnabled(bool enabled);

  // [G1] Host code (a builtin, a constant expression) that holds references in local
  // variables across an allocation, which may collect: a registered slot's value is a root
  // like a wasm frame's slot (a heap object is kept, an extern or exception in the
  // activations table stays there). LIFO; pop before raising a trap.
  void PushRoot(void** slot);
  void PopRoot();
  class Root {
   public:
    Root(GcHeap& heap, void** slot) : heap_(heap) { heap_.PushRoot(slot); }
    ~Root() { heap_.PopRoot(); }
    Root(const Root&) = delete;
    Root& operator=(const Root&) = delete;

   private:
    GcHeap& heap_;
  };
  // Appends the values of the registered slots (ActivationsTable::Collect).
  void AppendRoots(std::vector<void*>& values) const;

  // [G1] The steps of one collection, driven by ActivationsTable::Collect (activations.cpp),
  // which owns the frame walk and the table's counts. BeginCollection retires the bump span,
  // builds the object-start bitmaps, clears the marks and notes the pinned candidates;
  // IsObjectStart is valid from there to Sweep; Trace marks from the pinned objects (count
  // still non-zero: the table's counts set aside) and from the roots given to MarkRoot, and
  // calls `other` for every non-null, non-i31 reference in a traced field that is not a heap
  // object (an extern object or exception: never dereferenced); Sweep frees what is unmarked.
  void BeginCollection();
  bool IsObjectStart(const void* p) const;
  void MarkRoot(void* object);
  void Trace(const std::function<void(void*)>& other);
  bool IsMarked(const void* object) const;
  void Sweep();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The heap of the store that owns `vmctx` (created on first use with the store's bound).
GcHeap& HeapOf(VMContext* vmctx);

}  // namespace wt::runtime::gc

extern "C" {
// [wasmgc] struct.new / struct.new_default slow path: a zeroed struct of module type
// `type_index` of the calling instance (header and Rtt written); traps kGcHeapExhausted.
// Reads the calling wasm frame (a GC safepoint: needs a stack map at its call site).
void* wt_gc_alloc_struct(wt::runtime::VMContext* vmctx, uint32_t type_index) noexcept;
// A zeroed array of module type `type_index` with `length` elements (header, Rtt and length
// written); traps kGcHeapExhausted (also when the size cannot be represented).
void* wt_gc_alloc_array(wt::runtime::VMContext* vmctx, uint32_t type_index,
                        uint32_t length) noexcept;
}
