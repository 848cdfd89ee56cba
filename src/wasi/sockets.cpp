// sock_accept, sock_recv, sock_send, sock_shutdown. Preview 1 cannot create sockets; a guest
// only has one when the embedder hands it one (e.g. as stdin). On any other descriptor these
// return ENOTSOCK (EBADF when the descriptor is not open).
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include <cstddef>
#include <memory>
#include <vector>

#include "wasi/host.h"

namespace wt::wasi::host {
namespace {

Errno LookupSocket(Call& c, uint32_t fd, uint64_t needed, FdEntry** out) {
  FdEntry* e = c.fds().Get(fd);
  if (e == nullptr) return Errno::kBadf;
  if (!e->is_socket()) return Errno::kNotSock;
  if ((e->rights_base & needed) != needed) return Errno::kNotCapable;
  *out = e;
  return Errno::kSuccess;
}

constexpr uint32_t kMaxIovecs = 1024;

bool Gather(Call& c, uint32_t iovs, uint32_t iovs_len, std::vector<struct iovec>* out) {
  uint32_t n = iovs_len < kMaxIovecs ? iovs_len : kMaxIovecs;
  const uint8_t* arr =
      c.mem.Bytes(iovs, uint64_t{iovs_len} * layout::kIovecSize, layout::kIovecAlign);
  if (arr == nullptr) return false;
  uint64_t total = 0;
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t ptr = GuestMemory::Get<uint32_t>(arr, i * layout::kIovecSize);
    uint32_t len = GuestMemory::Get<uint32_t>(arr, i * layout::kIovecSize + 4);
    uint8_t* p = c.mem.Bytes(ptr, len);
    if (p == nullptr) return false;
    if (len == 0 || total >= UINT32_MAX) continue;
    uint64_t take = len < UINT32_MAX - total ? len : UINT32_MAX - total;
    out->push_back({p, static_cast<size_t>(take)});
    total += take;
  }
  return true;
}

// Drops the first `n` bytes of `v` (what a partial receive filled).
void Advance(std::vector<struct iovec>* v, size_t n) {
  size_t i = 0;
  while (i < v->size() && n >= (*v)[i].iov_len) n -= (*v)[i++].iov_len;
  v->erase(v->begin(), v->begin() + static_cast<std::ptrdiff_t>(i));
  if (!v->empty() && n > 0) {
    (*v)[0].iov_base = static_cast<uint8_t*>((*v)[0].iov_base) + n;
    (*v)[0].iov_len -= n;
  }
}

// recvmsg/sendmsg on `e`. With a deadline (--timeout) each wait is a readiness poll with the
// time left, and the call itself does not wait (MSG_DONTWAIT); RECV_WAITALL then gathers
// until the buffers are full, the peer has closed, or the deadline passes (an interrupt also
// ends a partly filled WAITALL receive: the data read so far is lost with the trap).
ssize_t SocketIo(Call& c, const FdEntry& e, bool send, std::vector<struct iovec> v, int flags,
                 int* msg_flags) {
  struct msghdr msg = {};
  auto once = [&](int extra) {
    msg.msg_iov = v.data();
    msg.msg_iovlen = v.size();
    msg.msg_flags = 0;
    return RetryEintr([&] {
      return send ? ::sendmsg(e.host_fd, &msg, flags | extra)
                  : ::recvmsg(e.host_fd, &msg, flags | extra);
    });
  };
  if (!c.has_deadline() || (e.fdflags & fdflags::kNonblock) != 0) {
    ssize_t n = once(0);
    *msg_flags = msg.msg_flags;
    return n;
  }
  bool gather = !send && (flags & MSG_WAITALL) != 0 && (flags & MSG_PEEK) == 0 &&
                e.type == Filetype::kSocketStream;
  size_t want = 0;
  for (const struct iovec& io : v) want += io.iov_len;
  size_t done = 0;
  *msg_flags = 0;
  for (;;) {
    if (AwaitFd(c, e.host_fd, send ? POLLOUT : POLLIN) != Errno::kSuccess) return -1;
    ssize_t n = once(MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) continue;
      return done > 0 ? static_cast<ssize_t>(done) : -1;
    }
    *msg_flags |= msg.msg_flags;
    done += static_cast<size_t>(n);
    if (!gather || n == 0 || done >= want) return static_cast<ssize_t>(done);
    Advance(&v, static_cast<size_t>(n));
  }
}

}  // namespace

