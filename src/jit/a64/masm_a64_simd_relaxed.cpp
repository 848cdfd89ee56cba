// aarch64 SIMD (NEON): the 20 relaxed SIMD ops (see masm_a64_simd.h). docs/simd-a64.md has
// the choices next to x64's.
//
// Each op is the cheapest NEON sequence whose result is one the relaxed-simd spec allows, and
// it is the same on every aarch64 CPU (no feature changes a result: sdot is not used, see the
// dot products below). Most choices coincide with the deterministic (non-relaxed) op:
//   i8x16.relaxed_swizzle         tbl: every index >= 16 gives 0 (= i8x16.swizzle)
//   relaxed_trunc_*               fcvtzs/fcvtzu (+ sqxtn/uqxtn): saturating, NaN -> 0
//                                 (= trunc_sat_*)
//   relaxed_madd / nmadd          fmla / fmls: fused, one rounding (a legal relaxed choice;
//                                 x64 fuses only with FMA3)
//   relaxed_laneselect            bsl: bitwise (= v128.bitselect), for every lane width
//   relaxed_min / max             fmin / fmax (= min / max: NaN propagates, -0 < +0)
//   i16x8.relaxed_q15mulr_s       sqrdmulh: saturating, 0x8000 * 0x8000 -> 0x7FFF
//                                 (= q15mulr_sat_s)
//   relaxed_dot_i8x16_i7x16_s     both operands signed, pair sums saturated to i16
//   ..._add_s                     the above, pairs summed to i32 (sadalp), + c
#include "jit/a64/masm_a64_simd.h"

