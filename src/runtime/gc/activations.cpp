#include "runtime/gc/activations.h"

#include <algorithm>
#include <cstring>

#include "jit/compiler.h"
#include "runtime/code_registry.h"
#include "runtime/exn/exception.h"
#include "runtime/gc/gc_ref.h"
#include "runtime/gc/heap.h"
#include "runtime/runtime.h"
#include "runtime/trap/call_scope.h"

namespace wt::runtime::gc {
namespace {

uintptr_t LoadWord(uintptr_t addr) {
  uintptr_t v;
  std::memcpy(&v, reinterpret_cast<const void*>(addr), sizeof v);
  return v;
}

// Far more frames than any stack can hold (a cycle in a corrupt chain ends the walk).
constexpr uint64_t kMaxFrames = uint64_t{1} << 32;

}  // namespace

const CallScope* InnermostScopeOf(const CallScope* scope, const VMStoreContext* store) {
  // A scope without a store context may be anyone's: stop there (the walk then checks it).
  while (scope != nullptr && store != nullptr && scope->store_ctx != nullptr &&
         scope->store_ctx != store)
    scope = scope->prev;
  return scope;
}

bool WalkWasmFrames(uintptr_t fp, uintptr_t pc, const CallScope* scope,
                    const std::function<void(void** slot)>& visit, uint64_t* frames_out,
                    const VMStoreContext* store) {
  uint64_t frames = 0;
  struct Report {
    uint64_t* out;
    const uint64_t& n;
    ~Report() {
      if (out) *out = n;
    }
  } report{frames_out, frames};
  scope = InnermostScopeOf(scope, store);
  while (scope != nullptr) {
    // The frames of one activation: wasm frames, then the entry trampoline's frame whose
    // saved frame pointer is the scope's entry frame.
    for (;;) {
      if (fp == 0 || ++frames > kMaxFrames) return false;
      const jit::CodeObject* code = LookupCode(pc);
      if (code == nullptr || code->FindFunc(pc) == nullptr) {
        // Not a wasm function: must be the entry trampoline of this activation.
        if (LoadWord(fp) != scope->entry_fp) return false;
        break;
      }
      const jit::CallSite* site = code->FindCallSite(pc);
      if (site == nullptr) return false;  // not a safe point: cannot know its references
      if (site->stack_map != UINT32_MAX) {
        std::span<const int32_t> map = code->StackMapAt(*site);  // n, then n offsets
        if (map.empty()) return false;
        for (size_t i = 1; i < map.size(); ++i)
          visit(reinterpret_cast<void**>(fp + static_cast<intptr_t>(map[i])));
      }
      pc = LoadWord(fp + 8);
      fp = LoadWord(fp);
    }
    // The enclosing activation of this store continues where its wasm code had called out to
    // the host (activations of other stores in between hold only their own stores'
    // references, which their own activations tables keep).
    fp = scope->exit_fp;
    pc = scope->exit_pc;
    scope = InnermostScopeOf(scope->prev, store);
    if (scope != nullptr && fp == 0) return false;  // entered without a recorded exit point
  }
  return true;
}

ActivationsTable::ActivationsTable(VMStoreContext* ctx, size_t capacity) : ctx_(ctx) {
  capacity_ = std::max<size_t>(capacity, 1);
  entries_.reset(new void*[capacity_]);
  ctx_->activations_next = entries_.get();
  ctx_->activations_end = entries_.get() + capacity_;
}

ActivationsTable::~ActivationsTable() {
  in_gc_ = true;  // destructors may not collect any more
  void** begin = entries_.get();
  void** end = ctx_->activations_next;
  old_.assign(begin, end);
  ctx_->activations_next = ctx_->activations_end = nullptr;
  for (void* r : old_) DecRef(r);
}

void ActivationsTable::Append(void* r) {
  *ctx_->activations_next++ = r;
}

void ActivationsTable::Insert(void* r) {
  IncRef(r);
  InsertOwned(r);
}

void ActivationsTable::InsertOwned(void* r) {
  if (ctx_->activations_next == ctx_->activations_end) MakeRoom(0, 0);
  Append(r);
}

void ActivationsTable::InsertFromWasm(void* r, uintptr_t fp, uintptr_t pc) {
  if (ctx_->activations_next == ctx_->activations_end) MakeRoom(fp, pc);
  Append(r);
}

void ActivationsTable::MakeRoom(uintptr_t fp, uintptr_t pc) {
  Collect(fp, pc);
  // Keep at least half of the table free after a collection, so that collections stay rare
  // even when most entries are live (and the table grows when nothing could be collected).
  if (size() * 2 > capacity_) Resize(capacity_ * 2);
}

void ActivationsTable::Resize(size_t capacity) {
  size_t n = size();
  capacity = std::max(capacity, std::max<size_t>(n, 1));
  std::unique_ptr<void*[]> fresh(new void*[capacity]);
  std::copy(entries_.get(), entries_.get() + n, fresh.get());
  entries_ = std::move(fresh);
  capacity_ = capacity;
  ctx_->activations_next = entries_.get() + n;
  ctx_->activations_end = entries_.get() + capacity_;
}

void ActivationsTable::SetCapacity(size_t capacity) {
  Collect();
  Resize(capacity);
}

bool ActivationsTable::Collect(uintptr_t fp, uintptr_t pc) {
  if (in_gc_) return false;
  in_gc_ = true;
  const CallScope* scope = InnermostScopeOf(CurrentCallScope(), ctx_);
  if (fp == 0 && scope != nullptr) {
    fp = ctx_->last_exit_fp;
    pc = ctx_->last_exit_pc;
  }
  if (ctx_->gc_heap != nullptr) return CollectWithHeap(fp, pc, scope);
  void** begin = entries_.get();
  void** end = ctx_->activations_next;
  precise_.clear();
  bool complete = true;
  uint64_t frames = 0;
  if (scope != nullptr) {  // else no wasm frames on this thread: nothing is live
    sorted_.assign(begin, end);
    std::sort(sorted_.begin(), sorted_.end());
    // Only values that are table entries count: stack maps may also list slots holding
    // funcrefs (or stale values); every reference a wasm frame holds is in the table.
    complete = WalkWasmFrames(
        fp, pc, scope,
        [&](void** slot) {
          void* v = *slot;
          if (v != nullptr && std::binary_search(sorted_.begin(), sorted_.end(), v))
            precise_.push_back(v);
        },
        &frames, ctx_);
  }
  if (!complete) {
    ++failed_walks_;
    in_gc_ = false;
    return false;
  }
  ++collections_;
  old_.assign(begin, end);
  InstallPrecise(begin, frames);
  return true;
}

// [wasmgc] One collection of the table and the store's GC heap (docs/gc-plan.md): the frames'
// values V; the table's counts set aside; marking from V's heap objects and the pinned ones;
// the externs and exceptions the marked objects hold (X) stay in the table, which becomes
// (V u X) n old entries; unmarked heap objects are freed. `in_gc_` is set.
bool ActivationsTable::CollectWithHeap(uintptr_t fp, uintptr_t pc, const CallScope* scope) {
  auto* heap = static_cast<GcHeap*>(ctx_->gc_heap);
  void** begin = entries_.get();
  void** end = ctx_->activations_next;
  values_.clear();
  bool complete = true;
  uint64_t frames = 0;
  if (scope != nullptr) {
    complete = WalkWasmFrames(
        fp, pc, scope,
        [&](void** slot) {
          void* v = *slot;
          if (v != nullptr && !IsI31(v)) values_.push_back(v);
        },
        &frames, ctx_);
  }
  heap->AppendRoots(values_);  // host code's registered locals
  if (!complete) {             // nothing can be freed without every frame's values
    ++failed_walks_;
    in_gc_ = false;
    return false;
  }
  ++collections_;
  sorted_.assign(begin, end);
  std::sort(sorted_.begin(), sorted_.end());
  heap->BeginCollection();
  // Set aside the table's own counts: what stays pinned is pinned by another holder.
  for (void* r : sorted_)
    if (heap->IsObjectStart(r)) --static_cast<GcHeader*>(r)->count;
  BeginExceptions(*heap);
  precise_.clear();
  for (void* v : values_) {
    if (heap->IsObjectStart(v)) {
      heap->MarkRoot(v);
      if (std::binary_search(sorted_.begin(), sorted_.end(), v)) precise_.push_back(v);
    } else if (std::binary_search(sorted_.begin(), sorted_.end(), v)) {
      precise_.push_back(v);
      ReachException(*heap, v);
    }
  }
  heap->Trace([&](void* v) {
    if (std::binary_search(sorted_.begin(), sorted_.end(), v)) {
      precise_.push_back(v);
      ReachException(*heap, v);
    }
  });
  EndExceptions(*heap);
  // Counts back; the old entries to drop: all but the heap objects about to be freed.
  old_.clear();
  for (void* e : sorted_) {
    if (heap->IsObjectStart(e)) {
      ++static_cast<GcHeader*>(e)->count;
      if (!heap->IsMarked(e)) continue;
    }
    old_.push_back(e);
  }
  heap->Sweep();
  InstallPrecise(begin, frames);
  return true;
}

// [wasmgc] Exceptions are traced like heap objects, so that a cycle through an exception's
// payload (a struct holding an exnref whose payload holds the struct) is reclaimed. An
// exception counts the heap objects of its payload; for the exceptions in the table those
// counts are set aside like the table's own, and an exception's payload is marked only when
// the exception is reached: from a frame, from a marked object's field, or because something
// besides the table holds it (a global, a table, the host, an exception in flight, another
// exception's payload: a count beyond the table's entries for it). Exceptions outside the
// table keep pinning their payload (nothing reaches them through the heap).
namespace {

// Calls f(slot) for each payload value that is a heap object.
template <typename F>
void ForEachHeapPayload(GcHeap& heap, void* e, F&& f) {
  exn::ExnData* d = exn::DataOf(e);
  const wasm::FuncType& type = d->tag->type();
  ValueSlot* v = exn::Values(d);
  for (size_t i = 0; i < d->count && i < type.params.size(); ++i)
    if (IsGcRefType(type.params[i]) && v[i].ref != nullptr && heap.IsObjectStart(v[i].ref)) f(v[i]);
}

}  // namespace

void ActivationsTable::BeginExceptions(GcHeap& heap) {
  exns_.clear();
  for (void* r : sorted_)  // sorted: duplicates are adjacent
    if (!heap.IsObjectStart(r) && static_cast<GcHeader*>(r)->kind == GcKind::kException &&
        (exns_.empty() || exns_.back() != r))
      exns_.push_back(r);
  exn_reached_.assign(exns_.size(), 0);
  for (void* e : exns_)
    ForEachHeapPayload(heap, e, [](ValueSlot& s) { --static_cast<GcHeader*>(s.ref)->count; });
  // Held by something besides the table: a root.
  for (size_t i = 0; i < exns_.size(); ++i) {
    auto [lo, hi] = std::equal_range(sorted_.begin(), sorted_.end(), exns_[i]);
    if (static_cast<GcHeader*>(exns_[i])->count > static_cast<uint64_t>(hi - lo))
      ReachException(heap, exns_[i]);
  }
}

void ActivationsTable::ReachException(GcHeap& heap, void* e) {
  auto it = std::lower_bound(exns_.begin(), exns_.end(), e);
  if (it == exns_.end() || *it != e) return;  // an extern, or not in the table
  uint8_t& reached = exn_reached_[static_cast<size_t>(it - exns_.begin())];
  if (reached) return;
  reached = 1;
  // Exceptions in the payload are counted by it (never set aside): roots already.
  ForEachHeapPayload(heap, e, [&](ValueSlot& s) { heap.MarkRoot(s.ref); });
}

void ActivationsTable::EndExceptions(GcHeap& heap) {
  // Counts back. An exception not reached dies with this collection (the table held its
  // only counts): payload objects the sweep is about to free leave its payload now, so that
  // its drop does not touch them.
  for (size_t i = 0; i < exns_.size(); ++i) {
    ForEachHeapPayload(heap, exns_[i], [&](ValueSlot& s) {
      if (exn_reached_[i] || heap.IsMarked(s.ref))
        ++static_cast<GcHeader*>(s.ref)->count;
      else
        s.ref = nullptr;
    });
  }
}

void ActivationsTable::InstallPrecise(void** begin, uint64_t frames) {
  std::sort(precise_.begin(), precise_.end());
  precise_.erase(std::unique(precise_.begin(), precise_.end()), precise_.end());
  // The precise set takes its counts before the old entries drop theirs.
  for (void* r : precise_) IncRef(r);
  std::copy(precise_.begin(), precise_.end(), begin);
  ctx_->activations_next = begin + precise_.size();
  for (void* r : old_) DecRef(r);
  old_.clear();
  // A walk longer than the table: grow it, so that collections stay amortized O(1) per
  // insertion even under deep recursion.
  if (frames > capacity_) Resize(std::min<uint64_t>(frames, uint64_t{1} << 26));
  in_gc_ = false;
}

}  // namespace wt::runtime::gc
