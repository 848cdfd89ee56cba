// path_open, path_create_directory, path_remove_directory, path_unlink_file, path_rename,
// path_link, path_symlink, path_readlink, path_filestat_get, path_filestat_set_times.
// Every path goes through ResolvePath (sandbox.h); the final system call gets one name relative
// to the resolved directory and never follows a link itself.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>

#include "wasi/host.h"
#include "wasi/sandbox.h"

namespace wt::wasi::host {
namespace {

// Resolves the guest path (ptr, len) relative to the directory `fd` needing `rights`.
Errno Resolve(Call& c, uint32_t fd, uint64_t needed, uint32_t path, uint32_t path_len,
              FinalLookup mode, ResolvedPath* out) {
  FdEntry* dir = nullptr;
  if (Errno e = LookupDir(c, fd, needed, &dir); e != Errno::kSuccess) return e;
  std::string_view p;
  if (Errno e = ReadGuestString(c, path, path_len, &p); e != Errno::kSuccess) return e;
  return ResolvePath(dir->host_fd, p, mode, out);
}

FinalLookup LookupMode(uint32_t lookupflags) {
  return (lookupflags & kLookupSymlinkFollow) != 0 ? FinalLookup::kFollow : FinalLookup::kNoFollow;
}

Errno FilestatGet(Call& c, uint32_t fd, uint32_t flags, uint32_t path, uint32_t path_len,
                  uint32_t buf, bool unstable) {
  if ((flags & ~kLookupSymlinkFollow) != 0) return Errno::kInval;
  uint32_t size = unstable ? layout::kUnstableFilestatSize : layout::kFilestatSize;
  // Every guest pointer is checked before the host is asked anything.
  if (!c.mem.Check(path, path_len) || !c.mem.Check(buf, size, layout::kFilestatAlign)) {
    return Errno::kFault;
  }
  ResolvedPath r;
  if (Errno e = Resolve(c, fd, rights::kPathFilestatGet, path, path_len, LookupMode(flags), &r);
      e != Errno::kSuccess) {
    return e;
  }
  struct stat st;
  if (::fstatat(r.dir_fd, r.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return LastError();
  return WriteFilestat(c, buf, st, FiletypeOfMode(st.st_mode), unstable);
}

}  // namespace

Errno PathCreateDirectory(Call& c, uint32_t fd, uint32_t path, uint32_t path_len) {
  ResolvedPath r;
  if (Errno e =
          Resolve(c, fd, rights::kPathCreateDirectory, path, path_len, FinalLookup::kParent, &r);
      e != Errno::kSuccess) {
    return e;
  }
  if (::mkdirat(r.dir_fd, r.name.c_str(), 0777) != 0) return LastError();
  return Errno::kSuccess;
}

Errno PathFilestatGet(Call& c, uint32_t fd, uint32_t flags, uint32_t path, uint32_t path_len,
                      uint32_t buf) {
  return FilestatGet(c, fd, flags, path, path_len, buf, false);
}

Errno PathFilestatGetUnstable(Call& c, uint32_t fd, uint32_t flags, uint32_t path,
                              uint32_t path_len, uint32_t buf) {
  return FilestatGet(c, fd, flags, path, path_len, buf, true);
}

Errno PathFilestatSetTimes(Call& c, uint32_t fd, uint32_t flags, uint32_t path, uint32_t path_len,
                           uint64_t atim, uint64_t mtim, uint32_t fst_flags) {
  if ((flags & ~kLookupSymlinkFollow) != 0) return Errno::kInval;
  struct timespec times[2];
  if (Errno e = TimesFromFlags(atim, mtim, fst_flags, times); e != Errno::kSuccess) return e;
  ResolvedPath r;
  if (Errno e =
          Resolve(c, fd, rights::kPathFilestatSetTimes, path, path_len, LookupMode(flags), &r);
      e != Errno::kSuccess) {
    return e;
  }
  if (::utimensat(r.dir_fd, r.name.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0) return LastError();
  return Errno::kSuccess;
}

Errno PathLink(Call& c, uint32_t old_fd, uint32_t old_flags, uint32_t old_path,
               uint32_t old_path_len, uint32_t new_fd, uint32_t new_path, uint32_t new_path_len) {
  if ((old_flags & ~kLookupSymlinkFollow) != 0) return Errno::kInval;
  ResolvedPath from, to;
  if (Errno e = Resolve(c, old_fd, rights::kPathLinkSource, old_path, old_path_len,
                        LookupMode(old_flags), &from);
      e != Errno::kSuccess) {
    return e;
  }
  if (Errno e = Resolve(c, new_fd, rights::kPathLinkTarget, new_path, new_path_len,
                        FinalLookup::kParent, &to);
      e != Errno::kSuccess) {
    return e;
  }
  if (::linkat(from.dir_fd, from.name.c_str(), to.dir_fd, to.name.c_str(), 0) != 0) {
    return LastError();
  }
  return Errno::kSuccess;
}

Errno PathOpen(Call& c, uint32_t fd, uint32_t dirflags, uint32_t path, uint32_t path_len,
               uint32_t oflags, uint64_t rights_base, uint64_t rights_inheriting, uint32_t fdflags,
               uint32_t opened_fd_out) {
  if ((dirflags & ~kLookupSymlinkFollow) != 0 || (oflags & ~uint32_t{oflags::kAll}) != 0 ||
      (fdflags & ~uint32_t{fdflags::kAll}) != 0) {
    return Errno::kInval;
  }
  uint64_t needed = rights::kPathOpen;
  if (oflags & oflags::kCreat) needed |= rights::kPathCreateFile;
  if (oflags & oflags::kTrunc) needed |= rights::kPathFilestatSetSize;
  FdEntry* dir = nullptr;
  if (Errno e = LookupDir(c, fd, needed, &dir); e != Errno::kSuccess) return e;
  std::string_view p;
  if (Errno e = ReadGuestString(c, path, path_len, &p); e != Errno::kSuccess) return e;
  if (!c.mem.Check(opened_fd_out, 4, 4)) return Errno::kFault;

  // The new descriptor's rights: what was asked for, within what the directory passes on.
  uint64_t base = rights_base & dir->rights_inheriting;
  uint64_t inheriting = rights_inheriting & dir->rights_inheriting;

  int flags = O_CLOEXEC | O_NOCTTY | O_NONBLOCK;  // O_NONBLOCK: never block opening a FIFO
  bool read = (base & rights::kReadAccess) != 0;
  bool write = (base & rights::kWriteAccess) != 0;
  flags |= write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY;
  if (oflags & oflags::kCreat) flags |= O_CREAT;
  if (oflags & oflags::kDirectory) flags |= O_DIRECTORY;
  if (oflags & oflags::kExcl) flags |= O_EXCL;
  if (oflags & oflags::kTrunc) flags |= O_TRUNC;
  if (fdflags & fdflags::kAppend) flags |= O_APPEND;
  if (fdflags & fdflags::kDsync) flags |= O_DSYNC;
  if (fdflags & fdflags::kRsync) flags |= O_RSYNC;
  if (fdflags & fdflags::kSync) flags |= O_SYNC;
  bool follow = (dirflags & kLookupSymlinkFollow) != 0;

  UniqueFd opened(OpenBeneath(dir->host_fd, p, flags | (follow ? 0 : O_NOFOLLOW), 0666));
  if (!opened.valid()) {
    // The walk: also the source of every error (so they do not depend on the kernel).
    ResolvedPath r;
    if (Errno e = ResolvePath(dir->host_fd, p, LookupMode(dirflags), &r); e != Errno::kSuccess) {
      return e;
    }
    opened.reset(
        RetryEintr([&] { return ::openat(r.dir_fd, r.name.c_str(), flags | O_NOFOLLOW, 0666); }));
    // A directory asked for with write-side rights other than fd_write (allocate, set_size,
    // datasync): open it for reading; those rights then fail on it as on any directory.
    if (!opened.valid() && errno == EISDIR && write && (base & rights::kFdWrite) == 0) {
      flags = (flags & ~O_ACCMODE) | O_RDONLY;
      opened.reset(
          RetryEintr([&] { return ::openat(r.dir_fd, r.name.c_str(), flags | O_NOFOLLOW, 0666); }));
    }
    if (!opened.valid()) return LastError();
  }

  struct stat st;
  if (::fstat(opened.get(), &st) != 0) return LastError();
  auto entry = std::make_unique<FdEntry>();
  entry->type = FiletypeOfFd(opened.get(), st);
  entry->rights_base = base & (S_ISDIR(st.st_mode) ? rights::kDirBase : rights::kFileBase);
  entry->rights_inheriting = inheriting;
  entry->fdflags = static_cast<uint16_t>(fdflags);
  if ((fdflags & fdflags::kNonblock) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
    int fl = ::fcntl(opened.get(), F_GETFL);
    if (fl >= 0) ::fcntl(opened.get(), F_SETFL, fl & ~O_NONBLOCK);
  }
  entry->host_fd = opened.get();
  entry->owned_fd = std::move(opened);
  uint32_t new_fd = 0;
  if (Errno e = c.fds().Insert(std::move(entry), &new_fd); e != Errno::kSuccess) return e;
  c.mem.Write<uint32_t>(opened_fd_out, new_fd);
  return Errno::kSuccess;
}

Errno PathReadlink(Call& c, uint32_t fd, uint32_t path, uint32_t path_len, uint32_t buf,
                   uint32_t buf_len, uint32_t bufused_out) {
  uint8_t* out = c.mem.Bytes(buf, buf_len);
  if (out == nullptr || !c.mem.Check(path, path_len) || !c.mem.Check(bufused_out, 4, 4)) {
    return Errno::kFault;
  }
  ResolvedPath r;
  if (Errno e = Resolve(c, fd, rights::kPathReadlink, path, path_len, FinalLookup::kNoFollow, &r);
      e != Errno::kSuccess) {
    return e;
  }
  char target[kMaxPathLength + 1];
  ssize_t n = ::readlinkat(r.dir_fd, r.name.c_str(), target, sizeof(target));
  if (n < 0) return LastError();
  // A longer target is truncated to the buffer (as readlink(2)).
  uint32_t used = static_cast<uint64_t>(n) < buf_len ? static_cast<uint32_t>(n) : buf_len;
  std::memcpy(out, target, used);
  c.mem.Write<uint32_t>(bufused_out, used);
  return Errno::kSuccess;
}

Errno PathRemoveDirectory(Call& c, uint32_t fd, uint32_t path, uint32_t path_len) {
  ResolvedPath r;
  if (Errno e =
          Resolve(c, fd, rights::kPathRemoveDirectory, path, path_len, FinalLookup::kParent, &r);
      e != Errno::kSuccess) {
    return e;
  }
  if (::unlinkat(r.dir_fd, r.name.c_str(), AT_REMOVEDIR) != 0) return LastError();
  return Errno::kSuccess;
}

Errno PathRename(Call& c, uint32_t fd, uint32_t old_path, uint32_t old_path_len, uint32_t new_fd,
                 uint32_t new_path, uint32_t new_path_len) {
  ResolvedPath from, to;
  if (Errno e = Resolve(c, fd, rights::kPathRenameSource, old_path, old_path_len,
                        FinalLookup::kParent, &from);
      e != Errno::kSuccess) {
    return e;
  }
  if (Errno e = Resolve(c, new_fd, rights::kPathRenameTarget, new_path, new_path_len,
                        FinalLookup::kParent, &to);
      e != Errno::kSuccess) {
    return e;
  }
  if (::renameat(from.dir_fd, from.name.c_str(), to.dir_fd, to.name.c_str()) != 0) {
    return LastError();
  }
  return Errno::kSuccess;
}

Errno PathSymlink(Call& c, uint32_t old_path, uint32_t old_path_len, uint32_t fd, uint32_t new_path,
                  uint32_t new_path_len) {
  std::string_view target;
  if (Errno e = ReadGuestString(c, old_path, old_path_len, &target); e != Errno::kSuccess) {
    return e;
  }
  ResolvedPath r;
  if (Errno e =
          Resolve(c, fd, rights::kPathSymlink, new_path, new_path_len, FinalLookup::kParent, &r);
      e != Errno::kSuccess) {
    return e;
  }
  if (Errno e = CheckGuestPath(target); e != Errno::kSuccess) return e;
  // A link to an absolute path could only ever point outside the sandbox.
  if (target.front() == '/') return Errno::kPerm;
  std::string t(target);
  if (::symlinkat(t.c_str(), r.dir_fd, r.name.c_str()) != 0) return LastError();
  return Errno::kSuccess;
}

Errno PathUnlinkFile(Call& c, uint32_t fd, uint32_t path, uint32_t path_len) {
  ResolvedPath r;
  if (Errno e = Resolve(c, fd, rights::kPathUnlinkFile, path, path_len, FinalLookup::kParent, &r);
      e != Errno::kSuccess) {
    return e;
  }
  if (::unlinkat(r.dir_fd, r.name.c_str(), 0) != 0) return LastError();
  return Errno::kSuccess;
}

}  // namespace wt::wasi::host
