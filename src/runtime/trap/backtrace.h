// Wasm backtraces: a frame-pointer walk over every contiguous run of wasm frames of this
// thread's activations (CallScopes), innermost first. See docs/traps.md.
//
// Capture (CaptureBacktrace) is async-signal-safe: the signal handler and the trap path record
// raw pcs in a fixed buffer of the CallScope before unwinding. Symbolization (to function
// indices and module offsets) happens afterwards, outside the handler, while the code is
// still registered.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "runtime/trap/trap.h"

namespace wt::runtime {

struct CallScope;
struct VMContext;

// How many frames a capture stores (the walk goes on counting past it).
inline constexpr uint32_t kMaxRawFrames = 1024;

struct RawBacktrace {
  uint32_t count = 0;          // pcs stored
  uint32_t total = 0;          // wasm frames walked (>= count)
  bool first_is_trap = false;  // pcs[0] is the trapping instruction (a trap site), not a
                               // return address
  uintptr_t pcs[kMaxRawFrames];
};

// Walks the wasm frames of `scope` and of every enclosing activation. (pc, fp) is the
// innermost wasm frame: a pc inside its function and its frame pointer. A frame's caller is
// ([fp + 8], [fp]) while that return address lies in a wasm function; a run ends at a
// trampoline (or anything else) and resumes at the scope's recorded exit point of the
// enclosing activation (CallScope::exit_fp/exit_pc). Every fp is checked to grow and to stay
// below the activation's entry frame. Async-signal-safe (no allocation, no locks).
void CaptureBacktrace(const CallScope* scope, uintptr_t pc, uintptr_t fp, bool first_is_trap,
                      RawBacktrace* out) noexcept;

// The frame a trap starts from when it was not raised at a trap site: `fp` is the frame of a
// function called from wasm (a host stub, a builtin), so the wasm frame is ([fp+8], [fp]).
// With fp == 0 (a builtin that passed only its return address `pc`), the C frames from
// `from_fp` up are searched for the frame that holds or follows that return address.
// Returns false when nothing usable is found. Async-signal-safe.
bool FindWasmCaller(const CallScope* scope, uintptr_t pc, uintptr_t fp, uintptr_t from_fp,
                    uintptr_t* wasm_pc, uintptr_t* wasm_fp) noexcept;

// Raw pcs -> frames (function index, module offset, module). Call while the code is
// registered (takes the registry's writer lock to find the modules).
std::vector<WasmFrame> SymbolizeBacktrace(const RawBacktrace& raw);

// Fills trap->backtrace and trap->fault from what the trap path recorded in `scope` (and the
// wasm offset from the innermost frame when the trap site gave none).
void FillTrapDetails(const CallScope& scope, Trap* trap);

// [wasm3] The memory fault of a fault at host address `addr` in code of `vmctx`'s instance:
// the memory (any index, 32- or 64-bit) whose reservation holds it, the wasm address within
// it and its size; nullopt when the address is in none of them.
std::optional<MemoryFault> FindMemoryFault(VMContext* vmctx, uintptr_t addr);

// The wasm backtrace of this thread right now, innermost first: for a host function called
// from wasm (through the JIT's host stub, which records where wasm code was left). Empty when
// no wasm code is running on this thread.
WasmBacktrace CurrentWasmBacktrace();

}  // namespace wt::runtime
