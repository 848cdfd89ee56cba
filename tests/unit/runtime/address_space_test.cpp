// util::ReserveAddressSpace and friends: a released reservation's address is offered as the
// hint of the next one (qemu-user keeps per-page state of every range ever mapped; reusing
// addresses keeps a long spec run's memory bounded under qemu).
#include "util/address_space.h"

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <cstdint>

namespace wt::util {
namespace {

TEST(AddressSpace, ReleasedRangeIsReused) {
  constexpr size_t kSize = size_t{1} << 30;
  void* a = ReserveAddressSpace(kSize);
  ASSERT_NE(a, MAP_FAILED);
  ReleaseAddressSpace(a, kSize);
  void* b = ReserveAddressSpace(kSize);
  ASSERT_NE(b, MAP_FAILED);
  EXPECT_EQ(a, b);  // the hint was free, so the kernel (or qemu) honours it
  ReleaseAddressSpace(b, kSize);
}

TEST(AddressSpace, SmallerRequestTakesTheStartOfALargerRange) {
  // Sizes no other reservation of the test binary has (the hints are process-wide and the
  // smallest fitting one is taken): linear memories are 8 GiB, code arenas at most ~2 GiB.
  constexpr size_t kSmall = size_t{5} << 29, kBig = 2 * kSmall;
  void* a = ReserveAddressSpace(kBig);
  ASSERT_NE(a, MAP_FAILED);
  ReleaseAddressSpace(a, kBig);
  void* b =
      MapWithHint(kSmall, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
  ASSERT_NE(b, MAP_FAILED);
  EXPECT_EQ(a, b);
  static_cast<uint8_t*>(b)[0] = 1;  // a real read+write mapping
  // The rest of the big range stays a hint.
  void* c = ReserveAddressSpace(kSmall);
  ASSERT_NE(c, MAP_FAILED);
  EXPECT_EQ(static_cast<uint8_t*>(a) + kSmall, c);
  ReleaseAddressSpace(b, kSmall);
  ReleaseAddressSpace(c, kSmall);
}

}  // namespace
}  // namespace wt::util
