// aarch64 MacroAssembler: scalar floating point: arithmetic, comparisons, conversions.
// STUB (session 7 skeleton): every function below that says "not implemented" still is.
#include "jit/a64/masm_a64_impl.h"

namespace wt::jit::a64 {

using wasm::Op;

void Masm::FloatBinop(wasm::Op /*op*/, Reg /*dst*/, Reg /*lhs*/, Reg /*rhs*/) {
  impl_->Fail("a64: FloatBinop not implemented");
}

void Masm::FloatUnop(wasm::Op /*op*/, Reg /*dst*/, Reg /*src*/) {
  impl_->Fail("a64: FloatUnop not implemented");
}

void Masm::FloatCompare(wasm::Op /*op*/, Reg /*dst*/, Reg /*lhs*/, Reg /*rhs*/) {
  impl_->Fail("a64: FloatCompare not implemented");
}

void Masm::Convert(wasm::Op /*op*/, Reg /*dst*/, Reg /*src*/, Label /*invalid*/,
                   Label /*overflow*/) {
  impl_->Fail("a64: Convert not implemented");
}

void Masm::BranchFloatCmp(JType /*t*/, wasm::Op /*op*/, bool /*when*/, Reg /*lhs*/, Reg /*rhs*/,
                          Label /*l*/) {
  impl_->Fail("a64: BranchFloatCmp not implemented");
}

}  // namespace wt::jit::a64
