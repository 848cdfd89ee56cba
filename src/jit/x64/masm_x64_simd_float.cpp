// x86_64 SIMD family: f32x4/f64x2 arithmetic, min/max/pmin/pmax, abs/neg/sqrt, compares, rounding.
// See masm_x64_simd.h for the helpers and the dispatch.
//
// NaNs: x86 arithmetic returns the first NaN operand quieted, or the default NaN (sign set,
// quiet bit only) for invalid operations. Both satisfy wasm's rules (canonical in, canonical
// out; else an arithmetic NaN), so add/sub/mul/div/sqrt and the roundings are single
// instructions. min/max need wasm's NaN propagation and -0 < +0, which minps/maxps lack: they
// run both operand orders and merge (see EmitMinMax). pmin/pmax are exactly minps/maxps with
// the operands swapped. None of these ops needs a compiler temp: xmm15 is enough.
#include "jit/x64/masm_x64_simd.h"

namespace wt::jit::x64::simd {

using namespace asmjit;
using wasm::Op;

namespace {

// The SSE and VEX forms of one float op, for the f32x4 (ps) or f64x2 (pd) shape.
struct FInst {
  InstId sse;
  InstId vex;
};

FInst Pick(bool f64, FInst ps, FInst pd) {
  return f64 ? pd : ps;
}

// wasm min/max: x86 minps(x, y) returns y when either is NaN or both are zeros, so
// min(a,b) and min(b,a) together see every NaN and both zero signs:
//   min: r = min(a,b) | min(b,a)     (a -0 or a NaN wins the or)
//   max: d = max(a,b) ^ max(b,a); r = (max(b,a) | d) - d
//        (zeros of different signs: (+-0 | -0) - -0 = +0; NaN lanes stay NaN and get quieted)
// then NaN lanes (cmpunord) get the payload cleared below the quiet bit: canonical NaN.
void EmitMinMax(Vx& v, bool max, bool f64, Reg dst, Reg a, Reg b) {
  const x86::Xmm d = Vx::Xr(dst), s = Vx::Xr(kScratch);
  const x86::Xmm xa = Vx::Xr(a), xb = Vx::Xr(b);
  const InstId mm =
      max ? (f64 ? Inst::kIdMaxpd : Inst::kIdMaxps) : (f64 ? Inst::kIdMinpd : Inst::kIdMinps);
  const InstId vmm =
      max ? (f64 ? Inst::kIdVmaxpd : Inst::kIdVmaxps) : (f64 ? Inst::kIdVminpd : Inst::kIdVminps);
  const InstId cmp = f64 ? Inst::kIdCmppd : Inst::kIdCmpps;
  const InstId vcmp = f64 ? Inst::kIdVcmppd : Inst::kIdVcmpps;
  const InstId sub = f64 ? Inst::kIdSubpd : Inst::kIdSubps;
  const InstId vsub = f64 ? Inst::kIdVsubpd : Inst::kIdVsubps;
  const InstId srl = f64 ? Inst::kIdPsrlq : Inst::kIdPsrld;
  const InstId vsrl = f64 ? Inst::kIdVpsrlq : Inst::kIdVpsrld;
  const uint32_t nan_shift = f64 ? 13 : 10;  // mask of the payload bits below the quiet bit
  x86::Assembler& as = v.a;
  if (v.avx) {
    as.emit(vmm, s, xa, xb);  // s = op(a, b)
    as.emit(vmm, d, xb, xa);  // d = op(b, a)
    if (max) {
      as.vxorps(d, d, s);
      as.vorps(s, s, d);
      as.emit(vsub, s, s, d);
    } else {
      as.vorps(s, s, d);
    }
    as.emit(vcmp, d, d, s, Imm(3));  // unord
    if (!max) as.vorps(s, s, d);
    as.emit(vsrl, d, d, Imm(nan_shift));
    as.vandnps(d, d, s);
    return;
  }
  // s and d get op(x, y) and op(y, x) in either order (the merge is symmetric).
  if (dst == a) {
    as.movaps(s, xb);
    as.emit(mm, s, xa);  // s = op(b, a)
    as.emit(mm, d, xb);  // d = op(a, b)
  } else {
    as.movaps(s, xa);
    as.emit(mm, s, xb);  // s = op(a, b)
    v.Mov(dst, b);
    as.emit(mm, d, xa);  // d = op(b, a)
  }
  if (max) {
    as.xorps(d, s);
    as.orps(s, d);
    as.emit(sub, s, d);
  } else {
    as.orps(s, d);
  }
  as.emit(cmp, d, s, Imm(3));  // unord
  if (!max) as.orps(s, d);
  as.emit(srl, d, Imm(nan_shift));
  as.andnps(d, s);
}

// abs / neg: and with 0x7FF..F / xor with the sign bit, masks built in xmm15.
void EmitSignOp(Vx& v, bool neg, bool f64, Reg dst, Reg a) {
  v.Ones(kScratch);
  if (neg) {
    v.ShiftI(f64 ? Inst::kIdPsllq : Inst::kIdPslld, f64 ? Inst::kIdVpsllq : Inst::kIdVpslld,
             kScratch, kScratch, f64 ? 63 : 31);
    v.Op3(Inst::kIdXorps, Inst::kIdVxorps, dst, a, kScratch, true);
  } else {
    v.ShiftI(f64 ? Inst::kIdPsrlq : Inst::kIdPsrld, f64 ? Inst::kIdVpsrlq : Inst::kIdVpsrld,
             kScratch, kScratch, 1);
    v.Op3(Inst::kIdAndps, Inst::kIdVandps, dst, a, kScratch, true);
  }
}

// Compares: cmpps predicates. SSE has no gt/ge (the AVX-only predicates 0x0E GT_OS and
// 0x0D GE_OS): they are lt/le with the operands swapped.
void EmitCompare(Vx& v, bool f64, uint32_t pred, bool swap, Reg dst, Reg a, Reg b) {
  const InstId sse = f64 ? Inst::kIdCmppd : Inst::kIdCmpps;
  const InstId vex = f64 ? Inst::kIdVcmppd : Inst::kIdVcmpps;
  if (swap && !v.avx) {
    v.Op3i(sse, vex, dst, b, a, pred);
    return;
  }
  if (swap) pred = pred == 1 ? 0x0E : 0x0D;  // lt -> gt, le -> ge
  if (!v.avx && dst == b && dst != a && (pred == 0 || pred == 4)) {
    v.a.emit(sse, Vx::Xr(dst), Vx::Xr(a), Imm(pred));  // eq/ne are commutative
    return;
  }
  v.Op3i(sse, vex, dst, a, b, pred);
}

}  // namespace

bool EmitFloat(Vx& v, Op op, const VOps& o) {
  constexpr FInst kAddps{Inst::kIdAddps, Inst::kIdVaddps}, kAddpd{Inst::kIdAddpd, Inst::kIdVaddpd};
  constexpr FInst kSubps{Inst::kIdSubps, Inst::kIdVsubps}, kSubpd{Inst::kIdSubpd, Inst::kIdVsubpd};
  constexpr FInst kMulps{Inst::kIdMulps, Inst::kIdVmulps}, kMulpd{Inst::kIdMulpd, Inst::kIdVmulpd};
  constexpr FInst kDivps{Inst::kIdDivps, Inst::kIdVdivps}, kDivpd{Inst::kIdDivpd, Inst::kIdVdivpd};
  constexpr FInst kMinps{Inst::kIdMinps, Inst::kIdVminps}, kMinpd{Inst::kIdMinpd, Inst::kIdVminpd};
  constexpr FInst kMaxps{Inst::kIdMaxps, Inst::kIdVmaxps}, kMaxpd{Inst::kIdMaxpd, Inst::kIdVmaxpd};
  constexpr FInst kSqrtps{Inst::kIdSqrtps, Inst::kIdVsqrtps};
  constexpr FInst kSqrtpd{Inst::kIdSqrtpd, Inst::kIdVsqrtpd};
  constexpr FInst kRoundps{Inst::kIdRoundps, Inst::kIdVroundps};
  constexpr FInst kRoundpd{Inst::kIdRoundpd, Inst::kIdVroundpd};
  // Never commuted, not even add/mul: with two NaN inputs x86 returns the first one, and the
  // SSE and AVX lowerings must give the same bits (the simd_isa fuzz target compares them).
  auto binop = [&](FInst i) { v.Op3(i.sse, i.vex, o.dst, o.a, o.b); };
  // roundps immediates: 0 nearest (ties to even), 1 floor, 2 ceil, 3 trunc; +8 suppresses
  // the precision exception (masked anyway).
  auto round = [&](bool f64, uint32_t mode) {
    FInst i = Pick(f64, kRoundps, kRoundpd);
    v.Op2i(i.sse, i.vex, o.dst, o.a, mode | 8);
  };
  switch (op) {
    case Op::F32x4Add:
    case Op::F64x2Add:
      binop(Pick(op == Op::F64x2Add, kAddps, kAddpd));
      return true;
    case Op::F32x4Sub:
    case Op::F64x2Sub:
      binop(Pick(op == Op::F64x2Sub, kSubps, kSubpd));
      return true;
    case Op::F32x4Mul:
    case Op::F64x2Mul:
      binop(Pick(op == Op::F64x2Mul, kMulps, kMulpd));
      return true;
    case Op::F32x4Div:
    case Op::F64x2Div:
      binop(Pick(op == Op::F64x2Div, kDivps, kDivpd));
      return true;
    case Op::F32x4Sqrt:
    case Op::F64x2Sqrt: {
      FInst i = Pick(op == Op::F64x2Sqrt, kSqrtps, kSqrtpd);
      v.Op2(i.sse, i.vex, o.dst, o.a);
      return true;
    }
    case Op::F32x4Abs:
    case Op::F64x2Abs:
      EmitSignOp(v, false, op == Op::F64x2Abs, o.dst, o.a);
      return true;
    case Op::F32x4Neg:
    case Op::F64x2Neg:
      EmitSignOp(v, true, op == Op::F64x2Neg, o.dst, o.a);
      return true;
    case Op::F32x4Min:
    case Op::F64x2Min:
      EmitMinMax(v, false, op == Op::F64x2Min, o.dst, o.a, o.b);
      return true;
    case Op::F32x4Max:
    case Op::F64x2Max:
      EmitMinMax(v, true, op == Op::F64x2Max, o.dst, o.a, o.b);
      return true;
    // pmin(a, b) = b < a ? b : a = minps(b, a); pmax(a, b) = a < b ? b : a = maxps(b, a).
    case Op::F32x4Pmin:
    case Op::F64x2Pmin: {
      FInst i = Pick(op == Op::F64x2Pmin, kMinps, kMinpd);
      v.Op3(i.sse, i.vex, o.dst, o.b, o.a);
      return true;
    }
    case Op::F32x4Pmax:
    case Op::F64x2Pmax: {
      FInst i = Pick(op == Op::F64x2Pmax, kMaxps, kMaxpd);
      v.Op3(i.sse, i.vex, o.dst, o.b, o.a);
      return true;
    }
    case Op::F32x4Eq:
    case Op::F64x2Eq:
      EmitCompare(v, op == Op::F64x2Eq, 0, false, o.dst, o.a, o.b);
      return true;
    case Op::F32x4Ne:
    case Op::F64x2Ne:
      EmitCompare(v, op == Op::F64x2Ne, 4, false, o.dst, o.a, o.b);  // NEQ_UQ: NaN -> true
      return true;
    case Op::F32x4Lt:
    case Op::F64x2Lt:
      EmitCompare(v, op == Op::F64x2Lt, 1, false, o.dst, o.a, o.b);
      return true;
    case Op::F32x4Le:
    case Op::F64x2Le:
      EmitCompare(v, op == Op::F64x2Le, 2, false, o.dst, o.a, o.b);
      return true;
    case Op::F32x4Gt:
    case Op::F64x2Gt:
      EmitCompare(v, op == Op::F64x2Gt, 1, true, o.dst, o.a, o.b);
      return true;
    case Op::F32x4Ge:
    case Op::F64x2Ge:
      EmitCompare(v, op == Op::F64x2Ge, 2, true, o.dst, o.a, o.b);
      return true;
    case Op::F32x4Nearest:
      round(false, 0);
      return true;
    case Op::F32x4Floor:
      round(false, 1);
      return true;
    case Op::F32x4Ceil:
      round(false, 2);
      return true;
    case Op::F32x4Trunc:
      round(false, 3);
      return true;
    case Op::F64x2Nearest:
      round(true, 0);
      return true;
    case Op::F64x2Floor:
      round(true, 1);
      return true;
    case Op::F64x2Ceil:
      round(true, 2);
      return true;
    case Op::F64x2Trunc:
      round(true, 3);
      return true;
    default:
      return false;
  }
}

int TempsFloat(const CpuFeatures& cpu, Op op) {
  (void)cpu;
  (void)op;
  return 0;  // xmm15 is the only extra register any of these ops needs
}

}  // namespace wt::jit::x64::simd
