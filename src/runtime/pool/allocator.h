// [pool] The instance allocator interface: where an instance's linear memories and tables
// live. Two implementations: on demand (mmap per memory, a vector per table; the default when
// StoreOptions::allocator is null) and pooling (one reservation split into slots, see
// docs/pool.md).
//
//   Linker::Instantiate ─► allocator.Allocate(module) ─► InstanceAllocation (a slot lease)
//        │                     ├─ CreateMemory(i, type, limits) for each defined memory
//        │                     └─ CreateTable(i, type, init, limits) for each defined table
//        └─ data segments: InitMemories() may apply them all at once from a prepared image
//
// The allocation is shared by the instance and by the memories and tables it created (the
// Store owns them); the slot goes back to the pool when the last of them dies. A pool is
// thread-safe and may be shared by many stores.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "runtime/store_options.h"
#include "util/result.h"
#include "wasm/types.h"

namespace wt::runtime {

class Memory;
class Table;
struct LoadedModule;

struct PoolConfig {
  uint32_t instances = 1000;           // --pool-instances
  uint64_t memory_size = 4ull << 30;   // --pool-memory-size: max bytes per memory slot
  uint64_t table_elements = 20000;     // --pool-table-elements: max elements per table
  bool uffd = false;                   // --pool-uffd (Linux userfaultfd)
  uint32_t memories_per_instance = 1;  // defined memories an instance may have
  uint32_t tables_per_instance = 8;    // defined tables an instance may have
};

// What a placed memory calls back into (implemented by the allocators).
class MemoryBacking {
 public:
  virtual ~MemoryBacking() = default;
  // Makes bytes [old_bytes, new_bytes) of the memory at `base` accessible (memory.grow).
  virtual bool Commit(uint8_t* base, uint64_t old_bytes, uint64_t new_bytes) = 0;
};

// The resources of one instance (for the pool: one slot).
class InstanceAllocation {
 public:
  virtual ~InstanceAllocation() = default;
  // The `defined_index`-th memory / table the module defines (imports not counted). Errors:
  // kUninstantiable (a limit) or kUnsupported.
  virtual Result<std::unique_ptr<Memory>> CreateMemory(uint32_t defined_index,
                                                       const wasm::MemoryType& type,
                                                       const StoreLimits& limits) = 0;
  virtual Result<std::unique_ptr<Table>> CreateTable(uint32_t defined_index,
                                                     const wasm::TableType& type, void* init,
                                                     const StoreLimits& limits) = 0;
  // Called when the linker reaches the data segments: true if the allocation has put the
  // initial contents of every defined memory in place (all active data segments then have
  // constant, in-bounds offsets into defined memories, so none can trap) and the linker must
  // only drop them; false: the linker copies them.
  virtual bool InitMemories() { return false; }
  // Called when instantiation fails before the data segments: any contents placed in advance
  // must not be visible (a function of the failed instance may sit in an imported table).
  virtual void AbortInit() {}
};

class InstanceAllocator {
 public:
  virtual ~InstanceAllocator() = default;
  // Reserves what an instance of `module` needs. Errors (kUninstantiable) for a limit: no
  // free slot, too many memories or tables.
  virtual Result<std::shared_ptr<InstanceAllocation>> Allocate(
      const std::shared_ptr<const LoadedModule>& module) = 0;
  virtual std::string_view name() const = 0;
};

// The on-demand allocator (a process-wide instance).
const std::shared_ptr<InstanceAllocator>& OnDemandAllocator();

// A pooling allocator (errors: kUnsupported when the reservation fails). With config.uffd
// and no usable userfaultfd, prints one warning and falls back to the plain pool.
Result<std::shared_ptr<InstanceAllocator>> CreatePoolingAllocator(const PoolConfig& config);

// [pool] Statistics of a pooling allocator (tests, benchmarks): slots in use, whether uffd is
// active. nullopt for other allocators.
struct PoolStats {
  uint32_t slots = 0;
  uint32_t in_use = 0;
  bool uffd = false;
  uint64_t reused_warm = 0;  // allocations that got the slot their module used last
};
std::optional<PoolStats> GetPoolStats(const InstanceAllocator& allocator);

}  // namespace wt::runtime
