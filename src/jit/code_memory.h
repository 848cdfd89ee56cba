// Executable memory for one compiled module: mapped read+write, filled once, then switched to
// read+execute (W^X) before any of it runs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "jit/compiler.h"
#include "util/result.h"

namespace wt::jit {

class ExecutableCode final : public CodeObject {
 public:
  // Maps `size` bytes (rounded up to pages) read+write.
  static Result<std::unique_ptr<ExecutableCode>> Allocate(size_t size);
  ~ExecutableCode() override;

  uint8_t* writable() { return base_; }
  // Read+execute from now on; `funcs` and `traps` must be sorted (by begin / code_offset);
  // `call_sites` are sorted here by return_offset.
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
  std::vector<FuncRange> funcs_;
  std::vector<TrapSite> traps_;
  std::vector<CallSite> call_sites_;
  std::vector<int32_t> stack_maps_;  // [gc]
};

}  // namespace wt::jit
