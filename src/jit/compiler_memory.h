// BaselineCompiler: locals, globals, loads and stores of memory 0, memory.size. Included by
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
// also keeps every emitted access within base + 8 GiB (the reservation).
template <MacroAssembler Masm>
bool BaselineCompiler<Masm>::AlwaysOutOfBounds(const Instr& in, uint32_t value_operands) {
  uint64_t size = uint64_t{1} << wasm::NaturalAlignLog2(wasm::GetOpInfo(in.op).imm);
  uint64_t end = in.mem.offset + size;
  const VarState& addr = stack_[height() - 1 - value_operands];
  if (addr.loc == Loc::kConst) end += static_cast<uint32_t>(addr.bits);
  if (end <= (uint64_t{1} << 32)) return false;
  m_.Jump(AddTrap(runtime::TrapCode::kMemoryOutOfBounds, in.offset));
  SetUnreachable();
  return true;
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitLoad(const Instr& in, JType t) {
  if (AlwaysOutOfBounds(in, 0)) return;
  const VarState& addr = stack_.back();
  Reg dst;
  uint32_t at;
  if (addr.loc == Loc::kConst) {
    uint64_t ea = static_cast<uint32_t>(addr.bits) + in.mem.offset;
    Pop();
    dst = AllocReg(ClassOf(t));
    at = m_.LoadMem(in.op, dst, Reg::None(), ea);
  } else {
    Operand a = PopForRead();
    dst = InXmm(t) || !a.owned ? AllocReg(ClassOf(t)) : a.reg;
    at = m_.LoadMem(in.op, dst, a.reg, in.mem.offset);
    if (!(dst == a.reg)) Release(a);
  }
  AddTrapSite(at, runtime::TrapCode::kMemoryOutOfBounds, in.offset);
  PushReg(t, dst);
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitStore(const Instr& in) {
  if (AlwaysOutOfBounds(in, 1)) return;
  Operand v = PopForRead();
  const VarState& addr = stack_.back();
  uint32_t at;
  if (addr.loc == Loc::kConst) {
    uint64_t ea = static_cast<uint32_t>(addr.bits) + in.mem.offset;
    Pop();
    at = m_.StoreMem(in.op, Reg::None(), ea, v.reg);
  } else {
    Operand a = PopForRead();
    at = m_.StoreMem(in.op, a.reg, in.mem.offset, v.reg);
    Release(a);
  }
  Release(v);
  AddTrapSite(at, runtime::TrapCode::kMemoryOutOfBounds, in.offset);
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitMemorySize() {
  Reg r = AllocReg(RegClass::kGp);
  m_.Load(JType::kRef, r, Mem{Masm::kVmctx, runtime::kVMCtxMemories});
  m_.Load(JType::kRef, r, Mem{r, 0});
  m_.Load(JType::kI64, r, Mem{r, runtime::kMemorySize});
  m_.IntBinopImm(Op::I64ShrU, r, r, 16);
  PushReg(JType::kI32, r);
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
      EmitMemorySize();
      return Ok();
    case Op::MemoryGrow:
      CallBuiltin(reinterpret_cast<const void*>(&wt_memory_grow), {in.a}, 1, true, I32);
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
