// Private to jit/a64: the asmjit state behind a64::Masm and operand helpers (owned by the core
// file, masm_a64.cpp; the other masm_a64_*.cpp files use it).
#pragma once

#include <asmjit/arm/a64assembler.h>
#include <asmjit/core.h>

#include <string>
#include <vector>

#include "jit/a64/masm_a64.h"

namespace wt::jit::a64 {

// Operands of register codes (masm_a64.h). kSp's code gives sp / wsp.
inline asmjit::a64::Gp X(Reg r) {
  unsigned hw = HwGp(r);
  return hw == 31 ? asmjit::a64::sp : asmjit::a64::x(hw);
}
inline asmjit::a64::Gp W(Reg r) {
  unsigned hw = HwGp(r);
  return hw == 31 ? asmjit::a64::wsp : asmjit::a64::w(hw);
}
inline asmjit::a64::Gp G(JType t, Reg r) {
  return Is64(t) ? X(r) : W(r);
}
inline asmjit::a64::Vec V(Reg r) {  // the whole 128-bit register (use .b16() / .s4() ... forms)
  return asmjit::a64::v(HwFp(r));
}
inline asmjit::a64::Vec D(Reg r) {  // scalar d, s, q forms
  return asmjit::a64::d(HwFp(r));
}
inline asmjit::a64::Vec S(Reg r) {
  return asmjit::a64::s(HwFp(r));
}
inline asmjit::a64::Vec Q(Reg r) {
  return asmjit::a64::v(HwFp(r)).q();
}
inline asmjit::Label AL(Label l) {
  return asmjit::Label(l.id);
}

// Masm scratch registers (never allocated; masm_a64.h). x16/x17 are also what links and
// veneers use, so a value in them does not survive a call or a builtin call.
inline const asmjit::a64::Gp kScratch0 = asmjit::a64::x16;
inline const asmjit::a64::Gp kScratch1 = asmjit::a64::x17;
inline const asmjit::a64::Gp kScratch2 = asmjit::a64::x15;
inline const asmjit::a64::Gp kScratch3 = asmjit::a64::x14;
inline const asmjit::a64::Gp kScratch4 = asmjit::a64::x13;
inline const asmjit::a64::Gp kScratch5 = asmjit::a64::x12;
// FP/SIMD scratch: v16..v31 (kVScratch0 = v31, kVScratch1 = v30, ...); the SIMD files may use
// v16..v29 as they like within one operation.
inline const asmjit::a64::Vec kVScratch0 = asmjit::a64::v31;
inline const asmjit::a64::Vec kVScratch1 = asmjit::a64::v30;

// The a64 condition code of an integer comparison (after cmp lhs, rhs).
inline asmjit::a64::CondCode CC(Cond c) {
  using asmjit::a64::CondCode;
  switch (c) {
    case Cond::kEq:
      return CondCode::kEQ;
    case Cond::kNe:
      return CondCode::kNE;
    case Cond::kLtS:
      return CondCode::kLT;
    case Cond::kLtU:
      return CondCode::kLO;
    case Cond::kGtS:
      return CondCode::kGT;
    case Cond::kGtU:
      return CondCode::kHI;
    case Cond::kLeS:
      return CondCode::kLE;
    case Cond::kLeU:
      return CondCode::kLS;
    case Cond::kGeS:
      return CondCode::kGE;
    case Cond::kGeU:
      return CondCode::kHS;
  }
  return CondCode::kEQ;
}

// The 13-bit N:immr:imms field of `v` as a logical immediate (and/orr/eor/tst) of `width` (32 or
// 64) bits; false when `v` has no such encoding (0, all ones, not a rotated run of ones
// replicated over a power-of-two element).
bool EncodeLogicalImm(uint64_t v, unsigned width, uint32_t* out);

// The hardware number of an asmjit GP register (sp and zr: 31).
inline unsigned HwOf(const asmjit::a64::Gp& r) {
  return r.id() & 31u;
}

struct Masm::Impl : public asmjit::ErrorHandler {
  explicit Impl(const CpuFeatures& features);

