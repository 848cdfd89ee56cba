// aarch64 MacroAssembler (see jit/masm.h) over asmjit's a64::Assembler. This header does not
// include asmjit: the assembler lives behind a pointer (masm_a64.cpp). Like the x64 Masm it only
// emits bytes, so it is built on every host (golden disassembly tests run on x86_64); the files
// that run its code (*_host_a64.cpp) are built on aarch64 only. docs/a64.md has the design.
//
// Register codes (jit/masm.h: 0..15 GP, 16..31 FP) and the hardware registers they name:
//   codes 0..10  x0..x10       allocatable (x0: result 0, x0..x7: C arguments)
//   code  11     x11           allocatable; the caller's VMContext at FuncRef calls (kCallerVmctx)
//   code  12     sp            kSp (a base of memory operands only)
//   code  13     x29           kFp, the frame pointer (x29/x30 frame records)
//   code  14     x27           kMemBase, memory 0's base
//   code  15     x28           kVmctx, the VMContext of the running function
//   codes 16..30 v0..v14       allocatable FP/SIMD (v0: f32/f64/v128 result 0)
//   code  31     v15           not allocated
// Masm scratch (never allocated, no code): x16, x17 (IP0/IP1: addresses, immediates, links),
// x12..x15, and v16..v31. x18 (platform register) is never touched. x19..x26 are unused by wasm
// code; the entry trampoline saves x19..x28, x29, x30 and d8..d15 for the host (AAPCS64).
// x30 (lr) holds the return address at calls; the prologue stores it in the frame record.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "jit/compiler.h"
#include "jit/masm.h"
#include "jit/masm_simd.h"
#include "util/result.h"
#include "wasm/types.h"

namespace wt::jit::a64 {

namespace reg {
inline constexpr Reg x0 = Reg::Gp(0), x1 = Reg::Gp(1), x2 = Reg::Gp(2), x3 = Reg::Gp(3),
                     x4 = Reg::Gp(4), x5 = Reg::Gp(5), x6 = Reg::Gp(6), x7 = Reg::Gp(7),
                     x8 = Reg::Gp(8), x9 = Reg::Gp(9), x10 = Reg::Gp(10), x11 = Reg::Gp(11),
                     sp = Reg::Gp(12), fp = Reg::Gp(13), membase = Reg::Gp(14), vmctx = Reg::Gp(15);
inline constexpr Reg v0 = Reg::Fp(0), v15 = Reg::Fp(15);
}  // namespace reg

// The hardware register number of a GP code (sp: 31, as encoded in sp-relative forms) and of
// an FP code.
constexpr unsigned HwGp(Reg r) {
  constexpr unsigned kHw[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 31, 29, 27, 28};
  return kHw[r.code & 15u];
}
constexpr unsigned HwFp(Reg r) {
  return r.code & 15u;
}

// CPU features the generated code may use (aarch64; HWCAP bits, read once per CompileModule).
// The baseline (ARMv8.0-A with FP and Advanced SIMD) is all the JIT needs; the optional ones
// only pick shorter sequences.
struct CpuFeatures {
  bool lse = false;      // ARMv8.1 atomics (not used yet)
  bool dotprod = false;  // sdot/udot (relaxed dot products)
  bool fp16 = false;
  bool rdm = false;  // sqrdmlah (not used yet)
};
// The host's features (host build only: compile_host_a64.cpp); on another host: none.
CpuFeatures HostCpuFeatures();
// The features CompileModule compiles for, or the one-line error when the JIT cannot run there
// (e.g. a --simd-isa cap, which names x86_64 levels).
Result<CpuFeatures> CompileFeatures(CpuFeatures host, SimdIsa isa);

class Masm {
 public:
  static constexpr RegSet kAllocatableGp =
      RegSet::Of(reg::x0, reg::x1, reg::x2, reg::x3, reg::x4, reg::x5, reg::x6, reg::x7, reg::x8,
                 reg::x9, reg::x10, reg::x11);
  static constexpr RegSet kAllocatableFp = RegSet(0x7FFF0000u);  // v0..v14
  static constexpr Reg kFp = reg::fp;
  static constexpr Reg kSp = reg::sp;
  static constexpr Reg kVmctx = reg::vmctx;
  static constexpr Reg kMemBase = reg::membase;
  static constexpr Reg kCallerVmctx = reg::x11;
  static constexpr Reg kReturnGp = reg::x0;
  static constexpr Reg kReturnFp = reg::v0;

