// [wasmgc] The GC heap (gc/heap.h; docs/gc.md "The GC heap"): non-moving mark-sweep over
// 1 MiB-aligned chunks with bump allocation in zeroed free spans, large objects in their own
// mappings, and the collection steps ActivationsTable::Collect drives (one collection covers
// the heap and the activations table).
#include "runtime/gc/heap.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <vector>

#include "runtime/gc/activations.h"
#include "runtime/instance_data.h"
#include "runtime/trap/call_scope.h"
#include "util/address_space.h"

namespace wt::runtime::gc {
namespace {

constexpr uintptr_t kChunkBytes = uintptr_t{1} << 20;
constexpr uint32_t kLargeObjectBytes = 256u << 10;  // and larger: an own mapping
constexpr uint64_t kMinTriggerBytes = uint64_t{8} << 20;
// The next collection is due when the bytes handed out since the last one reach
// kGrowthFactor x the live bytes after it (at least kMinTriggerBytes): the heap grows to about
// (1 + kGrowthFactor) x live, and the marking work per byte allocated stays 1 / kGrowthFactor
// of the live fraction however the live set grows (V8 and wasmtime grow their heaps in
// proportion to the live bytes too). With 1 a list-heavy program whose live set grows spent
// most of its time re-marking it (bench/gc/list_churn.wat: 3x slower than with 2).
constexpr uint64_t kGrowthFactor = 2;
constexpr size_t kRetainedEmptyChunks = 8;  // at least, kept mapped after a sweep (re-used first)
constexpr uint8_t kMarked = 1;              // GcHeader::flags
constexpr size_t kBitmapWords = kChunkBytes / kGcAlign / 64;

// A filler covering [p, p + size): the count holds its size (at least 8 bytes: only count and
// kind are written; the rest of a filler is zero).
void WriteFiller(uint8_t* p, size_t size) {
  auto* h = reinterpret_cast<GcHeader*>(p);
  h->count = static_cast<uint32_t>(size);
  h->kind = GcKind::kFiller;
}

uint64_t ArrayBytes(const Rtt* rtt, uint64_t length) {
  const uint64_t bytes = kArrayElems + (length << rtt->elem_size_log2);
  return (bytes + kGcAlign - 1) & ~uint64_t{kGcAlign - 1};
}

// The size of the object (or filler) at `p`.
size_t ObjectSize(const uint8_t* p) {
  const auto* h = reinterpret_cast<const GcHeader*>(p);
  switch (h->kind) {
    case GcKind::kFiller:
      return h->count;
    case GcKind::kStruct:
      return h->rtt->size;
    case GcKind::kArray: {
      uint32_t len;
      std::memcpy(&len, p + kArrayLength, sizeof len);
      return ArrayBytes(h->rtt, len);
    }
    default:
      break;
  }
  // Not an object start: a broken heap (never expected); stop the walk of this chunk.
  return 0;
}

void* MapAligned(size_t bytes) {
  const size_t total = bytes + kChunkBytes;
  void* raw = util::MapWithHint(total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  if (raw == MAP_FAILED) return nullptr;
  const auto start = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (start + kChunkBytes - 1) & ~(kChunkBytes - 1);
  if (aligned > start) munmap(raw, aligned - start);
  const uintptr_t end = start + total;
  if (end > aligned + bytes)
    munmap(reinterpret_cast<void*>(aligned + bytes), end - aligned - bytes);
  return reinterpret_cast<void*>(aligned);
}

}  // namespace

struct GcHeap::Impl {
  struct Chunk {
    uint8_t* base = nullptr;
    size_t bytes = 0;                    // kChunkBytes, or a large object's mapping
    bool large = false;                  // one object at `base`
    std::unique_ptr<uint64_t[]> starts;  // object starts (regular chunks; during collections)
  };

