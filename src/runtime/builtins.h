// Runtime routines called from JIT code (System V C calling convention, called by absolute
// address). Those that can trap raise the trap themselves (RaiseTrap unwinds to the entry with
// siglongjmp), so they must hold no objects with destructors when they do. All are noexcept.
// Indices are checked by the validator; bounds are checked here.
#pragma once

#include <cstdint>

#include "runtime/vmctx.h"

namespace wt::runtime {

// [limits] The bulk operations under fuel and timeouts (docs/traps-limits.md, "Bulk
// operations"). Code compiled with CompileOptions::consume_fuel calls builtins that charge
// fuel by size once the bounds check passed (kBulkBytesPerFuel bytes started of memory.fill /
// copy / init, one unit per element of table.fill / copy / init), trapping "all fuel
// consumed" before anything is written; with epoch_interruption they work in chunks of
// kBulkChunkBytes and trap "interrupt" between chunks once the store's deadline has passed.
// Without either option the code calls the plain wt_* builtins below, as before.
enum class BulkOp : uint8_t {
  kMemoryFill,
  kMemoryCopy,
  kMemoryInit,
  kTableFill,
  kTableCopy,
  kTableInit
};
inline constexpr uint64_t kBulkBytesPerFuel = 64;
inline constexpr uint64_t kBulkChunkBytes = uint64_t{4} << 20;

// The builtin the JIT calls for `op` (same signature as the wt_* function of that op).
const void* BulkBuiltin(BulkOp op, bool consume_fuel, bool epoch_interruption);

// Fuel a bulk operation of `n` bytes (memory) or elements (table) costs.
constexpr uint64_t BulkFuel(BulkOp op, uint64_t n) {
  if (op == BulkOp::kTableFill || op == BulkOp::kTableCopy || op == BulkOp::kTableInit) return n;
  return n / kBulkBytesPerFuel + (n % kBulkBytesPerFuel != 0 ? 1 : 0);
}

}  // namespace wt::runtime

extern "C" {

// memory.grow: the old size in pages, or -1 (as uint64) on failure.
uint64_t wt_memory_grow(wt::runtime::VMContext* vmctx, uint32_t mem, uint64_t delta_pages) noexcept;
void wt_memory_fill(wt::runtime::VMContext* vmctx, uint32_t mem, uint64_t dst, uint32_t value,
                    uint64_t n) noexcept;
void wt_memory_copy(wt::runtime::VMContext* vmctx, uint32_t dst_mem, uint32_t src_mem, uint64_t dst,
                    uint64_t src, uint64_t n) noexcept;
void wt_memory_init(wt::runtime::VMContext* vmctx, uint32_t mem, uint32_t data, uint64_t dst,
                    uint32_t src, uint32_t n) noexcept;
void wt_data_drop(wt::runtime::VMContext* vmctx, uint32_t data) noexcept;

// table.get/set trap on an index out of bounds.
void* wt_table_get(wt::runtime::VMContext* vmctx, uint32_t table, uint64_t index) noexcept;
void wt_table_set(wt::runtime::VMContext* vmctx, uint32_t table, uint64_t index,
                  void* ref) noexcept;
// table.grow: the old size, or -1 (as uint64) on failure.
uint64_t wt_table_grow(wt::runtime::VMContext* vmctx, uint32_t table, void* init,
                       uint64_t delta) noexcept;
void wt_table_fill(wt::runtime::VMContext* vmctx, uint32_t table, uint64_t dst, void* ref,
                   uint64_t n) noexcept;
void wt_table_copy(wt::runtime::VMContext* vmctx, uint32_t dst_table, uint32_t src_table,
                   uint64_t dst, uint64_t src, uint64_t n) noexcept;
void wt_table_init(wt::runtime::VMContext* vmctx, uint32_t table, uint32_t elem, uint64_t dst,
                   uint32_t src, uint32_t n) noexcept;
void wt_elem_drop(wt::runtime::VMContext* vmctx, uint32_t elem) noexcept;

// [gc] Externref tables and globals (chosen by the JIT from the module's types). Stores count
// (increment the new reference, decrement the old one); table.get inserts the reference into
// the store's activations table (collecting first when it is full: these builtins read the
// calling wasm frame's fp and return address, so they need a stack map at their call site).
void* wt_table_get_ref(wt::runtime::VMContext* vmctx, uint32_t table, uint64_t index) noexcept;
void wt_table_set_ref(wt::runtime::VMContext* vmctx, uint32_t table, uint64_t index,
                      void* ref) noexcept;
void wt_global_set_ref(wt::runtime::VMContext* vmctx, uint32_t global, void* ref) noexcept;
// The slow path of the JIT's inline activations-table insertion (table full): `ref` (non-null)
// already carries its entry's count. Collects, then appends. Returns `ref`.
void* wt_gc_insert_slow(wt::runtime::VMContext* vmctx, void* ref) noexcept;

// [exceptions] throw: a new exception of tag `tag` (an index of the calling instance) whose
// payload is in `values` (the caller's outgoing area, abi::NextArgSlot layout of the tag's
// params); throw_ref: rethrows `exn` (null traps "null reference"). Both unwind to the
// innermost handler of the calling wasm frames and resume there (runtime/exceptions.cpp), or
// end the activation with an uncaught-exception trap. Never return.
[[noreturn]] void wt_throw(wt::runtime::VMContext* vmctx, uint32_t tag,
                           const uint64_t* values) noexcept;
[[noreturn]] void wt_throw_ref(wt::runtime::VMContext* vmctx, void* exn) noexcept;

// Raises a trap (from the JIT's out-of-line trap stubs): records `code` and `pc` (the trapping
// instruction's address) in the current CallScope and unwinds to it. Never returns.
[[noreturn]] void wt_raise_trap(uint32_t code, uintptr_t pc, uintptr_t fp) noexcept;

}  // extern "C"
