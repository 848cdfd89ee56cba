// aarch64 MacroAssembler: calls through FuncRefs, builtins, call_indirect checks.
// STUB (session 7 skeleton): every function below that says "not implemented" still is.
#include "jit/a64/masm_a64_impl.h"

namespace wt::jit::a64 {

using wasm::Op;

void Masm::CallFuncRef(Reg /*ref*/) {
  impl_->Fail("a64: CallFuncRef not implemented");
}

void Masm::CallBuiltin(const void* /*fn*/) {
  impl_->Fail("a64: CallBuiltin not implemented");
}

void Masm::CallIndirectCheck(Reg /*index*/, Reg /*out*/, uint32_t /*table*/,
                             uint32_t /*type_index*/, Label /*undefined*/, Label /*null*/,
                             Label /*mismatch*/) {
  impl_->Fail("a64: CallIndirectCheck not implemented");
}

}  // namespace wt::jit::a64
