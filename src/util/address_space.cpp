#include "util/address_space.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <mutex>
#include <vector>

namespace wt::util {
namespace {

struct Hint {
  void* addr;
  size_t size;
};

// Page-aligned sizes only reach here (mmap rounds); a remainder keeps page alignment. A few
// hundred released ranges are plenty: the hints only need to cover the reservations
// alive at once in a typical run (a spec script's instances).
constexpr size_t kMaxHints = 256;

size_t PageRoundUp(size_t n) {
  static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return (n + page - 1) & ~(page - 1);
}

std::mutex& HintMutex() {
  static auto* mu = new std::mutex();  // never destroyed: memories may be freed at exit
  return *mu;
}
std::vector<Hint>& Hints() {
  static auto* hints = new std::vector<Hint>();
  return *hints;
}

// The smallest released range of at least `size` bytes (its start; the rest of it stays a
// hint), or nullptr.
void* TakeHint(size_t size) {
  std::lock_guard<std::mutex> lock(HintMutex());
  std::vector<Hint>& hints = Hints();
  size_t best = hints.size();
  for (size_t i = 0; i < hints.size(); ++i) {
    if (hints[i].size >= size && (best == hints.size() || hints[i].size < hints[best].size))
      best = i;
  }
  if (best == hints.size()) return nullptr;
  Hint h = hints[best];
  if (h.size - size >= (size_t{1} << 20)) {
    hints[best] = Hint{static_cast<uint8_t*>(h.addr) + size, h.size - size};
  } else {
    hints.erase(hints.begin() + static_cast<std::ptrdiff_t>(best));
  }
  return h.addr;
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
  size = PageRoundUp(size);
  std::lock_guard<std::mutex> lock(HintMutex());
  std::vector<Hint>& hints = Hints();
  if (hints.size() >= kMaxHints) hints.erase(hints.begin());
  hints.push_back(Hint{p, size});
}

}  // namespace wt::util
