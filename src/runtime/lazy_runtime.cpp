// [lazy] wt_lazy_compile, the builtin the compile thunk calls (runtime/lazy_runtime.h).
#include "runtime/lazy_runtime.h"

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>

#include <fmt/format.h>
#include "jit/lazy.h"
#include "runtime/trap/call_scope.h"

namespace wt::runtime {
namespace {

std::mutex g_hook_mu;
LazyCompileFailHook* g_fail_hook = nullptr;  // guarded by g_hook_mu (called under it)
std::atomic<bool> g_has_fail_hook{false};
std::atomic<uint64_t> g_handoffs{0};

thread_local std::string t_last_error;

std::string FailHookMessage(uint32_t defined) {
  if (!g_has_fail_hook.load(std::memory_order_acquire)) return {};
  std::lock_guard<std::mutex> lock(g_hook_mu);
  return g_fail_hook && *g_fail_hook ? (*g_fail_hook)(defined) : std::string();
}

Result<const void*> EnsureCaught(jit::LazyModule* module, uint32_t defined) {
  try {
    return module->Ensure(defined);
  } catch (const std::exception& e) {
    return MakeError(ErrorKind::kUnsupported, "{}", e.what());
  }
}

// Everything with a destructor lives here, not in wt_lazy_compile (which may unwind with
// siglongjmp). Returns the entry or null (the message in t_last_error).
__attribute__((noinline)) const void* CompileEntry(jit::LazyModule* module, uint32_t defined,
                                                   VMContext* vmctx) noexcept {
  if (module->IsCompiled(defined)) {
    auto r = module->Ensure(defined);  // the fast path: no compile, no allocation
    if (r.ok()) return *r;
  }
  std::string hook = FailHookMessage(defined);
  Result<const void*> r = nullptr;
  if (!hook.empty()) {
    r = MakeError(ErrorKind::kUnsupported, "{}", hook);
  } else {
    auto here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
    uintptr_t limit = vmctx != nullptr ? vmctx->stack_limit : 0;
    if (limit != 0 && here < limit + kLazyCompileStack) {
      // Too little stack left for the compiler: a helper thread compiles, this one waits.
      g_handoffs.fetch_add(1, std::memory_order_relaxed);
      try {
        std::thread t([&] { r = EnsureCaught(module, defined); });
        t.join();
      } catch (const std::exception& e) {
        r = MakeError(ErrorKind::kUnsupported, "no compile thread: {}", e.what());
      }
    } else {
      r = EnsureCaught(module, defined);
    }
  }
  if (r.ok()) return *r;
  try {
    t_last_error = fmt::format("failed to compile function {}: {}", defined, r.error().message);
  } catch (...) {
  }
  return nullptr;
}

}  // namespace

void SetLazyCompileFailHookForTesting(LazyCompileFailHook hook) {
  std::lock_guard<std::mutex> lock(g_hook_mu);
  delete g_fail_hook;
  g_fail_hook = hook ? new LazyCompileFailHook(std::move(hook)) : nullptr;
  g_has_fail_hook.store(g_fail_hook != nullptr, std::memory_order_release);
}

const std::string& LastLazyCompileError() {
  return t_last_error;
}

uint64_t LazyHeadroomHandoffs() {
  return g_handoffs.load(std::memory_order_relaxed);
}

}  // namespace wt::runtime

extern "C" const void* wt_lazy_compile(wt::jit::LazyModule* module, uint32_t defined,
                                       wt::runtime::VMContext* vmctx, uintptr_t thunk_fp) noexcept {
  const void* entry = wt::runtime::CompileEntry(module, defined, vmctx);
  if (entry != nullptr) return entry;
  // The thunk's frame: [fp] = the caller's fp, [fp + 8] = the return address into the caller,
  // so the backtrace starts at the caller's call.
  const auto* frame = reinterpret_cast<const uintptr_t*>(thunk_fp);
  wt::runtime::RaiseTrap(wt::runtime::TrapCode::kCompileFailed, frame[1], thunk_fp);
}
