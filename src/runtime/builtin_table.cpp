// [lazy] The builtin table (builtin_table.h): id -> address, the one list.
#include "runtime/builtin_table.h"

#include <array>
#include <cstddef>
#include <iterator>

#include "runtime/builtins.h"
#include "runtime/gc/gc_builtins.h"
#include "runtime/gc/gc_casts.h"
#include "runtime/gc/heap.h"

namespace wt::runtime {

namespace {

std::array<const void*, kNumBuiltins> MakeTable() {
  auto fn = [](auto* f) { return reinterpret_cast<const void*>(f); };
  std::array<const void*, kNumBuiltins> t{};
  auto set = [&](BuiltinId id, const void* p) { t[static_cast<uint32_t>(id)] = p; };
  set(BuiltinId::kRaiseTrap, fn(&wt_raise_trap));
  set(BuiltinId::kMemoryGrow, fn(&wt_memory_grow));
  set(BuiltinId::kDataDrop, fn(&wt_data_drop));
  set(BuiltinId::kTableGet, fn(&wt_table_get));
  set(BuiltinId::kTableSet, fn(&wt_table_set));
  set(BuiltinId::kTableGrow, fn(&wt_table_grow));
  set(BuiltinId::kElemDrop, fn(&wt_elem_drop));
  set(BuiltinId::kTableGetRef, fn(&wt_table_get_ref));
  set(BuiltinId::kTableSetRef, fn(&wt_table_set_ref));
  set(BuiltinId::kGlobalSetRef, fn(&wt_global_set_ref));
  set(BuiltinId::kGcInsertSlow, fn(&wt_gc_insert_slow));
  set(BuiltinId::kThrow, fn(&wt_throw));                    // [exceptions]
  set(BuiltinId::kThrowRef, fn(&wt_throw_ref));             // [exceptions]
  set(BuiltinId::kGcAllocStruct, fn(&wt_gc_alloc_struct));  // [wasmgc]
  set(BuiltinId::kGcAllocArray, fn(&wt_gc_alloc_array));
  set(BuiltinId::kGcArrayNew, fn(&wt_gc_array_new));
  set(BuiltinId::kGcArrayNewData, fn(&wt_gc_array_new_data));
  set(BuiltinId::kGcArrayNewElem, fn(&wt_gc_array_new_elem));
  set(BuiltinId::kGcArrayFill, fn(&wt_gc_array_fill));
  set(BuiltinId::kGcArrayCopy, fn(&wt_gc_array_copy));
  set(BuiltinId::kGcArrayInitData, fn(&wt_gc_array_init_data));
  set(BuiltinId::kGcArrayInitElem, fn(&wt_gc_array_init_elem));
  set(BuiltinId::kGcFuncSubtype, fn(&wt_gc_func_subtype));  // [wasmgc] casts
  constexpr uint32_t kOps = 6;
  static_assert(static_cast<uint32_t>(BuiltinId::kBulkLast) + 1 ==
                static_cast<uint32_t>(BuiltinId::kBulkFirst) + kOps * kNumBulkVariants);
  for (uint32_t v = 0; v < kNumBulkVariants; ++v) {
    for (uint32_t op = 0; op < kOps; ++op) {
      t[static_cast<uint32_t>(BuiltinId::kBulkFirst) + kOps * v + op] =
          BulkBuiltin(static_cast<BulkOp>(op), (v & 1) != 0, (v & 2) != 0);
    }
  }
  return t;
}

const std::array<const void*, kNumBuiltins>& Table() {
  static const std::array<const void*, kNumBuiltins> table = MakeTable();
  return table;
}

}  // namespace

const void* BuiltinAddress(BuiltinId id) {
  auto i = static_cast<uint32_t>(id);
  return i < kNumBuiltins ? Table()[i] : nullptr;
}

std::optional<BuiltinId> BuiltinIdOf(const void* fn) {
  const auto& t = Table();
  for (uint32_t i = 0; i < kNumBuiltins; ++i)
    if (t[i] == fn && fn != nullptr) return static_cast<BuiltinId>(i);
  return std::nullopt;
}

const char* BuiltinName(BuiltinId id) {
  static const char* const kNames[] = {
      "raise_trap",    "memory_grow",    "data_drop",      "table_get",
      "table_set",     "table_grow",     "elem_drop",      "table_get_ref",
      "table_set_ref", "global_set_ref", "gc_insert_slow",
  };
  static_assert(std::size(kNames) == static_cast<size_t>(BuiltinId::kBulkFirst));
  static const char* const kBulk[4][6] = {
      {"memory_fill", "memory_copy", "memory_init", "table_fill", "table_copy", "table_init"},
      {"bulk_fuel_memory_fill", "bulk_fuel_memory_copy", "bulk_fuel_memory_init",
       "bulk_fuel_table_fill", "bulk_fuel_table_copy", "bulk_fuel_table_init"},
      {"bulk_epoch_memory_fill", "bulk_epoch_memory_copy", "bulk_epoch_memory_init",
       "bulk_epoch_table_fill", "bulk_epoch_table_copy", "bulk_epoch_table_init"},
      {"bulk_fuel_epoch_memory_fill", "bulk_fuel_epoch_memory_copy", "bulk_fuel_epoch_memory_init",
       "bulk_fuel_epoch_table_fill", "bulk_fuel_epoch_table_copy", "bulk_fuel_epoch_table_init"},
  };
  auto i = static_cast<uint32_t>(id);
  if (i < std::size(kNames)) return kNames[i];
  if (i >= kNumBuiltins) return "?";
  if (id == BuiltinId::kThrow) return "throw";                    // [exceptions]
  if (id == BuiltinId::kThrowRef) return "throw_ref";             // [exceptions]
  if (id == BuiltinId::kGcFuncSubtype) return "gc_func_subtype";  // [wasmgc] casts
  // [wasmgc]
  static const char* const kGc[] = {
      "gc_alloc_struct",   "gc_alloc_array",     "gc_array_new",
      "gc_array_new_data", "gc_array_new_elem",  "gc_array_fill",
      "gc_array_copy",     "gc_array_init_data", "gc_array_init_elem",
  };
  if (id >= BuiltinId::kGcAllocStruct && id <= BuiltinId::kGcArrayInitElem)
    return kGc[i - static_cast<uint32_t>(BuiltinId::kGcAllocStruct)];
  i -= static_cast<uint32_t>(BuiltinId::kBulkFirst);
  return kBulk[i / 6][i % 6];
}

void FillBuiltinTable(const void** table) {
  const auto& t = Table();
  for (uint32_t i = 0; i < kNumBuiltins; ++i) table[i] = t[i];
}

}  // namespace wt::runtime
