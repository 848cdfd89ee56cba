// x86_64 SIMD family: shifts, extend, narrow, extmul, extadd_pairwise, dot, q15mulr.
// See masm_x64_simd.h for the helpers and the dispatch.
//
// SSE4.1 + SSSE3 only. Masks are built in registers (all-ones + shifts, pabsb, or a 32-bit
// pattern through r11), never loaded.
#include "jit/x64/masm_x64_simd.h"

namespace wt::jit::x64::simd {

using namespace asmjit;
using wasm::Op;

namespace {

struct Pair {
  InstId sse, vex;
};
#define PR(I, i)                \
  Pair {                        \
    Inst::kId##I, Inst::kIdV##i \
  }

// xmm15 = the count register (an i32) masked to `mask`, through r11.
void CountToScratch(Vx& v, Reg gp, uint32_t mask, uint32_t add = 0) {
  v.a.mov(x86::r11d, Vx::Gd(gp));
  v.a.and_(x86::r11d, mask);
  if (add != 0) v.a.add(x86::r11d, add);
  if (v.avx)
    v.a.vmovd(Vx::Xr(kScratch), x86::r11d);
  else
    v.a.movd(Vx::Xr(kScratch), x86::r11d);
}

// i16x8/i32x4/i64x2 shl, shr_s, shr_u (no i64x2.shr_s: no psraq below AVX-512).
bool PlainShift(Op op, Pair* imm, Pair* var, uint32_t* width) {
  switch (op) {
#define S(OP, I, i, W)      \
  case Op::OP:              \
    *imm = *var = PR(I, i); \
    *width = W;             \
    return true;
    S(I16x8Shl, Psllw, psllw, 16)
    S(I16x8ShrS, Psraw, psraw, 16)
    S(I16x8ShrU, Psrlw, psrlw, 16)
    S(I32x4Shl, Pslld, pslld, 32)
    S(I32x4ShrS, Psrad, psrad, 32)
    S(I32x4ShrU, Psrld, psrld, 32)
    S(I64x2Shl, Psllq, psllq, 64)
    S(I64x2ShrU, Psrlq, psrlq, 64)
#undef S
    default:
      return false;
  }
}

// i64x2.shr_s by a register count: ((a ^ m) >>u n) - (m >>u n) with m = 2^63 in every lane
// (t).
void ShrS64(Vx& v, const VOps& o) {
  const Reg t = o.t.t0;
  v.Ones(t);
  v.ShiftI(Inst::kIdPsllq, Inst::kIdVpsllq, t, t, 63);
  v.Op3(Inst::kIdPxor, Inst::kIdVpxor, o.dst, o.a, t, true);
  CountToScratch(v, o.gp, 63);
  v.Op3(Inst::kIdPsrlq, Inst::kIdVpsrlq, o.dst, o.dst, kScratch);
  v.Op3(Inst::kIdPsrlq, Inst::kIdVpsrlq, t, t, kScratch);
  v.Op3(Inst::kIdPsubq, Inst::kIdVpsubq, o.dst, o.dst, t);
}

// i64x2.shr_s by a constant, without a temp: the high dwords are shifted arithmetically
// (psrad), the low dwords come from the logical qword shift (n < 32) or from the high dword
// shifted by n - 32; pblendw merges them.
void ShrS64Imm(Vx& v, Reg dst, Reg a, uint32_t n) {
  if (n == 0) {
    v.Mov(dst, a);
  } else if (n < 32) {
    v.ShiftI(Inst::kIdPsrad, Inst::kIdVpsrad, kScratch, a, n);
    v.ShiftI(Inst::kIdPsrlq, Inst::kIdVpsrlq, dst, a, n);
    v.Op3i(Inst::kIdPblendw, Inst::kIdVpblendw, dst, dst, kScratch, 0xCC);
  } else if (n == 63) {  // the sign mask
    v.Op2i(Inst::kIdPshufd, Inst::kIdVpshufd, dst, a, 0xF5);
    v.ShiftI(Inst::kIdPsrad, Inst::kIdVpsrad, dst, dst, 31);
  } else {
    v.ShiftI(Inst::kIdPsrad, Inst::kIdVpsrad, kScratch, a, 31);
    v.Op2i(Inst::kIdPshufd, Inst::kIdVpshufd, dst, a, 0xF5);
    if (n > 32) v.ShiftI(Inst::kIdPsrad, Inst::kIdVpsrad, dst, dst, n - 32);
    v.Op3i(Inst::kIdPblendw, Inst::kIdVpblendw, dst, dst, kScratch, 0xCC);
  }
}

// i8x16.shl / shr_u: the word shift, then the bits that crossed from the neighbouring byte are
// masked off (0xFF << n or 0xFF >> n in every byte).
void ShiftI8Logical(Vx& v, const VOps& o, bool left) {
  const Pair sh = left ? PR(Psllw, psllw) : PR(Psrlw, psrlw);
  if (!o.gp.valid()) {
    uint32_t n = o.imm & 7;
    if (n == 0) {
      v.Mov(o.dst, o.a);
      return;
    }
    if (left && n == 1) {  // x + x
      v.Op3(Inst::kIdPaddb, Inst::kIdVpaddb, o.dst, o.a, o.a, true);
      return;
    }
    v.ShiftI(sh.sse, sh.vex, o.dst, o.a, n);
    uint64_t byte = (left ? (0xFFu << n) : (0xFFu >> n)) & 0xFF;
    uint64_t bytes = byte * 0x0101010101010101ull;
    v.Op3m(Inst::kIdPand, Inst::kIdVpand, o.dst, o.dst, v.m.Const(V128{bytes, bytes}));
    return;
  }
  const Reg t = o.t.t0;
  CountToScratch(v, o.gp, 7);
  v.Op3(sh.sse, sh.vex, o.dst, o.a, kScratch);
  // t = all-ones words shifted by n: shl leaves 0xFF << n in byte 0 of each word, shr leaves
  // 0xFF >> n in byte 1. That byte is then broadcast with pshufb (index 0: zero, index 1:
  // pabsb of all-ones).
  v.Ones(t);
  v.Op3(sh.sse, sh.vex, t, t, kScratch);
  if (left) {
    v.Zero(kScratch);
  } else {
    v.Ones(kScratch);
    v.Op2(Inst::kIdPabsb, Inst::kIdVpabsb, kScratch, kScratch);
  }
  v.Op3(Inst::kIdPshufb, Inst::kIdVpshufb, t, t, kScratch);
  v.Op3(Inst::kIdPand, Inst::kIdVpand, o.dst, o.dst, t, true);
}

// i8x16.shr_s: each byte duplicated into a word (punpckl/hbw a,a), psraw by n + 8, then the
// words packed back with signed saturation (never saturates: the values fit in a byte).
void ShrS8(Vx& v, const VOps& o) {
  if (!o.gp.valid() && (o.imm & 7) == 0) {
    v.Mov(o.dst, o.a);
    return;
  }
  if (!o.gp.valid() && (o.imm & 7) == 7) {  // the sign mask: 0 > a
    if (v.avx) {
      v.Zero(kScratch);
      v.a.vpcmpgtb(Vx::Xr(o.dst), Vx::Xr(kScratch), Vx::Xr(o.a));
    } else if (o.dst != o.a) {
      v.Zero(o.dst);
      v.a.pcmpgtb(Vx::Xr(o.dst), Vx::Xr(o.a));
    } else {
      v.Zero(kScratch);
      v.a.pcmpgtb(Vx::Xr(kScratch), Vx::Xr(o.a));
      v.Mov(o.dst, kScratch);
    }
    return;
  }
  if (!o.gp.valid()) {
    uint32_t n = (o.imm & 7) + 8;
    v.Op3(Inst::kIdPunpcklbw, Inst::kIdVpunpcklbw, kScratch, o.a, o.a);
    v.Op3(Inst::kIdPunpckhbw, Inst::kIdVpunpckhbw, o.dst, o.a, o.a);
    v.ShiftI(Inst::kIdPsraw, Inst::kIdVpsraw, kScratch, kScratch, n);
    v.ShiftI(Inst::kIdPsraw, Inst::kIdVpsraw, o.dst, o.dst, n);
    v.Op3(Inst::kIdPacksswb, Inst::kIdVpacksswb, kScratch, kScratch, o.dst);
    v.Mov(o.dst, kScratch);
    return;
  }
  const Reg t = o.t.t0;
  v.Op3(Inst::kIdPunpcklbw, Inst::kIdVpunpcklbw, t, o.a, o.a);
  v.Op3(Inst::kIdPunpckhbw, Inst::kIdVpunpckhbw, o.dst, o.a, o.a);
  CountToScratch(v, o.gp, 7, 8);
  v.Op3(Inst::kIdPsraw, Inst::kIdVpsraw, t, t, kScratch);
  v.Op3(Inst::kIdPsraw, Inst::kIdVpsraw, o.dst, o.dst, kScratch);
  v.Op3(Inst::kIdPacksswb, Inst::kIdVpacksswb, t, t, o.dst);
  v.Mov(o.dst, t);
}

bool Shift(Vx& v, Op op, const VOps& o) {
  Pair imm, var;
  uint32_t width;
  if (PlainShift(op, &imm, &var, &width)) {
    if (o.gp.valid()) {
      CountToScratch(v, o.gp, width - 1);
      v.Op3(var.sse, var.vex, o.dst, o.a, kScratch);
    } else if ((o.imm & (width - 1)) == 0) {
      v.Mov(o.dst, o.a);
    } else {
      v.ShiftI(imm.sse, imm.vex, o.dst, o.a, o.imm & (width - 1));
    }
    return true;
  }
  switch (op) {
    case Op::I64x2ShrS:
      if (o.gp.valid())
        ShrS64(v, o);
      else
        ShrS64Imm(v, o.dst, o.a, o.imm & 63);
      return true;
    case Op::I8x16Shl:
      ShiftI8Logical(v, o, true);
      return true;
    case Op::I8x16ShrU:
      ShiftI8Logical(v, o, false);
      return true;
    case Op::I8x16ShrS:
      ShrS8(v, o);
      return true;
    default:
      return false;
  }
}

// extend_low: pmovsx/zx. extend_high: the high qword moved down (pshufd 0xEE), then pmovsx;
// unsigned high: punpckh* with zero.
bool Extend(Vx& v, Op op, const VOps& o) {
  Pair mov, unpack_hi;
  bool high, is_signed;
  switch (op) {
#define E(OP, H, S, M, m, U, u) \
  case Op::OP:                  \
    mov = PR(M, m);             \
    unpack_hi = PR(U, u);       \
    high = H;                   \
    is_signed = S;              \
    break;
    E(I16x8ExtendLowI8x16S, false, true, Pmovsxbw, pmovsxbw, Punpckhbw, punpckhbw)
    E(I16x8ExtendHighI8x16S, true, true, Pmovsxbw, pmovsxbw, Punpckhbw, punpckhbw)
    E(I16x8ExtendLowI8x16U, false, false, Pmovzxbw, pmovzxbw, Punpckhbw, punpckhbw)
    E(I16x8ExtendHighI8x16U, true, false, Pmovzxbw, pmovzxbw, Punpckhbw, punpckhbw)
    E(I32x4ExtendLowI16x8S, false, true, Pmovsxwd, pmovsxwd, Punpckhwd, punpckhwd)
    E(I32x4ExtendHighI16x8S, true, true, Pmovsxwd, pmovsxwd, Punpckhwd, punpckhwd)
    E(I32x4ExtendLowI16x8U, false, false, Pmovzxwd, pmovzxwd, Punpckhwd, punpckhwd)
    E(I32x4ExtendHighI16x8U, true, false, Pmovzxwd, pmovzxwd, Punpckhwd, punpckhwd)
    E(I64x2ExtendLowI32x4S, false, true, Pmovsxdq, pmovsxdq, Punpckhdq, punpckhdq)
    E(I64x2ExtendHighI32x4S, true, true, Pmovsxdq, pmovsxdq, Punpckhdq, punpckhdq)
    E(I64x2ExtendLowI32x4U, false, false, Pmovzxdq, pmovzxdq, Punpckhdq, punpckhdq)
    E(I64x2ExtendHighI32x4U, true, false, Pmovzxdq, pmovzxdq, Punpckhdq, punpckhdq)
#undef E
    default:
      return false;
  }
  if (!high) {
    v.Op2(mov.sse, mov.vex, o.dst, o.a);
  } else if (is_signed) {
    v.Op2i(Inst::kIdPshufd, Inst::kIdVpshufd, o.dst, o.a, 0xEE);
    v.Op2(mov.sse, mov.vex, o.dst, o.dst);
  } else {
    v.Zero(kScratch);
    v.Op3(unpack_hi.sse, unpack_hi.vex, o.dst, o.a, kScratch);
  }
  return true;
}

// extmul: i16x8 = both halves widened, pmullw; i32x4 = pmullw and pmulh(u)w interleaved;
// i64x2 = the dwords spread to even positions (pshufd), pmul(u)dq.
bool Extmul(Vx& v, Op op, const VOps& o) {
  switch (op) {
    case Op::I16x8ExtmulLowI8x16S:
    case Op::I16x8ExtmulHighI8x16S:
    case Op::I16x8ExtmulLowI8x16U:
    case Op::I16x8ExtmulHighI8x16U: {
      bool high = op == Op::I16x8ExtmulHighI8x16S || op == Op::I16x8ExtmulHighI8x16U;
      Pair mov = (op == Op::I16x8ExtmulLowI8x16S || op == Op::I16x8ExtmulHighI8x16S)
                     ? PR(Pmovsxbw, pmovsxbw)
                     : PR(Pmovzxbw, pmovzxbw);
      // xmm15 from b first: dst may be b.
      if (high) {
        v.Op2i(Inst::kIdPshufd, Inst::kIdVpshufd, kScratch, o.b, 0xEE);
        v.Op2(mov.sse, mov.vex, kScratch, kScratch);
        v.Op2i(Inst::kIdPshufd, Inst::kIdVpshufd, o.dst, o.a, 0xEE);
        v.Op2(mov.sse, mov.vex, o.dst, o.dst);
      } else {
        v.Op2(mov.sse, mov.vex, kScratch, o.b);
        v.Op2(mov.sse, mov.vex, o.dst, o.a);
      }
      v.Op3(Inst::kIdPmullw, Inst::kIdVpmullw, o.dst, o.dst, kScratch, true);
      return true;
    }
    case Op::I32x4ExtmulLowI16x8S:
    case Op::I32x4ExtmulHighI16x8S:
    case Op::I32x4ExtmulLowI16x8U:
    case Op::I32x4ExtmulHighI16x8U: {
      bool high = op == Op::I32x4ExtmulHighI16x8S || op == Op::I32x4ExtmulHighI16x8U;
      Pair mulh = (op == Op::I32x4ExtmulLowI16x8S || op == Op::I32x4ExtmulHighI16x8S)
                      ? PR(Pmulhw, pmulhw)
                      : PR(Pmulhuw, pmulhuw);
      Pair unpack = high ? PR(Punpckhwd, punpckhwd) : PR(Punpcklwd, punpcklwd);
      v.Op3(mulh.sse, mulh.vex, kScratch, o.a, o.b, true);
      v.Op3(Inst::kIdPmullw, Inst::kIdVpmullw, o.dst, o.a, o.b, true);
      v.Op3(unpack.sse, unpack.vex, o.dst, o.dst, kScratch);
      return true;
    }
    case Op::I64x2ExtmulLowI32x4S:
    case Op::I64x2ExtmulHighI32x4S:
    case Op::I64x2ExtmulLowI32x4U:
    case Op::I64x2ExtmulHighI32x4U: {
      bool high = op == Op::I64x2ExtmulHighI32x4S || op == Op::I64x2ExtmulHighI32x4U;
      Pair mul = (op == Op::I64x2ExtmulLowI32x4S || op == Op::I64x2ExtmulHighI32x4S)
                     ? PR(Pmuldq, pmuldq)
                     : PR(Pmuludq, pmuludq);
      uint32_t sel = high ? 0xFA : 0x50;
      v.Op2i(Inst::kIdPshufd, Inst::kIdVpshufd, kScratch, o.b, sel);
      v.Op2i(Inst::kIdPshufd, Inst::kIdVpshufd, o.dst, o.a, sel);
      v.Op3(mul.sse, mul.vex, o.dst, o.dst, kScratch, true);
      return true;
    }
    default:
      return false;
  }
}

constexpr V128 kOnes8{0x0101010101010101ull, 0x0101010101010101ull};  // 1 in every byte

// Pairwise widening adds (the bytes of 1 from the constant pool).
void ExtaddPairwise(Vx& v, Op op, const VOps& o) {
  switch (op) {
    case Op::I16x8ExtaddPairwiseI8x16S:  // pmaddubsw(1 unsigned, a signed)
      v.a.emit(v.avx ? Inst::kIdVmovdqa : Inst::kIdMovdqa, Vx::Xr(kScratch), v.m.Const(kOnes8));
      if (v.avx) {
        v.a.vpmaddubsw(Vx::Xr(o.dst), Vx::Xr(kScratch), Vx::Xr(o.a));
      } else {
        v.a.pmaddubsw(Vx::Xr(kScratch), Vx::Xr(o.a));
        v.Mov(o.dst, kScratch);
      }
      return;
    case Op::I16x8ExtaddPairwiseI8x16U:  // pmaddubsw(a unsigned, 1 signed)
      v.Op3m(Inst::kIdPmaddubsw, Inst::kIdVpmaddubsw, o.dst, o.a, v.m.Const(kOnes8));
      return;
    case Op::I32x4ExtaddPairwiseI16x8S:  // pmaddwd(a, 1)
      v.Ones(kScratch);
      v.ShiftI(Inst::kIdPsrlw, Inst::kIdVpsrlw, kScratch, kScratch, 15);
      v.Op3(Inst::kIdPmaddwd, Inst::kIdVpmaddwd, o.dst, o.a, kScratch, true);
      return;
    case Op::I32x4ExtaddPairwiseI16x8U:  // (a & 0xFFFF) + (a >> 16) per dword
      v.Zero(kScratch);
      v.Op3i(Inst::kIdPblendw, Inst::kIdVpblendw, kScratch, kScratch, o.a, 0x55);
      v.ShiftI(Inst::kIdPsrld, Inst::kIdVpsrld, o.dst, o.a, 16);
      v.Op3(Inst::kIdPaddd, Inst::kIdVpaddd, o.dst, o.dst, kScratch, true);
      return;
    default:
      return;
  }
}

}  // namespace

bool EmitInt2(Vx& v, Op op, const VOps& o) {
  if (Shift(v, op, o) || Extend(v, op, o) || Extmul(v, op, o)) return true;
  switch (op) {
    case Op::I8x16NarrowI16x8S:
      v.Op3(Inst::kIdPacksswb, Inst::kIdVpacksswb, o.dst, o.a, o.b);
      return true;
    case Op::I8x16NarrowI16x8U:
      v.Op3(Inst::kIdPackuswb, Inst::kIdVpackuswb, o.dst, o.a, o.b);
      return true;
    case Op::I16x8NarrowI32x4S:
      v.Op3(Inst::kIdPackssdw, Inst::kIdVpackssdw, o.dst, o.a, o.b);
      return true;
    case Op::I16x8NarrowI32x4U:
      v.Op3(Inst::kIdPackusdw, Inst::kIdVpackusdw, o.dst, o.a, o.b);
      return true;
    case Op::I16x8ExtaddPairwiseI8x16S:
    case Op::I16x8ExtaddPairwiseI8x16U:
    case Op::I32x4ExtaddPairwiseI16x8S:
    case Op::I32x4ExtaddPairwiseI16x8U:
      ExtaddPairwise(v, op, o);
      return true;
    case Op::I32x4DotI16x8S:
      v.Op3(Inst::kIdPmaddwd, Inst::kIdVpmaddwd, o.dst, o.a, o.b, true);
      return true;
    case Op::I16x8Q15mulrSatS:
      // pmulhrsw gives 0x8000 for 0x8000 * 0x8000, where the result saturates to 0x7FFF: the
      // lanes equal to 0x8000 are flipped by xor with (lane == 0x8000).
      v.Op3(Inst::kIdPmulhrsw, Inst::kIdVpmulhrsw, o.dst, o.a, o.b, true);
      v.Ones(kScratch);
      v.ShiftI(Inst::kIdPsllw, Inst::kIdVpsllw, kScratch, kScratch, 15);
      v.Op3(Inst::kIdPcmpeqw, Inst::kIdVpcmpeqw, kScratch, kScratch, o.dst, true);
      v.Op3(Inst::kIdPxor, Inst::kIdVpxor, o.dst, o.dst, kScratch, true);
      return true;
    default:
      return false;
  }
}

int TempsInt2(const CpuFeatures& cpu, Op op) {
  (void)cpu;
  switch (op) {
    case Op::I64x2ShrS:
    case Op::I8x16Shl:
    case Op::I8x16ShrU:
    case Op::I8x16ShrS:
      return 1;
    default:
      return 0;
  }
}

}  // namespace wt::jit::x64::simd
