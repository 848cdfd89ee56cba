// Linear memories: the whole addressable range plus a guard is reserved up front (PROT_NONE)
// and committed (read+write) as the memory grows, so `base` never moves and JIT code needs no
// bounds checks for 32-bit memories.
#include <sys/mman.h>

#include <cerrno>
#include <cstring>

#include "runtime/pool/allocator.h"
#include "runtime/runtime.h"
#include "runtime/vmctx.h"
#include "util/address_space.h"

namespace wt::runtime {
namespace {

constexpr uint64_t kGiB = uint64_t{1} << 30;
// A 32-bit memory: 4 GiB addressable + 4 GiB guard, so base + u32 index + u32 offset always
// lands in the reservation.
constexpr uint64_t kReserve32 = 8 * kGiB;
// 64-bit memories reserve their declared maximum, at most this much, plus a guard; the JIT
// bounds-checks them (runtime/vmctx.h, docs/memory64.md).
constexpr uint64_t kMaxReserve64 = kMemory64MaxBytes;
constexpr uint64_t kGuard64 = kMemory64GuardBytes;

uint64_t IndexLimitPages(const wasm::MemoryType& t) {
  unsigned log2 = t.page_size_log2;
  if (t.addr == wasm::AddrType::kI32) return uint64_t{1} << (32 - log2);
  return log2 == 0 ? UINT64_MAX : uint64_t{1} << (64 - log2);
}

uint64_t OsPageRoundUp(uint64_t n) {
  constexpr uint64_t kOsPage = 4096;
  return (n + kOsPage - 1) & ~(kOsPage - 1);
}

}  // namespace

Result<std::unique_ptr<Memory>> Memory::Create(const wasm::MemoryType& type) {
  return Create(type, StoreLimits{});
}

namespace {

// The largest number of pages a memory of `type` may reach within `limits` (and `cap_bytes`,
// 0 = none); kUninstantiable when the initial size does not fit.
Result<uint64_t> MaxPages(const wasm::MemoryType& type, const StoreLimits& limits,
                          uint64_t cap_bytes, std::string_view cap_what) {
  uint64_t limit = IndexLimitPages(type);
  uint64_t max_pages = type.limits.max ? std::min(*type.limits.max, limit) : limit;
  if (type.limits.min > max_pages) {
    return MakeError(ErrorKind::kUninstantiable, "memory size exceeds its maximum");
  }
  unsigned log2 = type.page_size_log2;
  auto cap = [&](uint64_t bytes, std::string_view what) -> Status {
    uint64_t pages = bytes >> log2;
    if (type.limits.min > pages) {
      return MakeError(ErrorKind::kUninstantiable,
                       "memory of {} pages ({} bytes) exceeds the {} of {} bytes", type.limits.min,
                       type.limits.min << log2, what, bytes);
    }
    max_pages = std::min(max_pages, pages);
    return Ok();
  };
  if (limits.max_memory_bytes != 0) WT_TRY(cap(limits.max_memory_bytes, "memory limit"));
  if (cap_bytes != 0) WT_TRY(cap(cap_bytes, cap_what));
  return max_pages;
}

}  // namespace

Result<std::unique_ptr<Memory>> Memory::Create(const wasm::MemoryType& type,
                                               const StoreLimits& limits) {
  std::unique_ptr<Memory> m(new Memory());
  m->type_ = type;
  WT_TRY_ASSIGN(m->max_pages_, MaxPages(type, limits, 0, {}));
  uint64_t page = uint64_t{1} << type.page_size_log2;
  uint64_t reserve;
  if (type.addr == wasm::AddrType::kI32) {
    reserve = kReserve32;
  } else {
    uint64_t max_bytes =
        m->max_pages_ > kMaxReserve64 / page ? kMaxReserve64 : m->max_pages_ * page;
    if (type.limits.min * page > max_bytes) {
      return MakeError(ErrorKind::kUnsupported, "64-bit memory of {} pages is too large",
                       type.limits.min);
    }
    m->max_pages_ = max_bytes / page;
    reserve = OsPageRoundUp(max_bytes) + kGuard64;
  }
  void* p = util::ReserveAddressSpace(reserve);
  if (p == MAP_FAILED) {
    return MakeError(ErrorKind::kUninstantiable,
                     "cannot reserve {} GiB of address space for a linear memory: {}",
                     reserve / kGiB, std::strerror(errno));
  }
  m->data_.base = static_cast<uint8_t*>(p);
  m->reserved_bytes_ = reserve;
  uint64_t bytes = type.limits.min * page;
  if (bytes > 0 && mprotect(p, OsPageRoundUp(bytes), PROT_READ | PROT_WRITE) != 0) {
    return MakeError(ErrorKind::kUninstantiable, "cannot commit {} bytes of linear memory: {}",
                     bytes, std::strerror(errno));
  }
  m->data_.size_bytes = bytes;
  return m;
}

Result<std::unique_ptr<Memory>> Memory::CreateAt(const wasm::MemoryType& type,
                                                 const StoreLimits& limits, uint8_t* base,
                                                 uint64_t max_bytes,
                                                 std::shared_ptr<MemoryBacking> backing) {
  // [wasm3] A 64-bit memory in a pool slot: `max_bytes` (the pool's memory size) is at most
  // 4 GiB and the slot reserves 8 GiB, so `size + 4 GiB` — all the JIT's bound check
  // (address <= size, then offsets up to 4 GiB through the guard) can reach — stays in the
  // slot (docs/memory64.md, docs/pool.md).
  if (type.addr != wasm::AddrType::kI32 && max_bytes > (uint64_t{4} << 30)) {
    return MakeError(ErrorKind::kUnsupported,
                     "a pooled 64-bit memory needs a memory slot of at most 4 GiB");
  }
  std::unique_ptr<Memory> m(new Memory());
  m->type_ = type;
  WT_TRY_ASSIGN(m->max_pages_, MaxPages(type, limits, max_bytes, "pool's memory size"));
  m->data_.base = base;
  m->backing_ = std::move(backing);
  uint64_t bytes = type.limits.min << type.page_size_log2;
  if (bytes > 0 && !m->backing_->Commit(base, 0, bytes)) {
    return MakeError(ErrorKind::kUninstantiable, "cannot commit {} bytes of linear memory: {}",
                     bytes, std::strerror(errno));
  }
  m->data_.size_bytes = bytes;
  return m;
}

Memory::~Memory() {
  if (data_.base && !backing_) util::ReleaseAddressSpace(data_.base, reserved_bytes_);
}

wasm::MemoryType Memory::type() const {
  wasm::MemoryType t = type_;
  t.limits.min = pages();
  return t;
}

std::optional<uint64_t> Memory::Grow(uint64_t delta_pages) {
  uint64_t old = pages();
  if (delta_pages > max_pages_ - old) return std::nullopt;
  if (delta_pages == 0) return old;
  uint64_t page = uint64_t{1} << type_.page_size_log2;
  uint64_t new_bytes = (old + delta_pages) * page;
  if (backing_) {
    if (!backing_->Commit(data_.base, data_.size_bytes, new_bytes)) return std::nullopt;
    data_.size_bytes = new_bytes;
    return old;
  }
  uint64_t from = OsPageRoundUp(data_.size_bytes);
  uint64_t to = OsPageRoundUp(new_bytes);
  if (to > from && mprotect(data_.base + from, to - from, PROT_READ | PROT_WRITE) != 0) {
    return std::nullopt;
  }
  data_.size_bytes = new_bytes;
  return old;
}

}  // namespace wt::runtime
