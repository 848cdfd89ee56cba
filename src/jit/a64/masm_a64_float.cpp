// aarch64 MacroAssembler: scalar floating point: arithmetic, comparisons (plain and fused with a
// branch), conversions. Most Wasm operations are one A64 instruction: fmin/fmax already
// propagate NaNs and order -0 < +0, frint* round in the four Wasm modes, fcvtz* saturate (NaN ->
// 0) exactly as trunc_sat asks, scvtf/ucvtf convert any integer with one rounding. What needs
// care: comparisons read NZCV after fcmp, where "unordered" is C=V=1 (conditions below), and
// the trapping truncations, whose NaN and range checks are explicit (fcvtz* never faults).
//
// NaNs: Linux runs user code with FPCR.DN = 0, so an arithmetic instruction returns its NaN
// operand quieted (an arithmetic NaN) and a NaN it creates (0/0, inf - inf, sqrt(-1)) is the
// default NaN 0x7FC00000 / 0x7FF8000000000000 (canonical). fabs/fneg/copysign are bit
// operations and keep a NaN's payload, as Wasm requires.
#include "jit/a64/masm_a64_impl.h"

namespace wt::jit::a64 {

using namespace asmjit;
namespace asm64 = asmjit::a64;
using wasm::Op;

namespace {

bool IsF64Op(Op op) {
  switch (op) {
    case Op::F64Add:
    case Op::F64Sub:
    case Op::F64Mul:
    case Op::F64Div:
    case Op::F64Min:
    case Op::F64Max:
    case Op::F64Copysign:
    case Op::F64Abs:
    case Op::F64Neg:
    case Op::F64Ceil:
    case Op::F64Floor:
    case Op::F64Trunc:
    case Op::F64Nearest:
    case Op::F64Sqrt:
    case Op::F64Eq:
    case Op::F64Ne:
    case Op::F64Lt:
    case Op::F64Gt:
    case Op::F64Le:
    case Op::F64Ge:
      return true;
    default:
      return false;
  }
}

// The condition that holds after `fcmp lhs, rhs` exactly when the Wasm comparison is true. An
// unordered result sets NZCV = 0011, so: eq EQ (Z), ne NE (!Z, true for NaN), lt MI (N; LT
// would be N != V, true for NaN), le LS (!C || Z; C is set when unordered), gt GT (!Z && N == V,
// V set when unordered), ge GE (N == V). Each one's negation (NE, EQ, PL, HI, LE, LT) is true
// for NaN, as !(x op y) must be, so a branch on `false` uses the negated code.
asm64::CondCode FloatCond(Op op) {
  switch (op) {
    case Op::F32Eq:
    case Op::F64Eq:
      return asm64::CondCode::kEQ;
    case Op::F32Ne:
    case Op::F64Ne:
      return asm64::CondCode::kNE;
    case Op::F32Lt:
    case Op::F64Lt:
      return asm64::CondCode::kMI;
    case Op::F32Gt:
    case Op::F64Gt:
      return asm64::CondCode::kGT;
    case Op::F32Le:
    case Op::F64Le:
      return asm64::CondCode::kLS;
    default:
      return asm64::CondCode::kGE;
  }
}

asm64::Vec F(bool f64, Reg r) {
  return f64 ? D(r) : S(r);
}

// x16 = bits (movz + movk, zero halfwords skipped). Used for FP constants only (moved to v31), so
// it needs no shortest form.
void MovBits(asm64::Assembler& a, uint64_t bits) {
  bool first = true;
  for (unsigned shift = 0; shift < 64; shift += 16) {
    uint32_t half = static_cast<uint32_t>(bits >> shift) & 0xFFFFu;
    if (half == 0) continue;
    if (first)
      a.movz(asm64::x16, half, shift);
    else
      a.movk(asm64::x16, half, shift);
    first = false;
  }
  if (first) a.movz(asm64::x16, 0, 0);
}

// v31 (s31 or d31) = the float with these bits (through x16).
asm64::Vec FpConst(asm64::Assembler& a, bool f64, uint64_t bits) {
  MovBits(a, bits);
  if (f64) {
    a.fmov(asm64::d31, asm64::x16);
    return asm64::d31;
  }
  a.fmov(asm64::s31, asm64::w16);
  return asm64::s31;
}

// The exclusive (or, for `lo_inclusive`, inclusive) bounds of the inputs a trapping truncation
// accepts: trunc(x) fits the integer type iff lo < x < hi (lo <= x < hi when inclusive). A bound
// is the first float beyond the range, exactly representable: -2^31 - 1 exists in f64 only, so
// f32 -> i32_s uses lo = -2^31 inclusive; the unsigned ones accept (-1, 2^N).
struct TruncBounds {
  uint64_t lo, hi;
  bool lo_inclusive;
};

TruncBounds BoundsOf(bool f64, bool to64, bool is_signed) {
  constexpr uint64_t kF64MinusTwo31Minus1 = 0xC1E0000000200000ull,
                     kF64Two31 = 0x41E0000000000000ull;
  constexpr uint64_t kF32MinusTwo31 = 0xCF000000u, kF32Two31 = 0x4F000000u;
  constexpr uint64_t kF64MinusTwo63 = 0xC3E0000000000000ull, kF64Two63 = 0x43E0000000000000ull;
  constexpr uint64_t kF32MinusTwo63 = 0xDF000000u, kF32Two63 = 0x5F000000u;
  constexpr uint64_t kF64MinusOne = 0xBFF0000000000000ull, kF32MinusOne = 0xBF800000u;
  constexpr uint64_t kF64Two32 = 0x41F0000000000000ull, kF32Two32 = 0x4F800000u;
  constexpr uint64_t kF64Two64 = 0x43F0000000000000ull, kF32Two64 = 0x5F800000u;
  if (is_signed && !to64)
    return f64 ? TruncBounds{kF64MinusTwo31Minus1, kF64Two31, false}
               : TruncBounds{kF32MinusTwo31, kF32Two31, true};
  if (is_signed)
    return f64 ? TruncBounds{kF64MinusTwo63, kF64Two63, true}
               : TruncBounds{kF32MinusTwo63, kF32Two63, true};
  if (!to64)
    return f64 ? TruncBounds{kF64MinusOne, kF64Two32, false}
               : TruncBounds{kF32MinusOne, kF32Two32, false};
  return f64 ? TruncBounds{kF64MinusOne, kF64Two64, false}
             : TruncBounds{kF32MinusOne, kF32Two64, false};
}

}  // namespace

void Masm::FloatBinop(Op op, Reg dst, Reg lhs, Reg rhs) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  bool d = IsF64Op(op);
  asm64::Vec Dv = F(d, dst), L = F(d, lhs), R = F(d, rhs);
  switch (op) {
    case Op::F32Add:
    case Op::F64Add:
      a.fadd(Dv, L, R);
      return;
    case Op::F32Sub:
    case Op::F64Sub:
      a.fsub(Dv, L, R);
      return;
    case Op::F32Mul:
    case Op::F64Mul:
      a.fmul(Dv, L, R);
      return;
    case Op::F32Div:
    case Op::F64Div:
      a.fdiv(Dv, L, R);
      return;
    case Op::F32Min:
    case Op::F64Min:
      // fmin: a NaN operand gives NaN (quieted), and -0 < +0: Wasm's min already.
      a.fmin(Dv, L, R);
      return;
    case Op::F32Max:
    case Op::F64Max:
      a.fmax(Dv, L, R);
      return;
    case Op::F32Copysign:
    case Op::F64Copysign: {
      // v31 = the sign mask of the lane (movi 0 then fneg sets exactly the sign bit), then
      // bsl v31, rhs, lhs takes the sign from rhs and the rest from lhs (no aliasing concern:
      // the result is built in v31).
      a.movi(kVScratch0.d2(), 0);
      if (d)
        a.fneg(asm64::d31, asm64::d31);
      else
        a.fneg(asm64::s31, asm64::s31);
      a.bsl(kVScratch0.b8(), V(rhs).b8(), V(lhs).b8());
      if (d)
        a.fmov(D(dst), asm64::d31);
      else
        a.fmov(S(dst), asm64::s31);
      return;
    }
    default:
      impl_->Fail("FloatBinop: unexpected op");
      return;
  }
}

