// poll_oneoff: clock subscriptions (relative or absolute, realtime or monotonic) and fd
// read/write subscriptions, waited for together with ppoll(2).
//
// An fd subscription on a descriptor that is not open (or lacks the right to be read or
// written) completes at once with that error in its event. CPU-time clocks cannot be waited
// for: such a subscription completes at once with EINVAL.
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <vector>

#include "wasi/host.h"

namespace wt::wasi::host {
namespace {

struct Sub {
  uint64_t userdata = 0;
  EventType type = EventType::kClock;
  // Clocks: the monotonic deadline in ns.
  uint64_t deadline = 0;
  // Fds: the host descriptor and its index in the pollfd array (-1: none).
  int host_fd = -1;
  int poll_index = -1;
  bool regular_file = false;
  // An error decided before waiting (reported at once).
  Errno error = Errno::kSuccess;
  bool immediate = false;
};

uint64_t MonotonicNow() {
  struct timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return TimespecToNs(ts);
}

// Nanoseconds from now until `t` (0 once passed).
uint64_t NsUntil(Call::Clock::time_point t) {
  auto now = Call::Clock::now();
  if (t <= now) return 0;
  return static_cast<uint64_t>(std::chrono::ceil<std::chrono::nanoseconds>(t - now).count());
}

uint64_t SaturatingAdd(uint64_t a, uint64_t b) {
  return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

// Parses one subscription record at `rec`.
void ParseSub(Call& c, const uint8_t* rec, bool unstable, uint64_t now_mono, Sub* s) {
  namespace l = layout;
  s->userdata = GuestMemory::Get<uint64_t>(rec, l::kSubUserdata);
  uint8_t tag = GuestMemory::Get<uint8_t>(rec, l::kSubTag);
  if (tag == static_cast<uint8_t>(EventType::kClock)) {
    s->type = EventType::kClock;
    uint32_t id =
        GuestMemory::Get<uint32_t>(rec, unstable ? l::kUnstableSubClockId : l::kSubClockId);
    uint64_t timeout = GuestMemory::Get<uint64_t>(
        rec, unstable ? l::kUnstableSubClockTimeout : l::kSubClockTimeout);
    uint16_t flags =
        GuestMemory::Get<uint16_t>(rec, unstable ? l::kUnstableSubClockFlags : l::kSubClockFlags);
    bool absolute = (flags & kSubclockAbstime) != 0;
    if ((flags & ~kSubclockAbstime) != 0) {
      s->error = Errno::kInval;
      s->immediate = true;
      return;
    }
    switch (static_cast<ClockId>(id)) {
      case ClockId::kMonotonic:
        s->deadline = absolute ? timeout : SaturatingAdd(now_mono, timeout);
        return;
      case ClockId::kRealtime: {
        if (!absolute) {
          s->deadline = SaturatingAdd(now_mono, timeout);
          return;
        }
        uint64_t now_real = 0;
        ReadClock(static_cast<uint32_t>(ClockId::kRealtime), &now_real);
        s->deadline = timeout <= now_real ? now_mono : SaturatingAdd(now_mono, timeout - now_real);
        return;
      }
      default:
        s->error = Errno::kInval;
        s->immediate = true;
        return;
    }
  }
  if (tag == static_cast<uint8_t>(EventType::kFdRead) ||
      tag == static_cast<uint8_t>(EventType::kFdWrite)) {
    s->type = static_cast<EventType>(tag);
    uint32_t fd = GuestMemory::Get<uint32_t>(rec, l::kSubFd);
    FdEntry* e = c.fds().Get(fd);
    uint64_t needed = s->type == EventType::kFdRead ? rights::kFdRead : rights::kFdWrite;
    if (e == nullptr) {
      s->error = Errno::kBadf;
      s->immediate = true;
    } else if ((e->rights_base & needed) == 0) {
      s->error = Errno::kNotCapable;
      s->immediate = true;
    } else {
      s->host_fd = e->host_fd;
      s->regular_file = e->type == Filetype::kRegularFile;
    }
    return;
  }
  s->type = EventType::kClock;
  s->error = Errno::kInval;
  s->immediate = true;
}

void WriteEvent(uint8_t* ev, const Sub& s, Errno error, uint64_t nbytes, uint16_t flags) {
  namespace l = layout;
  std::memset(ev, 0, l::kEventSize);
  GuestMemory::Put<uint64_t>(ev, l::kEventUserdata, s.userdata);
  GuestMemory::Put<uint16_t>(ev, l::kEventError, static_cast<uint16_t>(error));
  GuestMemory::Put<uint8_t>(ev, l::kEventType, static_cast<uint8_t>(s.type));
  if (s.type != EventType::kClock) {
    GuestMemory::Put<uint64_t>(ev, l::kEventNbytes, nbytes);
    GuestMemory::Put<uint16_t>(ev, l::kEventFlags, flags);
  }
}

// Bytes readable from a ready descriptor (1 when unknown).
uint64_t Readable(const Sub& s) {
  if (s.regular_file) {
    struct stat st;
    off_t pos = ::lseek(s.host_fd, 0, SEEK_CUR);
    if (::fstat(s.host_fd, &st) == 0 && pos >= 0) {
      return st.st_size > pos ? static_cast<uint64_t>(st.st_size - pos) : 0;
    }
    return 0;
  }
  int n = 0;
  if (::ioctl(s.host_fd, FIONREAD, &n) == 0 && n > 0) return static_cast<uint64_t>(n);
  return 1;
}

Errno Poll(Call& c, uint32_t in, uint32_t out, uint32_t nsubscriptions, uint32_t nevents_out,
           bool unstable) {
  namespace l = layout;
  if (nsubscriptions == 0) return Errno::kInval;  // nothing to wait for would wait forever
  uint32_t sub_size = unstable ? l::kUnstableSubscriptionSize : l::kSubscriptionSize;
  const uint8_t* subs = c.mem.Bytes(in, uint64_t{nsubscriptions} * sub_size, l::kSubscriptionAlign);
  if (subs == nullptr) return Errno::kFault;
  uint8_t* events = c.mem.Bytes(out, uint64_t{nsubscriptions} * l::kEventSize, l::kEventAlign);
  if (events == nullptr) return Errno::kFault;
  if (!c.mem.Check(nevents_out, 4, 4)) return Errno::kFault;

  // The counts are bounded by the guest's memory (checked above).
  std::vector<Sub> s(nsubscriptions);
  std::vector<struct pollfd> pfds;
  uint64_t now = MonotonicNow();
  bool any_immediate = false;
  bool any_clock = false;
  uint64_t earliest = UINT64_MAX;
  for (uint32_t i = 0; i < nsubscriptions; ++i) {
    ParseSub(c, subs + uint64_t{i} * sub_size, unstable, now, &s[i]);
    if (s[i].immediate) {
      any_immediate = true;
    } else if (s[i].type == EventType::kClock) {
      any_clock = true;
      if (s[i].deadline < earliest) earliest = s[i].deadline;
    } else {
      s[i].poll_index = static_cast<int>(pfds.size());
      short want = s[i].type == EventType::kFdRead ? POLLIN : POLLOUT;
      pfds.push_back({s[i].host_fd, want, 0});
    }
  }

  // Wait until an fd is ready, the earliest clock expires, or (with an immediate event) not at
  // all. With a deadline (--timeout), no longer than until the deadline: when it comes first
  // and nothing is ready, the call is interrupted.
  for (;;) {
    now = MonotonicNow();
    struct timespec ts = {0, 0};
    struct timespec* timeout = nullptr;
    bool cut = false;  // the wait ends at the deadline rather than at a clock
    if (any_immediate) {
      timeout = &ts;
    } else {
      uint64_t wait = UINT64_MAX;
      if (any_clock) wait = earliest > now ? earliest - now : 0;
      if (c.has_deadline()) {
        uint64_t left = NsUntil(c.deadline);
        if (left < wait) wait = left, cut = true;
      }
      if (wait != UINT64_MAX) {
        ts.tv_sec = static_cast<time_t>(wait / 1000000000ull);
        ts.tv_nsec = static_cast<long>(wait % 1000000000ull);
        timeout = &ts;
      }
    }
    int r = ::ppoll(pfds.data(), pfds.size(), timeout, nullptr);
    if (r < 0) {
      if (errno == EINTR) continue;
      return LastError();
    }
    now = MonotonicNow();
    bool clock_fired = any_clock && earliest <= now;
    if (r > 0 || clock_fired || any_immediate) break;
    if (cut && NsUntil(c.deadline) == 0) return Interrupt(c);
    // ppoll returned early (e.g. before the clock's resolution): wait again.
  }

  uint32_t n = 0;
  for (const Sub& sub : s) {
    uint8_t* ev = events + uint64_t{n} * l::kEventSize;
    if (sub.immediate) {
      WriteEvent(ev, sub, sub.error, 0, 0);
      ++n;
    } else if (sub.type == EventType::kClock) {
      if (sub.deadline <= now) {
        WriteEvent(ev, sub, Errno::kSuccess, 0, 0);
        ++n;
      }
    } else {
      short got = pfds[sub.poll_index].revents;
      if (got == 0) continue;
      Errno err = Errno::kSuccess;
      uint16_t flags = 0;
      uint64_t nbytes = 0;
      if (got & POLLNVAL) {
        err = Errno::kBadf;
      } else if ((got & POLLERR) && !(got & (POLLIN | POLLOUT | POLLHUP))) {
        err = Errno::kIo;
      } else {
        if (got & POLLHUP) flags |= kEventFdReadwriteHangup;
        nbytes = sub.type == EventType::kFdRead ? Readable(sub) : 1;
      }
      WriteEvent(ev, sub, err, nbytes, flags);
      ++n;
    }
  }
  c.mem.Write<uint32_t>(nevents_out, n);
  return Errno::kSuccess;
}

}  // namespace

Errno PollOneoff(Call& c, uint32_t in, uint32_t out, uint32_t nsubscriptions,
                 uint32_t nevents_out) {
  return Poll(c, in, out, nsubscriptions, nevents_out, false);
}

Errno PollOneoffUnstable(Call& c, uint32_t in, uint32_t out, uint32_t nsubscriptions,
                         uint32_t nevents_out) {
  return Poll(c, in, out, nsubscriptions, nevents_out, true);
}

}  // namespace wt::wasi::host
