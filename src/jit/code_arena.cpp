// [lazy] CodeArena (code_arena.h; docs/jit.md "Code memory"): one reservation, a read+write
// data part, a code part written through a read+write memfd alias (or, in the fallback, page by
// page flipped from read+write to read+execute), per-function records with lock-free lookups.
#include "jit/code_arena.h"

#include "jit/code_memory.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <vector>

#include "util/address_space.h"

namespace wt::jit {
namespace {

constexpr size_t kMaxReserve = size_t{2} << 30;  // every rel32 reaches every byte
constexpr uint32_t kCodeAlign = 16;
constexpr size_t kFallbackAhead = size_t{64} << 10;  // pages made read+write per mprotect
constexpr size_t kPopulateAhead = size_t{64} << 10;  // at most, memfd bytes populated ahead
constexpr size_t kTableChunk = size_t{64} << 10;     // table storage grows by heap blocks of this

size_t PageSize() {
  static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return page;
}

size_t RoundUp(size_t n, size_t align) {
  return (n + align - 1) / align * align;
}

// A function's record: its range (offsets from base()), then, once committed, its tables
// (arena-owned storage that never moves; offsets rebased to base()). Records live in their own
// mapping, appended in address order: a pointer to one stays valid for the arena's life.
struct Record {
  FuncRange range;
  uint32_t num_traps = 0;
  uint32_t num_calls = 0;
  uint32_t num_maps = 0;
  const TrapSite* traps = nullptr;     // sorted by code_offset
  const CallSite* calls = nullptr;     // sorted by return_offset
  const int32_t* maps = nullptr;       // CallSite::stack_map indexes this
  std::atomic<uint32_t> committed{0};  // 1 after Commit (release): the fields above are final
};

}  // namespace

struct CodeArena::Impl {
  uint8_t* base = nullptr;  // the reservation
  size_t reserve = 0;
  size_t data_bytes = 0;     // page-rounded; the code part starts at base + data_bytes
  size_t code_limit = 0;     // bytes of the code part
  uint8_t* alias = nullptr;  // dual map: the read+write view of the code part
  Record* records = nullptr;
  size_t records_mapped = 0;
  uint32_t max_records = 0;

  std::mutex mu;                       // Allocate, table storage
  size_t next = 0;                     // bump offset in the code part (under mu)
  size_t populated_end = 0;            // dual map: [0, populated_end) of the memfd is populated
  size_t writable_end = 0;             // fallback: [next, writable_end) is fresh read+write
  uint32_t num_records = 0;            // appended records (under mu)
  std::atomic<uint32_t> published{0};  // = num_records, for the lookups (release/acquire)
  std::atomic<uint32_t> num_committed{0};
  std::atomic<size_t> code_bytes{0};
  std::vector<std::unique_ptr<uint8_t[]>> table_blocks;  // under mu
  uint8_t* table_cur = nullptr;
  size_t table_left = 0;

  ~Impl() {
    if (base) util::ReleaseAddressSpace(base, reserve);
    if (alias) util::ReleaseAddressSpace(alias, code_limit);
    if (records) util::ReleaseAddressSpace(records, records_mapped);
  }

  uint8_t* code_start() const { return base + data_bytes; }

  // The committed record containing offset `off`, or nullptr. Async-signal-safe.
  const Record* FindRecord(uintptr_t off) const {
    uint32_t n = published.load(std::memory_order_acquire);
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
      uint32_t mid = lo + (hi - lo) / 2;
      if (records[mid].range.begin <= off)
        lo = mid + 1;
      else
        hi = mid;
    }
    if (lo == 0) return nullptr;
    const Record& r = records[lo - 1];
    if (off >= r.range.end) return nullptr;
    if (r.committed.load(std::memory_order_acquire) == 0) return nullptr;
    return &r;
  }

  // `bytes` of table storage (8-byte aligned) that never moves. Under mu.
  uint8_t* TableAlloc(size_t bytes) {
    bytes = RoundUp(bytes, 8);
    if (bytes > table_left) {
      size_t block = std::max(bytes, kTableChunk);
      table_blocks.emplace_back(new (std::nothrow) uint8_t[block]);
      if (!table_blocks.back()) {
        table_blocks.pop_back();
        return nullptr;
      }
      table_cur = table_blocks.back().get();
      table_left = block;
    }
    uint8_t* p = table_cur;
    table_cur += bytes;
    table_left -= bytes;
    return p;
  }
};

