// x86_64 SIMD family: convert, trunc_sat, demote/promote.
// See masm_x64_simd.h for the helpers and the dispatch.
//
// x86 has only the signed conversions (cvtdq2ps, cvttps2dq, ...), and its out-of-range result
// is 0x80000000 for every bad lane (NaN included). The unsigned forms and the saturating
// truncations are built around them; each sequence is commented with its proof.
#include "jit/x64/masm_x64_simd.h"

namespace wt::jit::x64::simd {

using namespace asmjit;
using wasm::Op;

namespace {

// A pool constant (16-aligned [rip + ...]) with `bits` in every 32-bit / 64-bit lane.
x86::Mem Splat32(Vx& v, uint32_t bits) {
  uint64_t q = bits | (uint64_t{bits} << 32);
  return v.m.Const(V128{q, q});
}
x86::Mem Splat64(Vx& v, uint64_t bits) {
  return v.m.Const(V128{bits, bits});
}

constexpr uint64_t kF64TwoPow52 = 0x4330000000000000ull;   // 2^52
constexpr uint64_t kF64Int32Max = 0x41DFFFFFFFC00000ull;   // 2147483647.0
constexpr uint64_t kF64Uint32Max = 0x41EFFFFFFFE00000ull;  // 4294967295.0
constexpr uint32_t kF32TwoPow31 = 0x4F000000u;             // 2^31f

// f32x4.convert_i32x4_u: x = hi + lo with lo = x & 0xFFFF (exact in f32) and hi = x - lo
// (16 significant bits: hi/2 converts exactly as a signed int, doubled exactly). The one add
// rounds once: the correctly rounded result.
void ConvertI32x4U(Vx& v, Reg dst, Reg a) {
  const x86::Xmm d = Vx::Xr(dst), s = Vx::Xr(kScratch), xa = Vx::Xr(a);
  x86::Assembler& as = v.a;
  v.Zero(kScratch);
  if (v.avx) {
    as.vpblendw(s, s, xa, Imm(0x55));  // s = lo
    as.vpsubd(d, xa, s);               // d = hi
    as.vcvtdq2ps(s, s);
    as.vpsrld(d, d, Imm(1));
    as.vcvtdq2ps(d, d);
    as.vaddps(d, d, d);
    as.vaddps(d, d, s);
    return;
  }
  as.pblendw(s, xa, Imm(0x55));
  v.Mov(dst, a);
  as.psubd(d, s);
  as.cvtdq2ps(s, s);
  as.psrld(d, Imm(1));
  as.cvtdq2ps(d, d);
  as.addps(d, d);
  as.addps(d, s);
}

// f64x2.convert_low_i32x4_u: the double with high word 0x43300000 and low word x is 2^52 + x
// exactly; subtracting 2^52 leaves x.
void ConvertLowI32x4U(Vx& v, Reg dst, Reg a) {
  v.Op3m(Inst::kIdUnpcklps, Inst::kIdVunpcklps, dst, a, Splat32(v, 0x43300000u));
  v.Op3m(Inst::kIdSubpd, Inst::kIdVsubpd, dst, dst, Splat64(v, kF64TwoPow52));
}

// i32x4.trunc_sat_f32x4_s: NaN lanes are zeroed first (and with the ordered mask); cvttps2dq
// gives 0x80000000 on overflow, right for negative lanes; lanes that were >= 0 (sign clear in
// x, so set in ~x) and came out negative overflowed upward: xor with all ones -> 0x7FFFFFFF.
void TruncSatF32x4S(Vx& v, Reg dst, Reg a) {
  const x86::Xmm d = Vx::Xr(dst), s = Vx::Xr(kScratch), xa = Vx::Xr(a);
  x86::Assembler& as = v.a;
  if (v.avx) {
    as.vcmpps(s, xa, xa, Imm(0));  // s = ordered mask
    as.vandps(d, xa, s);           // NaN -> 0
    as.vpxor(s, s, d);             // sign of s = x >= 0 (NaN lanes: 0)
    as.vcvttps2dq(d, d);
    as.vpand(s, s, d);
    as.vpsrad(s, s, Imm(31));
    as.vpxor(d, d, s);
    return;
  }
  as.movaps(s, xa);
  as.cmpps(s, s, Imm(0));
  v.Mov(dst, a);
  as.andps(d, s);
  as.pxor(s, d);
  as.cvttps2dq(d, d);
  as.pand(s, d);
  as.psrad(s, Imm(31));
  as.pxor(d, s);
}

// i32x4.trunc_sat_f32x4_u: x' = max(x, 0) (NaN and negatives -> +0). Lanes below 2^31
// convert directly; lanes in [2^31, 2^32) convert to 0x80000000 and get int(x' - 2^31)
// added; lanes >= 2^32 get 0x7FFFFFFF added (all ones). t = int(x' - 2^31), forced to
// 0x7FFFFFFF where x' - 2^31 >= 2^31, and to 0 where negative (pmaxsd).
void TruncSatF32x4U(Vx& v, Reg dst, Reg a, Reg t) {
  const x86::Xmm d = Vx::Xr(dst), s = Vx::Xr(kScratch), xa = Vx::Xr(a), xt = Vx::Xr(t);
  const x86::Mem two31 = Splat32(v, kF32TwoPow31);
  x86::Assembler& as = v.a;
  if (v.avx) {
    as.vxorps(s, s, s);
    as.vmaxps(d, xa, s);              // x'
    as.vsubps(xt, d, two31);          // x' - 2^31 (never NaN)
    as.vcmpps(s, xt, two31, Imm(5));  // NLT: x' - 2^31 >= 2^31
    as.vcvttps2dq(xt, xt);
    as.vpxor(xt, xt, s);
    as.vpxor(s, s, s);
    as.vpmaxsd(xt, xt, s);
    as.vcvttps2dq(d, d);
    as.vpaddd(d, d, xt);
    return;
  }
  as.xorps(s, s);
  v.Mov(dst, a);
  as.maxps(d, s);
  as.movaps(xt, d);
  as.subps(xt, two31);
  as.movaps(s, xt);
  as.cmpps(s, two31, Imm(5));
  as.cvttps2dq(xt, xt);
  as.pxor(xt, s);
  as.pxor(s, s);
  as.pmaxsd(xt, s);
  as.cvttps2dq(d, d);
  as.paddd(d, xt);
}

// i32x4.trunc_sat_f64x2_s_zero: min(x, 2147483647.0) with NaN lanes -> min(NaN, 0) = 0
// (minpd returns its second operand for NaN); below -2^31 cvttpd2dq gives 0x80000000 as
// wanted; the upper two lanes come out zero.
void TruncSatF64x2SZero(Vx& v, Reg dst, Reg a) {
  const x86::Xmm d = Vx::Xr(dst), s = Vx::Xr(kScratch), xa = Vx::Xr(a);
  const x86::Mem max = Splat64(v, kF64Int32Max);
  x86::Assembler& as = v.a;
  if (v.avx) {
    as.vcmppd(s, xa, xa, Imm(0));
    as.vandpd(s, s, max);
    as.vminpd(d, xa, s);
    as.vcvttpd2dq(d, d);
    return;
  }
  as.movapd(s, xa);
  as.cmppd(s, s, Imm(0));
  as.andpd(s, max);
  v.Mov(dst, a);
  as.minpd(d, s);
  as.cvttpd2dq(d, d);
}

// i32x4.trunc_sat_f64x2_u_zero: clamp to [0, 4294967295.0] (NaN -> 0 by maxpd's second
// operand), truncate, add 2^52: the integer is then the low 32 bits of each f64; shufps picks
// them and two zero lanes.
void TruncSatF64x2UZero(Vx& v, Reg dst, Reg a) {
  const x86::Xmm d = Vx::Xr(dst), s = Vx::Xr(kScratch), xa = Vx::Xr(a);
  const x86::Mem max = Splat64(v, kF64Uint32Max), two52 = Splat64(v, kF64TwoPow52);
  x86::Assembler& as = v.a;
  if (v.avx) {
    as.vxorpd(s, s, s);
    as.vmaxpd(d, xa, s);
    as.vminpd(d, d, max);
    as.vroundpd(d, d, Imm(3 | 8));
    as.vaddpd(d, d, two52);
    as.vshufps(d, d, s, Imm(0x88));
    return;
  }
  as.xorpd(s, s);
  v.Mov(dst, a);
  as.maxpd(d, s);
  as.minpd(d, max);
  as.roundpd(d, d, Imm(3 | 8));
  as.addpd(d, two52);
  as.shufps(d, s, Imm(0x88));
}

}  // namespace

bool EmitConvert(Vx& v, Op op, const VOps& o) {
  switch (op) {
    case Op::F32x4ConvertI32x4S:
      v.Op2(Inst::kIdCvtdq2ps, Inst::kIdVcvtdq2ps, o.dst, o.a);
      return true;
    case Op::F32x4ConvertI32x4U:
      ConvertI32x4U(v, o.dst, o.a);
      return true;
    case Op::F64x2ConvertLowI32x4S:
      v.Op2(Inst::kIdCvtdq2pd, Inst::kIdVcvtdq2pd, o.dst, o.a);
      return true;
    case Op::F64x2ConvertLowI32x4U:
      ConvertLowI32x4U(v, o.dst, o.a);
      return true;
    case Op::I32x4TruncSatF32x4S:
      TruncSatF32x4S(v, o.dst, o.a);
      return true;
    case Op::I32x4TruncSatF32x4U:
      TruncSatF32x4U(v, o.dst, o.a, o.t.t0);
      return true;
    case Op::I32x4TruncSatF64x2SZero:
      TruncSatF64x2SZero(v, o.dst, o.a);
      return true;
    case Op::I32x4TruncSatF64x2UZero:
      TruncSatF64x2UZero(v, o.dst, o.a);
      return true;
    case Op::F32x4DemoteF64x2Zero:  // cvtpd2ps zeroes the upper two lanes
      v.Op2(Inst::kIdCvtpd2ps, Inst::kIdVcvtpd2ps, o.dst, o.a);
      return true;
    case Op::F64x2PromoteLowF32x4:
      v.Op2(Inst::kIdCvtps2pd, Inst::kIdVcvtps2pd, o.dst, o.a);
      return true;
    default:
      return false;
  }
}

int TempsConvert(const CpuFeatures& cpu, Op op) {
  (void)cpu;
  switch (op) {
    case Op::I32x4TruncSatF32x4U:
      return 1;
    default:
      return 0;
  }
}

}  // namespace wt::jit::x64::simd
