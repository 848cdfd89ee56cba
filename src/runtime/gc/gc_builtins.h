// [wasmgc] Runtime routines of the GC object instructions JIT code calls (compiler_gc_objects.h;
// System V / AAPCS64 C calling convention, through the builtin table). The allocation slow
// paths themselves are wt_gc_alloc_struct / wt_gc_alloc_array (gc/heap.h).
//
// `flags` (every routine): bits 0..2 the element size's log2 (0..4), bit 8 consume fuel, bit 9
// epoch interruption (the options the code was compiled with; docs/traps-limits.md "Bulk
// operations": fuel is charged by size once the bounds checks passed, kBulkBytesPerFuel
// bytes started per unit; under epochs the work goes in chunks of kBulkChunkBytes with the
// deadline checked between them); bits 16.. a data or element segment index where one is
// named. The JIT has checked the array operands (null, bounds): fill/copy/init get element
// pointers; the segment bounds are checked here. Traps are raised from here (RaiseTrap).
#pragma once

#include <cstdint>

#include "runtime/vmctx.h"

namespace wt::runtime::gc {

inline constexpr uint64_t kGcFlagFuel = 1u << 8;
inline constexpr uint64_t kGcFlagEpoch = 1u << 9;
inline constexpr unsigned kGcFlagSegmentShift = 16;

constexpr uint64_t GcBuiltinFlags(uint32_t elem_log2, bool fuel, bool epoch, uint32_t segment = 0) {
  return elem_log2 | (fuel ? kGcFlagFuel : 0) | (epoch ? kGcFlagEpoch : 0) |
         (static_cast<uint64_t>(segment) << kGcFlagSegmentShift);
}

}  // namespace wt::runtime::gc

extern "C" {
// array.new: `n` elements, each the low (1 << log2) bytes at `value` (a frame slot). A GC
// safepoint (allocates).
void* wt_gc_array_new(wt::runtime::VMContext* vmctx, uint32_t type_index, uint64_t flags,
                      const void* value, uint32_t n) noexcept;
// array.new_data / array.new_elem: `n` elements from the segment (flags: its index) at `src`
// (bytes / elements); "out of bounds memory access" / "out of bounds table access" when the
// segment is too short. GC safepoints.
void* wt_gc_array_new_data(wt::runtime::VMContext* vmctx, uint32_t type_index, uint64_t flags,
                           uint32_t src, uint32_t n) noexcept;
void* wt_gc_array_new_elem(wt::runtime::VMContext* vmctx, uint32_t type_index, uint64_t flags,
                           uint32_t src, uint32_t n) noexcept;
// array.fill: `n` elements from `to` get the value at `value`.
void wt_gc_array_fill(wt::runtime::VMContext* vmctx, uint64_t flags, void* to, const void* value,
                      uint32_t n) noexcept;
// array.copy: `n` elements from `from` to `to` (overlap allowed).
void wt_gc_array_copy(wt::runtime::VMContext* vmctx, uint64_t flags, void* to, const void* from,
                      uint32_t n) noexcept;
// array.init_data / array.init_elem: `n` elements to `to` from the segment at `src`.
void wt_gc_array_init_data(wt::runtime::VMContext* vmctx, uint64_t flags, void* to, uint32_t src,
                           uint32_t n) noexcept;
void wt_gc_array_init_elem(wt::runtime::VMContext* vmctx, uint64_t flags, void* to, uint32_t src,
                           uint32_t n) noexcept;
}
