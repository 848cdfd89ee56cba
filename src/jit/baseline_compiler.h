// BaselineCompiler<Masm>: a single pass over a validated function body emitting machine code
// through a MacroAssembler (jit/masm.h).
//
// The value stack is Liftoff-style: each entry (VarState) is a constant, a register or its own
// spill slot in the frame (VarState::slot, fixed when the entry is pushed: the slots after the
// entry below; a v128 takes two). Constants fold into immediates,
// registers come from a free list and are spilled one at a time (the lowest entry first) when
// the list is empty. Control flow:
// - entering a block/loop/if spills every register (entries below a block's height are never in
//   registers, so they look the same on every path into the block's label);
// - a branch stores the label's values into the target's canonical slots (where entries
//   pushed at the label's height live) and jumps; at a label every register is free;
// - a block whose label no branch used keeps its results wherever they are (no merge needed).
// Locals live in their frame slots (params in the caller's outgoing area, see abi.h);
// local.get loads into a register.
//
// The module must have been validated (wasm::ValidateModule), or ModuleEnv::validator must be
// set: then every instruction the compiler decodes (including the br_if / if / local.set it
// reads ahead for fusion and the dead code it skips) goes through FuncValidator::Step before
// the compiler acts on it (the "fused walk": each body is decoded once). The compiler itself
// tracks only what code generation needs (value kinds, control frames).
//
// The opcode families live in compiler_*.h (included at the bottom); one translation unit per
// ISA instantiates the template (jit/x64/compile_x64.cpp).
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "jit/abi.h"
#include "jit/compiler.h"
#include "jit/feature_check.h"
#include "jit/masm.h"
#include "jit/masm_simd.h"
#include "runtime/vmctx.h"
#include "util/result.h"
#include "wasm/code_reader.h"
#include "wasm/func_validator.h"
#include "wasm/module.h"

namespace wt::jit {

// Where a value-stack entry is: its own spill slot, a register, a constant, or "the current
// value of local N" (local.get pushes that lazily; the entry is materialized before the local
// changes, at block entries and whenever it must be somewhere else).
enum class Loc : uint8_t { kStack, kReg, kConst, kLocal };

struct VarState {
  JType type = JType::kI32;
  Loc loc = Loc::kStack;
  Reg reg;
  uint32_t slot = 0;  // the first frame slot of its spill home (abi::FrameSlotOffset)
  uint64_t bits = 0;  // kConst: the value (float bits for f32/f64; i32 in the low 32 bits;
                      // v128: an index into the function's v128 constants);
                      // kLocal: the local's index
};
static_assert(std::is_trivially_copyable_v<VarState>);
static_assert(sizeof(VarState) == 16);

// What every function of a module shares.
struct ModuleEnv {
  const wasm::Module* module = nullptr;
  // Per defined function: its label in this Masm, created on first use (a call, or the
  // function's own start) by BaselineCompiler::FuncLabel; invalid until then.
  std::vector<Label>* func_labels = nullptr;
  // CompileOptions::consume_fuel / epoch_interruption (docs/traps-limits.md).
  bool consume_fuel = false;
  bool epoch_interruption = false;
  // If set, bodies are validated as they are compiled (one decode per instruction); the
  // reader then decodes with the validator's features. Errors are the validator's, exactly
  // as wasm::ValidateFunctionBody reports them, as long as the body is valid up to the
  // failing instruction (CompileModuleWith re-validates a body that failed to compile).
  wasm::FuncValidator* validator = nullptr;
  // [lazy] If set, each defined function whose label FuncLabel creates (the compiled function
  // itself and its direct callees) is appended here, so a lazy compile can reset the labels it
  // used and resolve its calls (jit/lazy_compile.h).
  std::vector<uint32_t>* used_funcs = nullptr;
};

template <MacroAssembler Masm>
class BaselineCompiler {
 public:
  BaselineCompiler(Masm& masm, const ModuleEnv& env);

  // Compiles defined function `func_index` (a module function index) at the current position
  // (its label in *env.func_labels is bound here) and appends its trap sites.
  Status CompileFunction(uint32_t func_index, std::vector<TrapSite>* traps);
  // Where RecordCallSite appends the call-site table (set before compiling; may stay null).
  void set_call_sites(std::vector<CallSite>* out) { call_sites_ = out; }
  // [gc] Where the stack maps of the call sites go (CodeObject::stack_maps; may stay null).
  void set_stack_maps(std::vector<int32_t>* out) { stack_maps_ = out; }

 private:
  using Op = wasm::Op;
  using Instr = wasm::Instr;

  enum class CtrlKind : uint8_t { kFunction, kBlock, kLoop, kIf, kElse };
  struct Ctrl {
    CtrlKind kind = CtrlKind::kBlock;
    bool unreachable = false;  // the rest of this block is dead code (skipped)
    bool label_used = false;   // a branch targets the end label
    uint32_t height = 0;       // value-stack height at entry, below the params
    uint32_t nparams = 0;
    uint32_t nresults = 0;
    uint32_t types_at = 0;  // params then results in block_types_
    uint32_t saved_at = 0;  // kIf: the params' VarStates in saved_
    Label label;            // end label (header label for loops)
    Label else_label;       // kIf
    // The local cache every edge into `label` conforms to (entries in label_states_): a loop's
    // header state; a forward label's is the cache of the first edge emitted into it.
    bool state_set = false;
    uint32_t state_at = 0;
    uint32_t state_count = 0;
    uint32_t else_state_at = 0;  // kIf: the cache at the `if` (the else arm starts with it)
    uint32_t else_state_count = 0;
    uint32_t arity() const { return kind == CtrlKind::kLoop ? nparams : nresults; }
  };

  // --- Driver (this file) ---------------------------------------------------------------
  // Decodes the next instruction and, with a validator, validates it (before any code for it).
  [[gnu::always_inline]] Status ReadInstr(Instr* in) {
    WT_TRY(reader_.Next(in));
    if (validator_ != nullptr) return validator_->Step(*in);
    return Ok();
  }
  Status BeginValidation(uint32_t func_index, const wasm::Code& code);
  // The label of defined function `defined` (created on first use).
  Label FuncLabel(uint32_t defined) {
    Label& l = (*env_.func_labels)[defined];
    if (!l.valid()) {
      l = m_.NewLabel();
      if (env_.used_funcs) env_.used_funcs->push_back(defined);
    }
    return l;
  }
  Status FinishValidation();
  Status EmitInstr(const Instr& in);
  Status SkipDead(const Instr& in, bool* handled);
  Error Unsupported(const Instr& in) const;
  Error Internal(const char* what) const;

