// aarch64 SIMD (NEON): the float family (see masm_a64_simd.h): f32x4/f64x2 arithmetic,
// min/max/pmin/pmax, abs/neg/sqrt, compares, rounding, conversions, trunc_sat, demote/promote.
// docs/simd-a64.md has the mapping table.
//
// NaNs: with FPCR.DN = 0 (the Linux default, which wtrun never changes) NEON arithmetic returns
// the first signalling NaN operand quieted, else the first quiet NaN operand, else (invalid
// operation) the default NaN 0x7FC00000 / 0x7FF8000000000000. A canonical NaN in gives the
// same canonical NaN out, any other NaN an arithmetic NaN: exactly wasm's rule, so every op
// here is the one NEON instruction, no fix-up. fabs/fneg are sign-bit operations (no NaN
// processing), as wasm's abs/neg. fmin/fmax are wasm's min/max: NaN wins (propagated as
// above) and -0 < +0. The conversions saturate and map NaN to 0 natively (fcvtz*), which is
// wasm's trunc_sat. Rounding (frint*, fcvt*, scvtf/ucvtf) uses FPCR.RMode = nearest-even,
// wasm's mode. No op needs a compiler temp: v16.. are the Masm's.
#include <string_view>

#include "jit/a64/masm_a64_simd.h"

