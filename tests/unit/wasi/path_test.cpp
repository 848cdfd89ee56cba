// path_* functions: open flags, directories, links, renames, stat, trailing slashes.
#include <gtest/gtest.h>

#include "wasi/sandbox.h"
#include "wasi_test_util.h"

namespace wt::wasi {
namespace {

using testing::Guest;
using testing::kPreopenFd;
using testing::TempDir;

// Runs each test twice: with the openat2 fast path and with the component walk only.
class WasiPathTest : public ::testing::TestWithParam<bool> {
 protected:
  WasiPathTest() : g_(testing::PreopenConfig(dir_)) { SetOpenat2Enabled(GetParam()); }
  ~WasiPathTest() override { SetOpenat2Enabled(true); }

  testing::Outcome Open(std::string_view path, uint32_t oflags = 0, uint64_t base = rights::kAll,
                        uint32_t lookup = 0, uint32_t* fd = nullptr) {
    return g_.Open(kPreopenFd, path, oflags, base, 0, lookup, fd);
  }

  TempDir dir_;
  Guest g_;
};

INSTANTIATE_TEST_SUITE_P(Openat2, WasiPathTest, ::testing::Bool());

TEST_P(WasiPathTest, OpenFlags) {
  EXPECT_EQ(Open("file"), Errno::kNoEnt);
  uint32_t fd = 0;
  ASSERT_TRUE(Open("file", oflags::kCreat, rights::kAll, 0, &fd).ok());
  EXPECT_TRUE(dir_.Exists("file"));
  ASSERT_TRUE(g_.Write(fd, "content").ok());
  EXPECT_EQ(Open("file", oflags::kCreat | oflags::kExcl), Errno::kExist);
  ASSERT_TRUE(Open("file", oflags::kTrunc).ok());
  EXPECT_EQ(dir_.ReadFile("file"), "");
  EXPECT_EQ(Open("file", oflags::kDirectory), Errno::kNotDir);
  EXPECT_EQ(Open("file", 0x10), Errno::kInval);
  EXPECT_EQ(g_.Open(kPreopenFd, "file", 0, rights::kAll, 0x20), Errno::kInval);
  EXPECT_EQ(Open("file", 0, rights::kAll, 2), Errno::kInval);
  // A file descriptor is not a directory.
  EXPECT_EQ(g_.Open(fd, "x", oflags::kCreat), Errno::kNotDir);
  EXPECT_EQ(g_.Open(99, "x", oflags::kCreat), Errno::kBadf);
}

TEST_P(WasiPathTest, OpenDirectories) {
  dir_.Mkdir("d");
  uint32_t fd = 0;
  ASSERT_TRUE(Open("d", oflags::kDirectory, rights::kDirBase, 0, &fd).ok());
  ASSERT_TRUE(g_.Call("fd_fdstat_get", {fd, 0x3300}).ok());
  EXPECT_EQ(g_.mem()[0x3300], static_cast<uint8_t>(Filetype::kDirectory));
  // Without O_DIRECTORY, read only: fine. Asking to write a directory: EISDIR.
  EXPECT_TRUE(Open("d", 0, rights::kFdRead).ok());
  EXPECT_EQ(Open("d", oflags::kDirectory, rights::kFdRead | rights::kFdWrite), Errno::kIsDir);
  EXPECT_TRUE(Open(".", oflags::kDirectory, 0).ok());
  EXPECT_TRUE(Open("d/", 0, 0).ok());
  EXPECT_TRUE(Open("d///", 0, 0).ok());
  // Relative to the new directory descriptor.
  ASSERT_TRUE(g_.Open(fd, "inner", oflags::kCreat).ok());
  EXPECT_TRUE(dir_.Exists("d/inner"));
}

TEST_P(WasiPathTest, InterestingPaths) {
  dir_.Mkdir("dir");
  dir_.Mkdir("dir/nested");
  dir_.WriteFile("dir/nested/file", "x");
  EXPECT_TRUE(Open("dir/.//nested/../../dir/nested/../nested///./file").ok());
  EXPECT_EQ(Open("dir/nested/file/"), Errno::kNotDir);
  EXPECT_EQ(Open("dir/nested/file///"), Errno::kNotDir);
  EXPECT_EQ(Open(std::string_view("dir/nested/file\0", 16)), Errno::kInval);
  EXPECT_EQ(Open(""), Errno::kNoEnt);
  EXPECT_EQ(Open(std::string(5000, 'a')), Errno::kNameTooLong);
  EXPECT_EQ(Open("dir/nope/file"), Errno::kNoEnt);
  EXPECT_EQ(Open("dir/nested/file/x"), Errno::kNotDir);
}

TEST_P(WasiPathTest, CreateRemoveUnlink) {
  EXPECT_TRUE(g_.PathOp("path_create_directory", kPreopenFd, "d").ok());
  EXPECT_EQ(g_.PathOp("path_create_directory", kPreopenFd, "d"), Errno::kExist);
  EXPECT_TRUE(g_.PathOp("path_create_directory", kPreopenFd, "d/e/").ok());
  EXPECT_EQ(g_.PathOp("path_remove_directory", kPreopenFd, "d"), Errno::kNotEmpty);
  EXPECT_TRUE(g_.PathOp("path_remove_directory", kPreopenFd, "d/e/").ok());
  dir_.WriteFile("d/f", "x");
  EXPECT_EQ(g_.PathOp("path_remove_directory", kPreopenFd, "d/f"), Errno::kNotDir);
  EXPECT_EQ(g_.PathOp("path_remove_directory", kPreopenFd, "d/f/"), Errno::kNotDir);
  EXPECT_EQ(g_.PathOp("path_unlink_file", kPreopenFd, "d"), Errno::kIsDir);
  EXPECT_EQ(g_.PathOp("path_unlink_file", kPreopenFd, "d/"), Errno::kIsDir);
  EXPECT_EQ(g_.PathOp("path_unlink_file", kPreopenFd, "d/f/"), Errno::kNotDir);
  EXPECT_TRUE(g_.PathOp("path_unlink_file", kPreopenFd, "d/f").ok());
  EXPECT_EQ(g_.PathOp("path_unlink_file", kPreopenFd, "d/f"), Errno::kNoEnt);
  EXPECT_TRUE(g_.PathOp("path_remove_directory", kPreopenFd, "d").ok());
  EXPECT_FALSE(dir_.Exists("d"));
}

TEST_P(WasiPathTest, Rename) {
  auto rename = [&](std::string_view from, std::string_view to) {
    uint32_t l1 = g_.Str(Guest::kPathArea, from);
    uint32_t l2 = g_.Str(Guest::kPath2Area, to);
    return g_.Call("path_rename",
                   {kPreopenFd, Guest::kPathArea, l1, kPreopenFd, Guest::kPath2Area, l2});
  };
  dir_.Mkdir("source");
  EXPECT_TRUE(rename("source/", "target").ok());
  EXPECT_TRUE(rename("target", "source/").ok());
  EXPECT_TRUE(rename("source/", "target/").ok());
  dir_.Mkdir("other");
  dir_.WriteFile("other/file", "x");
  EXPECT_EQ(rename("target", "other"), Errno::kNotEmpty);
  EXPECT_EQ(rename("target", "other/file"), Errno::kNotDir);
  EXPECT_EQ(rename("other/file", "target"), Errno::kIsDir);
  dir_.WriteFile("a", "A");
  dir_.WriteFile("b", "B");
  EXPECT_TRUE(rename("a", "b").ok());
  EXPECT_EQ(dir_.ReadFile("b"), "A");
  EXPECT_EQ(rename("a", "c"), Errno::kNoEnt);
  EXPECT_EQ(rename("b/", "c"), Errno::kNotDir);
}

TEST_P(WasiPathTest, HardLinks) {
  auto link = [&](uint32_t flags, std::string_view from, std::string_view to) {
    uint32_t l1 = g_.Str(Guest::kPathArea, from);
    uint32_t l2 = g_.Str(Guest::kPath2Area, to);
    return g_.Call("path_link",
                   {kPreopenFd, flags, Guest::kPathArea, l1, kPreopenFd, Guest::kPath2Area, l2});
  };
  dir_.WriteFile("file", "data");
  EXPECT_TRUE(link(0, "file", "link").ok());
  EXPECT_EQ(dir_.ReadFile("link"), "data");
  EXPECT_EQ(link(0, "file", "link"), Errno::kExist);
  EXPECT_EQ(link(0, "file", "file"), Errno::kExist);
  dir_.Mkdir("sub");
  EXPECT_EQ(link(0, "sub", "sublink"), Errno::kPerm);
  EXPECT_EQ(link(0, "file", "nolink/"), Errno::kNoEnt);
  // A link to a dangling symlink links the symlink itself; following it fails.
  ASSERT_TRUE(g_.Symlink("target", kPreopenFd, "dangling").ok());
  EXPECT_TRUE(link(0, "dangling", "link2").ok());
  EXPECT_EQ(link(kLookupSymlinkFollow, "dangling", "link3"), Errno::kNoEnt);
}

TEST_P(WasiPathTest, SymlinksReadlinkAndStat) {
  dir_.WriteFile("target", "x");
  ASSERT_TRUE(g_.Symlink("target", kPreopenFd, "symlink").ok());
  EXPECT_EQ(g_.Symlink("target", kPreopenFd, "symlink"), Errno::kExist);
  EXPECT_EQ(g_.Symlink("target", kPreopenFd, "target/"), Errno::kExist);
  EXPECT_EQ(g_.Symlink("source", kPreopenFd, "nothing/"), Errno::kNoEnt);
  EXPECT_EQ(g_.Symlink("/", kPreopenFd, "abs"), Errno::kPerm);
  EXPECT_EQ(g_.Symlink("", kPreopenFd, "empty"), Errno::kNoEnt);

  uint32_t len = g_.Str(Guest::kPathArea, "symlink");
  g_.Put(0x5000, std::string(10, '\0'));
  ASSERT_TRUE(
      g_.Call("path_readlink", {kPreopenFd, Guest::kPathArea, len, 0x5000, 10, 0x3300}).ok());
  EXPECT_EQ(g_.U32(0x3300), 6u);
  EXPECT_EQ(g_.Get(0x5000, 10), std::string("target\0\0\0\0", 10));
  ASSERT_TRUE(
      g_.Call("path_readlink", {kPreopenFd, Guest::kPathArea, len, 0x5100, 4, 0x3300}).ok());
  EXPECT_EQ(g_.U32(0x3300), 4u);
  EXPECT_EQ(g_.Get(0x5100, 4), "targ");
  len = g_.Str(Guest::kPathArea, "target");
  EXPECT_EQ(g_.Call("path_readlink", {kPreopenFd, Guest::kPathArea, len, 0x5000, 10, 0x3300}),
            Errno::kInval);

  Filetype type;
  ASSERT_TRUE(g_.Stat(kPreopenFd, "symlink", 0, &type).ok());
  EXPECT_EQ(type, Filetype::kSymbolicLink);
  ASSERT_TRUE(g_.Stat(kPreopenFd, "symlink", kLookupSymlinkFollow, &type).ok());
  EXPECT_EQ(type, Filetype::kRegularFile);
  EXPECT_EQ(g_.U64(Guest::kStatArea + 32), 1u);  // size of target

  // Opening: O_NOFOLLOW refuses, following opens the target.
  EXPECT_EQ(Open("symlink"), Errno::kLoop);
  EXPECT_TRUE(Open("symlink", 0, rights::kAll, kLookupSymlinkFollow).ok());
  EXPECT_EQ(Open("symlink", oflags::kDirectory, rights::kAll, kLookupSymlinkFollow),
            Errno::kNotDir);
  // A link to a directory.
  dir_.Mkdir("dir");
  ASSERT_TRUE(g_.Symlink("dir", kPreopenFd, "dirlink").ok());
  testing::Outcome o = Open("dirlink", oflags::kDirectory);
  EXPECT_TRUE(o == Errno::kLoop || o == Errno::kNotDir) << o;
  EXPECT_TRUE(Open("dirlink", oflags::kDirectory, rights::kDirBase, kLookupSymlinkFollow).ok());
  EXPECT_TRUE(Open("dirlink/", 0, rights::kFdReaddir).ok());  // a trailing slash follows
  // Asking to write a directory is EISDIR; the other write-side rights alone are not.
  EXPECT_EQ(Open("dir", 0, rights::kFdWrite), Errno::kIsDir);
  EXPECT_TRUE(Open("dir", 0, rights::kFdFilestatSetSize | rights::kFdReaddir).ok());
  // Through a link in the middle of a path.
  dir_.WriteFile("dir/inside", "y");
  EXPECT_TRUE(Open("dirlink/inside").ok());
  // Unlinking the link leaves the target.
  EXPECT_TRUE(g_.PathOp("path_unlink_file", kPreopenFd, "dirlink").ok());
  EXPECT_TRUE(dir_.Exists("dir/inside"));
}

TEST_P(WasiPathTest, SymlinkLoopsAndDangling) {
  ASSERT_TRUE(g_.Symlink("loop", kPreopenFd, "loop").ok());
  EXPECT_EQ(Open("loop"), Errno::kLoop);
  EXPECT_EQ(Open("loop", 0, rights::kAll, kLookupSymlinkFollow), Errno::kLoop);
  EXPECT_EQ(Open("loop/x"), Errno::kLoop);
  ASSERT_TRUE(g_.Symlink("b", kPreopenFd, "a").ok());
  ASSERT_TRUE(g_.Symlink("a", kPreopenFd, "b").ok());
  EXPECT_EQ(Open("a/x"), Errno::kLoop);
  ASSERT_TRUE(g_.Symlink("target", kPreopenFd, "dangling").ok());
  testing::Outcome o = Open("dangling", oflags::kDirectory);
  EXPECT_TRUE(o == Errno::kLoop || o == Errno::kNotDir) << o;
  EXPECT_EQ(Open("dangling"), Errno::kLoop);
  EXPECT_EQ(Open("dangling", 0, rights::kAll, kLookupSymlinkFollow), Errno::kNoEnt);
  // Creating through a dangling link (following) creates its target, inside the sandbox.
  EXPECT_TRUE(Open("dangling", oflags::kCreat, rights::kAll, kLookupSymlinkFollow).ok());
  EXPECT_TRUE(dir_.Exists("target"));
  // 40 links deep is fine, 41 is a loop.
  dir_.WriteFile("l0", "end");
  for (int i = 1; i <= 41; ++i) {
    ASSERT_TRUE(
        g_.Symlink(testing::Numbered("l", i - 1), kPreopenFd, testing::Numbered("l", i)).ok());
  }
  EXPECT_TRUE(Open("l40", 0, rights::kAll, kLookupSymlinkFollow).ok());
  EXPECT_EQ(Open("l41", 0, rights::kAll, kLookupSymlinkFollow), Errno::kLoop);
}

TEST_P(WasiPathTest, FilestatSetTimesOnLinkOrTarget) {
  dir_.WriteFile("file", "x");
  ASSERT_TRUE(g_.Symlink("file", kPreopenFd, "symlink").ok());
  ASSERT_TRUE(g_.Stat(kPreopenFd, "file").ok());
  uint64_t file_mtim = g_.U64(Guest::kStatArea + 48);
  auto set_mtim = [&](uint32_t lookup, std::string_view path, uint64_t mtim, uint32_t flags) {
    uint32_t len = g_.Str(Guest::kPathArea, path);
    return g_.Call("path_filestat_set_times",
                   {kPreopenFd, lookup, Guest::kPathArea, len, 0, mtim, flags});
  };
  ASSERT_TRUE(set_mtim(0, "symlink", 1000000000ull, fstflags::kMtim).ok());
  ASSERT_TRUE(g_.Stat(kPreopenFd, "symlink").ok());
  EXPECT_EQ(g_.U64(Guest::kStatArea + 48), 1000000000ull);
  ASSERT_TRUE(g_.Stat(kPreopenFd, "file").ok());
  EXPECT_EQ(g_.U64(Guest::kStatArea + 48), file_mtim);
  ASSERT_TRUE(set_mtim(kLookupSymlinkFollow, "symlink", 2000000000ull, fstflags::kMtim).ok());
  ASSERT_TRUE(g_.Stat(kPreopenFd, "file").ok());
  EXPECT_EQ(g_.U64(Guest::kStatArea + 48), 2000000000ull);
  EXPECT_EQ(set_mtim(0, "file", 0, fstflags::kMtim | fstflags::kMtimNow), Errno::kInval);
}

TEST_P(WasiPathTest, PathRightsAreEnforced) {
  dir_.Mkdir("d");
  uint32_t fd = 0;
  ASSERT_TRUE(Open("d", oflags::kDirectory, rights::kPathOpen, 0, &fd).ok());
  EXPECT_EQ(g_.Open(fd, "f", oflags::kCreat), Errno::kNotCapable);
  EXPECT_EQ(g_.PathOp("path_create_directory", fd, "x"), Errno::kNotCapable);
  EXPECT_EQ(g_.Stat(fd, "."), Errno::kNotCapable);
  dir_.WriteFile("d/f", "data");
  EXPECT_TRUE(g_.Open(fd, "f", 0, 0).ok());
  EXPECT_EQ(g_.Open(fd, "f", oflags::kTrunc, 0), Errno::kNotCapable);
  EXPECT_EQ(dir_.ReadFile("d/f"), "data");
  // Inheriting rights cap what files opened through the directory get.
  ASSERT_TRUE(g_.Call("fd_fdstat_set_rights",
                      {kPreopenFd, rights::kDirBase, rights::kFdRead | rights::kPathOpen})
                  .ok());
  uint32_t f = 0;
  ASSERT_TRUE(g_.Open(kPreopenFd, "d/f", 0, rights::kFdRead | rights::kFdWrite, 0, 0, &f).ok());
  ASSERT_TRUE(g_.Call("fd_fdstat_get", {f, 0x3300}).ok());
  EXPECT_EQ(g_.U64(0x3308), rights::kFdRead);
  EXPECT_EQ(g_.Write(f, "x"), Errno::kNotCapable);
}

}  // namespace
}  // namespace wt::wasi
