// WasiCtx: the guest's initial descriptors (stdio from the host, then the preopens).
#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "wasi/host.h"

namespace wt::wasi {
namespace {

// The guest's view of one of the host's stdio descriptors (shared, never closed by us).
std::unique_ptr<FdEntry> StdioEntry(int host_fd, bool input) {
  struct stat st;
  if (host_fd < 0 || ::fstat(host_fd, &st) != 0) return nullptr;
  auto e = std::make_unique<FdEntry>();
  e->host_fd = host_fd;
  e->type = host::FiletypeOfFd(host_fd, st);
  uint64_t r = rights::kFileBase;
  r &= input ? ~rights::kWriteAccess : ~rights::kFdRead;
  bool seekable = e->type == Filetype::kRegularFile || e->type == Filetype::kBlockDevice;
  if (!seekable) {
    // Without these a terminal is a terminal to wasi-libc's isatty().
    r &= ~(rights::kFdSeek | rights::kFdTell | rights::kFdAllocate | rights::kFdFilestatSetSize |
           rights::kFdAdvise);
  }
  if (e->is_socket()) r |= rights::kSockShutdown | rights::kSockAccept;
  e->rights_base = r;
  e->rights_inheriting = 0;
  // APPEND as the host has it; NONBLOCK as the guest sets it (reads and writes block for the
  // guest even when the shared host descriptor is non-blocking, see fd_io.cpp).
  int fl = ::fcntl(host_fd, F_GETFL);
  if (fl >= 0 && (fl & O_APPEND)) e->fdflags |= fdflags::kAppend;
  return e;
}

}  // namespace

Result<std::unique_ptr<WasiCtx>> WasiCtx::Create(WasiConfig config) {
  std::unique_ptr<WasiCtx> ctx(new WasiCtx(std::move(config)));
  const WasiConfig& c = ctx->config_;
  int stdio[3] = {c.stdin_fd, c.stdout_fd, c.stderr_fd};
  for (uint32_t i = 0; i < 3; ++i) {
    if (auto e = StdioEntry(stdio[i], i == 0)) ctx->fds_.InsertAt(i, std::move(e));
  }
  uint32_t next = 3;
  for (const PreopenDir& p : c.preopens) {
    UniqueFd fd(::open(p.host_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd.valid()) {
      return MakeError(ErrorKind::kIo, "cannot open directory '{}' (--dir): {}", p.host_path,
                       std::strerror(errno));
    }
    auto e = std::make_unique<FdEntry>();
    e->host_fd = fd.get();
    e->owned_fd = std::move(fd);
    e->type = Filetype::kDirectory;
    e->rights_base = rights::kDirBase;
    e->rights_inheriting = rights::kDirBase | rights::kFileBase;
    e->is_preopen = true;
    e->preopen_name = p.guest_path;
    ctx->fds_.InsertAt(next++, std::move(e));
  }
  return ctx;
}

WasiCtx::~WasiCtx() = default;

}  // namespace wt::wasi
