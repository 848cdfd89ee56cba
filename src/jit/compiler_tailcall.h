// BaselineCompiler: tail calls (return_call, return_call_indirect, return_call_ref; [wasm3] T).
// Included by baseline_compiler.h. docs/tail-calls.md has the design:
// - In place (constant stack): the callee's arguments go to this function's incoming area (the
//   caller's outgoing area, fp + kIncomingArgsOffset), the frame is left and the callee is
//   jumped to; its frame replaces ours and it returns to our caller, in the backtrace too. The
//   area is only known to be as large as our own signature's, so this needs the callee's
//   params and results to fit in it, its results >= 1 at the slots ours are (our caller reads
//   them there), and every slot our caller's stack map lists as a reference (our reference
//   params) to hold a reference param of the callee or to be left alone (TailCallInPlace).
// - Through a FuncRef (imports, tables, refs) in place only when the target runs in this
//   instance (same vmctx; a host function never does): our caller assumes its vmctx and memory
//   base survive a direct call to us. Otherwise, and when the signature does not fit, the
//   tail call is a call followed by a return (this frame stays until the callee returns).
#pragma once

#include <vector>

#include "jit/baseline_compiler.h"

namespace wt::jit {

template <MacroAssembler Masm>
bool BaselineCompiler<Masm>::TailCallInPlace(const wasm::FuncType& callee) const {
  // The callee's area layout (abi::NextArgSlot); what each slot starts with (kNone: a v128's
  // second word, or nothing).
  constexpr uint8_t kNone = 0xFF;
  std::vector<uint8_t> starts;
  uint32_t next = 0;
  for (const wasm::ValType& p : callee.params) {
    JType t = KindOf(p);
    uint32_t s = abi::NextArgSlot(&next, t);
    starts.resize(next, kNone);
    starts[s] = static_cast<uint8_t>(t);
  }
  uint32_t callee_params_end = next;
  if (callee.results.size() != sig_->results.size()) return false;  // validated: never
  for (size_t i = 1; i < callee.results.size(); ++i)
    if (abi::NextArgSlot(&next, KindOf(callee.results[i])) != result_slots_[i]) return false;
  // Our own area: params, then results 1.. (their end is our area's size).
  uint32_t own = 0;
  for (uint32_t i = 0; i < num_params_; ++i) abi::NextArgSlot(&own, local_types_[i]);
  for (size_t i = 1; i < sig_->results.size(); ++i)
    abi::NextArgSlot(&own, KindOf(sig_->results[i]));
  if (next > own) return false;
  // Our reference params: the callee's reference param at the same slot, or a slot it does
  // not write.
  uint32_t at = 0;
  for (uint32_t i = 0; i < num_params_; ++i) {
    uint32_t s = abi::NextArgSlot(&at, local_types_[i]);
    if (local_types_[i] != JType::kRef || s >= callee_params_end) continue;
    if (starts[s] != static_cast<uint8_t>(JType::kRef)) return false;
  }
  return true;
}

// The args PrepareCallArgs wrote into our outgoing area, copied into our incoming area (every
// argument is read from the outgoing copy, so params of ours the callee gets in other slots
// are never overwritten before they are read).
template <MacroAssembler Masm>
void BaselineCompiler<Masm>::MoveTailCallArgs(const wasm::FuncType& callee) {
  uint32_t next = 0;
  for (const wasm::ValType& p : callee.params) {
    JType t = KindOf(p);
    uint32_t s = abi::NextArgSlot(&next, t);
    m_.CopyMem(t,
               Mem{Masm::kFp, abi::kIncomingArgsOffset + abi::kSlotSize * static_cast<int32_t>(s)},
               OutMem(s));
  }
}

// A tail call through the FuncRef* in `ref` (args already prepared, every other register
// free but `held`): in place when the target is in this instance, else call and return.
template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::TailCallFuncRef(const wasm::FuncType& sig, Reg ref, Reg held,
                                               uint32_t wasm_offset) {
  if (TailCallInPlace(sig)) {
    Label other = m_.NewLabel();
    m_.BranchIfOtherInstance(ref, other);
    MoveTailCallArgs(sig);
    m_.TailJumpFuncRef(ref);
    m_.Bind(other);
  }
  m_.CallFuncRef(ref);
  RecordCallSite(wasm_offset);
  FreeReg(ref);
  if (held.valid()) FreeReg(held);
  m_.RestoreVmctx();
  m_.ReloadMemBase();
  WT_TRY(PushCallResults(sig));
  EmitReturn();
  SetUnreachable();
  return Ok();
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitReturnCall(uint32_t func_index) {
  const wasm::FuncType& sig = module_.FuncSig(func_index);
  if (func_index < module_.num_imported_funcs) {
    PrepareCallArgs(sig);
    Reg ref = AllocReg(RegClass::kGp);
    m_.Load(JType::kRef, ref, Mem{Masm::kVmctx, runtime::kVMCtxFuncs});
    m_.Load(JType::kRef, ref, Mem{ref, static_cast<int32_t>(8 * func_index)});
    return TailCallFuncRef(sig, ref, Reg::None(), instr_.offset);
  }
  if (!TailCallInPlace(sig)) {
    WT_TRY(EmitCall(func_index));
    EmitReturn();
    SetUnreachable();
    return Ok();
  }
  PrepareCallArgs(sig);
  gc_out_args_.clear();  // no call site: the callee's frame replaces ours
  MoveTailCallArgs(sig);
  m_.TailJumpLabel(FuncLabel(func_index - module_.num_imported_funcs));
  SetUnreachable();
  return Ok();
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitReturnCallIndirect(const Instr& in) {
  const wasm::FuncType* sig = module_.GetFuncType(in.a);
  if (!sig) return Internal("return_call_indirect type is not a function type");
  Reg index = PopToReg();
  PrepareCallArgs(*sig);
  Reg ref = AllocReg(RegClass::kGp);
  Label undefined = AddTrap(runtime::TrapCode::kUndefinedElement, in.offset);
  Label null = AddTrap(runtime::TrapCode::kUninitializedElement, in.offset);
  Label mismatch = AddTrap(runtime::TrapCode::kIndirectCallTypeMismatch, in.offset);
  m_.CallIndirectCheck(index, ref, in.b, in.a, undefined, null, mismatch);
  return TailCallFuncRef(*sig, ref, index, in.offset);
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitReturnCallRef(const Instr& in) {
  const wasm::FuncType* sig = module_.GetFuncType(in.a);
  if (!sig) return Internal("return_call_ref type is not a function type");
  Reg ref = PopToReg();
  PrepareCallArgs(*sig);
  m_.BranchIfZero(JType::kRef, ref, AddTrap(runtime::TrapCode::kNullReference, in.offset));
  return TailCallFuncRef(*sig, ref, Reg::None(), in.offset);
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitTailCall(const Instr& in, bool* handled) {
  *handled = true;
  switch (in.op) {
    case Op::ReturnCall:
      return EmitReturnCall(in.a);
    case Op::ReturnCallIndirect:
      return EmitReturnCallIndirect(in);
    case Op::ReturnCallRef:
      return EmitReturnCallRef(in);
    default:
      *handled = false;
      return Ok();
  }
}

}  // namespace wt::jit
