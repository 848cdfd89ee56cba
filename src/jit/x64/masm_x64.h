// x86_64 MacroAssembler (see jit/masm.h) over asmjit's x86::Assembler. This header does not
// include asmjit: the assembler lives behind a pointer (masm_x64.cpp).
//
// Registers (jit/abi.h has the calling convention):
//   r15  VMContext of the running function        r14  memory 0's base
//   rbp  frame pointer                            r11, xmm15  Masm scratch (never allocated)
//   r13  caller's VMContext at FuncRef calls (allocatable inside a body)
//   allocatable: rax rcx rdx rbx rsi rdi r8 r9 r10 r12 r13, xmm0..xmm14
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

namespace wt::jit::x64 {

namespace reg {
inline constexpr Reg rax = Reg::Gp(0), rcx = Reg::Gp(1), rdx = Reg::Gp(2), rbx = Reg::Gp(3),
                     rsp = Reg::Gp(4), rbp = Reg::Gp(5), rsi = Reg::Gp(6), rdi = Reg::Gp(7),
                     r8 = Reg::Gp(8), r9 = Reg::Gp(9), r10 = Reg::Gp(10), r11 = Reg::Gp(11),
                     r12 = Reg::Gp(12), r13 = Reg::Gp(13), r14 = Reg::Gp(14), r15 = Reg::Gp(15);
inline constexpr Reg xmm0 = Reg::Fp(0), xmm15 = Reg::Fp(15);
}  // namespace reg

// CPU features the generated code may use (queried once per CompileModule).
struct CpuFeatures {
  bool sse41 = false;   // roundss/roundsd (required)
  bool popcnt = false;  // required
  bool lzcnt = false;
  bool bmi1 = false;  // tzcnt
  // Vector ISA levels (SIMD code only; scalar code never looks at them). Each implies the ones
  // above it in a CPU the Masm generates for: avx2 => avx => sse42 => ssse3 (=> sse41).
  bool ssse3 = false;  // pshufb, pabs*, pmaddubsw, pmulhrsw, palignr (required for SIMD)
  bool sse42 = false;  // pcmpgtq
  bool avx = false;    // VEX three-operand encodings (the OS saves YMM state)
  bool avx2 = false;   // vpbroadcast*
  bool fma = false;    // vfmadd*/vfnmadd* (relaxed madd/nmadd only; used only with avx2)
};
CpuFeatures HostCpuFeatures();
// `f` with the vector features above `isa` cleared (scalar features untouched; kAuto: none).
CpuFeatures ApplySimdIsa(CpuFeatures f, SimdIsa isa);
// `requested`, or for kAuto the cap WTRUN_SIMD_ISA names (read once per process; kAuto when
// unset). False when WTRUN_SIMD_ISA holds an unknown value.
bool EffectiveSimdIsa(SimdIsa requested, SimdIsa* out);
// The features CompileModule compiles for on a CPU with `host` (the cap applied), or the
// one-line "unsupported cpu: ..." error when the JIT cannot run there (it needs SSE4.1, SSSE3
// and POPCNT).
Result<CpuFeatures> CompileFeatures(CpuFeatures host, SimdIsa isa);

class Masm {
 public:
  static constexpr RegSet kAllocatableGp =
      RegSet::Of(reg::rax, reg::rcx, reg::rdx, reg::rbx, reg::rsi, reg::rdi, reg::r8, reg::r9,
                 reg::r10, reg::r12, reg::r13);
  static constexpr RegSet kAllocatableFp = RegSet(0x7FFF0000u);  // xmm0..xmm14
  static constexpr Reg kFp = reg::rbp;
  static constexpr Reg kSp = reg::rsp;
  static constexpr Reg kVmctx = reg::r15;
  static constexpr Reg kMemBase = reg::r14;
  static constexpr Reg kCallerVmctx = reg::r13;
  static constexpr Reg kReturnGp = reg::rax;
  static constexpr Reg kReturnFp = reg::xmm0;

  // System V integer argument registers (for builtins).
  static constexpr Reg CArgGp(int i) {
    constexpr Reg kArgs[] = {reg::rdi, reg::rsi, reg::rdx, reg::rcx, reg::r8, reg::r9};
    return kArgs[i];
  }
  static RegSet ClobbersFor(wasm::Op op);
  static bool HasImmForm(wasm::Op op);

  explicit Masm(const CpuFeatures& cpu);
  ~Masm();
  // Process-wide: whether Masms constructed from now on write the common instructions' bytes
  // directly (jit/x64/encoder_x64.h; the default) or send every instruction through asmjit's
  // generic x86::Assembler. The bytes are the same either way; the switch exists so tests can
  // prove it (tests/unit/jit/x64_*_test.cpp). WTRUN_ASMJIT_ONLY=1 in the environment makes
  // false the initial value.
  static void SetDirectEncoding(bool on);
  static bool DirectEncoding();
  Masm(const Masm&) = delete;
  Masm& operator=(const Masm&) = delete;

  // --- Labels and positions ------------------------------------------------------------
  Label NewLabel();
  void Bind(Label l);
  uint32_t Offset() const;
  uint32_t LabelOffset(Label l) const;  // a bound label's offset
  void AlignCode(uint32_t alignment);

