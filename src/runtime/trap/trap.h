// Trap codes and the trap record a failed invocation reports.
#pragma once

#include <cstdint>
#include <string>

namespace wt::runtime {

enum class TrapCode : uint8_t {
#define WT_TRAP(name, message, spec) name,
#include "runtime/trap/trap_codes.def"
#undef WT_TRAP
  kCount
};

const char* TrapMessage(TrapCode code);      // for users
const char* TrapSpecMessage(TrapCode code);  // what spec scripts expect

// What a trapped invocation reports. The backtrace comes with the [traps] issue.
struct Trap {
  TrapCode code = TrapCode::kUnreachable;
  uintptr_t pc = 0;          // faulting or trapping pc in JIT code (0 if from a host)
  uint32_t wasm_offset = 0;  // module byte offset of the trapping instruction, if known
  std::string detail;        // optional extra text (e.g. a host error)
};

}  // namespace wt::runtime
