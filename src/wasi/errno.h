// WASI preview 1 error numbers (generated from errno.def) and the host errno -> WASI mapping.
#pragma once

#include <cstdint>

namespace wt::wasi {

enum class Errno : uint16_t {
#define WT_WASI_ERRNO(name, value, witx, host, message) name = value,
#include "wasi/errno.def"
#undef WT_WASI_ERRNO
};

inline constexpr uint32_t kErrnoCount = 77;

// The witx name ("noent"), or "unknown".
const char* ErrnoName(Errno e);
// A one-line description ("no such file or directory").
const char* ErrnoMessage(Errno e);
// The WASI errno for a host (POSIX) errno; EIO's value (kIo) for errnos WASI has no name for.
Errno ErrnoFromHost(int host_errno);
// ErrnoFromHost(errno): the WASI errno of the last failed system call.
Errno LastError();

}  // namespace wt::wasi
