// [a64] Address-space reservations that reuse the addresses of released ones.
//
// Linear memories (8 GiB each, mostly PROT_NONE guard) and lazy code arenas reserve large
// ranges. Natively a reservation is nearly free, but qemu-user 7.2 (Debian 12's, which runs the
// aarch64 build's tests) keeps a page descriptor for every guest page it has ever seen mapped
// and never frees them: ~48 MB per 8 GiB reservation, so a spec run that instantiates thousands
// of memories at ever new addresses grew to 15 GB and was OOM-killed. Offering the address of a
// released reservation of the same size as the mmap hint of the next one makes qemu reuse its
// descriptors (measured: 20 reservations 993 MB without, 66 MB with). The hint is only a hint:
// nothing stays mapped after release, and a hint the kernel cannot honour is ignored.
#pragma once

#include <cstddef>
#include <vector>

namespace wt::util {

// The released ranges (what the functions below keep, process-wide, under a mutex). Take(size)
// returns the start of the smallest released range of at least `size` bytes (a remainder of 1
// MiB or more stays a hint) or nullptr; Put remembers a range (the oldest is dropped beyond
// `capacity`). Sizes are page multiples. Exposed for tests.
class AddressHints {
 public:
  explicit AddressHints(size_t capacity = 256) : capacity_(capacity) {}
  void* Take(size_t size);
  void Put(void* addr, size_t size);
  size_t size() const { return hints_.size(); }

 private:
  struct Hint {
    void* addr;
    size_t size;
  };
  size_t capacity_;
  std::vector<Hint> hints_;
};

// mmap(hint, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE) with the address of
// a released reservation of the same size as the hint; MAP_FAILED (errno set) on failure.
void* ReserveAddressSpace(size_t size);
// mmap(hint, size, prot, flags, fd, 0) with the same hint (flags without MAP_FIXED).
void* MapWithHint(size_t size, int prot, int flags, int fd = -1);
// munmap(p, size), remembering `p` as a hint for the next reservation of `size` bytes.
void ReleaseAddressSpace(void* p, size_t size);

}  // namespace wt::util
