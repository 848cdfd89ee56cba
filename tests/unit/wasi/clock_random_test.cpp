// Clocks, random_get, sched_yield, proc_raise, proc_exit, sockets on non-sockets.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <time.h>

#include "wasi_test_util.h"

namespace wt::wasi {
namespace {

using testing::Guest;

uint64_t HostNs(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
}

TEST(WasiClockTest, RealtimeAndMonotonicFollowTheHost) {
  Guest g;
  uint64_t before = HostNs(CLOCK_REALTIME);
  ASSERT_TRUE(g.Call("clock_time_get", {0, 1, 0x100}).ok());
  uint64_t after = HostNs(CLOCK_REALTIME);
  EXPECT_GE(g.U64(0x100), before);
  EXPECT_LE(g.U64(0x100), after);

  ASSERT_TRUE(g.Call("clock_time_get", {1, 0, 0x100}).ok());
  uint64_t t1 = g.U64(0x100);
  ASSERT_TRUE(g.Call("clock_time_get", {1, 0, 0x100}).ok());
  EXPECT_GE(g.U64(0x100), t1);
}

TEST(WasiClockTest, CpuTimeClocksAdvance) {
  Guest g;
  for (uint32_t id : {2u, 3u}) {
    ASSERT_TRUE(g.Call("clock_time_get", {id, 0, 0x100}).ok()) << id;
    uint64_t t1 = g.U64(0x100);
    volatile uint64_t spin = 0;
    for (int i = 0; i < 3000000; ++i) spin = spin + i;
    ASSERT_TRUE(g.Call("clock_time_get", {id, 0, 0x100}).ok());
    EXPECT_GT(g.U64(0x100), t1) << id;
  }
}

TEST(WasiClockTest, Resolutions) {
  Guest g;
  for (uint32_t id : {0u, 1u, 2u, 3u}) {
    g.PutT<uint64_t>(0x100, 0);
    ASSERT_TRUE(g.Call("clock_res_get", {id, 0x100}).ok()) << id;
    EXPECT_GT(g.U64(0x100), 0u);
    EXPECT_LE(g.U64(0x100), 1000000000u);
  }
}

TEST(WasiClockTest, UnknownClockIsInval) {
  Guest g;
  EXPECT_EQ(g.Call("clock_time_get", {4, 0, 0x100}), Errno::kInval);
  EXPECT_EQ(g.Call("clock_res_get", {0xFFFFFFFFu, 0x100}), Errno::kInval);
}

TEST(WasiRandomTest, FillsTheBuffer) {
  Guest g;
  ASSERT_TRUE(g.Call("random_get", {0x1000, 1024}).ok());
  int nonzero = 0;
  for (int i = 0; i < 1024; ++i) nonzero += g.mem()[0x1000 + i] != 0;
  EXPECT_GT(nonzero, 900);
  EXPECT_EQ(g.mem()[0x1000 + 1024], 0);  // not past the end
  std::string first = g.Get(0x1000, 64);
  ASSERT_TRUE(g.Call("random_get", {0x1000, 64}).ok());
  EXPECT_NE(g.Get(0x1000, 64), first);
  EXPECT_TRUE(g.Call("random_get", {0x1000, 0}).ok());
}

TEST(WasiProcTest, ProcExitUnwindsWithTheStatus) {
  Guest g;
  EXPECT_FALSE(g.ctx().exit_code().has_value());
  testing::Outcome o = g.Call("proc_exit", {33});
  EXPECT_TRUE(o.trapped);
  EXPECT_EQ(o.trap, runtime::TrapCode::kExit);
  EXPECT_EQ(g.ctx().exit_code(), std::optional<uint32_t>(33));
}

TEST(WasiProcTest, RaiseIsNosysYieldSucceeds) {
  Guest g;
  EXPECT_EQ(g.Call("proc_raise", {6}), Errno::kNoSys);
  EXPECT_EQ(g.Call("sched_yield", {}), Errno::kSuccess);
}

TEST(WasiSocketTest, NotASocketAndBadDescriptor) {
  Guest g;
  EXPECT_EQ(g.Call("sock_shutdown", {1, 1}), Errno::kNotSock);
  EXPECT_EQ(g.Call("sock_shutdown", {3, 1}), Errno::kBadf);
  EXPECT_EQ(g.Call("sock_accept", {1, 0, 0x100}), Errno::kNotSock);
  EXPECT_EQ(g.Call("sock_accept", {99, 0, 0x100}), Errno::kBadf);
  EXPECT_EQ(g.Call("sock_recv", {0, 0x100, 0, 0, 0x200, 0x204}), Errno::kNotSock);
  EXPECT_EQ(g.Call("sock_send", {1, 0x100, 0, 0, 0x200}), Errno::kNotSock);
}

TEST(WasiSocketTest, SocketHandedToTheGuest) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  WasiConfig c;
  c.stdin_fd = sv[0];
  Guest g(c);
  // The guest sees a stream socket it can receive from, send on and shut down.
  ASSERT_TRUE(g.Call("fd_fdstat_get", {0, 0x100}).ok());
  EXPECT_EQ(g.mem()[0x100], static_cast<uint8_t>(Filetype::kSocketStream));
  ASSERT_EQ(::write(sv[1], "ping", 4), 4);
  g.PutT<uint32_t>(0x200, 0x300);
  g.PutT<uint32_t>(0x204, 16);
  ASSERT_TRUE(g.Call("sock_recv", {0, 0x200, 1, 0, 0x210, 0x214}).ok());
  EXPECT_EQ(g.U32(0x210), 4u);
  EXPECT_EQ(g.Get(0x300, 4), "ping");
  EXPECT_EQ(g.Call("sock_send", {0, 0x200, 1, 0, 0x210}), Errno::kNotCapable);  // stdin: read only
  EXPECT_TRUE(g.Call("sock_shutdown", {0, 3}).ok());
  EXPECT_EQ(g.Call("sock_shutdown", {0, 4}), Errno::kInval);
  ::close(sv[0]);
  ::close(sv[1]);
}

}  // namespace
}  // namespace wt::wasi
