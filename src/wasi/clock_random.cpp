// Clocks (realtime, monotonic, process and thread CPU time), random_get, sched_yield,
// proc_raise.
#include <sched.h>
#include <sys/random.h>
#include <time.h>

#include "wasi/host.h"

namespace wt::wasi::host {
namespace {

bool HostClock(uint32_t id, clockid_t* out) {
  switch (static_cast<ClockId>(id)) {
    case ClockId::kRealtime:
      *out = CLOCK_REALTIME;
      return true;
    case ClockId::kMonotonic:
      *out = CLOCK_MONOTONIC;
      return true;
    case ClockId::kProcessCputime:
      *out = CLOCK_PROCESS_CPUTIME_ID;
      return true;
    case ClockId::kThreadCputime:
      *out = CLOCK_THREAD_CPUTIME_ID;
      return true;
  }
  return false;
}

}  // namespace

Errno ReadClock(uint32_t id, uint64_t* ns) {
  clockid_t clock;
  if (!HostClock(id, &clock)) return Errno::kInval;
  struct timespec ts;
  if (::clock_gettime(clock, &ts) != 0) return LastError();
  *ns = TimespecToNs(ts);
  return Errno::kSuccess;
}

Errno ClockResGet(Call& c, uint32_t id, uint32_t resolution_out) {
  clockid_t clock;
  if (!HostClock(id, &clock)) return Errno::kInval;
  if (!c.mem.Check(resolution_out, 8, 8)) return Errno::kFault;
  struct timespec ts;
  if (::clock_getres(clock, &ts) != 0) return LastError();
  uint64_t ns = TimespecToNs(ts);
  c.mem.Write<uint64_t>(resolution_out, ns == 0 ? 1 : ns);
  return Errno::kSuccess;
}

Errno ClockTimeGet(Call& c, uint32_t id, uint64_t /*precision*/, uint32_t time_out) {
  uint64_t ns = 0;
  if (Errno e = ReadClock(id, &ns); e != Errno::kSuccess) return e;
  if (!c.mem.Write<uint64_t>(time_out, ns)) return Errno::kFault;
  return Errno::kSuccess;
}

Errno RandomGet(Call& c, uint32_t buf, uint32_t buf_len) {
  uint8_t* p = c.mem.Bytes(buf, buf_len);
  if (p == nullptr) return Errno::kFault;
  size_t done = 0;
  while (done < buf_len) {
    ssize_t n = ::getrandom(p + done, buf_len - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return LastError();
    }
    done += static_cast<size_t>(n);
  }
  return Errno::kSuccess;
}

Errno SchedYield(Call& /*c*/) {
  ::sched_yield();
  return Errno::kSuccess;
}

Errno ProcRaise(Call& /*c*/, uint32_t /*sig*/) {
  return Errno::kNoSys;
}

}  // namespace wt::wasi::host
