// fd_read, fd_pread, fd_write, fd_pwrite, fd_seek, fd_tell, fd_advise, fd_allocate, fd_sync,
// fd_datasync.
#include <fcntl.h>
#include <poll.h>
#include <sys/uio.h>
#include <unistd.h>

#include <climits>
#include <vector>

#include "wasi/host.h"

namespace wt::wasi::host {
namespace {

// At most this many iovecs go to one readv/writev (Linux's IOV_MAX); the rest of the guest's
// array is left for a later call (a short read/write is a valid result).
constexpr uint32_t kMaxIovecs = 1024;

// Reads the guest's iovec array into host iovecs, checking every buffer. The total is capped
// so that the byte count fits the u32 result.
bool GatherIovecs(Call& c, uint32_t iovs, uint32_t iovs_len, std::vector<struct iovec>* out) {
  uint32_t n = iovs_len < kMaxIovecs ? iovs_len : kMaxIovecs;
  const uint8_t* arr =
      c.mem.Bytes(iovs, uint64_t{iovs_len} * layout::kIovecSize, layout::kIovecAlign);
  if (arr == nullptr) return false;
  out->clear();
  out->reserve(n);
  uint64_t total = 0;
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t ptr = GuestMemory::Get<uint32_t>(arr, i * layout::kIovecSize);
    uint32_t len = GuestMemory::Get<uint32_t>(arr, i * layout::kIovecSize + 4);
    uint8_t* p = c.mem.Bytes(ptr, len);
    if (p == nullptr) return false;
    if (len == 0) continue;
    uint64_t room = UINT32_MAX - total;
    if (room == 0) break;
    size_t take = len < room ? len : static_cast<size_t>(room);
    out->push_back({p, take});
    total += take;
  }
  return true;
}

// Seeking a descriptor that cannot seek (a terminal, a pipe, a socket) is ESPIPE, as on the
// host, rather than a missing right (such descriptors lack the seek rights so that isatty
// works as wasi-libc defines it).
bool Unseekable(const FdEntry& e) {
  return e.type == Filetype::kCharacterDevice || e.type == Filetype::kUnknown || e.is_socket();
}

Errno LookupSeekable(Call& c, uint32_t fd, uint64_t needed, FdEntry** out) {
  FdEntry* e = c.fds().Get(fd);
  if (e == nullptr) return Errno::kBadf;
  if ((e->rights_base & needed) != needed) {
    return Unseekable(*e) ? Errno::kSpipe : Errno::kNotCapable;
  }
  *out = e;
  return Errno::kSuccess;
}

// Runs a read or write on `e`: `io(nowait)` is the system call, asked not to wait when
// `nowait`.
//
// The host's stdio descriptors may have been made non-blocking by someone else (they are
// shared); unless the guest asked for NONBLOCK, the guest gets the blocking behaviour it
// expects: wait for readiness and retry.
//
// With a deadline (--timeout), a descriptor that can wait (a pipe, FIFO, socket, terminal) is
// polled with the time left first (AwaitFd), and the call itself is made not to wait
// (RWF_NOWAIT), so that another reader taking the data, or a write larger than the room left,
// cannot block past the deadline either: a write then returns the short count that fits.
template <typename F>
ssize_t BlockingIo(Call& c, const FdEntry& e, short events, F io) {
  bool timed = c.has_deadline() && MayWait(e);
  for (;;) {
    if (timed && AwaitFd(c, e.host_fd, events) != Errno::kSuccess) return -1;
    ssize_t n = RetryEintr([&] { return io(timed); });
    if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) return n;
    if (timed) continue;  // not ready after all: wait again, within the deadline
    if (e.owned_fd.valid() || (e.fdflags & fdflags::kNonblock) != 0) return n;
    struct pollfd p = {e.host_fd, events, 0};
    if (RetryEintr([&] { return ::poll(&p, 1, -1); }) < 0) return -1;
  }
}

// readv/writev without waiting: RWF_NOWAIT (offset -1: the current position, so it also works
// on pipes and sockets). Where the kernel does not support it for the descriptor (terminals,
// character devices; EOPNOTSUPP), a plain call after the readiness poll: a read of a ready
// descriptor returns what is there, and a write is cut to PIPE_BUF bytes, which a descriptor
// reporting POLLOUT accepts without waiting.
ssize_t ReadvNowait(int fd, const std::vector<struct iovec>& v) {
  ssize_t n = ::preadv2(fd, v.data(), static_cast<int>(v.size()), -1, RWF_NOWAIT);
  if (n >= 0 || errno != EOPNOTSUPP) return n;
  return ::readv(fd, v.data(), static_cast<int>(v.size()));
}

