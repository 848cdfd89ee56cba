#include "wasi/sandbox.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <vector>

#ifdef __linux__
#include <linux/openat2.h>
#endif

namespace wt::wasi {
namespace {

std::atomic<bool> g_openat2_enabled{true};

// Pushes the components of `path` onto `pending` so that the first component is at the back.
// A trailing slash adds a final "." (the name before it must then be a directory).
void PushComponents(std::string_view path, bool trailing_dot, std::vector<std::string>* pending) {
  if (trailing_dot) pending->emplace_back(".");
  size_t end = path.size();
  while (end > 0) {
    size_t slash = path.rfind('/', end - 1);
    size_t start = slash == std::string_view::npos ? 0 : slash + 1;
    if (end > start) pending->emplace_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    end = slash;
  }
}

// Reads the symbolic link `name` in `dir`. Returns false when it is not a link (or cannot be
// read); `*err` then holds readlinkat's errno.
bool ReadLink(int dir, const std::string& name, std::string* target, int* err) {
  char buf[kMaxPathLength + 1];
  ssize_t n = ::readlinkat(dir, name.c_str(), buf, sizeof(buf));
  if (n < 0) {
    *err = errno;
    return false;
  }
  if (static_cast<size_t>(n) > kMaxPathLength) {
    *err = ENAMETOOLONG;
    return false;
  }
  target->assign(buf, static_cast<size_t>(n));
  return true;
}

}  // namespace

Errno CheckGuestPath(std::string_view path) {
  if (path.find('\0') != std::string_view::npos) return Errno::kInval;
  if (path.empty()) return Errno::kNoEnt;
  if (path.size() > kMaxPathLength) return Errno::kNameTooLong;
  return Errno::kSuccess;
}

Errno ResolvePath(int base_fd, std::string_view path, FinalLookup mode, ResolvedPath* out) {
  if (Errno e = CheckGuestPath(path); e != Errno::kSuccess) return e;
  if (path.front() == '/') return Errno::kPerm;

  // Strip trailing slashes, remembering them.
  size_t len = path.size();
  while (len > 0 && path[len - 1] == '/') --len;
  bool trailing = len < path.size();
  std::string_view body = path.substr(0, len);

  std::vector<std::string> pending;
  PushComponents(body, trailing && mode != FinalLookup::kParent, &pending);
  if (pending.empty()) pending.emplace_back(".");

  // The chain of directories walked into; empty = the base directory.
  std::vector<UniqueFd> chain;
  auto current = [&]() { return chain.empty() ? base_fd : chain.back().get(); };
  uint32_t links = 0;

  // Replaces a symlink by its target's components. Returns kSuccess or the error.
  auto expand = [&](const std::string& target) -> Errno {
    if (++links > kMaxSymlinks) return Errno::kLoop;
    if (target.empty()) return Errno::kNoEnt;
    if (target.front() == '/') return Errno::kPerm;
    size_t tlen = target.size();
    while (tlen > 0 && target[tlen - 1] == '/') --tlen;
    PushComponents(std::string_view(target).substr(0, tlen), tlen < target.size(), &pending);
    return Errno::kSuccess;
  };

  while (!pending.empty()) {
    std::string comp = std::move(pending.back());
    pending.pop_back();
    bool last = pending.empty();

    if (comp == "..") {
      if (chain.empty()) return Errno::kPerm;  // would climb out of the base directory
      chain.pop_back();
      if (last)
        comp.assign(1, '.');
      else
        continue;
    }
    if (!last) {
      if (comp == ".") continue;
      int fd = ::openat(current(), comp.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd >= 0) {
        chain.emplace_back(fd);
        continue;
      }
      int err = errno;
      if (err == ENOTDIR || err == ELOOP) {
        std::string target;
        int link_err = 0;
        if (ReadLink(current(), comp, &target, &link_err)) {
          if (Errno e = expand(target); e != Errno::kSuccess) return e;
          continue;
        }
      }
      return ErrnoFromHost(err);
    }

    // The last component.
    if (mode == FinalLookup::kFollow && comp != ".") {
      std::string target;
      int link_err = 0;
      if (ReadLink(current(), comp, &target, &link_err)) {
        if (Errno e = expand(target); e != Errno::kSuccess) return e;
        continue;
      }
    }
    if (mode == FinalLookup::kParent && trailing) comp.push_back('/');
    out->name = std::move(comp);
    if (chain.empty()) {
      out->dir_fd = base_fd;
      out->hold.reset();
    } else {
      out->hold = std::move(chain.back());
      out->dir_fd = out->hold.get();
    }
    return Errno::kSuccess;
  }
  return Errno::kNoEnt;  // unreachable: the loop returns at the last component
}

void SetOpenat2Enabled(bool enabled) {
  g_openat2_enabled.store(enabled, std::memory_order_relaxed);
}

int OpenBeneath(int base_fd, std::string_view path, int flags, unsigned mode) {
#if defined(__linux__) && defined(SYS_openat2) && defined(RESOLVE_BENEATH)
  if (!g_openat2_enabled.load(std::memory_order_relaxed)) return -1;
  if (CheckGuestPath(path) != Errno::kSuccess || path.front() == '/') return -1;
  std::string p(path);
  struct open_how how = {};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  how.mode = (flags & O_CREAT) != 0 ? mode : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  long fd = ::syscall(SYS_openat2, base_fd, p.c_str(), &how, sizeof(how));
  if (fd < 0) {
    if (errno == ENOSYS || errno == EPERM) {
      // No openat2 (or a seccomp filter refusing it): use the walk from now on.
      if (errno == ENOSYS) g_openat2_enabled.store(false, std::memory_order_relaxed);
    }
    return -1;
  }
  return static_cast<int>(fd);
#else
  (void)base_fd;
  (void)path;
  (void)flags;
  (void)mode;
  return -1;
#endif
}

}  // namespace wt::wasi
