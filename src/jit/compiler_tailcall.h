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
//   base survive a direct call to us.
// - Otherwise through an adapter frame (EmitAdapterTailCall): also constant stack, its return
//   point restores our caller's vmctx and memory base and moves results 1.. where our caller
//   reads them.
// - Otherwise (v128 results 1.., whose slots depend on alignment) a call followed by a return
//   (this frame stays until the callee returns).
#pragma once

#include <algorithm>
#include <utility>
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

// An in-place tail call's args written straight to our incoming area (no outgoing copy), when
// no arg reads a param of ours from a slot an earlier arg has written: args are written in
// slot order, so an arg that is a param still in its slot (a kLocal entry) must be at or below
// its own slot. Registers and spill slots are read as they are (the frame is left right after:
// nothing is spilled or written back; a cached param is read from its register). False (no
// code, no state change) when the copy through the outgoing area is needed.
template <MacroAssembler Masm>
bool BaselineCompiler<Masm>::WriteTailCallArgsDirect(const wasm::FuncType& callee) {
  auto nparams = static_cast<uint32_t>(callee.params.size());
  uint32_t base = height() - nparams;
  uint32_t next = 0;
  for (uint32_t i = 0; i < nparams; ++i) {
    const VarState& v = stack_[base + i];
    uint32_t s = abi::NextArgSlot(&next, v.type);
    if (v.loc != Loc::kLocal || v.bits >= num_params_ || IsCached(v.bits)) continue;
    int32_t at = abi::kIncomingArgsOffset + abi::kSlotSize * static_cast<int32_t>(s);
    if (local_offset_[v.bits] < at) return false;
  }
  next = 0;
  for (uint32_t i = 0; i < nparams; ++i) {
    const VarState& v = stack_[base + i];
    uint32_t s = abi::NextArgSlot(&next, v.type);
    StoreVar(v, base + i,
             Mem{Masm::kFp, abi::kIncomingArgsOffset + abi::kSlotSize * static_cast<int32_t>(s)});
  }
  DropTo(base);
  DropCache();
  return true;
}

// A tail call through the FuncRef* in `ref` (args already prepared, every other register
// free but `held`): in place when the target is in this instance, else call and return.
template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::TailCallFuncRef(const wasm::FuncType& sig, Reg ref, Reg held,
                                               uint32_t wasm_offset) {
  bool in_place = TailCallInPlace(sig);
  if (AdapterResultsOk(sig)) {
    // In place within this instance; else (another instance, a host function, or a larger
    // area) through an adapter, whose return point gives our caller its vmctx back.
    Label adapter = m_.NewLabel();
    if (in_place) {
      m_.BranchIfOtherInstance(ref, adapter);
      MoveTailCallArgs(sig);
      m_.TailJumpFuncRef(ref);
    }
    m_.Bind(adapter);
    gc_out_args_.clear();  // no call site but the adapter's (which lists no references)
    EmitAdapterTailCall(sig, Label{}, ref);
    FreeReg(ref);
    if (held.valid()) FreeReg(held);
    SetUnreachable();
    return Ok();
  }
  if (in_place) {
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
    if (AdapterResultsOk(sig)) {
      PrepareCallArgs(sig);
      gc_out_args_.clear();  // no call site but the adapter's (which lists no references)
      EmitAdapterTailCall(sig, FuncLabel(func_index - module_.num_imported_funcs), Reg::None());
      SetUnreachable();
      return Ok();
    }
    WT_TRY(EmitCall(func_index));
    EmitReturn();
    SetUnreachable();
    return Ok();
  }
  if (!WriteTailCallArgsDirect(sig)) {
    PrepareCallArgs(sig);
    gc_out_args_.clear();  // no call site: the callee's frame replaces ours
    MoveTailCallArgs(sig);
  }
  m_.TailJumpLabel(FuncLabel(func_index - module_.num_imported_funcs));
  SetUnreachable();
  return Ok();
}

