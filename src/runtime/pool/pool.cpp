// [pool] Placeholder until the pooling allocator lands.
#include "runtime/pool/allocator.h"

namespace wt::runtime {

Result<std::shared_ptr<InstanceAllocator>> CreatePoolingAllocator(const PoolConfig&) {
  return MakeError(ErrorKind::kUnsupported, "the pooling allocator is not implemented yet");
}

}  // namespace wt::runtime
