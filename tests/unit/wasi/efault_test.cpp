// Issue 13 defect 8: every WASI function given a guest pointer (or pointer + length) outside
// memory 0 returns EFAULT (21) to the guest by default, checked before anything happens on the
// host. One table lists, for every function that takes a pointer, calls with each of its
// pointers out of bounds in turn (past the end, straddling the end, and wrapping past 4 GiB);
// every other function must be in the list of functions without pointers, so a function added
// later without a row here fails the test. Both import modules run the same table.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "wasi_test_util.h"

namespace wt::wasi {
namespace {

using runtime::TrapCode;
using testing::Guest;
using testing::Outcome;
using testing::TempDir;

constexpr uint32_t kEnd = 65536;  // the guest's memory size
constexpr uint32_t kFileFd = 4;   // "f", opened by the fixture
// Guest memory the fixture prepares.
constexpr uint32_t kPathF = 0x1000;    // "f"
constexpr uint32_t kPathNew = 0x1010;  // "new"
constexpr uint32_t kPathL = 0x1020;    // "l" (a symlink to f)
constexpr uint32_t kPathD = 0x1030;    // "d" (a directory)
constexpr uint32_t kIovGood = 0x3000;  // {kBuf, 16}
constexpr uint32_t kIovPast = 0x3010;  // {kEnd - 2, 4}: straddles the end
constexpr uint32_t kIovWrap = 0x3020;  // {0x10, 0xFFFFFFF8}: ptr + len wraps past 2^32
constexpr uint32_t kSubs = 0x3100;     // one 10 s clock subscription (56 bytes for both layouts)
constexpr uint32_t kOut = 0x3400;      // results
constexpr uint32_t kOut2 = 0x3408;
constexpr uint32_t kBuf = 0x4000;  // 0x1000 bytes of buffer
constexpr uint32_t kWrapPtr = 0xFFFFFFF0u;

using Args = std::vector<uint64_t>;
struct Row {
  const char* name;
  std::vector<Args> calls;  // each must return EFAULT
};

// For every function with a pointer parameter: calls with one bad pointer each (the other
// arguments valid, so that the bad pointer is the only reason to fail).
std::vector<Row> Table() {
  const uint64_t E = kEnd;
  return {
      {"args_get", {{E, kBuf}, {kOut, E - 2}, {kOut, kWrapPtr}, {E - 4, kBuf}}},
      {"args_sizes_get", {{E, kOut}, {kOut, E - 2}, {kWrapPtr, kOut}}},
      {"environ_get", {{E, kBuf}, {kOut, E - 2}, {kOut, kWrapPtr}}},
      {"environ_sizes_get", {{E, kOut}, {kOut, E}, {kOut, kWrapPtr}}},
      {"clock_res_get", {{1, E}, {1, E - 4}, {1, kWrapPtr}}},
      {"clock_time_get", {{1, 0, E}, {0, 0, E - 4}, {1, 0, kWrapPtr}}},
      {"fd_fdstat_get", {{0, E}, {0, E - 16}, {kFileFd, kWrapPtr}}},
      {"fd_filestat_get", {{kFileFd, E}, {kFileFd, E - 32}, {3, kWrapPtr}}},
      {"fd_pread",
       {{kFileFd, E, 1, 0, kOut},
        {kFileFd, kIovPast, 1, 0, kOut},
        {kFileFd, kIovWrap, 1, 0, kOut},
        {kFileFd, kIovGood, 0x20000000u, 0, kOut},  // the array's size wraps past 2^32
        {kFileFd, kIovGood, 1, 0, E}}},
      {"fd_pwrite",
       {{kFileFd, E - 4, 1, 0, kOut},
        {kFileFd, kIovPast, 1, 0, kOut},
        {kFileFd, kIovWrap, 1, 0, kOut},
        {kFileFd, kIovGood, 1, 0, E - 2}}},
      {"fd_prestat_get", {{3, E}, {3, E - 4}, {3, kWrapPtr}}},
      {"fd_prestat_dir_name", {{3, E, 1}, {3, kWrapPtr, 0x20}, {3, E - 1, 2}}},
      {"fd_read",
       {{0, E, 1, kOut},
        {0, kIovPast, 1, kOut},
        {0, kIovWrap, 1, kOut},
        {0, kIovGood, 1, E},
        {0, kIovGood, 2, kWrapPtr}}},
      {"fd_readdir",
       {{3, E, 64, 0, kOut},
        {3, E - 32, 64, 0, kOut},
        {3, kWrapPtr, 0x20, 0, kOut},
        {3, kBuf, 64, 0, E}}},
      {"fd_seek", {{kFileFd, 5, 0, E}, {kFileFd, 5, 0, E - 4}, {kFileFd, 5, 0, kWrapPtr}}},
      {"fd_tell", {{kFileFd, E}, {kFileFd, kWrapPtr}}},
      {"fd_write",
       {{1, E, 1, kOut},
        {1, kIovPast, 1, kOut},
        {1, kIovWrap, 1, kOut},
        {1, kIovGood, 1, E},
        {1, kIovGood, 1, kWrapPtr}}},
      {"path_create_directory", {{3, E, 1}, {3, E - 1, 2}, {3, kPathNew, 0xFFFFFFFFu}}},
      {"path_filestat_get",
       {{3, 0, E, 1, kBuf},
        {3, 0, kPathF, 1, E},
        {3, 0, kPathF, 1, kWrapPtr},
        {3, 0, kPathNew, 3, E}}},  // a path that does not exist: the pointer is checked first
      {"path_filestat_set_times", {{3, 0, E, 1, 0, 0, 0}, {3, 0, kPathF, 0xFFFFFFF0u, 0, 0, 0}}},
      {"path_link",
       {{3, 0, E, 1, 3, kPathNew, 3},
        {3, 0, kPathF, 1, 3, E - 1, 3},
        {3, 0, kPathF, 1, 3, kPathNew, 0xFFFFFFFFu}}},
      {"path_open",
       {{3, 0, E, 1, 1, rights::kAll, rights::kAll, 0, kOut},
        {3, 0, kWrapPtr, 0x20, 1, rights::kAll, rights::kAll, 0, kOut},
        {3, 0, kPathNew, 3, 1, rights::kAll, rights::kAll, 0, E},  // O_CREAT: nothing created
        {3, 0, kPathNew, 3, 1, rights::kAll, rights::kAll, 0, kWrapPtr}}},
      {"path_readlink",
       {{3, E, 1, kBuf, 64, kOut},
        {3, kPathL, 1, E - 8, 64, kOut},
        {3, kPathL, 1, kWrapPtr, 0x20, kOut},
        {3, kPathL, 1, kBuf, 64, E},
        {3, kPathNew, 3, kBuf, 64, E}}},
      {"path_remove_directory", {{3, E, 1}, {3, kPathD, 0xFFFFFFFFu}}},
      {"path_rename",
       {{3, E, 1, 3, kPathNew, 3},
        {3, kPathF, 1, 3, E, 3},
        {3, kPathF, 1, 3, kPathNew, 0xFFFFFFF0u}}},
      {"path_symlink",
       {{E, 1, 3, kPathNew, 3}, {kPathF, 1, 3, E - 2, 3}, {kPathF, 1, 3, kWrapPtr, 0x20}}},
      {"path_unlink_file", {{3, E, 1}, {3, kPathF, 0xFFFFFFFFu}}},
      {"poll_oneoff",
       {{E - 8, kBuf, 1, kOut},
        {kSubs, E - 8, 1, kOut},
        {kSubs, kBuf, 1, E},
        {kSubs, kBuf, 0x10000000u, kOut},  // 2^28 subscriptions: far past the end
        {kSubs, kBuf, 1, kWrapPtr}}},
      {"random_get", {{E - 4, 8}, {0x10, 0xFFFFFFF8u}, {E + 1, 0}, {kWrapPtr, 0x20}}},
      {"sock_accept", {{2, 0, E}, {2, 0, kWrapPtr}}},
      {"sock_recv",
       {{0, E, 1, 0, kOut, kOut2},
        {0, kIovPast, 1, 0, kOut, kOut2},
        {0, kIovWrap, 1, 0, kOut, kOut2},
        {0, kIovGood, 1, 0, E, kOut2},
        {0, kIovGood, 1, 0, kOut, E - 1}}},
      {"sock_send",
       {{1, E, 1, 0, kOut},
        {1, kIovPast, 1, 0, kOut},
        {1, kIovWrap, 1, 0, kOut},
        {1, kIovGood, 1, 0, E}}},
  };
}

// Functions without any pointer parameter.
const std::set<std::string> kNoPointers = {"fd_advise",
                                           "fd_allocate",
                                           "fd_close",
                                           "fd_datasync",
                                           "fd_fdstat_set_flags",
                                           "fd_fdstat_set_rights",
                                           "fd_filestat_set_size",
                                           "fd_filestat_set_times",
                                           "fd_renumber",
                                           "fd_sync",
                                           "proc_exit",
                                           "proc_raise",
                                           "sched_yield",
                                           "sock_shutdown"};

// A guest whose stdin/stdout are sockets (peers kept here), stderr a listening socket, with a
// preopened directory holding f ("0123456789"), d/ and l -> f, and f open as fd 4.
class EfaultFixture {
 public:
  explicit EfaultFixture(BadPointerPolicy policy) {
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, in_), 0);
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, out_), 0);
    listener_ = ::socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un addr = {};
    addr.sun_family = AF_UNIX;  // an unnamed address: autobind in the abstract namespace
    EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof(sa_family_t)), 0);
    EXPECT_EQ(::listen(listener_, 1), 0);
    EXPECT_EQ(::write(in_[1], "hello", 5), 5);
    dir_.WriteFile("f", "0123456789");
    dir_.Mkdir("d");
    EXPECT_EQ(::symlink("f", (dir_ / "l").c_str()), 0);
    WasiConfig c = testing::PreopenConfig(dir_);
    c.args = {"prog", "arg"};
    c.env = {{"A", "B"}};
    c.stdin_fd = in_[0];
    c.stdout_fd = out_[0];
    c.stderr_fd = listener_;
    c.bad_pointers = policy;
    guest_ = std::make_unique<Guest>(c, kEnd);
    Guest& g = *guest_;
    uint32_t fd = 0;
    EXPECT_TRUE(g.Open(3, "f", 0, rights::kAll, 0, 0, &fd).ok());
    EXPECT_EQ(fd, kFileFd);
    g.Str(kPathF, "f");
    g.Str(kPathNew, "new");
    g.Str(kPathL, "l");
    g.Str(kPathD, "d");
    g.Put(kEnd - 1, "n");  // a path straddling the end starts with a real byte
    g.Put(kBuf, "ABCDEFGHIJKLMNOP");
    g.PutT<uint32_t>(kIovGood, kBuf);
    g.PutT<uint32_t>(kIovGood + 4, 16);
    g.PutT<uint32_t>(kIovPast, kEnd - 2);
    g.PutT<uint32_t>(kIovPast + 4, 4);
    g.PutT<uint32_t>(kIovWrap, 0x10);
    g.PutT<uint32_t>(kIovWrap + 4, 0xFFFFFFF8u);
    // A 10 s relative monotonic clock (the same bytes suit both subscription layouts: the
    // timeout is at 24 in both, the id at 16 or 20): a call must fail, never wait.
    g.PutT<uint64_t>(kSubs, 7);
    g.PutT<uint32_t>(kSubs + 16, 1);
    g.PutT<uint32_t>(kSubs + 20, 1);
    g.PutT<uint64_t>(kSubs + 24, 10'000'000'000ull);
  }
  ~EfaultFixture() {
    guest_.reset();
    for (int fd : {in_[0], in_[1], out_[0], out_[1], listener_}) ::close(fd);
  }
  Guest& guest() { return *guest_; }

  // Nothing changed on the host: the directory holds exactly what it held, f is unchanged,
  // stdin's data is still unread, nothing was written to stdout, no connection accepted.
  void ExpectHostUnchanged() {
    std::set<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir_.path())) {
      names.insert(e.path().filename().string());
    }
    EXPECT_EQ(names, (std::set<std::string>{"d", "f", "l"}));
    EXPECT_EQ(dir_.ReadFile("f"), "0123456789");
    EXPECT_EQ(::lseek(guest().ctx().fds().Get(kFileFd)->host_fd, 0, SEEK_CUR), 0);
    char buf[16];
    EXPECT_EQ(::recv(in_[0], buf, sizeof(buf), MSG_DONTWAIT | MSG_PEEK), 5);
    EXPECT_EQ(::recv(out_[1], buf, sizeof(buf), MSG_DONTWAIT), -1);
  }

 private:
  TempDir dir_;
  int in_[2] = {-1, -1};
  int out_[2] = {-1, -1};
  int listener_ = -1;
  std::unique_ptr<Guest> guest_;
};

