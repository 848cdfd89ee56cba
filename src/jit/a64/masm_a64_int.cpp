// aarch64 MacroAssembler: integer arithmetic, comparisons, division with explicit checks.
//
// Every operation is a 3-operand instruction (or a short sequence that reads all its inputs
// before writing dst), so dst may alias lhs or rhs and no operation needs a fixed register
// (ClobbersFor is empty). i32 operations use w registers, which zero the upper 32 bits of their
// destination, keeping masm.h's invariant for free.
#include <asmjit/arm/a64utils.h>

#include "jit/a64/masm_a64_impl.h"

namespace wt::jit::a64 {

using asmjit::a64::Gp;
using wasm::Op;
namespace a64 = asmjit::a64;

namespace {

enum class IntKind { kAdd, kSub, kMul, kAnd, kOr, kXor, kShl, kShrS, kShrU, kRotl, kRotr, kNone };

IntKind IntKindOf(Op op) {
  switch (op) {
    case Op::I32Add:
    case Op::I64Add:
      return IntKind::kAdd;
    case Op::I32Sub:
    case Op::I64Sub:
      return IntKind::kSub;
    case Op::I32Mul:
    case Op::I64Mul:
      return IntKind::kMul;
    case Op::I32And:
    case Op::I64And:
      return IntKind::kAnd;
    case Op::I32Or:
    case Op::I64Or:
      return IntKind::kOr;
    case Op::I32Xor:
    case Op::I64Xor:
      return IntKind::kXor;
    case Op::I32Shl:
    case Op::I64Shl:
      return IntKind::kShl;
    case Op::I32ShrS:
    case Op::I64ShrS:
      return IntKind::kShrS;
    case Op::I32ShrU:
    case Op::I64ShrU:
      return IntKind::kShrU;
    case Op::I32Rotl:
    case Op::I64Rotl:
      return IntKind::kRotl;
    case Op::I32Rotr:
    case Op::I64Rotr:
      return IntKind::kRotr;
    default:
      return IntKind::kNone;
  }
}

// True for the i64 forms of the binary operations, divisions and comparisons this file handles.
bool IsI64Op(Op op) {
  switch (op) {
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
    case Op::I64DivS:
    case Op::I64DivU:
    case Op::I64RemS:
    case Op::I64RemU:
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
      return true;
    default:
      return false;
  }
}

Cond CompareCond(Op op) {
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

// The add/sub immediate forms: a 12-bit unsigned value, optionally shifted left by 12.
bool IsAddSubImm(uint64_t v) {
  return v < 4096 || ((v & 0xFFFu) == 0 && v < (uint64_t{1} << 24));
}

// The scratch register of a materialized immediate, in the operation's width.
Gp ImmScratch(bool w64) {
  return w64 ? Gp(kScratch0.x()) : Gp(kScratch0.w());
}

void MoveIfDifferent(a64::Assembler& a, Reg dst, Reg src, const Gp& d, const Gp& s) {
  // An i32 already has its upper half zero (masm.h), so dst == src needs no instruction.
  if (!(dst == src)) a.mov(d, s);
}

}  // namespace

RegSet Masm::ClobbersFor(wasm::Op /*op*/) {
  return {};
}

// Every binary operation takes an immediate: the ones without an encodable form materialize it
// in x16 (still one instruction shorter than materializing it in an allocated register).
bool Masm::HasImmForm(wasm::Op op) {
  return IntKindOf(op) != IntKind::kNone;
}

void Masm::IntBinop(wasm::Op op, Reg dst, Reg lhs, Reg rhs) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  JType t = IsI64Op(op) ? JType::kI64 : JType::kI32;
  Gp D = G(t, dst), L = G(t, lhs), R = G(t, rhs);
  switch (IntKindOf(op)) {
    case IntKind::kAdd:
      a.add(D, L, R);
      return;
    case IntKind::kSub:
      a.sub(D, L, R);
      return;
    case IntKind::kMul:
      a.mul(D, L, R);
      return;
    case IntKind::kAnd:
      a.and_(D, L, R);
      return;
    case IntKind::kOr:
      a.orr(D, L, R);
      return;
    case IntKind::kXor:
      a.eor(D, L, R);
      return;
    // The variable shifts take the count modulo the register width, as Wasm does.
    case IntKind::kShl:
      a.lslv(D, L, R);
      return;
    case IntKind::kShrS:
      a.asrv(D, L, R);
      return;
    case IntKind::kShrU:
      a.lsrv(D, L, R);
      return;
    case IntKind::kRotr:
      a.rorv(D, L, R);
      return;
    case IntKind::kRotl: {
      // rotl(x, n) = rotr(x, -n mod width); the negated count goes through x16 (rhs may be dst).
      Gp n = ImmScratch(Is64(t));
      a.neg(n, R);
      a.rorv(D, L, n);
      return;
    }
    case IntKind::kNone:
      break;
  }
  impl_->Fail("a64: IntBinop: unexpected op");
}

void Masm::IntBinopImm(wasm::Op op, Reg dst, Reg lhs, int32_t imm) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  bool w64 = IsI64Op(op);
  JType t = w64 ? JType::kI64 : JType::kI32;
  Gp D = G(t, dst), L = G(t, lhs);
  unsigned width = w64 ? 64 : 32;
  uint64_t mask = w64 ? ~uint64_t{0} : uint64_t{0xFFFFFFFFu};
  // The immediate as the operation's operand: sign-extended for i64 (compiler_numeric.h
  // ImmFor), the 32-bit pattern for i32.
  uint64_t v = (w64 ? static_cast<uint64_t>(static_cast<int64_t>(imm))
                    : static_cast<uint64_t>(static_cast<uint32_t>(imm)));
  Gp zero = w64 ? Gp(a64::xzr) : Gp(a64::wzr);
  // dst = lhs op <v in x16>, for immediates no instruction form encodes.
  auto through_scratch = [&](IntKind k) {
    Gp s = ImmScratch(w64);
    impl_->MovImm(s, v);
    switch (k) {
      case IntKind::kAdd:
        a.add(D, L, s);
        break;
      case IntKind::kMul:
        a.mul(D, L, s);
        break;
      case IntKind::kAnd:
        a.and_(D, L, s);
        break;
      case IntKind::kOr:
        a.orr(D, L, s);
        break;
      default:
        a.eor(D, L, s);
        break;
    }
  };
  IntKind k = IntKindOf(op);
  switch (k) {
    case IntKind::kAdd:
    case IntKind::kSub: {
      uint64_t addend = (k == IntKind::kAdd ? v : 0 - v) & mask;
      uint64_t negated = (0 - addend) & mask;
      if (addend == 0) {
        MoveIfDifferent(a, dst, lhs, D, L);
      } else if (IsAddSubImm(addend)) {
        a.add(D, L, addend);
      } else if (IsAddSubImm(negated)) {
        a.sub(D, L, negated);
      } else {
        v = addend;
        through_scratch(IntKind::kAdd);
      }
      return;
    }
    case IntKind::kMul:
      if (v == 0) {
        a.mov(D, zero);
      } else if (v == 1) {
        MoveIfDifferent(a, dst, lhs, D, L);
      } else if ((v & (v - 1)) == 0) {  // a power of two: a shift (no overflow difference)
        a.lsl(D, L, static_cast<unsigned>(__builtin_ctzll(v)));
      } else {
        through_scratch(k);
      }
      return;
    case IntKind::kAnd:
      if (v == 0) {
        a.mov(D, zero);
      } else if (v == mask) {
        MoveIfDifferent(a, dst, lhs, D, L);
      } else if (a64::Utils::isLogicalImm(v, width)) {
        a.and_(D, L, v);
      } else {
        through_scratch(k);
      }
      return;
    case IntKind::kOr:
      if (v == 0) {
        MoveIfDifferent(a, dst, lhs, D, L);
      } else if (a64::Utils::isLogicalImm(v, width)) {
        a.orr(D, L, v);
      } else {
        through_scratch(k);  // includes all-ones (no logical immediate encodes it)
      }
      return;
    case IntKind::kXor:
      if (v == 0) {
        MoveIfDifferent(a, dst, lhs, D, L);
      } else if (v == mask) {
        a.mvn(D, L);
      } else if (a64::Utils::isLogicalImm(v, width)) {
        a.eor(D, L, v);
      } else {
        through_scratch(k);
      }
      return;
    default:
      break;
  }
  // Shifts and rotates by a constant: the count modulo the width, as Wasm does.
  unsigned s = static_cast<unsigned>(imm) & (width - 1);
  if (s == 0) {
    if (k != IntKind::kNone) MoveIfDifferent(a, dst, lhs, D, L);
  } else {
    switch (k) {
      case IntKind::kShl:
        a.lsl(D, L, s);
        return;
      case IntKind::kShrS:
        a.asr(D, L, s);
        return;
      case IntKind::kShrU:
        a.lsr(D, L, s);
        return;
      case IntKind::kRotl:
        a.ror(D, L, width - s);
        return;
      case IntKind::kRotr:
        a.ror(D, L, s);
        return;
      default:
        break;
    }
  }
  if (k == IntKind::kNone) impl_->Fail("a64: IntBinopImm: unexpected op");
}

