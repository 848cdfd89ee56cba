// BaselineCompiler: GC stack maps and the externref barriers ([gc], docs/gc.md). Included by
// baseline_compiler.h.
//
// Stack maps. Every call site (wasm calls, host calls, builtin calls: the GC safe points) gets
// the list of frame slots that may hold a reference while the call runs: the reference-typed
// locals (params included), the reference-typed value-stack entries below the call's operands
// (calls spill them all to their slots), and the reference-typed arguments in the outgoing
// area (a host callee reads them from there). Funcref slots are listed too: the collector only
// keeps values it finds in the activations table, so listing a slot that holds no externref is
// harmless, while leaving out one that does would free a live reference.
//
// Barriers. Wasm frames never count references; what enters them from outside is inserted into
// the activations table: global.get of an externref global does it inline (increment the count,
// append at VMStoreContext::activations_next while it is below activations_end, else call
// wt_gc_insert_slow, which collects first); table.get goes through wt_table_get_ref; stores
// into externref globals and tables count (wt_global_set_ref, wt_table_set_ref, and the
// table.fill/copy/init/grow builtins check the table's element type).
#pragma once

#include "jit/baseline_compiler.h"
#include "runtime/builtins.h"
#include "runtime/gc/gc_ref.h"

namespace wt::jit {

template <MacroAssembler Masm>
bool BaselineCompiler<Masm>::IsGcGlobal(uint32_t i) const {
  // [wasmgc] Every managed reference type (module type indices: IsManagedRef with the module).
  return i < module_.globals.size() &&
         runtime::gc::IsManagedRef(module_.globals[i].type.type, module_);
}

template <MacroAssembler Masm>
bool BaselineCompiler<Masm>::IsGcTable(uint32_t i) const {
  return i < module_.tables.size() &&
         runtime::gc::IsManagedRef(module_.tables[i].type.elem, module_);
}

// [wasmgc] Whether a global's values may be i31s: any, eq, i31 and extern (extern.convert_any
// of an i31); not exn, concrete struct/array types or the bottom types (null only).
template <MacroAssembler Masm>
bool BaselineCompiler<Masm>::GlobalMayHoldI31(uint32_t i) const {
  if (i >= module_.globals.size()) return true;
  switch (module_.globals[i].type.type.heap.kind) {
    case wasm::HeapKind::kAny:
    case wasm::HeapKind::kEq:
    case wasm::HeapKind::kI31:
    case wasm::HeapKind::kExtern:
      return true;
    default:
      return false;
  }
}

// PrepareCallArgs: the outgoing-area slots of reference-typed arguments (entries from `base`).
template <MacroAssembler Masm>
void BaselineCompiler<Masm>::NoteGcCallArgs(uint32_t base, uint32_t nparams) {
  gc_out_args_.clear();
  uint32_t next = 0;
  for (uint32_t i = 0; i < nparams; ++i) {
    JType t = stack_[base + i].type;
    uint32_t s = abi::NextArgSlot(&next, t);
    if (t == JType::kRef) gc_out_args_.push_back(s);
  }
}

// The stack map of the call just emitted (UINT32_MAX: no reference slots).
template <MacroAssembler Masm>
uint32_t BaselineCompiler<Masm>::GcStackMap() {
  if (stack_maps_ == nullptr) {
    gc_out_args_.clear();
    return UINT32_MAX;
  }
  auto at = static_cast<uint32_t>(stack_maps_->size());
  stack_maps_->push_back(0);
  for (uint32_t l = 0; l < local_types_.size(); ++l)
    if (local_types_[l] == JType::kRef) stack_maps_->push_back(LocalMem(l).offset);
  for (uint32_t k = 0; k < height(); ++k) {
    const VarState& v = stack_[k];
    if (v.type != JType::kRef) continue;
    if (v.loc == Loc::kStack) {
      stack_maps_->push_back(SlotMem(k).offset);
    } else if (v.loc == Loc::kReg) {
      internal_error_ = "reference in a register at a call";  // calls spill every register
    }
    // kConst: null; kLocal: the local's slot is listed above.
  }
  for (uint32_t i : gc_out_args_) {
    // sp-relative; fp-relative once the frame size is known (FinishGcStackMaps).
    gc_fixups_.push_back(GcFixup{static_cast<uint32_t>(stack_maps_->size()), i});
    stack_maps_->push_back(0);
  }
  gc_out_args_.clear();
  auto n = static_cast<uint32_t>(stack_maps_->size() - at - 1);
  if (n == 0) {
    stack_maps_->pop_back();
    return UINT32_MAX;
  }
  (*stack_maps_)[at] = static_cast<int32_t>(n);
  return at;
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::FinishGcStackMaps(uint32_t frame_bytes) {
  for (const GcFixup& f : gc_fixups_)
    (*stack_maps_)[f.at] =
        -static_cast<int32_t>(frame_bytes) + abi::kSlotSize * static_cast<int32_t>(f.out_slot);
  gc_fixups_.clear();
}

// global.get of a managed reference global (externref, anyref, structref...): the value enters
// this frame, so it goes into the activations table (inline; a runtime call that collects
// first when the table is full).
template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitGlobalGetRef(uint32_t i) {
  // The slow path is a call: nothing may stay in a register across it.
  SpillAllRegs();
  FlushCache();
  const Reg ref = Masm::kReturnGp;
  TakeReg(ref);
  Reg ctx = AllocReg(RegClass::kGp);
  m_.Load(JType::kRef, ctx, Mem{Masm::kVmctx, runtime::kVMCtxGlobals});
  m_.Load(JType::kRef, ctx, Mem{ctx, static_cast<int32_t>(8 * i)});
  m_.Load(JType::kRef, ref, Mem{ctx, 0});
  Label done = m_.NewLabel();
  Label fast = m_.NewLabel();
  m_.BranchIfZero(JType::kRef, ref, done);
  Reg next = AllocReg(RegClass::kGp);
  Reg end = AllocReg(RegClass::kGp);
  if (GlobalMayHoldI31(i)) {  // [wasmgc] an i31 (odd word) is not counted
    m_.IntBinopImm(Op::I32And, next, ref, 1);
    m_.BranchIfNonZero(JType::kI32, next, done);
  }
  // ++ref->count (the entry's count).
  m_.Load(JType::kI32, next, Mem{ref, runtime::gc::kGcHeaderCount});
  m_.IntBinopImm(Op::I32Add, next, next, 1);
  m_.Store(JType::kI32, Mem{ref, runtime::gc::kGcHeaderCount}, next);
  m_.Load(JType::kRef, ctx, Mem{Masm::kVmctx, runtime::kVMCtxStoreCtx});
  m_.Load(JType::kRef, next, Mem{ctx, runtime::kStoreCtxActivationsNext});
  m_.Load(JType::kRef, end, Mem{ctx, runtime::kStoreCtxActivationsEnd});
  m_.BranchCmp(JType::kRef, Cond::kLtU, next, end, fast);
  // Full: wt_gc_insert_slow(vmctx, ref) collects, appends and returns ref (in the return
  // register, where the fast path leaves it too).
  m_.Move(JType::kRef, Masm::CArgGp(1), ref);
  m_.Move(JType::kRef, Masm::CArgGp(0), Masm::kVmctx);
  m_.CallBuiltin(reinterpret_cast<const void*>(&wt_gc_insert_slow));
  RecordCallSite(instr_.offset);
  m_.Jump(done);
  m_.Bind(fast);
  m_.Store(JType::kRef, Mem{next, 0}, ref);
  m_.IntBinopImm(Op::I64Add, next, next, 8);
  m_.Store(JType::kRef, Mem{ctx, runtime::kStoreCtxActivationsNext}, next);
  m_.Bind(done);
  FreeReg(ctx);
  FreeReg(next);
  FreeReg(end);
  PushReg(JType::kRef, ref);
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitGlobalSetRef(uint32_t i) {
  CallBuiltin(reinterpret_cast<const void*>(&wt_global_set_ref), {i}, 1, false);
}

}  // namespace wt::jit
