// [pool] The on-demand allocator: every memory reserves its own address space (mmap), every
// table is a vector. What instances got before the pool existed, and the default.
#include "runtime/pool/allocator.h"
#include "runtime/runtime.h"

namespace wt::runtime {
namespace {

class OnDemandAllocation final : public InstanceAllocation {
 public:
  Result<std::unique_ptr<Memory>> CreateMemory(uint32_t, const wasm::MemoryType& type,
                                               const StoreLimits& limits) override {
    return Memory::Create(type, limits);
  }
  Result<std::unique_ptr<Table>> CreateTable(uint32_t, const wasm::TableType& type, void* init,
                                             const StoreLimits& limits) override {
    return Table::Create(type, init, limits);
  }
};

class OnDemand final : public InstanceAllocator {
 public:
  Result<std::shared_ptr<InstanceAllocation>> Allocate(
      const std::shared_ptr<const LoadedModule>&) override {
    return allocation_;
  }
  std::string_view name() const override { return "on-demand"; }

 private:
  // Stateless: one allocation object serves every instance.
  std::shared_ptr<InstanceAllocation> allocation_ = std::make_shared<OnDemandAllocation>();
};

}  // namespace

const std::shared_ptr<InstanceAllocator>& OnDemandAllocator() {
  static const std::shared_ptr<InstanceAllocator> kAllocator = std::make_shared<OnDemand>();
  return kAllocator;
}

}  // namespace wt::runtime
