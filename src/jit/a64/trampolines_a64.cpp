// aarch64 MacroAssembler: entry trampolines (AAPCS64 -> wasm ABI) and host stubs (wasm ABI ->
// host). STUB (session 7 skeleton): every function below that says "not implemented" still is.
#include "jit/a64/masm_a64_impl.h"

namespace wt::jit::a64 {

using wasm::Op;

uint32_t Masm::EmitEntryTrampoline(const wasm::FuncType& /*sig*/) {
  impl_->Fail("a64: EmitEntryTrampoline not implemented");
  return {};
}

uint32_t Masm::EmitHostStub(const wasm::FuncType& /*sig*/) {
  impl_->Fail("a64: EmitHostStub not implemented");
  return {};
}

}  // namespace wt::jit::a64
