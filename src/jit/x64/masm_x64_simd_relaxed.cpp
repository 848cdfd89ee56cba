// x86_64 SIMD family: the 20 relaxed SIMD ops (docs/simd.md has the deterministic choices).
// See masm_x64_simd.h for the helpers and the dispatch.
//
// Every relaxed op gives the same bits on the SSE4.1 and the AVX paths, except madd/nmadd:
// fused (vfmadd231/vfnmadd231) when the CPU has FMA3 and the cap allows AVX2, else a rounded
// multiply then an add/subtract (what V8 does without FMA).
//
//   i8x16.relaxed_swizzle         pshufb (an index >= 16 with bit 7 clear picks a[idx & 15])
//   relaxed_trunc_*_s             cvttps2dq / cvttpd2dq (NaN, out of range -> INT32_MIN)
//   relaxed_trunc_*_u             saturating, as trunc_sat_*_u
//   relaxed_laneselect            by the top bit of each byte (i8x16, i16x8) or lane (i32x4,
//                                 i64x2): AVX vpblendvb/vblendvps/vblendvpd, SSE mask + select
//   relaxed_min / max             minps/maxps/minpd/maxpd: the second operand when either is
//                                 NaN or both are zeros
//   i16x8.relaxed_q15mulr_s       pmulhrsw (0x8000 * 0x8000 -> 0x8000)
//   relaxed_dot_i8x16_i7x16_s     pmaddubsw with b unsigned, a signed; i16 sums saturated
//   ..._add_s                     the above, pmaddwd with ones (pairs summed), + c
#include "jit/x64/masm_x64_simd.h"