// aarch64's sdiv/udiv never trap (x / 0 = 0, INT_MIN / -1 = INT_MIN), so Wasm's two traps are
// explicit checks. The remainder is lhs - (lhs / rhs) * rhs (msub), with the quotient in x16 so
// that dst may alias lhs or rhs; rem_s by -1 needs no special case: the quotient of INT_MIN is
// INT_MIN and INT_MIN - INT_MIN * -1 wraps to 0, and any other lhs gives lhs - lhs = 0.
void Masm::IntDivRem(wasm::Op op, Reg dst, Reg lhs, Reg rhs, Label div_by_zero, Label overflow) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  bool w64 = IsI64Op(op);
  JType t = w64 ? JType::kI64 : JType::kI32;
  Gp D = G(t, dst), L = G(t, lhs), R = G(t, rhs);
  bool is_signed = op == Op::I32DivS || op == Op::I64DivS || op == Op::I32RemS || op == Op::I64RemS;
  bool is_rem = op == Op::I32RemS || op == Op::I64RemS || op == Op::I32RemU || op == Op::I64RemU;
  // Through the core's branch helpers: the trap stubs sit after the function, possibly beyond
  // the +-1 MiB of cbz / b.cond (veneers).
  impl_->Cbz(false, R, AL(div_by_zero));
  if (is_signed && !is_rem) {
    // Overflow exactly when rhs == -1 and lhs == INT_MIN: with rhs == -1, `cmp lhs, #1` sets V
    // only for INT_MIN (the one value whose decrement overflows); otherwise ccmp clears V.
    a.cmn(R, 1);
    a.ccmp(L, 1, 0, a64::CondCode::kEQ);
    impl_->BranchCond(a64::CondCode::kVS, AL(overflow));
  }
  if (!is_rem) {
    if (is_signed)
      a.sdiv(D, L, R);
    else
      a.udiv(D, L, R);
    return;
  }
  Gp q = ImmScratch(w64);
  if (is_signed)
    a.sdiv(q, L, R);
  else
    a.udiv(q, L, R);
  a.msub(D, q, R, L);
}