ssize_t WritevNowait(int fd, const std::vector<struct iovec>& v) {
  ssize_t n = ::pwritev2(fd, v.data(), static_cast<int>(v.size()), -1, RWF_NOWAIT);
  if (n >= 0 || errno != EOPNOTSUPP) return n;
  std::vector<struct iovec> cut;
  size_t room = PIPE_BUF;
  for (const struct iovec& io : v) {
    if (room == 0) break;
    size_t take = io.iov_len < room ? io.iov_len : room;
    cut.push_back({io.iov_base, take});
    room -= take;
  }
  return ::writev(fd, cut.data(), static_cast<int>(cut.size()));
}

Errno WriteCount(Call& c, uint32_t out, ssize_t n) {
  if (!c.mem.Write<uint32_t>(out, static_cast<uint32_t>(n))) return Errno::kFault;
  return Errno::kSuccess;
}

}  // namespace

Errno FdRead(Call& c, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nread_out) {
  FdEntry* e = nullptr;
  if (Errno err = c.fds().Lookup(fd, rights::kFdRead, &e); err != Errno::kSuccess) return err;
  if (!c.mem.Check(nread_out, 4, 4)) return Errno::kFault;
  std::vector<struct iovec> v;
  if (!GatherIovecs(c, iovs, iovs_len, &v)) return Errno::kFault;
  ssize_t n = v.empty() ? 0 : BlockingIo(c, *e, POLLIN, [&](bool nowait) {
    if (nowait) return ReadvNowait(e->host_fd, v);
    return ::readv(e->host_fd, v.data(), static_cast<int>(v.size()));
  });
  if (n < 0) return LastError();
  return WriteCount(c, nread_out, n);
}

Errno FdPread(Call& c, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint64_t offset,
              uint32_t nread_out) {
  FdEntry* e = nullptr;
  if (Errno err = c.fds().Lookup(fd, rights::kFdRead, &e); err != Errno::kSuccess) return err;
  if (!c.mem.Check(nread_out, 4, 4)) return Errno::kFault;
  if (offset > static_cast<uint64_t>(INT64_MAX)) return Errno::kInval;
  std::vector<struct iovec> v;
  if (!GatherIovecs(c, iovs, iovs_len, &v)) return Errno::kFault;
  // Positioned reads and writes of descriptors that can wait are mostly ESPIPE; the others
  // (some character devices) wait for readiness within the deadline first.
  if (!v.empty() && MayWait(*e) && AwaitFd(c, e->host_fd, POLLIN) != Errno::kSuccess) {
    return LastError();
  }
  ssize_t n = v.empty() ? 0 : RetryEintr([&] {
    return ::preadv(e->host_fd, v.data(), static_cast<int>(v.size()), static_cast<off_t>(offset));
  });
  if (n < 0) return LastError();
  return WriteCount(c, nread_out, n);
}

Errno FdWrite(Call& c, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nwritten_out) {
  FdEntry* e = nullptr;
  if (Errno err = c.fds().Lookup(fd, rights::kFdWrite, &e); err != Errno::kSuccess) return err;
  if (!c.mem.Check(nwritten_out, 4, 4)) return Errno::kFault;
  std::vector<struct iovec> v;
  if (!GatherIovecs(c, iovs, iovs_len, &v)) return Errno::kFault;
  ssize_t n = v.empty() ? 0 : BlockingIo(c, *e, POLLOUT, [&](bool nowait) {
    if (nowait) return WritevNowait(e->host_fd, v);
    return ::writev(e->host_fd, v.data(), static_cast<int>(v.size()));
  });
  if (n < 0) return LastError();
  return WriteCount(c, nwritten_out, n);
}

Errno FdPwrite(Call& c, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint64_t offset,
               uint32_t nwritten_out) {
  FdEntry* e = nullptr;
  if (Errno err = c.fds().Lookup(fd, rights::kFdWrite, &e); err != Errno::kSuccess) return err;
  if (!c.mem.Check(nwritten_out, 4, 4)) return Errno::kFault;
  if (offset > static_cast<uint64_t>(INT64_MAX)) return Errno::kInval;
  std::vector<struct iovec> v;
  if (!GatherIovecs(c, iovs, iovs_len, &v)) return Errno::kFault;
  if (!v.empty() && MayWait(*e) && AwaitFd(c, e->host_fd, POLLOUT) != Errno::kSuccess) {
    return LastError();
  }
  // With APPEND, Linux's pwrite appends whatever the offset (wasmtime keeps this behaviour).
  ssize_t n = v.empty() ? 0 : RetryEintr([&] {
    return ::pwritev(e->host_fd, v.data(), static_cast<int>(v.size()), static_cast<off_t>(offset));
  });
  if (n < 0) return LastError();
  return WriteCount(c, nwritten_out, n);
}

