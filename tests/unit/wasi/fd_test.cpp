// fd_* functions on real files in a temporary preopened directory.
#include <fcntl.h>
#include <gtest/gtest.h>

#include <thread>

#include "wasi_test_util.h"

namespace wt::wasi {
namespace {

using testing::Guest;
using testing::kPreopenFd;
using testing::TempDir;

class WasiFdTest : public ::testing::Test {
 protected:
  WasiFdTest() : g_(testing::PreopenConfig(dir_)) {}

  uint32_t OpenFile(std::string_view name, uint32_t oflags = oflags::kCreat,
                    uint64_t base = rights::kAll, uint32_t fdflags = 0) {
    uint32_t fd = 0;
    EXPECT_TRUE(g_.Open(kPreopenFd, name, oflags, base, fdflags, 0, &fd).ok()) << name;
    return fd;
  }
  uint64_t Seek(uint32_t fd, int64_t off, uint32_t whence) {
    EXPECT_TRUE(g_.Call("fd_seek", {fd, static_cast<uint64_t>(off), whence, 0x3300}).ok());
    return g_.U64(0x3300);
  }
  uint64_t Tell(uint32_t fd) {
    EXPECT_TRUE(g_.Call("fd_tell", {fd, 0x3300}).ok());
    return g_.U64(0x3300);
  }
  uint64_t Size(uint32_t fd) {
    EXPECT_TRUE(g_.Call("fd_filestat_get", {fd, Guest::kStatArea}).ok());
    return g_.U64(Guest::kStatArea + 32);
  }

