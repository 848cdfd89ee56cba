// The sandbox: a guest reaches only what is under its preopened directories. `..`, absolute
// paths and symlinks (existing ones, and ones the guest plants itself) are refused with EPERM
// whenever they would lead outside, for every path operation, and nothing outside is read,
// written, created or removed. Each test runs with the openat2 fast path and with the walk.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi/sandbox.h"
#include "wasi_test_util.h"

namespace wt::wasi {
namespace {

using testing::Guest;
using testing::kPreopenFd;
using testing::Outcome;
using testing::TempDir;

// outside/            <- never reachable
//   secret            "secret"
//   sandbox/          <- preopened as "/"
//     dir/file        "inside"
//     to_secret  -> ../secret          (planted by the host)
//     to_outside -> ..                 (planted by the host)
//     to_etc     -> /etc               (planted by the host)
//     to_dir     -> dir                (inside: fine)
class WasiSandboxTest : public ::testing::TestWithParam<bool> {
 protected:
  WasiSandboxTest() {
    SetOpenat2Enabled(GetParam());
    outside_.WriteFile("secret", "secret");
    outside_.Mkdir("sandbox");
    outside_.Mkdir("sandbox/dir");
    outside_.WriteFile("sandbox/dir/file", "inside");
    EXPECT_EQ(::symlink("../secret", (outside_ / "sandbox/to_secret").c_str()), 0);
    EXPECT_EQ(::symlink("..", (outside_ / "sandbox/to_outside").c_str()), 0);
    EXPECT_EQ(::symlink("/etc", (outside_ / "sandbox/to_etc").c_str()), 0);
    EXPECT_EQ(::symlink("dir", (outside_ / "sandbox/to_dir").c_str()), 0);
    WasiConfig c;
    c.preopens.push_back({outside_ / "sandbox", "/"});
    g_ = std::make_unique<Guest>(c);
  }
  ~WasiSandboxTest() override { SetOpenat2Enabled(true); }

  Outcome Open(std::string_view path, uint32_t oflags = 0, uint32_t lookup = 0,
               uint64_t base = rights::kFdRead, uint32_t* fd = nullptr) {
    return g_->Open(kPreopenFd, path, oflags, base, 0, lookup, fd);
  }
  // The outside directory is exactly as the fixture left it.
  void ExpectOutsideUntouched() {
    EXPECT_EQ(outside_.ReadFile("secret"), "secret");
    int entries = 0;
    for (auto& e : std::filesystem::directory_iterator(outside_.path())) {
      (void)e;
      ++entries;
    }
    EXPECT_EQ(entries, 2);  // secret, sandbox
  }