  void handleError(asmjit::Error err, const char* message, asmjit::BaseEmitter* origin) override;
  void Fail(const char* what) {
    if (error.empty()) error = what;
  }

  // dst = bits (movz/movn + movk, or orr with a logical immediate), shortest form.
  void MovImm(const asmjit::a64::Gp& dst, uint64_t bits);
  void LoadConst(JType t, Reg dst, uint64_t bits);
  // An operand for `size` bytes (1, 2, 4, 8, 16) at [base + offset]: the scaled-unsigned or
  // unscaled-signed immediate form when one fits, else [base + scratch] with the offset
  // materialized in `scratch` (default x17).
  asmjit::a64::Mem MemOperand(Mem m, unsigned size,
                              const asmjit::a64::Gp& scratch = asmjit::a64::x17);
  // dst = src + imm (any 64-bit imm; add/sub immediate forms, else through x17). dst/src may be
  // sp.
  void AddImm(const asmjit::a64::Gp& dst, const asmjit::a64::Gp& src, int64_t imm);

  // --- Links (ExternalLinks, masm_a64.h LinkKind) ---
  // Records a link of `kind` to `label` at the current offset (then emit the instruction(s),
  // with zero immediates). Labels bound in this buffer are resolved by Finish; the others are
  // reported by ExternalLinks.
  void AddLink(const asmjit::Label& label, uint8_t kind, int32_t rel);
  struct OwnLink {
    uint32_t label;
    uint32_t at;
    int32_t rel;
    uint8_t kind;
  };
  std::vector<OwnLink> links;
  // Builtin calls through the builtin table (runtime/builtin_table.h): adrp x16, table;
  // ldr x16, [x16, #8*id]; blr x16. The label is created on first use and never bound.
  void CallBuiltinId(uint32_t id);
  asmjit::Label builtin_table;
  bool absolute_builtin = false;

  // Appends one instruction word (forms asmjit has no operand for, and fields patched later).
  void Emit(uint32_t word) { a.embedUInt32(word); }
  // `b.cond l` / `cbz r, l` / `cbnz r, l` (asmjit's label links). A bound label beyond the
  // +-1 MiB reach gets the inverted branch over a `b l`; an unbound one is reached through a
  // veneer if needed (EmitVeneers).
  void BranchCond(asmjit::a64::CondCode cc, const asmjit::Label& l);
  void Cbz(bool nonzero, const asmjit::a64::Gp& r, const asmjit::Label& l);

  // Conditional branches (b.cond, cbz/cbnz: +-1 MiB) to labels not bound yet: once the code
  // has grown kVeneerAge past such a branch, the next Masm::Bind, EmitTrapStub or move (Move,
  // LoadConst, Load, Store, StoreConst, CopyMem) or other Masm entry point called between wasm
  // instructions (integer, float, memory, call and SIMD operations) puts an island
  // (`b over; veneer: b label; ...`) at its position and points the branch at its veneer
  // (b: +-128 MiB). So a function of any size assembles, as long as one of those is called at
  // least every ~256 KiB of code (else the compile fails with an assembler error). tbz/tbnz
  // (+-32 KiB) links are not redirected: use them for short local skips only.
  static constexpr size_t kVeneerAge = 256 * 1024;
  void MaybeEmitVeneers() {
    if (a.offset() >= next_veneer_check) EmitVeneers(kVeneerAge);
  }
  void EmitVeneers(size_t min_age);
  size_t next_veneer_check = kVeneerAge;

  bool finished = false;
  // A kAdrpAdd/kAdrpLdr link to a label bound in this buffer: it depends on the code's page
  // offset, so CopyTo resolves it for the base address and the code is not position
  // independent.
  bool bound_adrp = false;

  CpuFeatures cpu;
  asmjit::CodeHolder code;
  asmjit::a64::Assembler a;
  std::string error;
};

}  // namespace wt::jit::a64