namespace wt::jit::a64::simd {

namespace aa = asmjit::a64;
using wasm::Op;

namespace {

// The whole-register arrangement of one float shape: .4s (f32x4) or .2d (f64x2).
aa::Vec F(Reg r, bool f64) {
  return f64 ? V(r).d2() : V(r).s4();
}

const aa::Vec kT0 = aa::v16;  // scratch (masm_a64_simd.h: v16..v28 are ours within one op)

// dst = (cmp_lhs > cmp_rhs) ? b : a (pmin/pmax: the lanes where the mask is set take b).
// fcmgt is false for NaN operands, so those lanes keep a, as wasm's pmin/pmax want.
void PSelect(aa::Assembler& as, bool f64, Reg dst, Reg a, Reg b, Reg cmp_lhs, Reg cmp_rhs) {
  if (dst != a && dst != b) {
    as.fcmgt(F(dst, f64), F(cmp_lhs, f64), F(cmp_rhs, f64));
    as.bsl(V(dst).b16(), V(b).b16(), V(a).b16());
    return;
  }
  as.fcmgt(f64 ? kT0.d2() : kT0.s4(), F(cmp_lhs, f64), F(cmp_rhs, f64));
  if (dst == a) {
    as.bit(V(dst).b16(), V(b).b16(), kT0.b16());  // insert b where the mask is set
  } else {
    as.bif(V(dst).b16(), V(a).b16(), kT0.b16());  // dst is b: insert a where it is clear
  }
}

}  // namespace

bool EmitFloat(Masm::Impl& m, Op op, const VOps& o) {
  aa::Assembler& as = m.a;
  // The shape of the arithmetic and compare ops (the conversions name their arrangements).
  const bool f64 = std::string_view(wasm::OpText(op)).starts_with("f64x2.");
  auto d = [&] { return F(o.dst, f64); };
  auto a = [&] { return F(o.a, f64); };
  auto b = [&] { return F(o.b, f64); };
  switch (op) {
    case Op::F32x4Add:
    case Op::F64x2Add:
      as.fadd(d(), a(), b());
      return true;
    case Op::F32x4Sub:
    case Op::F64x2Sub:
      as.fsub(d(), a(), b());
      return true;
    case Op::F32x4Mul:
    case Op::F64x2Mul:
      as.fmul(d(), a(), b());
      return true;
    case Op::F32x4Div:
    case Op::F64x2Div:
      as.fdiv(d(), a(), b());
      return true;
    case Op::F32x4Sqrt:
    case Op::F64x2Sqrt:
      as.fsqrt(d(), a());
      return true;
    case Op::F32x4Abs:
    case Op::F64x2Abs:
      as.fabs(d(), a());
      return true;
    case Op::F32x4Neg:
    case Op::F64x2Neg:
      as.fneg(d(), a());
      return true;
    case Op::F32x4Min:
    case Op::F64x2Min:
      as.fmin(d(), a(), b());
      return true;
    case Op::F32x4Max:
    case Op::F64x2Max:
      as.fmax(d(), a(), b());
      return true;
    // pmin(a, b) = b < a ? b : a; pmax(a, b) = a < b ? b : a.
    case Op::F32x4Pmin:
    case Op::F64x2Pmin:
      PSelect(as, f64, o.dst, o.a, o.b, o.a, o.b);
      return true;
    case Op::F32x4Pmax:
    case Op::F64x2Pmax:
      PSelect(as, f64, o.dst, o.a, o.b, o.b, o.a);
      return true;
    // Compares: fcmeq/fcmgt/fcmge are false for unordered lanes; lt/le swap the operands of
    // gt/ge, and ne (true for NaN lanes) is not-eq.
    case Op::F32x4Eq:
    case Op::F64x2Eq:
      as.fcmeq(d(), a(), b());
      return true;
    case Op::F32x4Ne:
    case Op::F64x2Ne:
      as.fcmeq(d(), a(), b());
      as.mvn(V(o.dst).b16(), V(o.dst).b16());
      return true;
    case Op::F32x4Lt:
    case Op::F64x2Lt:
      as.fcmgt(d(), b(), a());
      return true;
    case Op::F32x4Le:
    case Op::F64x2Le:
      as.fcmge(d(), b(), a());
      return true;
    case Op::F32x4Gt:
    case Op::F64x2Gt:
      as.fcmgt(d(), a(), b());
      return true;
    case Op::F32x4Ge:
    case Op::F64x2Ge:
      as.fcmge(d(), a(), b());
      return true;
    case Op::F32x4Ceil:
    case Op::F64x2Ceil:
      as.frintp(d(), a());
      return true;
    case Op::F32x4Floor:
    case Op::F64x2Floor:
      as.frintm(d(), a());
      return true;
    case Op::F32x4Trunc:
    case Op::F64x2Trunc:
      as.frintz(d(), a());
      return true;
    case Op::F32x4Nearest:
    case Op::F64x2Nearest:
      as.frintn(d(), a());  // ties to even
      return true;
    // Conversions.
    case Op::F32x4ConvertI32x4S:
      as.scvtf(V(o.dst).s4(), V(o.a).s4());
      return true;
    case Op::F32x4ConvertI32x4U:
      as.ucvtf(V(o.dst).s4(), V(o.a).s4());
      return true;
    case Op::I32x4TruncSatF32x4S:
      as.fcvtzs(V(o.dst).s4(), V(o.a).s4());
      return true;
    case Op::I32x4TruncSatF32x4U:
      as.fcvtzu(V(o.dst).s4(), V(o.a).s4());
      return true;
    // fcvtz* .2d saturates to i64 (NaN -> 0), the narrowing saturates to i32 / u32; writing a
    // .2s register zeroes the upper 64 bits: the two zero lanes.
    case Op::I32x4TruncSatF64x2SZero:
      as.fcvtzs(kT0.d2(), V(o.a).d2());
      as.sqxtn(V(o.dst).s2(), kT0.d2());
      return true;
    case Op::I32x4TruncSatF64x2UZero:
      as.fcvtzu(kT0.d2(), V(o.a).d2());
      as.uqxtn(V(o.dst).s2(), kT0.d2());
      return true;
    // Every i32 is exact in f64: widen the low two lanes, then convert.
    case Op::F64x2ConvertLowI32x4S:
      as.sxtl(V(o.dst).d2(), V(o.a).s2());
      as.scvtf(V(o.dst).d2(), V(o.dst).d2());
      return true;
    case Op::F64x2ConvertLowI32x4U:
      as.uxtl(V(o.dst).d2(), V(o.a).s2());
      as.ucvtf(V(o.dst).d2(), V(o.dst).d2());
      return true;
    case Op::F32x4DemoteF64x2Zero:  // fcvtn writes .2s: the upper lanes become zero
      as.fcvtn(V(o.dst).s2(), V(o.a).d2());
      return true;
    case Op::F64x2PromoteLowF32x4:
      as.fcvtl(V(o.dst).d2(), V(o.a).s2());
      return true;
    default:
      return false;
  }
}

int TempsFloat(const CpuFeatures& /*cpu*/, Op /*op*/) {
  return 0;  // v16 is the only extra register any of these ops needs
}

}  // namespace wt::jit::a64::simd
