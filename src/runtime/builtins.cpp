// Runtime routines called from JIT code (builtins.h). Bounds follow the spec exactly: an
// access [dst, dst + n) is in bounds iff dst + n <= size (so n = 0 at dst = size is fine and
// dst > size traps even for n = 0). They raise traps with RaiseTrap (siglongjmp): nothing with
// a destructor may be alive in these functions when they do.
#include "runtime/builtins.h"

#include <algorithm>
#include <cstring>

#include "runtime/builtin_support.h"
#include "runtime/gc/gc_ref.h"
#include "runtime/instance_data.h"
#include "runtime/trap/call_scope.h"

using wt::runtime::InstanceData;
using wt::runtime::MemoryData;
using wt::runtime::TableData;
using wt::runtime::TrapCode;
using wt::runtime::VMContext;
namespace gc = wt::runtime::gc;

namespace {

inline bool InBounds(uint64_t start, uint64_t n, uint64_t size) {
  return start <= size && n <= size - start;
}

#define WT_BUILTIN_TRAP(code) \
  wt::runtime::RaiseTrap(code, reinterpret_cast<uintptr_t>(__builtin_return_address(0)), 0)

// [gc] The calling wasm frame: builtins using these keep a frame pointer
// (__builtin_frame_address), so [frame] is the caller's fp and the return address points into
// the wasm function. [a64] The same on aarch64: the builtin's frame record (stp x29, x30;
// mov x29, sp) holds the wasm caller's x29 at [x29] and its return address (x30 of the
// `blr x16`) at [x29 + 8], the layout of the wasm frames themselves (jit/abi.h).
#define WT_CALLER_FP() (*static_cast<uintptr_t*>(__builtin_frame_address(0)))
#define WT_CALLER_PC() reinterpret_cast<uintptr_t>(__builtin_return_address(0))
// [gc] Before dropping counts (a drop function may run host code that collects): make the
// calling wasm frame the store's last exit point, where a collection from host code starts.
#define WT_NOTE_EXIT(vmctx)                            \
  do {                                                 \
    (vmctx)->store_ctx->last_exit_fp = WT_CALLER_FP(); \
    (vmctx)->store_ctx->last_exit_pc = WT_CALLER_PC(); \
  } while (0)

// [gc] Tables whose elements are counted references.
inline bool IsRefTable(VMContext* vmctx, uint32_t table) {
  return gc::IsGcRefType(InstanceData::Of(vmctx).table_objs[table]->elem_type());
}

wt::runtime::StoreData& StoreOf(VMContext* vmctx) {
  return InstanceData::Of(vmctx).store->data();
}

// ---- [limits] Bulk operations (builtins.h: BulkOp). Each operation is one function template
// over kFuel (charge fuel by size) and kEpoch (work in chunks, checking the deadline between
// them); the JIT calls the <false, false> instance through the extern "C" wt_* entry points
// and the others through BulkBuiltin. `pc` is the return address into the calling wasm code
// (the trap's location), `fp` the calling wasm frame ([gc] WT_NOTE_EXIT).

using wt::runtime::BulkFuel;
using wt::runtime::BulkOp;
using wt::runtime::kBulkChunkBytes;

using wt::runtime::builtin::Caller;
using wt::runtime::builtin::Trap;

void NoteExit(VMContext* vmctx, const Caller& caller) {
  vmctx->store_ctx->last_exit_fp = caller.fp;
  vmctx->store_ctx->last_exit_pc = caller.pc;
}

// The shared pieces (builtin_support.h) with the instance's choices as template arguments.
template <bool kFuel>
inline void ChargeFuel(VMContext* vmctx, BulkOp op, uint64_t n, const Caller& caller) {
  if constexpr (kFuel) wt::runtime::builtin::ChargeFuel(vmctx, op, n, caller);
}

template <bool kEpoch, typename Step>
inline void Chunked(VMContext* vmctx, uint64_t n, uint64_t chunk, bool backward,
                    const Caller& caller, Step step) {
  wt::runtime::builtin::Chunked(vmctx, kEpoch, n, chunk, backward, caller, step);
}

constexpr uint64_t kTableChunk = kBulkChunkBytes / sizeof(void*);

// Whether `a` is at a higher address than `b` (then an overlapping copy goes highest first).
inline bool Above(const void* a, const void* b) {
  return reinterpret_cast<uintptr_t>(a) > reinterpret_cast<uintptr_t>(b);
}

template <bool kFuel, bool kEpoch>
inline void MemoryFill(VMContext* vmctx, uint32_t mem, uint64_t dst, uint32_t value, uint64_t n,
                       const Caller& caller) {
  MemoryData* m = vmctx->memories[mem];
  if (!InBounds(dst, n, m->size_bytes)) Trap(TrapCode::kMemoryOutOfBounds, caller);
  ChargeFuel<kFuel>(vmctx, BulkOp::kMemoryFill, n, caller);
  uint8_t* base = m->base + dst;
  Chunked<kEpoch>(vmctx, n, kBulkChunkBytes, false, caller, [&](uint64_t off, uint64_t c) {
    std::memset(base + off, static_cast<int>(value & 0xFF), c);
  });
}

template <bool kFuel, bool kEpoch>
inline void MemoryCopy(VMContext* vmctx, uint32_t dst_mem, uint32_t src_mem, uint64_t dst,
                       uint64_t src, uint64_t n, const Caller& caller) {
  MemoryData* d = vmctx->memories[dst_mem];
  MemoryData* s = vmctx->memories[src_mem];
  if (!InBounds(dst, n, d->size_bytes) || !InBounds(src, n, s->size_bytes)) {
    Trap(TrapCode::kMemoryOutOfBounds, caller);
  }
  ChargeFuel<kFuel>(vmctx, BulkOp::kMemoryCopy, n, caller);
  uint8_t* to = d->base + dst;
  const uint8_t* from = s->base + src;
  // Overlapping ranges (one memory, or one imported twice): chunks in memmove's order.
  Chunked<kEpoch>(vmctx, n, kBulkChunkBytes, Above(to, from), caller,
                  [&](uint64_t off, uint64_t c) { std::memmove(to + off, from + off, c); });
}

template <bool kFuel, bool kEpoch>
inline void MemoryInit(VMContext* vmctx, uint32_t mem, uint32_t data, uint64_t dst, uint32_t src,
                       uint32_t n, const Caller& caller) {
  InstanceData& d = InstanceData::Of(vmctx);
  MemoryData* m = vmctx->memories[mem];
  std::span<const uint8_t> seg = d.datas[data];
  if (!InBounds(src, n, seg.size()) || !InBounds(dst, n, m->size_bytes)) {
    Trap(TrapCode::kMemoryOutOfBounds, caller);
  }
  ChargeFuel<kFuel>(vmctx, BulkOp::kMemoryInit, n, caller);
  uint8_t* to = m->base + dst;
  const uint8_t* from = seg.data() + src;
  Chunked<kEpoch>(vmctx, n, kBulkChunkBytes, false, caller,
                  [&](uint64_t off, uint64_t c) { std::memcpy(to + off, from + off, c); });
}

template <bool kFuel, bool kEpoch>
inline void TableFill(VMContext* vmctx, uint32_t table, uint64_t dst, void* ref, uint64_t n,
                      const Caller& caller) {
  TableData* t = vmctx->tables[table];
  if (!InBounds(dst, n, t->size)) Trap(TrapCode::kTableOutOfBounds, caller);
  ChargeFuel<kFuel>(vmctx, BulkOp::kTableFill, n, caller);
  void** to = t->elems + dst;
  if (n != 0 && IsRefTable(vmctx, table)) {
    NoteExit(vmctx, caller);
    Chunked<kEpoch>(vmctx, n, kTableChunk, false, caller, [&](uint64_t off, uint64_t c) {
      for (uint64_t i = off; i < off + c; ++i) {
        void* old = to[i];
        gc::IncRef(ref);
        to[i] = ref;
        gc::DecRef(old);
      }
    });
    return;
  }
  Chunked<kEpoch>(vmctx, n, kTableChunk, false, caller,
                  [&](uint64_t off, uint64_t c) { std::fill_n(to + off, c, ref); });
}

template <bool kFuel, bool kEpoch>
inline void TableCopy(VMContext* vmctx, uint32_t dst_table, uint32_t src_table, uint64_t dst,
                      uint64_t src, uint64_t n, const Caller& caller) {
  TableData* d = vmctx->tables[dst_table];
  TableData* s = vmctx->tables[src_table];
  if (!InBounds(dst, n, d->size) || !InBounds(src, n, s->size)) {
    Trap(TrapCode::kTableOutOfBounds, caller);
  }
  ChargeFuel<kFuel>(vmctx, BulkOp::kTableCopy, n, caller);
  void** to = d->elems + dst;
  void* const* from = s->elems + src;
  const bool counted = n != 0 && IsRefTable(vmctx, dst_table);
  if (counted) NoteExit(vmctx, caller);
  Chunked<kEpoch>(vmctx, n, kTableChunk, Above(to, from), caller, [&](uint64_t off, uint64_t c) {
    if (counted) {
      // [gc] Count the copies first, then drop the overwritten ones.
      for (uint64_t i = off; i < off + c; ++i) gc::IncRef(from[i]);
      for (uint64_t i = off; i < off + c; ++i) gc::DecRef(to[i]);
    }
    std::memmove(to + off, from + off, c * sizeof(void*));
  });
}

template <bool kFuel, bool kEpoch>
inline void TableInit(VMContext* vmctx, uint32_t table, uint32_t elem, uint64_t dst, uint32_t src,
                      uint32_t n, const Caller& caller) {
  InstanceData& d = InstanceData::Of(vmctx);
  TableData* t = vmctx->tables[table];
  const std::vector<void*>& seg = d.elems[elem];
  if (!InBounds(src, n, seg.size()) || !InBounds(dst, n, t->size)) {
    Trap(TrapCode::kTableOutOfBounds, caller);
  }
  ChargeFuel<kFuel>(vmctx, BulkOp::kTableInit, n, caller);
  void** to = t->elems + dst;
  void* const* from = seg.data() + src;
  const bool counted = n != 0 && IsRefTable(vmctx, table);
  if (counted) NoteExit(vmctx, caller);
  Chunked<kEpoch>(vmctx, n, kTableChunk, false, caller, [&](uint64_t off, uint64_t c) {
    if (counted) {
      for (uint64_t i = off; i < off + c; ++i) gc::IncRef(from[i]);
      for (uint64_t i = off; i < off + c; ++i) gc::DecRef(to[i]);
    }
    std::memcpy(to + off, from + off, c * sizeof(void*));
  });
}

// The entry points JIT code calls (System V, by address): they take the caller's pc and fp.
#define WT_CALLER()                \
  Caller {                         \
    WT_CALLER_PC(), WT_CALLER_FP() \
  }

template <bool kFuel, bool kEpoch>
void MemoryFillEntry(VMContext* vmctx, uint32_t mem, uint64_t dst, uint32_t value,
                     uint64_t n) noexcept {
  MemoryFill<kFuel, kEpoch>(vmctx, mem, dst, value, n, WT_CALLER());
}
template <bool kFuel, bool kEpoch>
void MemoryCopyEntry(VMContext* vmctx, uint32_t dst_mem, uint32_t src_mem, uint64_t dst,
                     uint64_t src, uint64_t n) noexcept {
  MemoryCopy<kFuel, kEpoch>(vmctx, dst_mem, src_mem, dst, src, n, WT_CALLER());
}
template <bool kFuel, bool kEpoch>
void MemoryInitEntry(VMContext* vmctx, uint32_t mem, uint32_t data, uint64_t dst, uint32_t src,
                     uint32_t n) noexcept {
  MemoryInit<kFuel, kEpoch>(vmctx, mem, data, dst, src, n, WT_CALLER());
}
template <bool kFuel, bool kEpoch>
void TableFillEntry(VMContext* vmctx, uint32_t table, uint64_t dst, void* ref,
                    uint64_t n) noexcept {
  TableFill<kFuel, kEpoch>(vmctx, table, dst, ref, n, WT_CALLER());
}
template <bool kFuel, bool kEpoch>
void TableCopyEntry(VMContext* vmctx, uint32_t dst_table, uint32_t src_table, uint64_t dst,
                    uint64_t src, uint64_t n) noexcept {
  TableCopy<kFuel, kEpoch>(vmctx, dst_table, src_table, dst, src, n, WT_CALLER());
}
template <bool kFuel, bool kEpoch>
void TableInitEntry(VMContext* vmctx, uint32_t table, uint32_t elem, uint64_t dst, uint32_t src,
                    uint32_t n) noexcept {
  TableInit<kFuel, kEpoch>(vmctx, table, elem, dst, src, n, WT_CALLER());
}

template <bool kFuel, bool kEpoch>
const void* PickBulk(BulkOp op) {
  auto fn = [](auto* f) { return reinterpret_cast<const void*>(f); };
  switch (op) {
    case BulkOp::kMemoryFill:
      return fn(&MemoryFillEntry<kFuel, kEpoch>);
    case BulkOp::kMemoryCopy:
      return fn(&MemoryCopyEntry<kFuel, kEpoch>);
    case BulkOp::kMemoryInit:
      return fn(&MemoryInitEntry<kFuel, kEpoch>);
    case BulkOp::kTableFill:
      return fn(&TableFillEntry<kFuel, kEpoch>);
    case BulkOp::kTableCopy:
      return fn(&TableCopyEntry<kFuel, kEpoch>);
    case BulkOp::kTableInit:
      return fn(&TableInitEntry<kFuel, kEpoch>);
  }
  return nullptr;
}

}  // namespace

