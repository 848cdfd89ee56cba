// BaselineCompiler: typed function references ([wasm3] R): call_ref, ref.as_non_null,
// br_on_null, br_on_non_null. Included by baseline_compiler.h.
//
// A function reference is a runtime::FuncRef* (0 is null) whatever its static type, so these
// are the Wasm 2.0 reference paths plus null checks: no Masm member of their own, and the
// same lowering on every ISA. Non-nullable locals need no code: the validator enforces their
// initialization rule, and the frame's locals start zeroed like every other reference local.
#pragma once

#include "jit/baseline_compiler.h"

namespace wt::jit {

// call_ref / return_call_ref: pops the function reference (on top of the args), prepares the
// args of `sig` and traps on a null reference. The caller owns the returned register.
template <MacroAssembler Masm>
Reg BaselineCompiler<Masm>::PrepareCallRef(const wasm::FuncType& sig, uint32_t wasm_offset) {
  Reg ref = PopToReg();
  PrepareCallArgs(sig);
  m_.BranchIfZero(JType::kRef, ref, AddTrap(runtime::TrapCode::kNullReference, wasm_offset));
  return ref;
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitCallRef(const Instr& in) {
  const wasm::FuncType* sig = module_.GetFuncType(in.a);
  if (!sig) return Internal("call_ref type is not a function type");
  Reg ref = PrepareCallRef(*sig, in.offset);
  m_.CallFuncRef(ref);
  RecordCallSite(in.offset);
  FreeReg(ref);
  m_.RestoreVmctx();
  m_.ReloadMemBase();
  return PushCallResults(*sig);
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitRefAsNonNull(uint32_t wasm_offset) {
  Reg r = PopToReg();
  m_.BranchIfZero(JType::kRef, r, AddTrap(runtime::TrapCode::kNullReference, wasm_offset));
  PushReg(JType::kRef, r);
}

// br_on_null l: null -> branch (the reference dropped); else the reference stays.
// br_on_non_null l: non-null -> branch with the reference as the label's last value; else it
// is dropped. Both are br_if-like edges (EmitCondEdge, compiler_control.h).
template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitBrOnNull(uint32_t depth, bool on_null) {
  Reg r = PopToReg();
  Ctrl& t = Target(depth);
  if (!on_null) PushReg(JType::kRef, r);  // the label's last value on the taken path
  EmitCondEdge(t, [&](bool when, Label l) {
    if (when == on_null)
      m_.BranchIfZero(JType::kRef, r, l);
    else
      m_.BranchIfNonZero(JType::kRef, r, l);
  });
  if (on_null)
    PushReg(JType::kRef, r);
  else
    Drop();
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitFuncRefOp(const Instr& in, bool* handled) {
  *handled = true;
  switch (in.op) {
    case Op::CallRef:
      return EmitCallRef(in);
    case Op::RefAsNonNull:
      EmitRefAsNonNull(in.offset);
      return Ok();
    case Op::BrOnNull:
      EmitBrOnNull(in.a, true);
      return Ok();
    case Op::BrOnNonNull:
      EmitBrOnNull(in.a, false);
      return Ok();
    default:
      *handled = false;
      return Ok();
  }
}

}  // namespace wt::jit
