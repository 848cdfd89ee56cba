// Sandboxed path resolution: a guest path, relative to a directory descriptor the guest holds,
// is walked one component at a time with openat(O_PATH | O_DIRECTORY | O_NOFOLLOW), keeping the
// chain of directories opened so far. So:
//   - an absolute path is refused (EPERM, as wasmtime);
//   - `..` pops one directory off the chain, and popping past the starting directory is
//     refused (EPERM): `..` never leaves the directory the guest started from;
//   - the kernel never follows a symbolic link: every link met is read (readlinkat) and its
//     target's components replace it in the walk, so a link is followed exactly like a path the
//     guest typed (an absolute target or one that climbs out is refused the same way), at most
//     kMaxSymlinks times (ELOOP);
//   - the final operation is done relative to the last directory of the chain on a single
//     name, never with a slash-separated path, with "no follow" flags.
// No string-prefix check is involved anywhere. A symlink planted by the guest is no different
// from any other link.
//
// OpenBeneath is the fast path for path_open: one openat2(RESOLVE_BENEATH) call, with the
// walk as the fallback (older kernels, and every failure, so errors are the walk's).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "wasi/errno.h"
#include "wasi/fd_table.h"

namespace wt::wasi {

inline constexpr uint32_t kMaxSymlinks = 40;  // as Linux
inline constexpr size_t kMaxPathLength = 4096;

// How the last component is treated.
enum class FinalLookup : uint8_t {
  // The operation acts on the name itself (unlink, rmdir, rename, mkdir, symlink, link target):
  // it is returned as is, with its trailing slash if the path had one (the kernel then applies
  // its trailing-slash rules; these operations never follow a link at the last component).
  kParent,
  // The operation looks the name up without following a final link (lstat, open O_NOFOLLOW).
  // A trailing slash means "follow and require a directory", as in POSIX.
  kNoFollow,
  // The operation looks the name up and follows final links (inside the sandbox).
  kFollow,
};

struct ResolvedPath {
  int dir_fd = -1;   // directory holding the final component (borrowed from `hold` or the base)
  UniqueFd hold;     // keeps dir_fd open when it is not the base
  std::string name;  // the final component: a single name, ".", or "name/" (kParent only)
};

// Resolves `path` relative to the directory `base_fd`. On success fills `out`.
Errno ResolvePath(int base_fd, std::string_view path, FinalLookup mode, ResolvedPath* out);

// Validates a guest path before resolution: NUL bytes (EINVAL), empty (ENOENT), longer than
// kMaxPathLength (ENAMETOOLONG).
Errno CheckGuestPath(std::string_view path);

// openat2(base_fd, path, flags | O_CLOEXEC, mode, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS).
// Returns the new fd, or -1 (any failure, including a kernel without openat2).
int OpenBeneath(int base_fd, std::string_view path, int flags, unsigned mode);
// Turns the openat2 fast path off (for tests of the walk) or back on.
void SetOpenat2Enabled(bool enabled);

}  // namespace wt::wasi
