// Executable memory for one compiled module: mapped read+write, filled once, then switched to
// read+execute (W^X) before any of it runs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <vector>

#include "jit/compiler.h"
#include "util/result.h"

namespace wt::jit {

// [a64] Instruction-cache maintenance after code is written, before it runs (docs/a64.md).
// aarch64 has no coherence between data writes and instruction fetch: FlushInstructionCache
// cleans the data cache and invalidates the instruction cache over [begin, begin + size) (the
// executable addresses: with a dual mapping the lines are physical, cleaning by the read+execute
// view is enough). SyncCoresAfterCodeWrite makes every other running thread of the process take
// a context synchronization event (membarrier SYNC_CORE) before it next runs user code, so a
// core that may already be running wasm cannot execute stale prefetched instructions of code it
// reaches through a slot published after this call. Where the kernel lacks that membarrier
// command (or qemu-user does not forward it) it returns false and does nothing else. Both are
// no-ops on x86_64 (coherent instruction fetch; a jump to new code serializes enough).
void FlushInstructionCache(const void* begin, size_t size);
bool SyncCoresAfterCodeWrite();

class ExecutableCode final : public CodeObject {
 public:
  // Maps `size` bytes (rounded up to pages) read+write.
  static Result<std::unique_ptr<ExecutableCode>> Allocate(size_t size);
  // [lazy] Maps `size` bytes of code and, at the first page boundary after them, the builtin
  // table (runtime/builtin_table.h), filled at once: the code's builtin calls are resolved to
  // it (Masm::PatchExternalLink). The code pages become read+execute and the table page
  // read-only at Seal. A loader can map the code pages from a file and the table page
  // anonymously.
  static Result<std::unique_ptr<ExecutableCode>> AllocateWithBuiltinTable(size_t size);
  // [perf] Reserves room for up to `capacity` bytes of code and the builtin table page
  // (virtual: MAP_NORESERVE, pages cost memory once written); FinishReserved(size) then puts
  // the table at the first page boundary after `size` bytes, fills it and unmaps the rest.
  static Result<std::unique_ptr<ExecutableCode>> Reserve(size_t capacity);
  Status FinishReserved(size_t size);
  ~ExecutableCode() override;

  uint8_t* writable() { return base_; }
  // The builtin table's offset from base() (a page boundary), or UINT32_MAX (Allocate).
  uint32_t builtin_table_offset() const { return table_offset_; }
  // Read+execute from now on; `funcs` and `traps` must be sorted (by begin / code_offset);
  // `call_sites` are sorted here by return_offset. [a64] Flushes the instruction cache over
  // the code (FlushInstructionCache, SyncCoresAfterCodeWrite).
  Status Seal(std::vector<FuncRange> funcs, std::vector<TrapSite> traps,
              std::vector<CallSite> call_sites = {});

  const uint8_t* base() const override { return base_; }
  size_t size() const override { return size_; }
  std::span<const FuncRange> funcs() const override { return funcs_; }
  std::span<const TrapSite> traps() const override { return traps_; }
  std::span<const CallSite> call_sites() const override { return call_sites_; }
  // [gc] The stack maps CallSite::stack_map indexes (set before the code runs).
  void SetStackMaps(std::vector<int32_t> maps) { stack_maps_ = std::move(maps); }
  std::span<const int32_t> stack_maps() const override { return stack_maps_; }

 private:
  ExecutableCode(uint8_t* base, size_t size, size_t mapped)
      : base_(base), size_(size), mapped_(mapped) {}

  uint8_t* base_;
  size_t size_;
  size_t mapped_;
  uint32_t table_offset_ = UINT32_MAX;  // the builtin table page (mapped_ includes it)
  std::vector<FuncRange> funcs_;
  std::vector<TrapSite> traps_;
  std::vector<CallSite> call_sites_;
  std::vector<int32_t> stack_maps_;  // [gc]
};

}  // namespace wt::jit
