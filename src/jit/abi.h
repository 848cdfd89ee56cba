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
// - Parameters are passed in memory: the caller reserves an outgoing area of
//   ArgAreaSlots(#params, #results) 8-byte slots at the bottom of its frame (at the stack
//   pointer when it calls) and writes param i to slot i. In the callee that area is at
//   fp + kIncomingArgsOffset; the params ARE the callee's first locals (no copy).
// - Result 0 comes back in the return register ([rax] for i32/i64/ref, [xmm0] for f32/f64);
//   result i >= 1 is written by the callee to slot #params + i - 1 of the same area (after the
//   params, so writing results never clobbers a param the results are computed from).
// - i32 values occupy the low 4 bytes of a slot (the upper bytes are undefined); i32 values in
//   registers have their upper 32 bits zero; f32 values occupy the low 4 bytes.
// - Every allocatable register is caller-saved (the compiler spills its value stack before a
//   call). The frame pointer, the vmctx register and the memory-base register are the only
//   registers wasm code relies on across calls; [rbx, r12, r13] are clobbered freely (the entry
//   trampoline saves the host's callee-saved registers).
// - The stack pointer is 16-byte aligned at every call instruction.
//
// Frame layout of a compiled function (slots are 8 bytes, fp = frame pointer):
//   fp + 16 + 8*i   param i, then results 1.. (the caller's outgoing area)
//   fp + 8          return address
//   fp + 0          caller's fp            (push rbp; mov rbp, rsp: a frame-pointer walk works)
//   fp - 8          the function's VMContext (saved by the prologue)
//   fp - 16 - 8*j   declared (non-param) local j, zeroed by the prologue
//   below           value-stack spill slots: entry k at fp - 16 - 8*(#declared locals) - 8*k
//   sp + 8*i        outgoing call area (max over the function's calls), sp = fp - frame size
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

namespace wt::jit::abi {

inline constexpr int32_t kSlotSize = 8;
inline constexpr int32_t kIncomingArgsOffset = 16;  // fp-relative offset of param/result 0
inline constexpr int32_t kSavedVmctxOffset = -8;    // fp-relative
inline constexpr int32_t kFirstLocalOffset = -16;   // fp-relative offset of declared local 0
inline constexpr uint32_t kFrameAlignment = 16;

// The call area: params, then results 1..n-1.
constexpr uint32_t ArgAreaSlots(uint32_t params, uint32_t results) {
  return params + (results > 1 ? results - 1 : 0);
}
constexpr uint32_t ResultSlot(uint32_t params, uint32_t i) {  // i >= 1
  return params + i - 1;
}

// Implementation limits (the compile fails with kUnsupported beyond them).
inline constexpr uint64_t kMaxLocals = 50000;            // params + declared locals
inline constexpr uint64_t kMaxFrameBytes = 64ull << 20;  // 64 MiB per frame
inline constexpr uint32_t kMaxParamsOrResults = 1000;

}  // namespace wt::jit::abi
