// [pool] The pooling instance allocator (see allocator.h and docs/pool.md).
//
// One reservation: [memory slots][table slots]. Instance slot s owns memory slots
// s * memories_per_instance + i (8 GiB apart: 4 GiB addressable + 4 GiB guard, so the JIT's
// unchecked 32-bit accesses stay inside) and table slots s * tables_per_instance + j.
// Everything is PROT_NONE except the accessible part of each memory slot and the table slots.
#include <sys/mman.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <vector>

#include <spdlog/spdlog.h>

#include "runtime/pool/allocator.h"
#include "runtime/pool/image.h"
#include "runtime/pool/uffd_linux.h"
#include "runtime/runtime.h"

namespace wt::runtime {
namespace {

using pool::MemoryImage;
using pool::ModuleImage;

constexpr uint64_t kOsPage = 4096;
constexpr uint64_t kGiB = uint64_t{1} << 30;
constexpr uint64_t kMemoryStride = 8 * kGiB;

uint64_t PageUp(uint64_t n) {
  return (n + kOsPage - 1) & ~(kOsPage - 1);
}

class Pool;

// One instance slot, leased to an instance (and the memories and tables it created).
class Slot final : public InstanceAllocation, public std::enable_shared_from_this<Slot> {
 public:
  Slot(std::shared_ptr<Pool> pool, uint32_t index, std::shared_ptr<ModuleImage> image)
      : pool_(std::move(pool)), index_(index), image_(std::move(image)) {}
  ~Slot() override;

  Result<std::unique_ptr<Memory>> CreateMemory(uint32_t defined_index, const wasm::MemoryType& type,
                                               const StoreLimits& limits) override;
  Result<std::unique_ptr<Table>> CreateTable(uint32_t defined_index, const wasm::TableType& type,
                                             void* init, const StoreLimits& limits) override;
  bool InitMemories() override;
  void AbortInit() override;

