// fd_close, fd_renumber, fd_fdstat_get / set_flags / set_rights, fd_filestat_get / set_size /
// set_times, fd_prestat_get, fd_prestat_dir_name, fd_readdir.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <cstring>

#include "wasi/host.h"

namespace wt::wasi::host {

Errno FdClose(Call& c, uint32_t fd) {
  return c.fds().Close(fd);
}

Errno FdRenumber(Call& c, uint32_t from, uint32_t to) {
  return c.fds().Renumber(from, to);
}

Errno FdFdstatGet(Call& c, uint32_t fd, uint32_t buf) {
  FdEntry* e = c.fds().Get(fd);
  if (e == nullptr) return Errno::kBadf;
  uint8_t* p = c.mem.Bytes(buf, layout::kFdstatSize, layout::kFdstatAlign);
  if (p == nullptr) return Errno::kFault;
  std::memset(p, 0, layout::kFdstatSize);
  GuestMemory::Put<uint8_t>(p, layout::kFdstatFiletype, static_cast<uint8_t>(e->type));
  GuestMemory::Put<uint16_t>(p, layout::kFdstatFlags, e->fdflags);
  GuestMemory::Put<uint64_t>(p, layout::kFdstatRightsBase, e->rights_base);
  GuestMemory::Put<uint64_t>(p, layout::kFdstatRightsInheriting, e->rights_inheriting);
  return Errno::kSuccess;
}

Errno FdFdstatSetFlags(Call& c, uint32_t fd, uint32_t flags) {
  FdEntry* e = nullptr;
  if (Errno err = c.fds().Lookup(fd, rights::kFdFdstatSetFlags, &e); err != Errno::kSuccess) {
    return err;
  }
  if ((flags & ~uint32_t{fdflags::kAll}) != 0) return Errno::kInval;
  // The sync flags are fixed when the file is opened (as on POSIX hosts).
  if ((flags & fdflags::kSyncs) != (e->fdflags & fdflags::kSyncs)) return Errno::kInval;
  // Only descriptors the guest opened itself are changed on the host; the host's own stdio
  // descriptors are shared with the embedder, so their flags are only recorded.
  if (e->owned_fd.valid()) {
    int host = ::fcntl(e->host_fd, F_GETFL);
    if (host < 0) return LastError();
    host &= ~(O_APPEND | O_NONBLOCK);
    if (flags & fdflags::kAppend) host |= O_APPEND;
    if (flags & fdflags::kNonblock) host |= O_NONBLOCK;
    if (::fcntl(e->host_fd, F_SETFL, host) != 0) return LastError();
  }
  e->fdflags = static_cast<uint16_t>(flags);
  return Errno::kSuccess;
}

Errno FdFdstatSetRights(Call& c, uint32_t fd, uint64_t base, uint64_t inheriting) {
  FdEntry* e = c.fds().Get(fd);
  if (e == nullptr) return Errno::kBadf;
  // Rights can only be dropped.
  if ((base & ~e->rights_base) != 0 || (inheriting & ~e->rights_inheriting) != 0) {
    return Errno::kNotCapable;
  }
  e->rights_base = base;
  e->rights_inheriting = inheriting;
  return Errno::kSuccess;
}

namespace {

Errno FilestatGet(Call& c, uint32_t fd, uint32_t buf, bool unstable) {
  FdEntry* e = nullptr;
  if (Errno err = c.fds().Lookup(fd, rights::kFdFilestatGet, &e); err != Errno::kSuccess) {
    return err;
  }
  uint32_t size = unstable ? layout::kUnstableFilestatSize : layout::kFilestatSize;
  if (!c.mem.Check(buf, size, layout::kFilestatAlign)) return Errno::kFault;
  struct stat st;
  if (::fstat(e->host_fd, &st) != 0) return LastError();
  return WriteFilestat(c, buf, st, e->type, unstable);
}

}  // namespace

Errno FdFilestatGet(Call& c, uint32_t fd, uint32_t buf) {
  return FilestatGet(c, fd, buf, false);
}

Errno FdFilestatGetUnstable(Call& c, uint32_t fd, uint32_t buf) {
  return FilestatGet(c, fd, buf, true);
}

Errno FdFilestatSetSize(Call& c, uint32_t fd, uint64_t size) {
  FdEntry* e = nullptr;
  if (Errno err = c.fds().Lookup(fd, rights::kFdFilestatSetSize, &e); err != Errno::kSuccess) {
    return err;
  }
  if (size > static_cast<uint64_t>(INT64_MAX)) return Errno::kFbig;
  if (RetryEintr([&] { return ::ftruncate(e->host_fd, static_cast<off_t>(size)); }) != 0) {
    return LastError();
  }
  return Errno::kSuccess;
}

Errno FdFilestatSetTimes(Call& c, uint32_t fd, uint64_t atim, uint64_t mtim, uint32_t fst_flags) {
  FdEntry* e = nullptr;
  if (Errno err = c.fds().Lookup(fd, rights::kFdFilestatSetTimes, &e); err != Errno::kSuccess) {
    return err;
  }
  struct timespec times[2];
  if (Errno err = TimesFromFlags(atim, mtim, fst_flags, times); err != Errno::kSuccess) {
    return err;
  }
  if (::futimens(e->host_fd, times) != 0) return LastError();
  return Errno::kSuccess;
}

Errno FdPrestatGet(Call& c, uint32_t fd, uint32_t buf) {
  FdEntry* e = c.fds().Get(fd);
  if (e == nullptr || !e->is_preopen) return Errno::kBadf;
  if (e->preopen_name.size() > UINT32_MAX) return Errno::kOverflow;
  uint8_t* p = c.mem.Bytes(buf, layout::kPrestatSize, layout::kPrestatAlign);
  if (p == nullptr) return Errno::kFault;
  std::memset(p, 0, layout::kPrestatSize);
  GuestMemory::Put<uint8_t>(p, 0, kPreopenTypeDir);
  GuestMemory::Put<uint32_t>(p, layout::kPrestatNameLen,
                             static_cast<uint32_t>(e->preopen_name.size()));
  return Errno::kSuccess;
}

Errno FdPrestatDirName(Call& c, uint32_t fd, uint32_t path, uint32_t path_len) {
  FdEntry* e = c.fds().Get(fd);
  if (e == nullptr) return Errno::kBadf;
  if (!e->is_preopen) return Errno::kNotDir;  // as wasmtime
  // The whole buffer the guest names must be memory, also the part the name does not fill.
  uint8_t* out = c.mem.Bytes(path, path_len);
  if (out == nullptr) return Errno::kFault;
  if (e->preopen_name.size() > path_len) return Errno::kNameTooLong;
  std::memcpy(out, e->preopen_name.data(), e->preopen_name.size());
  return Errno::kSuccess;
}

namespace {

// Reads the whole directory (without "." and "..") into the entry's listing.
Errno ReadListing(FdEntry* e) {
  e->listing.clear();
  e->listing_valid = false;
  if (::lseek(e->host_fd, 0, SEEK_SET) < 0) return LastError();
  alignas(8) char buf[32 * 1024];
  for (;;) {
    long n = RetryEintr([&] { return ::syscall(SYS_getdents64, e->host_fd, buf, sizeof(buf)); });
    if (n < 0) return LastError();
    if (n == 0) break;
    for (long at = 0; at < n;) {
      // linux_dirent64: d_ino u64 @0, d_off s64 @8, d_reclen u16 @16, d_type u8 @18, name @19.
      const char* rec = buf + at;
      uint64_t d_ino;
      uint16_t reclen;
      std::memcpy(&d_ino, rec, 8);
      std::memcpy(&reclen, rec + 16, 2);
      uint8_t d_type = static_cast<uint8_t>(rec[18]);
      if (reclen == 0) return Errno::kIo;
      at += reclen;
      std::string_view name(rec + 19);
      if (name == "." || name == "..") continue;
      DirListingEntry entry;
      entry.name = std::string(name);
      entry.ino = d_ino;
      switch (d_type) {
        case DT_REG:
          entry.type = Filetype::kRegularFile;
          break;
        case DT_DIR:
          entry.type = Filetype::kDirectory;
          break;
        case DT_LNK:
          entry.type = Filetype::kSymbolicLink;
          break;
        case DT_CHR:
          entry.type = Filetype::kCharacterDevice;
          break;
        case DT_BLK:
          entry.type = Filetype::kBlockDevice;
          break;
        case DT_SOCK:
          entry.type = Filetype::kSocketStream;
          break;
        case DT_FIFO:
          entry.type = Filetype::kUnknown;
          break;
        default: {
          struct stat st;
          if (::fstatat(e->host_fd, entry.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
            entry.type = FiletypeOfMode(st.st_mode);
          }
          break;
        }
      }
      e->listing.push_back(std::move(entry));
    }
  }
  e->listing_valid = true;
  return Errno::kSuccess;
}

}  // namespace

Errno FdReaddir(Call& c, uint32_t fd, uint32_t buf, uint32_t buf_len, uint64_t cookie,
                uint32_t bufused_out) {
  FdEntry* e = c.fds().Get(fd);
  if (e == nullptr) return Errno::kBadf;
  if (!e->is_dir()) return Errno::kNotDir;
  if ((e->rights_base & rights::kFdReaddir) == 0) return Errno::kNotCapable;
  uint8_t* out = c.mem.Bytes(buf, buf_len);
  if (out == nullptr) return Errno::kFault;
  if (!c.mem.Check(bufused_out, 4, 4)) return Errno::kFault;

  if (cookie == 0 || !e->listing_valid) {
    if (Errno err = ReadListing(e); err != Errno::kSuccess) return err;
  }
  struct stat self;
  if (::fstat(e->host_fd, &self) != 0) return LastError();

  // Entry i: 0 = ".", 1 = "..", 2 + k = listing[k]; its d_next is i + 1.
  uint64_t count = 2 + e->listing.size();
  uint32_t used = 0;
  for (uint64_t i = cookie; i < count && used < buf_len; ++i) {
    std::string_view name;
    uint64_t ino = self.st_ino;
    Filetype type = Filetype::kDirectory;
    if (i == 0) {
      name = ".";
    } else if (i == 1) {
      name = "..";
    } else {
      const DirListingEntry& le = e->listing[i - 2];
      name = le.name;
      ino = le.ino;
      type = le.type;
    }
    uint8_t header[layout::kDirentSize] = {};
    GuestMemory::Put<uint64_t>(header, layout::kDirentNext, i + 1);
    GuestMemory::Put<uint64_t>(header, layout::kDirentIno, ino);
    GuestMemory::Put<uint32_t>(header, layout::kDirentNamlen, static_cast<uint32_t>(name.size()));
    GuestMemory::Put<uint8_t>(header, layout::kDirentType, static_cast<uint8_t>(type));
    // Entries that do not fit are truncated: the guest sees a full buffer and asks again.
    uint32_t take = buf_len - used < layout::kDirentSize ? buf_len - used : layout::kDirentSize;
    std::memcpy(out + used, header, take);
    used += take;
    uint64_t room = buf_len - used;
    uint32_t name_take = static_cast<uint32_t>(name.size() < room ? name.size() : room);
    std::memcpy(out + used, name.data(), name_take);
    used += name_take;
  }
  c.mem.Write<uint32_t>(bufused_out, used);
  return Errno::kSuccess;
}

}  // namespace wt::wasi::host