void Masm::FloatUnop(Op op, Reg dst, Reg src) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  bool d = IsF64Op(op);
  asm64::Vec Dv = F(d, dst), Sv = F(d, src);
  switch (op) {
    case Op::F32Abs:
    case Op::F64Abs:
      a.fabs(Dv, Sv);  // clears the sign bit only, also of a NaN
      return;
    case Op::F32Neg:
    case Op::F64Neg:
      a.fneg(Dv, Sv);  // flips the sign bit only, also of a NaN
      return;
    case Op::F32Sqrt:
    case Op::F64Sqrt:
      a.fsqrt(Dv, Sv);
      return;
    case Op::F32Ceil:
    case Op::F64Ceil:
      a.frintp(Dv, Sv);
      return;
    case Op::F32Floor:
    case Op::F64Floor:
      a.frintm(Dv, Sv);
      return;
    case Op::F32Trunc:
    case Op::F64Trunc:
      a.frintz(Dv, Sv);
      return;
    case Op::F32Nearest:
    case Op::F64Nearest:
      a.frintn(Dv, Sv);  // ties to even
      return;
    default:
      impl_->Fail("FloatUnop: unexpected op");
      return;
  }
}

void Masm::FloatCompare(Op op, Reg dst, Reg lhs, Reg rhs) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  bool d = IsF64Op(op);
  a.fcmp(F(d, lhs), F(d, rhs));
  a.cset(W(dst), FloatCond(op));
}