  TempDir outside_;
  std::unique_ptr<Guest> g_;
};

INSTANTIATE_TEST_SUITE_P(Openat2, WasiSandboxTest, ::testing::Bool());

const char* const kEscapes[] = {
    "..",
    "../secret",
    "dir/../../secret",
    "dir/../..",
    "./../secret",
    "dir/./../../sandbox/dir/file",  // out and back in: still refused
    "/etc/passwd",
    "/",
    "to_secret/",
    "to_outside/secret",
    "to_etc/passwd",
    "to_dir/../../secret",
};

TEST_P(WasiSandboxTest, OpenNeverEscapes) {
  for (const char* path : kEscapes) {
    EXPECT_EQ(Open(path), Errno::kPerm) << path;
    EXPECT_EQ(Open(path, 0, kLookupSymlinkFollow), Errno::kPerm) << path;
    EXPECT_EQ(Open(path, oflags::kCreat, kLookupSymlinkFollow, rights::kFdWrite), Errno::kPerm)
        << path;
  }
  // Following a final link that points outside.
  EXPECT_EQ(Open("to_secret", 0, kLookupSymlinkFollow), Errno::kPerm);
  EXPECT_EQ(Open("to_etc", oflags::kDirectory, kLookupSymlinkFollow), Errno::kPerm);
  EXPECT_EQ(Open("to_outside", oflags::kDirectory, kLookupSymlinkFollow), Errno::kPerm);
  // Without following, the link itself is refused as a link (it is never opened through).
  EXPECT_EQ(Open("to_secret"), Errno::kLoop);
  ExpectOutsideUntouched();
}

TEST_P(WasiSandboxTest, InsideLinksAndDotDotWork) {
  uint32_t fd = 0;
  ASSERT_TRUE(Open("to_dir/file", 0, 0, rights::kFdRead, &fd).ok());
  std::string got;
  ASSERT_TRUE(g_->Read(fd, 100, &got).ok());
  EXPECT_EQ(got, "inside");
  EXPECT_TRUE(Open("dir/../dir/file").ok());
  EXPECT_TRUE(Open("to_dir/../dir/file").ok());
  EXPECT_TRUE(Open(".", oflags::kDirectory).ok());
  EXPECT_TRUE(Open("dir/..", oflags::kDirectory).ok());
}

TEST_P(WasiSandboxTest, PlantedSymlinksAreContainedToo) {
  // The guest may create links pointing anywhere relative (not absolute)...
  EXPECT_TRUE(g_->Symlink("../secret", kPreopenFd, "mine").ok());
  EXPECT_TRUE(g_->Symlink("../../../../../../..", kPreopenFd, "up").ok());
  EXPECT_TRUE(g_->Symlink("dir/../..", kPreopenFd, "sneaky").ok());
  EXPECT_EQ(g_->Symlink("/etc/passwd", kPreopenFd, "abs"), Errno::kPerm);
  // ... but following them never leaves.
  EXPECT_EQ(Open("mine", 0, kLookupSymlinkFollow), Errno::kPerm);
  EXPECT_EQ(Open("up/etc/passwd"), Errno::kPerm);
  EXPECT_EQ(Open("sneaky/secret"), Errno::kPerm);
  EXPECT_EQ(Open("mine", oflags::kCreat | oflags::kTrunc, kLookupSymlinkFollow, rights::kFdWrite),
            Errno::kPerm);
  // A link planted inside a directory, pointing to its parent's parent.
  EXPECT_TRUE(g_->Symlink("../..", kPreopenFd, "dir/trap").ok());
  EXPECT_EQ(Open("dir/trap/secret"), Errno::kPerm);
  EXPECT_EQ(g_->Stat(kPreopenFd, "dir/trap/secret", kLookupSymlinkFollow), Errno::kPerm);
  // Swapping a directory for a link between two calls changes nothing.
  uint32_t fd = 0;
  ASSERT_TRUE(g_->PathOp("path_create_directory", kPreopenFd, "swap").ok());
  ASSERT_TRUE(Open("swap", oflags::kDirectory, 0, rights::kDirBase, &fd).ok());
  ASSERT_TRUE(g_->PathOp("path_remove_directory", kPreopenFd, "swap").ok());
  ASSERT_TRUE(g_->Symlink("..", kPreopenFd, "swap").ok());
  EXPECT_EQ(g_->Open(kPreopenFd, "swap/secret", 0, rights::kFdRead), Errno::kPerm);
  // The descriptor of the removed directory cannot climb either.
  EXPECT_EQ(g_->Open(fd, "../secret", 0, rights::kFdRead), Errno::kPerm);
  ExpectOutsideUntouched();
}

TEST_P(WasiSandboxTest, EveryPathOperationIsContained) {
  auto two = [&](const char* fn, std::string_view a, std::string_view b) {
    uint32_t la = g_->Str(Guest::kPathArea, a);
    uint32_t lb = g_->Str(Guest::kPath2Area, b);
    return g_->Call(fn, {kPreopenFd, Guest::kPathArea, la, kPreopenFd, Guest::kPath2Area, lb});
  };
  for (const char* path : {"../secret", "to_outside/secret", "/secret", "to_etc/x"}) {
    EXPECT_EQ(g_->PathOp("path_create_directory", kPreopenFd, path), Errno::kPerm) << path;
    EXPECT_EQ(g_->PathOp("path_remove_directory", kPreopenFd, path), Errno::kPerm) << path;
    EXPECT_EQ(g_->PathOp("path_unlink_file", kPreopenFd, path), Errno::kPerm) << path;
    EXPECT_EQ(g_->Stat(kPreopenFd, path), Errno::kPerm) << path;
    EXPECT_EQ(g_->Stat(kPreopenFd, path, kLookupSymlinkFollow), Errno::kPerm) << path;
    EXPECT_EQ(two("path_rename", path, "stolen"), Errno::kPerm) << path;
    EXPECT_EQ(two("path_rename", "dir/file", path), Errno::kPerm) << path;
    EXPECT_EQ(g_->Symlink("dir", kPreopenFd, path), Errno::kPerm) << path;
    uint32_t la = g_->Str(Guest::kPathArea, path);
    uint32_t lb = g_->Str(Guest::kPath2Area, "hard");
    EXPECT_EQ(g_->Call("path_link",
                       {kPreopenFd, 0, Guest::kPathArea, la, kPreopenFd, Guest::kPath2Area, lb}),
              Errno::kPerm)
        << path;
    EXPECT_EQ(g_->Call("path_readlink", {kPreopenFd, Guest::kPathArea, la, 0x5000, 100, 0x3300}),
              Errno::kPerm)
        << path;
    EXPECT_EQ(g_->Call("path_filestat_set_times",
                       {kPreopenFd, 0, Guest::kPathArea, la, 0, 0, fstflags::kMtimNow}),
              Errno::kPerm)
        << path;
  }
  // Following a final link to outside, for stat and set_times.
  EXPECT_EQ(g_->Stat(kPreopenFd, "to_secret", kLookupSymlinkFollow), Errno::kPerm);
  uint32_t la = g_->Str(Guest::kPathArea, "to_secret");
  EXPECT_EQ(g_->Call("path_filestat_set_times", {kPreopenFd, kLookupSymlinkFollow, Guest::kPathArea,
                                                 la, 0, 0, fstflags::kMtimNow}),
            Errno::kPerm);
  uint32_t lb = g_->Str(Guest::kPath2Area, "hard");
  EXPECT_EQ(g_->Call("path_link", {kPreopenFd, kLookupSymlinkFollow, Guest::kPathArea, la,
                                   kPreopenFd, Guest::kPath2Area, lb}),
            Errno::kPerm);
  // Operations on the links themselves are fine (they act inside).
  Filetype t;
  ASSERT_TRUE(g_->Stat(kPreopenFd, "to_etc", 0, &t).ok());
  EXPECT_EQ(t, Filetype::kSymbolicLink);
  EXPECT_TRUE(g_->PathOp("path_unlink_file", kPreopenFd, "to_secret").ok());
  ExpectOutsideUntouched();
}

TEST_P(WasiSandboxTest, ReaddirShowsOnlyTheInside) {
  // ".." of the preopen reports the preopen itself, not the host's parent.
  struct stat self;
  ASSERT_EQ(::stat((outside_ / "sandbox").c_str(), &self), 0);
  ASSERT_TRUE(g_->Call("fd_readdir", {kPreopenFd, 0x5000, 4096, 0, 0x3300}).ok());
  uint32_t used = g_->U32(0x3300);
  uint32_t at = 0;
  int seen = 0;
  while (at + 24 <= used) {
    uint64_t ino = g_->U64(0x5000 + at + 8);
    uint32_t namlen = g_->U32(0x5000 + at + 16);
    std::string name = g_->Get(0x5000 + at + 24, namlen);
    if (name == "..") {
      EXPECT_EQ(ino, self.st_ino);
    }
    EXPECT_NE(name, "secret");
    at += 24 + namlen;
    ++seen;
  }
  EXPECT_EQ(seen, 2 + 5);  // ., .., dir, to_secret, to_outside, to_etc, to_dir
}

TEST(WasiSandboxWalkTest, ResolveKeepsTheChain) {
  TempDir d;
  d.Mkdir("a");
  d.Mkdir("a/b");
  int base = ::open(d.path().c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(base, 0);
  ResolvedPath r;
  ASSERT_EQ(ResolvePath(base, "a/b/c", FinalLookup::kParent, &r), Errno::kSuccess);
  EXPECT_EQ(r.name, "c");
  EXPECT_NE(r.dir_fd, base);
  ASSERT_EQ(ResolvePath(base, "a/b/..", FinalLookup::kNoFollow, &r), Errno::kSuccess);
  EXPECT_EQ(r.name, ".");
  ASSERT_EQ(ResolvePath(base, "a/b/", FinalLookup::kParent, &r), Errno::kSuccess);
  EXPECT_EQ(r.name, "b/");
  ASSERT_EQ(ResolvePath(base, "a/b/", FinalLookup::kNoFollow, &r), Errno::kSuccess);
  EXPECT_EQ(r.name, ".");
  ASSERT_EQ(ResolvePath(base, "x", FinalLookup::kNoFollow, &r), Errno::kSuccess);
  EXPECT_EQ(r.dir_fd, base);
  EXPECT_EQ(ResolvePath(base, "a/..", FinalLookup::kParent, &r), Errno::kSuccess);
  EXPECT_EQ(ResolvePath(base, "a/../..", FinalLookup::kParent, &r), Errno::kPerm);
  EXPECT_EQ(ResolvePath(base, "/a", FinalLookup::kParent, &r), Errno::kPerm);
  ::close(base);
}

}  // namespace
}  // namespace wt::wasi
