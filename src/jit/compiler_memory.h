// BaselineCompiler: locals, globals, loads and stores (memory 0 through its cached base, other
// and 64-bit memories through LoadMemBase: docs/memory64.md), memory.size. Included by
// baseline_compiler.h.
#pragma once

#include "jit/baseline_compiler.h"

namespace wt::jit {

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitGlobalGet(uint32_t i) {
  if (IsGcGlobal(i)) return EmitGlobalGetRef(i);  // [gc]
  JType t;
  {
    auto r = JTypeOf(module_.globals[i].type.type);
    t = r.ok() ? *r : JType::kI32;
  }
  Reg cell = AllocReg(RegClass::kGp);
  m_.Load(JType::kRef, cell, Mem{Masm::kVmctx, runtime::kVMCtxGlobals});
  m_.Load(JType::kRef, cell, Mem{cell, static_cast<int32_t>(8 * i)});
  if (InXmm(t)) {
    Reg d = AllocReg(RegClass::kFp);
    m_.Load(t, d, Mem{cell, 0});
    FreeReg(cell);
    PushReg(t, d);
  } else {
    m_.Load(t, cell, Mem{cell, 0});
    PushReg(t, cell);
  }
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitGlobalSet(uint32_t i) {
  if (IsGcGlobal(i)) return EmitGlobalSetRef(i);  // [gc]
  JType t = stack_.back().type;
  Operand v = PopForRead();
  Reg cell = AllocReg(RegClass::kGp);
  m_.Load(JType::kRef, cell, Mem{Masm::kVmctx, runtime::kVMCtxGlobals});
  m_.Load(JType::kRef, cell, Mem{cell, static_cast<int32_t>(8 * i)});
  m_.Store(t, Mem{cell, 0}, v.reg);
  FreeReg(cell);
  Release(v);
}

// An access whose static part (offset + size, or a constant address + offset + size) already
// exceeds 4 GiB always traps: jump to the trap and treat the rest of the block as dead. This
// also keeps every emitted access within base + 8 GiB (the reservation). [memory64] A 64-bit
// memory is never larger than runtime::kMemory64MaxBytes: past that, the access always traps.
template <MacroAssembler Masm>
bool BaselineCompiler<Masm>::AlwaysOutOfBounds(const Instr& in, uint32_t value_operands) {
  uint64_t size = uint64_t{1} << wasm::NaturalAlignLog2(wasm::GetOpInfo(in.op).imm);
  const VarState& addr = stack_[height() - 1 - value_operands];
  if (IsMemory64(in.mem.memory)) {
    const uint64_t limit = runtime::kMemory64MaxBytes;
    bool oob = in.mem.offset > limit || size > limit - in.mem.offset;
    if (!oob && addr.loc == Loc::kConst) oob = addr.bits > limit - in.mem.offset - size;
    if (!oob) return false;
  } else {
    uint64_t end = in.mem.offset + size;
    if (addr.loc == Loc::kConst) end += static_cast<uint32_t>(addr.bits);
    if (end <= (uint64_t{1} << 32)) return false;
  }
  m_.Jump(AddTrap(runtime::TrapCode::kMemoryOutOfBounds, in.offset));
  SetUnreachable();
  return true;
}

template <MacroAssembler Masm>
bool BaselineCompiler<Masm>::IsMemory64(uint32_t memory) const {
  return memory < module_.memories.size() &&
         module_.memories[memory].type.addr == wasm::AddrType::kI64;
}

template <MacroAssembler Masm>
bool BaselineCompiler<Masm>::IsTable64(uint32_t table) const {
  return table < module_.tables.size() && module_.tables[table].type.addr == wasm::AddrType::kI64;
}

// Memory 0 (32-bit): a constant address folds into the offset, else the address register is
// read in place; the access goes through the cached base. Another 32-bit memory: the same, with
// the memory-base register pointed at that memory first (its 8 GiB reservation covers any u32
// address + offset as memory 0's does). A 64-bit memory: the address is checked against the
// current size (one compare; the guard covers offset + access size up to
// kMemory64GuardBytes, a larger offset is checked in full) and added to the memory-base
// register, so the access itself takes only the static offset.
template <MacroAssembler Masm>
typename BaselineCompiler<Masm>::MemAddr BaselineCompiler<Masm>::PopMemAddr(const Instr& in) {
  MemAddr r;
  const uint32_t memory = in.mem.memory;
  if (!IsMemory64(memory)) {
    const VarState& addr = stack_.back();
    if (addr.loc == Loc::kConst) {
      r.offset = static_cast<uint32_t>(addr.bits) + in.mem.offset;
      r.op = Operand{Reg::None(), false};
      Pop();
    } else {
      r.op = PopForRead();
      r.offset = in.mem.offset;
    }
    if (memory != 0) {
      m_.LoadMemBase(memory, Reg::None());
      r.switched = true;
    }
    return r;
  }
  const uint64_t size = uint64_t{1} << wasm::NaturalAlignLog2(wasm::GetOpInfo(in.op).imm);
  Operand a = PopForRead();
  Label oob = AddTrap(runtime::TrapCode::kMemoryOutOfBounds, in.offset);
  m_.CheckMemBound(a.reg, memory, oob);
  if (in.mem.offset + size > runtime::kMemory64GuardBytes) {
    // addr <= size <= kMemory64MaxBytes now, so addr + offset + size cannot wrap.
    Reg end = AllocReg(RegClass::kGp);
    m_.LoadConst(JType::kI64, end, in.mem.offset + size);
    m_.IntBinop(Op::I64Add, end, end, a.reg);
    m_.CheckMemBound(end, memory, oob);
    FreeReg(end);
  }
  m_.LoadMemBase(memory, a.reg);
  Release(a);
  r.op = Operand{Reg::None(), false};
  r.offset = in.mem.offset;
  r.switched = true;
  return r;
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EndMemAccess(const MemAddr& a) {
  if (a.op.reg.valid()) Release(a.op);
  if (a.switched) m_.ReloadMemBase();
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitLoad(const Instr& in, JType t) {
  if (AlwaysOutOfBounds(in, 0)) return;
  MemAddr a = PopMemAddr(in);
  Reg dst = InXmm(t) || !a.op.owned ? AllocReg(ClassOf(t)) : a.op.reg;
  uint32_t at = m_.LoadMem(in.op, dst, a.op.reg, a.offset);
  if (dst == a.op.reg) a.op.reg = Reg::None();
  EndMemAccess(a);
  AddTrapSite(at, runtime::TrapCode::kMemoryOutOfBounds, in.offset);
  PushReg(t, dst);
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitStore(const Instr& in) {
  if (AlwaysOutOfBounds(in, 1)) return;
  Operand v = PopForRead();
  MemAddr a = PopMemAddr(in);
  uint32_t at = m_.StoreMem(in.op, a.op.reg, a.offset, v.reg);
  EndMemAccess(a);
  Release(v);
  AddTrapSite(at, runtime::TrapCode::kMemoryOutOfBounds, in.offset);
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitMemorySize(uint32_t memory) {
  Reg r = AllocReg(RegClass::kGp);
  m_.Load(JType::kRef, r, Mem{Masm::kVmctx, runtime::kVMCtxMemories});
  m_.Load(JType::kRef, r, Mem{r, static_cast<int32_t>(8 * memory)});
  m_.Load(JType::kI64, r, Mem{r, runtime::kMemorySize});
  m_.IntBinopImm(Op::I64ShrU, r, r, 16);
  PushReg(IsMemory64(memory) ? JType::kI64 : JType::kI32, r);
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitMemory(const Instr& in, bool* handled) {
  *handled = true;
  constexpr JType I32 = JType::kI32, I64 = JType::kI64, F32 = JType::kF32, F64 = JType::kF64;
  switch (in.op) {
    case Op::LocalGet:
      EmitLocalGet(in.a);
      return Ok();
    case Op::LocalSet:
      EmitLocalSet(in.a, false);
      return Ok();
    case Op::LocalTee:
      EmitLocalSet(in.a, true);
      return Ok();
    case Op::GlobalGet:
      EmitGlobalGet(in.a);
      return Ok();
    case Op::GlobalSet:
      EmitGlobalSet(in.a);
      return Ok();

    case Op::I32Load:
    case Op::I32Load8S:
    case Op::I32Load8U:
    case Op::I32Load16S:
    case Op::I32Load16U:
      EmitLoad(in, I32);
      return Ok();
    case Op::I64Load:
    case Op::I64Load8S:
    case Op::I64Load8U:
    case Op::I64Load16S:
    case Op::I64Load16U:
    case Op::I64Load32S:
    case Op::I64Load32U:
      EmitLoad(in, I64);
      return Ok();
    case Op::F32Load:
      EmitLoad(in, F32);
      return Ok();
    case Op::F64Load:
      EmitLoad(in, F64);
      return Ok();
    case Op::I32Store:
    case Op::I64Store:
    case Op::F32Store:
    case Op::F64Store:
    case Op::I32Store8:
    case Op::I32Store16:
    case Op::I64Store8:
    case Op::I64Store16:
    case Op::I64Store32:
      EmitStore(in);
      return Ok();
    case Op::MemorySize:
      EmitMemorySize(in.a);
      return Ok();
    case Op::MemoryGrow:
      CallBuiltin(reinterpret_cast<const void*>(&wt_memory_grow), {in.a}, 1, true,
                  IsMemory64(in.a) ? I64 : I32);
      return Ok();
    case Op::MemoryInit:
      CallBuiltin(runtime::BulkBuiltin(runtime::BulkOp::kMemoryInit, env_.consume_fuel,
                                       env_.epoch_interruption),
                  {in.b, in.a}, 3, false);
      return Ok();
    case Op::DataDrop:
      CallBuiltin(reinterpret_cast<const void*>(&wt_data_drop), {in.a}, 0, false);
      return Ok();
    case Op::MemoryCopy:
      CallBuiltin(runtime::BulkBuiltin(runtime::BulkOp::kMemoryCopy, env_.consume_fuel,
                                       env_.epoch_interruption),
                  {in.a, in.b}, 3, false);
      return Ok();
    case Op::MemoryFill:
      CallBuiltin(runtime::BulkBuiltin(runtime::BulkOp::kMemoryFill, env_.consume_fuel,
                                       env_.epoch_interruption),
                  {in.a}, 3, false);
      return Ok();
    default:
      *handled = false;
      return Ok();
  }
}

}  // namespace wt::jit
