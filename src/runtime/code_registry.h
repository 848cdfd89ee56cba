// The code registry: pc -> CodeObject for every piece of registered JIT code. Lookups are
// lock-free and async-signal-safe (the trap handler uses them): readers see an immutable,
// sorted snapshot; registration (rare) builds a new snapshot under a mutex and swaps it in.
// Old snapshots are freed once no reader can still be looking at them.
#pragma once

#include <cstdint>

#include "jit/compiler.h"

namespace wt::runtime {

// `code` must stay alive until UnregisterCode. Ranges of live objects never overlap.
void RegisterCode(const jit::CodeObject* code);
void UnregisterCode(const jit::CodeObject* code);

// The registered code object containing `pc`, or nullptr. Async-signal-safe.
const jit::CodeObject* LookupCode(uintptr_t pc) noexcept;

// Number of registered code objects (for tests).
size_t RegisteredCodeCount();

}  // namespace wt::runtime
