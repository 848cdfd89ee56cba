// util::ReserveAddressSpace and friends: a released reservation's address is offered as the
// hint of the next one (qemu-user keeps per-page state of every range ever mapped; reusing
// addresses keeps a long spec run's memory bounded under qemu).
#include "util/address_space.h"

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace wt::util {
namespace {

TEST(AddressSpace, ReleasedRangeIsReused) {
  // A size no other reservation of the test binary has (best fit takes the smallest fitting
  // hint of the process-wide pool).
  constexpr size_t kSize = (size_t{3} << 30) + (size_t{7} << 16);
  void* a = ReserveAddressSpace(kSize);
  ASSERT_NE(a, MAP_FAILED);
  ReleaseAddressSpace(a, kSize);
  void* b = ReserveAddressSpace(kSize);
  ASSERT_NE(b, MAP_FAILED);
  EXPECT_EQ(a, b);  // the hint was free, so the kernel (or qemu) honours it
  ReleaseAddressSpace(b, kSize);
}

TEST(AddressSpace, HintsAreBestFitAndKeepRemainders) {
  // The hint pool on its own (the process-wide one is shared by every test's memories).
  AddressHints h(3);
  auto* base = reinterpret_cast<uint8_t*>(uintptr_t{1} << 40);
  constexpr size_t kMiB = size_t{1} << 20;
  EXPECT_EQ(h.Take(kMiB), nullptr);
  h.Put(base, 64 * kMiB);
  h.Put(base + 100 * kMiB, 8 * kMiB);
  EXPECT_EQ(h.Take(4 * kMiB), base + 100 * kMiB);  // the smallest that fits
  EXPECT_EQ(h.Take(4 * kMiB), base + 104 * kMiB);  // its remainder (4 MiB) stayed a hint
  EXPECT_EQ(h.Take(16 * kMiB), base);              // then the big one, split
  EXPECT_EQ(h.Take(48 * kMiB), base + 16 * kMiB);  // exactly the rest: gone
  EXPECT_EQ(h.size(), 0u);
  EXPECT_EQ(h.Take(kMiB), nullptr);
  // A remainder under 1 MiB is dropped; beyond capacity the oldest hint goes.
  h.Put(base, kMiB + 4096);
  EXPECT_EQ(h.Take(kMiB), base);
  EXPECT_EQ(h.size(), 0u);
  h.Put(base, kMiB);
  h.Put(base + 2 * kMiB, kMiB);
  h.Put(base + 4 * kMiB, kMiB);
  h.Put(base + 6 * kMiB, kMiB);
  EXPECT_EQ(h.size(), 3u);
  std::vector<void*> got;
  while (void* p = h.Take(kMiB)) got.push_back(p);
  EXPECT_EQ(std::count(got.begin(), got.end(), static_cast<void*>(base)), 0);
}

}  // namespace
}  // namespace wt::util