namespace wt::jit::a64::simd {

namespace aa = asmjit::a64;
using wasm::Op;

namespace {

// Scratch (masm_a64_simd.h: v16..v28 are this family's within one op).
const aa::Vec kT0 = aa::v16, kT1 = aa::v17, kT2 = aa::v18;

aa::Vec F(Reg r, bool f64) {
  return f64 ? V(r).d2() : V(r).s4();
}

// madd: dst = a*b + c (fmla), nmadd: dst = c - a*b (fmls; -(a*b) + c is the same fused
// value: negation is exact). Both accumulate into their destination, which must hold c.
void Madd(aa::Assembler& as, bool f64, bool negate, const VOps& o) {
  auto fma = [&](const aa::Vec& acc) {
    if (negate) {
      as.fmls(acc, F(o.a, f64), F(o.b, f64));
    } else {
      as.fmla(acc, F(o.a, f64), F(o.b, f64));
    }
  };
  if (o.dst == o.c) {
    fma(F(o.dst, f64));
  } else if (o.dst != o.a && o.dst != o.b) {
    as.mov(V(o.dst).b16(), V(o.c).b16());
    fma(F(o.dst, f64));
  } else {
    as.mov(kT0.b16(), V(o.c).b16());
    fma(f64 ? kT0.d2() : kT0.s4());
    as.mov(V(o.dst).b16(), kT0.b16());
  }
}

// relaxed_laneselect(a, b, m) as bitselect: (a & m) | (b & ~m), whichever of bsl (dst is the
// mask), bif (dst is a) or bit (dst is b) needs no copy.
void Laneselect(aa::Assembler& as, const VOps& o) {
  const aa::Vec d = V(o.dst).b16(), a = V(o.a).b16(), b = V(o.b).b16(), c = V(o.c).b16();
  if (o.dst == o.c) {
    as.bsl(d, a, b);
  } else if (o.dst == o.a) {
    as.bif(d, b, c);  // b where the mask is clear
  } else if (o.dst == o.b) {
    as.bit(d, a, c);  // a where the mask is set
  } else {
    as.mov(d, c);
    as.bsl(d, a, b);
  }
}

// i16x8.relaxed_dot_i8x16_i7x16_s into `out` (.8h): the 16 products a[i]*b[i], both signed
// (exact in i16), then each adjacent pair summed with signed saturation (the spec's
// iadd_sat_s; only -128*-128 + -128*-128 saturates). The wrapping pairwise addp would give
// -32768 there, which the spec does not allow.
void Dot16(aa::Assembler& as, const aa::Vec& out, Reg a, Reg b) {
  as.smull(kT0.h8(), V(a).b8(), V(b).b8());     // products 0..7
  as.smull2(kT1.h8(), V(a).b16(), V(b).b16());  // products 8..15
  as.uzp1(kT2.h8(), kT0.h8(), kT1.h8());        // the even products
  as.uzp2(kT0.h8(), kT0.h8(), kT1.h8());        // the odd ones
  as.sqadd(out, kT2.h8(), kT0.h8());
}

}  // namespace

bool EmitRelaxed(Masm::Impl& m, Op op, const VOps& o) {
  aa::Assembler& as = m.a;
  switch (op) {
    case Op::I8x16RelaxedSwizzle:
      as.tbl(V(o.dst).b16(), V(o.a).b16(), V(o.b).b16());
      return true;
    case Op::I32x4RelaxedTruncF32x4S:
      as.fcvtzs(V(o.dst).s4(), V(o.a).s4());
      return true;
    case Op::I32x4RelaxedTruncF32x4U:
      as.fcvtzu(V(o.dst).s4(), V(o.a).s4());
      return true;
    case Op::I32x4RelaxedTruncF64x2SZero:
      as.fcvtzs(kT0.d2(), V(o.a).d2());
      as.sqxtn(V(o.dst).s2(), kT0.d2());  // a .2s write zeroes the upper lanes
      return true;
    case Op::I32x4RelaxedTruncF64x2UZero:
      as.fcvtzu(kT0.d2(), V(o.a).d2());
      as.uqxtn(V(o.dst).s2(), kT0.d2());
      return true;
    case Op::F32x4RelaxedMadd:
      Madd(as, false, false, o);
      return true;
    case Op::F32x4RelaxedNmadd:
      Madd(as, false, true, o);
      return true;
    case Op::F64x2RelaxedMadd:
      Madd(as, true, false, o);
      return true;
    case Op::F64x2RelaxedNmadd:
      Madd(as, true, true, o);
      return true;
    case Op::I8x16RelaxedLaneselect:
    case Op::I16x8RelaxedLaneselect:
    case Op::I32x4RelaxedLaneselect:
    case Op::I64x2RelaxedLaneselect:
      Laneselect(as, o);
      return true;
    case Op::F32x4RelaxedMin:
      as.fmin(V(o.dst).s4(), V(o.a).s4(), V(o.b).s4());
      return true;
    case Op::F32x4RelaxedMax:
      as.fmax(V(o.dst).s4(), V(o.a).s4(), V(o.b).s4());
      return true;
    case Op::F64x2RelaxedMin:
      as.fmin(V(o.dst).d2(), V(o.a).d2(), V(o.b).d2());
      return true;
    case Op::F64x2RelaxedMax:
      as.fmax(V(o.dst).d2(), V(o.a).d2(), V(o.b).d2());
      return true;
    case Op::I16x8RelaxedQ15mulrS:
      as.sqrdmulh(V(o.dst).h8(), V(o.a).h8(), V(o.b).h8());
      return true;
    case Op::I16x8RelaxedDotI8x16I7x16S:
      Dot16(as, V(o.dst).h8(), o.a, o.b);
      return true;
    case Op::I32x4RelaxedDotI8x16I7x16AddS:
      // The i16 dot in v16, its pairs summed into i32 lanes and added to c: sadalp
      // accumulates into its destination, so it runs in place when dst is c.
      Dot16(as, kT0.h8(), o.a, o.b);
      if (o.dst == o.c) {
        as.sadalp(V(o.dst).s4(), kT0.h8());
      } else {
        as.saddlp(kT0.s4(), kT0.h8());
        as.add(V(o.dst).s4(), kT0.s4(), V(o.c).s4());
      }
      return true;
    default:
      return false;
  }
}

int TempsRelaxed(const CpuFeatures& /*cpu*/, Op /*op*/) {
  return 0;  // v16..v18 are enough for every relaxed op
}

}  // namespace wt::jit::a64::simd