// A tail call whose callee needs more than our incoming area (or would overwrite a reference
// our caller's stack map lists there), with at most one result, to `target` (a function label)
// or, when that is not valid, to the FuncRef* in `ref` (of this instance): through an adapter
// frame (docs/tail-calls.md). The args are in our outgoing area (PrepareCallArgs). When our
// return address is an adapter's return point whose area is large enough, the args go to our
// incoming area (the adapter's) and we jump, as in place. Otherwise a new adapter is built in
// our own frame (made large enough for it: out_slots_): our frame record stays as the
// adapter's (it returns to our caller), the area's capacity goes below it, then the callee's
// area, and the callee is entered with the adapter's return point as its return address. Under
// an adapter too small, the adapter is rebuilt the same way from its frame pointer: a chain of
// tail calls holds at most one adapter. Emits code only (the compiler state is as before).
template <MacroAssembler Masm>
bool BaselineCompiler<Masm>::AdapterResultsOk(const wasm::FuncType& sig) const {
  for (size_t i = 1; i < sig.results.size(); ++i)
    if (KindOf(sig.results[i]) == JType::kV128) return false;
  return true;
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitAdapterTailCall(const wasm::FuncType& sig, Label target, Reg ref) {
  std::vector<std::pair<uint32_t, JType>> slots;
  uint32_t words = 0;
  for (const wasm::ValType& p : sig.params) {
    JType t = KindOf(p);
    uint32_t s = abi::NextArgSlot(&words, t);
    slots.emplace_back(s, t);
  }
  // Results 1.. (no v128: AdapterResultsOk) follow the params in one run of slots.
  uint32_t results_at = words;
  auto result_words = static_cast<uint32_t>(sig.results.size() > 1 ? sig.results.size() - 1 : 0);
  words += result_words;
  uint32_t cap = (words + 1) & ~1u;  // the area stays 16-aligned
  int32_t area = kAdapterHeader - abi::kSlotSize * static_cast<int32_t>(cap);
  // The new adapter (header, area, return address, saved fp) fits in this frame, above its
  // outgoing args (abi: the frame is 8 * (1 + slots + out_slots) bytes, rounded up).
  out_slots_ = std::max(out_slots_, cap + 6);
  Reg fpa = AllocReg(RegClass::kGp);
  Reg tmp = AllocReg(RegClass::kGp);
  Label build = m_.NewLabel();
  Label rebuild = m_.NewLabel();
  Label ret_point = m_.NewLabel();
  m_.BranchIfNotTailAdapter(tmp, build);
  m_.Load(JType::kRef, fpa, Mem{Masm::kFp, 0});
  m_.Load(JType::kI64, tmp, Mem{fpa, kAdapterCapOffset});
  m_.BranchCmpImm(JType::kI64, Cond::kLtU, tmp, static_cast<int32_t>(words), rebuild);
  MoveTailCallArgs(sig);
  if (result_words > 0) m_.StoreConst(JType::kI64, Mem{fpa, kAdapterResultsAt}, results_at);
  if (target.valid())
    m_.TailJumpLabel(target);
  else
    m_.TailJumpFuncRef(ref);
  m_.Bind(build);
  m_.Move(JType::kRef, fpa, Masm::kFp);
  // A new adapter returns to our caller, which reads results 1.. where ours are.
  if (result_words > 0) m_.StoreConst(JType::kI64, Mem{fpa, kAdapterResultsTo}, result_slots_[1]);
  m_.Bind(rebuild);
  // The area is above the outgoing args (possibly overlapping them): highest slot first.
  for (auto it = slots.rbegin(); it != slots.rend(); ++it)
    m_.CopyMem(it->second, Mem{fpa, area + abi::kSlotSize * static_cast<int32_t>(it->first)},
               OutMem(it->first));
  m_.StoreConst(JType::kI64, Mem{fpa, kAdapterCapOffset}, cap);
  if (result_words > 0) m_.StoreConst(JType::kI64, Mem{fpa, kAdapterResultsAt}, results_at);
  if (target.valid())
    m_.EnterTailAdapter(fpa, area, ret_point, target);
  else
    m_.EnterTailAdapterFuncRef(fpa, area, ret_point, ref);
  uint32_t at = m_.BindTailAdapterReturn(ret_point, result_words);
  // The adapter's frame is a frame of this function for backtraces and the GC (no references).
  if (call_sites_ != nullptr) call_sites_->push_back(CallSite{at, instr_.offset, UINT32_MAX});
  FreeReg(tmp);
  FreeReg(fpa);
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
  if (GcCastNeedsCall(wasm::HeapType::Index(in.a)))  // [wasmgc] subtypes (compiler_gc_casts.h)
    EmitCallIndirectSubtype(index, ref, in, undefined, null, mismatch);
  else
    m_.CallIndirectCheck(index, ref, in.b, in.a, undefined, null, mismatch);
  return TailCallFuncRef(*sig, ref, index, in.offset);
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitReturnCallRef(const Instr& in) {
  const wasm::FuncType* sig = module_.GetFuncType(in.a);
  if (!sig) return Internal("return_call_ref type is not a function type");
  // call_ref's operand handling ([wasm3] R, compiler_funcref.h): the FuncRef*, the args in the
  // outgoing area, the null check.
  Reg ref = PrepareCallRef(*sig, in.offset);
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