  // AAPCS64 integer argument registers (for builtins).
  static constexpr Reg CArgGp(int i) { return Reg::Gp(static_cast<unsigned>(i)); }
  // No operation needs fixed registers on aarch64 (empty for every op).
  static RegSet ClobbersFor(wasm::Op op);
  static bool HasImmForm(wasm::Op op);

  explicit Masm(const CpuFeatures& cpu);
  ~Masm();
  Masm(const Masm&) = delete;
  Masm& operator=(const Masm&) = delete;

  // --- Labels and positions ------------------------------------------------------------
  Label NewLabel();
  void Bind(Label l);
  uint32_t Offset() const;
  uint32_t LabelOffset(Label l) const;  // a bound label's offset
  void AlignCode(uint32_t alignment);

  // --- Frame ---------------------------------------------------------------------------
  // stp x29, x30, [sp, #-16]!; mov x29, sp; x16 = sp - <patched frame size>; jump to
  // `stack_trap` (with sp still = x29) when x16 is below vmctx->stack_limit, else sp = x16; save
  // the vmctx in the frame (x29 - 8). Returns the patch handle.
  uint32_t EnterFrame(Label stack_trap);
  void PatchFrameSize(uint32_t handle, uint32_t bytes);
  // Zeroes `count` 8-byte slots upward from `start` (prologue only: Masm scratch only).
  void ZeroFill(Mem start, uint32_t count);
  void LeaveFrameAndReturn();
  void RestoreVmctx();   // vmctx register <- the frame's saved VMContext
  void ReloadMemBase();  // memory-base register <- vmctx->mem0_base

  // --- Moves ---------------------------------------------------------------------------
  void Move(JType t, Reg dst, Reg src);
  void Swap(JType t, Reg a, Reg b);  // whole registers
  void LoadConst(JType t, Reg dst, uint64_t bits);
  void Load(JType t, Reg dst, Mem src);
  void Store(JType t, Mem dst, Reg src);
  void StoreConst(JType t, Mem dst, uint64_t bits);
  void CopyMem(JType t, Mem dst, Mem src);

  // --- Arithmetic ----------------------------------------------------------------------
  // i32/i64 add sub mul and or xor shl shr_s shr_u rotl rotr.
  void IntBinop(wasm::Op op, Reg dst, Reg lhs, Reg rhs);
  void IntBinopImm(wasm::Op op, Reg dst, Reg lhs, int32_t imm);
  // div_s div_u rem_s rem_u.
  void IntDivRem(wasm::Op op, Reg dst, Reg lhs, Reg rhs, Label div_by_zero, Label overflow);
  // clz ctz popcnt eqz extend*_s wrap extend_i32_s/u, ref.is_null (as i64.eqz).
  void IntUnop(wasm::Op op, Reg dst, Reg src);
  void IntCompare(wasm::Op op, Reg dst, Reg lhs, Reg rhs);
  void IntCompareImm(wasm::Op op, Reg dst, Reg lhs, int32_t imm);
  void FloatBinop(wasm::Op op, Reg dst, Reg lhs, Reg rhs);
  void FloatUnop(wasm::Op op, Reg dst, Reg src);
  void FloatCompare(wasm::Op op, Reg dst, Reg lhs, Reg rhs);
  // Every conversion and reinterpretation; `src` may be clobbered.
  void Convert(wasm::Op op, Reg dst, Reg src, Label invalid, Label overflow);
  // dst = cond ? a : b (dst may alias a or b).
  void Select(JType t, Reg dst, Reg cond, Reg a, Reg b);

  // --- Memory 0 ------------------------------------------------------------------------
  // `addr` is an i32 register, or Reg::None() with the whole address (address + offset) in
  // `offset`. Returns the code offset of the instruction that can fault.
  uint32_t LoadMem(wasm::Op op, Reg dst, Reg addr, uint64_t offset);
  uint32_t StoreMem(wasm::Op op, Reg addr, uint64_t offset, Reg value);
  // [multi-memory, memory64] (masm_a64_memory_multi.cpp). LoadMemBase: the memory-base register <-
  // vmctx->memories[memory]->base, plus `addr` (a 64-bit address) when valid; for memory 0 it
  // only adds `addr` (its base is already there). The compiler restores memory 0's base with
  // ReloadMemBase right after the access. CheckMemBound: jumps to `oob` when the 64-bit `addr`
  // is above vmctx->memories[memory]->size_bytes (unsigned).
  void LoadMemBase(uint32_t memory, Reg addr);
  void CheckMemBound(Reg addr, uint32_t memory, Label oob);

