// BaselineCompiler: exceptions ([exceptions], docs/exceptions.md): throw, throw_ref, try_table
// and the handler data of call sites inside try scopes. Included by baseline_compiler.h.
//
// Nothing runs when nothing throws. A try_table is a block (entering it spills every register,
// so the entries below it sit in their frame slots or are constants); every call site inside it
// (wasm calls, builtin calls, throw itself) flushes the local cache, so at each of them the
// locals are in their frame slots too: that is the frame state each landing pad starts from.
// Each such call site's stack map ends with the sentinel offset runtime::exn::kHandlerSentinel and
// is followed by [frame bytes, clause count, (tag, kind, pad - return address)...], the clauses of
// every enclosing try scope of the function, innermost first. The runtime's unwinder
// (runtime/exn/exception.cpp) matches the tag and jumps to the pad with fp and sp restored and
// the exception in the return register; the pad reloads vmctx and the memory base, unpacks the
// payload and branches to the clause's label like a br.
#pragma once

#include "jit/baseline_compiler.h"
#include "runtime/builtins.h"
#include "runtime/exn/exception.h"

namespace wt::jit {

template <MacroAssembler Masm>
const wasm::FuncType* BaselineCompiler<Masm>::TagSig(uint32_t tag) const {
  if (tag >= module_.tags.size()) return nullptr;
  return module_.GetFuncType(module_.tags[tag].type.type_index);
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitThrow(const Instr& in) {
  const wasm::FuncType* sig = TagSig(in.a);
  if (sig == nullptr) return Internal("throw: tag type is not a function type");
  PrepareCallArgs(*sig);
  m_.Move(JType::kRef, Masm::CArgGp(0), Masm::kVmctx);
  m_.LoadConst(JType::kI64, Masm::CArgGp(1), in.a);
  m_.Move(JType::kRef, Masm::CArgGp(2), Masm::kSp);
  m_.CallBuiltin(reinterpret_cast<const void*>(&wt_throw));
  RecordCallSite(in.offset);
  SetUnreachable();
  return Ok();
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitTryTable(const Instr& in) {
  WT_TRY(EmitBlock(in, CtrlKind::kBlock));
  TryScope s;
  s.ctrl = static_cast<uint32_t>(ctrl_.size() - 1);
  s.first_clause = static_cast<uint32_t>(try_clauses_.size());
  s.parent = active_tries_.empty() ? UINT32_MAX : active_tries_.back();
  for (const wasm::CatchClause& cc : in.catches) {
    TryClause t;
    t.kind = static_cast<int32_t>(cc.kind);
    t.tag = (cc.kind == wasm::CatchClause::Kind::kCatch ||
             cc.kind == wasm::CatchClause::Kind::kCatchRef)
                ? static_cast<int32_t>(cc.tag)
                : -1;
    t.depth = cc.label;
    t.pad = m_.NewLabel();
    try_clauses_.push_back(t);
  }
  s.num_clauses = static_cast<uint32_t>(in.catches.size());
  active_tries_.push_back(static_cast<uint32_t>(try_scopes_.size()));
  try_scopes_.push_back(s);
  return Ok();
}

// The try_table's end: the fallthrough path jumps over the landing pads to the end label (the
// first edge into it: the label keeps the fallthrough's cache). Each pad branches to its
// clause's label like a br.
template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitTryTableEnd() {
  const TryScope s = try_scopes_[active_tries_.back()];
  active_tries_.pop_back();
  {
    Ctrl& c = ctrl_.back();
    if (!c.unreachable) EmitEdge(c);
    c.label_used = true;
    c.unreachable = true;
    DropTo(c.height);
    DropCache();
  }
  const uint32_t base = ctrl_.back().height;
  for (uint32_t i = 0; i < s.num_clauses; ++i) {
    const TryClause& cl = try_clauses_[s.first_clause + i];
    WT_TRY(EmitCatchClause(cl, false));
    // The clause's label counts from the try_table's enclosing block (still on ctrl_: +1).
    EmitEdge(Target(cl.depth + 1), /*cold=*/true);
    DropTo(base);
    DropCache();
  }
  return Ok();
}

// A landing pad: every local is in its frame slot there (each call site in a try scope
// flushes the cache), the cache is empty; the edge out of it loads what its label expects.
template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitCatchClause(const TryClause& cl, bool legacy) {
  m_.Bind(cl.pad);
  m_.RestoreVmctx();  // first: the fuel check reads the store context through vmctx
  m_.ReloadMemBase();
  BeginFuelSegment(reader_.Offset());
  const Reg e = Masm::kReturnGp;  // the exception (wt_exn_resume)
  TakeReg(e);
  const uint32_t hidden = height();
  if (legacy) PushReg(JType::kRef, e);  // the hidden entry: the caught exception (rethrow)
  if (cl.kind == runtime::exn::kCatch || cl.kind == runtime::exn::kCatchRef) {
    const wasm::FuncType* sig = TagSig(static_cast<uint32_t>(cl.tag));
    if (sig == nullptr) return Internal("catch: tag type is not a function type");
    Reg p = AllocReg(RegClass::kGp, RegSet::Of(e));
    m_.Load(JType::kRef, p, Mem{e, runtime::exn::kGcHeaderPayload});
    for (size_t i = 0; i < sig->params.size(); ++i) {
      JType k = KindOf(sig->params[i]);
      Reg r = AllocReg(ClassOf(k), RegSet::Of(e, p));
      m_.Load(k, r, Mem{p, runtime::exn::kExnValues + 16 * static_cast<int32_t>(i)});
      PushReg(k, r);
    }
    FreeReg(p);
  }
  if (legacy) {
    SpillEntry(hidden);  // rethrow reads it from its slot
    return Ok();
  }
  if (cl.kind == runtime::exn::kCatchRef || cl.kind == runtime::exn::kCatchAllRef)
    PushReg(JType::kRef, e);
  else
    FreeReg(e);
  return Ok();
}

// RecordCallSite inside a try scope: the stack map `map` (UINT32_MAX: none) gets the sentinel
// and the handler data (pad offsets and the frame size patched in FinishHandlers).
template <MacroAssembler Masm>
uint32_t BaselineCompiler<Masm>::AddHandlerData(uint32_t map) {
  std::vector<int32_t>& maps = *stack_maps_;
  if (map == UINT32_MAX) {
    map = static_cast<uint32_t>(maps.size());
    maps.push_back(0);
  }
  // GcStackMap's map is the last one: extend it with the sentinel offset.
  maps.push_back(runtime::exn::kHandlerSentinel);
  ++maps[map];
  frame_fixups_.push_back(static_cast<uint32_t>(maps.size()));
  maps.push_back(0);
  auto count_at = static_cast<uint32_t>(maps.size());
  maps.push_back(0);
  int32_t count = 0;
  const uint32_t ret = m_.Offset();
  for (uint32_t si = active_tries_.back(); si != UINT32_MAX; si = try_scopes_[si].parent) {
    const TryScope& s = try_scopes_[si];
    for (uint32_t i = 0; i < s.num_clauses; ++i) {
      const TryClause& cl = try_clauses_[s.first_clause + i];
      maps.push_back(cl.tag);
      maps.push_back(cl.kind);
      pad_fixups_.push_back(PadFixup{static_cast<uint32_t>(maps.size()), ret, cl.pad});
      maps.push_back(0);
      ++count;
    }
  }
  maps[count_at] = count;
  return map;
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::FinishHandlers(uint32_t frame_bytes) {
  if (stack_maps_ != nullptr) {
    for (uint32_t at : frame_fixups_) (*stack_maps_)[at] = static_cast<int32_t>(frame_bytes);
    for (const PadFixup& f : pad_fixups_)
      (*stack_maps_)[f.at] =
          static_cast<int32_t>(m_.LabelOffset(f.pad)) - static_cast<int32_t>(f.return_offset);
  }
  ResetHandlers();
}

// --- Legacy exceptions ------------------------------------------------------------------

// The clauses of the legacy try just entered (on top of ctrl_): its body's catches at depth 0
// (read ahead: call sites in the body need them before the catches are compiled), and, for a
// try ... delegate N, its parent scope: the innermost open scope at or outside label N.
template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::ScanLegacyTry(TryScope* s) {
  uint32_t from = reader_.Offset();
  scan_reader_.Reset(std::span<const uint8_t>(module_.bytes).subspan(from, body_end_ - from), from);
  uint32_t depth = 0;
  while (!scan_reader_.AtEnd()) {
    if (!scan_reader_.Next(&scan_instr_).ok()) return Ok();  // the walk reports it later
    switch (scan_instr_.op) {
      case Op::Block:
      case Op::Loop:
      case Op::If:
      case Op::Try:
      case Op::TryTable:
        ++depth;
        break;
      case Op::End:
        if (depth == 0) return Ok();
        --depth;
        break;
      case Op::Delegate:
        if (depth == 0) {
          // Label N counts from the try's enclosing block (the try is on top of ctrl_).
          uint32_t n = scan_instr_.a;
          if (n + 2 > ctrl_.size()) return Ok();  // invalid: the validator reports it
          uint32_t target = static_cast<uint32_t>(ctrl_.size()) - 2 - n;
          s->parent = UINT32_MAX;
          for (auto it = active_tries_.rbegin(); it != active_tries_.rend(); ++it) {
            const TryScope& o = try_scopes_[*it];
            // A try at the label itself takes it; any other block: the next scope outside.
            if (o.ctrl < target || (o.ctrl == target && o.legacy)) {
              s->parent = *it;
              break;
            }
          }
          return Ok();
        }
        --depth;
        break;
      case Op::Catch:
      case Op::CatchAll:
        if (depth == 0) {
          TryClause t;
          // Legacy catches keep the exception (rethrow): the "_ref" kinds.
          t.kind =
              scan_instr_.op == Op::Catch ? runtime::exn::kCatchRef : runtime::exn::kCatchAllRef;
          t.tag = scan_instr_.op == Op::Catch ? static_cast<int32_t>(scan_instr_.a) : -1;
          t.pad = m_.NewLabel();
          try_clauses_.push_back(t);
          ++s->num_clauses;
        }
        break;
      default:
        break;
    }
  }
  return Ok();
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitLegacyTry(const Instr& in) {
  WT_TRY(EmitBlock(in, CtrlKind::kBlock));
  TryScope s;
  s.ctrl = static_cast<uint32_t>(ctrl_.size() - 1);
  s.first_clause = static_cast<uint32_t>(try_clauses_.size());
  s.next_clause = s.first_clause;
  s.parent = active_tries_.empty() ? UINT32_MAX : active_tries_.back();
  s.legacy = true;
  WT_TRY(ScanLegacyTry(&s));
  auto index = static_cast<uint32_t>(try_scopes_.size());
  try_scopes_.push_back(s);
  active_tries_.push_back(index);
  legacy_tries_.push_back(index);
  return Ok();
}

// catch / catch_all: the previous part (the body or a catch block) ends like a block's end
// (results to the end label), then the clause's landing pad starts the catch block.
template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitLegacyCatch(const Instr& in) {
  uint32_t si = TopLegacyTry();
  if (si == UINT32_MAX) return Internal("catch without a try");
  TryScope& s = try_scopes_[si];
  if (!s.in_catch) {
    s.in_catch = true;  // code in catch blocks is not protected by this try
    if (!active_tries_.empty() && active_tries_.back() == si) active_tries_.pop_back();
  }
  Ctrl& c = ctrl_.back();
  if (!c.unreachable) EmitEdge(c);
  c.label_used = true;
  c.unreachable = false;
  skip_depth_ = 0;
  DropTo(c.height);
  DropCache();
  if (s.next_clause >= s.first_clause + s.num_clauses) return Internal("catch not read ahead");
  const TryClause cl = try_clauses_[s.next_clause++];
  if ((in.op == Op::Catch) != (cl.kind == runtime::exn::kCatchRef))
    return Internal("catch clauses out of order");
  return EmitCatchClause(cl, true);
}

// The end of a legacy try (`end` or `delegate`): no longer a scope; the block's end follows
// (its label is used: the hidden entry of a catch block must go).
template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitLegacyTryEnd() {
  uint32_t si = TopLegacyTry();
  legacy_tries_.pop_back();
  if (!active_tries_.empty() && active_tries_.back() == si) active_tries_.pop_back();
  Ctrl& c = ctrl_.back();
  if (!c.unreachable) EmitEdge(c);
  c.label_used = true;
  c.unreachable = true;
  return Ok();
}

// rethrow N: label N is a catch block; its exception is the hidden entry at its height.
template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitRethrow(uint32_t depth) {
  const Ctrl& t = Target(depth);
  if (t.height >= height() || stack_[t.height].type != JType::kRef)
    return Internal("rethrow: no caught exception");
  Reg r = AllocReg(RegClass::kGp);
  m_.Load(JType::kRef, r, SlotMem(t.height));
  PushReg(JType::kRef, r);
  CallBuiltin(reinterpret_cast<const void*>(&wt_throw_ref), {}, 1, false);
  SetUnreachable();
  return Ok();
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitException(const Instr& in, bool* handled) {
  *handled = true;
  switch (in.op) {
    case Op::Throw:
      return EmitThrow(in);
    case Op::ThrowRef:
      CallBuiltin(reinterpret_cast<const void*>(&wt_throw_ref), {}, 1, false);
      SetUnreachable();
      return Ok();
    case Op::TryTable:
      return EmitTryTable(in);
    case Op::Try:
      return EmitLegacyTry(in);
    case Op::Catch:
    case Op::CatchAll:
      return EmitLegacyCatch(in);
    case Op::Delegate:
      return EmitEnd();
    case Op::Rethrow:
      return EmitRethrow(in.a);
    default:
      *handled = false;
      return Ok();
  }
}

}  // namespace wt::jit