  // --- Value stack and registers --------------------------------------------------------
  uint32_t height() const { return static_cast<uint32_t>(stack_.size()); }
  // Frame slots (abi.h): the declared locals take slots [0, decl_words_), then every stack
  // entry k has its own spill home from stack_[k].slot, laid out in stack order after the
  // entries below it (a v128 at an odd slot). Without v128 values entry k is at slot
  // decl_words_ + k.
  Mem SlotMem(uint32_t k) const { return SlotMemOf(stack_[k]); }
  // The spill home of `v` (also of an entry already popped).
  static Mem SlotMemOf(const VarState& v) {
    return Mem{Masm::kFp, abi::FrameSlotOffset(v.slot, v.type)};
  }
  // The first slot after the entries below entry k.
  uint32_t SlotAfter(uint32_t k) const {
    return k == 0 ? decl_words_ : stack_[k - 1].slot + abi::SlotWords(stack_[k - 1].type);
  }
  Mem LocalMem(uint32_t i) const { return Mem{Masm::kFp, local_offset_[i]}; }
  // Outgoing call area slot `s` (abi::NextArgSlot).
  static Mem OutMem(uint32_t s) { return Mem{Masm::kSp, abi::kSlotSize * static_cast<int32_t>(s)}; }
  // Result i >= 1 of this function, in the caller's area.
  Mem ResultMem(uint32_t i) const {
    return Mem{Masm::kFp,
               abi::kIncomingArgsOffset + abi::kSlotSize * static_cast<int32_t>(result_slots_[i])};
  }
  // The JIT kind of a value type of a checked module (CheckModuleFeatures).
  static JType KindOf(const wasm::ValType& t) {
    auto r = JTypeOf(t);
    return r.ok() ? *r : JType::kI32;
  }
  static RegSet Allocatable(RegClass c) {
    return c == RegClass::kFp ? RegSet(Masm::kAllocatableFp) : RegSet(Masm::kAllocatableGp);
  }

  // The spill home of a new top entry of kind t, counted into max_slots_. Until the function's
  // first v128 stack entry every entry is scalar, so the slot is decl_words_ + height() (the
  // pre-SIMD layout) without reading the entry below; from it on, SlotAfter.
  uint32_t NewSlot(JType t) {
    if (static_cast<uint8_t>(t) < pre_v128_types_) [[likely]] {
      uint32_t s = decl_words_ + height();
      if (s >= max_slots_) max_slots_ = s + 1;
      return s;
    }
    return NewSlotAfterV128(t);
  }
  [[gnu::noinline, gnu::cold]] uint32_t NewSlotAfterV128(JType t) {
    pre_v128_types_ = 0;
    uint32_t s = abi::AlignFrameSlot(SlotAfter(height()), t);
    max_slots_ = std::max(max_slots_, s + abi::SlotWords(t));
    return s;
  }
  // Counts the top entry's slots into max_slots_ (for entries pushed without NewSlot).
  void NoteHeight() {
    if (stack_.empty()) return;
    const VarState& v = stack_.back();
    max_slots_ = std::max(max_slots_, v.slot + abi::SlotWords(v.type));
  }
  void PushReg(JType t, Reg r) {
    Own(r, height());
    stack_.push_back(VarState{t, Loc::kReg, r, NewSlot(t), 0});
  }
  void PushConst(JType t, uint64_t bits) {
    stack_.push_back(VarState{t, Loc::kConst, Reg::None(), NewSlot(t), bits});
  }
  // A v128 constant entry (its bits index v128_consts_).
  void PushConstV128(V128 v) {
    v128_consts_.push_back(v);
    PushConst(JType::kV128, v128_consts_.size() - 1);
  }
  V128 ConstV128(const VarState& v) const { return v128_consts_[v.bits]; }
  // A constant entry `v` -> register / memory.
  void LoadConstVar(const VarState& v, Reg dst) {
    if (v.type == JType::kV128)
      m_.LoadConstV128(dst, ConstV128(v));
    else
      m_.LoadConst(v.type, dst, v.bits);
  }
  void StoreConstVar(const VarState& v, Mem dst) {
    if (v.type == JType::kV128)
      m_.StoreConstV128(dst, ConstV128(v));
    else
      m_.StoreConst(v.type, dst, v.bits);
  }
  void PushStack(JType t) {
    stack_.push_back(VarState{t, Loc::kStack, Reg::None(), NewSlot(t), 0});
  }
  void PushLocal(JType t, uint32_t l) {
    ++local_refs_[l];
    ref_entries_.push_back(height());
    stack_.push_back(VarState{t, Loc::kLocal, Reg::None(), NewSlot(t), l});
  }
  // Pops the top entry; a register it held is then owned by the caller (not free).
  VarState Pop() {
    VarState v = stack_.back();
    stack_.pop_back();
    if (v.loc == Loc::kReg) {
      Disown(v.reg);
    } else if (v.loc == Loc::kLocal) {
      --local_refs_[v.bits];
      ref_entries_.pop_back();
    }
    return v;
  }
  void Drop() {
    VarState v = Pop();
    if (v.loc == Loc::kReg) FreeReg(v.reg);
  }
  void DropTo(uint32_t h) {
    while (height() > h) Drop();
  }

  Reg AllocReg(RegClass c, RegSet pinned = RegSet());
  Reg SpillForReg(RegClass c, RegSet pinned);
  void FreeReg(Reg r) { free_ = free_.with(r); }
  void TakeReg(Reg r) { free_ = free_.without(r); }
  // Registers held by stack entries, and which entry holds each.
  void Own(Reg r, uint32_t k) {
    stack_regs_ = stack_regs_.with(r);
    reg_owner_[r.code] = k;
  }
  void Disown(Reg r) { stack_regs_ = stack_regs_.without(r); }
  // Spills the register entries below `limit`.
  void SpillRegsBelow(uint32_t limit);
  void SpillEntry(uint32_t k);
  void SpillAllRegs();
  void MaterializeEntry(uint32_t k);  // reg or const -> its slot
  // Moves the stack entries held in `regs` elsewhere (another register or their slots).
  void EvictRegs(RegSet regs);
  // Pops the top entry into a register the caller then owns (and may overwrite).
  Reg PopToReg(RegSet pinned = RegSet());
  // Pops the top entry into a register the caller only reads: a cached local's register is
  // used in place (locked against eviction until Release).
  struct Operand {
    Reg reg;
    bool owned = true;
  };
  Operand PopForRead();
  void Release(const Operand& o) {
    if (o.owned)
      FreeReg(o.reg);
    else
      read_locked_ = read_locked_.without(o.reg);
  }
  // Writes `v` (stack entry `k`, possibly popped already: a kStack entry is read from its own
  // VarState::slot) to `dst` / puts it in register `dst`. No state change.
  void StoreVar(const VarState& v, uint32_t k, Mem dst);
  void LoadVar(const VarState& v, uint32_t k, Reg dst);
  // kLocal entries -> their own slots (all of them / those of local `l`).
  void MaterializeAllRefs();
  void MaterializeRefsOf(uint32_t l);

