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
// point (reads the 6 or 8 bytes there: JIT code is readable).
inline bool IsTailAdapterReturn(uintptr_t pc) {
#if defined(WTRUN_ISA_a64)
  uint32_t w[2];
  std::memcpy(w, reinterpret_cast<const void*>(pc), sizeof(w));
  return w[0] == kTailAdapterA64Branch && w[1] == kTailAdapterMagic;
#else
  uint16_t jmp;
  uint32_t magic;
  std::memcpy(&jmp, reinterpret_cast<const void*>(pc), 2);
  std::memcpy(&magic, reinterpret_cast<const void*>(pc + 2), 4);
  return jmp == kTailAdapterX64Jump && magic == kTailAdapterMagic;
#endif
}

}  // namespace wt::jit
