// BaselineCompiler: calls (direct, imported, indirect), builtin calls, references, tables.
// Included by baseline_compiler.h.
#pragma once

#include <algorithm>

#include "jit/baseline_compiler.h"
#include "runtime/builtins.h"

namespace wt::jit {

// Every call the JIT emits records its return address here (right after the call
// instruction), with the wasm offset of the calling instruction. Backtraces map return
// addresses through this table; GC stack maps attach to the same entries.
template <MacroAssembler Masm>
void BaselineCompiler<Masm>::RecordCallSite(uint32_t wasm_offset) {
  if (call_sites_ == nullptr) return;
  uint32_t map = GcStackMap();
  if (!active_tries_.empty() && stack_maps_ != nullptr) map = AddHandlerData(map);  // [exceptions]
  call_sites_->push_back(CallSite{m_.Offset(), wasm_offset, map});
}

// Everything is caller-saved: spill the entries below the args, write the args into the
// outgoing area, drop them. Afterwards every register is free (except ones the caller holds).
// The area's layout is abi::NextArgSlot's (params, then results 1..n-1).
template <MacroAssembler Masm>
void BaselineCompiler<Masm>::PrepareCallArgs(const wasm::FuncType& sig) {
  auto nparams = static_cast<uint32_t>(sig.params.size());
  uint32_t base = height() - nparams;
  SpillRegsBelow(base);
  uint32_t next = 0;
  for (uint32_t i = 0; i < nparams; ++i)
    StoreVar(stack_[base + i], base + i, OutMem(abi::NextArgSlot(&next, stack_[base + i].type)));
  NoteGcCallArgs(base, nparams);
  DropTo(base);
  FlushCache();
  for (size_t i = 1; i < sig.results.size(); ++i) abi::NextArgSlot(&next, KindOf(sig.results[i]));
  out_slots_ = std::max(out_slots_, next);
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::PushCallResults(const wasm::FuncType& sig) {
  auto n = static_cast<uint32_t>(sig.results.size());
  if (n == 0) return Ok();
  WT_TRY_ASSIGN(JType t0, JTypeOf(sig.results[0]));
  Reg r = InXmm(t0) ? Masm::kReturnFp : Masm::kReturnGp;
  TakeReg(r);
  PushReg(t0, r);
  if (n == 1) return Ok();
  uint32_t next = 0;
  for (const wasm::ValType& p : sig.params) abi::NextArgSlot(&next, KindOf(p));
  for (uint32_t i = 1; i < n; ++i) {
    WT_TRY_ASSIGN(JType t, JTypeOf(sig.results[i]));
    uint32_t s = abi::NextArgSlot(&next, t);
    PushStack(t);
    m_.CopyMem(t, SlotMem(height() - 1), OutMem(s));
  }
  return Ok();
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitCall(uint32_t func_index) {
  const wasm::FuncType& sig = module_.FuncSig(func_index);
  PrepareCallArgs(sig);
  if (func_index < module_.num_imported_funcs) {
    Reg ref = AllocReg(RegClass::kGp);
    m_.Load(JType::kRef, ref, Mem{Masm::kVmctx, runtime::kVMCtxFuncs});
    m_.Load(JType::kRef, ref, Mem{ref, static_cast<int32_t>(8 * func_index)});
    m_.CallFuncRef(ref);
    RecordCallSite(instr_.offset);
    FreeReg(ref);
    m_.RestoreVmctx();
    m_.ReloadMemBase();
  } else {
    m_.CallLabel(FuncLabel(func_index - module_.num_imported_funcs));
    RecordCallSite(instr_.offset);
  }
  return PushCallResults(sig);
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitCallIndirect(const Instr& in) {
  const wasm::FuncType* sig = module_.GetFuncType(in.a);
  if (!sig) return Internal("call_indirect type is not a function type");
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
  m_.CallFuncRef(ref);
  RecordCallSite(in.offset);
  FreeReg(ref);
  FreeReg(index);
  m_.RestoreVmctx();
  m_.ReloadMemBase();
  return PushCallResults(*sig);
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::CallBuiltin(const void* fn, std::initializer_list<uint64_t> imms,
                                         uint32_t n_stack, bool has_result, JType result) {
  SpillAllRegs();
  FlushCache();
  int arg = 0;
  m_.Move(JType::kRef, Masm::CArgGp(arg++), Masm::kVmctx);
  for (uint64_t imm : imms) m_.LoadConst(JType::kI64, Masm::CArgGp(arg++), imm);
  uint32_t base = height() - n_stack;
  for (uint32_t k = base; k < height(); ++k) {
    LoadVar(stack_[k], k, Masm::CArgGp(arg++));
  }
  DropTo(base);
  m_.CallBuiltin(fn);
  RecordCallSite(instr_.offset);
  if (has_result) {
    TakeReg(Masm::kReturnGp);
    if (result == JType::kI32) m_.IntUnop(Op::I32WrapI64, Masm::kReturnGp, Masm::kReturnGp);
    PushReg(result, Masm::kReturnGp);
  }
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitTableSize(uint32_t table) {
  Reg r = AllocReg(RegClass::kGp);
  m_.Load(JType::kRef, r, Mem{Masm::kVmctx, runtime::kVMCtxTables});
  m_.Load(JType::kRef, r, Mem{r, static_cast<int32_t>(8 * table)});
  m_.Load(JType::kI64, r, Mem{r, runtime::kTableSize});
  PushReg(IsTable64(table) ? JType::kI64 : JType::kI32, r);  // [memory64] table64
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitCallOrRef(const Instr& in, bool* handled) {
  *handled = true;
  auto fn = [](auto* f) { return reinterpret_cast<const void*>(f); };
  switch (in.op) {
    case Op::Call:
      return EmitCall(in.a);
    case Op::CallIndirect:
      return EmitCallIndirect(in);
    case Op::RefNull:
      PushConst(JType::kRef, 0);
      return Ok();
    case Op::RefIsNull:
      EmitIntUnop(Op::RefIsNull, JType::kI32);
      return Ok();
    case Op::RefFunc: {
      Reg r = AllocReg(RegClass::kGp);
      m_.Load(JType::kRef, r, Mem{Masm::kVmctx, runtime::kVMCtxFuncs});
      m_.Load(JType::kRef, r, Mem{r, static_cast<int32_t>(8 * in.a)});
      PushReg(JType::kRef, r);
      return Ok();
    }
    case Op::TableGet:
      CallBuiltin(IsGcTable(in.a) ? fn(&wt_table_get_ref) : fn(&wt_table_get), {in.a}, 1, true,
                  JType::kRef);
      return Ok();
    case Op::TableSet:
      CallBuiltin(IsGcTable(in.a) ? fn(&wt_table_set_ref) : fn(&wt_table_set), {in.a}, 2, false);
      return Ok();
    case Op::TableSize:
      EmitTableSize(in.a);
      return Ok();
    case Op::TableGrow:
      CallBuiltin(fn(&wt_table_grow), {in.a}, 2, true,
                  IsTable64(in.a) ? JType::kI64 : JType::kI32);  // [memory64] table64
      return Ok();
    case Op::TableFill:
      CallBuiltin(runtime::BulkBuiltin(runtime::BulkOp::kTableFill, env_.consume_fuel,
                                       env_.epoch_interruption),
                  {in.a}, 3, false);
      return Ok();
    case Op::TableCopy:
      CallBuiltin(runtime::BulkBuiltin(runtime::BulkOp::kTableCopy, env_.consume_fuel,
                                       env_.epoch_interruption),
                  {in.a, in.b}, 3, false);
      return Ok();
    case Op::TableInit:
      CallBuiltin(runtime::BulkBuiltin(runtime::BulkOp::kTableInit, env_.consume_fuel,
                                       env_.epoch_interruption),
                  {in.b, in.a}, 3, false);
      return Ok();
    case Op::ElemDrop:
      CallBuiltin(fn(&wt_elem_drop), {in.a}, 0, false);
      return Ok();
    default:
      *handled = false;
      return Ok();
  }
}

}  // namespace wt::jit