  // --- Local register cache (compiler_locals.h) ------------------------------------------
  // A cached local lives in a register owned by the cache (never shared with a stack entry:
  // local.get copies it). A dirty local's frame slot is stale. Every label has a cache state
  // (Ctrl::state_*): a loop header's is the cache at loop entry; a forward label's (block/if
  // end) is the cache of the first edge emitted into it, an else arm's the cache at the `if`.
  // Later edges conform to it (ConformTo: write-backs, a parallel move, loads). Calls and
  // builtin calls flush the cache (every register is caller-saved).
  struct CacheEntry {
    uint32_t local;
    Reg reg;
    bool dirty;
  };
  static constexpr uint8_t kNotCached = 0xFF;
  bool IsCached(uint32_t l) const { return local_reg_[l] != kNotCached; }
  Reg CacheReg(uint32_t l) const { return Reg{local_reg_[l]}; }
  // Caches local `l` in `r` (a register the caller owns), replacing any previous register.
  void CacheLocal(uint32_t l, Reg r, bool dirty);
  void UncacheLocal(uint32_t l);  // frees its register, no write-back
  void EvictCacheReg(Reg r);      // writes back if dirty, then uncaches
  void WriteBackDirty();          // code only: the stores; no state change
  void DropCache();               // state only: forget every cached local
  void FlushCache() {
    WriteBackDirty();
    DropCache();
  }
  bool PlentyOfRegs(RegClass c) const { return (free_ & Allocatable(c)).Count() >= 4; }
  // At loop entry: loads the locals the loop body uses most into cache registers (a bounded
  // look-ahead over the body; the total look-ahead per function is linear in its size).
  void PrecacheLoopLocals();
  void SaveLoopState(Ctrl* c);
  // `local.set l` follows the current instruction (peeked, not consumed)?
  bool NextIsLocalSet(uint32_t l) const;
  // x = x op y: if the left operand (entry height()-1-rhs_entries) is a cached local that the
  // next instruction sets and nothing else refers to, returns it (the caller computes into its
  // register and consumes the local.set).
  bool InPlaceTarget(uint32_t rhs_entries, uint32_t* local) const;
  void FinishInPlace(uint32_t l);
  // The current cache appended to label_states_ (*at, *count).
  void SaveCacheState(uint32_t* at, uint32_t* count);
  // State only: the cache becomes the saved state (every register must be free before).
  void SetCacheState(uint32_t at, uint32_t count);
  // True if an edge from here into a label with that state needs no fix-up code (its locals in
  // its registers, nothing dirty that it does not keep dirty).
  bool MatchesState(uint32_t at, uint32_t count) const;
  // Code only: writes back what the state does not keep dirty, moves cached locals into its
  // registers (a parallel move), loads the rest.
  void ConformTo(uint32_t at, uint32_t count);
  // The first edge into a forward label fixes its state: the current cache.
  void DecideLabelState(Ctrl& t) {
    SaveCacheState(&t.state_at, &t.state_count);
    t.state_set = true;
  }
  // Code an edge into `t` needs besides the label values (deciding t's state if it is the
  // first edge: then none).
  bool NeedsFixup(Ctrl& t) {
    if (!t.state_set) {
      DecideLabelState(t);
      return false;
    }
    return !MatchesState(t.state_at, t.state_count);
  }
  void EmitFixup(Ctrl& t) {
    if (!t.state_set)
      DecideLabelState(t);
    else
      ConformTo(t.state_at, t.state_count);
  }

  // --- Control (compiler_control.h) -----------------------------------------------------
  Status PushBlockTypes(const wasm::BlockType& bt, Ctrl* c);
  JType BlockType(const Ctrl& c, uint32_t i) const { return block_types_[c.types_at + i]; }
  JType ResultType(const Ctrl& c, uint32_t i) const {
    return block_types_[c.types_at + c.nparams + i];
  }
  Ctrl& Target(uint32_t depth) { return ctrl_[ctrl_.size() - 1 - depth]; }
  void SetUnreachable() { ctrl_.back().unreachable = true; }
  // Stores the top n values into the canonical slots starting at entry `target_height`.
  // Emits code only; the compiler state does not change (usable on conditional paths).
  void EmitMovesTo(uint32_t target_height, uint32_t n);
  bool InPlace(uint32_t target_height, uint32_t n) const;
  // Emits a return of the top values (no state change).
  void EmitReturn();
  // A condition not yet materialized: `lhs cond rhs` (or `lhs cond imm` when rhs is None),
  // from a comparison fused with the br_if / if / select that follows it. The registers are
  // owned or read-locked. A float comparison (type f32/f64) is `lhs op rhs` (cond unused).
  struct Condition {
    Op op = Op::Nop;  // the comparison (for materializing it), or Nop for a plain i32
    // The operands' type; kV128 for v128.any_true / i*x*.all_true (op) of the vector in lhs
    // (Masm::BranchSimd), cond kNe for the test itself, kEq for its i32.eqz.
    JType type = JType::kI32;
    Cond cond = Cond::kNe;
    Reg lhs;
    Reg rhs;
    int32_t imm = 0;
    bool lhs_owned = true;  // else a locked cache register (see PopForRead)
    bool rhs_owned = true;
  };
  Condition PopCondition();
  void BranchOn(const Condition& c, bool when, Label l);
  void FreeCondition(const Condition& c);
  // Emits `c` fused with a following br_if / if / select, or materializes it as an i32.
  Status EmitCondition(const Condition& c);
  void MaterializeCondition(const Condition& c);
  void EmitSelectCmp(const Condition& c);
  Status EmitBlock(const Instr& in, CtrlKind kind, const Condition* cond = nullptr);
  Status EmitElse();
  Status EmitEnd();
  // Edges into labels (one path for br, br_if, br_table, br_on_*, landing pads, fallthroughs):
  // the label's values to its canonical slots, the cache conformed to its state, the jump (a
  // return for the function). Code only (and t's bookkeeping). `cold`: a landing pad (empty
  // cache): into a forward label with no state yet, through an EdgeStub.
  void EmitEdge(Ctrl& t, bool cold = false);
  // A conditional branch can go straight to t's label (no moves, no fix-up).
  bool DirectEdge(Ctrl& t);
  // A conditional edge: branch(when, label) emits "jump to label if the condition is `when`".
  template <typename Branch>
  void EmitCondEdge(Ctrl& t, Branch branch);
  // Binds c's end label: the stack down to c.height, the cache of c's state.
  void BindLabel(Ctrl& c);
  Status EmitEdgeStubs();
  void EmitBr(uint32_t depth);
  void EmitBrIf(uint32_t depth, const Condition* cond = nullptr);
  void EmitBrTable(const Instr& in);

  // --- Numeric (compiler_numeric.h) -----------------------------------------------------
  void EmitIntBinop(Op op, JType t);
  void EmitIntDivRem(Op op, JType t, uint32_t wasm_offset);
  Status EmitIntCompare(Op op, JType t);
  Status EmitEqz(Op op, JType t);
  void EmitIntUnop(Op op, JType result);
  void EmitFloatBinop(Op op, JType t);
  void EmitFloatUnop(Op op, JType t);
  Status EmitFloatCompare(Op op, JType t);
  void EmitConvert(Op op, JType from, JType to, uint32_t wasm_offset);
  void EmitSelect();
  Status EmitNumeric(const Instr& in, bool* handled);
  // Every 0xFD (SIMD, relaxed SIMD) opcode (compiler_simd.h).
  Status EmitSimd(const Instr& in);

