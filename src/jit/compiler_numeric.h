// BaselineCompiler: constants, integer and float arithmetic, comparisons, conversions, select.
// Included by baseline_compiler.h.
#pragma once

#include "jit/baseline_compiler.h"

namespace wt::jit {

namespace detail {

inline bool IsShiftOp(wasm::Op op) {
  using wasm::Op;
  switch (op) {
    case Op::I32Shl:
    case Op::I32ShrS:
    case Op::I32ShrU:
    case Op::I32Rotl:
    case Op::I32Rotr:
    case Op::I64Shl:
    case Op::I64ShrS:
    case Op::I64ShrU:
    case Op::I64Rotl:
    case Op::I64Rotr:
      return true;
    default:
      return false;
  }
}

// The int32 immediate for a constant right operand, if the operation can take it.
inline bool ImmFor(wasm::Op op, JType t, uint64_t bits, int32_t* imm) {
  if (IsShiftOp(op)) {
    *imm = static_cast<int32_t>(bits & 63);
    return true;
  }
  if (t == JType::kI32) {
    *imm = static_cast<int32_t>(static_cast<uint32_t>(bits));
    return true;
  }
  auto v = static_cast<int64_t>(bits);
  if (v < INT32_MIN || v > INT32_MAX) return false;
  *imm = static_cast<int32_t>(v);
  return true;
}

inline Cond CompareCond(wasm::Op op) {
  using wasm::Op;
  switch (op) {
    case Op::I32Eq:
    case Op::I64Eq:
      return Cond::kEq;
    case Op::I32Ne:
    case Op::I64Ne:
      return Cond::kNe;
    case Op::I32LtS:
    case Op::I64LtS:
      return Cond::kLtS;
    case Op::I32LtU:
    case Op::I64LtU:
      return Cond::kLtU;
    case Op::I32GtS:
    case Op::I64GtS:
      return Cond::kGtS;
    case Op::I32GtU:
    case Op::I64GtU:
      return Cond::kGtU;
    case Op::I32LeS:
    case Op::I64LeS:
      return Cond::kLeS;
    case Op::I32LeU:
    case Op::I64LeU:
      return Cond::kLeU;
    case Op::I32GeS:
    case Op::I64GeS:
      return Cond::kGeS;
    default:
      return Cond::kGeU;
  }
}

}  // namespace detail

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitIntBinop(Op op, JType t) {
  const VarState& rhs = stack_.back();
  int32_t imm;
  RegSet clobbers = Masm::ClobbersFor(op);
  uint32_t local;
  bool imm_form =
      rhs.loc == Loc::kConst && Masm::HasImmForm(op) && detail::ImmFor(op, t, rhs.bits, &imm);
  if ((imm_form || clobbers.empty()) && InPlaceTarget(1, &local)) {
    // local = local op rhs, computed in the local's register.
    Reg home = CacheReg(local);
    if (imm_form) {
      Pop();
      Pop();
      m_.IntBinopImm(op, home, home, imm);
    } else {
      read_locked_ = read_locked_.with(home);  // not evicted while loading rhs
      Operand r = PopForRead();
      Pop();
      m_.IntBinop(op, home, home, r.reg);
      Release(r);
      read_locked_ = read_locked_.without(home);
    }
    FinishInPlace(local);
    return;
  }
  if (imm_form) {
    Pop();
    Reg l = PopToReg();
    m_.IntBinopImm(op, l, l, imm);
    PushReg(t, l);
    return;
  }
  if (!clobbers.empty()) {
    Reg r = PopToReg();
    Reg l = PopToReg(RegSet::Of(r));
    EvictRegs(clobbers);
    m_.IntBinop(op, l, l, r);
    FreeReg(r);
    PushReg(t, l);
    return;
  }
  Operand r = PopForRead();
  Reg l = PopToReg();
  m_.IntBinop(op, l, l, r.reg);
  Release(r);
  PushReg(t, l);
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitIntDivRem(Op op, JType t, uint32_t wasm_offset) {
  Reg r = PopToReg();
  Reg l = PopToReg();
  EvictRegs(Masm::ClobbersFor(op));
  Label div_zero = AddTrap(runtime::TrapCode::kIntegerDivideByZero, wasm_offset);
  Label overflow;
  if (op == Op::I32DivS || op == Op::I64DivS)
    overflow = AddTrap(runtime::TrapCode::kIntegerOverflow, wasm_offset);
  m_.IntDivRem(op, l, l, r, div_zero, overflow);
  FreeReg(r);
  PushReg(t, l);
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitIntCompare(Op op, JType t) {
  Condition c;
  c.op = op;
  c.type = t;
  c.cond = detail::CompareCond(op);
  const VarState& rhs = stack_.back();
  if (rhs.loc == Loc::kConst) {
    auto v = static_cast<int64_t>(rhs.bits);
    if (t == JType::kI32 || (v >= INT32_MIN && v <= INT32_MAX)) {
      c.imm = static_cast<int32_t>(t == JType::kI32 ? static_cast<uint32_t>(rhs.bits) : v);
      Pop();
      Operand l = PopForRead();
      c.lhs = l.reg;
      c.lhs_owned = l.owned;
      return EmitCondition(c);
    }
  }
  Operand r = PopForRead();
  Operand l = PopForRead();
  c.rhs = r.reg;
  c.rhs_owned = r.owned;
  c.lhs = l.reg;
  c.lhs_owned = l.owned;
  return EmitCondition(c);
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitEqz(Op op, JType t) {
  Condition c;
  c.op = op;
  c.type = t;
  c.cond = Cond::kEq;
  Operand l = PopForRead();
  c.lhs = l.reg;
  c.lhs_owned = l.owned;
  return EmitCondition(c);
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitIntUnop(Op op, JType result) {
  Reg s = PopToReg();
  m_.IntUnop(op, s, s);
  PushReg(result, s);
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitFloatBinop(Op op, JType t) {
  uint32_t local;
  if (InPlaceTarget(1, &local)) {
    Reg home = CacheReg(local);
    read_locked_ = read_locked_.with(home);  // not evicted while loading rhs
    Operand r = PopForRead();
    Pop();
    m_.FloatBinop(op, home, home, r.reg);
    Release(r);
    read_locked_ = read_locked_.without(home);
    FinishInPlace(local);
    return;
  }
  Operand r = PopForRead();
  Reg l = PopToReg();
  m_.FloatBinop(op, l, l, r.reg);
  Release(r);
  PushReg(t, l);
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitFloatUnop(Op op, JType t) {
  Reg s = PopToReg();
  m_.FloatUnop(op, s, s);
  PushReg(t, s);
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitFloatCompare(Op op, JType t) {
  Condition c;
  c.op = op;
  c.type = t;
  Operand r = PopForRead();
  Operand l = PopForRead();
  c.rhs = r.reg;
  c.rhs_owned = r.owned;
  c.lhs = l.reg;
  c.lhs_owned = l.owned;
  return EmitCondition(c);
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitConvert(Op op, JType from, JType to, uint32_t wasm_offset) {
  Reg s = PopToReg();
  Reg d = ClassOf(from) == ClassOf(to) ? s : AllocReg(ClassOf(to));
  Label invalid, overflow;
  switch (op) {
    case Op::I32TruncF32S:
    case Op::I32TruncF32U:
    case Op::I32TruncF64S:
    case Op::I32TruncF64U:
    case Op::I64TruncF32S:
    case Op::I64TruncF32U:
    case Op::I64TruncF64S:
    case Op::I64TruncF64U:
      invalid = AddTrap(runtime::TrapCode::kBadConversion, wasm_offset);
      overflow = AddTrap(runtime::TrapCode::kIntegerOverflow, wasm_offset);
      break;
    default:
      break;
  }
  m_.Convert(op, d, s, invalid, overflow);
  if (!(d == s)) FreeReg(s);
  PushReg(to, d);
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitSelect() {
  Operand cond = PopForRead();
  JType t = stack_.back().type;
  Operand b = PopForRead();
  Reg a = PopToReg();
  m_.Select(t, a, cond.reg, a, b.reg);
  Release(cond);
  Release(b);
  PushReg(t, a);
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitNumeric(const Instr& in, bool* handled) {
  *handled = true;
  constexpr JType I32 = JType::kI32, I64 = JType::kI64, F32 = JType::kF32, F64 = JType::kF64;
  switch (in.op) {
    case Op::I32Const:
      PushConst(I32, static_cast<uint32_t>(in.value));
      return Ok();
    case Op::I64Const:
      PushConst(I64, in.value);
      return Ok();
    case Op::F32Const:
      PushConst(F32, static_cast<uint32_t>(in.value));
      return Ok();
    case Op::F64Const:
      PushConst(F64, in.value);
      return Ok();

    case Op::I32Add:
    case Op::I32Sub:
    case Op::I32Mul:
    case Op::I32And:
    case Op::I32Or:
    case Op::I32Xor:
    case Op::I32Shl:
    case Op::I32ShrS:
    case Op::I32ShrU:
    case Op::I32Rotl:
    case Op::I32Rotr:
      EmitIntBinop(in.op, I32);
      return Ok();
    case Op::I64Add:
    case Op::I64Sub:
    case Op::I64Mul:
    case Op::I64And:
    case Op::I64Or:
    case Op::I64Xor:
    case Op::I64Shl:
    case Op::I64ShrS:
    case Op::I64ShrU:
    case Op::I64Rotl:
    case Op::I64Rotr:
      EmitIntBinop(in.op, I64);
      return Ok();
    case Op::I32DivS:
    case Op::I32DivU:
    case Op::I32RemS:
    case Op::I32RemU:
      EmitIntDivRem(in.op, I32, in.offset);
      return Ok();
    case Op::I64DivS:
    case Op::I64DivU:
    case Op::I64RemS:
    case Op::I64RemU:
      EmitIntDivRem(in.op, I64, in.offset);
      return Ok();

    case Op::I32Eq:
    case Op::I32Ne:
    case Op::I32LtS:
    case Op::I32LtU:
    case Op::I32GtS:
    case Op::I32GtU:
    case Op::I32LeS:
    case Op::I32LeU:
    case Op::I32GeS:
    case Op::I32GeU:
      return EmitIntCompare(in.op, I32);
    case Op::I64Eq:
    case Op::I64Ne:
    case Op::I64LtS:
    case Op::I64LtU:
    case Op::I64GtS:
    case Op::I64GtU:
    case Op::I64LeS:
    case Op::I64LeU:
    case Op::I64GeS:
    case Op::I64GeU:
      return EmitIntCompare(in.op, I64);

    case Op::I32Eqz:
      return EmitEqz(in.op, I32);
    case Op::I64Eqz:
      return EmitEqz(in.op, I64);
    case Op::I32WrapI64:
      EmitIntUnop(in.op, I32);
      return Ok();
    case Op::I32Clz:
    case Op::I32Ctz:
    case Op::I32Popcnt:
    case Op::I32Extend8S:
    case Op::I32Extend16S:
      EmitIntUnop(in.op, I32);
      return Ok();
    case Op::I64Clz:
    case Op::I64Ctz:
    case Op::I64Popcnt:
    case Op::I64Extend8S:
    case Op::I64Extend16S:
    case Op::I64Extend32S:
    case Op::I64ExtendI32S:
    case Op::I64ExtendI32U:
      EmitIntUnop(in.op, I64);
      return Ok();

    case Op::F32Add:
    case Op::F32Sub:
    case Op::F32Mul:
    case Op::F32Div:
    case Op::F32Min:
    case Op::F32Max:
    case Op::F32Copysign:
      EmitFloatBinop(in.op, F32);
      return Ok();
    case Op::F64Add:
    case Op::F64Sub:
    case Op::F64Mul:
    case Op::F64Div:
    case Op::F64Min:
    case Op::F64Max:
    case Op::F64Copysign:
      EmitFloatBinop(in.op, F64);
      return Ok();
    case Op::F32Abs:
    case Op::F32Neg:
    case Op::F32Ceil:
    case Op::F32Floor:
    case Op::F32Trunc:
    case Op::F32Nearest:
    case Op::F32Sqrt:
      EmitFloatUnop(in.op, F32);
      return Ok();
    case Op::F64Abs:
    case Op::F64Neg:
    case Op::F64Ceil:
    case Op::F64Floor:
    case Op::F64Trunc:
    case Op::F64Nearest:
    case Op::F64Sqrt:
      EmitFloatUnop(in.op, F64);
      return Ok();
    case Op::F32Eq:
    case Op::F32Ne:
    case Op::F32Lt:
    case Op::F32Gt:
    case Op::F32Le:
    case Op::F32Ge:
      return EmitFloatCompare(in.op, F32);
    case Op::F64Eq:
    case Op::F64Ne:
    case Op::F64Lt:
    case Op::F64Gt:
    case Op::F64Le:
    case Op::F64Ge:
      return EmitFloatCompare(in.op, F64);

    case Op::I32TruncF32S:
    case Op::I32TruncF32U:
    case Op::I32TruncSatF32S:
    case Op::I32TruncSatF32U:
    case Op::I32ReinterpretF32:
      EmitConvert(in.op, F32, I32, in.offset);
      return Ok();
    case Op::I32TruncF64S:
    case Op::I32TruncF64U:
    case Op::I32TruncSatF64S:
    case Op::I32TruncSatF64U:
      EmitConvert(in.op, F64, I32, in.offset);
      return Ok();
    case Op::I64TruncF32S:
    case Op::I64TruncF32U:
    case Op::I64TruncSatF32S:
    case Op::I64TruncSatF32U:
      EmitConvert(in.op, F32, I64, in.offset);
      return Ok();
    case Op::I64TruncF64S:
    case Op::I64TruncF64U:
    case Op::I64TruncSatF64S:
    case Op::I64TruncSatF64U:
    case Op::I64ReinterpretF64:
      EmitConvert(in.op, F64, I64, in.offset);
      return Ok();
    case Op::F32ConvertI32S:
    case Op::F32ConvertI32U:
    case Op::F32ReinterpretI32:
      EmitConvert(in.op, I32, F32, in.offset);
      return Ok();
    case Op::F32ConvertI64S:
    case Op::F32ConvertI64U:
      EmitConvert(in.op, I64, F32, in.offset);
      return Ok();
    case Op::F64ConvertI32S:
    case Op::F64ConvertI32U:
      EmitConvert(in.op, I32, F64, in.offset);
      return Ok();
    case Op::F64ConvertI64S:
    case Op::F64ConvertI64U:
    case Op::F64ReinterpretI64:
      EmitConvert(in.op, I64, F64, in.offset);
      return Ok();
    case Op::F32DemoteF64:
      EmitConvert(in.op, F64, F32, in.offset);
      return Ok();
    case Op::F64PromoteF32:
      EmitConvert(in.op, F32, F64, in.offset);
      return Ok();
    default:
      *handled = false;
      return Ok();
  }
}

}  // namespace wt::jit
