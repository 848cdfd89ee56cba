// The bounds-checked guest memory view, and bad guest pointers given to WASI functions: out of
// range (or misaligned) never touches host memory; the call returns EFAULT / EINVAL (default)
// or traps (BadPointerPolicy::kTrap). efault_test.cpp covers every function.
#include <gtest/gtest.h>

#include "wasi/guest_memory.h"
#include "wasi_test_util.h"

namespace wt::wasi {
namespace {

using runtime::TrapCode;
using testing::Guest;
using testing::Outcome;

TEST(GuestMemoryTest, RangesInsideAndAtTheEdge) {
  std::vector<uint8_t> buf(100);
  GuestMemory m(buf.data(), buf.size());
  EXPECT_TRUE(m.Check(0, 100));
  EXPECT_TRUE(m.Check(100, 0));  // empty range at the end
  EXPECT_TRUE(m.Check(99, 1));
  EXPECT_TRUE(m.ok());
  EXPECT_EQ(m.Bytes(10, 5), buf.data() + 10);
}

TEST(GuestMemoryTest, RangesOutsideRecordAFault) {
  std::vector<uint8_t> buf(100);
  GuestMemory m(buf.data(), buf.size());
  EXPECT_FALSE(m.Check(99, 2));
  EXPECT_EQ(m.fault(), GuestFault::kOutOfBounds);
  GuestMemory m2(buf.data(), buf.size());
  EXPECT_FALSE(m2.Check(101, 0));
  GuestMemory m3(buf.data(), buf.size());
  // ptr + len wraps in 32 bits and in 64: still refused.
  EXPECT_FALSE(m3.Check(0xFFFFFFFFu, 2));
  EXPECT_FALSE(m3.Check(0xFFFFFFFFFFFFFFFFull, 2));
  EXPECT_FALSE(m3.Check(1, 0xFFFFFFFFFFFFFFFFull));
  EXPECT_EQ(m3.Bytes(50, 51), nullptr);
}

TEST(GuestMemoryTest, TypedAccessIsAlignedAndLittleEndian) {
  std::vector<uint8_t> buf(64);
  GuestMemory m(buf.data(), buf.size());
  EXPECT_TRUE(m.Write<uint32_t>(8, 0x11223344));
  EXPECT_EQ(buf[8], 0x44);
  EXPECT_EQ(buf[11], 0x11);
  uint64_t v = 0;
  EXPECT_TRUE(m.Write<uint64_t>(56, 0x0102030405060708ull));
  EXPECT_TRUE(m.Read<uint64_t>(56, &v));
  EXPECT_EQ(v, 0x0102030405060708ull);
  EXPECT_FALSE(m.Write<uint64_t>(60, 1));  // crosses the end
  GuestMemory m2(buf.data(), buf.size());
  EXPECT_FALSE(m2.Write<uint32_t>(6, 1));
  EXPECT_EQ(m2.fault(), GuestFault::kMisaligned);
}

TEST(GuestMemoryTest, NoMemoryAtAll) {
  GuestMemory m = GuestMemory::Of(nullptr);
  EXPECT_EQ(m.size(), 0u);
  EXPECT_TRUE(m.Check(0, 0));
  EXPECT_FALSE(m.Check(0, 1));
}

wasi::WasiConfig TrapPolicy() {
  wasi::WasiConfig c;
  c.bad_pointers = BadPointerPolicy::kTrap;
  return c;
}

TEST(WasiBadPointerTest, OutOfRangeOutputTraps) {
  Guest g(TrapPolicy());
  uint32_t end = g.mem_size();
  Outcome o = g.Call("args_sizes_get", {end - 2, 0});
  EXPECT_TRUE(o.trapped);
  EXPECT_EQ(o.trap, TrapCode::kMemoryOutOfBounds);
  o = g.Call("args_sizes_get", {0, 0xFFFFFFFCu});
  EXPECT_TRUE(o.trapped);
  o = g.Call("clock_time_get", {0, 0, end});
  EXPECT_TRUE(o.trapped);
  o = g.Call("random_get", {end - 10, 11});
  EXPECT_TRUE(o.trapped);
  EXPECT_TRUE(g.Call("random_get", {end - 10, 10}).ok());
  EXPECT_TRUE(g.Call("random_get", {end, 0}).ok());
  EXPECT_TRUE(g.Call("random_get", {end + 1, 0}).trapped);
}

TEST(WasiBadPointerTest, MisalignedOutputTraps) {
  Guest g(TrapPolicy());
  Outcome o = g.Call("clock_time_get", {1, 0, 0x101});
  EXPECT_TRUE(o.trapped);
  EXPECT_EQ(o.trap, TrapCode::kHostError);
}

TEST(WasiBadPointerTest, ErrnoPolicyReturnsFaultAndInval) {
  Guest g;  // the default policy
  EXPECT_EQ(g.Call("clock_time_get", {1, 0, g.mem_size() - 4}), Errno::kFault);
  EXPECT_EQ(g.Call("clock_time_get", {1, 0, 0x104}), Errno::kInval);
  EXPECT_EQ(g.Call("clock_time_get", {1, 0, 0x108}), Errno::kSuccess);
}

TEST(WasiBadPointerTest, IovecsAreCheckedOneByOne) {
  wasi::WasiConfig c;
  c.bad_pointers = BadPointerPolicy::kErrno;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  c.stdout_fd = fds[1];
  Guest g(c);
  uint32_t end = g.mem_size();
  // The array itself out of range.
  EXPECT_EQ(g.Call("fd_write", {1, end - 4, 1, Guest::kOutArea}), Errno::kFault);
  // A huge count.
  EXPECT_EQ(g.Call("fd_write", {1, Guest::kIovArea, 0x40000000u, Guest::kOutArea}), Errno::kFault);
  // A buffer past the end.
  g.PutT<uint32_t>(Guest::kIovArea, end - 4);
  g.PutT<uint32_t>(Guest::kIovArea + 4, 8);
  EXPECT_EQ(g.Call("fd_write", {1, Guest::kIovArea, 1, Guest::kOutArea}), Errno::kFault);
  // A buffer whose end wraps around 2^32.
  g.PutT<uint32_t>(Guest::kIovArea, 0x10);
  g.PutT<uint32_t>(Guest::kIovArea + 4, 0xFFFFFFF8u);
  EXPECT_EQ(g.Call("fd_write", {1, Guest::kIovArea, 1, Guest::kOutArea}), Errno::kFault);
  // The count output out of range: nothing is written at all.
  g.PutT<uint32_t>(Guest::kIovArea, Guest::kDataArea);
  g.PutT<uint32_t>(Guest::kIovArea + 4, 3);
  EXPECT_EQ(g.Call("fd_write", {1, Guest::kIovArea, 1, end}), Errno::kFault);
  // Fine.
  g.Put(Guest::kDataArea, "abc");
  EXPECT_EQ(g.Call("fd_write", {1, Guest::kIovArea, 1, Guest::kOutArea}), Errno::kSuccess);
  char buf[16];
  EXPECT_EQ(::read(fds[0], buf, sizeof(buf)), 3);
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(WasiBadPointerTest, PathPointersOutOfRange) {
  testing::TempDir dir;
  wasi::WasiConfig c = testing::PreopenConfig(dir);
  c.bad_pointers = BadPointerPolicy::kTrap;
  Guest g(c);
  uint32_t end = g.mem_size();
  EXPECT_TRUE(g.Call("path_create_directory", {3, end - 2, 3}).trapped);
  EXPECT_TRUE(g.Call("path_open", {3, 0, end - 1, 0xFFFFFFFFu, 0, 0, 0, 0, 0}).trapped);
  uint32_t len = g.Str(Guest::kPathArea, "x");
  EXPECT_TRUE(g.Call("path_open", {3, 0, Guest::kPathArea, len, 1, 0, 0, 0, end}).trapped);
  EXPECT_FALSE(dir.Exists("x"));  // the output was checked before opening anything
}

}  // namespace
}  // namespace wt::wasi
