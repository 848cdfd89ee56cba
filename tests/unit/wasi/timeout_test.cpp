// Issue 13 defect 2: a store's --timeout bounds the time spent in blocking WASI calls too.
// poll_oneoff, fd_read/fd_write (pipes, FIFOs, sockets), sock_accept/recv/send wait at most
// until the deadline, then the call traps "interrupt" (the JIT's epoch trap). Calls that do not
// wait, and calls made without a timeout, behave as before.
//
// No wall-time bound is asserted: a test whose call would block forever without the fix has a
// watchdog that unblocks it after a minute (closing or draining the other end), so a
// regression fails instead of hanging.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <climits>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "runtime/runtime.h"
#include "runtime/store_options.h"
#include "text/wat.h"
#include "wasi_test_util.h"

namespace wt::wasi {
namespace {

using namespace std::chrono_literals;
using runtime::TrapCode;
using testing::Guest;
using testing::Outcome;

bool Interrupted(const Outcome& o) {
  return o.trapped && o.trap == TrapCode::kInterrupt;
}

// Runs `unblock` after a minute unless destroyed first.
class Watchdog {
 public:
  explicit Watchdog(std::function<void()> unblock)
      : thread_([this, unblock = std::move(unblock)] {
          std::unique_lock<std::mutex> lock(mu_);
          if (!cv_.wait_for(lock, 60s, [this] { return done_; })) unblock();
        }) {}
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

class Pipe {
 public:
  Pipe() { EXPECT_EQ(::pipe2(fds_, O_CLOEXEC), 0); }
  ~Pipe() {
    CloseWriter();
    ::close(fds_[0]);
  }
  int reader() const { return fds_[0]; }
  int writer() const { return fds_[1]; }
  void CloseWriter() {
    if (fds_[1] >= 0) ::close(fds_[1]);
    fds_[1] = -1;
  }
  // Fills the pipe until a write would block (the descriptors stay blocking).
  void Fill() {
    int fl = ::fcntl(fds_[1], F_GETFL);
    ::fcntl(fds_[1], F_SETFL, fl | O_NONBLOCK);
    std::string chunk(4096, 'x');
    while (::write(fds_[1], chunk.data(), chunk.size()) > 0) {
    }
    ::fcntl(fds_[1], F_SETFL, fl);
  }
  // Reads everything in the pipe.
  void Drain() {
    int fl = ::fcntl(fds_[0], F_GETFL);
    ::fcntl(fds_[0], F_SETFL, fl | O_NONBLOCK);
    char buf[4096];
    while (::read(fds_[0], buf, sizeof(buf)) > 0) {
    }
    ::fcntl(fds_[0], F_SETFL, fl);
  }