namespace {

Errno Seek(Call& c, uint32_t fd, uint64_t offset, Whence whence, uint32_t newoffset_out) {
  int how = SEEK_SET;
  switch (whence) {
    case Whence::kSet:
      how = SEEK_SET;
      break;
    case Whence::kCur:
      how = SEEK_CUR;
      break;
    case Whence::kEnd:
      how = SEEK_END;
      break;
  }
  // Reading the position alone (cur + 0) only needs fd_tell.
  uint64_t needed = (how == SEEK_CUR && offset == 0) ? rights::kFdTell : rights::kFdSeek;
  FdEntry* e = nullptr;
  if (Errno err = LookupSeekable(c, fd, needed, &e); err != Errno::kSuccess) return err;
  if (!c.mem.Check(newoffset_out, 8, 8)) return Errno::kFault;
  off_t r = ::lseek(e->host_fd, static_cast<off_t>(static_cast<int64_t>(offset)), how);
  if (r < 0) return LastError();
  c.mem.Write<uint64_t>(newoffset_out, static_cast<uint64_t>(r));
  return Errno::kSuccess;
}

}  // namespace

Errno FdSeek(Call& c, uint32_t fd, uint64_t offset, uint32_t whence, uint32_t newoffset_out) {
  if (whence > 2) return Errno::kInval;
  return Seek(c, fd, offset, static_cast<Whence>(whence), newoffset_out);
}

Errno FdSeekUnstable(Call& c, uint32_t fd, uint64_t offset, uint32_t whence,
                     uint32_t newoffset_out) {
  if (whence > 2) return Errno::kInval;
  Whence w;
  switch (static_cast<UnstableWhence>(whence)) {
    case UnstableWhence::kCur:
      w = Whence::kCur;
      break;
    case UnstableWhence::kEnd:
      w = Whence::kEnd;
      break;
    case UnstableWhence::kSet:
      w = Whence::kSet;
      break;
    default:
      return Errno::kInval;
  }
  return Seek(c, fd, offset, w, newoffset_out);
}

Errno FdTell(Call& c, uint32_t fd, uint32_t offset_out) {
  FdEntry* e = nullptr;
  if (Errno err = LookupSeekable(c, fd, rights::kFdTell, &e); err != Errno::kSuccess) return err;
  if (!c.mem.Check(offset_out, 8, 8)) return Errno::kFault;
  off_t r = ::lseek(e->host_fd, 0, SEEK_CUR);
  if (r < 0) return LastError();
  c.mem.Write<uint64_t>(offset_out, static_cast<uint64_t>(r));
  return Errno::kSuccess;
}

Errno FdAdvise(Call& c, uint32_t fd, uint64_t offset, uint64_t len, uint32_t advice) {
  FdEntry* e = nullptr;
  if (Errno err = c.fds().Lookup(fd, rights::kFdAdvise, &e); err != Errno::kSuccess) return err;
  if (advice > kAdviceMax) return Errno::kInval;
  if (offset > static_cast<uint64_t>(INT64_MAX) || len > static_cast<uint64_t>(INT64_MAX)) {
    return Errno::kInval;
  }
  static constexpr int kHostAdvice[] = {POSIX_FADV_NORMAL,   POSIX_FADV_SEQUENTIAL,
                                        POSIX_FADV_RANDOM,   POSIX_FADV_WILLNEED,
                                        POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
  int r = ::posix_fadvise(e->host_fd, static_cast<off_t>(offset), static_cast<off_t>(len),
                          kHostAdvice[advice]);
  return ErrnoFromHost(r);
}

Errno FdAllocate(Call& c, uint32_t fd, uint64_t offset, uint64_t len) {
  FdEntry* e = nullptr;
  if (Errno err = c.fds().Lookup(fd, rights::kFdAllocate, &e); err != Errno::kSuccess) {
    return err;
  }
  if (offset > static_cast<uint64_t>(INT64_MAX) ||
      len > static_cast<uint64_t>(INT64_MAX) - offset) {
    return Errno::kFbig;
  }
  int r;
  do {
    r = ::posix_fallocate(e->host_fd, static_cast<off_t>(offset), static_cast<off_t>(len));
  } while (r == EINTR);
  return ErrnoFromHost(r);
}

Errno FdSync(Call& c, uint32_t fd) {
  FdEntry* e = nullptr;
  if (Errno err = c.fds().Lookup(fd, rights::kFdSync, &e); err != Errno::kSuccess) return err;
  if (::fsync(e->host_fd) != 0) return LastError();
  return Errno::kSuccess;
}

Errno FdDatasync(Call& c, uint32_t fd) {
  FdEntry* e = nullptr;
  if (Errno err = c.fds().Lookup(fd, rights::kFdDatasync, &e); err != Errno::kSuccess) {
    return err;
  }
  if (::fdatasync(e->host_fd) != 0) return LastError();
  return Errno::kSuccess;
}

}  // namespace wt::wasi::host
