// x86_64 MacroAssembler: a comparison fused with what consumes it — float compare-and-branch
// (ucomiss/ucomisd + jcc, NaN-correct through the parity flag) and integer compare-and-select
// (cmp + cmovcc). The unfused forms are in masm_x64.cpp / masm_x64_float.cpp.
#include "jit/x64/masm_x64_impl.h"

namespace wt::jit::x64 {

using namespace asmjit;
using wasm::Op;

namespace {

enum class FloatRel : uint8_t { kEq, kNe, kLt, kGt, kLe, kGe };

FloatRel RelOf(Op op) {
  switch (op) {
    case Op::F32Eq:
    case Op::F64Eq:
      return FloatRel::kEq;
    case Op::F32Ne:
    case Op::F64Ne:
      return FloatRel::kNe;
    case Op::F32Lt:
    case Op::F64Lt:
      return FloatRel::kLt;
    case Op::F32Gt:
    case Op::F64Gt:
      return FloatRel::kGt;
    case Op::F32Le:
    case Op::F64Le:
      return FloatRel::kLe;
    default:
      return FloatRel::kGe;
  }
}

}  // namespace

void Masm::BranchFloatCmp(JType t, Op op, bool when, Reg lhs, Reg rhs, Label l) {
  auto& a = impl_->a;
  auto ucom = [&](Reg x, Reg y) {
    if (t == JType::kF64)
      a.ucomisd(X(x), X(y));
    else
      a.ucomiss(X(x), X(y));
  };
  // Unordered (a NaN operand) sets ZF, PF and CF: "above" and "above or equal" are false
  // then, so lt/gt/le/ge test `a`/`ae` with the operands ordered to make the relation
  // "x above y"; their negations (`be`/`b`) are true for NaN, as !(x < y) must be.
  FloatRel rel = RelOf(op);
  switch (rel) {
    case FloatRel::kEq:
    case FloatRel::kNe: {
      ucom(lhs, rhs);
      // Branch when "equal and ordered" (eq taken, or ne not taken) ...
      if ((rel == FloatRel::kEq) == when) {
        asmjit::Label skip = a.newLabel();
        a.jp(skip);
        a.je(AL(l));
        a.bind(skip);
      } else {  // ... or when "not equal or unordered".
        a.jp(AL(l));
        a.jne(AL(l));
      }
      return;
    }
    case FloatRel::kLt:
    case FloatRel::kLe:
      ucom(rhs, lhs);
      break;
    case FloatRel::kGt:
    case FloatRel::kGe:
      ucom(lhs, rhs);
      break;
  }
  bool strict = rel == FloatRel::kLt || rel == FloatRel::kGt;
  if (strict)
    a.j(when ? x86::CondCode::kA : x86::CondCode::kBE, AL(l));
  else
    a.j(when ? x86::CondCode::kAE : x86::CondCode::kB, AL(l));
}

void Masm::SelectCmp(JType ct, Cond c, Reg lhs, Reg rhs, int32_t imm, JType t, Reg dst, Reg src) {
  auto& a = impl_->a;
  if (rhs.valid())
    a.cmp(G(ct, lhs), G(ct, rhs));
  else if (imm == 0 && (c == Cond::kEq || c == Cond::kNe))
    a.test(G(ct, lhs), G(ct, lhs));
  else
    a.cmp(G(ct, lhs), imm);
  // dst keeps its value when the comparison holds, else takes src.
  a.cmov(CC(Negate(c)), G(t, dst), G(t, src));
}

}  // namespace wt::jit::x64
