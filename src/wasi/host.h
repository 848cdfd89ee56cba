// Internal: the WASI function implementations, one declaration per preview 1 function, split
// by area over the .cpp files of this folder. Each takes the Call (context + the caller's
// memory view) and the wasm parameters (u32 for i32, u64 / i64 for i64) and returns the errno;
// results go to guest memory through `mem`. A guest-pointer fault returns kFault with the
// fault recorded in `mem` (the adapter in define.cpp turns it into a trap by default).
#pragma once

#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <string_view>

#include "wasi/abi.h"
#include "wasi/errno.h"
#include "wasi/guest_memory.h"
#include "wasi/wasi.h"

namespace wt::wasi::host {

struct Call {
  using Clock = std::chrono::steady_clock;

  WasiCtx& ctx;
  GuestMemory mem;
  // The store's --timeout deadline (max(): none). A call that would wait past it stops there
  // and sets `interrupted`; the adapter then traps "interrupt" (TrapCode::kInterrupt), as the
  // JIT's epoch check does. Without a deadline nothing checks the clock.
  Clock::time_point deadline = Clock::time_point::max();
  bool interrupted = false;

  FdTable& fds() { return ctx.fds(); }
  bool has_deadline() const { return deadline != Clock::time_point::max(); }
};

// ---- Shared helpers (helpers.cpp)
Filetype FiletypeOfMode(mode_t mode);
// The filetype of an open descriptor (sockets: stream or datagram).
Filetype FiletypeOfFd(int fd, const struct stat& st);
uint64_t TimespecToNs(const struct timespec& ts);
// Writes a filestat record (preview 1 or wasi_unstable layout) at `ptr`.
Errno WriteFilestat(Call& c, uint32_t ptr, const struct stat& st, Filetype type, bool unstable);
// Builds the utimensat/futimens times for fst_flags; kInval for contradictory / unknown flags.
Errno TimesFromFlags(uint64_t atim, uint64_t mtim, uint32_t fst_flags, struct timespec out[2]);
// The guest string at [ptr, ptr + len), or kFault.
Errno ReadGuestString(Call& c, uint32_t ptr, uint32_t len, std::string_view* out);
// The directory entry `fd` for a path operation needing `rights`: kBadf, kNotDir, kNotCapable.
Errno LookupDir(Call& c, uint32_t fd, uint64_t rights, FdEntry** out);
// Records that the call's deadline has passed (the adapter traps "interrupt"); sets errno to
// EINTR and returns kIntr, for callers that pass system-call failures on.
Errno Interrupt(Call& c);
// With a deadline: waits until `fd` is ready for `events` (or has an error or hang-up for the
// I/O call to report), at most until the deadline, then Interrupt. A descriptor ready at once
// is never interrupted, even past the deadline. Without a deadline: kSuccess at once (the
// caller's blocking call does the waiting, as before).
Errno AwaitFd(Call& c, int fd, short events);
// Whether reading or writing `e` can wait for another party (pipes, FIFOs, sockets, terminals
// and other character devices), as opposed to files, directories and block devices, or a
// descriptor the guest made non-blocking.
bool MayWait(const FdEntry& e);
// Retries a system call interrupted by a signal.
template <typename F>
auto RetryEintr(F f) {
  for (;;) {
    auto r = f();
    if (r >= 0 || errno != EINTR) return r;
  }
}

// ---- args_env.cpp
Errno ArgsGet(Call& c, uint32_t argv, uint32_t argv_buf);
Errno ArgsSizesGet(Call& c, uint32_t argc_out, uint32_t buf_size_out);
Errno EnvironGet(Call& c, uint32_t environ, uint32_t environ_buf);
Errno EnvironSizesGet(Call& c, uint32_t count_out, uint32_t buf_size_out);

// ---- clock_random.cpp
Errno ClockResGet(Call& c, uint32_t id, uint32_t resolution_out);
Errno ClockTimeGet(Call& c, uint32_t id, uint64_t precision, uint32_t time_out);
Errno RandomGet(Call& c, uint32_t buf, uint32_t buf_len);
Errno SchedYield(Call& c);
Errno ProcRaise(Call& c, uint32_t sig);
// Reads a clock in nanoseconds (kInval for an unknown id).
Errno ReadClock(uint32_t id, uint64_t* ns);

// ---- fd_io.cpp
Errno FdRead(Call& c, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nread_out);
Errno FdPread(Call& c, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint64_t offset,
              uint32_t nread_out);
Errno FdWrite(Call& c, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nwritten_out);
Errno FdPwrite(Call& c, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint64_t offset,
               uint32_t nwritten_out);
Errno FdSeek(Call& c, uint32_t fd, uint64_t offset, uint32_t whence, uint32_t newoffset_out);
Errno FdSeekUnstable(Call& c, uint32_t fd, uint64_t offset, uint32_t whence,
                     uint32_t newoffset_out);
Errno FdTell(Call& c, uint32_t fd, uint32_t offset_out);
Errno FdAdvise(Call& c, uint32_t fd, uint64_t offset, uint64_t len, uint32_t advice);
Errno FdAllocate(Call& c, uint32_t fd, uint64_t offset, uint64_t len);
Errno FdSync(Call& c, uint32_t fd);
Errno FdDatasync(Call& c, uint32_t fd);

// ---- fd_state.cpp
Errno FdClose(Call& c, uint32_t fd);
Errno FdRenumber(Call& c, uint32_t from, uint32_t to);
Errno FdFdstatGet(Call& c, uint32_t fd, uint32_t buf);
Errno FdFdstatSetFlags(Call& c, uint32_t fd, uint32_t flags);
Errno FdFdstatSetRights(Call& c, uint32_t fd, uint64_t base, uint64_t inheriting);
Errno FdFilestatGet(Call& c, uint32_t fd, uint32_t buf);
Errno FdFilestatGetUnstable(Call& c, uint32_t fd, uint32_t buf);
Errno FdFilestatSetSize(Call& c, uint32_t fd, uint64_t size);
Errno FdFilestatSetTimes(Call& c, uint32_t fd, uint64_t atim, uint64_t mtim, uint32_t fst_flags);
Errno FdPrestatGet(Call& c, uint32_t fd, uint32_t buf);
Errno FdPrestatDirName(Call& c, uint32_t fd, uint32_t path, uint32_t path_len);
Errno FdReaddir(Call& c, uint32_t fd, uint32_t buf, uint32_t buf_len, uint64_t cookie,
                uint32_t bufused_out);

// ---- path.cpp
Errno PathCreateDirectory(Call& c, uint32_t fd, uint32_t path, uint32_t path_len);
Errno PathFilestatGet(Call& c, uint32_t fd, uint32_t flags, uint32_t path, uint32_t path_len,
                      uint32_t buf);
Errno PathFilestatGetUnstable(Call& c, uint32_t fd, uint32_t flags, uint32_t path,
                              uint32_t path_len, uint32_t buf);
Errno PathFilestatSetTimes(Call& c, uint32_t fd, uint32_t flags, uint32_t path, uint32_t path_len,
                           uint64_t atim, uint64_t mtim, uint32_t fst_flags);
Errno PathLink(Call& c, uint32_t old_fd, uint32_t old_flags, uint32_t old_path,
               uint32_t old_path_len, uint32_t new_fd, uint32_t new_path, uint32_t new_path_len);
Errno PathOpen(Call& c, uint32_t fd, uint32_t dirflags, uint32_t path, uint32_t path_len,
               uint32_t oflags, uint64_t rights_base, uint64_t rights_inheriting, uint32_t fdflags,
               uint32_t opened_fd_out);
Errno PathReadlink(Call& c, uint32_t fd, uint32_t path, uint32_t path_len, uint32_t buf,
                   uint32_t buf_len, uint32_t bufused_out);
Errno PathRemoveDirectory(Call& c, uint32_t fd, uint32_t path, uint32_t path_len);
Errno PathRename(Call& c, uint32_t fd, uint32_t old_path, uint32_t old_path_len, uint32_t new_fd,
                 uint32_t new_path, uint32_t new_path_len);
Errno PathSymlink(Call& c, uint32_t old_path, uint32_t old_path_len, uint32_t fd, uint32_t new_path,
                  uint32_t new_path_len);
Errno PathUnlinkFile(Call& c, uint32_t fd, uint32_t path, uint32_t path_len);

// ---- poll.cpp
Errno PollOneoff(Call& c, uint32_t in, uint32_t out, uint32_t nsubscriptions, uint32_t nevents_out);
Errno PollOneoffUnstable(Call& c, uint32_t in, uint32_t out, uint32_t nsubscriptions,
                         uint32_t nevents_out);

// ---- sockets.cpp
Errno SockAccept(Call& c, uint32_t fd, uint32_t flags, uint32_t fd_out);
Errno SockRecv(Call& c, uint32_t fd, uint32_t ri_data, uint32_t ri_data_len, uint32_t ri_flags,
               uint32_t ro_datalen_out, uint32_t ro_flags_out);
Errno SockSend(Call& c, uint32_t fd, uint32_t si_data, uint32_t si_data_len, uint32_t si_flags,
               uint32_t so_datalen_out);
Errno SockShutdown(Call& c, uint32_t fd, uint32_t how);

}  // namespace wt::wasi::host
