// [wasm3] Tail-call adapter frames (docs/tail-calls.md, jit/compiler_tailcall.h): a tail call
// whose callee needs a larger argument area than its caller's enters the callee with an
// adapter's return point as its return address. The return point starts with a marker no other
// return address is followed by: x86_64 `jmp +4` (eb 04) over the magic word, aarch64 `b .+8`
// over it. The tail-calling code recognizes an adapter by it (to reuse it), and backtraces leave
// adapter frames out (the tail-called frame replaces its caller, as in wasmtime).
#pragma once

#include <cstdint>
#include <cstring>

namespace wt::jit {

inline constexpr uint32_t kTailAdapterMagic = 0x7A11CA11u;
inline constexpr uint32_t kTailAdapterA64Branch = 0x14000002u;  // b .+8
inline constexpr uint16_t kTailAdapterX64Jump = 0x04EB;         // jmp +4 (little endian)

// Whether `pc`, a return address inside JIT code of this build's ISA, is an adapter's return
// point. Reads the first 2 (x86_64) / 4 (aarch64) bytes there (an instruction follows every
// return address), and the magic word only after a matching jump (which is then the marker's).
inline bool IsTailAdapterReturn(uintptr_t pc) {
#if defined(WTRUN_ISA_a64)
  uint32_t branch;
  std::memcpy(&branch, reinterpret_cast<const void*>(pc), 4);
  if (branch != kTailAdapterA64Branch) return false;
  uint32_t magic;
  std::memcpy(&magic, reinterpret_cast<const void*>(pc + 4), 4);
  return magic == kTailAdapterMagic;
#else
  uint16_t jmp;
  std::memcpy(&jmp, reinterpret_cast<const void*>(pc), 2);
  if (jmp != kTailAdapterX64Jump) return false;
  uint32_t magic;
  std::memcpy(&magic, reinterpret_cast<const void*>(pc + 2), 4);
  return magic == kTailAdapterMagic;
#endif
}

}  // namespace wt::jit