  VMStoreContext* ctx;
  ActivationsTable* activations;
  uint64_t max_bytes;
  GcHeapStats stats;
  bool enabled = true;
  bool collecting = false;       // between BeginCollection and Sweep (starts valid)
  uint64_t allocated_since = 0;  // bytes handed out since the last collection
  uint64_t trigger = kMinTriggerBytes;
  std::map<uintptr_t, Chunk> chunks;                      // base -> chunk
  std::vector<std::pair<uint8_t*, uint8_t*>> free_spans;  // after the last sweep
  size_t next_span = 0;
  std::vector<GcHeader*> pinned;  // candidates (count > 0 at the heap walk)
  std::vector<GcHeader*> stack;   // mark stack
  std::vector<void**> roots;      // PushRoot

  Impl(VMStoreContext* c, ActivationsTable* a, uint64_t max)
      : ctx(c), activations(a), max_bytes(max) {}

  ~Impl() {
    for (auto& [base, c] : chunks) munmap(c.base, c.bytes);
  }

  // The chunk holding `p` (null: none). The last hit is cached: references traced one after
  // the other tend to point into the same chunk.
  mutable uintptr_t last_base = 1;
  mutable const Chunk* last_chunk = nullptr;
  const Chunk* ChunkOf(const void* p) const {
    const uintptr_t base = reinterpret_cast<uintptr_t>(p) & ~(kChunkBytes - 1);
    if (base == last_base) return last_chunk;
    auto it = chunks.find(base);
    if (it == chunks.end()) return nullptr;
    last_base = base;
    last_chunk = &it->second;
    return last_chunk;
  }
  void ForgetLastChunk() {
    last_base = 1;
    last_chunk = nullptr;
  }

  // The rest of the current span becomes a filler (its bytes are zero already).
  void RetireSpan() {
    if (ctx->gc_next != nullptr && ctx->gc_next < ctx->gc_end) {
      const auto rest = static_cast<size_t>(ctx->gc_end - ctx->gc_next);
      WriteFiller(ctx->gc_next, rest);
      allocated_since -= std::min<uint64_t>(allocated_since, rest);
      stats.bytes_allocated -= std::min<uint64_t>(stats.bytes_allocated, rest);
    }
    ctx->gc_next = ctx->gc_end = nullptr;
  }

  void UseSpan(uint8_t* begin, uint8_t* end) {
    std::memset(begin, 0, std::min<size_t>(sizeof(GcHeader), end - begin));  // its filler header
    ctx->gc_next = begin;
    ctx->gc_end = end;
    allocated_since += static_cast<uint64_t>(end - begin);
    stats.bytes_allocated += static_cast<uint64_t>(end - begin);
  }

  bool TakeFreeSpan(size_t bytes) {
    while (next_span < free_spans.size()) {
      auto [b, e] = free_spans[next_span++];
      if (static_cast<size_t>(e - b) >= bytes) {
        UseSpan(b, e);
        return true;
      }
    }
    return false;
  }

  bool MapChunk() {
    if (stats.bytes_reserved + kChunkBytes > max_bytes) return false;
    void* p = MapAligned(kChunkBytes);
    if (p == nullptr) return false;
    Chunk c;
    c.base = static_cast<uint8_t*>(p);
    c.bytes = kChunkBytes;
    chunks.emplace(reinterpret_cast<uintptr_t>(p), std::move(c));
    stats.bytes_reserved += kChunkBytes;
    UseSpan(static_cast<uint8_t*>(p), static_cast<uint8_t*>(p) + kChunkBytes);
    return true;
  }

  // Unmaps the regular chunks that are one unused free span (kept by the last sweep); true
  // if there was one.
  bool ReleaseEmptyChunks() {
    bool any = false;
    for (size_t i = next_span; i < free_spans.size(); ++i) {
      auto [b, e] = free_spans[i];
      if (static_cast<uintptr_t>(e - b) != kChunkBytes) continue;
      const auto base = reinterpret_cast<uintptr_t>(b);
      auto it = chunks.find(base);
      if (it == chunks.end() || it->second.large) continue;
      stats.bytes_reserved -= kChunkBytes;
      munmap(b, kChunkBytes);
      chunks.erase(it);
      ForgetLastChunk();
      free_spans[i] = {nullptr, nullptr};
      any = true;
    }
    return any;
  }

