// [lazy] LazyModule: lazy compilation of one module's functions (docs/lazy-plan.md 1.3-1.4).
//
// Every defined function i has a stub (16 bytes on x64, 32 on a64: jit/lazy_compile.h) in the
// module's CodeArena that jumps through slot i (in the arena's data part). Until i is
// compiled, slot i leads to a compile thunk that calls the runtime (Ensure), which compiles i once
// (other threads calling it meanwhile wait for that compile), publishes the code and its tables,
// stores the entry in slot i and tail-jumps into it: the callee sees exactly its caller's call.
// CompiledModule::func_code[i] is stub i forever, so tables, ref.func, exports, host calls and
// --invoke need no change; no code is ever patched after it was published. A direct call compiled
// after its callee calls the callee's code; one compiled before calls the stub.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "jit/compiler.h"
#include "util/result.h"

namespace wt::jit {

class LazyModule {
 public:
  // Creates the arena (CompiledModule::code), stubs, slots, the thunk and the trampolines and
  // host stubs per signature; fills out->func_code (the stubs), entries, host_stubs, out->lazy.
  // The module must be validated (bodies included). Compiles no function body.
  static Result<std::shared_ptr<LazyModule>> Create(std::shared_ptr<const wasm::Module> module,
                                                    const CompileOptions& options,
                                                    CompiledModule* out);
  virtual ~LazyModule() = default;

  // The entry of defined function `defined` (index into Module::codes), compiling it first if
  // no thread has (the thunk's path; thread-safe: one compile per function, never two copies).
  virtual Result<const void*> Ensure(uint32_t defined) = 0;
  // Background compilation: compiles `defined` if no thread has started it (true if this call
  // compiled it); never waits.
  virtual bool CompileIfIdle(uint32_t defined) = 0;
  // Whether `defined` is compiled (its slot holds its code).
  virtual bool IsCompiled(uint32_t defined) const = 0;
  // Stops the background compile threads (queued work is dropped) and waits for their
  // in-flight compiles. Called by the destructor; idempotent.
  virtual void StopBackground() = 0;

  // The code written at creation (stubs, compile thunk, trampolines), for profiling.
  struct CodeRange {
    const uint8_t* start = nullptr;
    size_t size = 0;
    const char* name = "";
  };
  virtual std::vector<CodeRange> FixedCode() const = 0;

  // Called for each function when it is compiled, before its slot is published (profiling:
  // perfmap/jitdump lines). `range` offsets are relative to the arena's base().
  using PublishHook = std::function<void(const FuncRange& range, const uint8_t* code)>;
  virtual void SetPublishHook(PublishHook hook) = 0;

  struct Stats {
    uint32_t compiled = 0;       // functions compiled
    uint32_t by_thunk = 0;       // of those, on a thread that called them
    uint32_t by_background = 0;  // of those, by a background thread
    uint32_t waited = 0;         // calls that waited for another thread's compile
    uint64_t code_bytes = 0;
    uint64_t compile_ns = 0;  // thread CPU time spent compiling
  };
  virtual Stats stats() const = 0;
};

}  // namespace wt::jit