  // --- Variables and memory (compiler_memory.h) -----------------------------------------
  void EmitLocalGet(uint32_t i);
  void EmitLocalSet(uint32_t i, bool tee);
  void EmitGlobalGet(uint32_t i);
  void EmitGlobalSet(uint32_t i);
  bool AlwaysOutOfBounds(const Instr& in, uint32_t value_operands);
  void EmitLoad(const Instr& in, JType t);
  void EmitStore(const Instr& in);
  void EmitMemorySize(uint32_t memory);
  Status EmitMemory(const Instr& in, bool* handled);
  // [multi-memory, memory64] (compiler_memory.h, docs/memory64.md) The address operand of an
  // access to in.mem.memory, popped: what LoadMem/StoreMem/LoadMemV128/StoreMemV128 take (an
  // address register, or None with the whole address in `offset`). A 32-bit memory 0 is the
  // plain memory-0 path; otherwise the memory-base register was switched (and bounds-checked
  // for 64-bit memories), and EndMemAccess restores it after the access.
  struct MemAddr {
    Operand op;
    uint64_t offset = 0;
    bool switched = false;
  };
  bool IsMemory64(uint32_t memory) const;
  bool IsTable64(uint32_t table) const;  // [memory64] table64: i64 indices and sizes
  MemAddr PopMemAddr(const Instr& in);
  void EndMemAccess(const MemAddr& a);

  // --- Calls, references, tables, bulk memory (compiler_call.h) -------------------------
  void PrepareCallArgs(const wasm::FuncType& sig);
  Status PushCallResults(const wasm::FuncType& sig);
  Status EmitCall(uint32_t func_index);
  Status EmitCallIndirect(const Instr& in);
  // fn(vmctx, imms..., the top n_stack operands) -> optional result.
  void CallBuiltin(const void* fn, std::initializer_list<uint64_t> imms, uint32_t n_stack,
                   bool has_result, JType result = JType::kI32);
  void EmitTableSize(uint32_t table);
  Status EmitCallOrRef(const Instr& in, bool* handled);
  // Call-site table entry for the call just emitted (the return address is here).
  void RecordCallSite(uint32_t wasm_offset);

  // --- Typed function references (compiler_funcref.h, [wasm3] R) -------------------------
  Reg PrepareCallRef(const wasm::FuncType& sig, uint32_t wasm_offset);
  Status EmitCallRef(const Instr& in);
  void EmitRefAsNonNull(uint32_t wasm_offset);
  void EmitBrOnNull(uint32_t depth, bool on_null);
  Status EmitFuncRefOp(const Instr& in, bool* handled);

  // --- Tail calls (compiler_tailcall.h, [wasm3] T) ---------------------------------------
  bool TailCallInPlace(const wasm::FuncType& callee) const;
  void MoveTailCallArgs(const wasm::FuncType& callee);
  bool WriteTailCallArgsDirect(const wasm::FuncType& callee);
  Status TailCallFuncRef(const wasm::FuncType& sig, Reg ref, Reg held, uint32_t wasm_offset);
  Status EmitReturnCall(uint32_t func_index);
  void EmitAdapterTailCall(const wasm::FuncType& sig, Label target, Reg ref);
  // Adapter frames (compiler_tailcall.h): fp-relative words of the header (the area's capacity,
  // where the current callee writes results 1.., where the adapter's caller reads them, in
  // slots), then the area.
  static constexpr int32_t kAdapterCapOffset = -16;
  static constexpr int32_t kAdapterResultsAt = -24;
  static constexpr int32_t kAdapterResultsTo = -32;
  static constexpr int32_t kAdapterHeader = -32;
  bool AdapterResultsOk(const wasm::FuncType& sig) const;
  Status EmitReturnCallIndirect(const Instr& in);
  Status EmitReturnCallRef(const Instr& in);
  Status EmitTailCall(const Instr& in, bool* handled);

  // --- [exceptions] throw, throw_ref, try_table (compiler_exceptions.h) -----------------
  struct TryClause {
    int32_t tag = -1;    // catch / catch_ref: the tag index; -1 for catch_all(_ref)
    int32_t kind = 0;    // runtime::exn::ClauseKind
    uint32_t depth = 0;  // the label, counted from the try_table's enclosing block
    Label pad;
  };
  struct TryScope {
    uint32_t ctrl = 0;  // its Ctrl's index in ctrl_
    uint32_t first_clause = 0;
    uint32_t num_clauses = 0;
    uint32_t parent = UINT32_MAX;  // the enclosing scope (try_scopes_ index)
    bool legacy = false;           // try ... catch / catch_all / delegate
    bool in_catch = false;         // legacy: past its first catch (no longer a scope)
    uint32_t next_clause = 0;      // legacy: the next catch's clause
  };
  struct PadFixup {
    uint32_t at;             // index in *stack_maps_
    uint32_t return_offset;  // the call site's
    Label pad;
  };
  const wasm::FuncType* TagSig(uint32_t tag) const;
  Status EmitThrow(const Instr& in);
  Status EmitTryTable(const Instr& in);
  Status EmitTryTableEnd();
  // A clause's landing pad (both encodings): binds it, restores vmctx and the memory base,
  // pushes the caught values (legacy: first the exception as the hidden entry, spilled).
  Status EmitCatchClause(const TryClause& cl, bool legacy);
  uint32_t AddHandlerData(uint32_t map);
  void FinishHandlers(uint32_t frame_bytes);
  void ResetHandlers() {
    try_scopes_.clear();
    active_tries_.clear();
    try_clauses_.clear();
    frame_fixups_.clear();
    pad_fixups_.clear();
    legacy_tries_.clear();
  }
  bool AtTryTableEnd() const {
    return !active_tries_.empty() && try_scopes_[active_tries_.back()].ctrl + 1 == ctrl_.size() &&
           !try_scopes_[active_tries_.back()].legacy;
  }
  Status EmitException(const Instr& in, bool* handled);
  // Legacy exceptions: a try's Ctrl is a block; its scope's clauses are read ahead (the
  // catches at depth 0 of its body; a delegate sets the scope's parent). Each catch block
  // starts with the caught exception as a hidden stack entry at the try's height (kept for
  // rethrow), then the payload.
  Status EmitLegacyTry(const Instr& in);
  Status ScanLegacyTry(TryScope* s);
  Status EmitLegacyCatch(const Instr& in);
  Status EmitLegacyTryEnd();
  Status EmitRethrow(uint32_t depth);
  // The legacy try whose Ctrl is on top (its try_scopes_ index), or UINT32_MAX.
  uint32_t TopLegacyTry() const {
    if (legacy_tries_.empty() || try_scopes_[legacy_tries_.back()].ctrl + 1 != ctrl_.size())
      return UINT32_MAX;
    return legacy_tries_.back();
  }
  std::vector<uint32_t> legacy_tries_;  // the legacy tries open (try_scopes_ indices)
  std::vector<TryScope> try_scopes_;
  std::vector<uint32_t> active_tries_;
  std::vector<TryClause> try_clauses_;
  std::vector<uint32_t> frame_fixups_;
  std::vector<PadFixup> pad_fixups_;

  // --- [gc] Stack maps and externref barriers (compiler_gc.h) ---------------------------
  bool IsGcGlobal(uint32_t i) const;
  bool IsGcTable(uint32_t i) const;
  bool GlobalMayHoldI31(uint32_t i) const;  // [wasmgc]
  void NoteGcCallArgs(uint32_t base, uint32_t nparams);
  uint32_t GcStackMap();
  void FinishGcStackMaps(uint32_t frame_bytes);
  void EmitGlobalGetRef(uint32_t i);
  void EmitGlobalSetRef(uint32_t i);
  struct GcFixup {
    uint32_t at;        // index in *stack_maps_
    uint32_t out_slot;  // outgoing-area slot (sp-relative until the frame size is known)
  };