  bool Due() const { return enabled && allocated_since >= trigger; }

  void CollectNow(uintptr_t fp, uintptr_t pc) {
    if (enabled) activations->Collect(fp, pc);
  }

  void* AllocLarge(uint64_t bytes, uintptr_t fp, uintptr_t pc) {
    const uint64_t map_bytes = (bytes + 4095) & ~uint64_t{4095};
    if (map_bytes > max_bytes) return nullptr;
    bool collected = false;
    if (Due()) {
      CollectNow(fp, pc);
      collected = true;
    }
    while (stats.bytes_reserved + map_bytes > max_bytes) {
      if (ReleaseEmptyChunks()) continue;
      if (collected || !enabled) return nullptr;
      CollectNow(fp, pc);
      collected = true;
    }
    void* p = MapAligned(map_bytes);
    if (p == nullptr) return nullptr;
    Chunk c;
    c.base = static_cast<uint8_t*>(p);
    c.bytes = map_bytes;
    c.large = true;
    chunks.emplace(reinterpret_cast<uintptr_t>(p), std::move(c));
    stats.bytes_reserved += map_bytes;
    allocated_since += map_bytes;
    stats.bytes_allocated += map_bytes;
    return p;
  }

  // `bytes` zeroed bytes (multiple of kGcAlign, at least 16), or null at the bound.
  void* Allocate(uint64_t bytes, uintptr_t fp, uintptr_t pc) {
    if (bytes >= kLargeObjectBytes) return AllocLarge(bytes, fp, pc);
    bool collected = false;
    for (;;) {
      if (static_cast<uint64_t>(ctx->gc_end - ctx->gc_next) >= bytes && ctx->gc_next != nullptr) {
        uint8_t* p = ctx->gc_next;
        ctx->gc_next += bytes;
        return p;
      }
      RetireSpan();
      if (!collected && Due()) {
        CollectNow(fp, pc);
        collected = true;
        continue;
      }
      if (TakeFreeSpan(bytes) || MapChunk()) continue;
      if (collected || !enabled) return nullptr;
      CollectNow(fp, pc);
      collected = true;
    }
  }

  // ---- Collection steps (ActivationsTable::Collect). Every object is unmarked outside a
  // collection: allocation hands out zeroed memory and Sweep unmarks the survivors, so Begin
  // writes no object (ActivationsTable::Collect always runs Sweep after BeginCollection).

  void Begin() {
    collecting = true;
    RetireSpan();
    free_spans.clear();
    next_span = 0;
    pinned.clear();
    for (auto& [base, c] : chunks) {
      if (c.large) {
        auto* h = reinterpret_cast<GcHeader*>(c.base);
        if (h->count != 0 || !enabled) pinned.push_back(h);
        continue;
      }
      if (!c.starts) c.starts.reset(new uint64_t[kBitmapWords]);
      std::memset(c.starts.get(), 0, kBitmapWords * sizeof(uint64_t));
      for (size_t at = 0; at < kChunkBytes;) {
        auto* h = reinterpret_cast<GcHeader*>(c.base + at);
        const size_t size = ObjectSize(c.base + at);
        if (size == 0) break;
        if (IsHeapKind(h->kind)) {
          c.starts[at / kGcAlign / 64] |= uint64_t{1} << (at / kGcAlign % 64);
          if (h->count != 0 || !enabled) pinned.push_back(h);
        }
        at += size;
      }
    }
  }

  bool IsStart(const void* p) const {
    const auto a = reinterpret_cast<uintptr_t>(p);
    if (a == 0 || (a & (kGcAlign - 1)) != 0) return false;
    const Chunk* c = ChunkOf(p);
    if (c == nullptr) return false;
    if (c->large) return a == reinterpret_cast<uintptr_t>(c->base);
    const uintptr_t at = a - reinterpret_cast<uintptr_t>(c->base);
    return (c->starts[at / kGcAlign / 64] >> (at / kGcAlign % 64) & 1) != 0;
  }