  // --- Control -------------------------------------------------------------------------
  void Jump(Label l);
  void BranchIfZero(JType t, Reg r, Label l);
  void BranchIfNonZero(JType t, Reg r, Label l);
  void BranchCmp(JType t, Cond c, Reg lhs, Reg rhs, Label l);
  void BranchCmpImm(JType t, Cond c, Reg lhs, int32_t imm, Label l);
  // Float compare-and-branch: jumps to `l` when `lhs op rhs` (an f32/f64
  // comparison of type `t`) is `when`, with Wasm's NaN semantics.
  void BranchFloatCmp(JType t, wasm::Op op, bool when, Reg lhs, Reg rhs, Label l);
  // Compare-and-select: dst = (lhs c rhs) ? dst : src, an integer
  // comparison of type `ct` (rhs None: against `imm`) selecting integers of type `t`.
  void SelectCmp(JType ct, Cond c, Reg lhs, Reg rhs, int32_t imm, JType t, Reg dst, Reg src);
  // Jumps to labels[index], or to labels.back() when index >= labels.size() - 1. May clobber
  // `index`.
  void JumpTable(Reg index, std::span<const Label> labels);
  uint32_t Ud2();  // `udf #0` (SIGILL); returns its offset
  // Binds `l` and emits a stub calling wt_raise_trap(code, stub address, fp). Returns the
  // stub's offset (the pc the trap reports).
  uint32_t EmitTrapStub(Label l, runtime::TrapCode code);

  // --- Interruption (fuel, epochs) -----------------------------------------------------
  // store_ctx->fuel_consumed += <cost>; jump to out_of_fuel when it becomes > 0. Returns the
  // handle PatchFuelCost writes the cost through (the block's cost is known at its end).
  uint32_t ChargeFuel(Label out_of_fuel);
  void PatchFuelCost(uint32_t handle, uint32_t cost);
  // Jumps to `interrupt` when *store_ctx->epoch_counter >= store_ctx->epoch_deadline. `tmp` is
  // a free GP register; with Reg::None() the memory-base register is borrowed and reloaded.
  void CheckEpoch(Reg tmp, Label interrupt);

  // --- Calls ---------------------------------------------------------------------------
  void CallLabel(Label l);
  // Calls the FuncRef* in `ref` (clobbers the vmctx and memory-base registers).
  void CallFuncRef(Reg ref);
  // Calls a runtime builtin; the args are already in CArgGp(i). A builtin of the table
  // (runtime/builtin_table.h) is called through it: `adrp x16, table; ldr x16, [x16, #lo12 +
  // 8 * id]; blr x16`, a kAdrpLdr link to BuiltinTableLabelId(). Any other address is called by
  // absolute address (movz/movk x16; blr x16), and PositionIndependent() is then false.
  void CallBuiltin(const void* fn);
  // call_indirect checks: index < table size, non-null entry, type id. Leaves the FuncRef* in
  // `out` (which must differ from `index`).
  void CallIndirectCheck(Reg index, Reg out, uint32_t table, uint32_t type_index, Label undefined,
                         Label null, Label mismatch);

  // --- Tail calls ([wasm3] T; masm_a64_tailcall.cpp, docs/tail-calls.md) ------------
  // Leave the frame (fp and the return address back as at our entry) and jump to a function
  // label / to the code of the FuncRef* in `ref`, whose vmctx must be ours.
  void TailJumpLabel(Label l);
  void TailJumpFuncRef(Reg ref);
  // Jumps to `other` when the FuncRef* in `ref` belongs to another instance (or is a host
  // function): its vmctx differs from ours.
  void BranchIfOtherInstance(Reg ref, Label other);
  // Adapter frames of growing tail calls (docs/tail-calls.md): jumps to `l` unless our return
  // address is an adapter's return point (`tmp`: a free GP register); enters `target` with its
  // area at fpa + area_offset below the adapter frame `fpa` and `ret_point` as its return
  // address; binds `l` to an adapter's return point (marker, then leave frame and return) and
  // returns its offset (the return address a call site is recorded at).
  void BranchIfNotTailAdapter(Reg tmp, Label l);
  void EnterTailAdapter(Reg fpa, int32_t area_offset, Label ret_point, Label target);
  void EnterTailAdapterFuncRef(Reg fpa, int32_t area_offset, Label ret_point, Reg ref);
  // `result_words` > 0: the return point first copies results 1.. (8-byte words) from the
  // area (at the slot in [fp - 24]) to its caller's area (at the slot in [fp - 32]).
  uint32_t BindTailAdapterReturn(Label l, uint32_t result_words);

