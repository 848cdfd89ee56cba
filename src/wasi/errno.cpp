#include "wasi/errno.h"

#include <cerrno>

namespace wt::wasi {
namespace {

struct ErrnoInfo {
  Errno wasi;
  const char* name;
  int host;  // 0: no host errno maps here
  const char* message;
};

constexpr ErrnoInfo kErrnos[] = {
#define WT_WASI_ERRNO(name, value, witx, host, message) {Errno::name, witx, host, message},
#include "wasi/errno.def"
#undef WT_WASI_ERRNO
};
static_assert(sizeof(kErrnos) / sizeof(kErrnos[0]) == kErrnoCount,
              "errno.def and kErrnoCount disagree");

constexpr bool ValuesAreIndexes() {
  for (uint32_t i = 0; i < kErrnoCount; ++i) {
    if (static_cast<uint32_t>(kErrnos[i].wasi) != i) return false;
  }
  return true;
}
static_assert(ValuesAreIndexes(), "errno.def must list the values in order, without gaps");

}  // namespace

const char* ErrnoName(Errno e) {
  auto i = static_cast<uint32_t>(e);
  return i < kErrnoCount ? kErrnos[i].name : "unknown";
}

const char* ErrnoMessage(Errno e) {
  auto i = static_cast<uint32_t>(e);
  return i < kErrnoCount ? kErrnos[i].message : "unknown error";
}

Errno ErrnoFromHost(int host_errno) {
  if (host_errno == 0) return Errno::kSuccess;
  // Aliases some hosts give their own value.
  if (host_errno == EWOULDBLOCK) return Errno::kAgain;
  if (host_errno == EOPNOTSUPP) return Errno::kNotSup;
  if (host_errno == EDEADLOCK) return Errno::kDeadlk;
  for (const ErrnoInfo& info : kErrnos) {
    if (info.host != 0 && info.host == host_errno) return info.wasi;
  }
  return Errno::kIo;
}

Errno LastError() {
  return ErrnoFromHost(errno);
}

}  // namespace wt::wasi