  void MarkRoot(void* p) {
    auto* h = static_cast<GcHeader*>(p);
    if ((h->flags & kMarked) != 0) return;
    h->flags |= kMarked;
    stack.push_back(h);
  }

  // A reference read from a traced field: null, an i31, or the header of a live object (a
  // heap object, an extern object or an exception: never a stale word, unlike the roots,
  // which go through IsStart), so the kind byte tells them apart without the chunk lookup
  // and the start bitmap. (A ring of prefetched references, to fetch a tree's nodes several
  // at a time, made binary_trees.wat 15% slower: depth-first order follows allocation order.)
  template <typename Other>
  void Visit(void* v, Other& other) {
    if (v == nullptr || IsI31(v)) return;
    if (IsHeapKind(static_cast<GcHeader*>(v)->kind))
      MarkRoot(v);
    else
      other(v);
  }

  template <typename Other>
  void Trace(Other& other) {
    // (With collection disabled every object is a root: nothing is freed.)
    for (GcHeader* h : pinned)
      if (h->count != 0 || !enabled) MarkRoot(h);
    while (!stack.empty()) {
      GcHeader* h = stack.back();
      stack.pop_back();
      auto* p = reinterpret_cast<uint8_t*>(h);
      const Rtt* rtt = h->rtt;
      if (h->kind == GcKind::kStruct) {
        for (uint32_t i = 0; i < rtt->num_ref_offsets; ++i) {
          void* v;
          std::memcpy(&v, p + rtt->ref_offsets[i], sizeof v);
          Visit(v, other);
        }
      } else if (rtt->elem_is_ref) {
        uint32_t len;
        std::memcpy(&len, p + kArrayLength, sizeof len);
        for (uint32_t i = 0; i < len; ++i) {
          void* v;
          std::memcpy(&v, p + kArrayElems + 8 * size_t{i}, sizeof v);
          Visit(v, other);
        }
      }
    }
  }

  bool IsMarked(const void* p) const {
    return (static_cast<const GcHeader*>(p)->flags & kMarked) != 0;
  }

