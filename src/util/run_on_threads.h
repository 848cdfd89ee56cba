// Runs one worker function on `jobs` threads, the calling thread included, and waits for all.
// A thread that cannot be created (resource limits) is not an error: the threads there are,
// or the calling thread alone, do the work. Shared by the parallel validator
// (wasm/validate_bodies.cpp) and the parallel compiler (jit/compile_module.h).
#pragma once

#include <cstdint>
#include <system_error>
#include <thread>
#include <vector>

namespace wt::util {

template <class Worker>
void RunOnThreads(uint32_t jobs, const Worker& worker) {
  std::vector<std::thread> threads;
  if (jobs > 1) threads.reserve(jobs - 1);
  for (uint32_t t = 1; t < jobs; ++t) {
    try {
      threads.emplace_back(worker);
    } catch (const std::system_error&) {
      break;
    }
  }
  worker();
  for (std::thread& t : threads) t.join();
}

}  // namespace wt::util
