// BaselineCompiler: [wasmgc] casts and reference identity: ref.test, ref.cast (null),
// br_on_cast, br_on_cast_fail, ref.eq, any.convert_extern, extern.convert_any, and the
// subtype check of call_indirect / return_call_indirect against non-final function types.
// Included by baseline_compiler.h. docs/gc-plan.md has the design; runtime/gc/object.h the
// representation every check below reads:
//
//   a reference word: 0 null, odd an i31, else a GcHeader* (kind byte at +4: extern object,
//   exception, struct, array) or, in the func hierarchy, a FuncRef*.
//
// Cast to an abstract heap type: null and the i31 tag bit first, then the kind byte where it
// matters (eq: i31, struct or array; struct; array). Cast to a concrete struct or array type T
// of depth d (its chain of declared supertypes): i31 fails, then the object's Rtt display:
// obj->rtt->display[d] == vmctx->rtts[T] (one load of the rtt, one of the entry, one compare;
// V8's and wasmtime's supertype arrays); for d >= kRttDisplay, obj->rtt->depth >= d and
// obj->rtt->deep[d] == vmctx->rtts[T]. Extern objects and exceptions have static Rtts of
// depth 0 that match no target, so the display check needs no kind test. Cast to a concrete
// function type: FuncRef::type_id == vmctx->type_ids[T]; when they differ and T is not final
// (only then can a subtype exist), the runtime's canonical subtype check
// (wt_gc_func_subtype) decides. No Masm member of its own: the same lowering on every ISA.
#pragma once

#include "jit/baseline_compiler.h"
#include "runtime/gc/gc_casts.h"
#include "runtime/gc/object.h"

