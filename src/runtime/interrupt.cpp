// The epoch counter and its timer thread (see interrupt.h).
#include "runtime/interrupt.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

namespace wt::runtime {
namespace {

using Clock = std::chrono::steady_clock;

// Constant-initialized: JIT code may read it before anything else here runs.
std::atomic<uint64_t> g_epoch{0};
static_assert(sizeof(std::atomic<uint64_t>) == sizeof(uint64_t) &&
              std::atomic<uint64_t>::is_always_lock_free);

Clock::time_point Origin() {
  static const Clock::time_point origin = Clock::now();
  return origin;
}

// Deadlines of live stores; the thread sleeps until the earliest one the counter has not
// reached yet. Leaked on purpose: stores may release deadlines during static destruction, and
// a thread still waiting at exit (a store never destroyed) just ends with the process.
class EpochTimer {
 public:
  uint64_t Register(uint64_t epoch) {
    std::thread old;
    {
      std::lock_guard<std::mutex> lock(mu_);
      deadlines_.insert(epoch);
      if (!running_) {
        running_ = true;
        old = std::move(thread_);  // finished (it cleared running_ last): joined below
        thread_ = std::thread([this] { Run(); });
      }
    }
    cv_.notify_all();
    if (old.joinable()) old.join();
    return epoch;
  }

  void Release(uint64_t epoch) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = deadlines_.find(epoch);
      if (it != deadlines_.end()) deadlines_.erase(it);
    }
    cv_.notify_all();
  }

  size_t Pending() {
    std::lock_guard<std::mutex> lock(mu_);
    return deadlines_.size();
  }
  bool Running() {
    std::lock_guard<std::mutex> lock(mu_);
    return running_;
  }

 private:
  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!deadlines_.empty()) {
      uint64_t counter = g_epoch.load(std::memory_order_relaxed);
      auto next = deadlines_.upper_bound(counter);
      if (next == deadlines_.end()) {
        cv_.wait(lock);  // every deadline has fired: wait for a new one (or the last release)
        continue;
      }
      uint64_t target = *next;
      Clock::time_point when = Origin() + std::chrono::microseconds(target);
      if (Clock::now() < when) {
        cv_.wait_until(lock, when);  // also woken by registrations and releases
        continue;
      }
      uint64_t now = EpochOf(Clock::now());
      if (now > counter) g_epoch.store(now, std::memory_order_release);
    }
    running_ = false;
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::multiset<uint64_t> deadlines_;
  std::thread thread_;
  bool running_ = false;
};

EpochTimer& Timer() {
  static EpochTimer* timer = new EpochTimer();
  return *timer;
}

}  // namespace

const uint64_t* EpochCounter() noexcept {
  return reinterpret_cast<const uint64_t*>(&g_epoch);
}

uint64_t EpochOf(Clock::time_point when) {
  auto since = when - Origin();
  if (since.count() <= 0) return 0;
  auto us = std::chrono::ceil<std::chrono::microseconds>(since).count();
  return static_cast<uint64_t>(us);
}

Clock::time_point EpochTime(uint64_t epoch) {
  // Two centuries (RegisterDeadline saturates at one) or more: no deadline. Also keeps the
  // sum below the clock's range (nanoseconds in 64 bits: about 292 years).
  constexpr uint64_t kNever = uint64_t{200} * 365 * 24 * 3600 * 1000000;
  if (epoch >= kNever) return Clock::time_point::max();
  return Origin() + std::chrono::microseconds(epoch);
}

uint64_t RegisterDeadline(std::chrono::nanoseconds timeout) {
  if (timeout.count() < 0) timeout = std::chrono::nanoseconds(0);
  // Far-off deadlines saturate (a timeout of centuries is no timeout).
  constexpr auto kMax = std::chrono::hours(24 * 365 * 100);
  if (timeout > kMax) timeout = kMax;
  Origin();
  return Timer().Register(EpochOf(Clock::now() + timeout));
}

void ReleaseDeadline(uint64_t epoch) {
  Timer().Release(epoch);
}

size_t PendingDeadlines() {
  return Timer().Pending();
}

bool EpochTimerRunning() {
  return Timer().Running();
}

}  // namespace wt::runtime
