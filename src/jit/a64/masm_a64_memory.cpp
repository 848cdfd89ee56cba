// aarch64 MacroAssembler: memory 0 loads and stores (guard-region checked).
// STUB (session 7 skeleton): every function below that says "not implemented" still is.
#include "jit/a64/masm_a64_impl.h"

namespace wt::jit::a64 {

using wasm::Op;

uint32_t Masm::LoadMem(wasm::Op /*op*/, Reg /*dst*/, Reg /*addr*/, uint64_t /*offset*/) {
  impl_->Fail("a64: LoadMem not implemented");
  return {};
}

uint32_t Masm::StoreMem(wasm::Op /*op*/, Reg /*addr*/, uint64_t /*offset*/, Reg /*value*/) {
  impl_->Fail("a64: StoreMem not implemented");
  return {};
}

}  // namespace wt::jit::a64