namespace wt::jit {

// The depth of concrete type `index` (its number of transitive declared supertypes).
template <MacroAssembler Masm>
uint32_t BaselineCompiler<Masm>::GcTypeDepth(uint32_t index) const {
  uint32_t depth = 0;
  for (uint32_t at = index; at < module_.types.size() && !module_.types[at].supers.empty();) {
    uint32_t s = module_.types[at].supers[0];
    if (s >= at) break;  // validation: supertypes come first
    ++depth;
    at = s;
  }
  return depth;
}

// A cast to `ht` that needs the runtime: a concrete function type that may have subtypes.
template <MacroAssembler Masm>
bool BaselineCompiler<Masm>::GcCastNeedsCall(const wasm::HeapType& ht) const {
  if (!ht.is_index() || ht.index >= module_.types.size()) return false;
  const wasm::SubType& st = module_.types[ht.index];
  return st.composite.kind == wasm::CompositeKind::kFunc && !st.final;
}

// Emits the check of the reference in `r` against (ref null? ht): falls through when it
// matches, jumps to `fail` otherwise. `r` is only read; `t` and `u` are temporaries the caller
// allocated before (no register may be allocated here: a spill on one path only would leave
// the paths' states apart). With GcCastNeedsCall(ht) the check may call the runtime: the
// caller spilled every register before, and `r` (like every other caller-saved register) is
// clobbered afterwards on every path.
template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitGcCastCheck(Reg r, Reg t, Reg u, const wasm::HeapType& ht,
                                             bool null_ok, Label fail) {
  namespace gc = runtime::gc;
  Label pass = m_.NewLabel();
  // Null: matches exactly the nullable targets.
  auto null_check = [&] { m_.BranchIfZero(JType::kRef, r, null_ok ? pass : fail); };
  switch (ht.kind) {
    case wasm::HeapKind::kAny:
    case wasm::HeapKind::kFunc:
    case wasm::HeapKind::kExtern:
    case wasm::HeapKind::kExn:
      // The top of the value's hierarchy: everything but (maybe) null.
      if (!null_ok) m_.BranchIfZero(JType::kRef, r, fail);
      break;
    case wasm::HeapKind::kNone:
    case wasm::HeapKind::kNoFunc:
    case wasm::HeapKind::kNoExtern:
    case wasm::HeapKind::kNoExn:
    case wasm::HeapKind::kBot:
      // The bottom types: only null.
      if (null_ok)
        m_.BranchIfNonZero(JType::kRef, r, fail);
      else
        m_.Jump(fail);
      break;
    case wasm::HeapKind::kI31: {
      if (null_ok) m_.BranchIfZero(JType::kRef, r, pass);  // null is even: fails the tag test
      m_.IntBinopImm(Op::I32And, t, r, 1);
      m_.BranchIfZero(JType::kI32, t, fail);
      break;
    }
    case wasm::HeapKind::kEq:
    case wasm::HeapKind::kStruct:
    case wasm::HeapKind::kArray: {
      null_check();
      m_.IntBinopImm(Op::I32And, t, r, 1);
      m_.BranchIfNonZero(JType::kI32, t, ht.kind == wasm::HeapKind::kEq ? pass : fail);
      m_.Load(JType::kI32, t, Mem{r, gc::kGcHeaderKind});
      m_.IntBinopImm(Op::I32And, t, t, 0xFF);
      if (ht.kind == wasm::HeapKind::kEq) {  // struct or array
        static_assert(static_cast<int>(gc::GcKind::kArray) ==
                      static_cast<int>(gc::GcKind::kStruct) + 1);
        m_.IntBinopImm(Op::I32Sub, t, t, static_cast<int32_t>(gc::GcKind::kStruct));
        m_.BranchCmpImm(JType::kI32, Cond::kGtU, t, 1, fail);
      } else {
        gc::GcKind k =
            ht.kind == wasm::HeapKind::kStruct ? gc::GcKind::kStruct : gc::GcKind::kArray;
        m_.BranchCmpImm(JType::kI32, Cond::kNe, t, static_cast<int32_t>(k), fail);
      }
      break;
    }
    case wasm::HeapKind::kIndex: {
      null_check();
      const bool is_func = ht.index < module_.types.size() &&
                           module_.types[ht.index].composite.kind == wasm::CompositeKind::kFunc;
      if (is_func) {
        // FuncRef::type_id against the target's canonical id.
        m_.Load(JType::kI32, t, Mem{r, runtime::kFuncRefTypeId});
        m_.Load(JType::kRef, u, Mem{Masm::kVmctx, runtime::kVMCtxTypeIds});
        m_.Load(JType::kI32, u, Mem{u, static_cast<int32_t>(4 * ht.index)});
        if (!GcCastNeedsCall(ht)) {
          m_.BranchCmp(JType::kI32, Cond::kNe, t, u, fail);
        } else {
          m_.BranchCmp(JType::kI32, Cond::kEq, t, u, pass);
          // wt_gc_func_subtype(vmctx, funcref, type index): the funcref if it matches, else 0.
          // Argument order: r may be any argument register.
          m_.Move(JType::kRef, Masm::CArgGp(1), r);
          m_.LoadConst(JType::kI64, Masm::CArgGp(2), ht.index);
          m_.Move(JType::kRef, Masm::CArgGp(0), Masm::kVmctx);
          m_.CallBuiltin(reinterpret_cast<const void*>(&wt_gc_func_subtype));
          m_.BranchIfZero(JType::kRef, Masm::kReturnGp, fail);
        }
      } else {
        // i31 fails; then the Rtt display (extern objects and exceptions match no target).
        const uint32_t depth = GcTypeDepth(ht.index);
        m_.IntBinopImm(Op::I32And, t, r, 1);
        m_.BranchIfNonZero(JType::kI32, t, fail);
        m_.Load(JType::kRef, t, Mem{r, gc::kGcHeaderRtt});
        if (depth < gc::kRttDisplay) {
          m_.Load(JType::kRef, t, Mem{t, gc::kRttDisplayOffset + static_cast<int32_t>(8 * depth)});
        } else {
          m_.Load(JType::kI32, u, Mem{t, gc::kRttDepth});
          m_.BranchCmpImm(JType::kI32, Cond::kLtU, u, static_cast<int32_t>(depth), fail);
          m_.Load(JType::kRef, t, Mem{t, gc::kRttDeep});
          m_.Load(JType::kRef, t, Mem{t, static_cast<int32_t>(8 * depth)});
        }
        m_.Load(JType::kRef, u, Mem{Masm::kVmctx, runtime::kVMCtxRtts});
        m_.Load(JType::kRef, u, Mem{u, static_cast<int32_t>(8 * ht.index)});
        m_.BranchCmp(JType::kRef, Cond::kNe, t, u, fail);
      }
      break;
    }
  }
  m_.Bind(pass);
}

// ref.test / ref.cast / br_on_cast / br_on_cast_fail: the reference on top of the stack
// against (ref null? ht).
template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitGcCast(GcCastMode mode, const wasm::HeapType& ht, bool null_ok,
                                        uint32_t depth_or_offset) {
  const bool call = GcCastNeedsCall(ht);
  if (call) {  // every register is caller-saved
    SpillAllRegs();
    FlushCache();
  }
  if (!call && (mode == GcCastMode::kBrOnCast || mode == GcCastMode::kBrOnCastFail)) {
    EmitBrOnCast(mode == GcCastMode::kBrOnCastFail, ht, null_ok, depth_or_offset);
    return;
  }
  const uint32_t k = height() - 1;
  const VarState v = stack_.back();
  // Every register before the first branch (see EmitGcCastCheck).
  Reg r = PopToReg();
  Reg t = AllocReg(RegClass::kGp);
  Reg u = AllocReg(RegClass::kGp);
  Reg d = mode != GcCastMode::kCast ? AllocReg(RegClass::kGp) : Reg::None();
  Label fail = mode == GcCastMode::kCast ? AddTrap(runtime::TrapCode::kCastFailure, depth_or_offset)
                                         : m_.NewLabel();
  // The test's outcome as an i32 (br_on_cast_fail: the failure's).
  const uint64_t on_pass = mode == GcCastMode::kBrOnCastFail ? 0 : 1;
  if (!call) {
    if (d.valid()) m_.LoadConst(JType::kI32, d, 1 - on_pass);
    EmitGcCastCheck(r, t, u, ht, null_ok, fail);
    if (d.valid()) {
      m_.LoadConst(JType::kI32, d, on_pass);
      m_.Bind(fail);
    }
  } else {
    EmitGcCastCheck(r, t, u, ht, null_ok, fail);
    if (d.valid()) {
      Label done = m_.NewLabel();
      m_.LoadConst(JType::kI32, d, on_pass);
      m_.Jump(done);
      m_.Bind(fail);
      m_.LoadConst(JType::kI32, d, 1 - on_pass);
      m_.Bind(done);
    }
    if (mode != GcCastMode::kTest) LoadVar(v, k, r);  // the call clobbered it
  }
  FreeReg(t);
  FreeReg(u);
  if (mode == GcCastMode::kCast) {
    PushReg(JType::kRef, r);
    return;
  }
  if (mode == GcCastMode::kTest) {
    FreeReg(r);
    PushReg(JType::kI32, d);
    return;
  }
  // br_on_cast(_fail) l: the reference stays (the label's last value on the taken path, the
  // fallthrough's value otherwise): br_if l on the outcome.
  PushReg(JType::kRef, r);
  PushReg(JType::kI32, d);
  EmitBrIf(depth_or_offset);
}

// br_on_cast / br_on_cast_fail without a runtime call: the check branches to the label (or
// around the edge's moves) itself. The reference stays on the stack: the label's last value
// on the taken path, the fallthrough's otherwise.
template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitBrOnCast(bool on_fail, const wasm::HeapType& ht, bool null_ok,
                                          uint32_t depth) {
  Reg r = PopToReg();
  Reg t = AllocReg(RegClass::kGp);
  Reg u = AllocReg(RegClass::kGp);
  PushReg(JType::kRef, r);
  // branch(when, l): jump to l when the instruction's condition (the cast succeeds for
  // br_on_cast, fails for br_on_cast_fail) is `when`.
  EmitCondEdge(Target(depth), [&](bool when, Label l) {
    if (when == on_fail) {  // jump on failure
      EmitGcCastCheck(r, t, u, ht, null_ok, l);
    } else {  // jump on success
      Label next = m_.NewLabel();
      EmitGcCastCheck(r, t, u, ht, null_ok, next);
      m_.Jump(l);
      m_.Bind(next);
    }
    FreeReg(t);  // dead before the edge's moves
    FreeReg(u);
  });
}

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitGcCastOp(const Instr& in, bool* handled) {
  *handled = true;
  switch (in.op) {
    case Op::RefEq:  // i31s are canonical words: identity is word equality
      return EmitIntCompare(Op::I64Eq, JType::kI64);
    case Op::AnyConvertExtern:  // the identity (object.h)
    case Op::ExternConvertAny:
      return Ok();
    case Op::RefTest:
    case Op::RefTestNull:
      EmitGcCast(GcCastMode::kTest, in.heap1, in.op == Op::RefTestNull, 0);
      return Ok();
    case Op::RefCast:
    case Op::RefCastNull:
      EmitGcCast(GcCastMode::kCast, in.heap1, in.op == Op::RefCastNull, in.offset);
      return Ok();
    case Op::BrOnCast:
    case Op::BrOnCastFail:
      EmitGcCast(in.op == Op::BrOnCast ? GcCastMode::kBrOnCast : GcCastMode::kBrOnCastFail,
                 in.heap2, (in.cast_flags & 2) != 0, in.a);
      return Ok();
    default:
      *handled = false;
      return Ok();
  }
}

// call_indirect / return_call_indirect to a non-final function type: CallIndirectCheck's id
// compare stays the fast path; a mismatch asks the runtime whether the callee's type is a
// subtype before trapping. `ref` holds the FuncRef on the mismatch path and on return;
// every other register is free (the arguments are in the outgoing area).
template <MacroAssembler Masm>
void BaselineCompiler<Masm>::EmitCallIndirectSubtype(Reg index, Reg ref, const Instr& in,
                                                     Label undefined, Label null, Label mismatch) {
  Label slow = m_.NewLabel();
  Label ok = m_.NewLabel();
  m_.CallIndirectCheck(index, ref, in.b, in.a, undefined, null, slow);
  m_.Jump(ok);
  m_.Bind(slow);
  m_.Move(JType::kRef, Masm::CArgGp(1), ref);
  m_.LoadConst(JType::kI64, Masm::CArgGp(2), in.a);
  m_.Move(JType::kRef, Masm::CArgGp(0), Masm::kVmctx);
  m_.CallBuiltin(reinterpret_cast<const void*>(&wt_gc_func_subtype));
  m_.BranchIfZero(JType::kRef, Masm::kReturnGp, mismatch);
  m_.Move(JType::kRef, ref, Masm::kReturnGp);
  m_.Bind(ok);
}

}  // namespace wt::jit
