// BaselineCompiler: [wasmgc] GC objects: struct.new(_default), struct.get(_s/_u), struct.set,
// array.new(_default/_fixed/_data/_elem), array.get(_s/_u), array.set, array.len, array.fill,
// array.copy, array.init_data/_elem, ref.i31, i31.get_s/_u (docs/gc-plan.md; the layout is
// runtime/gc/object.h). Included by baseline_compiler.h.
//
// - struct.new allocates inline from the store's bump span (VMStoreContext::gc_next/gc_end):
//   header word (count 0, kind kStruct), the Rtt from VMContext::rtts, then the fields; when
//   the span is exhausted it calls wt_gc_alloc_struct (a GC safepoint: every operand waits in
//   its spill slot, listed by the call's stack map). The span is zeroed, so zero constants
//   are not stored.
// - Arrays are allocated by the runtime: wt_gc_alloc_array (array.new_default, new_fixed),
//   wt_gc_array_new / _new_data / _new_elem (gc/gc_builtins.h), each a safepoint whose
//   operands stay on the value stack (in their slots) until the call returns.
// - Accesses are inline: null check, bounds check (index < length, unsigned), the element at
//   [ref + 24 + (index << log2)]. array.fill / copy / init_* check null and bounds inline
//   and hand the runtime element pointers (written over the array operand's slot) and a
//   flags word (element size, fuel/epoch mode, segment).
// - i31: (uint64_t)(uint32_t)(v << 1) | 1; the getters shift the low 32 bits back.
#pragma once

#include "jit/baseline_compiler.h"
#include "runtime/gc/gc_builtins.h"
#include "runtime/gc/heap.h"
#include "runtime/gc/object.h"

