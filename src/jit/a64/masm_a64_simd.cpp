// aarch64 MacroAssembler: SIMD on NEON: dispatch, constants, memory, lanes, shuffles, reductions.
// STUB (session 7 skeleton): every function below that says "not implemented" still is.
#include "jit/a64/masm_a64_impl.h"

namespace wt::jit::a64 {

using wasm::Op;

int Masm::SimdTemps(wasm::Op /*op*/) const {
  impl_->Fail("a64: SimdTemps not implemented");
  return {};
}

void Masm::LoadConstV128(Reg /*dst*/, V128 /*v*/) {
  impl_->Fail("a64: LoadConstV128 not implemented");
}

void Masm::StoreConstV128(Mem /*dst*/, V128 /*v*/) {
  impl_->Fail("a64: StoreConstV128 not implemented");
}

uint32_t Masm::LoadMemV128(wasm::Op /*op*/, Reg /*dst*/, Reg /*addr*/, uint64_t /*offset*/,
                           uint32_t /*lane*/) {
  impl_->Fail("a64: LoadMemV128 not implemented");
  return {};
}

uint32_t Masm::StoreMemV128(wasm::Op /*op*/, Reg /*addr*/, uint64_t /*offset*/, Reg /*src*/,
                            uint32_t /*lane*/) {
  impl_->Fail("a64: StoreMemV128 not implemented");
  return {};
}

void Masm::SimdSplat(wasm::Op /*op*/, Reg /*dst*/, Reg /*src*/) {
  impl_->Fail("a64: SimdSplat not implemented");
}

void Masm::SimdExtractLane(wasm::Op /*op*/, Reg /*dst*/, Reg /*src*/, uint32_t /*lane*/) {
  impl_->Fail("a64: SimdExtractLane not implemented");
}

void Masm::SimdReplaceLane(wasm::Op /*op*/, Reg /*dst*/, Reg /*src*/, Reg /*val*/,
                           uint32_t /*lane*/) {
  impl_->Fail("a64: SimdReplaceLane not implemented");
}

void Masm::SimdShuffle(Reg /*dst*/, Reg /*a*/, Reg /*b*/, const uint8_t* /*lanes*/, VTemps /*t*/) {
  impl_->Fail("a64: SimdShuffle not implemented");
}

void Masm::SimdUnop(wasm::Op /*op*/, Reg /*dst*/, Reg /*src*/, VTemps /*t*/) {
  impl_->Fail("a64: SimdUnop not implemented");
}

void Masm::SimdBinop(wasm::Op /*op*/, Reg /*dst*/, Reg /*a*/, Reg /*b*/, VTemps /*t*/) {
  impl_->Fail("a64: SimdBinop not implemented");
}

void Masm::SimdTernop(wasm::Op /*op*/, Reg /*dst*/, Reg /*a*/, Reg /*b*/, Reg /*c*/, VTemps /*t*/) {
  impl_->Fail("a64: SimdTernop not implemented");
}

void Masm::SimdShift(wasm::Op /*op*/, Reg /*dst*/, Reg /*src*/, Reg /*count*/, VTemps /*t*/) {
  impl_->Fail("a64: SimdShift not implemented");
}

void Masm::SimdShiftImm(wasm::Op /*op*/, Reg /*dst*/, Reg /*src*/, uint32_t /*count*/,
                        VTemps /*t*/) {
  impl_->Fail("a64: SimdShiftImm not implemented");
}

void Masm::SimdToI32(wasm::Op /*op*/, Reg /*dst*/, Reg /*src*/, VTemps /*t*/) {
  impl_->Fail("a64: SimdToI32 not implemented");
}

void Masm::BranchSimd(wasm::Op /*op*/, bool /*when*/, Reg /*src*/, Label /*l*/) {
  impl_->Fail("a64: BranchSimd not implemented");
}

}  // namespace wt::jit::a64
