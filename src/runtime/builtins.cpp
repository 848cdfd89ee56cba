// Runtime routines called from JIT code (builtins.h). Bounds follow the spec exactly: an
// access [dst, dst + n) is in bounds iff dst + n <= size (so n = 0 at dst = size is fine and
// dst > size traps even for n = 0). They raise traps with RaiseTrap (siglongjmp): nothing with
// a destructor may be alive in these functions when they do.
#include "runtime/builtins.h"

#include <algorithm>
#include <cstring>

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
// the wasm function.
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

}  // namespace

extern "C" {

uint64_t wt_memory_grow(VMContext* vmctx, uint32_t mem, uint64_t delta_pages) noexcept {
  InstanceData& d = InstanceData::Of(vmctx);
  std::optional<uint64_t> old = d.memory_objs[mem]->Grow(delta_pages);
  return old ? *old : UINT64_MAX;
}

void wt_memory_fill(VMContext* vmctx, uint32_t mem, uint64_t dst, uint32_t value,
                    uint64_t n) noexcept {
  MemoryData* m = vmctx->memories[mem];
  if (!InBounds(dst, n, m->size_bytes)) WT_BUILTIN_TRAP(TrapCode::kMemoryOutOfBounds);
  if (n) std::memset(m->base + dst, static_cast<int>(value & 0xFF), n);
}

void wt_memory_copy(VMContext* vmctx, uint32_t dst_mem, uint32_t src_mem, uint64_t dst,
                    uint64_t src, uint64_t n) noexcept {
  MemoryData* d = vmctx->memories[dst_mem];
  MemoryData* s = vmctx->memories[src_mem];
  if (!InBounds(dst, n, d->size_bytes) || !InBounds(src, n, s->size_bytes)) {
    WT_BUILTIN_TRAP(TrapCode::kMemoryOutOfBounds);
  }
  if (n) std::memmove(d->base + dst, s->base + src, n);
}

void wt_memory_init(VMContext* vmctx, uint32_t mem, uint32_t data, uint64_t dst, uint32_t src,
                    uint32_t n) noexcept {
  InstanceData& d = InstanceData::Of(vmctx);
  MemoryData* m = vmctx->memories[mem];
  std::span<const uint8_t> seg = d.datas[data];
  if (!InBounds(src, n, seg.size()) || !InBounds(dst, n, m->size_bytes)) {
    WT_BUILTIN_TRAP(TrapCode::kMemoryOutOfBounds);
  }
  if (n) std::memcpy(m->base + dst, seg.data() + src, n);
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
  TableData* t = vmctx->tables[table];
  if (!InBounds(dst, n, t->size)) WT_BUILTIN_TRAP(TrapCode::kTableOutOfBounds);
  if (n != 0 && IsRefTable(vmctx, table)) {
    WT_NOTE_EXIT(vmctx);
    for (uint64_t i = 0; i < n; ++i) {
      void* old = t->elems[dst + i];
      gc::IncRef(ref);
      t->elems[dst + i] = ref;
      gc::DecRef(old);
    }
    return;
  }
  std::fill_n(t->elems + dst, n, ref);
}

void wt_table_copy(VMContext* vmctx, uint32_t dst_table, uint32_t src_table, uint64_t dst,
                   uint64_t src, uint64_t n) noexcept {
  TableData* d = vmctx->tables[dst_table];
  TableData* s = vmctx->tables[src_table];
  if (!InBounds(dst, n, d->size) || !InBounds(src, n, s->size)) {
    WT_BUILTIN_TRAP(TrapCode::kTableOutOfBounds);
  }
  if (n != 0 && IsRefTable(vmctx, dst_table)) {
    WT_NOTE_EXIT(vmctx);
    // [gc] Count the copies first, then drop the overwritten ones.
    for (uint64_t i = 0; i < n; ++i) gc::IncRef(s->elems[src + i]);
    for (uint64_t i = 0; i < n; ++i) gc::DecRef(d->elems[dst + i]);
  }
  if (n) std::memmove(d->elems + dst, s->elems + src, n * sizeof(void*));
}

void wt_table_init(VMContext* vmctx, uint32_t table, uint32_t elem, uint64_t dst, uint32_t src,
                   uint32_t n) noexcept {
  InstanceData& d = InstanceData::Of(vmctx);
  TableData* t = vmctx->tables[table];
  const std::vector<void*>& seg = d.elems[elem];
  if (!InBounds(src, n, seg.size()) || !InBounds(dst, n, t->size)) {
    WT_BUILTIN_TRAP(TrapCode::kTableOutOfBounds);
  }
  if (n != 0 && IsRefTable(vmctx, table)) {
    WT_NOTE_EXIT(vmctx);
    for (uint32_t i = 0; i < n; ++i) gc::IncRef(seg[src + i]);
    for (uint32_t i = 0; i < n; ++i) gc::DecRef(t->elems[dst + i]);
  }
  if (n) std::memcpy(t->elems + dst, seg.data() + src, n * sizeof(void*));
}

void wt_elem_drop(VMContext* vmctx, uint32_t elem) noexcept {
  std::vector<void*>().swap(InstanceData::Of(vmctx).elems[elem]);
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