void Masm::BranchFloatCmp(JType t, Op op, bool when, Reg lhs, Reg rhs, Label l) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  bool d = t == JType::kF64;
  a.fcmp(F(d, lhs), F(d, rhs));
  asm64::CondCode cc = FloatCond(op);
  impl_->BranchCond(when ? cc : arm::negateCond(cc), AL(l));
}

void Masm::Convert(Op op, Reg dst, Reg src, Label invalid, Label overflow) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  switch (op) {
    // --- Integer -> float: one rounding, any sign ----------------------------------------
    case Op::F32ConvertI32S:
      a.scvtf(S(dst), W(src));
      return;
    case Op::F32ConvertI32U:
      a.ucvtf(S(dst), W(src));
      return;
    case Op::F64ConvertI32S:
      a.scvtf(D(dst), W(src));
      return;
    case Op::F64ConvertI32U:
      a.ucvtf(D(dst), W(src));
      return;
    case Op::F32ConvertI64S:
      a.scvtf(S(dst), X(src));
      return;
    case Op::F32ConvertI64U:
      a.ucvtf(S(dst), X(src));
      return;
    case Op::F64ConvertI64S:
      a.scvtf(D(dst), X(src));
      return;
    case Op::F64ConvertI64U:
      a.ucvtf(D(dst), X(src));
      return;
    // --- Float <-> float, reinterpretations ----------------------------------------------
    case Op::F32DemoteF64:
      a.fcvt(S(dst), D(src));
      return;
    case Op::F64PromoteF32:
      a.fcvt(D(dst), S(src));
      return;
    case Op::I32ReinterpretF32:
      a.fmov(W(dst), S(src));
      return;
    case Op::I64ReinterpretF64:
      a.fmov(X(dst), D(src));
      return;
    case Op::F32ReinterpretI32:
      a.fmov(S(dst), W(src));
      return;
    case Op::F64ReinterpretI64:
      a.fmov(D(dst), X(src));
      return;
    default:
      break;
  }

  // --- Float -> integer truncations --------------------------------------------------------
  bool f64 = false, to64 = false, is_signed = false, sat = false;
  switch (op) {
    case Op::I32TruncF32S:
      is_signed = true;
      break;
    case Op::I32TruncF32U:
      break;
    case Op::I32TruncF64S:
      f64 = is_signed = true;
      break;
    case Op::I32TruncF64U:
      f64 = true;
      break;
    case Op::I64TruncF32S:
      to64 = is_signed = true;
      break;
    case Op::I64TruncF32U:
      to64 = true;
      break;
    case Op::I64TruncF64S:
      f64 = to64 = is_signed = true;
      break;
    case Op::I64TruncF64U:
      f64 = to64 = true;
      break;
    case Op::I32TruncSatF32S:
      sat = is_signed = true;
      break;
    case Op::I32TruncSatF32U:
      sat = true;
      break;
    case Op::I32TruncSatF64S:
      sat = f64 = is_signed = true;
      break;
    case Op::I32TruncSatF64U:
      sat = f64 = true;
      break;
    case Op::I64TruncSatF32S:
      sat = to64 = is_signed = true;
      break;
    case Op::I64TruncSatF32U:
      sat = to64 = true;
      break;
    case Op::I64TruncSatF64S:
      sat = f64 = to64 = is_signed = true;
      break;
    case Op::I64TruncSatF64U:
      sat = f64 = to64 = true;
      break;
    default:
      impl_->Fail("Convert: unexpected op");
      return;
  }
  asm64::Vec Sv = F(f64, src);
  asm64::Gp Dg = to64 ? X(dst) : W(dst);
  if (!sat) {
    // fcvtz* saturates instead of faulting, so the trapping forms check first. The compare
    // with the lower bound is unordered (V set) exactly when x is NaN -> invalid; after it,
    // every comparison is ordered, so LT/LE/GE mean what they say: x outside the bounds ->
    // overflow.
    TruncBounds b = BoundsOf(f64, to64, is_signed);
    a.fcmp(Sv, FpConst(a, f64, b.lo));
    impl_->BranchCond(asm64::CondCode::kVS, AL(invalid));
    impl_->BranchCond(b.lo_inclusive ? asm64::CondCode::kLT : asm64::CondCode::kLE, AL(overflow));
    a.fcmp(Sv, FpConst(a, f64, b.hi));
    impl_->BranchCond(asm64::CondCode::kGE, AL(overflow));
  }
  if (is_signed)
    a.fcvtzs(Dg, Sv);
  else
    a.fcvtzu(Dg, Sv);
}

}  // namespace wt::jit::a64
