// poll_oneoff: clocks (relative, absolute), fd readiness, errors in events.
#include <gtest/gtest.h>
#include <time.h>
#include <unistd.h>

#include "wasi_test_util.h"

namespace wt::wasi {
namespace {

using testing::Guest;

uint64_t NowNs(clockid_t c = CLOCK_MONOTONIC) {
  struct timespec ts;
  clock_gettime(c, &ts);
  return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
}

// Writes subscription i (48 bytes) at base.
void ClockSub(Guest& g, uint32_t base, uint32_t i, uint64_t userdata, uint32_t clock,
              uint64_t timeout, uint16_t flags) {
  uint32_t at = base + i * 48;
  g.Put(at, std::string(48, '\0'));
  g.PutT<uint64_t>(at, userdata);
  g.mem()[at + 8] = 0;
  g.PutT<uint32_t>(at + 16, clock);
  g.PutT<uint64_t>(at + 24, timeout);
  g.PutT<uint16_t>(at + 40, flags);
}
void FdSub(Guest& g, uint32_t base, uint32_t i, uint64_t userdata, uint8_t type, uint32_t fd) {
  uint32_t at = base + i * 48;
  g.Put(at, std::string(48, '\0'));
  g.PutT<uint64_t>(at, userdata);
  g.mem()[at + 8] = type;
  g.PutT<uint32_t>(at + 16, fd);
}

struct Event {
  uint64_t userdata;
  uint16_t error;
  uint8_t type;
  uint64_t nbytes;
  uint16_t flags;
};
std::vector<Event> Events(Guest& g, uint32_t base, uint32_t n) {
  std::vector<Event> out;
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t at = base + i * 32;
    out.push_back({g.U64(at), g.GetT<uint16_t>(at + 8), g.mem()[at + 10], g.U64(at + 16),
                   g.GetT<uint16_t>(at + 24)});
  }
  return out;
}

constexpr uint32_t kSubs = 0x1000, kEvents = 0x2000, kN = 0x3000;

TEST(WasiPollTest, RelativeClockSleeps) {
  Guest g;
  ClockSub(g, kSubs, 0, 42, 1, 50000000, 0);  // 50 ms monotonic
  uint64_t t0 = NowNs();
  ASSERT_TRUE(g.Call("poll_oneoff", {kSubs, kEvents, 1, kN}).ok());
  uint64_t elapsed = NowNs() - t0;
  EXPECT_GE(elapsed, 50000000u);
  EXPECT_LT(elapsed, 2000000000u);
  ASSERT_EQ(g.U32(kN), 1u);
  Event e = Events(g, kEvents, 1)[0];
  EXPECT_EQ(e.userdata, 42u);
  EXPECT_EQ(e.error, 0);
  EXPECT_EQ(e.type, 0);
}

TEST(WasiPollTest, AbsoluteClocks) {
  Guest g;
  uint64_t t0 = NowNs();
  ClockSub(g, kSubs, 0, 1, 1, t0 + 20000000, 1);  // monotonic, absolute
  ASSERT_TRUE(g.Call("poll_oneoff", {kSubs, kEvents, 1, kN}).ok());
  EXPECT_GE(NowNs(), t0 + 20000000);
  ClockSub(g, kSubs, 0, 2, 0, NowNs(CLOCK_REALTIME) + 20000000, 1);  // realtime, absolute
  t0 = NowNs();
  ASSERT_TRUE(g.Call("poll_oneoff", {kSubs, kEvents, 1, kN}).ok());
  EXPECT_GE(NowNs() - t0, 15000000u);
  // In the past: at once.
  ClockSub(g, kSubs, 0, 3, 1, 1, 1);
  ASSERT_TRUE(g.Call("poll_oneoff", {kSubs, kEvents, 1, kN}).ok());
  EXPECT_EQ(g.U32(kN), 1u);
}

TEST(WasiPollTest, EarliestClockWins) {
  Guest g;
  ClockSub(g, kSubs, 0, 1, 1, 5000000000ull, 0);
  ClockSub(g, kSubs, 1, 2, 1, 10000000, 0);
  ASSERT_TRUE(g.Call("poll_oneoff", {kSubs, kEvents, 2, kN}).ok());
  ASSERT_EQ(g.U32(kN), 1u);
  EXPECT_EQ(Events(g, kEvents, 1)[0].userdata, 2u);
}

TEST(WasiPollTest, FdReadinessAgainstAClock) {
  int p[2];
  ASSERT_EQ(::pipe(p), 0);
  WasiConfig c;
  c.stdin_fd = p[0];
  c.stdout_fd = p[1];
  Guest g(c);
  // Nothing to read yet: the clock fires.
  ClockSub(g, kSubs, 0, 7, 1, 20000000, 0);
  FdSub(g, kSubs, 1, 8, 1, 0);
  ASSERT_TRUE(g.Call("poll_oneoff", {kSubs, kEvents, 2, kN}).ok());
  ASSERT_EQ(g.U32(kN), 1u);
  EXPECT_EQ(Events(g, kEvents, 1)[0].userdata, 7u);
  // Data waiting: the read fires at once with the byte count.
  ASSERT_EQ(::write(p[1], "hello", 5), 5);
  ClockSub(g, kSubs, 0, 7, 1, 5000000000ull, 0);
  uint64_t t0 = NowNs();
  ASSERT_TRUE(g.Call("poll_oneoff", {kSubs, kEvents, 2, kN}).ok());
  EXPECT_LT(NowNs() - t0, 1000000000u);
  ASSERT_EQ(g.U32(kN), 1u);
  Event e = Events(g, kEvents, 1)[0];
  EXPECT_EQ(e.userdata, 8u);
  EXPECT_EQ(e.type, 1);
  EXPECT_EQ(e.error, 0);
  EXPECT_EQ(e.nbytes, 5u);
  // Writable stdout.
  FdSub(g, kSubs, 0, 9, 2, 1);
  ASSERT_TRUE(g.Call("poll_oneoff", {kSubs, kEvents, 1, kN}).ok());
  ASSERT_EQ(g.U32(kN), 1u);
  EXPECT_EQ(Events(g, kEvents, 1)[0].type, 2);
  // Hang-up once the writer is gone.
  ::close(p[1]);
  char buf[8];
  ASSERT_EQ(::read(p[0], buf, 8), 5);
  FdSub(g, kSubs, 0, 10, 1, 0);
  ASSERT_TRUE(g.Call("poll_oneoff", {kSubs, kEvents, 1, kN}).ok());
  EXPECT_EQ(Events(g, kEvents, 1)[0].flags, kEventFdReadwriteHangup);
  ::close(p[0]);
}

TEST(WasiPollTest, ErrorsAreReportedInEvents) {
  Guest g;
  FdSub(g, kSubs, 0, 1, 1, 77);          // not open
  ClockSub(g, kSubs, 1, 2, 2, 1000, 0);  // CPU-time clock
  ClockSub(g, kSubs, 2, 3, 1, 5000000000ull, 0);
  uint64_t t0 = NowNs();
  ASSERT_TRUE(g.Call("poll_oneoff", {kSubs, kEvents, 3, kN}).ok());
  EXPECT_LT(NowNs() - t0, 1000000000u);  // no wait
  ASSERT_EQ(g.U32(kN), 2u);
  auto ev = Events(g, kEvents, 2);
  EXPECT_EQ(ev[0].userdata, 1u);
  EXPECT_EQ(ev[0].error, static_cast<uint16_t>(Errno::kBadf));
  EXPECT_EQ(ev[1].userdata, 2u);
  EXPECT_EQ(ev[1].error, static_cast<uint16_t>(Errno::kInval));
}

TEST(WasiPollTest, BadArguments) {
  Guest g;
  EXPECT_EQ(g.Call("poll_oneoff", {kSubs, kEvents, 0, kN}), Errno::kInval);
  EXPECT_EQ(g.Call("poll_oneoff", {g.mem_size() - 40, kEvents, 1, kN}), Errno::kFault);
  EXPECT_EQ(g.Call("poll_oneoff", {kSubs, kEvents, 0x10000000u, kN}), Errno::kFault);
  EXPECT_EQ(g.Call("poll_oneoff", {kSubs + 4, kEvents, 1, kN}), Errno::kInval);  // misaligned
}

TEST(WasiPollTest, UnstableLayout) {
  Guest g;
  // wasi_unstable: the clock has an identifier first; subscriptions are 56 bytes.
  g.Put(kSubs, std::string(56, '\0'));
  g.PutT<uint64_t>(kSubs, 5);
  g.PutT<uint32_t>(kSubs + 24, 1);
  g.PutT<uint64_t>(kSubs + 32, 10000000);
  uint64_t t0 = NowNs();
  ASSERT_TRUE(g.CallIn(kUnstableModule, "poll_oneoff", {kSubs, kEvents, 1, kN}).ok());
  EXPECT_GE(NowNs() - t0, 10000000u);
  ASSERT_EQ(g.U32(kN), 1u);
  EXPECT_EQ(Events(g, kEvents, 1)[0].userdata, 5u);
}

}  // namespace
}  // namespace wt::wasi