  // --- [wasmgc] Casts (compiler_gc_casts.h) ---------------------------------------------
  enum class GcCastMode : uint8_t { kTest, kCast, kBrOnCast, kBrOnCastFail };
  uint32_t GcTypeDepth(uint32_t index) const;
  bool GcCastNeedsCall(const wasm::HeapType& ht) const;
  void EmitGcCastCheck(Reg r, Reg t, Reg u, const wasm::HeapType& ht, bool null_ok, Label fail);
  void EmitGcCast(GcCastMode mode, const wasm::HeapType& ht, bool null_ok,
                  uint32_t depth_or_offset);
  void EmitBrOnCast(bool on_fail, const wasm::HeapType& ht, bool null_ok, uint32_t depth);
  Status EmitGcCastOp(const Instr& in, bool* handled);
  void EmitCallIndirectSubtype(Reg index, Reg ref, const Instr& in, Label undefined, Label null,
                               Label mismatch);

  // --- [wasmgc] GC objects: structs, arrays, i31 (compiler_gc_objects.h) -----------------
  static JType GcFieldType(const wasm::StorageType& s);
  void GcLoadField(const wasm::StorageType& s, bool sign, Reg dst, Mem m);
  void GcStoreField(const wasm::StorageType& s, Mem m, Reg src);
  void GcPopToField(const wasm::StorageType& s, Mem m);
  uint32_t GcElemLog2(uint32_t type_index) const;
  uint64_t GcFlags(uint32_t log2, uint32_t segment = 0) const;
  Reg GcElemAddr(Reg ref, Reg idx, uint32_t log2, uint32_t wasm_offset);
  void GcOperandsToSlots(uint32_t base);
  void GcCheckNullSlot(uint32_t k_ref, uint32_t wasm_offset);
  void GcArrayRange(uint32_t k_ref, uint32_t k_off, uint32_t k_n, uint32_t log2,
                    uint32_t wasm_offset);
  struct GcArg {
    uint32_t k;    // stack entry
    bool address;  // pass its slot's address (else its value)
  };
  void CallGcBuiltin(const void* fn, std::initializer_list<uint64_t> imms,
                     std::initializer_list<GcArg> args, uint32_t base, bool has_result);
  Status EmitStructNew(const Instr& in, bool with_fields);
  Status EmitStructGet(const Instr& in);
  Status EmitStructSet(const Instr& in);
  Status EmitArrayGet(const Instr& in);
  Status EmitArraySet(const Instr& in);
  void EmitArrayLen(uint32_t wasm_offset);
  Status EmitArrayNew(const Instr& in);
  Status EmitArrayBulk(const Instr& in);
  Status EmitGcObject(const Instr& in, bool* handled);

  // --- Interruption (fuel and epochs; docs/traps-limits.md) ------------------------------
  // Fuel: the code is cut into segments at the points control can reach other than by
  // falling through (function entry, loop headers, bound labels: block/if ends that a branch
  // targets, else arms); each segment is charged, at its start, the number of wasm
  // instructions it compiles (patched when the segment ends), also when a br_if or an if
  // leaves it early: deterministic, and one charge per straight-line run.
  void BeginFuelSegment(uint32_t wasm_offset) {
    if (!env_.consume_fuel) return;
    EndFuelSegment();
    fuel_handle_ = m_.ChargeFuel(AddTrap(runtime::TrapCode::kOutOfFuel, wasm_offset));
    fuel_count_ = 0;
  }
  void EndFuelSegment() {
    if (fuel_handle_ != kNoFuelSegment) m_.PatchFuelCost(fuel_handle_, fuel_count_);
    fuel_handle_ = kNoFuelSegment;
    fuel_count_ = 0;
  }
  void CountFuel() { ++fuel_count_; }
  // Epochs: at function entry and loop headers (any free GP register as the temporary; at
  // those points a free register holds nothing live on any incoming path).
  void EmitEpochCheck(uint32_t wasm_offset) {
    if (!env_.epoch_interruption) return;
    RegSet avail = free_ & Allocatable(RegClass::kGp);
    m_.CheckEpoch(avail.First(), AddTrap(runtime::TrapCode::kInterrupt, wasm_offset));
  }
  static constexpr uint32_t kNoFuelSegment = UINT32_MAX;

  Label AddTrap(runtime::TrapCode code, uint32_t wasm_offset) {
    Label l = m_.NewLabel();
    pending_traps_.push_back(PendingTrap{l, code, wasm_offset});
    return l;
  }
  void AddTrapSite(uint32_t code_offset, runtime::TrapCode code, uint32_t wasm_offset) {
    traps_->push_back(TrapSite{code_offset, code, wasm_offset});
  }

  struct PendingTrap {
    Label label;
    runtime::TrapCode code;
    uint32_t wasm_offset;
  };

  Masm& m_;
  const ModuleEnv& env_;
  const wasm::Module& module_;
  wasm::FuncValidator* validator_ = nullptr;  // ModuleEnv::validator
  wasm::CodeReader reader_;
  wasm::Instr instr_;
  wasm::Instr next_instr_;        // a br_if / if fused with the comparison before it
  wasm::CodeReader scan_reader_;  // loop look-ahead
  wasm::Instr scan_instr_;
  uint64_t scan_budget_ = 0;  // instructions the look-ahead may still decode
  uint32_t body_end_ = 0;     // module offset of the body's end
  std::vector<std::pair<uint32_t, uint32_t>> scan_counts_;  // (uses, local)
  std::vector<uint32_t> scan_written_;                      // locals the scanned loop body sets
  bool scan_complete_ = false;  // the look-ahead saw the whole loop body

