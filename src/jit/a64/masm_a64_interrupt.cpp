// aarch64 MacroAssembler: fuel and epoch checks.
// STUB (session 7 skeleton): every function below that says "not implemented" still is.
#include "jit/a64/masm_a64_impl.h"

namespace wt::jit::a64 {

using wasm::Op;

uint32_t Masm::ChargeFuel(Label /*out_of_fuel*/) {
  impl_->Fail("a64: ChargeFuel not implemented");
  return {};
}

void Masm::PatchFuelCost(uint32_t /*handle*/, uint32_t /*cost*/) {
  impl_->Fail("a64: PatchFuelCost not implemented");
}

void Masm::CheckEpoch(Reg /*tmp*/, Label /*interrupt*/) {
  impl_->Fail("a64: CheckEpoch not implemented");
}

}  // namespace wt::jit::a64
