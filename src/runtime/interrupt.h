// Epoch interruption (--timeout): one process-wide epoch counter that JIT code compiled with
// CompileOptions::epoch_interruption compares with its store's deadline at function entries
// and loop headers (VMStoreContext::epoch_counter / epoch_deadline; trap "interrupt").
//
// The counter is in microseconds since a process-wide origin, but it only moves when needed:
// a timer thread (started lazily with the first registered deadline, gone when none is left)
// sleeps until the earliest registered deadline and then stores the current time into the
// counter. So `*counter >= deadline` exactly when that deadline has passed and the timer has
// seen it (a few tens of microseconds late at most, plus scheduling delay).
#pragma once

#include <chrono>
#include <cstdint>

namespace wt::runtime {

// The counter JIT code reads (stable address, never null; plain 8-byte loads are atomic on
// the supported targets).
const uint64_t* EpochCounter() noexcept;

// Epoch value of a point in time (ceil, in microseconds since the origin).
uint64_t EpochOf(std::chrono::steady_clock::time_point when);

// The time at which the counter reaches `epoch` (time_point::max() for kNoEpochDeadline).
// Host code that waits (WASI's poll_oneoff, blocking reads and writes) clamps its waits to the
// store's deadline with it, reading the clock itself rather than waiting for the timer.
std::chrono::steady_clock::time_point EpochTime(uint64_t epoch);

// Registers a deadline `timeout` from now: the counter reaches the returned epoch once that
// time has passed. Every registration must be released (ReleaseDeadline) with its epoch.
uint64_t RegisterDeadline(std::chrono::nanoseconds timeout);
void ReleaseDeadline(uint64_t epoch);

// Deadlines registered and not released (for tests), and whether the timer thread runs.
size_t PendingDeadlines();
bool EpochTimerRunning();

// The deadline of a store with no timeout: never reached.
inline constexpr uint64_t kNoEpochDeadline = UINT64_MAX;

}  // namespace wt::runtime
