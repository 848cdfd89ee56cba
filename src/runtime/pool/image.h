// [pool] Module memory images: the initial contents of each memory a module defines, prepared
// once per module when every active data segment can be applied in advance (a constant offset,
// in bounds of a defined memory's initial size: then no data segment can trap and applying
// them all at once is the same as applying them in order).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/runtime.h"

namespace wt::runtime::pool {

struct MemoryImage {
  // Page-rounded length of the contents (0: the memory starts all zero).
  uint64_t len = 0;
  std::vector<uint8_t> bytes;  // `len` bytes (uffd copies pages from here)
  int memfd = -1;              // the same bytes in a memfd (the plain pool maps it), or -1

  MemoryImage() = default;
  MemoryImage(const MemoryImage&) = delete;
  MemoryImage& operator=(const MemoryImage&) = delete;
  ~MemoryImage();
};

struct ModuleImage {
  bool eligible = false;  // false: the linker applies the data segments itself
  std::vector<std::unique_ptr<MemoryImage>> memories;  // per defined memory (when eligible)
};

// Builds the image of `module` (ineligible when a data segment is not constant / in bounds,
// or targets an imported memory). `with_memfd`: also create the memfds.
std::shared_ptr<ModuleImage> BuildModuleImage(const LoadedModule& module, bool with_memfd);

}  // namespace wt::runtime::pool
