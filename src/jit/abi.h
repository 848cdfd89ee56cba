// The wasm calling convention of wtrun's JIT code and the frame layout of a compiled function.
// The runtime depends on this only through EntryFn / FuncRef / HostFuncRecord (compiler.h,
// vmctx.h); everything else here is private to jit/.
//
// Calls between wasm functions (any ISA; x86_64 register names in brackets):
// - The callee's VMContext is in the vmctx register [r15]. Same-instance direct calls keep it;
//   calls through a FuncRef (imports, call_indirect) load FuncRef::vmctx into it, put the
//   caller's VMContext in the caller-vmctx register [r13] and memory 0's base of the callee in
//   the memory-base register [r14], then call FuncRef::code. After such a call the caller
//   restores its vmctx from its frame (kSavedVmctxOffset) and reloads its memory base.
// - Parameters are passed in memory: the caller reserves an outgoing area of 8-byte slots at
//   the bottom of its frame (at the stack pointer when it calls, 16-aligned), laid out by
//   NextArgSlot: the params, then results 1..n-1, each at the next free slot, a v128 at the
//   next even slot (two slots, 16-aligned). For an all-scalar signature param i is at slot i.
//   In the callee that area is at fp + kIncomingArgsOffset; the params ARE the callee's first
//   locals (no copy).
// - Result 0 comes back in the return register ([rax] for i32/i64/ref, [xmm0] for
//   f32/f64/v128); result i >= 1 is written by the callee to its slot of the same area (after
//   the params, so writing results never clobbers a param the results are computed from).
// - i32 values occupy the low 4 bytes of a slot (the upper bytes are undefined); i32 values in
//   registers have their upper 32 bits zero; f32 values occupy the low 4 bytes; a v128 takes
//   two slots (SlotWords).
// - Every allocatable register is caller-saved (the compiler spills its value stack before a
//   call). The frame pointer, the vmctx register and the memory-base register are the only
//   registers wasm code relies on across calls; [rbx, r12, r13] are clobbered freely (the entry
//   trampoline saves the host's callee-saved registers).
// - The stack pointer is 16-byte aligned at every call instruction.
//
// Frame layout of a compiled function (slots are 8 bytes, fp = frame pointer, 16-aligned):
//   fp + 16 + 8*s   params, then results 1.. (the caller's outgoing area, slot s)
//   fp + 8          return address
//   fp + 0          caller's fp            (push rbp; mov rbp, rsp: a frame-pointer walk works)
//   fp - 8          the function's VMContext (saved by the prologue)
//   fp - 16 - 8*s   slot s (FrameSlotOffset): the declared (non-param) locals in order, zeroed
//                   by the prologue, then the value stack's spill slots (each entry its own,
//                   in stack order); a v128 at an odd slot. Without v128 values declared
//                   local j is slot j and stack entry k is slot #declared locals + k.
//   sp + 8*s        outgoing call area (max over the function's calls), sp = fp - frame size
// The prologue computes the new sp (fp - frame size) in a scratch register and traps with
// kStackExhausted when it is below VMContext::stack_limit, before moving sp or touching the
// frame: a frame never extends below the limit, whatever its size, so no guard page below the
// limit can be jumped over. The trap stub runs with sp = fp (at most 16 bytes below the limit).
// The runtime keeps headroom below the limit (runtime/trap/call_scope.h, StackMarginFor) for
// what runs there: the trap path (wt_raise_trap), builtins, host stubs (at most 16 KiB of
// arguments) and the host functions they call, and the entry trampoline of a nested activation.
//
// Host functions (HostFuncRecord) are called through a per-signature host stub that is itself a
// wasm-ABI function: it copies the params into a ValueSlot array on its frame, calls
// fn(env, caller vmctx, args) with the host C convention, raises trap (ret - 1) if ret != 0, and
// returns the results in the wasm ABI.
//
// Entry trampolines (EntryFn, one per signature) go the other way: host C convention in, wasm
// ABI out, saving the host's callee-saved registers.
#pragma once

#include <cstdint>

#include "jit/masm.h"

namespace wt::jit::abi {

inline constexpr int32_t kSlotSize = 8;
inline constexpr int32_t kIncomingArgsOffset = 16;  // fp-relative offset of param/result 0
inline constexpr int32_t kSavedVmctxOffset = -8;    // fp-relative
inline constexpr int32_t kFirstLocalOffset = -16;   // fp-relative offset of declared local 0
inline constexpr uint32_t kFrameAlignment = 16;

// 8-byte slots a value of kind `t` takes in the frame and in the call area.
constexpr uint32_t SlotWords(JType t) {
  return t == JType::kV128 ? 2 : 1;
}

// The call area: params, then results 1..n-1, each at the next free slot, a v128 at the next
// even slot (the area's base is 16-aligned). Returns the value's slot and advances *next past
// it; *next ends as the area's size in slots. For all-scalar signatures param i is at slot i
// and result i >= 1 at slot #params + i - 1.
constexpr uint32_t NextArgSlot(uint32_t* next, JType t) {
  if (t == JType::kV128) *next += *next & 1;
  uint32_t s = *next;
  *next += SlotWords(t);
  return s;
}

// Slots below fp (declared locals, then the value stack's spill slots): slot s is the 8 bytes
// at fp + kFirstLocalOffset - 8*s; a value of w words starting at slot s occupies slots
// s..s+w-1 and is addressed at its lowest one. A v128 starts at an odd slot, which puts it at a
// 16-aligned address (fp is 16-aligned).
constexpr uint32_t AlignFrameSlot(uint32_t s, JType t) {
  return t == JType::kV128 ? (s | 1u) : s;
}
constexpr int32_t FrameSlotOffset(uint32_t s, JType t) {
  return kFirstLocalOffset - kSlotSize * static_cast<int32_t>(s + SlotWords(t) - 1);
}

// Implementation limits (the compile fails with kUnsupported beyond them).
inline constexpr uint64_t kMaxLocals = 50000;            // params + declared locals
inline constexpr uint64_t kMaxFrameBytes = 64ull << 20;  // 64 MiB per frame
inline constexpr uint32_t kMaxParamsOrResults = 1000;

}  // namespace wt::jit::abi