  TempDir dir_;
  Guest g_;
};

TEST_F(WasiFdTest, WriteReadSeekTell) {
  uint32_t fd = OpenFile("file");
  EXPECT_GT(fd, 3u);
  uint32_t n = 0;
  ASSERT_TRUE(g_.Write(fd, "hello, world", &n).ok());
  EXPECT_EQ(n, 12u);
  EXPECT_EQ(Tell(fd), 12u);
  EXPECT_EQ(dir_.ReadFile("file"), "hello, world");
  EXPECT_EQ(Seek(fd, -5, 1), 7u);  // cur
  std::string got;
  ASSERT_TRUE(g_.Read(fd, 100, &got).ok());
  EXPECT_EQ(got, "world");
  ASSERT_TRUE(g_.Read(fd, 100, &got).ok());
  EXPECT_EQ(got, "");                   // end of file
  EXPECT_EQ(Seek(fd, 0, 0), 0u);        // set
  EXPECT_EQ(Seek(fd, -3, 2), 9u);       // end
  EXPECT_EQ(Seek(fd, 1000, 1), 1009u);  // past the end is fine
  EXPECT_EQ(g_.Call("fd_seek", {fd, static_cast<uint64_t>(-2000), 1, 0x3300}), Errno::kInval);
  EXPECT_EQ(g_.Call("fd_seek", {fd, 0, 3, 0x3300}), Errno::kInval);  // bad whence
  EXPECT_TRUE(g_.Call("fd_close", {fd}).ok());
  EXPECT_EQ(g_.Call("fd_close", {fd}), Errno::kBadf);
}

TEST_F(WasiFdTest, ScatterGather) {
  uint32_t fd = OpenFile("file");
  g_.Put(0x5000, "abcdefgh");
  // Three iovecs, one empty.
  g_.PutT<uint32_t>(0x3000, 0x5000);
  g_.PutT<uint32_t>(0x3004, 3);
  g_.PutT<uint32_t>(0x3008, 0x5000);
  g_.PutT<uint32_t>(0x300C, 0);
  g_.PutT<uint32_t>(0x3010, 0x5005);
  g_.PutT<uint32_t>(0x3014, 3);
  ASSERT_TRUE(g_.Call("fd_write", {fd, 0x3000, 3, 0x3100}).ok());
  EXPECT_EQ(g_.U32(0x3100), 6u);
  EXPECT_EQ(dir_.ReadFile("file"), "abcfgh");
  ASSERT_TRUE(g_.Call("fd_pread", {fd, 0x3000, 3, 1, 0x3100}).ok());  // reads into 0x5000..
  EXPECT_EQ(g_.U32(0x3100), 5u);
  EXPECT_EQ(g_.Get(0x5000, 8), "bcfdeghh");
  EXPECT_TRUE(g_.Call("fd_write", {fd, 0x3000, 0, 0x3100}).ok());  // nothing at all
  EXPECT_EQ(g_.U32(0x3100), 0u);
}

TEST_F(WasiFdTest, PreadPwriteKeepTheOffset) {
  uint32_t fd = OpenFile("file");
  ASSERT_TRUE(g_.Write(fd, "0123456789").ok());
  EXPECT_EQ(Seek(fd, 2, 0), 2u);
  g_.Put(0x5000, "AB");
  g_.PutT<uint32_t>(0x3000, 0x5000);
  g_.PutT<uint32_t>(0x3004, 2);
  ASSERT_TRUE(g_.Call("fd_pwrite", {fd, 0x3000, 1, 5, 0x3100}).ok());
  EXPECT_EQ(g_.U32(0x3100), 2u);
  EXPECT_EQ(Tell(fd), 2u);
  EXPECT_EQ(dir_.ReadFile("file"), "01234AB789");
  g_.PutT<uint32_t>(0x3004, 4);
  ASSERT_TRUE(g_.Call("fd_pread", {fd, 0x3000, 1, 8, 0x3100}).ok());
  EXPECT_EQ(g_.U32(0x3100), 2u);
  EXPECT_EQ(g_.Get(0x5000, 2), "89");
  EXPECT_EQ(Tell(fd), 2u);
  EXPECT_EQ(g_.Call("fd_pread", {fd, 0x3000, 1, 1ull << 63, 0x3100}), Errno::kInval);
}

TEST_F(WasiFdTest, AppendFlagAndSetFlags) {
  uint32_t fd = OpenFile("file", oflags::kCreat, rights::kAll, fdflags::kAppend);
  ASSERT_TRUE(g_.Write(fd, "aaaa").ok());
  Seek(fd, 0, 0);
  ASSERT_TRUE(g_.Write(fd, "bb").ok());
  EXPECT_EQ(dir_.ReadFile("file"), "aaaabb");
  ASSERT_TRUE(g_.Call("fd_fdstat_get", {fd, 0x3300}).ok());
  EXPECT_EQ(g_.GetT<uint16_t>(0x3302), fdflags::kAppend);
  ASSERT_TRUE(g_.Call("fd_fdstat_set_flags", {fd, 0}).ok());
  Seek(fd, 0, 0);
  ASSERT_TRUE(g_.Write(fd, "cc").ok());
  EXPECT_EQ(dir_.ReadFile("file"), "ccaabb");
  ASSERT_TRUE(g_.Call("fd_fdstat_get", {fd, 0x3300}).ok());
  EXPECT_EQ(g_.GetT<uint16_t>(0x3302), 0);
  EXPECT_EQ(g_.Call("fd_fdstat_set_flags", {fd, fdflags::kSync}), Errno::kInval);
  EXPECT_EQ(g_.Call("fd_fdstat_set_flags", {fd, 0x100}), Errno::kInval);
  ASSERT_TRUE(g_.Call("fd_fdstat_set_flags", {fd, fdflags::kNonblock}).ok());
  ASSERT_TRUE(g_.Call("fd_fdstat_get", {fd, 0x3300}).ok());
  EXPECT_EQ(g_.GetT<uint16_t>(0x3302), fdflags::kNonblock);
}

TEST_F(WasiFdTest, FdstatReportsTypeAndRights) {
  uint32_t fd = OpenFile("file", oflags::kCreat, rights::kFdRead | rights::kFdSeek);
  ASSERT_TRUE(g_.Call("fd_fdstat_get", {fd, 0x3300}).ok());
  EXPECT_EQ(g_.mem()[0x3300], static_cast<uint8_t>(Filetype::kRegularFile));
  EXPECT_EQ(g_.U64(0x3308), rights::kFdRead | rights::kFdSeek);
  // The preopen: a directory with the directory rights, passing every right on.
  ASSERT_TRUE(g_.Call("fd_fdstat_get", {kPreopenFd, 0x3300}).ok());
  EXPECT_EQ(g_.mem()[0x3300], static_cast<uint8_t>(Filetype::kDirectory));
  EXPECT_EQ(g_.U64(0x3308), rights::kDirBase);
  EXPECT_EQ(g_.U64(0x3310) & rights::kFileBase, rights::kFileBase);
  EXPECT_EQ(g_.Call("fd_fdstat_get", {99, 0x3300}), Errno::kBadf);
}

TEST_F(WasiFdTest, RightsAreEnforcedAndOnlyDropped) {
  uint32_t fd =
      OpenFile("file", oflags::kCreat, rights::kFdRead | rights::kFdWrite | rights::kFdSeek);
  ASSERT_TRUE(g_.Write(fd, "xy").ok());
  ASSERT_TRUE(g_.Call("fd_fdstat_set_rights", {fd, rights::kFdSeek, 0}).ok());
  std::string got;
  EXPECT_EQ(g_.Read(fd, 10, &got), Errno::kNotCapable);
  EXPECT_EQ(g_.Write(fd, "z"), Errno::kNotCapable);
  EXPECT_EQ(g_.Call("fd_tell", {fd, 0x3300}), Errno::kNotCapable);
  EXPECT_EQ(g_.Call("fd_seek", {fd, 0, 1, 0x3300}), Errno::kNotCapable);  // tell-like seek
  EXPECT_TRUE(g_.Call("fd_seek", {fd, 0, 0, 0x3300}).ok());
  EXPECT_EQ(g_.Call("fd_fdstat_set_rights", {fd, rights::kFdSeek | rights::kFdRead, 0}),
            Errno::kNotCapable);
  EXPECT_EQ(g_.Call("fd_filestat_get", {fd, 0x3300}), Errno::kNotCapable);
  // Read-only and write-only opens.
  uint32_t ro = OpenFile("file", 0, rights::kFdRead);
  EXPECT_EQ(g_.Write(ro, "z"), Errno::kNotCapable);
  ASSERT_TRUE(g_.Read(ro, 10, &got).ok());
  EXPECT_EQ(got, "xy");
  uint32_t wo = OpenFile("file", 0, rights::kFdWrite);
  EXPECT_EQ(g_.Read(wo, 10, &got), Errno::kNotCapable);
}

TEST_F(WasiFdTest, DirectoryDescriptorsRefuseFileOperations) {
  std::string got;
  EXPECT_EQ(g_.Read(kPreopenFd, 10, &got), Errno::kNotCapable);
  EXPECT_EQ(g_.Write(kPreopenFd, "x"), Errno::kNotCapable);
  EXPECT_EQ(g_.Call("fd_seek", {kPreopenFd, 0, 0, 0x3300}), Errno::kNotCapable);
  EXPECT_EQ(g_.Call("fd_tell", {kPreopenFd, 0x3300}), Errno::kNotCapable);
  EXPECT_EQ(g_.Call("fd_allocate", {kPreopenFd, 0, 1}), Errno::kNotCapable);
  EXPECT_EQ(g_.Call("fd_filestat_set_size", {kPreopenFd, 0}), Errno::kNotCapable);
  // A directory opened asking for seek does not get it.
  dir_.Mkdir("sub");
  uint32_t fd = 0;
  ASSERT_TRUE(g_.Open(kPreopenFd, "sub", oflags::kDirectory, rights::kFdSeek | rights::kFdReaddir,
                      0, 0, &fd)
                  .ok());
  ASSERT_TRUE(g_.Call("fd_fdstat_get", {fd, 0x3300}).ok());
  EXPECT_EQ(g_.U64(0x3308), rights::kFdReaddir);
}

TEST_F(WasiFdTest, FilestatSizeAndTimes) {
  uint32_t fd = OpenFile("file");
  EXPECT_EQ(Size(fd), 0u);
  ASSERT_TRUE(g_.Call("fd_filestat_set_size", {fd, 100}).ok());
  EXPECT_EQ(Size(fd), 100u);
  EXPECT_EQ(g_.mem()[Guest::kStatArea + 16], static_cast<uint8_t>(Filetype::kRegularFile));
  EXPECT_EQ(g_.U64(Guest::kStatArea + 24), 1u);  // nlink
  struct stat st;
  ASSERT_EQ(::stat((dir_ / "file").c_str(), &st), 0);
  EXPECT_EQ(g_.U64(Guest::kStatArea + 8), st.st_ino);
  EXPECT_EQ(g_.U64(Guest::kStatArea + 0), st.st_dev);
  uint64_t atim = g_.U64(Guest::kStatArea + 40);
  uint64_t mtim = g_.U64(Guest::kStatArea + 48) - 1000000000ull;
  ASSERT_TRUE(g_.Call("fd_filestat_set_times", {fd, 0, mtim, fstflags::kMtim}).ok());
  Size(fd);
  EXPECT_EQ(g_.U64(Guest::kStatArea + 48), mtim);
  EXPECT_EQ(g_.U64(Guest::kStatArea + 40), atim);
  ASSERT_TRUE(g_.Call("fd_filestat_set_times", {fd, 123456789, 0, fstflags::kAtim}).ok());
  Size(fd);
  EXPECT_EQ(g_.U64(Guest::kStatArea + 40), 123456789u);
  EXPECT_EQ(g_.Call("fd_filestat_set_times", {fd, 0, 0, fstflags::kMtim | fstflags::kMtimNow}),
            Errno::kInval);
  EXPECT_EQ(g_.Call("fd_filestat_set_times", {fd, 0, 0, fstflags::kAtim | fstflags::kAtimNow}),
            Errno::kInval);
  EXPECT_EQ(g_.Call("fd_filestat_set_times", {fd, 0, 0, 0x10}), Errno::kInval);
  ASSERT_TRUE(g_.Call("fd_filestat_set_times", {fd, 0, 0, fstflags::kMtimNow}).ok());
}

TEST_F(WasiFdTest, AdviseAllocateSync) {
  uint32_t fd = OpenFile("file");
  ASSERT_TRUE(g_.Call("fd_filestat_set_size", {fd, 100}).ok());
  EXPECT_TRUE(g_.Call("fd_advise", {fd, 10, 50, 0}).ok());
  EXPECT_TRUE(g_.Call("fd_advise", {fd, 0, 0, 5}).ok());
  EXPECT_EQ(g_.Call("fd_advise", {fd, 0, 0, 6}), Errno::kInval);
  testing::Outcome o = g_.Call("fd_allocate", {fd, 100, 100});
  if (o.ok()) {
    EXPECT_EQ(Size(fd), 200u);
    EXPECT_TRUE(g_.Call("fd_allocate", {fd, 10, 10}).ok());
    EXPECT_EQ(Size(fd), 200u);
  } else {
    EXPECT_EQ(o, Errno::kNotSup);
  }
  EXPECT_TRUE(g_.Call("fd_sync", {fd}).ok());
  EXPECT_TRUE(g_.Call("fd_datasync", {fd}).ok());
  EXPECT_TRUE(g_.Call("fd_sync", {kPreopenFd}).ok());
}

TEST_F(WasiFdTest, RenumberMovesTheDescriptor) {
  uint32_t a = OpenFile("a");
  uint32_t b = OpenFile("b");
  ASSERT_TRUE(g_.Write(a, "into a").ok());
  ASSERT_TRUE(g_.Call("fd_renumber", {a, b}).ok());
  EXPECT_EQ(g_.Call("fd_close", {a}), Errno::kBadf);
  ASSERT_TRUE(g_.Write(b, "!").ok());
  EXPECT_EQ(dir_.ReadFile("a"), "into a!");
  EXPECT_EQ(g_.Call("fd_renumber", {b, a}), Errno::kBadf);  // the target must be open
  EXPECT_EQ(g_.Call("fd_renumber", {a, b}), Errno::kBadf);
  EXPECT_TRUE(g_.Call("fd_renumber", {b, b}).ok());
  // Lowest free number first.
  EXPECT_EQ(OpenFile("c"), a);
  // Over the preopen: the preopen goes away.
  ASSERT_TRUE(g_.Call("fd_renumber", {b, kPreopenFd}).ok());
  EXPECT_EQ(g_.Call("fd_prestat_get", {kPreopenFd, 0x3300}), Errno::kBadf);
  ASSERT_TRUE(g_.Write(kPreopenFd, "?").ok());
  EXPECT_EQ(dir_.ReadFile("a"), "into a!?");
}

TEST_F(WasiFdTest, StdioCanBeClosedAndRenumbered) {
  uint32_t f = OpenFile("file");
  ASSERT_TRUE(g_.Call("fd_renumber", {0, f}).ok());
  EXPECT_EQ(g_.Call("fd_fdstat_get", {0, 0x3300}), Errno::kBadf);
  ASSERT_TRUE(g_.Call("fd_fdstat_get", {f, 0x3300}).ok());
  EXPECT_EQ(OpenFile("other"), 0u);  // POSIX: lowest free
}

TEST_F(WasiFdTest, Prestat) {
  ASSERT_TRUE(g_.Call("fd_prestat_get", {kPreopenFd, 0x3300}).ok());
  EXPECT_EQ(g_.mem()[0x3300], 0);  // dir
  EXPECT_EQ(g_.U32(0x3304), 1u);
  ASSERT_TRUE(g_.Call("fd_prestat_dir_name", {kPreopenFd, 0x3400, 1}).ok());
  EXPECT_EQ(g_.Get(0x3400, 1), "/");
  EXPECT_EQ(g_.Call("fd_prestat_dir_name", {kPreopenFd, 0x3400, 0}), Errno::kNameTooLong);
  EXPECT_EQ(g_.Call("fd_prestat_get", {4, 0x3300}), Errno::kBadf);
  EXPECT_EQ(g_.Call("fd_prestat_get", {1, 0x3300}), Errno::kBadf);
  EXPECT_EQ(g_.Call("fd_prestat_dir_name", {1, 0x3400, 10}), Errno::kNotDir);
  // Closing a preopen is allowed.
  EXPECT_TRUE(g_.Call("fd_close", {kPreopenFd}).ok());
  EXPECT_EQ(g_.Call("fd_prestat_get", {kPreopenFd, 0x3300}), Errno::kBadf);
}

TEST(WasiStdioTest, PipesAndTerminalsDoNotSeek) {
  int p[2];
  ASSERT_EQ(::pipe(p), 0);
  WasiConfig c;
  c.stdin_fd = p[0];
  c.stdout_fd = p[1];
  Guest g(c);
  ASSERT_TRUE(g.Call("fd_fdstat_get", {1, 0x100}).ok());
  EXPECT_EQ(g.mem()[0x100], static_cast<uint8_t>(Filetype::kUnknown));  // a pipe
  EXPECT_EQ(g.U64(0x108) & (rights::kFdSeek | rights::kFdTell), 0u);
  EXPECT_EQ(g.U64(0x108) & rights::kFdRead, 0u);
  EXPECT_NE(g.U64(0x108) & rights::kFdWrite, 0u);
  EXPECT_EQ(g.Call("fd_seek", {1, 0, 0, 0x200}), Errno::kSpipe);
  EXPECT_EQ(g.Call("fd_tell", {0, 0x200}), Errno::kSpipe);
  ASSERT_TRUE(g.Write(1, "through the pipe").ok());
  std::string got;
  ASSERT_TRUE(g.Read(0, 100, &got).ok());
  EXPECT_EQ(got, "through the pipe");
  EXPECT_EQ(g.Write(0, "x"), Errno::kNotCapable);  // stdin is for reading
  // Closing the guest's stdout does not close the host's descriptor.
  ASSERT_TRUE(g.Call("fd_close", {1}).ok());
  EXPECT_EQ(::write(p[1], "x", 1), 1);
  ::close(p[0]);
  ::close(p[1]);
}

TEST(WasiStdioTest, SharedNonblockingStdinStillBlocksForTheGuest) {
  int p[2];
  ASSERT_EQ(::pipe(p), 0);
  ASSERT_EQ(::fcntl(p[0], F_SETFL, O_NONBLOCK), 0);  // as a parent process might leave it
  WasiConfig c;
  c.stdin_fd = p[0];
  Guest g(c);
  std::thread writer([&] {
    ::usleep(50000);
    EXPECT_EQ(::write(p[1], "late", 4), 4);
  });
  std::string got;
  ASSERT_TRUE(g.Read(0, 100, &got).ok());
  EXPECT_EQ(got, "late");
  writer.join();
  // A guest that asks for NONBLOCK gets EAGAIN.
  ASSERT_TRUE(g.Call("fd_fdstat_set_flags", {0, fdflags::kNonblock}).ok());
  EXPECT_EQ(g.Read(0, 100, &got), Errno::kAgain);
  ::close(p[0]);
  ::close(p[1]);
}

TEST(WasiStdioTest, MissingStdio) {
  WasiConfig c;
  c.stdin_fd = -1;
  Guest g(c);
  EXPECT_EQ(g.Call("fd_fdstat_get", {0, 0x100}), Errno::kBadf);
}

}  // namespace
}  // namespace wt::wasi

