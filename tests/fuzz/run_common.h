// What the run-style fuzz targets (run, simd_isa) share: the limits of a run, stand-ins for a
// module's imports and edge argument values (docs/fuzzing.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "runtime/runtime.h"

namespace wt::fuzz {

// The fuel of instantiation and of each call (Store::ResetLimits before each), the calls made
// (the first exports), the native stack wasm may use, and the caps on memories and tables (a
// guest may grow them to these sizes).
inline constexpr uint64_t kFuel = 50'000;
inline constexpr size_t kMaxCalls = 64;
inline constexpr uint64_t kMaxWasmStack = 256 * 1024;
inline constexpr uint64_t kMaxMemoryBytes = 16 * 1024 * 1024;
inline constexpr uint64_t kMaxTableElements = 100'000;

// Store options with the fuel and limits above.
runtime::StoreOptions RunStoreOptions();

// Whether every type has a default (zero or null) value.
bool AllDefaultable(const std::vector<wasm::ValType>& types);

// Defines a stand-in for every import the store can make: functions return zeros (every third
// one traps, and so does one whose results have no zero value), memories, tables and globals
// are fresh objects of the imported type. Tags are left undefined (instantiation then fails).
void DefineImports(const wasm::Module& module, runtime::Store& store, runtime::Linker& linker);

// An edge value of a numeric type (the k-th of a few; null for references, zero for v128).
runtime::Value EdgeValue(wasm::ValType type, size_t k);

}  // namespace wt::fuzz