  void Sweep() {
    uint64_t live = 0;
    std::vector<uintptr_t> empty;
    for (auto& [base, c] : chunks) {
      if (c.large) {
        if (IsMarked(c.base)) {
          reinterpret_cast<GcHeader*>(c.base)->flags &= ~kMarked;
          live += c.bytes;
        } else {
          empty.push_back(base);
          ++stats.objects_freed;
        }
        continue;
      }
      uint8_t* run = nullptr;
      // Consecutive dead objects are zeroed with one memset: [dirty, dirty_end).
      uint8_t* dirty = nullptr;
      uint8_t* dirty_end = nullptr;
      auto flush = [&] {
        if (dirty != nullptr) std::memset(dirty, 0, static_cast<size_t>(dirty_end - dirty));
        dirty = nullptr;
      };
      uint64_t chunk_live = 0;
      auto close = [&](uint8_t* at) {
        flush();
        if (run != nullptr) {
          WriteFiller(run, static_cast<size_t>(at - run));
          free_spans.emplace_back(run, at);
          run = nullptr;
        }
      };
      size_t at = 0;
      while (at < kChunkBytes) {
        uint8_t* p = c.base + at;
        auto* h = reinterpret_cast<GcHeader*>(p);
        const size_t size = ObjectSize(p);
        if (size == 0) break;
        if (h->kind == GcKind::kFiller) {
          flush();
          std::memset(p, 0, std::min<size_t>(size, sizeof(GcHeader)));  // the rest is zero
          if (run == nullptr) run = p;
        } else if (!IsMarked(p)) {
          if (dirty == nullptr) dirty = p;
          dirty_end = p + size;
          ++stats.objects_freed;
          if (run == nullptr) run = p;
        } else {
          close(p);
          h->flags &= ~kMarked;
          chunk_live += size;
        }
        at += size;
      }
      close(c.base + at);
      if (chunk_live == 0) empty.push_back(base);
      live += chunk_live;
    }
    // The next trigger (see kGrowthFactor).
    trigger = std::max<uint64_t>(live * kGrowthFactor, kMinTriggerBytes);
    // Empty chunks: keep as many as the allocation up to the next collection would map again
    // (free spans; unmapping and mapping them again cost page faults, a third of a tree-heavy
    // program's time), unmap the rest and every dead large object.
    const size_t retain = std::max<size_t>(kRetainedEmptyChunks, trigger / kChunkBytes);
    size_t kept = 0;
    for (uintptr_t base : empty) {
      Chunk& c = chunks.at(base);
      if (!c.large && kept < retain) {
        ++kept;
        continue;
      }
      if (!c.large) {
        free_spans.erase(std::remove_if(free_spans.begin(), free_spans.end(),
                                        [&](const auto& s) {
                                          return reinterpret_cast<uintptr_t>(s.first) == base;
                                        }),
                         free_spans.end());
      }
      stats.bytes_reserved -= c.bytes;
      munmap(c.base, c.bytes);
      chunks.erase(base);
      ForgetLastChunk();
    }
    stats.bytes_live = live;
    ++stats.collections;
    allocated_since = 0;
    collecting = false;
  }
};

GcHeap::GcHeap(VMStoreContext* ctx, ActivationsTable* activations, uint64_t max_bytes)
    : impl_(std::make_unique<Impl>(ctx, activations,
                                   max_bytes == 0 ? kDefaultMaxGcHeapBytes : max_bytes)) {
  ctx->gc_next = ctx->gc_end = nullptr;
  ctx->gc_heap = this;
}

GcHeap::~GcHeap() = default;

GcHeader* GcHeap::AllocStruct(const Rtt* rtt) {
  void* p = impl_->Allocate(rtt->size, 0, 0);
  if (p == nullptr) return nullptr;
  auto* h = static_cast<GcHeader*>(p);
  h->kind = GcKind::kStruct;
  h->rtt = rtt;
  return h;
}

GcHeader* GcHeap::AllocArray(const Rtt* rtt, uint32_t length) {
  const uint64_t bytes = ArrayBytes(rtt, length);
  if (bytes > impl_->max_bytes) return nullptr;
  void* p = impl_->Allocate(bytes, 0, 0);
  if (p == nullptr) return nullptr;
  auto* h = static_cast<GcHeader*>(p);
  h->kind = GcKind::kArray;
  h->rtt = rtt;
  std::memcpy(static_cast<uint8_t*>(p) + kArrayLength, &length, sizeof length);
  return h;
}

void* GcHeap::AllocFromWasm(uint32_t bytes, uintptr_t fp, uintptr_t pc) {
  return impl_->Allocate(bytes, fp, pc);
}

void GcHeap::Collect(uintptr_t fp, uintptr_t pc) {
  impl_->activations->Collect(fp, pc);
}

bool GcHeap::IsObject(const void* p) const {
  const auto a = reinterpret_cast<uintptr_t>(p);
  if (a == 0 || (a & (kGcAlign - 1)) != 0) return false;
  const Impl::Chunk* c = impl_->ChunkOf(p);
  if (c == nullptr) return false;
  if (c->large) return a == reinterpret_cast<uintptr_t>(c->base);
  // Walk the chunk (the current span is skipped: it is not walkable until retired).
  const uint8_t* at = c->base;
  const uint8_t* end = c->base + kChunkBytes;
  while (at < end) {
    if (at == impl_->ctx->gc_next && at < impl_->ctx->gc_end) {
      at = impl_->ctx->gc_end;
      continue;
    }
    const size_t size = ObjectSize(at);
    if (size == 0) return false;
    if (at == p) return IsHeapKind(reinterpret_cast<const GcHeader*>(at)->kind);
    if (at > static_cast<const uint8_t*>(p)) return false;
    at += size;
  }
  return false;
}

const GcHeapStats& GcHeap::stats() const {
  return impl_->stats;
}

uint64_t GcHeap::max_bytes() const {
  return impl_->max_bytes;
}

void GcHeap::SetCollectionEnabled(bool enabled) {
  impl_->enabled = enabled;
}

void GcHeap::PushRoot(void** slot) {
  impl_->roots.push_back(slot);
}

void GcHeap::PopRoot() {
  impl_->roots.pop_back();
}

void GcHeap::AppendRoots(std::vector<void*>& values) const {
  for (void** slot : impl_->roots) {
    void* v = *slot;
    if (v != nullptr && !IsI31(v)) values.push_back(v);
  }
}

void GcHeap::BeginCollection() {
  impl_->Begin();
}

bool GcHeap::IsObjectStart(const void* p) const {
  return impl_->IsStart(p);
}

void GcHeap::MarkRoot(void* p) {
  impl_->MarkRoot(p);
}

void GcHeap::Trace(const std::function<void(void*)>& other) {
  impl_->Trace(other);
}

bool GcHeap::IsMarked(const void* p) const {
  return impl_->IsMarked(p);
}

void GcHeap::Sweep() {
  impl_->Sweep();
}

GcHeap& HeapOf(VMContext* vmctx) {
  if (vmctx->store_ctx->gc_heap != nullptr) return *static_cast<GcHeap*>(vmctx->store_ctx->gc_heap);
  return InstanceData::Of(vmctx).store->data().Heap();
}

}  // namespace wt::runtime::gc

namespace {

// The calling wasm frame (see builtins.cpp: these functions keep a frame pointer, so the
// frame record at __builtin_frame_address(0) holds the caller's fp and the return address,
// on x86_64 and on aarch64 alike).
#define WT_GC_CALLER_FP() (*static_cast<uintptr_t*>(__builtin_frame_address(0)))
#define WT_GC_CALLER_PC() reinterpret_cast<uintptr_t>(__builtin_return_address(0))

}  // namespace

extern "C" {

__attribute__((noinline)) void* wt_gc_alloc_struct(wt::runtime::VMContext* vmctx,
                                                   uint32_t type_index) noexcept {
  namespace gc = wt::runtime::gc;
  const auto* rtt = static_cast<const gc::Rtt*>(vmctx->rtts[type_index]);
  const uintptr_t fp = WT_GC_CALLER_FP();
  const uintptr_t pc = WT_GC_CALLER_PC();
  void* p = gc::HeapOf(vmctx).AllocFromWasm(rtt->size, fp, pc);
  if (p == nullptr) wt::runtime::RaiseTrap(wt::runtime::TrapCode::kGcHeapExhausted, pc, 0);
  auto* h = static_cast<gc::GcHeader*>(p);
  h->kind = gc::GcKind::kStruct;
  h->rtt = rtt;
  return p;
}

__attribute__((noinline)) void* wt_gc_alloc_array(wt::runtime::VMContext* vmctx,
                                                  uint32_t type_index, uint32_t length) noexcept {
  namespace gc = wt::runtime::gc;
  const auto* rtt = static_cast<const gc::Rtt*>(vmctx->rtts[type_index]);
  const uintptr_t fp = WT_GC_CALLER_FP();
  const uintptr_t pc = WT_GC_CALLER_PC();
  gc::GcHeap& heap = gc::HeapOf(vmctx);
  const uint64_t bytes = gc::kArrayElems + (uint64_t{length} << rtt->elem_size_log2);
  const uint64_t rounded = (bytes + gc::kGcAlign - 1) & ~uint64_t{gc::kGcAlign - 1};
  void* p = rounded > heap.max_bytes() || rounded > UINT32_MAX
                ? nullptr
                : heap.AllocFromWasm(static_cast<uint32_t>(rounded), fp, pc);
  if (p == nullptr) wt::runtime::RaiseTrap(wt::runtime::TrapCode::kGcHeapExhausted, pc, 0);
  auto* h = static_cast<gc::GcHeader*>(p);
  h->kind = gc::GcKind::kArray;
  h->rtt = rtt;
  std::memcpy(static_cast<uint8_t*>(p) + gc::kArrayLength, &length, sizeof length);
  return p;
}

}  // extern "C"
