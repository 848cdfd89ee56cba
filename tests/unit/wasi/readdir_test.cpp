// fd_readdir: ".", "..", entries with their types and inodes, cookies that stay valid across
// calls (also while the guest deletes what it has read), entries cut by a small buffer.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <map>
#include <set>

#include "wasi_test_util.h"

namespace wt::wasi {
namespace {

using testing::Guest;
using testing::kPreopenFd;
using testing::TempDir;

struct Entry {
  uint64_t next;
  uint64_t ino;
  Filetype type;
  std::string name;
};

// Parses the dirents in a readdir buffer (complete ones only).
std::vector<Entry> Parse(Guest& g, uint32_t buf, uint32_t used) {
  std::vector<Entry> out;
  uint32_t at = 0;
  while (at + 24 <= used) {
    Entry e;
    e.next = g.U64(buf + at);
    e.ino = g.U64(buf + at + 8);
    uint32_t namlen = g.U32(buf + at + 16);
    e.type = static_cast<Filetype>(g.mem()[buf + at + 20]);
    if (at + 24 + namlen > used) break;
    e.name = g.Get(buf + at + 24, namlen);
    out.push_back(e);
    at += 24 + namlen;
  }
  return out;
}

class WasiReaddirTest : public ::testing::Test {
 protected:
  WasiReaddirTest() : g_(testing::PreopenConfig(dir_)) {}

  // One fd_readdir call; `full` = the buffer was filled.
  std::vector<Entry> Read(uint32_t fd, uint64_t cookie, uint32_t buf_len, bool* full = nullptr) {
    EXPECT_TRUE(g_.Call("fd_readdir", {fd, 0x5000, buf_len, cookie, 0x3300}).ok());
    uint32_t used = g_.U32(0x3300);
    EXPECT_LE(used, buf_len);
    if (full != nullptr) *full = used == buf_len;
    return Parse(g_, 0x5000, used);
  }
  // Every entry, reading with a buffer of `buf_len`.
  std::vector<Entry> ReadAll(uint32_t fd, uint32_t buf_len) {
    std::vector<Entry> all;
    uint64_t cookie = 0;
    for (int guard = 0; guard < 300; ++guard) {
      bool full = false;
      auto part = Read(fd, cookie, buf_len, &full);
      all.insert(all.end(), part.begin(), part.end());
      if (!full) break;
      if (!part.empty()) cookie = part.back().next;
    }
    return all;
  }

  TempDir dir_;
  Guest g_;
};

TEST_F(WasiReaddirTest, EmptyDirectoryHasDotAndDotDot) {
  struct stat st;
  ASSERT_EQ(::stat(dir_.path().c_str(), &st), 0);
  auto e = Read(kPreopenFd, 0, 256);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].name, ".");
  EXPECT_EQ(e[0].type, Filetype::kDirectory);
  EXPECT_EQ(e[0].ino, st.st_ino);
  EXPECT_EQ(e[0].next, 1u);
  EXPECT_EQ(e[1].name, "..");
  EXPECT_EQ(e[1].next, 2u);
  // Starting past the end: nothing.
  EXPECT_TRUE(Read(kPreopenFd, 2, 256).empty());
  EXPECT_TRUE(Read(kPreopenFd, 1000, 256).empty());
}

TEST_F(WasiReaddirTest, TypesAndInodes) {
  dir_.WriteFile("file", "x");
  dir_.Mkdir("sub");
  ASSERT_EQ(::symlink("file", (dir_ / "link").c_str()), 0);
  std::map<std::string, Entry> by_name;
  for (const Entry& e : Read(kPreopenFd, 0, 1024)) by_name[e.name] = e;
  ASSERT_EQ(by_name.size(), 5u);
  EXPECT_EQ(by_name["file"].type, Filetype::kRegularFile);
  EXPECT_EQ(by_name["sub"].type, Filetype::kDirectory);
  EXPECT_EQ(by_name["link"].type, Filetype::kSymbolicLink);
  struct stat st;
  ASSERT_EQ(::lstat((dir_ / "file").c_str(), &st), 0);
  EXPECT_EQ(by_name["file"].ino, st.st_ino);
}

