// errno as its name ("ENOENT"), the same text natively and under WASI (strerror's wording
// differs between C libraries).
#pragma once
#include <errno.h>

static inline const char* ErrName(int e) {
  switch (e) {
    case 0:
      return "0";
    case EPERM:
      return "EPERM";
    case ENOENT:
      return "ENOENT";
    case EBADF:
      return "EBADF";
    case EACCES:
      return "EACCES";
    case EEXIST:
      return "EEXIST";
    case EXDEV:
      return "EXDEV";
    case ENOTDIR:
      return "ENOTDIR";
    case EISDIR:
      return "EISDIR";
    case EINVAL:
      return "EINVAL";
    case ENOSPC:
      return "ENOSPC";
    case ESPIPE:
      return "ESPIPE";
    case ENAMETOOLONG:
      return "ENAMETOOLONG";
    case ENOTEMPTY:
      return "ENOTEMPTY";
    case ELOOP:
      return "ELOOP";
    case ENOSYS:
      return "ENOSYS";
#ifdef ENOTCAPABLE
    case ENOTCAPABLE:
      return "ENOTCAPABLE";
#endif
    default:
      return "other";
  }
}