std::string Describe(std::string_view module, const char* name, const Args& a) {
  std::string s = std::string(module) + "::" + name + "(";
  for (size_t i = 0; i < a.size(); ++i) s += (i ? ", " : "") + std::to_string(a[i]);
  return s + ")";
}

TEST(WasiEfaultTest, EveryFunctionWithAPointerIsInTheTable) {
  std::set<std::string> covered = kNoPointers;
  for (const Row& r : Table()) {
    EXPECT_EQ(covered.count(r.name), 0u) << r.name << " listed twice";
    covered.insert(r.name);
  }
  for (const WasiFunction& f : WasiFunctions()) {
    EXPECT_EQ(covered.count(std::string(f.name)), 1u) << f.name << " has no row";
  }
}

TEST(WasiEfaultTest, EveryBadPointerIsEfaultByDefault) {
  EXPECT_EQ(WasiConfig{}.bad_pointers, BadPointerPolicy::kErrno);
  for (std::string_view module : {kPreview1Module, kUnstableModule}) {
    EfaultFixture fx(WasiConfig{}.bad_pointers);
    Guest& g = fx.guest();
    size_t calls = 0;
    for (const Row& r : Table()) {
      const WasiFunction* f = FindWasiFunction(module, r.name);
      if (f == nullptr) continue;  // sock_accept is preview 1 only
      for (const Args& a : r.calls) {
        ASSERT_EQ(a.size(), f->type.params.size()) << Describe(module, r.name, a);
        Outcome o = g.CallArgs(module, r.name, a);
        EXPECT_EQ(o, Errno::kFault) << Describe(module, r.name, a) << ": " << o;
        ++calls;
      }
    }
    EXPECT_GT(calls, 90u);
    fx.ExpectHostUnchanged();
    // The same descriptors and arguments with good pointers do work.
    EXPECT_TRUE(g.CallIn(module, "fd_pread", {kFileFd, kIovGood, 1, 0, kOut}).ok());
    EXPECT_EQ(g.U32(kOut), 10u);
    EXPECT_TRUE(g.CallIn(module, "path_filestat_get", {3, 0, kPathF, 1, kBuf}).ok());
  }
}

TEST(WasiEfaultTest, TrapPolicyTrapsForEveryBadPointer) {
  EfaultFixture fx(BadPointerPolicy::kTrap);
  Guest& g = fx.guest();
  for (const Row& r : Table()) {
    for (const Args& a : r.calls) {
      const WasiFunction* f = FindWasiFunction(kPreview1Module, r.name);
      ASSERT_NE(f, nullptr);
      Outcome o = g.CallArgs(kPreview1Module, r.name, a);
      EXPECT_TRUE(o.trapped && o.trap == TrapCode::kMemoryOutOfBounds)
          << Describe(kPreview1Module, r.name, a) << ": " << o;
    }
  }
  fx.ExpectHostUnchanged();
}

}  // namespace
}  // namespace wt::wasi