 private:
  std::shared_ptr<Pool> pool_;
  uint32_t index_;
  std::shared_ptr<ModuleImage> image_;  // null or ineligible: the linker copies the data
  uint32_t memories_ = 0;               // memories created (to reset)
  uint32_t tables_ = 0;
};

// The state of one memory slot.
struct MemorySlot {
  uint64_t accessible = 0;  // plain pool: bytes [0, accessible) are read+write
  uint64_t touched = 0;     // the largest size it had since the last reset
  // The image whose pages are in place: plain pool: mapped at [0, image->len); uffd: the
  // source of missing pages.
  std::shared_ptr<ModuleImage> image_owner;
  const MemoryImage* image = nullptr;
  // uffd: the current size (faults at or past it are guard faults) and the pages made
  // inaccessible by guard faults (restored on grow and reset).
  uint64_t size = 0;
  std::vector<uint64_t> guarded;
};

class Pool final : public InstanceAllocator,
                   public pool::Uffd::Resolver,
                   public std::enable_shared_from_this<Pool> {
 public:
  explicit Pool(const PoolConfig& config) : config_(config) {}
  ~Pool() override {
    uffd_.reset();  // the handler thread exits first
    if (base_) munmap(base_, total_);
  }

  Status Init();

  Result<std::shared_ptr<InstanceAllocation>> Allocate(
      const std::shared_ptr<const LoadedModule>& module) override;
  std::string_view name() const override { return uffd_ ? "pooling+uffd" : "pooling"; }

  PoolStats Stats() {
    std::lock_guard<std::mutex> lock(mu_);
    return PoolStats{config_.instances, config_.instances - static_cast<uint32_t>(free_.size()),
                     uffd_ != nullptr, reused_warm_};
  }

  // For slots.
  const PoolConfig& config() const { return config_; }
  uint8_t* MemoryBase(uint32_t mslot) const { return base_ + uint64_t{mslot} * kMemoryStride; }
  void** TableBase(uint32_t tslot) const {
    return reinterpret_cast<void**>(tables_base_ + uint64_t{tslot} * table_stride_);
  }
  uint64_t table_stride() const { return table_stride_; }
  // Puts `image` (or zeros) in place in memory slot `mslot`, `bytes` accessible.
  Status PrepareMemory(uint32_t mslot, const std::shared_ptr<ModuleImage>& owner,
                       const MemoryImage* image, uint64_t bytes);
  bool Commit(uint32_t mslot, uint64_t old_bytes, uint64_t new_bytes);
  // Removes the image's pages from a memory slot (zeros instead).
  void DropImage(uint32_t mslot);
  void Release(uint32_t slot, uint32_t memories, uint32_t tables);

  void Resolve(pool::Uffd& uffd, uintptr_t page, bool write) override;

 private:
  struct ModuleEntry {
    std::weak_ptr<const LoadedModule> module;
    std::shared_ptr<ModuleImage> image;
    uint32_t last_slot = UINT32_MAX;
  };

  void TakeFree(uint32_t slot);  // mu_ held

  PoolConfig config_;
  uint8_t* base_ = nullptr;
  uint64_t total_ = 0;
  uint8_t* tables_base_ = nullptr;
  uint64_t table_stride_ = 0;
  std::unique_ptr<pool::Uffd> uffd_;

  std::mutex mu_;                         // everything below
  std::vector<uint32_t> free_;            // free slots (a stack: recently freed first)
  std::vector<uint32_t> free_pos_;        // slot -> index in free_, or UINT32_MAX
  std::vector<const void*> last_module_;  // slot -> the module it held last (identity only)
  std::vector<MemorySlot> memories_;
  std::unordered_map<const void*, ModuleEntry> modules_;
  uint64_t reused_warm_ = 0;
  size_t sweep_at_ = 64;
};

Status Pool::Init() {
  if (config_.instances == 0) {
    return MakeError(ErrorKind::kUnsupported, "the pool needs at least one instance");
  }
  if (config_.memory_size > 4 * kGiB) {
    return MakeError(ErrorKind::kUnsupported,
                     "--pool-memory-size {} is larger than 4 GiB (32-bit memories only)",
                     config_.memory_size);
  }
  config_.memory_size &= ~(kOsPage - 1);
  uint64_t n_mem = uint64_t{config_.instances} * config_.memories_per_instance;
  uint64_t n_tab = uint64_t{config_.instances} * config_.tables_per_instance;
  table_stride_ = PageUp(config_.table_elements * sizeof(void*));
  uint64_t mem_bytes = n_mem * kMemoryStride;
  total_ = mem_bytes + n_tab * table_stride_;
  void* p = total_ == 0 ? MAP_FAILED
                        : mmap(nullptr, total_, PROT_NONE,
                               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    return MakeError(ErrorKind::kUnsupported,
                     "cannot reserve {} GiB of address space for a pool of {} instances: {}",
                     total_ / kGiB, config_.instances, std::strerror(errno));
  }
  base_ = static_cast<uint8_t*>(p);
  tables_base_ = base_ + mem_bytes;
  if (n_tab > 0 && mprotect(tables_base_, n_tab * table_stride_, PROT_READ | PROT_WRITE) != 0) {
    return MakeError(ErrorKind::kUnsupported, "cannot commit the pool's tables: {}",
                     std::strerror(errno));
  }
  memories_.resize(n_mem);
  if (config_.uffd && n_mem > 0 && config_.memory_size > 0) {
    // Every memory slot's addressable part is read+write for good; the handler decides what a
    // missing page gets, and protects pages past the current size when they are touched.
    bool ok = true;
    for (uint64_t i = 0; i < n_mem && ok; ++i) {
      ok = mprotect(MemoryBase(static_cast<uint32_t>(i)), config_.memory_size,
                    PROT_READ | PROT_WRITE) == 0;
    }
    Result<std::unique_ptr<pool::Uffd>> u =
        ok ? pool::Uffd::Create(base_, mem_bytes, this)
           : Result<std::unique_ptr<pool::Uffd>>(
                 MakeError(ErrorKind::kUnsupported, "mprotect: {}", std::strerror(errno)));
    if (u.ok()) {
      uffd_ = std::move(u).value();
    } else {
      static std::once_flag warned;
      std::call_once(warned, [&] {
        spdlog::warn("userfaultfd is not available ({}); using the pool without it",
                     u.error().message);
      });
      config_.uffd = false;
      for (uint64_t i = 0; i < n_mem; ++i) {
        mprotect(MemoryBase(static_cast<uint32_t>(i)), config_.memory_size, PROT_NONE);
      }
    }
  }
  free_.resize(config_.instances);
  free_pos_.resize(config_.instances);
  last_module_.assign(config_.instances, nullptr);
  for (uint32_t i = 0; i < config_.instances; ++i) {
    free_[i] = config_.instances - 1 - i;  // slot 0 on top
    free_pos_[config_.instances - 1 - i] = i;
  }
  return Ok();
}

void Pool::TakeFree(uint32_t slot) {
  uint32_t pos = free_pos_[slot];
  uint32_t last = free_.back();
  free_[pos] = last;
  free_pos_[last] = pos;
  free_.pop_back();
  free_pos_[slot] = UINT32_MAX;
}

Result<std::shared_ptr<InstanceAllocation>> Pool::Allocate(
    const std::shared_ptr<const LoadedModule>& loaded) {
  const wasm::Module& m = *loaded->module;
  size_t memories = m.memories.size() - m.num_imported_memories;
  size_t tables = m.tables.size() - m.num_imported_tables;
  if (memories > config_.memories_per_instance) {
    return MakeError(ErrorKind::kUninstantiable,
                     "module defines {} memories; the pool allows {} per instance", memories,
                     config_.memories_per_instance);
  }
  if (tables > config_.tables_per_instance) {
    return MakeError(ErrorKind::kUninstantiable,
                     "module defines {} tables; the pool allows {} per instance", tables,
                     config_.tables_per_instance);
  }
  // An instance without memories and tables needs no slot (its context lives in the heap).
  if (memories == 0 && tables == 0) return OnDemandAllocator()->Allocate(loaded);

  const void* key = loaded.get();
  std::shared_ptr<ModuleImage> image;
  uint32_t last_slot = UINT32_MAX;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = modules_.find(key);
    if (it != modules_.end()) {
      if (it->second.module.lock().get() == key) {
        image = it->second.image;
        last_slot = it->second.last_slot;
      } else {
        modules_.erase(it);  // a dead module at the same address
      }
    }
  }
  if (!image && memories > 0) {
    // Prepared once per module (outside the lock); a racing thread's image is as good.
    image = pool::BuildModuleImage(*loaded, /*with_memfd=*/!uffd_);
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (free_.empty()) {
    return MakeError(ErrorKind::kUninstantiable,
                     "the instance pool is exhausted ({} instances in use; see --pool-instances)",
                     config_.instances);
  }
  uint32_t slot;
  if (last_slot != UINT32_MAX && free_pos_[last_slot] != UINT32_MAX &&
      last_module_[last_slot] == key) {
    slot = last_slot;
    ++reused_warm_;
  } else {
    slot = free_.back();
  }
  TakeFree(slot);
  last_module_[slot] = key;
  ModuleEntry& e = modules_[key];
  if (e.module.expired()) e.module = loaded;
  if (!e.image) e.image = image;
  e.last_slot = slot;
  // Forget modules that died (amortised: sweep when the map has doubled since the last sweep),
  // so that their images (memfds) can go.
  if (modules_.size() > sweep_at_) {
    std::erase_if(modules_, [](const auto& kv) { return kv.second.module.expired(); });
    sweep_at_ = 2 * modules_.size() + 64;
  }
  return std::shared_ptr<InstanceAllocation>(
      std::make_shared<Slot>(shared_from_this(), slot, e.image));
}

Status Pool::PrepareMemory(uint32_t mslot, const std::shared_ptr<ModuleImage>& owner,
                           const MemoryImage* image, uint64_t bytes) {
  uint8_t* base = MemoryBase(mslot);
  std::lock_guard<std::mutex> lock(mu_);
  MemorySlot& ms = memories_[mslot];
  if (image != nullptr && image->len == 0) image = nullptr;
  if (uffd_) {
    ms.image_owner = image ? owner : nullptr;
    ms.image = image;
    ms.size = bytes;
    ms.touched = bytes;
    return Ok();
  }
  if (ms.image != image) {
    if (ms.image != nullptr) {
      // Another module's image: back to anonymous zero pages (inaccessible).
      uint64_t len = std::max(ms.accessible, ms.image->len);
      if (mmap(base, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1,
               0) == MAP_FAILED) {
        return MakeError(ErrorKind::kUninstantiable, "cannot reset a pool memory: {}",
                         std::strerror(errno));
      }
      ms.accessible = 0;
      ms.image = nullptr;
      ms.image_owner = nullptr;
    }
    if (image != nullptr) {
      if (mmap(base, image->len, PROT_NONE, MAP_PRIVATE | MAP_FIXED, image->memfd, 0) ==
          MAP_FAILED) {
        return MakeError(ErrorKind::kUninstantiable, "cannot map a memory image: {}",
                         std::strerror(errno));
      }
      // The image replaced [0, len): its protection is PROT_NONE now.
      if (ms.accessible > image->len) {
        mprotect(base + image->len, ms.accessible - image->len, PROT_NONE);
      }
      ms.accessible = 0;
      ms.image = image;
      ms.image_owner = owner;
    }
  }
  uint64_t want = PageUp(bytes);
  if (ms.accessible > want) {
    if (mprotect(base + want, ms.accessible - want, PROT_NONE) != 0) {
      return MakeError(ErrorKind::kUninstantiable, "cannot reset a pool memory: {}",
                       std::strerror(errno));
    }
  } else if (ms.accessible < want) {
    if (mprotect(base + ms.accessible, want - ms.accessible, PROT_READ | PROT_WRITE) != 0) {
      return MakeError(ErrorKind::kUninstantiable, "cannot commit {} bytes of linear memory: {}",
                       bytes, std::strerror(errno));
    }
  }
  ms.accessible = want;
  ms.touched = want;
  return Ok();
}

bool Pool::Commit(uint32_t mslot, uint64_t old_bytes, uint64_t new_bytes) {
  (void)old_bytes;
  uint8_t* base = MemoryBase(mslot);
  std::lock_guard<std::mutex> lock(mu_);
  MemorySlot& ms = memories_[mslot];
  if (uffd_) {
    ms.size = new_bytes;
    ms.touched = std::max(ms.touched, PageUp(new_bytes));
    // Pages a guard fault protected are memory again.
    std::erase_if(ms.guarded, [&](uint64_t off) {
      if (off >= new_bytes) return false;
      mprotect(base + off, kOsPage, PROT_READ | PROT_WRITE);
      return true;
    });
    return true;
  }
  uint64_t want = PageUp(new_bytes);
  if (want > ms.accessible) {
    if (mprotect(base + ms.accessible, want - ms.accessible, PROT_READ | PROT_WRITE) != 0) {
      return false;
    }
    ms.accessible = want;
  }
  ms.touched = std::max(ms.touched, want);
  return true;
}

void Pool::DropImage(uint32_t mslot) {
  uint8_t* base = MemoryBase(mslot);
  std::lock_guard<std::mutex> lock(mu_);
  MemorySlot& ms = memories_[mslot];
  if (ms.image == nullptr) return;
  uint64_t len = ms.image->len;
  if (uffd_) {
    madvise(base, len, MADV_DONTNEED);  // later faults read zeros
  } else {
    // The memory keeps its size: zero pages, read+write, where the image was.
    mmap(base, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
         -1, 0);
    if (ms.accessible < len) mprotect(base + ms.accessible, len - ms.accessible, PROT_NONE);
  }
  ms.image = nullptr;
  ms.image_owner = nullptr;
}

void Pool::Release(uint32_t slot, uint32_t memories, uint32_t tables) {
  // Reset what the instance touched: memory pages go back to the image (a private file
  // mapping) or to zero; table pages to zero.
  for (uint32_t i = 0; i < memories; ++i) {
    uint32_t mslot = slot * config_.memories_per_instance + i;
    uint8_t* base = MemoryBase(mslot);
    std::lock_guard<std::mutex> lock(mu_);
    MemorySlot& ms = memories_[mslot];
    if (ms.touched > 0) madvise(base, ms.touched, MADV_DONTNEED);
    if (ms.image != nullptr && ms.image_owner.use_count() == 1) {
      // Only this slot still holds the image: its module is gone (swept), so no instance will
      // want these pages again; give back the image (and its memfd).
      if (!uffd_) {
        mmap(base, std::max(ms.accessible, ms.image->len), PROT_NONE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
        ms.accessible = 0;
      }
      ms.image = nullptr;
      ms.image_owner = nullptr;
    }
    if (uffd_) {
      for (uint64_t off : ms.guarded) mprotect(base + off, kOsPage, PROT_READ | PROT_WRITE);
      ms.guarded.clear();
      ms.size = 0;
    }
    ms.touched = 0;
  }
  for (uint32_t j = 0; j < tables; ++j) {
    madvise(TableBase(slot * config_.tables_per_instance + j), table_stride_, MADV_DONTNEED);
  }
  std::lock_guard<std::mutex> lock(mu_);
  free_pos_[slot] = static_cast<uint32_t>(free_.size());
  free_.push_back(slot);
}

void Pool::Resolve(pool::Uffd& uffd, uintptr_t page, bool write) {
  uint64_t off_all = page - reinterpret_cast<uintptr_t>(base_);
  uint32_t mslot = static_cast<uint32_t>(off_all / kMemoryStride);
  uint64_t off = off_all % kMemoryStride;
  std::lock_guard<std::mutex> lock(mu_);
  if (mslot >= memories_.size()) return uffd.Wake(page);
  MemorySlot& ms = memories_[mslot];
  if (off >= ms.size) {
    // A guard fault: the thread retries on an inaccessible page and traps (SIGSEGV).
    mprotect(reinterpret_cast<void*>(page), kOsPage, PROT_NONE);
    ms.guarded.push_back(off);
    return uffd.Wake(page);
  }
  if (ms.image != nullptr && off < ms.image->len) return uffd.Copy(page, &ms.image->bytes[off]);
  uffd.Zero(page, write);
}

// ---- Slot

class PoolMemory final : public MemoryBacking {
 public:
  PoolMemory(std::shared_ptr<Slot> slot, Pool* pool, uint32_t mslot)
      : slot_(std::move(slot)), pool_(pool), mslot_(mslot) {}
  bool Commit(uint8_t*, uint64_t old_bytes, uint64_t new_bytes) override {
    return pool_->Commit(mslot_, old_bytes, new_bytes);
  }

 private:
  std::shared_ptr<Slot> slot_;  // keeps the slot leased
  Pool* pool_;
  uint32_t mslot_;
};

Slot::~Slot() {
  image_.reset();  // (Release checks who else holds the image)
  pool_->Release(index_, memories_, tables_);
}

Result<std::unique_ptr<Memory>> Slot::CreateMemory(uint32_t defined_index,
                                                   const wasm::MemoryType& type,
                                                   const StoreLimits& limits) {
  // [wasm3] 64-bit memories take a slot like 32-bit ones, up to the pool's memory size
  // (Memory::CreateAt); their data segments are copied (image.cpp: no images for them).
  if (defined_index >= pool_->config().memories_per_instance) {
    return MakeError(ErrorKind::kUninstantiable, "too many memories for the pool");
  }
  uint64_t bytes = type.limits.min << type.page_size_log2;
  if (bytes > pool_->config().memory_size) {
    return MakeError(ErrorKind::kUninstantiable,
                     "memory of {} bytes exceeds the pool's memory size of {} bytes "
                     "(see --pool-memory-size)",
                     bytes, pool_->config().memory_size);
  }
  uint32_t mslot = index_ * pool_->config().memories_per_instance + defined_index;
  const MemoryImage* mi =
      image_ && image_->eligible ? image_->memories[defined_index].get() : nullptr;
  memories_ = std::max(memories_, defined_index + 1);
  WT_TRY(pool_->PrepareMemory(mslot, image_, mi, bytes));
  auto backing = std::make_shared<PoolMemory>(shared_from_this(), pool_.get(), mslot);
  return Memory::CreateAt(type, limits, pool_->MemoryBase(mslot), pool_->config().memory_size,
                          std::move(backing));
}

Result<std::unique_ptr<Table>> Slot::CreateTable(uint32_t defined_index,
                                                 const wasm::TableType& type, void* init,
                                                 const StoreLimits& limits) {
  if (defined_index >= pool_->config().tables_per_instance) {
    return MakeError(ErrorKind::kUninstantiable, "too many tables for the pool");
  }
  uint64_t cap = pool_->config().table_elements;
  if (type.limits.min > cap) {
    return MakeError(ErrorKind::kUninstantiable,
                     "table of {} elements exceeds the pool's table size of {} elements "
                     "(see --pool-table-elements)",
                     type.limits.min, cap);
  }
  uint32_t tslot = index_ * pool_->config().tables_per_instance + defined_index;
  tables_ = std::max(tables_, defined_index + 1);
  return Table::CreateAt(type, init, limits, pool_->TableBase(tslot), cap, shared_from_this());
}

bool Slot::InitMemories() {
  return image_ && image_->eligible;
}

void Slot::AbortInit() {
  for (uint32_t i = 0; i < memories_; ++i) {
    pool_->DropImage(index_ * pool_->config().memories_per_instance + i);
  }
}

}  // namespace

Result<std::shared_ptr<InstanceAllocator>> CreatePoolingAllocator(const PoolConfig& config) {
  auto p = std::make_shared<Pool>(config);
  WT_TRY(p->Init());
  return std::shared_ptr<InstanceAllocator>(std::move(p));
}

std::optional<PoolStats> GetPoolStats(const InstanceAllocator& allocator) {
  auto* p = dynamic_cast<const Pool*>(&allocator);
  if (p == nullptr) return std::nullopt;
  return const_cast<Pool*>(p)->Stats();
}

}  // namespace wt::runtime