namespace wt::wasi {
namespace {

// wasi_unstable: whence is numbered cur=0, end=1, set=2, and filestat has a u32 nlink (56
// bytes: size at 24, times at 32/40/48).
TEST(WasiUnstableTest, SeekWhenceAndFilestatLayout) {
  testing::TempDir dir;
  dir.WriteFile("file", "0123456789");
  Guest g(testing::PreopenConfig(dir));
  uint32_t fd = 0;
  ASSERT_TRUE(g.Open(kPreopenFd, "file", 0, rights::kAll, 0, 0, &fd).ok());
  auto seek = [&](int64_t off, uint32_t whence) {
    EXPECT_TRUE(
        g.CallIn(kUnstableModule, "fd_seek", {fd, static_cast<uint64_t>(off), whence, 0x3300})
            .ok());
    return g.U64(0x3300);
  };
  EXPECT_EQ(seek(4, 2), 4u);   // set
  EXPECT_EQ(seek(2, 0), 6u);   // cur
  EXPECT_EQ(seek(-1, 1), 9u);  // end
  EXPECT_EQ(g.CallIn(kUnstableModule, "fd_seek", {fd, 0, 3, 0x3300}), Errno::kInval);
  EXPECT_EQ(g.CallIn(kUnstableModule, "fd_seek", {fd, 0, 256, 0x3300}), Errno::kInval);
  EXPECT_EQ(g.Call("fd_seek", {fd, 0, 256, 0x3300}), Errno::kInval);

  g.Put(0x3400, std::string(64, '\xAA'));
  ASSERT_TRUE(g.CallIn(kUnstableModule, "fd_filestat_get", {fd, 0x3400}).ok());
  EXPECT_EQ(g.mem()[0x3400 + 16], static_cast<uint8_t>(Filetype::kRegularFile));
  EXPECT_EQ(g.U32(0x3400 + 20), 1u);      // nlink
  EXPECT_EQ(g.U64(0x3400 + 24), 10u);     // size
  EXPECT_EQ(g.mem()[0x3400 + 56], 0xAA);  // 56 bytes only
  uint32_t len = g.Str(Guest::kPathArea, "file");
  ASSERT_TRUE(
      g.CallIn(kUnstableModule, "path_filestat_get", {kPreopenFd, 0, Guest::kPathArea, len, 0x3500})
          .ok());
  EXPECT_EQ(g.U64(0x3500 + 24), 10u);
  EXPECT_EQ(g.U64(0x3500 + 40), g.U64(0x3400 + 40));  // mtim
}

}  // namespace
}  // namespace wt::wasi
