// BaselineCompiler: locals and their register cache (see the comment in baseline_compiler.h).
// Included by baseline_compiler.h.
#pragma once

#include <algorithm>

#include "jit/baseline_compiler.h"

namespace wt::jit {

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::CacheLocal(uint32_t l, Reg r, bool dirty) {
  if (IsCached(l)) {
    Reg old = CacheReg(l);
    if (!(old == r)) {
      cache_regs_ = cache_regs_.without(old);
      cache_dirty_ = cache_dirty_.without(old);
      FreeReg(old);
    }
  }
  local_reg_[l] = r.code;
  reg_local_[r.code] = l;
  cache_regs_ = cache_regs_.with(r);
  cache_dirty_ = dirty ? cache_dirty_.with(r) : cache_dirty_.without(r);
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::UncacheLocal(uint32_t l) {
  if (!IsCached(l)) return;
  Reg r = CacheReg(l);
  cache_regs_ = cache_regs_.without(r);
  cache_dirty_ = cache_dirty_.without(r);
  local_reg_[l] = kNotCached;
  FreeReg(r);
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EvictCacheReg(Reg r) {
  uint32_t l = reg_local_[r.code];
  if (cache_dirty_.has(r)) m_.Store(local_types_[l], LocalMem(l), r);
  UncacheLocal(l);
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::WriteBackDirty() {
  for (RegSet d = cache_dirty_; !d.empty(); d = d.without(d.First())) {
    Reg r = d.First();
    uint32_t l = reg_local_[r.code];
    m_.Store(local_types_[l], LocalMem(l), r);
  }
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::DropCache() {
  for (RegSet c = cache_regs_; !c.empty(); c = c.without(c.First())) {
    Reg r = c.First();
    local_reg_[reg_local_[r.code]] = kNotCached;
    FreeReg(r);
  }
  cache_regs_ = RegSet();
  cache_dirty_ = RegSet();
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::PrecacheLoopLocals() {
  constexpr uint32_t kMaxScan = 512;   // instructions per loop
  constexpr uint32_t kMaxLocals = 16;  // distinct locals tracked
  scan_complete_ = false;
  scan_written_.clear();
  if (scan_budget_ == 0 || reader_.AtEnd()) return;
  uint32_t from = reader_.Offset();
  scan_reader_.Reset(std::span<const uint8_t>(module_.bytes).subspan(from, body_end_ - from), from);
  scan_counts_.clear();
  uint32_t depth = 0;
  for (uint32_t n = 0; n < kMaxScan && scan_budget_ > 0 && !scan_reader_.AtEnd(); ++n) {
    --scan_budget_;
    if (!scan_reader_.Next(&scan_instr_).ok()) break;
    switch (scan_instr_.op) {
      case Op::Block:
      case Op::Loop:
      case Op::If:
      case Op::TryTable:  // [exceptions]
      case Op::Try:
        ++depth;
        break;
      case Op::End:
      case Op::Delegate:   // [exceptions] legacy: ends a try
        if (depth == 0) {  // the loop's end
          n = kMaxScan;
          scan_complete_ = true;
        }
        --depth;
        break;
      case Op::Call:
      case Op::CallIndirect:
        return;  // calls flush the cache anyway
      case Op::LocalGet:
      case Op::LocalSet:
      case Op::LocalTee: {
        uint32_t l = scan_instr_.a;
        // Not validated yet (ModuleEnv::validator): an unknown local means an invalid body,
        // which fails when the walk reaches it.
        if (l >= local_types_.size()) return;
        bool found = false;
        for (auto& e : scan_counts_)
          if (e.second == l) {
            ++e.first;
            found = true;
          }
        if (!found && scan_counts_.size() < kMaxLocals) scan_counts_.push_back({1, l});
        if (scan_instr_.op != Op::LocalGet &&
            std::find(scan_written_.begin(), scan_written_.end(), l) == scan_written_.end()) {
          if (scan_written_.size() >= 64) return;  // too many to track: stay conservative
          scan_written_.push_back(l);
        }
        break;
      }
      default:
        break;
    }
  }
  std::sort(scan_counts_.begin(), scan_counts_.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  // Leave enough registers for the value stack.
  constexpr int kKeepFreeGp = 5, kKeepFreeFp = 4;
  for (const auto& [uses, l] : scan_counts_) {
    (void)uses;
    if (IsCached(l)) continue;
    JType t = local_types_[l];
    RegClass c = ClassOf(t);
    if ((free_ & Allocatable(c)).Count() <= (c == RegClass::kFp ? kKeepFreeFp : kKeepFreeGp))
      continue;
    Reg r = AllocReg(c);
    m_.Load(t, r, LocalMem(l));
    CacheLocal(l, r, false);
  }
}

// The header keeps the cached locals the loop writes dirty (their frame slots may be stale):
// back-edges then never store them; paths leaving the loop write them back. Without a complete
// look-ahead every cached local counts as written.
template <MacroAssembler Masm>
void BaselineCompiler<Masm>::SaveLoopState(Ctrl* c) {
  if (!scan_complete_) {
    cache_dirty_ = cache_regs_;
  } else {
    for (uint32_t l : scan_written_)
      if (IsCached(l)) cache_dirty_ = cache_dirty_.with(CacheReg(l));
  }
  SaveCacheState(&c->state_at, &c->state_count);
  c->state_set = true;
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::SaveCacheState(uint32_t* at, uint32_t* count) {
  *at = static_cast<uint32_t>(label_states_.size());
  for (RegSet rs = cache_regs_; !rs.empty(); rs = rs.without(rs.First())) {
    Reg r = rs.First();
    label_states_.push_back(CacheEntry{reg_local_[r.code], r, cache_dirty_.has(r)});
  }
  *count = static_cast<uint32_t>(label_states_.size()) - *at;
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::SetCacheState(uint32_t at, uint32_t count) {
  DropCache();
  for (uint32_t i = 0; i < count; ++i) {
    const CacheEntry& e = label_states_[at + i];
    TakeReg(e.reg);
    CacheLocal(e.local, e.reg, e.dirty);
  }
}

template <MacroAssembler Masm>
bool BaselineCompiler<Masm>::MatchesState(uint32_t at, uint32_t count) const {
  const CacheEntry* h = label_states_.data() + at;
  // Every label local must be in its register now; every dirty local must be dirty there.
  RegSet label_dirty;
  for (uint32_t i = 0; i < count; ++i) {
    if (local_reg_[h[i].local] != h[i].reg.code) return false;
    if (h[i].dirty) label_dirty = label_dirty.with(h[i].reg);
  }
  return (cache_dirty_ - label_dirty).empty();
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::ConformTo(uint32_t at, uint32_t count) {
  const CacheEntry* h = label_states_.data() + at;
  auto label_entry = [&](uint32_t l) -> const CacheEntry* {
    for (uint32_t i = 0; i < count; ++i)
      if (h[i].local == l) return &h[i];
    return nullptr;
  };
  // 1. Write back the dirty locals the label does not keep dirty in a register.
  for (RegSet d = cache_dirty_; !d.empty(); d = d.without(d.First())) {
    Reg r = d.First();
    uint32_t l = reg_local_[r.code];
    const CacheEntry* e = label_entry(l);
    if (!e || !e->dirty) m_.Store(local_types_[l], LocalMem(l), r);
  }
  // 2. Register-to-register moves into the label's registers (a parallel move: cycles are
  //    broken with swaps).
  pending_moves_.clear();
  for (uint32_t i = 0; i < count; ++i) {
    if (IsCached(h[i].local) && !(CacheReg(h[i].local) == h[i].reg))
      pending_moves_.push_back({CacheReg(h[i].local), h[i].reg});
  }
  while (!pending_moves_.empty()) {
    bool progress = false;
    for (size_t i = 0; i < pending_moves_.size();) {
      Reg dst = pending_moves_[i].second;
      bool blocked = false;
      for (const auto& m : pending_moves_)
        if (m.first == dst) blocked = true;
      if (blocked) {
        ++i;
        continue;
      }
      JType t = dst.is_fp() ? JType::kF64 : JType::kI64;
      m_.Move(t, dst, pending_moves_[i].first);
      pending_moves_.erase(pending_moves_.begin() + static_cast<ptrdiff_t>(i));
      progress = true;
    }
    if (progress || pending_moves_.empty()) continue;
    // Only cycles remain: swap the first move's registers; its destination is then done and
    // the value that was there now sits in its source.
    auto [src, dst] = pending_moves_.front();
    m_.Swap(dst.is_fp() ? JType::kF64 : JType::kI64, src, dst);
    pending_moves_.erase(pending_moves_.begin());
    for (auto& m : pending_moves_)
      if (m.first == dst) m.first = src;
  }
  // 3. Loads of label locals not cached now (their frame slots are current).
  for (uint32_t i = 0; i < count; ++i)
    if (!IsCached(h[i].local)) m_.Load(local_types_[h[i].local], h[i].reg, LocalMem(h[i].local));
}

template <MacroAssembler Masm>
bool BaselineCompiler<Masm>::NextIsLocalSet(uint32_t l) const {
  if (reader_.AtEnd()) return false;
  size_t pos = reader_.Offset();
  const wasm::ModuleBytes& b = module_.bytes;
  if (pos >= body_end_ || b[pos] != 0x21) return false;  // local.set
  uint64_t v = 0;
  for (unsigned shift = 0; shift < 35; shift += 7) {
    if (++pos >= body_end_) return false;
    v |= static_cast<uint64_t>(b[pos] & 0x7F) << shift;
    if (!(b[pos] & 0x80)) return v == l;
  }
  return false;
}

template <MacroAssembler Masm>
bool BaselineCompiler<Masm>::InPlaceTarget(uint32_t rhs_entries, uint32_t* local) const {
  const VarState& lhs = stack_[height() - 1 - rhs_entries];
  if (lhs.loc != Loc::kLocal || !IsCached(lhs.bits)) return false;
  auto l = static_cast<uint32_t>(lhs.bits);
  // Only the operands may refer to the local (the right one is read before the write).
  uint32_t refs = 1;
  for (uint32_t i = 0; i < rhs_entries; ++i) {
    const VarState& r = stack_[height() - 1 - i];
    if (r.loc == Loc::kLocal && r.bits == l) ++refs;
  }
  if (local_refs_[l] != refs || !NextIsLocalSet(l)) return false;
  *local = l;
  return true;
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::FinishInPlace(uint32_t l) {
  cache_dirty_ = cache_dirty_.with(CacheReg(l));
  // The local.set (its encoding already checked; with a validator, validated here: it sets
  // the local the operation read, with the operation's result, so it is always valid).
  if (Status st = ReadInstr(&next_instr_); !st.ok()) deferred_invalid_ = std::move(st);
  if (env_.consume_fuel) CountFuel();  // [traps] fuel: it is an instruction too
}

// Lazy: the entry stands for the local's current value until it is consumed or the local
// changes.
template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitLocalGet(uint32_t i) {
  PushLocal(local_types_[i], i);
}

// The new value goes into the local's cache register (it keeps a stable home while cached,
// so loop back-edges need no moves), or becomes the cache register.
template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitLocalSet(uint32_t i, bool tee) {
  JType t = local_types_[i];
  RegClass c = ClassOf(t);
  {
    const VarState& top = stack_.back();
    if (top.loc == Loc::kLocal && top.bits == i) {  // local.get i; local.set i
      if (!tee) Pop();
      return;
    }
  }
  MaterializeRefsOf(i);  // entries that still stand for the old value
  VarState v = stack_.back();
  if (IsCached(i)) {
    Reg home = CacheReg(i);
    LoadVar(v, height() - 1, home);
    cache_dirty_ = cache_dirty_.with(home);
    if (!tee) Drop();
    return;
  }
  if (v.loc == Loc::kConst && !PlentyOfRegs(c)) {
    StoreConstVar(v, LocalMem(i));
    if (!tee) Pop();
    return;
  }
  if (!tee) {
    CacheLocal(i, PopToReg(), true);
    return;
  }
  // tee: the stack keeps its value; the cache gets a copy.
  RegSet pinned;
  if (v.loc == Loc::kReg) pinned = RegSet::Of(v.reg);
  if (v.loc == Loc::kLocal && IsCached(v.bits)) pinned = RegSet::Of(CacheReg(v.bits));
  Reg r = AllocReg(c, pinned);
  LoadVar(stack_.back(), height() - 1, r);
  CacheLocal(i, r, true);
}

}  // namespace wt::jit