void Masm::IntUnop(wasm::Op op, Reg dst, Reg src) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  Gp D32 = W(dst), S32 = W(src), D64 = X(dst), S64 = X(src);
  switch (op) {
    case Op::I32Clz:
      a.clz(D32, S32);
      return;
    case Op::I64Clz:
      a.clz(D64, S64);
      return;
    // ctz = clz of the bit-reversed value (32 / 64 for zero, as Wasm wants).
    case Op::I32Ctz:
      a.rbit(D32, S32);
      a.clz(D32, D32);
      return;
    case Op::I64Ctz:
      a.rbit(D64, S64);
      a.clz(D64, D64);
      return;
    // No GP popcount before FEAT_CSSC: count the bits of each byte in a vector scratch (cnt)
    // and add the eight counts (addv; at most 64, so a byte holds it). fmov from a w register
    // zeroes the rest of the vector, so the i32 form counts only the low half.
    case Op::I32Popcnt:
    case Op::I64Popcnt: {
      auto v = kVScratch0;
      if (op == Op::I32Popcnt)
        a.fmov(v.s(), S32);
      else
        a.fmov(v.d(), S64);
      a.cnt(v.b8(), v.b8());
      a.addv(v.b(), v.b8());
      a.fmov(D32, v.s());
      return;
    }
    case Op::I32Eqz:
      a.cmp(S32, 0);
      a.cset(D32, a64::CondCode::kEQ);
      return;
    case Op::I64Eqz:
    case Op::RefIsNull:
      a.cmp(S64, 0);
      a.cset(D32, a64::CondCode::kEQ);
      return;
    case Op::I32Extend8S:
      a.sxtb(D32, S32);
      return;
    case Op::I32Extend16S:
      a.sxth(D32, S32);
      return;
    case Op::I64Extend8S:
      a.sxtb(D64, S32);
      return;
    case Op::I64Extend16S:
      a.sxth(D64, S32);
      return;
    case Op::I64Extend32S:
    case Op::I64ExtendI32S:
      a.sxtw(D64, S32);
      return;
    case Op::I64ExtendI32U:
      // The i32's upper half is already zero (masm.h).
      if (!(dst == src)) a.mov(D32, S32);
      return;
    case Op::I32WrapI64:
      a.mov(D32, S32);  // a w-register move zeroes the upper half
      return;
    default:
      impl_->Fail("a64: IntUnop: unexpected op");
      return;
  }
}

void Masm::IntCompare(wasm::Op op, Reg dst, Reg lhs, Reg rhs) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  JType t = IsI64Op(op) ? JType::kI64 : JType::kI32;
  a.cmp(G(t, lhs), G(t, rhs));
  a.cset(W(dst), CC(CompareCond(op)));
}

// cmp with the add/sub immediate forms; a negative immediate as cmn with its negation (same
// flags for every condition when the immediate is nonzero); anything else through x16.
void Masm::IntCompareImm(wasm::Op op, Reg dst, Reg lhs, int32_t imm) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  bool w64 = IsI64Op(op);
  JType t = w64 ? JType::kI64 : JType::kI32;
  Gp L = G(t, lhs);
  uint64_t mask = w64 ? ~uint64_t{0} : uint64_t{0xFFFFFFFFu};
  uint64_t v = static_cast<uint64_t>(static_cast<int64_t>(imm)) & mask;
  uint64_t negated = (0 - v) & mask;
  if (IsAddSubImm(v)) {
    a.cmp(L, v);
  } else if (IsAddSubImm(negated)) {
    a.cmn(L, negated);
  } else {
    Gp s = ImmScratch(w64);
    impl_->MovImm(s, v);
    a.cmp(L, s);
  }
  a.cset(W(dst), CC(CompareCond(op)));
}

}  // namespace wt::jit::a64
