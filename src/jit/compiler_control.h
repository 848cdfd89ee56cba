// BaselineCompiler: blocks, loops, if/else, branches, br_table, return. Included by
// baseline_compiler.h.
#pragma once

#include "jit/baseline_compiler.h"

namespace wt::jit {

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::PushBlockTypes(const wasm::BlockType& bt, Ctrl* c) {
  c->types_at = static_cast<uint32_t>(block_types_.size());
  c->nparams = 0;
  c->nresults = 0;
  switch (bt.kind) {
    case wasm::BlockType::Kind::kEmpty:
      return Ok();
    case wasm::BlockType::Kind::kValue: {
      WT_TRY_ASSIGN(JType t, JTypeOf(bt.value));
      block_types_.push_back(t);
      c->nresults = 1;
      return Ok();
    }
    case wasm::BlockType::Kind::kIndex: {
      const wasm::FuncType* ft = module_.GetFuncType(bt.index);
      if (!ft) return Internal("block type is not a function type");
      for (const wasm::ValType& p : ft->params) {
        WT_TRY_ASSIGN(JType t, JTypeOf(p));
        block_types_.push_back(t);
      }
      for (const wasm::ValType& r : ft->results) {
        WT_TRY_ASSIGN(JType t, JTypeOf(r));
        block_types_.push_back(t);
      }
      c->nparams = static_cast<uint32_t>(ft->params.size());
      c->nresults = static_cast<uint32_t>(ft->results.size());
      return Ok();
    }
  }
  return Ok();
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitMovesTo(uint32_t target_height, uint32_t n) {
  uint32_t base = height() - n;
  // The canonical slots are where PushStack puts the label's values after the label: laid out
  // from SlotAfter(target_height) (the entries' kinds are the label's). Sources sit at or above
  // their destinations (the same kinds laid out from a later slot), so ascending order never
  // overwrites a source before it is read (a v128 CopyMem reads all 16 bytes first).
  uint32_t s = SlotAfter(target_height);
  for (uint32_t i = 0; i < n; ++i) {
    const VarState& v = stack_[base + i];
    s = abi::AlignFrameSlot(s, v.type);
    StoreVar(v, base + i, Mem{Masm::kFp, abi::FrameSlotOffset(s, v.type)});
    s += abi::SlotWords(v.type);
  }
}

template <MacroAssembler Masm>
bool BaselineCompiler<Masm>::InPlace(uint32_t target_height, uint32_t n) const {
  if (height() - n != target_height) return false;
  for (uint32_t i = 0; i < n; ++i)
    if (stack_[target_height + i].loc != Loc::kStack) return false;
  return true;
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitReturn() {
  auto n = static_cast<uint32_t>(sig_->results.size());
  uint32_t base = height() - n;
  for (uint32_t i = 1; i < n; ++i) StoreVar(stack_[base + i], base + i, ResultMem(i));
  if (n > 0) {
    const VarState& v = stack_[base];
    LoadVar(v, base, InXmm(v.type) ? Masm::kReturnFp : Masm::kReturnGp);
  }
  m_.LeaveFrameAndReturn();
}

template <MacroAssembler Masm>
typename BaselineCompiler<Masm>::Condition BaselineCompiler<Masm>::PopCondition() {
  Condition c;
  Operand o = PopForRead();
  c.lhs = o.reg;
  c.lhs_owned = o.owned;
  return c;
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::BranchOn(const Condition& c, bool when, Label l) {
  if (c.type == JType::kV128) return m_.BranchSimd(c.op, when == (c.cond == Cond::kNe), c.lhs, l);
  if (IsFp(c.type)) return m_.BranchFloatCmp(c.type, c.op, when, c.lhs, c.rhs, l);
  Cond cc = when ? c.cond : Negate(c.cond);
  if (c.rhs.valid())
    m_.BranchCmp(c.type, cc, c.lhs, c.rhs, l);
  else
    m_.BranchCmpImm(c.type, cc, c.lhs, c.imm, l);
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::FreeCondition(const Condition& c) {
  Release(Operand{c.lhs, c.lhs_owned});
  if (c.rhs.valid()) Release(Operand{c.rhs, c.rhs_owned});
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitCondition(const Condition& c) {
  if (!reader_.AtEnd()) {
    uint8_t next = module_.bytes[reader_.Offset()];
    if (next == 0x0D || next == 0x04) {    // br_if, if
      WT_TRY(ReadInstr(&next_instr_));     // validated before any code for it
      if (env_.consume_fuel) CountFuel();  // the fused instruction
      if (next_instr_.op == Op::BrIf) {
        EmitBrIf(next_instr_.a, &c);
        return Ok();
      }
      return EmitBlock(next_instr_, CtrlKind::kIf, &c);
    }
    if (next == 0x1B || next == 0x1C) {  // select, select t: cmp + cmov for integer values
      WT_TRY(ReadInstr(&next_instr_));
      if (env_.consume_fuel) CountFuel();
      if (!InXmm(c.type) && !InXmm(stack_.back().type)) {
        EmitSelectCmp(c);
        return Ok();
      }
      MaterializeCondition(c);
      EmitSelect();
      return Ok();
    }
  }
  MaterializeCondition(c);
  return Ok();
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::MaterializeCondition(const Condition& c) {
  if (c.type == JType::kV128) {  // any_true / all_true (no temporaries), then eqz for kEq
    Reg d = AllocReg(RegClass::kGp);
    m_.SimdToI32(c.op, d, c.lhs, VTemps{});
    if (c.cond == Cond::kEq) m_.IntUnop(Op::I32Eqz, d, d);
    FreeCondition(c);
    PushReg(JType::kI32, d);
    return;
  }
  if (IsFp(c.type)) {
    Reg d = AllocReg(RegClass::kGp);
    m_.FloatCompare(c.op, d, c.lhs, c.rhs);
    FreeCondition(c);
    PushReg(JType::kI32, d);
    return;
  }
  // Materialize the i32 result in an operand register the comparison owns, or a new one.
  Reg dst;
  if (c.lhs_owned)
    dst = c.lhs;
  else if (c.rhs.valid() && c.rhs_owned)
    dst = c.rhs;
  else
    dst = AllocReg(RegClass::kGp);
  bool eqz = c.op == Op::I32Eqz || c.op == Op::I64Eqz;
  if (eqz)
    m_.IntUnop(c.op, dst, c.lhs);
  else if (c.rhs.valid())
    m_.IntCompare(c.op, dst, c.lhs, c.rhs);
  else
    m_.IntCompareImm(c.op, dst, c.lhs, c.imm);
  if (!(c.lhs == dst)) Release(Operand{c.lhs, c.lhs_owned});
  if (c.rhs.valid() && !(c.rhs == dst)) Release(Operand{c.rhs, c.rhs_owned});
  PushReg(JType::kI32, dst);
}

// `select` of two integer values on an integer comparison: dst = cond ? a : b as cmp + cmov.
// The operands are loaded first (moves and loads leave the flags alone, but a constant load
// may be a flag-setting xor), then compared.
template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitSelectCmp(const Condition& c) {
  JType t = stack_.back().type;
  Operand b = PopForRead();
  Reg a = PopToReg();
  m_.SelectCmp(c.type, c.cond, c.lhs, c.rhs, c.imm, t, a, b.reg);
  Release(b);
  FreeCondition(c);
  PushReg(t, a);
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitBlock(const Instr& in, CtrlKind kind, const Condition* fused) {
  Ctrl c;
  c.kind = kind;
  WT_TRY(PushBlockTypes(in.block, &c));
  Condition cond;
  if (kind == CtrlKind::kIf) cond = fused ? *fused : PopCondition();
  SpillAllRegs();
  c.height = height() - c.nparams;
  c.label = m_.NewLabel();
  if (kind == CtrlKind::kLoop) {
    for (uint32_t k = c.height; k < height(); ++k) MaterializeEntry(k);
    PrecacheLoopLocals();
    SaveLoopState(&c);
    m_.Bind(c.label);
    EmitEpochCheck(in.offset);
    BeginFuelSegment(in.offset);
  } else if (kind == CtrlKind::kIf) {
    c.saved_at = static_cast<uint32_t>(saved_.size());
    saved_.insert(saved_.end(), stack_.begin() + c.height, stack_.end());
    c.else_label = m_.NewLabel();
    BranchOn(cond, false, c.else_label);
    FreeCondition(cond);
    SaveCacheState(&c.else_state_at, &c.else_state_count);  // both arms start with it
  }
  ctrl_.push_back(c);
  return Ok();
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitElse() {
  Ctrl& c = ctrl_.back();
  if (!c.unreachable) EmitEdge(c);
  DropTo(c.height);
  DropCache();
  m_.Bind(c.else_label);
  SetCacheState(c.else_state_at, c.else_state_count);
  BeginFuelSegment(reader_.Offset());
  for (uint32_t i = 0; i < c.nparams; ++i) stack_.push_back(saved_[c.saved_at + i]);
  NoteHeight();
  saved_.resize(c.saved_at);
  c.kind = CtrlKind::kElse;
  c.unreachable = false;
  skip_depth_ = 0;
  return Ok();
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitEnd() {
  if (AtTryTableEnd()) WT_TRY(EmitTryTableEnd());                // [exceptions] the landing pads
  if (TopLegacyTry() != UINT32_MAX) WT_TRY(EmitLegacyTryEnd());  // [exceptions] try ... end
  Ctrl c = ctrl_.back();
  bool parent_unreachable = false;
  switch (c.kind) {
    case CtrlKind::kFunction:
      if (!c.unreachable) EmitReturn();
      ctrl_.pop_back();
      return Ok();
    case CtrlKind::kLoop:
      if (c.unreachable) {
        DropTo(c.height);
        for (uint32_t i = 0; i < c.nresults; ++i) PushStack(ResultType(c, i));
        parent_unreachable = true;
      }
      break;
    case CtrlKind::kBlock:
    case CtrlKind::kElse:
      if (c.label_used) {
        if (!c.unreachable) {  // falls into the label: an edge without the jump
          EmitMovesTo(c.height, c.nresults);
          EmitFixup(ctrl_.back());
        }
        BindLabel(ctrl_.back());
        for (uint32_t i = 0; i < c.nresults; ++i) PushStack(ResultType(c, i));
      } else if (c.unreachable) {
        DropTo(c.height);
        for (uint32_t i = 0; i < c.nresults; ++i) PushStack(ResultType(c, i));
        parent_unreachable = true;
      }
      // else: only the fallthrough reaches the end; the results stay where they are.
      break;
    case CtrlKind::kIf: {
      // No else: the false path carries the params through as the results.
      Ctrl& ci = ctrl_.back();
      if (!c.unreachable) EmitEdge(ci);
      DropTo(c.height);
      DropCache();
      m_.Bind(c.else_label);
      SetCacheState(c.else_state_at, c.else_state_count);
      for (uint32_t i = 0; i < c.nparams; ++i) stack_.push_back(saved_[c.saved_at + i]);
      NoteHeight();
      saved_.resize(c.saved_at);
      EmitMovesTo(c.height, c.nparams);  // falls into the label: an edge without the jump
      EmitFixup(ci);
      BindLabel(ci);
      for (uint32_t i = 0; i < c.nresults; ++i) PushStack(ResultType(c, i));
      break;
    }
  }
  ctrl_.pop_back();
  block_types_.resize(c.types_at);
  skip_depth_ = 0;
  if (parent_unreachable) SetUnreachable();
  return Ok();
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitEdge(Ctrl& t, bool cold) {
  if (t.kind == CtrlKind::kFunction) return EmitReturn();
  EmitMovesTo(t.height, t.arity());
  if (t.kind != CtrlKind::kLoop) t.label_used = true;
  if (cold && !t.state_set && cache_regs_.empty()) {
    // The label's state comes from a later (hot) edge: the stub loads it once it is known.
    EdgeStub s;
    s.stub = m_.NewLabel();
    s.target = t.label;
    s.ctrl = static_cast<uint32_t>(&t - ctrl_.data());
    open_stubs_.push_back(static_cast<uint32_t>(edge_stubs_.size()));
    edge_stubs_.push_back(s);
    m_.Jump(s.stub);
    return;
  }
  EmitFixup(t);
  m_.Jump(t.label);
}

template <MacroAssembler Masm>
bool BaselineCompiler<Masm>::DirectEdge(Ctrl& t) {
  return t.kind != CtrlKind::kFunction && (t.arity() == 0 || InPlace(t.height, t.arity())) &&
         !NeedsFixup(t);
}

template <MacroAssembler Masm>
template <typename Branch>
void BaselineCompiler<Masm>::EmitCondEdge(Ctrl& t, Branch branch) {
  if (DirectEdge(t)) {
    branch(true, t.label);
    if (t.kind != CtrlKind::kLoop) t.label_used = true;
    return;
  }
  // The edge's moves and fix-ups on the taken path only (the state after is the fallthrough's).
  Label skip = m_.NewLabel();
  branch(false, skip);
  EmitEdge(t);
  m_.Bind(skip);
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::BindLabel(Ctrl& c) {
  DropTo(c.height);
  DropCache();
  m_.Bind(c.label);
  if (c.state_set) SetCacheState(c.state_at, c.state_count);
  // Stubs of cold edges into this label: its state is final now (empty if no edge set it).
  auto index = static_cast<uint32_t>(&c - ctrl_.data());
  size_t out = 0;
  for (uint32_t i : open_stubs_) {
    EdgeStub& s = edge_stubs_[i];
    if (s.ctrl != index) {
      open_stubs_[out++] = i;
      continue;
    }
    if (c.state_set) {
      s.state_at = c.state_at;
      s.state_count = c.state_count;
    }
    s.resolved = true;
  }
  open_stubs_.resize(out);
  BeginFuelSegment(reader_.Offset());
}

// After the body: the stubs of cold edges (every local in memory on them) load the cached
// locals of their label's state.
template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitEdgeStubs() {
  for (const EdgeStub& s : edge_stubs_) {
    if (!s.resolved) return Internal("edge stub without a bound label");
    m_.Bind(s.stub);
    for (uint32_t i = 0; i < s.state_count; ++i) {
      const CacheEntry& e = label_states_[s.state_at + i];
      m_.Load(local_types_[e.local], e.reg, LocalMem(e.local));
    }
    m_.Jump(s.target);
  }
  return Ok();
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitBr(uint32_t depth) {
  EmitEdge(Target(depth));
  SetUnreachable();
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitBrIf(uint32_t depth, const Condition* fused) {
  Condition cond = fused ? *fused : PopCondition();
  EmitCondEdge(Target(depth), [&](bool when, Label l) { BranchOn(cond, when, l); });
  FreeCondition(cond);
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitBrTable(const Instr& in) {
  Reg index = PopToReg();
  // Labels per distinct depth; stamps avoid clearing a per-depth array for every br_table.
  if (depth_labels_.size() < ctrl_.size()) {
    depth_labels_.resize(ctrl_.size());
    depth_stamps_.resize(ctrl_.size(), 0);
  }
  ++brtable_stamp_;
  stub_depths_.clear();
  table_labels_.clear();
  for (uint32_t depth : in.targets) {
    Label& l = depth_labels_[depth];
    if (depth_stamps_[depth] != brtable_stamp_) {
      depth_stamps_[depth] = brtable_stamp_;
      Ctrl& t = Target(depth);
      if (DirectEdge(t)) {
        l = t.label;
        if (t.kind != CtrlKind::kLoop) t.label_used = true;
      } else {
        l = m_.NewLabel();
        stub_depths_.push_back(depth);
      }
    }
    table_labels_.push_back(l);
  }
  m_.JumpTable(index, table_labels_);
  FreeReg(index);
  for (uint32_t depth : stub_depths_) {
    m_.Bind(depth_labels_[depth]);
    EmitEdge(Target(depth));
  }
  SetUnreachable();
}

}  // namespace wt::jit
