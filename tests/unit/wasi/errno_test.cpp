// The errno table and the host errno mapping.
#include <gtest/gtest.h>

#include <cerrno>

#include "wasi/errno.h"

namespace wt::wasi {
namespace {

TEST(WasiErrnoTest, ValuesFollowTheSpecification) {
  EXPECT_EQ(static_cast<int>(Errno::kSuccess), 0);
  EXPECT_EQ(static_cast<int>(Errno::k2Big), 1);
  EXPECT_EQ(static_cast<int>(Errno::kBadf), 8);
  EXPECT_EQ(static_cast<int>(Errno::kExist), 20);
  EXPECT_EQ(static_cast<int>(Errno::kFault), 21);
  EXPECT_EQ(static_cast<int>(Errno::kInval), 28);
  EXPECT_EQ(static_cast<int>(Errno::kNoEnt), 44);
  EXPECT_EQ(static_cast<int>(Errno::kNoSys), 52);
  EXPECT_EQ(static_cast<int>(Errno::kNotDir), 54);
  EXPECT_EQ(static_cast<int>(Errno::kNotSock), 57);
  EXPECT_EQ(static_cast<int>(Errno::kPerm), 63);
  EXPECT_EQ(static_cast<int>(Errno::kSpipe), 70);
  EXPECT_EQ(static_cast<int>(Errno::kXdev), 75);
  EXPECT_EQ(static_cast<int>(Errno::kNotCapable), 76);
}

TEST(WasiErrnoTest, NamesAndMessages) {
  EXPECT_STREQ(ErrnoName(Errno::kNoEnt), "noent");
  EXPECT_STREQ(ErrnoName(Errno::k2Big), "2big");
  EXPECT_STREQ(ErrnoName(Errno::kNotCapable), "notcapable");
  EXPECT_STREQ(ErrnoName(static_cast<Errno>(500)), "unknown");
  EXPECT_STREQ(ErrnoMessage(Errno::kNoEnt), "no such file or directory");
}

TEST(WasiErrnoTest, HostErrnosMapOneToOne) {
  EXPECT_EQ(ErrnoFromHost(0), Errno::kSuccess);
  EXPECT_EQ(ErrnoFromHost(ENOENT), Errno::kNoEnt);
  EXPECT_EQ(ErrnoFromHost(EACCES), Errno::kAcces);
  EXPECT_EQ(ErrnoFromHost(EPERM), Errno::kPerm);
  EXPECT_EQ(ErrnoFromHost(ELOOP), Errno::kLoop);
  EXPECT_EQ(ErrnoFromHost(ENOTEMPTY), Errno::kNotEmpty);
  EXPECT_EQ(ErrnoFromHost(EISDIR), Errno::kIsDir);
  EXPECT_EQ(ErrnoFromHost(ESPIPE), Errno::kSpipe);
  EXPECT_EQ(ErrnoFromHost(EXDEV), Errno::kXdev);
  EXPECT_EQ(ErrnoFromHost(EWOULDBLOCK), Errno::kAgain);
  EXPECT_EQ(ErrnoFromHost(EOPNOTSUPP), Errno::kNotSup);
  EXPECT_EQ(ErrnoFromHost(ENOTSUP), Errno::kNotSup);
  // Host errnos WASI has no name for become EIO.
  EXPECT_EQ(ErrnoFromHost(ECHRNG), Errno::kIo);
  EXPECT_EQ(ErrnoFromHost(100000), Errno::kIo);
}

TEST(WasiErrnoTest, EveryNamedHostErrnoRoundTrips) {
  // Every WASI errno (but success and notcapable) has a host errno mapping back onto it.
  int mapped = 0;
  for (int host = 1; host < 200; ++host) {
    Errno e = ErrnoFromHost(host);
    if (e != Errno::kIo || host == EIO) ++mapped;
  }
  EXPECT_GE(mapped, 75);
}

}  // namespace
}  // namespace wt::wasi
