// The code registry: pc -> CodeObject for every piece of registered JIT code. Lookups are
// lock-free and async-signal-safe (the trap handler uses them): readers see an immutable,
// sorted snapshot; registration (rare) builds a new snapshot under a mutex and swaps it in.
// Old snapshots are freed once no reader can still be looking at them.
#pragma once

#include <cstdint>
#include <memory>

#include "jit/compiler.h"

namespace wt::wasm {
struct Module;
}

namespace wt::runtime {

// `code` must stay alive until UnregisterCode. Ranges of live objects never overlap.
// `module` (optional) is the module the code was compiled from: backtraces name frames from
// it, and the registration hook (profiling) names the code's functions with it.
void RegisterCode(const jit::CodeObject* code,
                  std::shared_ptr<const wasm::Module> module = nullptr);
void UnregisterCode(const jit::CodeObject* code);

// The registered code object containing `pc`, or nullptr. Async-signal-safe.
const jit::CodeObject* LookupCode(uintptr_t pc) noexcept;

// The module `code` was registered with (nullptr if none or not registered). Takes the
// writer lock: not for signal handlers.
std::shared_ptr<const wasm::Module> CodeModule(const jit::CodeObject* code);

// Called by RegisterCode for every code object (profiling announces the functions; see
// runtime/profile.h, which installs it). nullptr: none.
using CodeRegisteredHook = void (*)(const jit::CodeObject& code, const wasm::Module* module);
void SetCodeRegisteredHook(CodeRegisteredHook hook);

// Number of registered code objects (for tests).
size_t RegisteredCodeCount();

}  // namespace wt::runtime