 private:
  int fds_[2] = {-1, -1};
};

// One relative monotonic clock subscription of `ns` at `at`, for fd `fd` a read subscription.
void ClockSub(Guest& g, uint32_t at, uint64_t ns) {
  g.Put(at, std::string(48, '\0'));
  g.PutT<uint64_t>(at, 1);
  g.PutT<uint32_t>(at + 16, 1);
  g.PutT<uint64_t>(at + 24, ns);
}
void ReadSub(Guest& g, uint32_t at, uint32_t fd) {
  g.Put(at, std::string(48, '\0'));
  g.PutT<uint64_t>(at, 2);
  g.mem()[at + 8] = 1;  // fd_read
  g.PutT<uint32_t>(at + 16, fd);
}

constexpr uint32_t kSubs = 0x1000, kEvents = 0x2000, kN = 0x3000;

TEST(WasiTimeoutTest, PollClockStopsAtTheDeadline) {
  Guest g;
  g.SetTimeout(200ms);
  ClockSub(g, kSubs, 100'000'000'000ull);  // 100 s
  EXPECT_TRUE(Interrupted(g.Call("poll_oneoff", {kSubs, kEvents, 1, kN})));
}

TEST(WasiTimeoutTest, PollOnAPipeWithoutDataStopsAtTheDeadline) {
  Pipe p;
  WasiConfig c;
  c.stdin_fd = p.reader();
  Guest g(c);
  g.SetTimeout(200ms);
  ReadSub(g, kSubs, 0);
  Watchdog w([&] { p.CloseWriter(); });
  EXPECT_TRUE(Interrupted(g.Call("poll_oneoff", {kSubs, kEvents, 1, kN})));
  // The same in wasi_unstable (its subscriptions are 56 bytes).
  g.Put(kSubs, std::string(56, '\0'));
  g.mem()[kSubs + 8] = 1;
  EXPECT_TRUE(Interrupted(g.CallIn(kUnstableModule, "poll_oneoff", {kSubs, kEvents, 1, kN})));
}

TEST(WasiTimeoutTest, PollEndingBeforeTheDeadlineIsUnchanged) {
  Pipe p;
  WasiConfig c;
  c.stdin_fd = p.reader();
  Guest g(c);
  g.SetTimeout(60s);
  ClockSub(g, kSubs, 20'000'000);  // 20 ms
  ReadSub(g, kSubs + 48, 0);
  EXPECT_EQ(g.Call("poll_oneoff", {kSubs, kEvents, 2, kN}), Errno::kSuccess);
  EXPECT_EQ(g.U32(kN), 1u);
  EXPECT_EQ(g.U64(kEvents), 1u);  // the clock's userdata
  ASSERT_EQ(::write(p.writer(), "x", 1), 1);
  EXPECT_EQ(g.Call("poll_oneoff", {kSubs + 48, kEvents, 1, kN}), Errno::kSuccess);
  EXPECT_EQ(g.U64(kEvents), 2u);
}

TEST(WasiTimeoutTest, ReadingAPipeThatNeverGetsDataStopsAtTheDeadline) {
  Pipe p;
  WasiConfig c;
  c.stdin_fd = p.reader();
  Guest g(c);
  g.SetTimeout(200ms);
  Watchdog w([&] { p.CloseWriter(); });
  std::string got;
  EXPECT_TRUE(Interrupted(g.Read(0, 100, &got)));
}

TEST(WasiTimeoutTest, CallsThatDoNotWaitAreNotInterrupted) {
  Pipe p;
  ASSERT_EQ(::write(p.writer(), "data", 4), 4);
  WasiConfig c;
  c.stdin_fd = p.reader();
  c.stdout_fd = p.writer();
  Guest g(c);
  g.SetTimeout(0ns);  // already passed
  std::string got;
  EXPECT_TRUE(g.Read(0, 100, &got).ok());
  EXPECT_EQ(got, "data");
  EXPECT_TRUE(g.Write(1, "more").ok());
  EXPECT_TRUE(g.Read(0, 100, &got).ok());
  EXPECT_EQ(got, "more");
  uint64_t ns = 0;
  EXPECT_TRUE(g.Call("clock_time_get", {1, 0, Guest::kOutArea}).ok());
  ns = g.U64(Guest::kOutArea);
  EXPECT_GT(ns, 0u);
}

TEST(WasiTimeoutTest, WritingAFullPipeStopsAtTheDeadline) {
  Pipe p;
  p.Fill();
  WasiConfig c;
  c.stdout_fd = p.writer();
  Guest g(c);
  g.SetTimeout(200ms);
  Watchdog w([&] { p.Drain(); });
  EXPECT_TRUE(Interrupted(g.Write(1, std::string(1000, 'a'))));
}

TEST(WasiTimeoutTest, AWriteLargerThanTheRoomLeftIsShort) {
  // Room for one page: the write takes what fits instead of waiting for the reader.
  Pipe p;
  p.Fill();
  char page[4096];
  ASSERT_EQ(::read(p.reader(), page, sizeof(page)), 4096);
  WasiConfig c;
  c.stdout_fd = p.writer();
  Guest g(c);
  g.SetTimeout(60s);
  Watchdog w([&] { p.Drain(); });
  uint32_t n = 0;
  EXPECT_TRUE(g.Write(1, std::string(0x4000, 'a'), &n).ok());
  EXPECT_GT(n, 0u);
  EXPECT_LT(n, 0x4000u);
}

TEST(WasiTimeoutTest, ReadingAFifoStopsAtTheDeadline) {
  testing::TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  Guest g(testing::PreopenConfig(dir));
  uint32_t fd = 0;
  ASSERT_TRUE(g.Open(3, "fifo", 0, rights::kFdRead | rights::kPollFdReadwrite, 0, 0, &fd).ok());
  int writer = ::open((dir / "fifo").c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  ASSERT_GE(writer, 0);
  g.SetTimeout(200ms);
  {
    Watchdog w([&] { ::close(writer), writer = -1; });
    std::string got;
    EXPECT_TRUE(Interrupted(g.Read(fd, 100, &got)));
  }
  if (writer >= 0) ::close(writer);
}

TEST(WasiTimeoutTest, TerminalsStopAtTheDeadline) {
  // Terminals refuse RWF_NOWAIT: a write is cut to PIPE_BUF after the readiness poll.
  int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  ASSERT_GE(master, 0);
  ASSERT_EQ(::grantpt(master), 0);
  ASSERT_EQ(::unlockpt(master), 0);
  int slave = ::open(::ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
  ASSERT_GE(slave, 0);
  WasiConfig c;
  c.stdin_fd = slave;
  c.stdout_fd = slave;
  auto drain = [&] {
    char buf[4096];
    while (::poll(std::array<pollfd, 1>{{{master, POLLIN, 0}}}.data(), 1, 0) > 0 &&
           ::read(master, buf, sizeof(buf)) > 0) {
    }
  };
  {
    Guest g(c);
    Watchdog w([&] {
      drain();
      ::write(master, "\n", 1);
    });
    g.SetTimeout(60s);
    uint32_t n = 0;
    EXPECT_TRUE(g.Write(1, std::string(10000, 'a'), &n).ok());
    EXPECT_EQ(n, static_cast<uint32_t>(PIPE_BUF));
    // Nothing typed: a read stops at the deadline.
    g.SetTimeout(100ms);
    std::string got;
    EXPECT_TRUE(Interrupted(g.Read(0, 100, &got)));
    // The terminal's buffer full: so does a write.
    int fl = ::fcntl(slave, F_GETFL);
    ::fcntl(slave, F_SETFL, fl | O_NONBLOCK);
    std::string chunk(1024, 'b');
    while (::write(slave, chunk.data(), chunk.size()) > 0) {
    }
    ::fcntl(slave, F_SETFL, fl);
    g.SetTimeout(100ms);
    EXPECT_TRUE(Interrupted(g.Write(1, "c")));
  }
  ::close(slave);
  ::close(master);
}

class SocketGuest {
 public:
  SocketGuest() {
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair_), 0);
    listener_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un addr = {};
    addr.sun_family = AF_UNIX;  // autobind
    EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof(sa_family_t)), 0);
    EXPECT_EQ(::listen(listener_, 1), 0);
    WasiConfig c;
    c.stdin_fd = pair_[0];
    c.stdout_fd = pair_[0];
    c.stderr_fd = listener_;
    guest_ = std::make_unique<Guest>(c);
  }
  ~SocketGuest() {
    guest_.reset();
    Unblock();
    ::close(pair_[0]);
    ::close(listener_);
  }
  Guest& g() { return *guest_; }
  int peer() const { return pair_[1]; }
  void Fill() {
    std::string chunk(4096, 'x');
    while (::send(pair_[0], chunk.data(), chunk.size(), MSG_DONTWAIT) > 0) {
    }
  }
  // Ends every wait: the peer goes away, and a client connects to the listener.
  void Unblock() {
    if (pair_[1] >= 0) ::shutdown(pair_[1], SHUT_RDWR), ::close(pair_[1]);
    pair_[1] = -1;
    struct sockaddr_un addr = {};
    socklen_t len = sizeof(addr);
    if (::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      int client = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
      ::connect(client, reinterpret_cast<sockaddr*>(&addr), len);
      ::close(client);
    }
  }