namespace wt::jit::x64::simd {

using namespace asmjit;
using wasm::Op;

namespace {

// dst <- OP(dst, src) (the SSE destructive form; VEX `vop dst,dst,src`).
void Do(Vx& v, InstId sse, InstId vex, Reg dst, Reg src) {
  v.Op3(sse, vex, dst, dst, src);
}

// x <- `bits` in both 64-bit lanes (through r11).
void Splat64(Vx& v, Reg x, uint64_t bits) {
  v.a.mov(x86::r11, bits);
  v.a.emit(v.avx ? Inst::kIdVmovq : Inst::kIdMovq, Vx::Xr(x), x86::r11);
  v.Op3(Inst::kIdPunpcklqdq, Inst::kIdVpunpcklqdq, x, x, x);
}

// i32x4.relaxed_trunc_f32x4_u = i32x4.trunc_sat_f32x4_u (V8's sequence). NaN and negative
// lanes -> 0, >= 2^32 -> 0xFFFFFFFF. Uses xmm15 and t.
void TruncF32x4U(Vx& v, Reg dst, Reg src, Reg t) {
  const Reg x = kScratch;
  v.Mov(dst, src);
  v.Zero(x);
  Do(v, Inst::kIdMaxps, Inst::kIdVmaxps, dst, x);  // NaN -> 0 (maxps returns the 2nd), < 0 -> 0
  v.Ones(x);
  v.ShiftI(Inst::kIdPsrld, Inst::kIdVpsrld, x, x, 1);    // 0x7FFFFFFF
  v.Op2(Inst::kIdCvtdq2ps, Inst::kIdVcvtdq2ps, x, x);    // 2^31f
  v.Op3(Inst::kIdSubps, Inst::kIdVsubps, t, dst, x);     // t = x - 2^31
  v.Op3i(Inst::kIdCmpps, Inst::kIdVcmpps, x, x, t, 2);   // x = (2^31 <= t): x >= 2^32
  v.Op2(Inst::kIdCvttps2dq, Inst::kIdVcvttps2dq, t, t);  // >= 2^32 lanes: 0x80000000
  Do(v, Inst::kIdPxor, Inst::kIdVpxor, t, x);            // ... -> 0x7FFFFFFF
  v.Zero(x);
  Do(v, Inst::kIdPmaxsd, Inst::kIdVpmaxsd, t, x);            // x < 2^31 lanes: 0
  v.Op2(Inst::kIdCvttps2dq, Inst::kIdVcvttps2dq, dst, dst);  // >= 2^31 lanes: 0x80000000
  Do(v, Inst::kIdPaddd, Inst::kIdVpaddd, dst, t);
}

// i32x4.relaxed_trunc_f64x2_u_zero = trunc_sat_f64x2_u_zero: clamp to [0, 2^32-1] (NaN -> 0),
// truncate, add 2^52 and take the low dwords. Uses xmm15 and t.
void TruncF64x2UZero(Vx& v, Reg dst, Reg src, Reg t) {
  const Reg x = kScratch;
  v.Mov(dst, src);
  v.Zero(x);
  Do(v, Inst::kIdMaxpd, Inst::kIdVmaxpd, dst, x);  // NaN -> 0, negative -> 0
  Splat64(v, t, 0x41EFFFFFFFE00000ull);            // 4294967295.0
  Do(v, Inst::kIdMinpd, Inst::kIdVminpd, dst, t);
  v.Op2i(Inst::kIdRoundpd, Inst::kIdVroundpd, dst, dst, 3);  // toward zero
  Splat64(v, t, 0x4330000000000000ull);                      // 2^52
  Do(v, Inst::kIdAddpd, Inst::kIdVaddpd, dst, t);
  v.Op3i(Inst::kIdShufps, Inst::kIdVshufps, dst, dst, x, 0x88);  // low dwords, then zeros
}

// madd: dst = a*b + c; nmadd: dst = -(a*b) + c.
void Madd(Vx& v, bool f64, bool negate, const VOps& o) {
  if (v.cpu.fma && v.cpu.avx2) {
    // The 231 form accumulates into c's register, the 213 form into a multiplicand's.
    InstId i231 = f64 ? (negate ? Inst::kIdVfnmadd231pd : Inst::kIdVfmadd231pd)
                      : (negate ? Inst::kIdVfnmadd231ps : Inst::kIdVfmadd231ps);
    InstId i213 = f64 ? (negate ? Inst::kIdVfnmadd213pd : Inst::kIdVfmadd213pd)
                      : (negate ? Inst::kIdVfnmadd213ps : Inst::kIdVfmadd213ps);
    if (o.dst == o.c) {
      v.a.emit(i231, Vx::Xr(o.dst), Vx::Xr(o.a), Vx::Xr(o.b));
    } else if (o.dst == o.a) {
      v.a.emit(i213, Vx::Xr(o.dst), Vx::Xr(o.b), Vx::Xr(o.c));
    } else if (o.dst == o.b) {
      v.a.emit(i213, Vx::Xr(o.dst), Vx::Xr(o.a), Vx::Xr(o.c));
    } else {
      v.Mov(o.dst, o.c);
      v.a.emit(i231, Vx::Xr(o.dst), Vx::Xr(o.a), Vx::Xr(o.b));
    }
    return;
  }
  // Unfused: the product (rounded) in xmm15, then c + p or c - p. The same operand order on
  // the SSE and the AVX paths, so NaN propagation is the same too.
  v.Op3(f64 ? Inst::kIdMulpd : Inst::kIdMulps, f64 ? Inst::kIdVmulpd : Inst::kIdVmulps, kScratch,
        o.a, o.b);
  if (negate) {
    v.Op3(f64 ? Inst::kIdSubpd : Inst::kIdSubps, f64 ? Inst::kIdVsubpd : Inst::kIdVsubps, o.dst,
          o.c, kScratch);
  } else if (v.avx) {
    v.a.emit(f64 ? Inst::kIdVaddpd : Inst::kIdVaddps, Vx::Xr(o.dst), Vx::Xr(kScratch), Vx::Xr(o.c));
  } else {
    v.a.emit(f64 ? Inst::kIdAddpd : Inst::kIdAddps, Vx::Xr(kScratch), Vx::Xr(o.c));
    v.Mov(o.dst, kScratch);
  }
}

// relaxed_laneselect(a, b, m): a where the mask's selecting top bit is set, else b.
// lane_bits 8 and 16: by the top bit of each byte (pblendvb); 32 and 64: by the top bit of
// each lane.
void Laneselect(Vx& v, int lane_bits, const VOps& o) {
  if (v.avx) {
    InstId blend = lane_bits <= 16   ? Inst::kIdVpblendvb
                   : lane_bits == 32 ? Inst::kIdVblendvps
                                     : Inst::kIdVblendvpd;
    v.a.emit(blend, Vx::Xr(o.dst), Vx::Xr(o.b), Vx::Xr(o.a), Vx::Xr(o.c));
    return;
  }
  const Reg x = kScratch;
  auto xr = Vx::Xr;
  // x = the mask: all ones where the selecting top bit is set.
  if (lane_bits <= 16) {
    v.a.pxor(xr(x), xr(x));
    v.a.pcmpgtb(xr(x), xr(o.c));
  } else if (lane_bits == 32) {
    v.a.movaps(xr(x), xr(o.c));
    v.a.psrad(xr(x), 31);
  } else {
    v.a.pshufd(xr(x), xr(o.c), 0xF5);
    v.a.psrad(xr(x), 31);
  }
  if (o.dst == o.b && !(o.dst == o.a)) {
    // a ^ (~m & (a ^ b)), b's register being dst.
    v.a.pxor(xr(o.dst), xr(o.a));
    v.a.pandn(xr(x), xr(o.dst));
    v.a.movaps(xr(o.dst), xr(o.a));
    v.a.pxor(xr(o.dst), xr(x));
    return;
  }
  // b ^ (m & (a ^ b)).
  v.Mov(o.dst, o.a);
  v.a.pxor(xr(o.dst), xr(o.b));
  v.a.pand(xr(o.dst), xr(x));
  v.a.pxor(xr(o.dst), xr(o.b));
}

}  // namespace

bool EmitRelaxed(Vx& v, Op op, const VOps& o) {
  switch (op) {
    case Op::I8x16RelaxedSwizzle:
      v.Op3(Inst::kIdPshufb, Inst::kIdVpshufb, o.dst, o.a, o.b);
      return true;
    case Op::I32x4RelaxedTruncF32x4S:
      v.Op2(Inst::kIdCvttps2dq, Inst::kIdVcvttps2dq, o.dst, o.a);
      return true;
    case Op::I32x4RelaxedTruncF32x4U:
      TruncF32x4U(v, o.dst, o.a, o.t.t0);
      return true;
    case Op::I32x4RelaxedTruncF64x2SZero:
      v.Op2(Inst::kIdCvttpd2dq, Inst::kIdVcvttpd2dq, o.dst, o.a);
      return true;
    case Op::I32x4RelaxedTruncF64x2UZero:
      TruncF64x2UZero(v, o.dst, o.a, o.t.t0);
      return true;
    case Op::F32x4RelaxedMadd:
      Madd(v, false, false, o);
      return true;
    case Op::F32x4RelaxedNmadd:
      Madd(v, false, true, o);
      return true;
    case Op::F64x2RelaxedMadd:
      Madd(v, true, false, o);
      return true;
    case Op::F64x2RelaxedNmadd:
      Madd(v, true, true, o);
      return true;
    case Op::I8x16RelaxedLaneselect:
      Laneselect(v, 8, o);
      return true;
    case Op::I16x8RelaxedLaneselect:
      Laneselect(v, 16, o);
      return true;
    case Op::I32x4RelaxedLaneselect:
      Laneselect(v, 32, o);
      return true;
    case Op::I64x2RelaxedLaneselect:
      Laneselect(v, 64, o);
      return true;
    case Op::F32x4RelaxedMin:
      v.Op3(Inst::kIdMinps, Inst::kIdVminps, o.dst, o.a, o.b);
      return true;
    case Op::F32x4RelaxedMax:
      v.Op3(Inst::kIdMaxps, Inst::kIdVmaxps, o.dst, o.a, o.b);
      return true;
    case Op::F64x2RelaxedMin:
      v.Op3(Inst::kIdMinpd, Inst::kIdVminpd, o.dst, o.a, o.b);
      return true;
    case Op::F64x2RelaxedMax:
      v.Op3(Inst::kIdMaxpd, Inst::kIdVmaxpd, o.dst, o.a, o.b);
      return true;
    case Op::I16x8RelaxedQ15mulrS:
      v.Op3(Inst::kIdPmulhrsw, Inst::kIdVpmulhrsw, o.dst, o.a, o.b, true);
      return true;
    case Op::I16x8RelaxedDotI8x16I7x16S:
      // pmaddubsw's first source is the unsigned one: b.
      v.Op3(Inst::kIdPmaddubsw, Inst::kIdVpmaddubsw, o.dst, o.b, o.a);
      return true;
    case Op::I32x4RelaxedDotI8x16I7x16AddS: {
      const Reg x = kScratch, t = o.t.t0;
      v.Op3(Inst::kIdPmaddubsw, Inst::kIdVpmaddubsw, x, o.b, o.a);
      v.Ones(t);
      v.ShiftI(Inst::kIdPsrlw, Inst::kIdVpsrlw, t, t, 15);  // 1 in each i16 lane
      Do(v, Inst::kIdPmaddwd, Inst::kIdVpmaddwd, x, t);
      v.Op3(Inst::kIdPaddd, Inst::kIdVpaddd, o.dst, x, o.c, true);
      return true;
    }
    default:
      return false;
  }
}

int TempsRelaxed(const CpuFeatures& cpu, Op op) {
  (void)cpu;
  switch (op) {
    case Op::I32x4RelaxedTruncF32x4U:
    case Op::I32x4RelaxedTruncF64x2UZero:
    case Op::I32x4RelaxedDotI8x16I7x16AddS:
      return 1;
    default:
      return 0;
  }
}

}  // namespace wt::jit::x64::simd
