// Helpers shared by the WASI function families.
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

#include <cerrno>
#include <chrono>
#include <climits>

#include "wasi/host.h"

namespace wt::wasi::host {

Filetype FiletypeOfMode(mode_t mode) {
  switch (mode & S_IFMT) {
    case S_IFREG:
      return Filetype::kRegularFile;
    case S_IFDIR:
      return Filetype::kDirectory;
    case S_IFLNK:
      return Filetype::kSymbolicLink;
    case S_IFCHR:
      return Filetype::kCharacterDevice;
    case S_IFBLK:
      return Filetype::kBlockDevice;
    case S_IFSOCK:
      return Filetype::kSocketStream;
    default:  // FIFOs: preview 1 has no code for them
      return Filetype::kUnknown;
  }
}

Filetype FiletypeOfFd(int fd, const struct stat& st) {
  if (S_ISSOCK(st.st_mode)) {
    int type = 0;
    socklen_t len = sizeof(type);
    if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_DGRAM) {
      return Filetype::kSocketDgram;
    }
    return Filetype::kSocketStream;
  }
  return FiletypeOfMode(st.st_mode);
}

uint64_t TimespecToNs(const struct timespec& ts) {
  if (ts.tv_sec < 0) return 0;
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

Errno WriteFilestat(Call& c, uint32_t ptr, const struct stat& st, Filetype type, bool unstable) {
  namespace l = layout;
  uint32_t size = unstable ? l::kUnstableFilestatSize : l::kFilestatSize;
  uint8_t* p = c.mem.Bytes(ptr, size, l::kFilestatAlign);
  if (p == nullptr) return Errno::kFault;
  std::memset(p, 0, size);
  GuestMemory::Put<uint64_t>(p, l::kFilestatDev, static_cast<uint64_t>(st.st_dev));
  GuestMemory::Put<uint64_t>(p, l::kFilestatIno, static_cast<uint64_t>(st.st_ino));
  GuestMemory::Put<uint8_t>(p, l::kFilestatFiletype, static_cast<uint8_t>(type));
  if (unstable) {
    uint64_t nlink = st.st_nlink;
    GuestMemory::Put<uint32_t>(p, l::kUnstableFilestatNlink,
                               nlink > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(nlink));
    GuestMemory::Put<uint64_t>(p, l::kUnstableFilestatSizeField, static_cast<uint64_t>(st.st_size));
    GuestMemory::Put<uint64_t>(p, l::kUnstableFilestatAtim, TimespecToNs(st.st_atim));
    GuestMemory::Put<uint64_t>(p, l::kUnstableFilestatMtim, TimespecToNs(st.st_mtim));
    GuestMemory::Put<uint64_t>(p, l::kUnstableFilestatCtim, TimespecToNs(st.st_ctim));
  } else {
    GuestMemory::Put<uint64_t>(p, l::kFilestatNlink, static_cast<uint64_t>(st.st_nlink));
    GuestMemory::Put<uint64_t>(p, l::kFilestatSizeField, static_cast<uint64_t>(st.st_size));
    GuestMemory::Put<uint64_t>(p, l::kFilestatAtim, TimespecToNs(st.st_atim));
    GuestMemory::Put<uint64_t>(p, l::kFilestatMtim, TimespecToNs(st.st_mtim));
    GuestMemory::Put<uint64_t>(p, l::kFilestatCtim, TimespecToNs(st.st_ctim));
  }
  return Errno::kSuccess;
}

Errno TimesFromFlags(uint64_t atim, uint64_t mtim, uint32_t fst_flags, struct timespec out[2]) {
  if ((fst_flags & ~uint32_t{fstflags::kAll}) != 0) return Errno::kInval;
  auto one = [](bool set, bool now, uint64_t ns, struct timespec* ts) {
    if (set && now) return false;
    if (now) {
      ts->tv_sec = 0;
      ts->tv_nsec = UTIME_NOW;
    } else if (set) {
      ts->tv_sec = static_cast<time_t>(ns / 1000000000ull);
      ts->tv_nsec = static_cast<long>(ns % 1000000000ull);
    } else {
      ts->tv_sec = 0;
      ts->tv_nsec = UTIME_OMIT;
    }
    return true;
  };
  if (!one(fst_flags & fstflags::kAtim, fst_flags & fstflags::kAtimNow, atim, &out[0]) ||
      !one(fst_flags & fstflags::kMtim, fst_flags & fstflags::kMtimNow, mtim, &out[1])) {
    return Errno::kInval;
  }
  return Errno::kSuccess;
}

Errno ReadGuestString(Call& c, uint32_t ptr, uint32_t len, std::string_view* out) {
  uint8_t* p = c.mem.Bytes(ptr, len);
  if (p == nullptr) return Errno::kFault;
  *out = std::string_view(reinterpret_cast<const char*>(p), len);
  return Errno::kSuccess;
}

Errno LookupDir(Call& c, uint32_t fd, uint64_t needed, FdEntry** out) {
  FdEntry* e = c.fds().Get(fd);
  if (e == nullptr) return Errno::kBadf;
  if (!e->is_dir()) return Errno::kNotDir;
  if ((e->rights_base & needed) != needed) return Errno::kNotCapable;
  *out = e;
  return Errno::kSuccess;
}

Errno Interrupt(Call& c) {
  c.interrupted = true;
  errno = EINTR;
  return Errno::kIntr;
}

Errno AwaitFd(Call& c, int fd, short events) {
  if (!c.has_deadline()) return Errno::kSuccess;
  for (;;) {
    auto now = Call::Clock::now();
    auto left = c.deadline > now ? std::chrono::ceil<std::chrono::nanoseconds>(c.deadline - now)
                                 : std::chrono::nanoseconds(0);
    auto secs = std::chrono::duration_cast<std::chrono::seconds>(left);
    struct timespec ts;
    ts.tv_sec = static_cast<time_t>(secs.count());
    ts.tv_nsec = static_cast<long>((left - secs).count());
    struct pollfd p = {fd, events, 0};
    int r = ::ppoll(&p, 1, &ts, nullptr);
    if (r > 0) return Errno::kSuccess;
    if (r < 0 && errno != EINTR) return LastError();
    if (r == 0 && left.count() == 0) return Interrupt(c);
  }
}

bool MayWait(const FdEntry& e) {
  if ((e.fdflags & fdflags::kNonblock) != 0) return false;
  return e.type != Filetype::kRegularFile && e.type != Filetype::kDirectory &&
         e.type != Filetype::kBlockDevice && e.type != Filetype::kSymbolicLink;
}

}  // namespace wt::wasi::host
