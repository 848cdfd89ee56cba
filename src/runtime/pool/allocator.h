// [pool] The instance allocator interface: where an instance's linear memories, tables and
// VMContext live. Two implementations: on demand (mmap per memory/table; the default when
// StoreOptions::allocator is null) and pooling (one reservation split into slots).
#pragma once

#include <cstdint>
#include <memory>

#include "util/result.h"

namespace wt::runtime {

struct PoolConfig {
  uint32_t instances = 1000;          // --pool-instances
  uint64_t memory_size = 4ull << 30;  // --pool-memory-size: max bytes per memory slot
  uint64_t table_elements = 20000;    // --pool-table-elements: max elements per table
  bool uffd = false;                  // --pool-uffd (Linux userfaultfd)
};

class InstanceAllocator {
 public:
  virtual ~InstanceAllocator() = default;
  // (The [pool] issue defines the rest of this interface.)
};

// A pooling allocator (errors: kUnsupported when the reservation fails). With config.uffd
// and no usable userfaultfd, prints one warning and falls back to the plain pool.
Result<std::shared_ptr<InstanceAllocator>> CreatePoolingAllocator(const PoolConfig& config);

}  // namespace wt::runtime
