// [wasmgc] The bulk array routines of the GC object instructions (gc_builtins.h). Like the
// bulk memory/table builtins (builtins.cpp) they raise traps with RaiseTrap (siglongjmp):
// nothing with a destructor may be alive here when they do.
#include "runtime/gc/gc_builtins.h"

#include <algorithm>
#include <cstring>

#include "runtime/builtin_support.h"
#include "runtime/builtins.h"
#include "runtime/gc/heap.h"
#include "runtime/gc/object.h"
#include "runtime/instance_data.h"
#include "runtime/trap/call_scope.h"

using wt::runtime::InstanceData;
using wt::runtime::TrapCode;
using wt::runtime::VMContext;
namespace gc = wt::runtime::gc;

namespace {

// The calling wasm frame (as in builtins.cpp): the entry points keep a frame pointer.
#define WT_GC_CALLER()                                        \
  Caller {                                                    \
    reinterpret_cast<uintptr_t>(__builtin_return_address(0)), \
        *static_cast<uintptr_t*>(__builtin_frame_address(0))  \
  }

using wt::runtime::builtin::Caller;
using wt::runtime::builtin::Trap;

inline uint32_t Log2(uint64_t flags) {
  return static_cast<uint32_t>(flags & 7);
}
inline uint32_t Segment(uint64_t flags) {
  return static_cast<uint32_t>(flags >> gc::kGcFlagSegmentShift);
}

// Fuel by size (BulkFuel of a memory operation: kBulkBytesPerFuel bytes started per unit),
// charged once the bounds checks passed, as the bulk memory builtins do.
inline void ChargeFuel(VMContext* vmctx, uint64_t flags, uint64_t bytes, const Caller& caller) {
  if ((flags & gc::kGcFlagFuel) != 0)
    wt::runtime::builtin::ChargeFuel(vmctx, wt::runtime::BulkOp::kMemoryFill, bytes, caller);
}

// step(offset, count) over [0, n) elements of (1 << log2) bytes: in one piece, or under epochs
// in chunks of about kBulkChunkBytes (highest first when `backward`).
template <typename Step>
inline void Chunked(VMContext* vmctx, uint64_t flags, uint64_t n, bool backward,
                    const Caller& caller, Step step) {
  const uint64_t chunk = std::max<uint64_t>(1, wt::runtime::kBulkChunkBytes >> Log2(flags));
  wt::runtime::builtin::Chunked(vmctx, (flags & gc::kGcFlagEpoch) != 0, n, chunk, backward, caller,
                                step);
}

inline bool InBounds(uint64_t start, uint64_t n, uint64_t size) {
  return start <= size && n <= size - start;
}

// A zeroed array of module type `type_index` with `n` elements (header, Rtt, length written),
// allocated for the wasm frame `caller` (a GC safepoint there); traps kGcHeapExhausted.
uint8_t* NewArray(VMContext* vmctx, uint32_t type_index, uint64_t flags, uint32_t n,
                  const Caller& caller) {
  const uint64_t bytes =
      (gc::kArrayElems + (static_cast<uint64_t>(n) << Log2(flags)) + gc::kGcAlign - 1) &
      ~uint64_t{gc::kGcAlign - 1};
  if (bytes > UINT32_MAX) Trap(TrapCode::kGcHeapExhausted, caller);
  void* p = gc::HeapOf(vmctx).AllocFromWasm(static_cast<uint32_t>(bytes), caller.fp, caller.pc);
  if (p == nullptr) Trap(TrapCode::kGcHeapExhausted, caller);
  auto* h = static_cast<gc::GcHeader*>(p);
  h->count = 0;
  h->kind = gc::GcKind::kArray;
  h->flags = 0;
  h->spare = 0;
  h->rtt = static_cast<const gc::Rtt*>(vmctx->rtts[type_index]);
  auto* obj = static_cast<uint8_t*>(p);
  std::memcpy(obj + gc::kArrayLength, &n, sizeof(n));
  return obj;
}

// Writes `n` copies of the (1 << log2)-byte element at `value` from `to`.
void FillElems(uint8_t* to, const void* value, uint64_t n, uint32_t log2) {
  switch (log2) {
    case 0: {
      uint8_t v;
      std::memcpy(&v, value, 1);
      std::memset(to, v, n);
      return;
    }
    case 1: {
      uint16_t v;
      std::memcpy(&v, value, 2);
      for (uint64_t i = 0; i < n; ++i) std::memcpy(to + 2 * i, &v, 2);
      return;
    }
    case 2: {
      uint32_t v;
      std::memcpy(&v, value, 4);
      for (uint64_t i = 0; i < n; ++i) std::memcpy(to + 4 * i, &v, 4);
      return;
    }
    case 3: {
      uint64_t v;
      std::memcpy(&v, value, 8);
      for (uint64_t i = 0; i < n; ++i) std::memcpy(to + 8 * i, &v, 8);
      return;
    }
    default: {
      uint8_t v[16];
      std::memcpy(v, value, 16);
      for (uint64_t i = 0; i < n; ++i) std::memcpy(to + 16 * i, v, 16);
      return;
    }
  }
}

void Fill(VMContext* vmctx, uint64_t flags, uint8_t* to, const void* value, uint32_t n,
          const Caller& caller) {
  const uint32_t log2 = Log2(flags);
  ChargeFuel(vmctx, flags, static_cast<uint64_t>(n) << log2, caller);
  Chunked(vmctx, flags, n, false, caller,
          [&](uint64_t off, uint64_t c) { FillElems(to + (off << log2), value, c, log2); });
}

void InitData(VMContext* vmctx, uint64_t flags, uint8_t* to, uint32_t src, uint32_t n,
              const Caller& caller) {
  const uint32_t log2 = Log2(flags);
  std::span<const uint8_t> seg = InstanceData::Of(vmctx).datas[Segment(flags)];
  const uint64_t bytes = static_cast<uint64_t>(n) << log2;
  if (!InBounds(src, bytes, seg.size())) Trap(TrapCode::kMemoryOutOfBounds, caller);
  ChargeFuel(vmctx, flags, bytes, caller);
  const uint8_t* from = seg.data() + src;
  Chunked(vmctx, flags, n, false, caller, [&](uint64_t off, uint64_t c) {
    std::memcpy(to + (off << log2), from + (off << log2), c << log2);
  });
}

void InitElem(VMContext* vmctx, uint64_t flags, uint8_t* to, uint32_t src, uint32_t n,
              const Caller& caller) {
  const std::vector<void*>& seg = InstanceData::Of(vmctx).elems[Segment(flags)];
  if (!InBounds(src, n, seg.size())) Trap(TrapCode::kTableOutOfBounds, caller);
  ChargeFuel(vmctx, flags, static_cast<uint64_t>(n) * sizeof(void*), caller);
  void* const* from = seg.data() + src;
  Chunked(vmctx, (flags & ~uint64_t{7}) | 3, n, false, caller, [&](uint64_t off, uint64_t c) {
    std::memcpy(to + off * sizeof(void*), from + off, c * sizeof(void*));
  });
}

}  // namespace

