// What a Store is created with: resource limits, fuel and timeout, the instance allocator.
// The CLI maps its options onto these (src/cli/run_command.cpp); each field says which issue
// implements it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

namespace wt::runtime {

class InstanceAllocator;  // runtime/pool/allocator.h

struct StoreLimits {
  // [pool] --max-memory-size: no linear memory grows (or is created) beyond this many bytes;
  // memory.grow returns -1, instantiation fails with a clear error. 0: only the types' limits.
  uint64_t max_memory_bytes = 0;
  // [pool] --max-table-elements: the same for tables. 0: the default cap (10 million).
  uint64_t max_table_elements = 0;
  // [traps] --max-wasm-stack: bytes of native stack wasm code may use per activation chain
  // ("call stack exhausted" beyond). 0: the thread's stack less a margin.
  uint64_t max_wasm_stack = 0;
  // [wasmgc] --max-gc-heap-size: the bytes the store's GC heap may map (chunks and large
  // objects); an allocation beyond it, after a collection, traps "GC heap exhausted".
  // 0: the default (gc::kDefaultMaxGcHeapBytes, 4 GiB).
  uint64_t max_gc_heap_bytes = 0;
};

struct StoreOptions {
  StoreLimits limits;
  // [traps] --fuel N: the budget; needs modules compiled with CompileOptions::consume_fuel.
  std::optional<uint64_t> fuel;
  // [traps] --timeout: wasm code traps "interrupt" once this much wall time has passed since
  // the store was created (epoch counter bumped by a timer thread); needs modules compiled
  // with CompileOptions::epoch_interruption.
  std::optional<std::chrono::nanoseconds> timeout;
  // [wasmgc] false (--gc-collector null): the GC heap never frees an object (wasmtime's null
  // collector): the control run that shows what collection reclaims; exhaustion still traps.
  bool gc_collect = true;
  // [pool] where instances' memories, tables and contexts come from; nullptr: on demand.
  std::shared_ptr<InstanceAllocator> allocator;
};

}  // namespace wt::runtime
