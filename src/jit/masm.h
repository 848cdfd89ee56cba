// The ISA-neutral MacroAssembler interface the baseline compiler is written against.
//
// BaselineCompiler<Masm> (baseline_compiler.h) is a template over a type satisfying the
// MacroAssembler concept below; jit/x64/masm_x64.h implements it for x86_64 (an aarch64 back
// end implements the same members). The compiler owns register allocation; the Masm turns
// 3-operand operations on registers, immediates and memory operands into machine code, using
// its own scratch registers (never allocatable) for whatever the ISA needs in between.
//
// Conventions every implementation follows:
// - Registers are Reg codes: 0..15 general purpose, 16..31 floating point (the Masm decides
//   which hardware register each code is). i32 values in GP registers always have their upper
//   32 bits zero (every 32-bit operation must leave them so); refs are pointer-sized.
// - Operations take dst, lhs, rhs; dst may alias either operand (the Masm handles the moves).
// - Operations that need fixed hardware registers declare them in a RegSet (ClobbersFor):
//   before emitting one, the compiler makes sure no live value other than the operation's own
//   operands sits in those registers.
// - Memory operands are Mem{base register, displacement}; M::kFp (frame pointer), M::kSp
//   (stack pointer) and M::kVmctx (the VMContext register) are valid bases.
// - Trap paths are Labels the compiler binds to out-of-line stubs (EmitTrapStub).
#pragma once

#include <concepts>
#include <cstdint>
#include <span>

#include "runtime/trap/trap.h"
#include "wasm/opcodes.h"
#include "wasm/types.h"

namespace wt::jit {

// The JIT's value kinds. kRef is a pointer-sized GP value; kV128 is a 128-bit vector in an
// FP (XMM/NEON) register and takes two 8-byte frame slots (abi::SlotWords).
enum class JType : uint8_t { kI32, kI64, kF32, kF64, kRef, kV128 };

// Scalar floats only (f32, f64).
constexpr bool IsFp(JType t) {
  return t == JType::kF32 || t == JType::kF64;
}
// Lives in an FP-class register: scalar floats and v128.
constexpr bool InXmm(JType t) {
  return IsFp(t) || t == JType::kV128;
}
constexpr bool Is64(JType t) {
  return t == JType::kI64 || t == JType::kF64 || t == JType::kRef;
}

enum class RegClass : uint8_t { kGp, kFp };

constexpr RegClass ClassOf(JType t) {
  return InXmm(t) ? RegClass::kFp : RegClass::kGp;
}

struct Reg {
  uint8_t code = 0xFF;  // 0..15 GP, 16..31 FP, 0xFF none

  static constexpr Reg Gp(unsigned n) { return Reg{static_cast<uint8_t>(n)}; }
  static constexpr Reg Fp(unsigned n) { return Reg{static_cast<uint8_t>(16 + n)}; }
  static constexpr Reg None() { return Reg{}; }
  constexpr bool valid() const { return code != 0xFF; }
  constexpr bool is_fp() const { return valid() && code >= 16; }
  constexpr unsigned hw() const { return code & 15u; }  // hardware number within its class
  constexpr RegClass cls() const { return is_fp() ? RegClass::kFp : RegClass::kGp; }
  friend constexpr bool operator==(Reg a, Reg b) { return a.code == b.code; }
};

class RegSet {
 public:
  constexpr RegSet() = default;
  constexpr explicit RegSet(uint32_t bits) : bits_(bits) {}
  template <typename... R>
  static constexpr RegSet Of(R... regs) {
    return RegSet(((1u << regs.code) | ... | 0u));
  }
  static constexpr RegSet AllGp() { return RegSet(0x0000FFFFu); }
  static constexpr RegSet AllFp() { return RegSet(0xFFFF0000u); }
  static constexpr RegSet All(RegClass c) { return c == RegClass::kFp ? AllFp() : AllGp(); }

