#include "util/address_space.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <mutex>
#include <vector>

namespace wt::util {

void* AddressHints::Take(size_t size) {
  size_t best = hints_.size();
  for (size_t i = 0; i < hints_.size(); ++i) {
    if (hints_[i].size >= size && (best == hints_.size() || hints_[i].size < hints_[best].size))
      best = i;
  }
  if (best == hints_.size()) return nullptr;
  Hint h = hints_[best];
  if (h.size - size >= (size_t{1} << 20)) {
    hints_[best] = Hint{static_cast<uint8_t*>(h.addr) + size, h.size - size};
  } else {
    hints_.erase(hints_.begin() + static_cast<std::ptrdiff_t>(best));
  }
  return h.addr;
}

void AddressHints::Put(void* addr, size_t size) {
  if (hints_.size() >= capacity_) hints_.erase(hints_.begin());
  hints_.push_back(Hint{addr, size});
}

namespace {

size_t PageRoundUp(size_t n) {
  static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return (n + page - 1) & ~(page - 1);
}

// A few hundred released ranges are plenty: the hints only need to cover the reservations
// alive at once in a typical run (a spec script's instances).
std::mutex& HintMutex() {
  static auto* mu = new std::mutex();  // never destroyed: memories may be freed at exit
  return *mu;
}
AddressHints& Hints() {
  static auto* hints = new AddressHints(256);
  return *hints;
}

void* TakeHint(size_t size) {
  std::lock_guard<std::mutex> lock(HintMutex());
  return Hints().Take(size);
}

}  // namespace

void* ReserveAddressSpace(size_t size) {
  return MapWithHint(size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
}

void* MapWithHint(size_t size, int prot, int flags, int fd) {
  return mmap(TakeHint(PageRoundUp(size)), size, prot, flags, fd, 0);
}

void ReleaseAddressSpace(void* p, size_t size) {
  if (p == nullptr || size == 0) return;
  munmap(p, size);
  std::lock_guard<std::mutex> lock(HintMutex());
  Hints().Put(p, PageRoundUp(size));
}

}  // namespace wt::util
