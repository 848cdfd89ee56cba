// CodeObject lookups (async-signal-safe) and executable memory (mmap, W^X).
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "jit/code_memory.h"

#if defined(__aarch64__) && defined(__linux__)
#include <linux/membarrier.h>
#include <sys/syscall.h>
#endif

namespace wt::jit {

void FlushInstructionCache(const void* begin, size_t size) {
#if defined(__aarch64__)
  if (size == 0) return;
  auto* b = static_cast<char*>(const_cast<void*>(begin));
  // DC CVAU + DSB ISH + IC IVAU + DSB ISH + ISB over the lines (libgcc, by CTR_EL0's line
  // sizes): the invalidation is broadcast to every core of the inner shareable domain.
  __builtin___clear_cache(b, b + size);
#else
  (void)begin;
  (void)size;
#endif
}

bool SyncCoresAfterCodeWrite() {
#if defined(__aarch64__) && defined(__linux__)
  // Registered once per process (the command refuses unregistered callers). Failure (ENOSYS,
  // EINVAL: an old kernel, a kernel without ARCH_HAS_MEMBARRIER_SYNC_CORE, or qemu-user not
  // forwarding the command) leaves the broadcast IC IVAU of FlushInstructionCache as the only
  // maintenance: enough in practice for code at fresh addresses (docs/a64.md).
  static const bool registered =
      syscall(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0) == 0;
  if (!registered) return false;
  return syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0) == 0;
#else
  return false;
#endif
}

const TrapSite* CodeObject::FindTrap(uintptr_t pc) const {
  if (!Contains(pc)) return nullptr;
  auto off = static_cast<uint32_t>(pc - reinterpret_cast<uintptr_t>(base()));
  std::span<const TrapSite> t = traps();
  // Binary search by hand: no allocation, no locks, nothing that could throw.
  size_t lo = 0, hi = t.size();
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (t[mid].code_offset < off)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < t.size() && t[lo].code_offset == off ? &t[lo] : nullptr;
}

const FuncRange* CodeObject::FindFunc(uintptr_t pc) const {
  if (!Contains(pc)) return nullptr;
  auto off = static_cast<uint32_t>(pc - reinterpret_cast<uintptr_t>(base()));
  std::span<const FuncRange> f = funcs();
  // The last range with begin <= off.
  size_t lo = 0, hi = f.size();
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (f[mid].begin <= off)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == 0) return nullptr;
  const FuncRange& r = f[lo - 1];
  return off < r.end ? &r : nullptr;
}

const CallSite* CodeObject::FindCallSite(uintptr_t return_pc) const {
  if (!Contains(return_pc)) return nullptr;
  auto off = static_cast<uint32_t>(return_pc - reinterpret_cast<uintptr_t>(base()));
  std::span<const CallSite> c = call_sites();
  size_t lo = 0, hi = c.size();
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (c[mid].return_offset < off)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < c.size() && c[lo].return_offset == off ? &c[lo] : nullptr;
}

std::span<const int32_t> CodeObject::StackMapAt(const CallSite& site) const {
  std::span<const int32_t> maps = stack_maps();
  if (site.stack_map == UINT32_MAX || site.stack_map >= maps.size()) return {};
  uint32_t n = static_cast<uint32_t>(maps[site.stack_map]);
  if (n > maps.size() - site.stack_map - 1) return {};
  return maps.subspan(site.stack_map, size_t{n} + 1);
}

Result<std::unique_ptr<ExecutableCode>> ExecutableCode::Allocate(size_t size) {
  auto page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  size_t mapped = (std::max<size_t>(size, 1) + page - 1) / page * page;
  void* p = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return MakeError(ErrorKind::kUnsupported, "cannot map {} bytes of code: {}", mapped,
                     std::strerror(errno));
  return std::unique_ptr<ExecutableCode>(
      new ExecutableCode(static_cast<uint8_t*>(p), size, mapped));
}

ExecutableCode::~ExecutableCode() {
  munmap(base_, mapped_);
}

Status ExecutableCode::Seal(std::vector<FuncRange> funcs, std::vector<TrapSite> traps,
                            std::vector<CallSite> call_sites) {
  funcs_ = std::move(funcs);
  traps_ = std::move(traps);
  auto by_return = [](const CallSite& a, const CallSite& b) {
    return a.return_offset < b.return_offset;
  };
  if (!std::is_sorted(call_sites.begin(), call_sites.end(), by_return))
    std::sort(call_sites.begin(), call_sites.end(), by_return);
  call_sites_ = std::move(call_sites);
  size_t code_end = table_offset_ == UINT32_MAX ? mapped_ : table_offset_;
  if (code_end > 0 && mprotect(base_, code_end, PROT_READ | PROT_EXEC) != 0)
    return MakeError(ErrorKind::kUnsupported, "cannot make code executable: {}",
                     std::strerror(errno));
  if (code_end < mapped_ && mprotect(base_ + code_end, mapped_ - code_end, PROT_READ) != 0)
    return MakeError(ErrorKind::kUnsupported, "cannot seal the builtin table: {}",
                     std::strerror(errno));
  // [a64] Written through the data side: visible to instruction fetch from here on.
  FlushInstructionCache(base_, std::min(size_, code_end));
  (void)SyncCoresAfterCodeWrite();
  return Ok();
}

}  // namespace wt::jit
