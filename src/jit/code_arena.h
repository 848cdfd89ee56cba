// [lazy] CodeArena: the code memory of one lazily compiled module (docs/lazy-plan.md 1.2).
//
// One reserved address range, registered once in the pc -> code registry, filled function by
// function while the program runs. Layout (each part page-aligned):
//
//   +0      data: `data_bytes` read+write, never executable (the LazyModule's slot table and
//           anything else the module's code addresses pc-relative: within +-2 GiB of all code,
//           in reach of x64's rip + disp32 and of a64's adrp (+-4 GiB))
//   +D      code: bump-allocated, 16-byte aligned, read+execute; the first allocations are the
//           stubs, the compile thunk and the trampolines (written at creation), then functions
//   ...     up to `reserve` bytes in all (<= 2 GiB: every rel32 reaches every byte)
//
// Writing code without pages that are writable and executable at once: on Linux the code part
// is a memfd mapped twice, read+execute (the addresses code runs at and refers to) and
// read+write at an unrelated address (only the compiler writes through it); no mprotect per
// function. [a64] Commit flushes the instruction cache over the code and synchronizes the other
// cores (code_memory.h, FlushInstructionCache / SyncCoresAfterCodeWrite). Fallback (memfd
// unavailable, or WTRUN_NO_DUAL_MAP=1): each Allocate takes fresh pages read+write, Commit makes
// them read+execute; a page that was ever executable is never written again (allocations round up
// to whole pages in this mode).
//
// Lookups (FindFunc/FindTrap/FindCallSite/StackMapAt) are async-signal-safe: per-function
// records in address order, an atomic count (acquire), binary search, no lock. A record is
// appended by Allocate and filled by Commit, before the function's code can be reached (its
// slot is published after Commit), so no lookup can land in a record not yet committed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "jit/compiler.h"
#include "util/result.h"

namespace wt::jit {

class CodeArena final : public CodeObject {
 public:
  // Reserves `reserve` bytes (rounded up to pages; at most 2 GiB) with `data_bytes` (rounded up
  // to pages) of read+write data at the start; `max_records` bounds the function records.
  // `dual_map` false forces the fallback (tests); the environment can force it as well.
  static Result<std::unique_ptr<CodeArena>> Create(size_t reserve, size_t data_bytes,
                                                   uint32_t max_records, bool dual_map = true);
  ~CodeArena() override;

  uint8_t* data() const;  // the read+write data part
  size_t data_size() const;
  bool dual_mapped() const;  // false: the page-flip fallback is in use

  // Space for `size` bytes of code. `rx` is where it will run (and what code refers to), `rw`
  // where to write it until Commit. `func_index` != UINT32_MAX: a wasm function, whose record
  // (FindFunc range [rx, rx + size)) is appended now, in address order; UINT32_MAX: code
  // without a record (stubs, thunk, trampolines). Thread-safe. kUnsupported when the
  // reservation is exhausted ("code arena full").
  struct Allocation {
    uint8_t* rx = nullptr;
    uint8_t* rw = nullptr;
    uint32_t size = 0;
    uint32_t record = UINT32_MAX;  // record index, or UINT32_MAX
  };
  Result<Allocation> Allocate(uint32_t size, uint32_t func_index = UINT32_MAX);

  // The function's tables, offsets relative to the allocation's start (as a Masm reports them:
  // TrapSite::code_offset, CallSite::return_offset; CallSite::stack_map indexes `stack_maps`):
  // copied and rebased into the arena, then the code is made executable (fallback) and its
  // record complete. Call before anything can jump to `a.rx`. Thread-safe. Tables need not be
  // sorted. kUnsupported (nothing changed) for an allocation not from this arena, a record
  // committed twice, a trap site at or past `a.size`, a return offset of 0 or past `a.size`,
  // or tables for an allocation without a record.
  Status Commit(const Allocation& a, std::span<const TrapSite> traps,
                std::span<const CallSite> call_sites, std::span<const int32_t> stack_maps);

  // Number of committed function records; bytes of code allocated (for stats and tests).
  uint32_t record_count() const;
  size_t code_bytes() const;

  // CodeObject: base()/size() cover the whole reservation; funcs()/traps()/call_sites()/
  // stack_maps() are empty (functions are announced as they are compiled); the lookups search
  // the records.
  const uint8_t* base() const override;
  size_t size() const override;
  std::span<const FuncRange> funcs() const override { return {}; }
  std::span<const TrapSite> traps() const override { return {}; }
  const TrapSite* FindTrap(uintptr_t pc) const override;
  const FuncRange* FindFunc(uintptr_t pc) const override;
  const CallSite* FindCallSite(uintptr_t return_pc) const override;
  std::span<const int32_t> StackMapAt(const CallSite& site) const override;

  struct Impl;

 private:
  explicit CodeArena(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace wt::jit