TEST_F(WasiReaddirTest, CookieResumesAfterAnEntry) {
  dir_.WriteFile("file", "x");
  auto e = Read(kPreopenFd, 0, 256);
  ASSERT_EQ(e.size(), 3u);
  auto rest = Read(kPreopenFd, e[1].next, 256);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].name, e[2].name);
}

TEST_F(WasiReaddirTest, ManyEntriesThroughASmallBuffer) {
  const int kN = 100;
  for (int i = 0; i < kN; ++i) dir_.WriteFile(testing::Numbered("file.", i), "");
  for (uint32_t buf_len : {256u, 60u, 24u, 7u}) {
    auto all = ReadAll(kPreopenFd, buf_len);
    std::set<std::string> names;
    for (const Entry& e : all) names.insert(e.name);
    if (buf_len < 24 + 7) {
      // A buffer smaller than an entry: the guest sees a full buffer every time; no complete
      // entry fits, which is what wasi-libc handles by growing its buffer.
      EXPECT_TRUE(all.empty()) << buf_len;
      continue;
    }
    EXPECT_EQ(names.size(), kN + 2u) << buf_len;
    EXPECT_EQ(all.size(), kN + 2u) << buf_len;
  }
}

TEST_F(WasiReaddirTest, TruncatedEntryIsReportedAgain) {
  dir_.WriteFile("a_long_file_name", "");
  // Room for "." and ".." (25 + 26 bytes) and part of the third entry.
  bool full = false;
  auto e = Read(kPreopenFd, 0, 60, &full);
  EXPECT_TRUE(full);
  ASSERT_EQ(e.size(), 2u);
  auto rest = Read(kPreopenFd, e.back().next, 256);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].name, "a_long_file_name");
}

TEST_F(WasiReaddirTest, CookiesStayStableWhileDeleting) {
  const int kN = 50;
  for (int i = 0; i < kN; ++i) dir_.WriteFile(testing::Numbered("f", i), "");
  // Read a batch, delete what was read, continue from the cookie: nothing is skipped.
  std::set<std::string> seen;
  uint64_t cookie = 0;
  for (int guard = 0; guard < 1000; ++guard) {
    bool full = false;
    auto part = Read(kPreopenFd, cookie, 200, &full);
    for (const Entry& e : part) {
      seen.insert(e.name);
      if (e.name != "." && e.name != "..") {
        ASSERT_TRUE(g_.PathOp("path_unlink_file", kPreopenFd, e.name).ok()) << e.name;
      }
    }
    if (!full) break;
    cookie = part.back().next;
  }
  EXPECT_EQ(seen.size(), kN + 2u);
  // A fresh read (cookie 0) sees the directory as it is now.
  EXPECT_EQ(Read(kPreopenFd, 0, 4096).size(), 2u);
}

TEST_F(WasiReaddirTest, NeedsADirectoryWithTheRight) {
  uint32_t fd = 0;
  ASSERT_TRUE(g_.Open(kPreopenFd, "file", oflags::kCreat, rights::kAll, 0, 0, &fd).ok());
  EXPECT_EQ(g_.Call("fd_readdir", {fd, 0x5000, 256, 0, 0x3300}), Errno::kNotDir);
  EXPECT_EQ(g_.Call("fd_readdir", {99, 0x5000, 256, 0, 0x3300}), Errno::kBadf);
  dir_.Mkdir("d");
  ASSERT_TRUE(g_.Open(kPreopenFd, "d", oflags::kDirectory, rights::kPathOpen, 0, 0, &fd).ok());
  EXPECT_EQ(g_.Call("fd_readdir", {fd, 0x5000, 256, 0, 0x3300}), Errno::kNotCapable);
}

}  // namespace
}  // namespace wt::wasi
