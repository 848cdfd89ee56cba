// aarch64 MacroAssembler: integer arithmetic, comparisons, division with explicit checks.
// STUB (session 7 skeleton): every function below that says "not implemented" still is.
#include "jit/a64/masm_a64_impl.h"

namespace wt::jit::a64 {

using wasm::Op;

RegSet Masm::ClobbersFor(wasm::Op /*op*/) {
  return {};
}

bool Masm::HasImmForm(wasm::Op /*op*/) {
  return {};
}

void Masm::IntBinop(wasm::Op /*op*/, Reg /*dst*/, Reg /*lhs*/, Reg /*rhs*/) {
  impl_->Fail("a64: IntBinop not implemented");
}

void Masm::IntBinopImm(wasm::Op /*op*/, Reg /*dst*/, Reg /*lhs*/, int32_t /*imm*/) {
  impl_->Fail("a64: IntBinopImm not implemented");
}

void Masm::IntDivRem(wasm::Op /*op*/, Reg /*dst*/, Reg /*lhs*/, Reg /*rhs*/, Label /*div_by_zero*/,
                     Label /*overflow*/) {
  impl_->Fail("a64: IntDivRem not implemented");
}

void Masm::IntUnop(wasm::Op /*op*/, Reg /*dst*/, Reg /*src*/) {
  impl_->Fail("a64: IntUnop not implemented");
}

void Masm::IntCompare(wasm::Op /*op*/, Reg /*dst*/, Reg /*lhs*/, Reg /*rhs*/) {
  impl_->Fail("a64: IntCompare not implemented");
}

void Masm::IntCompareImm(wasm::Op /*op*/, Reg /*dst*/, Reg /*lhs*/, int32_t /*imm*/) {
  impl_->Fail("a64: IntCompareImm not implemented");
}

}  // namespace wt::jit::a64