namespace wt::runtime {

const void* BulkBuiltin(BulkOp op, bool consume_fuel, bool epoch_interruption) {
  auto fn = [](auto* f) { return reinterpret_cast<const void*>(f); };
  if (consume_fuel)
    return epoch_interruption ? PickBulk<true, true>(op) : PickBulk<true, false>(op);
  if (epoch_interruption) return PickBulk<false, true>(op);
  switch (op) {  // neither: the plain builtins (the code stays as without these options)
    case BulkOp::kMemoryFill:
      return fn(&wt_memory_fill);
    case BulkOp::kMemoryCopy:
      return fn(&wt_memory_copy);
    case BulkOp::kMemoryInit:
      return fn(&wt_memory_init);
    case BulkOp::kTableFill:
      return fn(&wt_table_fill);
    case BulkOp::kTableCopy:
      return fn(&wt_table_copy);
    case BulkOp::kTableInit:
      return fn(&wt_table_init);
  }
  return nullptr;
}

}  // namespace wt::runtime

extern "C" {

uint64_t wt_memory_grow(VMContext* vmctx, uint32_t mem, uint64_t delta_pages) noexcept {
  InstanceData& d = InstanceData::Of(vmctx);
  std::optional<uint64_t> old = d.memory_objs[mem]->Grow(delta_pages);
  return old ? *old : UINT64_MAX;
}

void wt_memory_fill(VMContext* vmctx, uint32_t mem, uint64_t dst, uint32_t value,
                    uint64_t n) noexcept {
  MemoryFill<false, false>(vmctx, mem, dst, value, n, WT_CALLER());
}

void wt_memory_copy(VMContext* vmctx, uint32_t dst_mem, uint32_t src_mem, uint64_t dst,
                    uint64_t src, uint64_t n) noexcept {
  MemoryCopy<false, false>(vmctx, dst_mem, src_mem, dst, src, n, WT_CALLER());
}

void wt_memory_init(VMContext* vmctx, uint32_t mem, uint32_t data, uint64_t dst, uint32_t src,
                    uint32_t n) noexcept {
  MemoryInit<false, false>(vmctx, mem, data, dst, src, n, WT_CALLER());
}

void wt_data_drop(VMContext* vmctx, uint32_t data) noexcept {
  InstanceData::Of(vmctx).datas[data] = {};
}

void* wt_table_get(VMContext* vmctx, uint32_t table, uint64_t index) noexcept {
  TableData* t = vmctx->tables[table];
  if (index >= t->size) WT_BUILTIN_TRAP(TrapCode::kTableOutOfBounds);
  return t->elems[index];
}

void wt_table_set(VMContext* vmctx, uint32_t table, uint64_t index, void* ref) noexcept {
  TableData* t = vmctx->tables[table];
  if (index >= t->size) WT_BUILTIN_TRAP(TrapCode::kTableOutOfBounds);
  t->elems[index] = ref;
}

uint64_t wt_table_grow(VMContext* vmctx, uint32_t table, void* init, uint64_t delta) noexcept {
  InstanceData& d = InstanceData::Of(vmctx);
  std::optional<uint64_t> old = d.table_objs[table]->Grow(delta, init);
  return old ? *old : UINT64_MAX;
}

void wt_table_fill(VMContext* vmctx, uint32_t table, uint64_t dst, void* ref, uint64_t n) noexcept {
  TableFill<false, false>(vmctx, table, dst, ref, n, WT_CALLER());
}

void wt_table_copy(VMContext* vmctx, uint32_t dst_table, uint32_t src_table, uint64_t dst,
                   uint64_t src, uint64_t n) noexcept {
  TableCopy<false, false>(vmctx, dst_table, src_table, dst, src, n, WT_CALLER());
}

void wt_table_init(VMContext* vmctx, uint32_t table, uint32_t elem, uint64_t dst, uint32_t src,
                   uint32_t n) noexcept {
  TableInit<false, false>(vmctx, table, elem, dst, src, n, WT_CALLER());
}

void wt_elem_drop(VMContext* vmctx, uint32_t elem) noexcept {
  InstanceData& d = InstanceData::Of(vmctx);
  // [wasmgc] A segment of managed references drops its items' counts (linker.cpp DropElem).
  if (elem < d.elem_counted.size() && d.elem_counted[elem] != 0) WT_NOTE_EXIT(vmctx);
  d.DropElem(elem);
}

__attribute__((noinline)) void* wt_table_get_ref(VMContext* vmctx, uint32_t table,
                                                 uint64_t index) noexcept {
  TableData* t = vmctx->tables[table];
  if (index >= t->size) WT_BUILTIN_TRAP(TrapCode::kTableOutOfBounds);
  void* r = t->elems[index];
  if (r != nullptr) {
    gc::IncRef(r);  // the entry's count
    StoreOf(vmctx).Activations().InsertFromWasm(r, WT_CALLER_FP(), WT_CALLER_PC());
  }
  return r;
}

void wt_table_set_ref(VMContext* vmctx, uint32_t table, uint64_t index, void* ref) noexcept {
  TableData* t = vmctx->tables[table];
  if (index >= t->size) WT_BUILTIN_TRAP(TrapCode::kTableOutOfBounds);
  void* old = t->elems[index];
  gc::IncRef(ref);
  t->elems[index] = ref;
  if (old != nullptr) WT_NOTE_EXIT(vmctx);
  gc::DecRef(old);
}

void wt_global_set_ref(VMContext* vmctx, uint32_t global, void* ref) noexcept {
  wt::runtime::ValueSlot* cell = vmctx->globals[global];
  void* old = cell->ref;
  gc::IncRef(ref);
  cell->ref = ref;
  if (old != nullptr) WT_NOTE_EXIT(vmctx);
  gc::DecRef(old);
}

__attribute__((noinline)) void* wt_gc_insert_slow(VMContext* vmctx, void* ref) noexcept {
  StoreOf(vmctx).Activations().InsertFromWasm(ref, WT_CALLER_FP(), WT_CALLER_PC());
  return ref;
}

}  // extern "C"
