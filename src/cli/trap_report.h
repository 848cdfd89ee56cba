// How `wtrun` reports a trap (stderr, wasmtime's shape); see docs/traps.md.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "runtime/trap/trap.h"

namespace wt::cli {

struct TrapReportOptions {
  bool backtrace = true;     // --no-backtrace turns it off
  uint32_t max_frames = 20;  // --max-backtrace N
  // The files of other modules (--preload): their frames are named after these base names
  // (without a name section), not after FILE.
  std::vector<std::pair<const wasm::Module*, std::string>> module_files;
};

// Prints
//   Error: failed to run main module `FILE`
//
//   Caused by:
//       0: CONTEXT                                  (unless empty or the `_start` command)
//       1: error while executing at wasm backtrace:
//              0:   0x1a2b - prog.wasm!divide
//                              at /src/prog.c:12:5
//              ...                              (at most max_frames, then "… N more frames")
//       2: memory fault at wasm address 0x… in linear memory of size 0x…   (faults only)
//       3: wasm trap: MESSAGE
// (levels renumbered; a single level is printed without a number, as anyhow does) and
// returns kExitTrap. Flushes stdout first. Module names: the name section's, else the base name
// of the module's file (`module_files`, else FILE); function names: demangled name-section names,
// else "<wasm function N>".
int PrintTrap(const std::string& file, const std::string& context, const runtime::Trap& trap,
              const TrapReportOptions& options = {});

// The report PrintTrap prints (without the trailing newline handling differences).
std::string FormatTrap(const std::string& file, const std::string& context,
                       const runtime::Trap& trap, const TrapReportOptions& options = {});

}  // namespace wt::cli
