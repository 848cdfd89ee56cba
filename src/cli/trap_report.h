// [traps] How `wtrun` reports a trap (stderr, wasmtime's shape) — owned by the traps work.
#pragma once

#include <string>

#include "runtime/trap/trap.h"

namespace wt::cli {

struct TrapReportOptions {
  bool backtrace = true;     // --no-backtrace turns it off
  uint32_t max_frames = 20;  // --max-backtrace N
};

// Prints
//   Error: failed to run main module `FILE`
//
//   Caused by:
//       0: CONTEXT
//       1: wasm trap: MESSAGE
// (with the wasm backtrace once [traps] lands) and returns kExitTrap. Flushes stdout first.
int PrintTrap(const std::string& file, const std::string& context, const runtime::Trap& trap,
              const TrapReportOptions& options = {});

}  // namespace wt::cli
