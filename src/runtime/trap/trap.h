// Trap codes and the trap record a failed invocation reports.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wt::wasm {
struct Module;
}

namespace wt::runtime {

enum class TrapCode : uint8_t {
#define WT_TRAP(name, message, spec) name,
#include "runtime/trap/trap_codes.def"
#undef WT_TRAP
  kCount
};

const char* TrapMessage(TrapCode code);      // for users
const char* TrapSpecMessage(TrapCode code);  // what spec scripts expect

// One wasm frame of a backtrace (innermost first). Names and source lines come from the
// module (runtime/debug/symbolize.h).
struct WasmFrame {
  static constexpr uint32_t kNoOffset = UINT32_MAX;
  uint32_t func_index = 0;           // module function index
  uint32_t wasm_offset = kNoOffset;  // module byte offset of the executing / calling instruction
  std::shared_ptr<const wasm::Module> module;  // the frame's module (null if unknown)
};

struct WasmBacktrace {
  std::vector<WasmFrame> frames;  // innermost first
  uint32_t total = 0;             // frames walked: > frames.size() when the capture was capped
};

// An out-of-bounds access that faulted in linear memory.
struct MemoryFault {
  uint64_t wasm_address = 0;  // the faulting address relative to the memory's base
  uint64_t memory_size = 0;   // the memory's size in bytes at the time
  uint32_t memory_index = 0;  // [wasm3] which memory of the trapping instance (multi-memory)
};

// What a trapped invocation reports.
struct Trap {
  TrapCode code = TrapCode::kUnreachable;
  uintptr_t pc = 0;          // faulting or trapping pc in JIT code (0 if from a host)
  uint32_t wasm_offset = 0;  // module byte offset of the trapping instruction, if known
  std::string detail;        // optional extra text (e.g. a host error)
  WasmBacktrace backtrace;   // empty for proc_exit (kExit)
  std::optional<MemoryFault> fault;
};

}  // namespace wt::runtime
