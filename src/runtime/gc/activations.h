// The per-store activations table and the collector (deferred reference counting).
//
// The table is a bump-allocated array of references, each entry owning one count. JIT code
// appends inline (VMStoreContext::activations_next / activations_end: store while next < end,
// bump next); when it is full, a runtime call collects first. Everything that enters wasm
// frames from outside goes through it (host arguments, host results, table.get and global.get
// of an externref), so every reference held by a wasm frame is in the table.
//
// A collection walks the wasm frames of the current thread's activations by frame pointer
// (from the innermost exit point through every CallScope), looks up each frame's stack map by
// its return address, and gathers the precise set: the table entries that some live stack
// slot still holds. It then takes a count for each of them, drops the counts of all old
// entries and makes the precise set the new table contents. If the walk cannot account for
// every frame (unknown code, a frame that is not at a recorded call site, an activation of
// another store in between) nothing is freed. A collection entered again (from a destructor
// it runs) returns at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "runtime/vmctx.h"

namespace wt::runtime {
struct CallScope;
}

namespace wt::runtime::gc {

class GcHeap;

inline constexpr size_t kDefaultActivationsCapacity = 4096;

// Calls visit(slot address) for every stack slot the stack maps mark as holding a reference
// in the wasm frames from (fp, pc) outwards through `scope` and the scopes it encloses. `fp` is
// a wasm frame's frame pointer and `pc` a return address inside its function. False when a
// frame cannot be accounted for (the walk stops there). `frames` (optional) receives the number
// of frames walked. With `store`, activations (CallScopes) of other stores are skipped: the walk
// covers this store's activations only.
bool WalkWasmFrames(uintptr_t fp, uintptr_t pc, const CallScope* scope,
                    const std::function<void(void** slot)>& visit, uint64_t* frames = nullptr,
                    const VMStoreContext* store = nullptr);
// `scope` or the first enclosing scope that may belong to `store` (nullptr: none).
const CallScope* InnermostScopeOf(const CallScope* scope, const VMStoreContext* store);

class ActivationsTable {
 public:
  // `ctx` holds activations_next / activations_end (set here).
  explicit ActivationsTable(VMStoreContext* ctx, size_t capacity = kDefaultActivationsCapacity);
  ~ActivationsTable();  // drops the count of every entry
  ActivationsTable(const ActivationsTable&) = delete;
  ActivationsTable& operator=(const ActivationsTable&) = delete;

  // Host side: a new count on `r` (non-null) appended; collects (and grows if still needed)
  // when the table is full.
  void Insert(void* r);
  // Same, adopting a count the caller owns.
  void InsertOwned(void* r);
  // The slow path of an inline insertion from JIT code: `r` (non-null) already carries the
  // count of its entry. `fp` / `pc`: the calling wasm frame and the return address into it.
  void InsertFromWasm(void* r, uintptr_t fp, uintptr_t pc);

  // Collects. From JIT code: fp/pc of the calling wasm frame. From the host (fp == 0): the
  // store's last exit point if wasm is running on this thread, else no frames. Returns false
  // if nothing was collected (re-entered, or the walk failed).
  bool Collect(uintptr_t fp = 0, uintptr_t pc = 0);

  size_t size() const { return static_cast<size_t>(ctx_->activations_next - entries_.get()); }
  size_t capacity() const { return capacity_; }
  // For tests: a new capacity (collects first; never below the live entries).
  void SetCapacity(size_t capacity);
  uint64_t collections() const { return collections_; }
  uint64_t failed_walks() const { return failed_walks_; }

 private:
  void Append(void* r);  // room guaranteed
  void MakeRoom(uintptr_t fp, uintptr_t pc);
  void Resize(size_t capacity);
  // The end of a collection: precise_ (deduplicated here) becomes the table from `begin`, the
  // old_ entries drop their counts, the table grows to `frames` if shorter; clears in_gc_.
  void InstallPrecise(void** begin, uint64_t frames);
  bool CollectWithHeap(uintptr_t fp, uintptr_t pc, const CallScope* scope);  // [wasmgc]
  // [wasmgc] Exceptions traced like heap objects during CollectWithHeap (activations.cpp).
  void BeginExceptions(GcHeap& heap);
  void ReachException(GcHeap& heap, void* e);
  void EndExceptions(GcHeap& heap);

  VMStoreContext* ctx_;
  std::unique_ptr<void*[]> entries_;
  size_t capacity_ = 0;
  bool in_gc_ = false;
  uint64_t collections_ = 0;
  uint64_t failed_walks_ = 0;
  std::vector<void*> sorted_;   // scratch: the old entries, sorted
  std::vector<void*> precise_;  // scratch: the live ones
  std::vector<void*> old_;      // scratch: the old entries to drop
  std::vector<void*> values_;   // [wasmgc] scratch: the frames' values
  // [wasmgc] scratch: the distinct exceptions in the table, and whether each was reached
  // (exceptions are traced like heap objects: see BeginExceptions in activations.cpp).
  std::vector<void*> exns_;
  std::vector<uint8_t> exn_reached_;
};

}  // namespace wt::runtime::gc