  constexpr bool has(Reg r) const { return r.valid() && ((bits_ >> r.code) & 1u); }
  constexpr RegSet with(Reg r) const { return r.valid() ? RegSet(bits_ | (1u << r.code)) : *this; }
  constexpr RegSet without(Reg r) const {
    return r.valid() ? RegSet(bits_ & ~(1u << r.code)) : *this;
  }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr uint32_t bits() const { return bits_; }
  constexpr int Count() const { return __builtin_popcount(bits_); }
  constexpr Reg First() const {
    return bits_ ? Reg{static_cast<uint8_t>(__builtin_ctz(bits_))} : Reg::None();
  }
  friend constexpr RegSet operator|(RegSet a, RegSet b) { return RegSet(a.bits_ | b.bits_); }
  friend constexpr RegSet operator&(RegSet a, RegSet b) { return RegSet(a.bits_ & b.bits_); }
  friend constexpr RegSet operator-(RegSet a, RegSet b) { return RegSet(a.bits_ & ~b.bits_); }
  friend constexpr bool operator==(RegSet a, RegSet b) { return a.bits_ == b.bits_; }

 private:
  uint32_t bits_ = 0;
};

// [base + offset]
struct Mem {
  Reg base;
  int32_t offset = 0;
};

struct Label {
  uint32_t id = UINT32_MAX;
  constexpr bool valid() const { return id != UINT32_MAX; }
};

// [perf] A use of a label never bound in its buffer (Masm::ExternalLinks): a direct call into
// code another buffer holds, or a builtin-table access. The field at code offset `at` is
// written, once both sides are laid out, by the ISA's Masm::PatchExternalLink(kind, rel, ...):
// x64 has one kind (a rel32 field that gets target - field address + rel); a64 has several
// (jit/a64/masm_a64.h: adrp+add, adrp+ldr, ...). `rel` is an addend the Masm chose.
struct ExternalLink {
  uint32_t label = 0;
  uint32_t at = 0;
  int32_t rel = 0;
  uint8_t kind = 0;
};

// Integer comparisons for fused compare-and-branch.
enum class Cond : uint8_t { kEq, kNe, kLtS, kLtU, kGtS, kGtU, kLeS, kLeU, kGeS, kGeU };

constexpr Cond Negate(Cond c) {
  switch (c) {
    case Cond::kEq:
      return Cond::kNe;
    case Cond::kNe:
      return Cond::kEq;
    case Cond::kLtS:
      return Cond::kGeS;
    case Cond::kLtU:
      return Cond::kGeU;
    case Cond::kGtS:
      return Cond::kLeS;
    case Cond::kGtU:
      return Cond::kLeU;
    case Cond::kLeS:
      return Cond::kGtS;
    case Cond::kLeU:
      return Cond::kGtU;
    case Cond::kGeS:
      return Cond::kLtS;
    case Cond::kGeU:
      return Cond::kLtU;
  }
  return c;
}

// What a MacroAssembler provides. Ops are passed as wasm::Op (the opcode being compiled) so
// the interface needs no enum of its own per operation family.
template <typename M>
concept MacroAssembler = requires(M m, const M cm, Reg r, Mem mem, Label l, JType t, wasm::Op op,
                                  uint64_t bits, int32_t imm, uint32_t u32,
                                  std::span<const Label> labels, const wasm::FuncType& sig,
                                  runtime::TrapCode code, const void* fn) {
  // Register file.
  { M::kAllocatableGp } -> std::convertible_to<RegSet>;
  { M::kAllocatableFp } -> std::convertible_to<RegSet>;
  { M::kFp } -> std::convertible_to<Reg>;
  { M::kSp } -> std::convertible_to<Reg>;
  { M::kVmctx } -> std::convertible_to<Reg>;
  { M::kReturnGp } -> std::convertible_to<Reg>;
  { M::kReturnFp } -> std::convertible_to<Reg>;
  { M::CArgGp(0) } -> std::convertible_to<Reg>;
  { M::ClobbersFor(op) } -> std::convertible_to<RegSet>;
  { M::HasImmForm(op) } -> std::convertible_to<bool>;
  // Labels and positions.
  { m.NewLabel() } -> std::same_as<Label>;
  m.Bind(l);
  { cm.Offset() } -> std::convertible_to<uint32_t>;
  { cm.LabelOffset(l) } -> std::convertible_to<uint32_t>;
  m.AlignCode(u32);
  // Frame.
  { m.EnterFrame(l) } -> std::convertible_to<uint32_t>;
  m.PatchFrameSize(u32, u32);
  m.ZeroFill(mem, u32);
  m.LeaveFrameAndReturn();
  m.RestoreVmctx();
  m.ReloadMemBase();
  // Moves.
  m.Move(t, r, r);
  m.Swap(t, r, r);
  m.LoadConst(t, r, bits);
  m.Load(t, r, mem);
  m.Store(t, mem, r);
  m.StoreConst(t, mem, bits);
  m.CopyMem(t, mem, mem);
  // Arithmetic.
  m.IntBinop(op, r, r, r);
  m.IntBinopImm(op, r, r, imm);
  m.IntDivRem(op, r, r, r, l, l);
  m.IntUnop(op, r, r);
  m.IntCompare(op, r, r, r);
  m.IntCompareImm(op, r, r, imm);
  m.FloatBinop(op, r, r, r);
  m.FloatUnop(op, r, r);
  m.FloatCompare(op, r, r, r);
  m.Convert(op, r, r, l, l);
  m.Select(t, r, r, r, r);
  // Memory 0 (guard-page checked): returns the code offset of the access instruction.
  { m.LoadMem(op, r, r, bits) } -> std::convertible_to<uint32_t>;
  { m.StoreMem(op, r, bits, r) } -> std::convertible_to<uint32_t>;
  // [multi-memory, memory64] (docs/memory64.md) Other memories and 64-bit ones: LoadMemBase
  // points the memory-base register at vmctx->memories[u32]->base (+ a 64-bit address
  // register, or None) for one LoadMem/StoreMem/LoadMemV128/StoreMemV128, after which the
  // compiler calls ReloadMemBase; CheckMemBound jumps to the label when the 64-bit address
  // register is above vmctx->memories[u32]->size_bytes.
  m.LoadMemBase(u32, r);
  m.CheckMemBound(r, u32, l);
  // Control.
  m.Jump(l);
  m.BranchIfZero(t, r, l);
  m.BranchIfNonZero(t, r, l);
  m.BranchCmp(t, Cond::kEq, r, r, l);
  m.BranchCmpImm(t, Cond::kEq, r, imm, l);
  m.BranchFloatCmp(t, op, true, r, r, l);
  m.SelectCmp(t, Cond::kEq, r, r, imm, t, r, r);
  m.JumpTable(r, labels);
  { m.Ud2() } -> std::convertible_to<uint32_t>;
  { m.EmitTrapStub(l, code) } -> std::convertible_to<uint32_t>;
  // Interruption ([traps]; only emitted under CompileOptions::consume_fuel/epoch_interruption).
  // ChargeFuel adds a cost (patched later through the returned handle) to the store's
  // fuel_consumed and jumps to the label when it becomes > 0; CheckEpoch jumps to the label
  // when *epoch_counter >= epoch_deadline (`r`: a free GP register, or None).
  { m.ChargeFuel(l) } -> std::convertible_to<uint32_t>;
  m.PatchFuelCost(u32, u32);
  m.CheckEpoch(r, l);
  // Calls.
  m.CallLabel(l);
  m.CallFuncRef(r);
  m.CallBuiltin(fn);
  m.CallIndirectCheck(r, r, u32, u32, l, l, l);
  // Tail calls ([wasm3] T, docs/tail-calls.md): leave the frame and jump.
  m.TailJumpLabel(l);
  m.TailJumpFuncRef(r);
  m.BranchIfOtherInstance(r, l);
  m.BranchIfNotTailAdapter(r, l);
  m.EnterTailAdapter(r, imm, l, l);
  m.EnterTailAdapterFuncRef(r, imm, l, r);
  { m.BindTailAdapterReturn(l, u32) } -> std::convertible_to<uint32_t>;
  // [wasmgc] G2 (compiler_gc_objects.h): packed struct/array fields (i8, i16) at [base + disp]:
  // LoadPacked zero- or sign-extends `u32` bytes (1 or 2) to an i32; StorePacked writes the
  // low `u32` bytes of a GP register.
  m.LoadPacked(r, mem, u32, true);
  m.StorePacked(mem, r, u32);
  // Trampolines (per signature), returning their start offsets.
  { m.EmitEntryTrampoline(sig) } -> std::convertible_to<uint32_t>;
  { m.EmitHostStub(sig) } -> std::convertible_to<uint32_t>;
  // Linking ([perf]/[lazy]): see ExternalLink. PatchExternalLink writes the field of a link of
  // `kind` with addend `rel` at `field_rw` (where the code is written), for code that runs at
  // `field_addr`, to reach the absolute address `target`; false when `target` is out of the
  // field's reach.
  {
    M::PatchExternalLink(uint8_t{}, imm, static_cast<uint8_t*>(nullptr), bits, bits)
    } -> std::convertible_to<bool>;
};

}  // namespace wt::jit
