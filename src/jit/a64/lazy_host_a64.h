// [lazy] The aarch64 lazy stub and compile thunk (jit/lazy_compile.h), encoded by hand: fixed
// sequences, no assembler per stub. Header-only so that tests/unit/jit/a64_lazy_test.cpp checks
// the words on every host; jit/a64/lazy_host_a64.cpp (aarch64 builds) uses them.
//
// Stub i (kLazyStubSize = 32 bytes; the slot table may be anywhere in the arena, <= 2 GiB):
//   +0   adrp x16, slot_i
//   +4   ldr  x16, [x16, #:lo12:slot_i]
//   +8   br   x16                  slot_i = the code once compiled, else stub_i + 12
//   +12  movz w17, #(i & 0xffff)   (kStubResume)
//   +16  movk w17, #(i >> 16), lsl #16
//   +20  b    thunk                (the thunk follows the stubs: +-128 MiB)
//   +24  udf #0; udf #0
// x16/x17 are the Masm's scratch registers (dead across calls); x30 still holds the caller's
// return address, sp its sp at the call.
//
// The thunk: a frame record (stp x29, x30, [sp, #-48]!; mov x29, sp), x27/x28/x11/x17 saved,
// compile_fn(module, w17, x28, x29), the registers restored, the frame popped (x30 = the
// caller's return address again), `br x16` to the entry it returned: the callee sees exactly
// its caller's call.
#pragma once

#include <cstdint>
#include <cstring>

