// [lazy] Parallel validation of every function body, compiling nothing (validator.h).
//
// The bodies are split into chunks of consecutive functions (by size); threads take chunks in
// index order from a shared counter and validate their bodies in order, each with its own
// FuncValidator (reused across bodies: no allocation per body beyond the validator's stacks).
// The error is the first invalid body in index order: a thread that finds one records it if it
// is lower than the one known, and every thread skips bodies past the lowest known error. A
// body below the final error index is never skipped, so the result is exactly the serial
// loop's (same body, same Error).
#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "util/run_on_threads.h"
#include "wasm/func_validator.h"
#include "wasm/validate_body.h"
#include "wasm/validator.h"

namespace wt::wasm {
namespace {

constexpr uint32_t kMaxValidateJobs = 8;
// A chunk: up to this many functions or about this many bytes of code, whichever comes first.
constexpr uint32_t kChunkFuncs = 256;
constexpr uint64_t kChunkBytes = 64 * 1024;

}  // namespace

Status ValidateBodies(const Module& module, const TypeContext& types, const Features& features,
                      uint32_t jobs) {
  const auto n = static_cast<uint32_t>(module.codes.size());
  if (jobs == 0) jobs = std::clamp(std::thread::hardware_concurrency(), 1u, kMaxValidateJobs);
  if (jobs <= 1 || n <= 1) {
    FuncValidator v(types, features);
    CodeReader r(std::span<const uint8_t>(), 0, features);
    for (uint32_t i = 0; i < n; ++i) WT_TRY(internal::ValidateBodyWith(v, r, i));
    return Ok();
  }

  std::vector<uint32_t> starts;  // chunk c is [starts[c], starts[c + 1])
  starts.reserve(n / kChunkFuncs + module.bytes.size() / kChunkBytes + 2);
  uint64_t bytes = 0;
  for (uint32_t i = 0; i < n; ++i) {
    if (starts.empty() || i - starts.back() >= kChunkFuncs || bytes >= kChunkBytes) {
      starts.push_back(i);
      bytes = 0;
    }
    bytes += module.codes[i].whole.size;
  }
  starts.push_back(n);
  const auto num_chunks = static_cast<uint32_t>(starts.size() - 1);
  jobs = std::min(jobs, num_chunks);

  std::atomic<uint32_t> next_chunk{0};
  std::atomic<uint32_t> first_bad{UINT32_MAX};  // lowest invalid body index known so far
  std::mutex mu;
  Status first_error = Ok();  // the error of body `first_bad`, under `mu`

  auto worker = [&] {
    FuncValidator v(types, features);
    CodeReader r(std::span<const uint8_t>(), 0, features);
    for (;;) {
      uint32_t c = next_chunk.fetch_add(1, std::memory_order_relaxed);
      if (c >= num_chunks) return;
      // Chunks are taken in index order: once one starts past the lowest error, all do.
      if (starts[c] > first_bad.load(std::memory_order_relaxed)) return;
      for (uint32_t i = starts[c]; i < starts[c + 1]; ++i) {
        if (i > first_bad.load(std::memory_order_relaxed)) return;
        Status s = internal::ValidateBodyWith(v, r, i);
        if (s.ok()) continue;
        std::lock_guard<std::mutex> lock(mu);
        if (i < first_bad.load(std::memory_order_relaxed)) {
          first_bad.store(i, std::memory_order_relaxed);
          first_error = std::move(s);
        }
        return;
      }
    }
  };

  util::RunOnThreads(jobs, worker);
  return first_error;
}

}  // namespace wt::wasm
