// [pool] userfaultfd handler thread (see uffd_linux.h).
#include "runtime/pool/uffd_linux.h"

#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wt::runtime::pool {
namespace {

constexpr uint64_t kOsPage = 4096;

// A full userfaultfd (also kernel-mode faults: WASI reads into guest memory). UFFD_USER_MODE_ONLY
// is not enough for that, so it is not tried.
int OpenUffd(std::string* why) {
  int fd = static_cast<int>(syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK));
  if (fd >= 0) return fd;
  *why = fmt::format("userfaultfd: {}", std::strerror(errno));
  int dev = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);
  if (dev < 0) {
    *why += fmt::format("; /dev/userfaultfd: {}", std::strerror(errno));
    return -1;
  }
  fd = ioctl(dev, USERFAULTFD_IOC_NEW, O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) *why += fmt::format("; /dev/userfaultfd: {}", std::strerror(errno));
  close(dev);
  return fd;
}

}  // namespace

Result<std::unique_ptr<Uffd>> Uffd::Create(uint8_t* base, uint64_t len, Resolver* resolver) {
  // [a64] The handler resolves 4 KiB pages (aarch64 kernels may use 16 or 64 KiB pages, where
  // UFFDIO_COPY of 4 KiB fails): such a kernel gets the pool without userfaultfd.
  if (const long page = sysconf(_SC_PAGESIZE); page != static_cast<long>(kOsPage))
    return MakeError(ErrorKind::kUnsupported, "userfaultfd: {}-byte OS pages (supported: {})", page,
                     kOsPage);
  std::string why;
  int fd = OpenUffd(&why);
  if (fd < 0) return MakeError(ErrorKind::kUnsupported, "{}", why);
  std::unique_ptr<Uffd> u(new Uffd());
  u->fd_ = fd;
  u->resolver_ = resolver;
  uffdio_api api{};
  api.api = UFFD_API;
  if (ioctl(fd, UFFDIO_API, &api) != 0) {
    return MakeError(ErrorKind::kUnsupported, "userfaultfd API handshake: {}",
                     std::strerror(errno));
  }
  uffdio_register reg{};
  reg.range.start = reinterpret_cast<uintptr_t>(base);
  reg.range.len = len;
  reg.mode = UFFDIO_REGISTER_MODE_MISSING;
  if (ioctl(fd, UFFDIO_REGISTER, &reg) != 0) {
    return MakeError(ErrorKind::kUnsupported, "userfaultfd register: {}", std::strerror(errno));
  }
  if ((reg.ioctls & (uint64_t{1} << _UFFDIO_COPY)) == 0 ||
      (reg.ioctls & (uint64_t{1} << _UFFDIO_ZEROPAGE)) == 0 ||
      (reg.ioctls & (uint64_t{1} << _UFFDIO_WAKE)) == 0) {
    return MakeError(ErrorKind::kUnsupported, "userfaultfd lacks copy / zeropage / wake");
  }
  u->stop_fd_ = eventfd(0, EFD_CLOEXEC);
  if (u->stop_fd_ < 0) {
    return MakeError(ErrorKind::kUnsupported, "eventfd: {}", std::strerror(errno));
  }
  u->thread_ = std::thread([p = u.get()] { p->Run(); });
  return u;
}

Uffd::~Uffd() {
  if (thread_.joinable()) {
    uint64_t one = 1;
    ssize_t w = write(stop_fd_, &one, sizeof one);
    (void)w;
    thread_.join();
  }
  if (stop_fd_ >= 0) close(stop_fd_);
  if (fd_ >= 0) close(fd_);
}

void Uffd::Run() {
  pollfd fds[2] = {{fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
  for (;;) {
    int n = poll(fds, 2, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    uffd_msg msgs[16];
    ssize_t got = read(fd_, msgs, sizeof msgs);
    if (got < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return;
    }
    for (size_t i = 0; i < static_cast<size_t>(got) / sizeof(uffd_msg); ++i) {
      if (msgs[i].event != UFFD_EVENT_PAGEFAULT) continue;
      ++faults_;
      uintptr_t page = msgs[i].arg.pagefault.address & ~(kOsPage - 1);
      bool write = (msgs[i].arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WRITE) != 0;
      resolver_->Resolve(*this, page, write);
    }
  }
}

void Uffd::Copy(uintptr_t page, const uint8_t* src) {
  uffdio_copy c{};
  c.dst = page;
  c.src = reinterpret_cast<uintptr_t>(src);
  c.len = kOsPage;
  // EEXIST: another fault on the page was resolved first; the copy wakes the waiters anyway.
  if (ioctl(fd_, UFFDIO_COPY, &c) != 0 && errno == EEXIST) Wake(page);
}

void Uffd::Zero(uintptr_t page, bool write) {
  if (write) {
    alignas(4096) static const uint8_t kZeros[kOsPage] = {};
    return Copy(page, kZeros);
  }
  uffdio_zeropage z{};
  z.range.start = page;
  z.range.len = kOsPage;
  if (ioctl(fd_, UFFDIO_ZEROPAGE, &z) != 0 && errno == EEXIST) Wake(page);
}

void Uffd::Wake(uintptr_t page) {
  uffdio_range r{};
  r.start = page;
  r.len = kOsPage;
  ioctl(fd_, UFFDIO_WAKE, &r);
}

}  // namespace wt::runtime::pool