Errno SockAccept(Call& c, uint32_t fd, uint32_t flags, uint32_t fd_out) {
  FdEntry* e = nullptr;
  if (Errno err = LookupSocket(c, fd, rights::kSockAccept, &e); err != Errno::kSuccess) {
    return err;
  }
  if ((flags & ~uint32_t{fdflags::kNonblock}) != 0) return Errno::kInval;
  if (!c.mem.Check(fd_out, 4, 4)) return Errno::kFault;
  int host_flags = SOCK_CLOEXEC | ((flags & fdflags::kNonblock) ? SOCK_NONBLOCK : 0);
  // With a deadline, wait for a connection within it (accept itself cannot be told not to
  // wait without changing the shared listener's flags).
  if ((e->fdflags & fdflags::kNonblock) == 0 && AwaitFd(c, e->host_fd, POLLIN) != Errno::kSuccess) {
    return LastError();
  }
  UniqueFd s(RetryEintr([&] { return ::accept4(e->host_fd, nullptr, nullptr, host_flags); }));
  if (!s.valid()) return LastError();
  auto entry = std::make_unique<FdEntry>();
  struct stat st;
  if (::fstat(s.get(), &st) != 0) return LastError();
  entry->type = FiletypeOfFd(s.get(), st);
  entry->rights_base = rights::kFdRead | rights::kFdWrite | rights::kFdFdstatSetFlags |
                       rights::kFdFilestatGet | rights::kPollFdReadwrite | rights::kSockShutdown;
  entry->fdflags = static_cast<uint16_t>(flags);
  entry->host_fd = s.get();
  entry->owned_fd = std::move(s);
  uint32_t new_fd = 0;
  if (Errno err = c.fds().Insert(std::move(entry), &new_fd); err != Errno::kSuccess) return err;
  c.mem.Write<uint32_t>(fd_out, new_fd);
  return Errno::kSuccess;
}

Errno SockRecv(Call& c, uint32_t fd, uint32_t ri_data, uint32_t ri_data_len, uint32_t ri_flags,
               uint32_t ro_datalen_out, uint32_t ro_flags_out) {
  FdEntry* e = nullptr;
  if (Errno err = LookupSocket(c, fd, rights::kFdRead, &e); err != Errno::kSuccess) return err;
  if ((ri_flags & ~uint32_t{kRiflagRecvPeek | kRiflagRecvWaitall}) != 0) return Errno::kInval;
  if (!c.mem.Check(ro_datalen_out, 4, 4) || !c.mem.Check(ro_flags_out, 2, 2)) {
    return Errno::kFault;
  }
  std::vector<struct iovec> v;
  if (!Gather(c, ri_data, ri_data_len, &v)) return Errno::kFault;
  int host_flags = ((ri_flags & kRiflagRecvPeek) ? MSG_PEEK : 0) |
                   ((ri_flags & kRiflagRecvWaitall) ? MSG_WAITALL : 0);
  int msg_flags = 0;
  ssize_t n = SocketIo(c, *e, false, std::move(v), host_flags, &msg_flags);
  if (n < 0) return LastError();
  c.mem.Write<uint32_t>(ro_datalen_out, static_cast<uint32_t>(n));
  c.mem.Write<uint16_t>(ro_flags_out, (msg_flags & MSG_TRUNC) ? kRoflagDataTruncated : 0);
  return Errno::kSuccess;
}

Errno SockSend(Call& c, uint32_t fd, uint32_t si_data, uint32_t si_data_len, uint32_t si_flags,
               uint32_t so_datalen_out) {
  FdEntry* e = nullptr;
  if (Errno err = LookupSocket(c, fd, rights::kFdWrite, &e); err != Errno::kSuccess) return err;
  if (si_flags != 0) return Errno::kInval;
  if (!c.mem.Check(so_datalen_out, 4, 4)) return Errno::kFault;
  std::vector<struct iovec> v;
  if (!Gather(c, si_data, si_data_len, &v)) return Errno::kFault;
  int msg_flags = 0;
  ssize_t n = SocketIo(c, *e, true, std::move(v), MSG_NOSIGNAL, &msg_flags);
  if (n < 0) return LastError();
  c.mem.Write<uint32_t>(so_datalen_out, static_cast<uint32_t>(n));
  return Errno::kSuccess;
}

Errno SockShutdown(Call& c, uint32_t fd, uint32_t how) {
  FdEntry* e = nullptr;
  if (Errno err = LookupSocket(c, fd, rights::kSockShutdown, &e); err != Errno::kSuccess) {
    return err;
  }
  int host_how;
  switch (how) {
    case sdflags::kRd:
      host_how = SHUT_RD;
      break;
    case sdflags::kWr:
      host_how = SHUT_WR;
      break;
    case sdflags::kRd | sdflags::kWr:
      host_how = SHUT_RDWR;
      break;
    default:
      return Errno::kInval;
  }
  if (::shutdown(e->host_fd, host_how) != 0) return LastError();
  return Errno::kSuccess;
}

}  // namespace wt::wasi::host
