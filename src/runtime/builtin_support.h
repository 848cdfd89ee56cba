// What the bulk memory/table builtins (builtins.cpp) and the GC array builtins
// (gc/gc_builtins.cpp) share: the calling wasm frame, traps raised at it, fuel charged by size,
// and work in chunks under epoch interruption. Traps are raised with RaiseTrap (siglongjmp):
// nothing with a destructor may be alive in a builtin when it traps.
#pragma once

#include <algorithm>
#include <cstdint>

#include "runtime/builtins.h"
#include "runtime/trap/call_scope.h"
#include "runtime/vmctx.h"

namespace wt::runtime::builtin {

// The calling wasm code: the return address into it (a trap's location) and its frame.
struct Caller {
  uintptr_t pc;
  uintptr_t fp;
};

[[noreturn]] inline void Trap(TrapCode code, const Caller& caller) {
  RaiseTrap(code, caller.pc, 0);
}

// Charges BulkFuel(op, n) to the store (nothing for n = 0); "all fuel consumed" when it runs
// out, as the JIT's charges do (the counter stays past zero: the store remains out of fuel).
inline void ChargeFuel(VMContext* vmctx, BulkOp op, uint64_t n, const Caller& caller) {
  if (n == 0) return;
  const uint64_t cost = BulkFuel(op, n);
  int64_t& consumed = vmctx->store_ctx->fuel_consumed;
  // Room before INT64_MAX (the counter starts at -budget, or INT64_MIN without a budget).
  const uint64_t room = static_cast<uint64_t>(INT64_MAX) - static_cast<uint64_t>(consumed);
  if (cost > room) {
    consumed = INT64_MAX;
    Trap(TrapCode::kOutOfFuel, caller);
  }
  consumed = static_cast<int64_t>(static_cast<uint64_t>(consumed) + cost);
  if (consumed > 0) Trap(TrapCode::kOutOfFuel, caller);
}

// Whether the store's deadline has passed (the timer thread writes the counter: an atomic
// load, so that it is read again between chunks).
inline bool DeadlinePassed(VMContext* vmctx) {
  const VMStoreContext* s = vmctx->store_ctx;
  return __atomic_load_n(s->epoch_counter, __ATOMIC_RELAXED) >= s->epoch_deadline;
}

// Calls step(offset, count) over [0, n): in one piece, or with `epoch` in chunks of `chunk`
// (lowest first, or highest first when `backward`), trapping "interrupt" between chunks once
// the deadline has passed. n = 0 calls nothing.
template <typename Step>
inline void Chunked(VMContext* vmctx, bool epoch, uint64_t n, uint64_t chunk, bool backward,
                    const Caller& caller, Step step) {
  if (n == 0) return;
  if (!epoch) {
    step(uint64_t{0}, n);
    return;
  }
  uint64_t done = 0;
  for (;;) {
    const uint64_t c = std::min(chunk, n - done);
    step(backward ? n - done - c : done, c);
    done += c;
    if (done == n) return;
    if (DeadlinePassed(vmctx)) Trap(TrapCode::kInterrupt, caller);
  }
}

}  // namespace wt::runtime::builtin
