// [lazy] The builtin table: every runtime routine JIT code calls (runtime/builtins.h), by a
// fixed id, so that code calls builtins through a table of addresses instead of embedding
// them (docs/lazy-plan.md 1.5). A builtin call is `call qword ptr [rip + disp32]`, the
// displacement pointing at table + 8 * id; the code then depends on its address only through
// that one displacement per call site, resolved where the code is placed.
//
// The contract, for whoever places code of an x64::Masm (jit/x64/masm_x64.h):
// - Masm::ExternalLinks reports every builtin call site as a link whose label is
//   Masm::BuiltinTableLabelId(): a rel32 field at code offset `at` that gets
//   table_address - (code_address + at) + rel (rel includes 8 * id; the table is never bound
//   inside the Masm). Links of any other label are direct calls into other code, as before.
// - The table is kNumBuiltins pointers, filled by FillBuiltinTable, 8-aligned, within
//   +-2 GiB of the code, and must not be written once the code can run (read-only).
// - Homes: eager code (ExecutableCode): at the first page boundary after the code,
//   CompiledModule::builtin_table_offset (jit/compiler.h); the process-wide host stubs: the
//   same, per stub object; lazy code (jit/code_arena.h): the arena's data part; a .cwasm
//   artifact: an anonymous page the loader maps after the code and fills.
// - BuiltinId values are part of the .cwasm format: append new builtins at the end (before
//   kNumBuiltins), never reorder.
// The lazy compile thunk's own builtin (wt_lazy_compile) is called through the arena header,
// not through this table.
#pragma once

#include <cstdint>
#include <optional>

namespace wt::runtime {

enum class BuiltinId : uint32_t {
  kRaiseTrap,  // wt_raise_trap: trap stubs and host stubs
  kMemoryGrow,
  kDataDrop,
  kTableGet,
  kTableSet,
  kTableGrow,
  kElemDrop,
  kTableGetRef,  // [gc]
  kTableSetRef,
  kGlobalSetRef,
  kGcInsertSlow,
  // The bulk operations (runtime::BulkBuiltin): kBulkFirst + 6 * variant + BulkOp, variant
  // 0 plain, 1 fuel, 2 epoch, 3 fuel and epoch.
  kBulkFirst,
  kBulkLast = kBulkFirst + 23,
  kThrow,          // [exceptions] wt_throw
  kThrowRef,       // [exceptions] wt_throw_ref
  kGcFuncSubtype,  // [wasmgc] casts (G3): wt_gc_func_subtype (gc/gc_casts.h)
  // [wasmgc] GC objects (G2): the allocation slow paths (gc/heap.h) and the bulk array
  // routines (gc/gc_builtins.h).
  kGcAllocStruct,
  kGcAllocArray,
  kGcArrayNew,
  kGcArrayNewData,
  kGcArrayNewElem,
  kGcArrayFill,
  kGcArrayCopy,
  kGcArrayInitData,
  kGcArrayInitElem,
  kCount,
};
inline constexpr uint32_t kNumBuiltins = static_cast<uint32_t>(BuiltinId::kCount);
inline constexpr uint32_t kNumBulkVariants = 4;

// The address of builtin `id` (never null for id < kNumBuiltins).
const void* BuiltinAddress(BuiltinId id);
// The id of a builtin address (as the compiler passes it to Masm::CallBuiltin), or nullopt
// for an address not in the table.
std::optional<BuiltinId> BuiltinIdOf(const void* fn);
// A short name of builtin `id` ("memory_grow", "bulk_fuel_memory_fill", ...; "?" for an id
// out of range), for diagnostics and disassembly listings.
const char* BuiltinName(BuiltinId id);
// Writes the kNumBuiltins addresses to table[0..kNumBuiltins).
void FillBuiltinTable(const void** table);

}  // namespace wt::runtime