 private:
  int pair_[2] = {-1, -1};
  int listener_ = -1;
  std::unique_ptr<Guest> guest_;
};

TEST(WasiTimeoutTest, SocketsStopAtTheDeadline) {
  SocketGuest s;
  Guest& g = s.g();
  Watchdog w([&] { s.Unblock(); });
  g.PutT<uint32_t>(Guest::kIovArea, Guest::kDataArea);
  g.PutT<uint32_t>(Guest::kIovArea + 4, 100);
  g.SetTimeout(100ms);
  EXPECT_TRUE(Interrupted(
      g.Call("sock_recv", {0, Guest::kIovArea, 1, 0, Guest::kOutArea, Guest::kOutArea + 4})));
  g.SetTimeout(100ms);
  EXPECT_TRUE(Interrupted(g.Call("sock_accept", {2, 0, Guest::kOutArea})));
  g.SetTimeout(100ms);
  std::string got;
  EXPECT_TRUE(Interrupted(g.Read(0, 100, &got)));
  s.Fill();
  g.SetTimeout(100ms);
  EXPECT_TRUE(Interrupted(g.Call("sock_send", {1, Guest::kIovArea, 1, 0, Guest::kOutArea})));
  g.SetTimeout(100ms);
  EXPECT_TRUE(Interrupted(g.Write(1, std::string(100, 'a'))));
}

TEST(WasiTimeoutTest, SocketCallsWithDataAreUnchanged) {
  SocketGuest s;
  Guest& g = s.g();
  g.SetTimeout(60s);
  ASSERT_EQ(::send(s.peer(), "abcdef", 6, 0), 6);
  g.PutT<uint32_t>(Guest::kIovArea, Guest::kDataArea);
  g.PutT<uint32_t>(Guest::kIovArea + 4, 3);
  // WAITALL with the whole message there.
  EXPECT_TRUE(
      g.Call("sock_recv", {0, Guest::kIovArea, 1, 2, Guest::kOutArea, Guest::kOutArea + 4}).ok());
  EXPECT_EQ(g.U32(Guest::kOutArea), 3u);
  EXPECT_EQ(g.Get(Guest::kDataArea, 3), "abc");
  std::string got;
  EXPECT_TRUE(g.Read(0, 100, &got).ok());
  EXPECT_EQ(got, "def");
  g.PutT<uint32_t>(Guest::kIovArea + 4, 3);  // Read reused the iovec
  EXPECT_TRUE(g.Call("sock_send", {1, Guest::kIovArea, 1, 0, Guest::kOutArea}).ok());
  char buf[8];
  EXPECT_EQ(::recv(s.peer(), buf, sizeof(buf), 0), 3);
}

TEST(WasiTimeoutTest, RecvWaitallGathersWithinTheDeadline) {
  SocketGuest s;
  Guest& g = s.g();
  g.SetTimeout(60s);
  ASSERT_EQ(::send(s.peer(), "ab", 2, 0), 2);
  std::thread later([&] {
    std::this_thread::sleep_for(50ms);
    ::send(s.peer(), "cdefgh", 6, 0);
  });
  // Two buffers of 3: the first part fills "ab", the rest comes 50 ms later.
  g.PutT<uint32_t>(Guest::kIovArea, Guest::kDataArea);
  g.PutT<uint32_t>(Guest::kIovArea + 4, 3);
  g.PutT<uint32_t>(Guest::kIovArea + 8, Guest::kDataArea + 16);
  g.PutT<uint32_t>(Guest::kIovArea + 12, 3);
  Outcome o = g.Call("sock_recv", {0, Guest::kIovArea, 2, 2, Guest::kOutArea, Guest::kOutArea + 4});
  later.join();
  EXPECT_TRUE(o.ok()) << o;
  EXPECT_EQ(g.U32(Guest::kOutArea), 6u);
  EXPECT_EQ(g.Get(Guest::kDataArea, 3), "abc");
  EXPECT_EQ(g.Get(Guest::kDataArea + 16, 3), "def");
}

// Through the JIT: a store with StoreOptions::timeout, as `wtrun --timeout 1s` makes.
class WasiTimeoutE2ETest : public ::testing::Test {
 protected:
  runtime::InvokeResult Run(std::string_view wat, WasiConfig config) {
    runtime::StoreOptions options;
    options.timeout = std::chrono::seconds(1);
    store_ = std::make_unique<runtime::Store>(options);
    auto ctx = WasiCtx::Create(std::move(config));
    EXPECT_TRUE(ctx.ok());
    ctx_ = std::move(*ctx);
    EXPECT_TRUE(DefineWasi(linker_, *store_, *ctx_).ok());
    auto bytes = text::WatToBinary(wat, "test.wat");
    EXPECT_TRUE(bytes.ok()) << bytes.error().ToString();
    auto loaded = runtime::LoadModule(std::move(*bytes), wasm::Features::Wasm20());
    EXPECT_TRUE(loaded.ok()) << loaded.error().ToString();
    auto inst = linker_.Instantiate(*store_, *loaded);
    EXPECT_TRUE(inst.ok()) << inst.error().ToString();
    auto r = runtime::Invoke(*store_, *(*inst)->GetFunc("_start"), {});
    EXPECT_TRUE(r.ok());
    return std::move(*r);
  }