  // --- [wasmgc] Packed GC fields (masm_a64_gc.cpp) --------------------------------------
  // dst (i32) <- the `bytes` (1 or 2) at src, sign- or zero-extended; dst <- low bytes of src.
  void LoadPacked(Reg dst, Mem src, uint32_t bytes, bool sign);
  void StorePacked(Mem dst, Reg src, uint32_t bytes);

  // --- SIMD on NEON (jit/masm_simd.h; masm_a64_simd*.cpp) -----------------------------
  int SimdTemps(wasm::Op op) const;
  void LoadConstV128(Reg dst, V128 v);
  void StoreConstV128(Mem dst, V128 v);
  uint32_t LoadMemV128(wasm::Op op, Reg dst, Reg addr, uint64_t offset, uint32_t lane);
  uint32_t StoreMemV128(wasm::Op op, Reg addr, uint64_t offset, Reg src, uint32_t lane);
  void SimdSplat(wasm::Op op, Reg dst, Reg src);
  void SimdExtractLane(wasm::Op op, Reg dst, Reg src, uint32_t lane);
  void SimdReplaceLane(wasm::Op op, Reg dst, Reg src, Reg val, uint32_t lane);
  void SimdShuffle(Reg dst, Reg a, Reg b, const uint8_t* lanes, VTemps t);
  void SimdUnop(wasm::Op op, Reg dst, Reg src, VTemps t);
  void SimdBinop(wasm::Op op, Reg dst, Reg a, Reg b, VTemps t);
  void SimdTernop(wasm::Op op, Reg dst, Reg a, Reg b, Reg c, VTemps t);
  void SimdShift(wasm::Op op, Reg dst, Reg src, Reg count, VTemps t);
  void SimdShiftImm(wasm::Op op, Reg dst, Reg src, uint32_t count, VTemps t);
  void SimdToI32(wasm::Op op, Reg dst, Reg src, VTemps t);
  void BranchSimd(wasm::Op op, bool when, Reg src, Label l);
  // Tests only (Masm-level unit tests that assemble a bare function): `ret` (x30).
  void RawRet();

  // --- Trampolines ---------------------------------------------------------------------
  uint32_t EmitEntryTrampoline(const wasm::FuncType& sig);
  uint32_t EmitHostStub(const wasm::FuncType& sig);

  // --- Output --------------------------------------------------------------------------
  // The first assembler error (an internal bug), or empty.
  const std::string& error() const;
  // Resolves links; the code size for CopyTo.
  Result<size_t> Finish();
  // Copies the code, relocated for `base_address`, to dst[0..size).
  Status CopyTo(uint8_t* dst, size_t size, uint64_t base_address);
  // After Finish: true if the code has no relocation and no absolute builtin address (see
  // x64::Masm::PositionIndependent).
  bool PositionIndependent() const;
  // After Finish: the uses of labels never bound in this buffer (jit::ExternalLink, masm.h).
  // Link kinds of a64 code:
  //   kBl26      `bl` at `at` (a direct call): gets the target when it is within +-128 MiB,
  //              else the call's veneer at at + rel (an island Finish appended after the code:
  //              `adrp x16, target; add x16, x16, :lo12:target; br x16`, itself a kAdrpAdd
  //              link of the same label), so any target within +-4 GiB is reached.
  //   kAdrpAdd   `adrp xN` at `at`, `add xN, xN, #lo12` at `at + 4`: the address target + rel.
  //   kAdrpLdr   `adrp xN` at `at`, `ldr xM, [xN, #lo12]` (64-bit) at `at + 4`: loads the
  //              8-byte word at target + rel (the builtin table: rel = 8 * id).
  enum LinkKind : uint8_t { kBl26 = 1, kAdrpAdd = 2, kAdrpLdr = 3 };
  using ExternalLink = jit::ExternalLink;
  Status ExternalLinks(std::vector<ExternalLink>* out) const;
  static bool PatchExternalLink(uint8_t kind, int32_t rel, uint8_t* field_rw, uint64_t field_addr,
                                uint64_t target);
  // [lazy] The label id of this buffer's builtin table (runtime/builtin_table.h): an
  // ExternalLink with this label gets table_address - (code_address + at) + rel, where the
  // code's home placed the table (eager: after the code; lazy: the arena's data part).
  // UINT32_MAX: no builtin call in this buffer yet (so no such link). The label is created by
  // the first builtin call, trap stub or host stub, and is never bound.
  uint32_t BuiltinTableLabelId() const;

  // The asmjit state (masm_a64_impl.h); named here for the jit/a64 files' helpers.
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

static_assert(MacroAssembler<Masm>);
static_assert(SimdMacroAssembler<Masm>);

}  // namespace wt::jit::a64