namespace wt::jit {

// The JIT kind of a field or element: packed ones are i32.
template <MacroAssembler Masm>
JType BaselineCompiler<Masm>::GcFieldType(const wasm::StorageType& s) {
  return s.packed != wasm::Packed::kNone ? JType::kI32 : KindOf(s.type);
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::GcLoadField(const wasm::StorageType& s, bool sign, Reg dst, Mem m) {
  if (s.packed != wasm::Packed::kNone)
    m_.LoadPacked(dst, m, runtime::gc::StorageSize(s), sign);
  else
    m_.Load(GcFieldType(s), dst, m);
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::GcStoreField(const wasm::StorageType& s, Mem m, Reg src) {
  if (s.packed != wasm::Packed::kNone)
    m_.StorePacked(m, src, runtime::gc::StorageSize(s));
  else
    m_.Store(GcFieldType(s), m, src);
}

// Pops the top entry (a value of storage type `s`) into the field at `m` of a fresh object
// (zeroed memory: a zero constant needs no store).
template <MacroAssembler Masm>
void BaselineCompiler<Masm>::GcPopToField(const wasm::StorageType& s, Mem m) {
  const VarState& v = stack_.back();
  if (v.loc == Loc::kConst && v.type != JType::kV128) {
    const uint64_t bits = v.bits;
    const JType t = v.type;
    Drop();
    if (bits == 0) return;
    if (s.packed == wasm::Packed::kNone) {
      m_.StoreConst(t, m, bits);
      return;
    }
    Reg r = AllocReg(RegClass::kGp);
    m_.LoadConst(JType::kI32, r, bits);
    GcStoreField(s, m, r);
    FreeReg(r);
    return;
  }
  Operand o = PopForRead();
  GcStoreField(s, m, o.reg);
  Release(o);
}

template <MacroAssembler Masm>
uint32_t BaselineCompiler<Masm>::GcElemLog2(uint32_t type_index) const {
  const wasm::CompositeType& ct = module_.types[type_index].composite;
  const uint32_t size = runtime::gc::StorageSize(ct.fields[0].storage);
  return static_cast<uint32_t>(__builtin_ctz(size));
}

template <MacroAssembler Masm>
uint64_t BaselineCompiler<Masm>::GcFlags(uint32_t log2, uint32_t segment) const {
  return runtime::gc::GcBuiltinFlags(log2, env_.consume_fuel, env_.epoch_interruption, segment);
}

// struct.new / struct.new_default: inline bump allocation, wt_gc_alloc_struct when the span is
// exhausted, then the fields (popped from the top: the last field first).
template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitStructNew(const Instr& in, bool with_fields) {
  if (in.a >= module_.types.size() ||
      module_.types[in.a].composite.kind != wasm::CompositeKind::kStruct)
    return Internal("struct.new of a non-struct type");
  const wasm::CompositeType& ct = module_.types[in.a].composite;
  const runtime::gc::StructLayout layout = runtime::gc::LayoutStruct(ct);
  // The slow path is a call: every value waits in its slot (listed by the stack map).
  SpillAllRegs();
  FlushCache();
  const Reg obj = Masm::kReturnGp;
  TakeReg(obj);
  Reg ctx = AllocReg(RegClass::kGp);
  Reg next = AllocReg(RegClass::kGp);
  Reg end = AllocReg(RegClass::kGp);
  Label slow = m_.NewLabel();
  Label done = m_.NewLabel();
  m_.Load(JType::kRef, ctx, Mem{Masm::kVmctx, runtime::kVMCtxStoreCtx});
  m_.Load(JType::kRef, obj, Mem{ctx, runtime::kStoreCtxGcNext});
  m_.Load(JType::kRef, end, Mem{ctx, runtime::kStoreCtxGcEnd});
  m_.Move(JType::kRef, next, obj);
  m_.IntBinopImm(Op::I64Add, next, next, static_cast<int32_t>(layout.size));
  m_.BranchCmp(JType::kRef, Cond::kGtU, next, end, slow);
  m_.Store(JType::kRef, Mem{ctx, runtime::kStoreCtxGcNext}, next);
  // The span is zeroed: count (+0) stays 0; kind (+4) with flags and spare 0 is one u32.
  m_.StoreConst(JType::kI32, Mem{obj, runtime::gc::kGcHeaderKind},
                static_cast<uint64_t>(runtime::gc::GcKind::kStruct));
  m_.Load(JType::kRef, next, Mem{Masm::kVmctx, runtime::kVMCtxRtts});
  m_.Load(JType::kRef, next, Mem{next, static_cast<int32_t>(8 * in.a)});
  m_.Store(JType::kRef, Mem{obj, runtime::gc::kGcHeaderRtt}, next);
  m_.Jump(done);
  m_.Bind(slow);
  FreeReg(ctx);
  FreeReg(next);
  FreeReg(end);
  m_.LoadConst(JType::kI64, Masm::CArgGp(1), in.a);
  m_.Move(JType::kRef, Masm::CArgGp(0), Masm::kVmctx);
  m_.CallBuiltin(reinterpret_cast<const void*>(&wt_gc_alloc_struct));
  RecordCallSite(in.offset);
  m_.Bind(done);
  if (with_fields) {
    for (size_t i = ct.fields.size(); i-- > 0;)
      GcPopToField(ct.fields[i].storage, Mem{obj, static_cast<int32_t>(layout.offsets[i])});
  }
  PushReg(JType::kRef, obj);
  return Ok();
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitStructGet(const Instr& in) {
  const wasm::CompositeType& ct = module_.types[in.a].composite;
  if (ct.kind != wasm::CompositeKind::kStruct || in.b >= ct.fields.size())
    return Internal("struct.get of a non-struct type");
  const wasm::StorageType& s = ct.fields[in.b].storage;
  const auto off = static_cast<int32_t>(runtime::gc::LayoutStruct(ct).offsets[in.b]);
  Operand ref = PopForRead();
  m_.BranchIfZero(JType::kRef, ref.reg, AddTrap(runtime::TrapCode::kNullStructRef, in.offset));
  const JType t = GcFieldType(s);
  Reg dst;
  if (ClassOf(t) == RegClass::kGp && ref.owned) {
    dst = ref.reg;
  } else {
    dst = AllocReg(ClassOf(t));
  }
  GcLoadField(s, in.op == Op::StructGetS, dst, Mem{ref.reg, off});
  if (dst != ref.reg) Release(ref);
  PushReg(t, dst);
  return Ok();
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitStructSet(const Instr& in) {
  const wasm::CompositeType& ct = module_.types[in.a].composite;
  if (ct.kind != wasm::CompositeKind::kStruct || in.b >= ct.fields.size())
    return Internal("struct.set of a non-struct type");
  const wasm::StorageType& s = ct.fields[in.b].storage;
  const auto off = static_cast<int32_t>(runtime::gc::LayoutStruct(ct).offsets[in.b]);
  Operand val = PopForRead();
  Operand ref = PopForRead();
  m_.BranchIfZero(JType::kRef, ref.reg, AddTrap(runtime::TrapCode::kNullStructRef, in.offset));
  GcStoreField(s, Mem{ref.reg, off}, val.reg);
  Release(val);
  Release(ref);
  return Ok();
}

// The address of element `idx` minus kArrayElems, in a new GP register, after the null and
// bounds checks of array `ref`.
template <MacroAssembler Masm>
Reg BaselineCompiler<Masm>::GcElemAddr(Reg ref, Reg idx, uint32_t log2, uint32_t wasm_offset) {
  m_.BranchIfZero(JType::kRef, ref, AddTrap(runtime::TrapCode::kNullArrayRef, wasm_offset));
  Reg addr = AllocReg(RegClass::kGp);
  m_.Load(JType::kI32, addr, Mem{ref, runtime::gc::kArrayLength});
  m_.BranchCmp(JType::kI32, Cond::kGeU, idx, addr,
               AddTrap(runtime::TrapCode::kArrayOutOfBounds, wasm_offset));
  if (log2 != 0)
    m_.IntBinopImm(Op::I64Shl, addr, idx, static_cast<int32_t>(log2));
  else
    m_.Move(JType::kI64, addr, idx);
  m_.IntBinop(Op::I64Add, addr, addr, ref);
  return addr;
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitArrayGet(const Instr& in) {
  const wasm::CompositeType& ct = module_.types[in.a].composite;
  if (ct.kind != wasm::CompositeKind::kArray) return Internal("array.get of a non-array type");
  const wasm::StorageType& s = ct.fields[0].storage;
  Operand idx = PopForRead();
  Operand ref = PopForRead();
  Reg addr = GcElemAddr(ref.reg, idx.reg, GcElemLog2(in.a), in.offset);
  Release(idx);
  Release(ref);
  const JType t = GcFieldType(s);
  Reg dst = ClassOf(t) == RegClass::kGp ? addr : AllocReg(RegClass::kFp);
  GcLoadField(s, in.op == Op::ArrayGetS, dst, Mem{addr, runtime::gc::kArrayElems});
  if (dst != addr) FreeReg(addr);
  PushReg(t, dst);
  return Ok();
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitArraySet(const Instr& in) {
  const wasm::CompositeType& ct = module_.types[in.a].composite;
  if (ct.kind != wasm::CompositeKind::kArray) return Internal("array.set of a non-array type");
  const wasm::StorageType& s = ct.fields[0].storage;
  Operand val = PopForRead();
  Operand idx = PopForRead();
  Operand ref = PopForRead();
  Reg addr = GcElemAddr(ref.reg, idx.reg, GcElemLog2(in.a), in.offset);
  GcStoreField(s, Mem{addr, runtime::gc::kArrayElems}, val.reg);
  FreeReg(addr);
  Release(val);
  Release(idx);
  Release(ref);
  return Ok();
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitArrayLen(uint32_t wasm_offset) {
  Operand ref = PopForRead();
  m_.BranchIfZero(JType::kRef, ref.reg, AddTrap(runtime::TrapCode::kNullArrayRef, wasm_offset));
  Reg dst = ref.owned ? ref.reg : AllocReg(RegClass::kGp);
  m_.Load(JType::kI32, dst, Mem{ref.reg, runtime::gc::kArrayLength});
  if (dst != ref.reg) Release(ref);
  PushReg(JType::kI32, dst);
}

// Bulk operations: after SpillAllRegs/FlushCache, every operand from `base` in its slot.
template <MacroAssembler Masm>
void BaselineCompiler<Masm>::GcOperandsToSlots(uint32_t base) {
  SpillAllRegs();
  FlushCache();
  for (uint32_t k = base; k < height(); ++k) MaterializeEntry(k);
}

// Null check of the array in entry k_ref's slot.
template <MacroAssembler Masm>
void BaselineCompiler<Masm>::GcCheckNullSlot(uint32_t k_ref, uint32_t wasm_offset) {
  Reg r = AllocReg(RegClass::kGp);
  m_.Load(JType::kRef, r, SlotMem(k_ref));
  m_.BranchIfZero(JType::kRef, r, AddTrap(runtime::TrapCode::kNullArrayRef, wasm_offset));
  FreeReg(r);
}

// Checks [off, off + n) against the length of the (non-null) array in entry k_ref's slot and
// overwrites that slot with the address of element `off`.
template <MacroAssembler Masm>
void BaselineCompiler<Masm>::GcArrayRange(uint32_t k_ref, uint32_t k_off, uint32_t k_n,
                                          uint32_t log2, uint32_t wasm_offset) {
  Reg r = AllocReg(RegClass::kGp);
  Reg a = AllocReg(RegClass::kGp);
  Reg b = AllocReg(RegClass::kGp);
  m_.Load(JType::kRef, r, SlotMem(k_ref));
  LoadVar(stack_[k_off], k_off, a);
  LoadVar(stack_[k_n], k_n, b);
  m_.IntBinop(Op::I64Add, b, a, b);  // i32 operands: no 64-bit overflow
  Reg len = AllocReg(RegClass::kGp);
  m_.Load(JType::kI32, len, Mem{r, runtime::gc::kArrayLength});
  m_.BranchCmp(JType::kI64, Cond::kGtU, b, len,
               AddTrap(runtime::TrapCode::kArrayOutOfBounds, wasm_offset));
  if (log2 != 0) m_.IntBinopImm(Op::I64Shl, a, a, static_cast<int32_t>(log2));
  m_.IntBinop(Op::I64Add, a, a, r);
  m_.IntBinopImm(Op::I64Add, a, a, runtime::gc::kArrayElems);
  m_.Store(JType::kRef, SlotMem(k_ref), a);
  FreeReg(r);
  FreeReg(a);
  FreeReg(b);
  FreeReg(len);
}

// fn(vmctx, imms..., args...) with every operand still on the value stack (in its slot: a
// safepoint's stack map lists them), then the entries from `base` dropped; the result (a
// reference) pushed when `has_result`.
template <MacroAssembler Masm>
void BaselineCompiler<Masm>::CallGcBuiltin(const void* fn, std::initializer_list<uint64_t> imms,
                                           std::initializer_list<GcArg> args, uint32_t base,
                                           bool has_result) {
  int arg = 0;
  m_.Move(JType::kRef, Masm::CArgGp(arg++), Masm::kVmctx);
  for (uint64_t imm : imms) m_.LoadConst(JType::kI64, Masm::CArgGp(arg++), imm);
  for (const GcArg& a : args) {
    const Reg r = Masm::CArgGp(arg++);
    if (a.address) {
      m_.Move(JType::kRef, r, Masm::kFp);
      m_.IntBinopImm(Op::I64Add, r, r, SlotMem(a.k).offset);
    } else {
      LoadVar(stack_[a.k], a.k, r);
    }
  }
  m_.CallBuiltin(fn);
  RecordCallSite(instr_.offset);
  DropTo(base);
  if (has_result) {
    TakeReg(Masm::kReturnGp);
    PushReg(JType::kRef, Masm::kReturnGp);
  }
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitArrayNew(const Instr& in) {
  if (in.a >= module_.types.size() ||
      module_.types[in.a].composite.kind != wasm::CompositeKind::kArray)
    return Internal("array.new of a non-array type");
  auto fn = [](auto* f) { return reinterpret_cast<const void*>(f); };
  const uint32_t log2 = GcElemLog2(in.a);
  switch (in.op) {
    case Op::ArrayNew: {  // [value, n]
      const uint32_t base = height() - 2;
      GcOperandsToSlots(base);
      CallGcBuiltin(fn(&wt_gc_array_new), {in.a, GcFlags(log2)},
                    {GcArg{base, true}, GcArg{base + 1, false}}, base, true);
      return Ok();
    }
    case Op::ArrayNewDefault:
      CallBuiltin(fn(&wt_gc_alloc_array), {in.a}, 1, true, JType::kRef);
      return Ok();
    case Op::ArrayNewData:
      CallBuiltin(fn(&wt_gc_array_new_data), {in.a, GcFlags(log2, in.b)}, 2, true, JType::kRef);
      return Ok();
    case Op::ArrayNewElem:
      CallBuiltin(fn(&wt_gc_array_new_elem), {in.a, GcFlags(log2, in.b)}, 2, true, JType::kRef);
      return Ok();
    case Op::ArrayNewFixed: {  // n values
      const wasm::StorageType& s = module_.types[in.a].composite.fields[0].storage;
      CallBuiltin(fn(&wt_gc_alloc_array), {in.a, in.b}, 0, true, JType::kRef);
      Reg obj = PopToReg();
      for (uint32_t i = in.b; i-- > 0;) {
        const int64_t off = runtime::gc::kArrayElems + (int64_t{i} << log2);
        if (off > INT32_MAX) return Internal("array.new_fixed too large");
        GcPopToField(s, Mem{obj, static_cast<int32_t>(off)});
      }
      PushReg(JType::kRef, obj);
      return Ok();
    }
    default:
      return Internal("array.new");
  }
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitArrayBulk(const Instr& in) {
  auto fn = [](auto* f) { return reinterpret_cast<const void*>(f); };
  switch (in.op) {
    case Op::ArrayFill: {  // [ref, off, value, n]
      const uint32_t log2 = GcElemLog2(in.a);
      const uint32_t base = height() - 4;
      GcOperandsToSlots(base);
      GcCheckNullSlot(base, in.offset);
      GcArrayRange(base, base + 1, base + 3, log2, in.offset);
      CallGcBuiltin(fn(&wt_gc_array_fill), {GcFlags(log2)},
                    {GcArg{base, false}, GcArg{base + 2, true}, GcArg{base + 3, false}}, base,
                    false);
      return Ok();
    }
    case Op::ArrayCopy: {  // [dst, dst_off, src, src_off, n]; dst type a, src type b
      const uint32_t log2 = GcElemLog2(in.a);
      const uint32_t base = height() - 5;
      GcOperandsToSlots(base);
      GcCheckNullSlot(base, in.offset);
      GcCheckNullSlot(base + 2, in.offset);
      GcArrayRange(base, base + 1, base + 4, log2, in.offset);
      GcArrayRange(base + 2, base + 3, base + 4, log2, in.offset);
      CallGcBuiltin(fn(&wt_gc_array_copy), {GcFlags(log2)},
                    {GcArg{base, false}, GcArg{base + 2, false}, GcArg{base + 4, false}}, base,
                    false);
      return Ok();
    }
    case Op::ArrayInitData:
    case Op::ArrayInitElem: {  // [ref, off, src, n]
      const uint32_t log2 = GcElemLog2(in.a);
      const uint32_t base = height() - 4;
      GcOperandsToSlots(base);
      GcCheckNullSlot(base, in.offset);
      GcArrayRange(base, base + 1, base + 3, log2, in.offset);
      CallGcBuiltin(
          in.op == Op::ArrayInitData ? fn(&wt_gc_array_init_data) : fn(&wt_gc_array_init_elem),
          {GcFlags(log2, in.b)},
          {GcArg{base, false}, GcArg{base + 2, false}, GcArg{base + 3, false}}, base, false);
      return Ok();
    }
    default:
      return Internal("array bulk");
  }
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitGcObject(const Instr& in, bool* handled) {
  *handled = true;
  switch (in.op) {
    case Op::StructNew:
      return EmitStructNew(in, true);
    case Op::StructNewDefault:
      return EmitStructNew(in, false);
    case Op::StructGet:
    case Op::StructGetS:
    case Op::StructGetU:
      return EmitStructGet(in);
    case Op::StructSet:
      return EmitStructSet(in);
    case Op::ArrayNew:
    case Op::ArrayNewDefault:
    case Op::ArrayNewFixed:
    case Op::ArrayNewData:
    case Op::ArrayNewElem:
      return EmitArrayNew(in);
    case Op::ArrayGet:
    case Op::ArrayGetS:
    case Op::ArrayGetU:
      return EmitArrayGet(in);
    case Op::ArraySet:
      return EmitArraySet(in);
    case Op::ArrayLen:
      EmitArrayLen(in.offset);
      return Ok();
    case Op::ArrayFill:
    case Op::ArrayCopy:
    case Op::ArrayInitData:
    case Op::ArrayInitElem:
      return EmitArrayBulk(in);
    case Op::RefI31: {
      Reg r = PopToReg();
      m_.IntBinopImm(Op::I32Shl, r, r, 1);
      m_.IntBinopImm(Op::I32Or, r, r, 1);
      PushReg(JType::kRef, r);
      return Ok();
    }
    case Op::I31GetS:
    case Op::I31GetU: {
      Reg r = PopToReg();
      m_.BranchIfZero(JType::kRef, r, AddTrap(runtime::TrapCode::kNullI31Ref, in.offset));
      m_.IntBinopImm(in.op == Op::I31GetS ? Op::I32ShrS : Op::I32ShrU, r, r, 1);
      PushReg(JType::kI32, r);
      return Ok();
    }
    default:
      *handled = false;
      return Ok();
  }
}

}  // namespace wt::jit