Result<std::unique_ptr<CodeArena>> CodeArena::Create(size_t reserve, size_t data_bytes,
                                                     uint32_t max_records, bool dual_map) {
  const size_t page = PageSize();
  if (reserve > kMaxReserve)
    return MakeError(ErrorKind::kUnsupported, "code arena: {} bytes exceed the 2 GiB limit",
                     reserve);
  size_t total = RoundUp(reserve, page);
  size_t data = RoundUp(data_bytes, page);
  if (total > kMaxReserve || data >= total)
    return MakeError(ErrorKind::kUnsupported,
                     "code arena: reservation of {} bytes leaves no room for code after {} bytes "
                     "of data",
                     reserve, data_bytes);
  auto impl = std::make_unique<Impl>();
  void* p = util::ReserveAddressSpace(total);
  if (p == MAP_FAILED)
    return MakeError(ErrorKind::kUnsupported, "code arena: cannot reserve {} bytes: {}", total,
                     std::strerror(errno));
  impl->base = static_cast<uint8_t*>(p);
  impl->reserve = total;
  impl->data_bytes = data;
  impl->code_limit = total - data;
  if (data > 0 && mmap(impl->base, data, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
    return MakeError(ErrorKind::kUnsupported, "code arena: cannot map {} bytes of data: {}", data,
                     std::strerror(errno));
  if (max_records > 0) {
    impl->records_mapped = RoundUp(size_t{max_records} * sizeof(Record), page);
    void* r = util::MapWithHint(impl->records_mapped, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
    if (r == MAP_FAILED)
      return MakeError(ErrorKind::kUnsupported, "code arena: cannot map {} function records: {}",
                       max_records, std::strerror(errno));
    impl->records = static_cast<Record*>(r);
    impl->max_records = max_records;
  }
  if (const char* env = std::getenv("WTRUN_NO_DUAL_MAP"); env && std::strcmp(env, "1") == 0)
    dual_map = false;
  if (dual_map) {
    // Any failure below leaves the code part PROT_NONE: the fallback then takes it page by page.
    int fd = memfd_create("wtrun-code", MFD_CLOEXEC);
    if (fd >= 0) {
      void* alias = MAP_FAILED;
      if (ftruncate(fd, static_cast<off_t>(impl->code_limit)) == 0 &&
          mmap(impl->code_start(), impl->code_limit, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_FIXED,
               fd, 0) != MAP_FAILED)
        alias = util::MapWithHint(impl->code_limit, PROT_READ | PROT_WRITE, MAP_SHARED, fd);
      // The two mappings keep the memfd alive: no descriptor per arena (a wast script may
      // hold thousands of modules).
      close(fd);
      if (alias != MAP_FAILED) {
        impl->alias = static_cast<uint8_t*>(alias);
      } else {
        // The code part may be mapped read+execute from the memfd: back to PROT_NONE.
        if (mmap(impl->code_start(), impl->code_limit, PROT_NONE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0) == MAP_FAILED)
          return MakeError(ErrorKind::kUnsupported, "code arena: cannot remap the code part: {}",
                           std::strerror(errno));
      }
    }
  }
  return std::unique_ptr<CodeArena>(new CodeArena(std::move(impl)));
}

CodeArena::CodeArena(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CodeArena::~CodeArena() = default;

uint8_t* CodeArena::data() const {
  return impl_->base;
}
size_t CodeArena::data_size() const {
  return impl_->data_bytes;
}
bool CodeArena::dual_mapped() const {
  return impl_->alias != nullptr;
}

Result<CodeArena::Allocation> CodeArena::Allocate(uint32_t size, uint32_t func_index) {
  Impl& m = *impl_;
  const bool dual = m.alias != nullptr;
  // The fallback never writes a page that was executable: whole fresh pages per allocation.
  const size_t align = dual ? kCodeAlign : PageSize();
  std::lock_guard<std::mutex> lock(m.mu);
  size_t bytes = RoundUp(std::max<size_t>(size, 1), align);
  if (bytes > m.code_limit - m.next)
    return MakeError(ErrorKind::kUnsupported, "code arena full ({} bytes)", m.code_limit);
  if (func_index != UINT32_MAX && m.num_records >= m.max_records)
    return MakeError(ErrorKind::kUnsupported, "code arena full ({} function records)",
                     m.max_records);
  size_t off = m.next;
  Allocation a;
  a.rx = m.code_start() + off;
  a.size = size;
  if (dual) {
    a.rw = m.alias + off;
    // Populate the memfd ahead: one call instead of a write fault per page. Ahead by as much
    // as is already in use, at most kPopulateAhead, so a small module's arena costs no more
    // than twice the pages it uses. Best effort: otherwise the pages fault in as written.
    if (off + bytes > m.populated_end) {
      size_t ahead = std::min(m.populated_end, kPopulateAhead);
      size_t end = std::min(std::max(RoundUp(off + bytes, PageSize()), m.populated_end + ahead),
                            m.code_limit);
      (void)madvise(m.alias + m.populated_end, end - m.populated_end, MADV_POPULATE_WRITE);
      m.populated_end = end;
    }
  } else {
    // Fresh pages are made read+write ahead, kFallbackAhead at a time (one mprotect for many
    // small functions); none of them was ever executable.
    if (off + bytes > m.writable_end) {
      size_t end = std::min(std::max(off + bytes, m.writable_end + kFallbackAhead), m.code_limit);
      if (mprotect(m.code_start() + m.writable_end, end - m.writable_end, PROT_READ | PROT_WRITE) !=
          0)
        return MakeError(ErrorKind::kUnsupported, "code arena: cannot map {} bytes of code: {}",
                         end - m.writable_end, std::strerror(errno));
      m.writable_end = end;
    }
    a.rw = a.rx;
  }
  m.next = off + bytes;
  m.code_bytes.store(m.next, std::memory_order_relaxed);
  if (func_index != UINT32_MAX) {
    uint32_t i = m.num_records++;
    auto begin = static_cast<uint32_t>(a.rx - m.base);
    Record* r = new (&m.records[i]) Record();
    r->range = FuncRange{begin, begin + size, func_index};
    m.published.store(m.num_records, std::memory_order_release);
    a.record = i;
  }
  return a;
}

Status CodeArena::Commit(const Allocation& a, std::span<const TrapSite> traps,
                         std::span<const CallSite> call_sites,
                         std::span<const int32_t> stack_maps) {
  Impl& m = *impl_;
  const bool dual = m.alias != nullptr;
  if (a.rx < m.code_start() || a.rx >= m.code_start() + m.code_limit ||
      size_t(a.size) > size_t(m.code_start() + m.code_limit - a.rx))
    return MakeError(ErrorKind::kUnsupported, "code arena: commit of code outside the arena");
  auto begin = static_cast<uint32_t>(a.rx - m.base);
  Record* r = nullptr;
  if (a.record != UINT32_MAX) {
    if (a.record >= m.published.load(std::memory_order_acquire) ||
        m.records[a.record].range.begin != begin)
      return MakeError(ErrorKind::kUnsupported, "code arena: commit of an unknown record");
    r = &m.records[a.record];
    if (r->committed.load(std::memory_order_relaxed) != 0)
      return MakeError(ErrorKind::kUnsupported, "code arena: record {} committed twice", a.record);
  } else if (!traps.empty() || !call_sites.empty() || !stack_maps.empty()) {
    return MakeError(ErrorKind::kUnsupported,
                     "code arena: trap or call sites in code without a function record");
  }
  for (const TrapSite& t : traps)
    if (t.code_offset >= a.size)
      return MakeError(ErrorKind::kUnsupported, "code arena: trap site at {} outside {} bytes",
                       t.code_offset, a.size);
  for (const CallSite& c : call_sites)
    if (c.return_offset == 0 || c.return_offset > a.size)
      return MakeError(ErrorKind::kUnsupported, "code arena: call site at {} outside {} bytes",
                       c.return_offset, a.size);

  if (r) {
    size_t tb = traps.size_bytes(), cb = call_sites.size_bytes(), mb = stack_maps.size_bytes();
    uint8_t* p = nullptr;
    if (tb + cb + mb > 0) {
      std::lock_guard<std::mutex> lock(m.mu);
      p = m.TableAlloc(RoundUp(tb, 8) + RoundUp(cb, 8) + mb);
    }
    if (tb + cb + mb > 0 && !p)
      return MakeError(ErrorKind::kUnsupported, "code arena: out of memory for tables");
    auto* t = reinterpret_cast<TrapSite*>(p);
    auto* c = reinterpret_cast<CallSite*>(p + RoundUp(tb, 8));
    auto* s = reinterpret_cast<int32_t*>(p + RoundUp(tb, 8) + RoundUp(cb, 8));
    for (size_t i = 0; i < traps.size(); ++i) {
      t[i] = traps[i];
      t[i].code_offset += begin;
    }
    for (size_t i = 0; i < call_sites.size(); ++i) {
      c[i] = call_sites[i];
      c[i].return_offset += begin;
    }
    if (mb) std::memcpy(s, stack_maps.data(), mb);
    auto by_trap = [](const TrapSite& x, const TrapSite& y) {
      return x.code_offset < y.code_offset;
    };
    auto by_call = [](const CallSite& x, const CallSite& y) {
      return x.return_offset < y.return_offset;
    };
    if (!std::is_sorted(t, t + traps.size(), by_trap))
      std::stable_sort(t, t + traps.size(), by_trap);
    if (!std::is_sorted(c, c + call_sites.size(), by_call))
      std::stable_sort(c, c + call_sites.size(), by_call);
    r->traps = traps.empty() ? nullptr : t;
    r->calls = call_sites.empty() ? nullptr : c;
    r->maps = stack_maps.empty() ? nullptr : s;
    r->num_traps = static_cast<uint32_t>(traps.size());
    r->num_calls = static_cast<uint32_t>(call_sites.size());
    r->num_maps = static_cast<uint32_t>(stack_maps.size());
  }
  if (!dual) {
    size_t page = PageSize();
    size_t bytes = RoundUp(std::max<size_t>(a.size, 1), page);
    if (mprotect(a.rx, bytes, PROT_READ | PROT_EXEC) != 0)
      return MakeError(ErrorKind::kUnsupported, "code arena: cannot make code executable: {}",
                       std::strerror(errno));
  }
  // [a64] The FlushAndPublish point of docs/lazy-plan.md section 10: the code was written
  // through the data side (the rw alias, or these pages before the flip); make it visible to
  // instruction fetch on every core before anything can jump to it (the caller publishes the
  // slot after Commit). No-ops on x86_64 (code_memory.h).
  FlushInstructionCache(a.rx, a.size);
  (void)SyncCoresAfterCodeWrite();
  if (r) {
    r->committed.store(1, std::memory_order_release);
    m.num_committed.fetch_add(1, std::memory_order_relaxed);
  }
  return {};
}

uint32_t CodeArena::record_count() const {
  return impl_->num_committed.load(std::memory_order_relaxed);
}
size_t CodeArena::code_bytes() const {
  return impl_->code_bytes.load(std::memory_order_relaxed);
}
const uint8_t* CodeArena::base() const {
  return impl_->base;
}
size_t CodeArena::size() const {
  return impl_->reserve;
}

const TrapSite* CodeArena::FindTrap(uintptr_t pc) const {
  if (!Contains(pc)) return nullptr;
  uintptr_t off = pc - reinterpret_cast<uintptr_t>(impl_->base);
  const Record* r = impl_->FindRecord(off);
  if (!r || !r->traps) return nullptr;
  uint32_t lo = 0, hi = r->num_traps;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (r->traps[mid].code_offset < off)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < r->num_traps && r->traps[lo].code_offset == off ? &r->traps[lo] : nullptr;
}

const FuncRange* CodeArena::FindFunc(uintptr_t pc) const {
  if (!Contains(pc)) return nullptr;
  const Record* r = impl_->FindRecord(pc - reinterpret_cast<uintptr_t>(impl_->base));
  return r ? &r->range : nullptr;
}

const CallSite* CodeArena::FindCallSite(uintptr_t return_pc) const {
  if (!Contains(return_pc)) return nullptr;
  uintptr_t off = return_pc - reinterpret_cast<uintptr_t>(impl_->base);
  // A return address may be the function's end (a call as its last instruction): search by the
  // call's last byte.
  if (off == 0) return nullptr;
  const Record* r = impl_->FindRecord(off - 1);
  if (!r || !r->calls) return nullptr;
  uint32_t lo = 0, hi = r->num_calls;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (r->calls[mid].return_offset < off)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < r->num_calls && r->calls[lo].return_offset == off ? &r->calls[lo] : nullptr;
}

std::span<const int32_t> CodeArena::StackMapAt(const CallSite& site) const {
  if (site.stack_map == UINT32_MAX || site.return_offset == 0) return {};
  const Record* r = impl_->FindRecord(site.return_offset - 1);
  if (!r || !r->maps || site.stack_map >= r->num_maps) return {};
  std::span<const int32_t> maps(r->maps, r->num_maps);
  auto n = static_cast<uint32_t>(maps[site.stack_map]);
  if (n > maps.size() - site.stack_map - 1) return {};
  return maps.subspan(site.stack_map, size_t{n} + 1);
}

}  // namespace wt::jit