  // Per function (buffers reused).
  std::vector<VarState> stack_;
  std::vector<Ctrl> ctrl_;
  std::vector<JType> block_types_;
  std::vector<VarState> saved_;
  std::vector<JType> local_types_;
  std::vector<int32_t> local_offset_;   // per local: its fp-relative offset
  std::vector<uint32_t> result_slots_;  // per result i >= 1: its slot in the caller's area
  std::vector<V128> v128_consts_;       // kConst kV128 entries' values (VarState::bits indexes it)
  std::vector<PendingTrap> pending_traps_;
  std::vector<Label> table_labels_;
  std::vector<Label> depth_labels_;
  std::vector<uint32_t> stub_depths_;
  std::vector<TrapSite>* traps_ = nullptr;
  std::vector<CallSite>* call_sites_ = nullptr;
  std::vector<int32_t>* stack_maps_ = nullptr;  // [gc]
  std::vector<uint32_t> gc_out_args_;
  std::vector<GcFixup> gc_fixups_;
  const wasm::FuncType* sig_ = nullptr;
  RegSet free_;
  std::vector<uint32_t> local_refs_;      // per local: kLocal entries on the stack
  std::vector<uint32_t> ref_entries_;     // indices of the kLocal entries, ascending
  RegSet read_locked_;                    // cache registers in use as read-only operands
  std::vector<uint8_t> local_reg_;        // per local: its cache register's code, or kNotCached
  RegSet cache_regs_;                     // registers holding cached locals
  RegSet cache_dirty_;                    // ... whose frame slot is stale
  uint32_t reg_local_[32]{};              // for cache registers: the local
  std::vector<CacheEntry> label_states_;  // Ctrl::state_* / else_state_* (never truncated)
  // Cold edges (landing pads, all locals in memory) into a forward label whose state was not
  // decided yet: they jump to a stub emitted after the body, which loads the label's cached
  // locals once the label is bound (its state final) and jumps to it.
  struct EdgeStub {
    Label stub;
    Label target;
    uint32_t ctrl;  // the target's index in ctrl_ (until it is bound)
    uint32_t state_at = 0;
    uint32_t state_count = 0;
    bool resolved = false;
  };
  std::vector<EdgeStub> edge_stubs_;
  std::vector<uint32_t> open_stubs_;                // edge_stubs_ indices not resolved yet
  std::vector<std::pair<Reg, Reg>> pending_moves_;  // ConformTo scratch (src, dst)
  RegSet stack_regs_;                               // registers held by stack entries
  uint32_t reg_owner_[32]{};                        // for those: the entry's index
  uint32_t brtable_stamp_ = 0;
  std::vector<uint32_t> depth_stamps_;  // br_table: depth_labels_[d] is valid iff stamped
  uint32_t max_slots_ = 0;  // frame slots below fp for locals and spills (max over the function)
  uint32_t out_slots_ = 0;
  uint32_t num_params_ = 0;
  uint32_t decl_words_ = 0;  // slots of the declared locals
  // NewSlot's fast path: the JTypes below this are scalar, and no v128 entry was pushed in this
  // function yet (kV128 is the last JType; 0 from the first v128 entry on).
  uint8_t pre_v128_types_ = static_cast<uint8_t>(JType::kV128);
  uint32_t skip_depth_ = 0;                // nesting depth inside dead code
  uint32_t fuel_handle_ = kNoFuelSegment;  // the open fuel segment's patch handle
  uint32_t fuel_count_ = 0;                // its instructions so far
  const char* internal_error_ = nullptr;
  Status deferred_invalid_;  // a look-ahead instruction consumed where no Status returns
};

// ------------------------------------------------------------------------------------------

template <MacroAssembler Masm>
BaselineCompiler<Masm>::BaselineCompiler(Masm& masm, const ModuleEnv& env)
    : m_(masm),
      env_(env),
      module_(*env.module),
      validator_(env.validator),
      reader_(std::span<const uint8_t>(), 0,
              env.validator ? env.validator->features() : wasm::Features::Wasm30()),
      scan_reader_(std::span<const uint8_t>(), 0, wasm::Features::Wasm30()) {}

template <MacroAssembler Masm>
Error BaselineCompiler<Masm>::Unsupported(const Instr& in) const {
  const wasm::OpInfo& info = wasm::GetOpInfo(in.op);
  Error e = UnsupportedFeatureError(info.feature);
  e.offset = in.offset;
  return e;
}

template <MacroAssembler Masm>
Error BaselineCompiler<Masm>::Internal(const char* what) const {
  return MakeError(ErrorKind::kUnsupported, "jit: internal error: {}", what);
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::BeginValidation(uint32_t func_index, const wasm::Code& code) {
  if (code.body.end() > module_.bytes.size() || code.body.end() < code.body.offset) {
    return Error{ErrorKind::kMalformed, "function body out of bounds", code.body.offset, {}};
  }
  return validator_->Begin(func_index, code);
}

// After the body's final `end`: what wasm::ValidateFunctionBody does with the rest of the bytes.
template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::FinishValidation() {
  while (!reader_.AtEnd()) {
    WT_TRY(reader_.Next(&instr_));
    WT_TRY(validator_->Step(instr_));
  }
  return validator_->Finish();
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::CompileFunction(uint32_t func_index, std::vector<TrapSite>* traps) {
  const wasm::Code& code = module_.codes[func_index - module_.num_imported_funcs];
  if (validator_ != nullptr) WT_TRY(BeginValidation(func_index, code));
  sig_ = &module_.FuncSig(func_index);
  traps_ = traps;
  stack_.clear();
  pre_v128_types_ = static_cast<uint8_t>(JType::kV128);
  ctrl_.clear();
  block_types_.clear();
  saved_.clear();
  local_types_.clear();
  v128_consts_.clear();
  pending_traps_.clear();
  free_ = RegSet(Masm::kAllocatableGp) | RegSet(Masm::kAllocatableFp);
  stack_regs_ = RegSet();
  cache_regs_ = RegSet();
  cache_dirty_ = RegSet();
  label_states_.clear();
  edge_stubs_.clear();
  open_stubs_.clear();
  out_slots_ = 0;
  skip_depth_ = 0;
  internal_error_ = nullptr;
  deferred_invalid_ = Ok();
  fuel_handle_ = kNoFuelSegment;
  fuel_count_ = 0;
  ResetHandlers();  // [exceptions]

  // Locals: params, then the declared ones.
  uint64_t total = sig_->params.size() + code.num_locals;
  if (total > abi::kMaxLocals)
    return MakeError(ErrorKind::kUnsupported, "unsupported: too many locals ({})", total);
  if (sig_->params.size() > abi::kMaxParamsOrResults ||
      sig_->results.size() > abi::kMaxParamsOrResults)
    return MakeError(ErrorKind::kUnsupported, "unsupported: too many params or results");
  for (const wasm::ValType& p : sig_->params) {
    WT_TRY_ASSIGN(JType t, JTypeOf(p));
    local_types_.push_back(t);
  }
  // The declarations stay in the bytes (the reader checked them): decoded again here.
  wasm::LocalDeclReader decls(module_, code, wasm::Features::Wasm30());
  while (decls.remaining() > 0) {
    wasm::LocalDecl d;
    WT_TRY(decls.Next(&d));
    WT_TRY_ASSIGN(JType t, JTypeOf(d.type));
    local_types_.insert(local_types_.end(), d.count, t);
  }
  num_params_ = static_cast<uint32_t>(sig_->params.size());
  // Frame offsets: params (and results >= 1) in the caller's area, declared locals below fp.
  local_offset_.resize(local_types_.size());
  uint32_t next = 0;
  for (uint32_t i = 0; i < num_params_; ++i)
    local_offset_[i] =
        abi::kIncomingArgsOffset +
        abi::kSlotSize * static_cast<int32_t>(abi::NextArgSlot(&next, local_types_[i]));
  result_slots_.assign(1, 0);
  for (size_t i = 1; i < sig_->results.size(); ++i)
    result_slots_.push_back(abi::NextArgSlot(&next, KindOf(sig_->results[i])));
  uint32_t words = 0;
  for (size_t i = num_params_; i < local_types_.size(); ++i) {
    JType t = local_types_[i];
    words = abi::AlignFrameSlot(words, t);
    local_offset_[i] = abi::FrameSlotOffset(words, t);
    words += abi::SlotWords(t);
  }
  decl_words_ = words;
  max_slots_ = decl_words_;
  local_reg_.assign(local_types_.size(), kNotCached);
  local_refs_.assign(local_types_.size(), 0);
  ref_entries_.clear();
  read_locked_ = RegSet();

  // Prologue.
  m_.Bind(FuncLabel(func_index - module_.num_imported_funcs));
  Label stack_trap = AddTrap(runtime::TrapCode::kStackExhausted, code.body.offset);
  uint32_t frame_handle = m_.EnterFrame(stack_trap);
  if (decl_words_ > 0)
    m_.ZeroFill(Mem{Masm::kFp, abi::kFirstLocalOffset -
                                   abi::kSlotSize * static_cast<int32_t>(decl_words_ - 1)},
                decl_words_);
  EmitEpochCheck(code.body.offset);
  BeginFuelSegment(code.body.offset);

  Ctrl fn;
  fn.kind = CtrlKind::kFunction;
  fn.types_at = 0;
  fn.nresults = static_cast<uint32_t>(sig_->results.size());
  for (const wasm::ValType& r : sig_->results) {
    WT_TRY_ASSIGN(JType t, JTypeOf(r));
    block_types_.push_back(t);
  }
  ctrl_.push_back(fn);

  reader_.Reset(module_.Slice(code.body), code.body.offset);
  body_end_ = code.body.end();
  scan_budget_ = 2 * static_cast<uint64_t>(code.body.size) + 1024;
  while (!ctrl_.empty()) {
    if (reader_.AtEnd()) {
      if (validator_ != nullptr) WT_TRY(validator_->Finish());
      return Internal("function body ended early");
    }
    WT_TRY(ReadInstr(&instr_));
    WT_TRY(EmitInstr(instr_));
    if (internal_error_) return Internal(internal_error_);
    if (!deferred_invalid_.ok()) return std::move(deferred_invalid_);
  }
  if (validator_ != nullptr) WT_TRY(FinishValidation());
  EndFuelSegment();
  WT_TRY(EmitEdgeStubs());

  for (const PendingTrap& t : pending_traps_) {
    uint32_t at = m_.EmitTrapStub(t.label, t.code);
    traps->push_back(TrapSite{at, t.code, t.wasm_offset});
  }

  uint64_t frame =
      static_cast<uint64_t>(abi::kSlotSize) * (1 + static_cast<uint64_t>(max_slots_) + out_slots_);
  frame = (frame + abi::kFrameAlignment - 1) / abi::kFrameAlignment * abi::kFrameAlignment;
  if (frame > abi::kMaxFrameBytes)
    return MakeError(ErrorKind::kUnsupported, "unsupported: function frame too large");
  FinishGcStackMaps(static_cast<uint32_t>(frame));
  FinishHandlers(static_cast<uint32_t>(frame));  // [exceptions]
  m_.PatchFrameSize(frame_handle, static_cast<uint32_t>(frame));
  return Ok();
}

// Dead code after br/return/unreachable: skip everything up to the matching else/end.
template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::SkipDead(const Instr& in, bool* handled) {
  *handled = true;
  switch (in.op) {
    case Op::Block:
    case Op::Loop:
    case Op::If:
    case Op::TryTable:  // [exceptions]
    case Op::Try:
      ++skip_depth_;
      return Ok();
    case Op::Catch:  // [exceptions] legacy: a catch of the try on top starts live code
    case Op::CatchAll:
      if (skip_depth_ == 0) *handled = false;
      return Ok();
    case Op::Delegate:  // [exceptions] legacy: ends a try like `end`
      if (skip_depth_ > 0)
        --skip_depth_;
      else
        *handled = false;
      return Ok();
    case Op::Else:
      if (skip_depth_ == 0) *handled = false;
      return Ok();
    case Op::End:
      if (skip_depth_ > 0)
        --skip_depth_;
      else
        *handled = false;
      return Ok();
    default:
      return Ok();
  }
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitInstr(const Instr& in) {
  // Beyond Wasm 2.0 (SIMD and relaxed SIMD aside): not supported, even in dead code.
  if (wasm::Feature f = wasm::GetOpInfo(in.op).feature;
      f > wasm::Feature::kBulk && f != wasm::Feature::kSimd && f != wasm::Feature::kRelaxedSimd &&
      f != wasm::Feature::kTailCall && f != wasm::Feature::kExceptions &&
      f != wasm::Feature::kLegacyExceptions && f != wasm::Feature::kFuncRefs /* [wasm3] R */ &&
      f != wasm::Feature::kGc /* [wasmgc] the opcodes not compiled yet: Unsupported below */) {
    return Unsupported(in);
  }
  if (ctrl_.back().unreachable) {
    bool handled;
    WT_TRY(SkipDead(in, &handled));
    if (handled) return Ok();
  }
  if (env_.consume_fuel && !ctrl_.back().unreachable) CountFuel();
  switch (in.op) {
    case Op::Unreachable:
      AddTrapSite(m_.Ud2(), runtime::TrapCode::kUnreachable, in.offset);
      SetUnreachable();
      return Ok();
    case Op::Nop:
      return Ok();
    case Op::Block:
      return EmitBlock(in, CtrlKind::kBlock);
    case Op::Loop:
      return EmitBlock(in, CtrlKind::kLoop);
    case Op::If:
      return EmitBlock(in, CtrlKind::kIf);
    case Op::Else:
      return EmitElse();
    case Op::End:
      return EmitEnd();
    case Op::Br:
      EmitBr(in.a);
      return Ok();
    case Op::BrIf:
      EmitBrIf(in.a);
      return Ok();
    case Op::BrTable:
      EmitBrTable(in);
      return Ok();
    case Op::Return:
      EmitReturn();
      SetUnreachable();
      return Ok();
    case Op::Drop:
      Drop();
      return Ok();
    case Op::Select:
    case Op::SelectT:
      EmitSelect();
      return Ok();
    default:
      break;
  }
  // The 0xFD opcodes are contiguous in opcodes.def (compiler_simd.h).
  if (in.op >= Op::V128Load && in.op <= Op::I32x4RelaxedDotI8x16I7x16AddS) return EmitSimd(in);
  bool handled = false;
  WT_TRY(EmitNumeric(in, &handled));
  if (handled) return Ok();
  WT_TRY(EmitMemory(in, &handled));
  if (handled) return Ok();
  WT_TRY(EmitCallOrRef(in, &handled));
  if (handled) return Ok();
  WT_TRY(EmitTailCall(in, &handled));  // [wasm3] T
  if (handled) return Ok();
  WT_TRY(EmitFuncRefOp(in, &handled));  // [wasm3] R
  if (handled) return Ok();
  WT_TRY(EmitException(in, &handled));  // [exceptions]
  if (handled) return Ok();
  WT_TRY(EmitGcObject(in, &handled));  // [wasmgc] G2
  if (handled) return Ok();
  WT_TRY(EmitGcCastOp(in, &handled));  // [wasmgc] casts
  if (handled) return Ok();
  return Unsupported(in);
}

// --- Registers --------------------------------------------------------------------------

template <MacroAssembler Masm>
Reg BaselineCompiler<Masm>::AllocReg(RegClass c, RegSet pinned) {
  RegSet avail = (free_ & Allocatable(c)) - pinned;
  if (!avail.empty()) {
    Reg r = avail.First();
    TakeReg(r);
    return r;
  }
  // Drop a cached local (a clean one if possible) before spilling a stack value.
  RegSet cached = (cache_regs_ & RegSet::All(c)) - pinned - read_locked_;
  if (!cached.empty()) {
    RegSet clean = cached - cache_dirty_;
    Reg r = clean.empty() ? cached.First() : clean.First();
    EvictCacheReg(r);
    TakeReg(r);
    return r;
  }
  return SpillForReg(c, pinned);
}

// Spills the lowest stack entry holding a register of class `c` (not in `pinned`); the register
// stays taken, now owned by the caller.
template <MacroAssembler Masm>
Reg BaselineCompiler<Masm>::SpillForReg(RegClass c, RegSet pinned) {
  RegSet candidates = (stack_regs_ & RegSet::All(c)) - pinned;
  if (candidates.empty()) {
    internal_error_ = "out of registers";
    return Allocatable(c).First();
  }
  Reg best = candidates.First();
  for (RegSet rest = candidates; !rest.empty(); rest = rest.without(rest.First()))
    if (reg_owner_[rest.First().code] < reg_owner_[best.code]) best = rest.First();
  uint32_t k = reg_owner_[best.code];
  VarState& v = stack_[k];
  m_.Store(v.type, SlotMem(k), v.reg);
  v.loc = Loc::kStack;
  Disown(best);
  return best;
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::SpillEntry(uint32_t k) {
  VarState& v = stack_[k];
  if (v.loc != Loc::kReg) return;
  m_.Store(v.type, SlotMem(k), v.reg);
  Disown(v.reg);
  FreeReg(v.reg);
  v.loc = Loc::kStack;
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::SpillRegsBelow(uint32_t limit) {
  for (RegSet rest = stack_regs_; !rest.empty(); rest = rest.without(rest.First())) {
    uint32_t k = reg_owner_[rest.First().code];
    if (k < limit) SpillEntry(k);
  }
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::SpillAllRegs() {
  SpillRegsBelow(height());
  MaterializeAllRefs();
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::MaterializeAllRefs() {
  for (uint32_t k : ref_entries_) {
    VarState& v = stack_[k];
    StoreVar(v, k, SlotMem(k));
    --local_refs_[v.bits];
    v.loc = Loc::kStack;
  }
  ref_entries_.clear();
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::MaterializeRefsOf(uint32_t l) {
  if (local_refs_[l] == 0) return;
  size_t out = 0;
  for (uint32_t k : ref_entries_) {
    VarState& v = stack_[k];
    if (v.bits == l) {
      StoreVar(v, k, SlotMem(k));
      v.loc = Loc::kStack;
    } else {
      ref_entries_[out++] = k;
    }
  }
  ref_entries_.resize(out);
  local_refs_[l] = 0;
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::MaterializeEntry(uint32_t k) {
  VarState& v = stack_[k];
  if (v.loc == Loc::kReg) {
    SpillEntry(k);
  } else if (v.loc == Loc::kConst) {
    StoreConstVar(v, SlotMem(k));
    v.loc = Loc::kStack;
  } else if (v.loc == Loc::kLocal) {
    StoreVar(v, k, SlotMem(k));
    --local_refs_[v.bits];
    v.loc = Loc::kStack;
    ref_entries_.erase(std::find(ref_entries_.begin(), ref_entries_.end(), k));
  }
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EvictRegs(RegSet regs) {
  for (RegSet c = regs & cache_regs_; !c.empty(); c = c.without(c.First())) {
    Reg old = c.First();
    uint32_t l = reg_local_[old.code];
    RegSet avail = (free_ & Allocatable(old.cls())) - regs;
    if (!avail.empty()) {
      Reg r = avail.First();
      m_.Move(local_types_[l], r, old);
      TakeReg(r);
      CacheLocal(l, r, cache_dirty_.has(old));
    } else {
      EvictCacheReg(old);
    }
  }
  for (RegSet held = regs & stack_regs_; !held.empty(); held = held.without(held.First())) {
    Reg old = held.First();
    uint32_t k = reg_owner_[old.code];
    VarState& v = stack_[k];
    RegSet avail = (free_ & Allocatable(old.cls())) - regs;
    if (!avail.empty()) {
      Reg r = avail.First();
      m_.Move(v.type, r, old);
      TakeReg(r);
      FreeReg(old);
      Disown(old);
      Own(r, k);
      v.reg = r;
    } else {
      SpillEntry(k);
    }
  }
}

template <MacroAssembler Masm>
Reg BaselineCompiler<Masm>::PopToReg(RegSet pinned) {
  VarState v = Pop();
  if (v.loc == Loc::kReg) return v.reg;
  if (v.loc == Loc::kLocal && IsCached(v.bits)) pinned = pinned.with(CacheReg(v.bits));
  Reg r = AllocReg(ClassOf(v.type), pinned);
  LoadVar(v, height(), r);
  return r;
}

template <MacroAssembler Masm>
typename BaselineCompiler<Masm>::Operand BaselineCompiler<Masm>::PopForRead() {
  const VarState& v = stack_.back();
  if (v.loc == Loc::kLocal && !IsCached(v.bits) && PlentyOfRegs(ClassOf(v.type))) {
    // Cache it on the way: later reads of the local need no load.
    auto l = static_cast<uint32_t>(v.bits);
    Reg c = AllocReg(ClassOf(v.type));
    m_.Load(v.type, c, LocalMem(l));
    CacheLocal(l, c, false);
  }
  if (v.loc == Loc::kLocal && IsCached(v.bits)) {
    Reg r = CacheReg(v.bits);
    Pop();
    read_locked_ = read_locked_.with(r);
    return Operand{r, false};
  }
  return Operand{PopToReg(), true};
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::LoadVar(const VarState& v, uint32_t /*k*/, Reg dst) {
  switch (v.loc) {
    case Loc::kReg:
      m_.Move(v.type, dst, v.reg);
      break;
    case Loc::kConst:
      LoadConstVar(v, dst);
      break;
    case Loc::kStack:
      m_.Load(v.type, dst, SlotMemOf(v));
      break;
    case Loc::kLocal:
      if (IsCached(v.bits))
        m_.Move(v.type, dst, CacheReg(v.bits));
      else
        m_.Load(v.type, dst, LocalMem(static_cast<uint32_t>(v.bits)));
      break;
  }
}

template <MacroAssembler Masm>
void BaselineCompiler<Masm>::StoreVar(const VarState& v, uint32_t /*k*/, Mem dst) {
  switch (v.loc) {
    case Loc::kReg:
      m_.Store(v.type, dst, v.reg);
      break;
    case Loc::kConst:
      StoreConstVar(v, dst);
      break;
    case Loc::kStack: {
      Mem src = SlotMemOf(v);
      if (src.base == dst.base && src.offset == dst.offset) break;
      m_.CopyMem(v.type, dst, src);
      break;
    }
    case Loc::kLocal:
      if (IsCached(v.bits))
        m_.Store(v.type, dst, CacheReg(v.bits));
      else
        m_.CopyMem(v.type, dst, LocalMem(static_cast<uint32_t>(v.bits)));
      break;
  }
}

}  // namespace wt::jit

#include "jit/compiler_call.h"
#include "jit/compiler_control.h"
#include "jit/compiler_exceptions.h"
#include "jit/compiler_funcref.h"
#include "jit/compiler_gc.h"
#include "jit/compiler_gc_casts.h"
#include "jit/compiler_gc_objects.h"  // [wasmgc] G2
#include "jit/compiler_locals.h"
#include "jit/compiler_memory.h"
#include "jit/compiler_numeric.h"
#include "jit/compiler_simd.h"
#include "jit/compiler_tailcall.h"