namespace wt::jit::a64lazy {

inline constexpr uint32_t kX16 = 16, kX17 = 17, kSp = 31;
// The stub's resume point (the slot's initial value): `movz w17, #index`.
inline constexpr uint32_t kStubResume = 12;
// The thunk: 15 instructions, a udf, then the two 64-bit literals (8-aligned: the thunk starts
// 16-aligned).
inline constexpr uint32_t kThunkWords = 20;
inline constexpr uint32_t kThunkModuleWord = 16;
inline constexpr uint32_t kThunkFnWord = 18;
inline constexpr int32_t kThunkFrame = 48;                 // frame record + x27, x28, x11, x17
inline constexpr uint64_t kMaxBranch = uint64_t{1} << 27;  // b/bl: +-128 MiB

inline int64_t PageDelta(uint64_t from, uint64_t to) {
  return static_cast<int64_t>(to >> 12) - static_cast<int64_t>(from >> 12);
}

inline void Put(uint8_t* rw, uint32_t word) {
  std::memcpy(rw, &word, 4);
}

inline bool AdrpReaches(uint64_t pc, uint64_t target) {
  int64_t d = PageDelta(pc, target);
  return d >= -(int64_t{1} << 20) && d < (int64_t{1} << 20);
}

inline bool BranchReaches(uint64_t pc, uint64_t target) {
  int64_t d = static_cast<int64_t>(target) - static_cast<int64_t>(pc);
  return (d & 3) == 0 && d >= -(int64_t{1} << 27) && d < (int64_t{1} << 27);
}

inline uint32_t Adrp(uint32_t rd, uint64_t pc, uint64_t target) {
  auto imm = static_cast<uint32_t>(PageDelta(pc, target)) & 0x1FFFFFu;
  return 0x90000000u | ((imm & 3u) << 29) | ((imm >> 2) << 5) | rd;
}

inline uint32_t LdrX(uint32_t rt, uint32_t rn, uint32_t byte_offset) {
  return 0xF9400000u | ((byte_offset / 8) << 10) | (rn << 5) | rt;
}

inline uint32_t LdrLiteralX(uint32_t rt, int32_t byte_offset) {
  return 0x58000000u | ((static_cast<uint32_t>(byte_offset / 4) & 0x7FFFFu) << 5) | rt;
}

inline uint32_t Br(uint32_t rn) {
  return 0xD61F0000u | (rn << 5);
}

inline uint32_t Blr(uint32_t rn) {
  return 0xD63F0000u | (rn << 5);
}

inline uint32_t B(uint64_t pc, uint64_t target) {
  auto d = static_cast<uint64_t>(static_cast<int64_t>(target) - static_cast<int64_t>(pc));
  return 0x14000000u | (static_cast<uint32_t>(d >> 2) & 0x3FFFFFFu);
}

inline uint32_t MovzW(uint32_t rd, uint32_t imm16) {
  return 0x52800000u | ((imm16 & 0xFFFFu) << 5) | rd;
}

inline uint32_t MovkW16(uint32_t rd, uint32_t imm16) {
  return 0x72A00000u | ((imm16 & 0xFFFFu) << 5) | rd;
}

inline uint32_t MovX(uint32_t rd, uint32_t rm) {  // orr xd, xzr, xm
  return 0xAA0003E0u | (rm << 16) | rd;
}

inline uint32_t MovW(uint32_t rd, uint32_t rm) {  // orr wd, wzr, wm
  return 0x2A0003E0u | (rm << 16) | rd;
}

// stp/ldp of X registers; `op`: 0xA9000000 stp offset, 0xA9800000 stp pre-index,
// 0xA9400000 ldp offset, 0xA8C00000 ldp post-index.
inline uint32_t PairX(uint32_t op, uint32_t rt, uint32_t rt2, uint32_t rn, int32_t byte_offset) {
  return op | ((static_cast<uint32_t>(byte_offset / 8) & 0x7Fu) << 15) | (rt2 << 10) | (rn << 5) |
         rt;
}

inline void WriteStub(uint8_t* rw, uint64_t rx, uint32_t index, uint64_t slot, uint64_t thunk) {
  Put(rw + 0, Adrp(kX16, rx, slot));
  Put(rw + 4, LdrX(kX16, kX16, static_cast<uint32_t>(slot & 0xFFF)));
  Put(rw + 8, Br(kX16));
  // kStubResume: the slot's initial value.
  Put(rw + 12, MovzW(kX17, index & 0xFFFF));
  Put(rw + 16, MovkW16(kX17, index >> 16));
  Put(rw + 20, B(rx + 20, thunk));
  Put(rw + 24, 0);  // udf #0: never reached
  Put(rw + 28, 0);
}

inline void WriteThunk(uint8_t* rw, uint64_t module, uint64_t compile_fn) {
  constexpr uint32_t kStpPre = 0xA9800000u, kStp = 0xA9000000u, kLdp = 0xA9400000u,
                     kLdpPost = 0xA8C00000u;
  constexpr uint32_t kFp = 29, kLr = 30, kMemBase = 27, kVmctx = 28, kCallerVmctx = 11;
  const uint32_t words[kThunkWords] = {
      // A real frame record: frame-pointer walks (traps, backtraces, GC) stay intact; the
      // runtime reads the caller's pc and fp from it (wt_lazy_compile's thunk_fp).
      PairX(kStpPre, kFp, kLr, kSp, -kThunkFrame),  // stp x29, x30, [sp, #-48]!
      0x910003FDu,                                  // mov x29, sp
      // The wasm registers of the call (jit/abi.h): memory base, vmctx, caller vmctx, and
      // the index from the stub. Parameters are in memory (the caller's outgoing area), so
      // nothing else is live; sp stays 16-aligned.
      PairX(kStp, kMemBase, kVmctx, kSp, 16),       // stp x27, x28, [sp, #16]
      PairX(kStp, kCallerVmctx, kX17, kSp, 32),     // stp x11, x17, [sp, #32]
      LdrLiteralX(0, (kThunkModuleWord - 4) * 4),   // ldr x0, =module
      MovW(1, kX17),                                // mov w1, w17
      MovX(2, kVmctx),                              // mov x2, x28
      MovX(3, kFp),                                 // mov x3, x29
      LdrLiteralX(kX16, (kThunkFnWord - 8) * 4),    // ldr x16, =compile_fn
      Blr(kX16),                                    // blr x16 -> x0 = the entry (never null)
      MovX(kX16, 0),                                // mov x16, x0
      PairX(kLdp, kMemBase, kVmctx, kSp, 16),       // ldp x27, x28, [sp, #16]
      PairX(kLdp, kCallerVmctx, kX17, kSp, 32),     // ldp x11, x17, [sp, #32]
      PairX(kLdpPost, kFp, kLr, kSp, kThunkFrame),  // ldp x29, x30, [sp], #48
      Br(kX16),  // br x16: x30 is the caller's return address, sp its sp at the call
      0,         // udf #0 (pads the literals to 8 bytes)
      0, 0,      // module (kThunkModuleWord)
      0, 0,      // compile_fn (kThunkFnWord)
  };
  static_assert(sizeof(words) == kThunkWords * 4);
  for (uint32_t i = 0; i < kThunkWords; ++i) Put(rw + 4 * i, words[i]);
  std::memcpy(rw + 4 * kThunkModuleWord, &module, 8);
  std::memcpy(rw + 4 * kThunkFnWord, &compile_fn, 8);
}

}  // namespace wt::jit::a64lazy