  // --- Frame ---------------------------------------------------------------------------
  // push rbp; mov rbp, rsp; r11 = rsp - <patched frame size>; jump to `stack_trap` (with rsp
  // still = rbp) when r11 is below vmctx->stack_limit, else rsp = r11; save the vmctx in the
  // frame. Returns the patch handle.
  uint32_t EnterFrame(Label stack_trap);
  void PatchFrameSize(uint32_t handle, uint32_t bytes);
  // Zeroes `count` 8-byte slots upward from `start` (prologue only: clobbers rax, rcx, rdi).
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
  // [multi-memory, memory64] (masm_x64_memory_multi.cpp). LoadMemBase: the memory-base register <-
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
  // Float compare-and-branch (masm_x64_fuse.cpp): jumps to `l` when `lhs op rhs` (an f32/f64
  // comparison of type `t`) is `when`, with Wasm's NaN semantics.
  void BranchFloatCmp(JType t, wasm::Op op, bool when, Reg lhs, Reg rhs, Label l);
  // Compare-and-select (masm_x64_fuse.cpp): dst = (lhs c rhs) ? dst : src, an integer
  // comparison of type `ct` (rhs None: against `imm`) selecting integers of type `t`.
  void SelectCmp(JType ct, Cond c, Reg lhs, Reg rhs, int32_t imm, JType t, Reg dst, Reg src);
  // Jumps to labels[index], or to labels.back() when index >= labels.size() - 1. Clobbers
  // `index`.
  void JumpTable(Reg index, std::span<const Label> labels);
  uint32_t Ud2();  // returns its offset
  // Binds `l` and emits a stub calling wt_raise_trap(code, stub address, fp). Returns the
  // stub's offset (the pc the trap reports).
  uint32_t EmitTrapStub(Label l, runtime::TrapCode code);

  // --- Interruption (fuel, epochs) -----------------------------------------------------
  // mov r11, [r15+store_ctx]; add qword [r11+fuel_consumed], <cost>; jg out_of_fuel. Returns
  // the handle PatchFuelCost writes the cost through (the block's cost is known at its end).
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
  // (runtime/builtin_table.h) is called through it: `call qword ptr [rip + table + 8 * id]`,
  // a link to BuiltinTableLabelId(). Any other address is called by absolute address (mov rax,
  // imm64; call rax), and PositionIndependent() is then false.
  void CallBuiltin(const void* fn);
  // call_indirect checks: index < table size, non-null entry, type id. Leaves the FuncRef* in
  // `out` (which must differ from `index`).
  void CallIndirectCheck(Reg index, Reg out, uint32_t table, uint32_t type_index, Label undefined,
                         Label null, Label mismatch);

  // --- Tail calls ([wasm3] T; masm_x64_tailcall.cpp, docs/tail-calls.md) ------------
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

  // --- [wasmgc] Packed GC fields (masm_x64_gc.cpp) --------------------------------------
  // dst (i32) <- the `bytes` (1 or 2) at src, sign- or zero-extended; dst <- low bytes of src.
  void LoadPacked(Reg dst, Mem src, uint32_t bytes, bool sign);
  void StorePacked(Mem dst, Reg src, uint32_t bytes);

  // --- SIMD (jit/masm_simd.h; masm_x64_simd*.cpp) -------------------------------------
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
  void BranchSimd(wasm::Op op, bool when, Reg src, Label l);  // masm_x64_simd_branch.cpp
  // Tests only (Masm-level unit tests that assemble a bare function): `ret`.
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
  // After Finish: true if the code has no relocation and no absolute builtin address, so its
  // bytes do not depend on CopyTo's base_address nor on the process (it may be copied
  // anywhere and moved, or written to a file), once its external links (direct calls, the
  // builtin table) are resolved where it is placed.
  bool PositionIndependent() const;
  // [perf] After Finish: the uses of labels never bound in this buffer (direct calls into
  // code another buffer holds, parallel compilation). Each is a rel32 field at code offset
  // `at`; the caller writes target - at + rel there once both are laid out.
  // (jit::ExternalLink, masm.h: x64 links have kind 0.)
  using ExternalLink = jit::ExternalLink;
  Status ExternalLinks(std::vector<ExternalLink>* out) const;
  // The rel32 field at `field_rw` gets target - field_addr + rel (false beyond +-2 GiB).
  static bool PatchExternalLink(uint8_t kind, int32_t rel, uint8_t* field_rw, uint64_t field_addr,
                                uint64_t target);
  // [lazy] The label id of this buffer's builtin table (runtime/builtin_table.h): an
  // ExternalLink with this label gets table_address - (code_address + at) + rel, where the
  // code's home placed the table (eager: after the code; lazy: the arena's data part).
  // UINT32_MAX: no builtin call in this buffer yet (so no such link). The label is created by
  // the first builtin call, trap stub or host stub, and is never bound.
  uint32_t BuiltinTableLabelId() const;

  // The asmjit state (masm_x64_impl.h); named here for the jit/x64 files' helpers.
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

static_assert(MacroAssembler<Masm>);
static_assert(SimdMacroAssembler<Masm>);

}  // namespace wt::jit::x64