extern "C" {

void* wt_gc_array_new(VMContext* vmctx, uint32_t type_index, uint64_t flags, const void* value,
                      uint32_t n) noexcept {
  const Caller caller = WT_GC_CALLER();
  uint8_t* obj = NewArray(vmctx, type_index, flags, n, caller);
  // The memory is zeroed: an all-zero value needs no fill.
  uint8_t probe[16]{};
  if (std::memcmp(value, probe, size_t{1} << Log2(flags)) != 0)
    Fill(vmctx, flags, obj + gc::kArrayElems, value, n, caller);
  return obj;
}

void* wt_gc_array_new_data(VMContext* vmctx, uint32_t type_index, uint64_t flags, uint32_t src,
                           uint32_t n) noexcept {
  const Caller caller = WT_GC_CALLER();
  // The segment's bounds first (the spec traps before allocating).
  std::span<const uint8_t> seg = InstanceData::Of(vmctx).datas[Segment(flags)];
  if (!InBounds(src, static_cast<uint64_t>(n) << Log2(flags), seg.size()))
    Trap(TrapCode::kMemoryOutOfBounds, caller);
  uint8_t* obj = NewArray(vmctx, type_index, flags, n, caller);
  InitData(vmctx, flags, obj + gc::kArrayElems, src, n, caller);
  return obj;
}

void* wt_gc_array_new_elem(VMContext* vmctx, uint32_t type_index, uint64_t flags, uint32_t src,
                           uint32_t n) noexcept {
  const Caller caller = WT_GC_CALLER();
  const std::vector<void*>& seg = InstanceData::Of(vmctx).elems[Segment(flags)];
  if (!InBounds(src, n, seg.size())) Trap(TrapCode::kTableOutOfBounds, caller);
  uint8_t* obj = NewArray(vmctx, type_index, flags, n, caller);
  InitElem(vmctx, flags, obj + gc::kArrayElems, src, n, caller);
  return obj;
}

void wt_gc_array_fill(VMContext* vmctx, uint64_t flags, void* to, const void* value,
                      uint32_t n) noexcept {
  Fill(vmctx, flags, static_cast<uint8_t*>(to), value, n, WT_GC_CALLER());
}

void wt_gc_array_copy(VMContext* vmctx, uint64_t flags, void* to, const void* from,
                      uint32_t n) noexcept {
  const Caller caller = WT_GC_CALLER();
  const uint32_t log2 = Log2(flags);
  ChargeFuel(vmctx, flags, static_cast<uint64_t>(n) << log2, caller);
  auto* d = static_cast<uint8_t*>(to);
  const auto* s = static_cast<const uint8_t*>(from);
  Chunked(vmctx, flags, n, d > s, caller, [&](uint64_t off, uint64_t c) {
    std::memmove(d + (off << log2), s + (off << log2), c << log2);
  });
}

void wt_gc_array_init_data(VMContext* vmctx, uint64_t flags, void* to, uint32_t src,
                           uint32_t n) noexcept {
  InitData(vmctx, flags, static_cast<uint8_t*>(to), src, n, WT_GC_CALLER());
}

void wt_gc_array_init_elem(VMContext* vmctx, uint64_t flags, void* to, uint32_t src,
                           uint32_t n) noexcept {
  InitElem(vmctx, flags, static_cast<uint8_t*>(to), src, n, WT_GC_CALLER());
}

}  // extern "C"