  std::unique_ptr<runtime::Store> store_;
  runtime::Linker linker_;
  std::unique_ptr<WasiCtx> ctx_;
};

TEST_F(WasiTimeoutE2ETest, Poll100SecondsUnderA1SecondTimeout) {
  auto r = Run(R"((module
    (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
    (memory 1)
    (func (export "_start")
      (i32.store8 (i32.const 8) (i32.const 0))             ;; clock
      (i32.store (i32.const 16) (i32.const 1))             ;; monotonic
      (i64.store (i32.const 24) (i64.const 100000000000))  ;; 100 s, relative
      (drop (call $poll (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 128))))))",
               WasiConfig{});
  ASSERT_TRUE(r.trap.has_value());
  EXPECT_EQ(r.trap->code, TrapCode::kInterrupt);
}

TEST_F(WasiTimeoutE2ETest, ReadingStdinFromAPipeWhoseWriterStaysOpen) {
  Pipe p;
  WasiConfig c;
  c.stdin_fd = p.reader();
  Watchdog w([&] { p.CloseWriter(); });
  auto r = Run(R"((module
    (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
    (memory 1)
    (func (export "_start")
      (i32.store (i32.const 0) (i32.const 64))
      (i32.store (i32.const 4) (i32.const 100))
      (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 32))))))",
               c);
  ASSERT_TRUE(r.trap.has_value());
  EXPECT_EQ(r.trap->code, TrapCode::kInterrupt);
}

}  // namespace
}  // namespace wt::wasi
