// x86_64 SIMD family: add/sub/sat, mul (incl. i64), min/max, avgr, abs/neg, popcnt, integer
// compares. See masm_x64_simd.h for the helpers and the dispatch.
//
// Everything here needs at most SSE4.1 + SSSE3, except the i64x2 signed compares, which use
// pcmpgtq when the CPU has SSE4.2 and a 10-instruction SSE4.1 sequence (one temp) otherwise.
// Masks are built in registers (all-ones, shifts, pabsb) or read from the constant pool.
#include "jit/x64/masm_x64_simd.h"

namespace wt::jit::x64::simd {

using namespace asmjit;
using wasm::Op;

namespace {

// SSE id, VEX id, and whether the op is commutative (lets Op3 avoid a copy when dst == b).
struct Pair {
  InstId sse, vex;
  bool comm;
};

// The ops that are one instruction (dst = a OP b).
bool SimpleBinop(Op op, Pair* p) {
  switch (op) {
#define P(OP, I, i, C)                     \
  case Op::OP:                             \
    *p = {Inst::kId##I, Inst::kIdV##i, C}; \
    return true;
    P(I8x16Add, Paddb, paddb, true)
    P(I16x8Add, Paddw, paddw, true)
    P(I32x4Add, Paddd, paddd, true)
    P(I64x2Add, Paddq, paddq, true)
    P(I8x16Sub, Psubb, psubb, false)
    P(I16x8Sub, Psubw, psubw, false)
    P(I32x4Sub, Psubd, psubd, false)
    P(I64x2Sub, Psubq, psubq, false)
    P(I8x16AddSatS, Paddsb, paddsb, true)
    P(I16x8AddSatS, Paddsw, paddsw, true)
    P(I8x16AddSatU, Paddusb, paddusb, true)
    P(I16x8AddSatU, Paddusw, paddusw, true)
    P(I8x16SubSatS, Psubsb, psubsb, false)
    P(I16x8SubSatS, Psubsw, psubsw, false)
    P(I8x16SubSatU, Psubusb, psubusb, false)
    P(I16x8SubSatU, Psubusw, psubusw, false)
    P(I8x16MinS, Pminsb, pminsb, true)
    P(I16x8MinS, Pminsw, pminsw, true)
    P(I32x4MinS, Pminsd, pminsd, true)
    P(I8x16MinU, Pminub, pminub, true)
    P(I16x8MinU, Pminuw, pminuw, true)
    P(I32x4MinU, Pminud, pminud, true)
    P(I8x16MaxS, Pmaxsb, pmaxsb, true)
    P(I16x8MaxS, Pmaxsw, pmaxsw, true)
    P(I32x4MaxS, Pmaxsd, pmaxsd, true)
    P(I8x16MaxU, Pmaxub, pmaxub, true)
    P(I16x8MaxU, Pmaxuw, pmaxuw, true)
    P(I32x4MaxU, Pmaxud, pmaxud, true)
    P(I8x16AvgrU, Pavgb, pavgb, true)
    P(I16x8AvgrU, Pavgw, pavgw, true)
    P(I16x8Mul, Pmullw, pmullw, true)
    P(I32x4Mul, Pmulld, pmulld, true)
    P(I8x16Eq, Pcmpeqb, pcmpeqb, true)
    P(I16x8Eq, Pcmpeqw, pcmpeqw, true)
    P(I32x4Eq, Pcmpeqd, pcmpeqd, true)
    P(I64x2Eq, Pcmpeqq, pcmpeqq, true)
#undef P
    default:
      return false;
  }
}

#define PR(I, i)                      \
  Pair {                              \
    Inst::kId##I, Inst::kIdV##i, true \
  }

// dst = ~dst (xmm15 clobbered).
void Not(Vx& v, Reg dst) {
  v.Ones(kScratch);
  v.Op3(Inst::kIdPxor, Inst::kIdVpxor, dst, dst, kScratch, true);
}

// dst = (x >u y) per lane: the signed compare of both with their sign bits flipped (xor with
// a pool constant, y's side first: dst may be y).
void GtU(Vx& v, const Pair& gt, int size, Reg dst, Reg x, Reg y) {
  static constexpr uint64_t kSign[3] = {0x8080808080808080ull, 0x8000800080008000ull,
                                        0x8000000080000000ull};
  const x86::Mem sign = v.m.Const(V128{kSign[size], kSign[size]});
  v.Op3m(Inst::kIdPxor, Inst::kIdVpxor, kScratch, y, sign);
  v.Op3m(Inst::kIdPxor, Inst::kIdVpxor, dst, x, sign);
  v.Op3(gt.sse, gt.vex, dst, dst, kScratch);
}

// Integer compares of the i8/i16/i32 shapes. Returns false for other ops.
bool Compare(Vx& v, Op op, const VOps& o) {
  enum Kind { kEq, kNe, kGtS, kLtS, kGeS, kLeS, kGtU, kLtU, kGeU, kLeU };
  Kind k;
  int size;  // 0: i8, 1: i16, 2: i32
  switch (op) {
#define C3(S, N)     \
  case Op::I8x16##S: \
    k = N;           \
    size = 0;        \
    break;           \
  case Op::I16x8##S: \
    k = N;           \
    size = 1;        \
    break;           \
  case Op::I32x4##S: \
    k = N;           \
    size = 2;        \
    break;
    C3(Ne, kNe)
    C3(GtS, kGtS)
    C3(LtS, kLtS)
    C3(GeS, kGeS)
    C3(LeS, kLeS)
    C3(GtU, kGtU)
    C3(LtU, kLtU)
    C3(GeU, kGeU)
    C3(LeU, kLeU)
#undef C3
    default:
      return false;
  }
  static const Pair kEqI[3] = {PR(Pcmpeqb, pcmpeqb), PR(Pcmpeqw, pcmpeqw), PR(Pcmpeqd, pcmpeqd)};
  static const Pair kGtI[3] = {PR(Pcmpgtb, pcmpgtb), PR(Pcmpgtw, pcmpgtw), PR(Pcmpgtd, pcmpgtd)};
  static const Pair kMaxS[3] = {PR(Pmaxsb, pmaxsb), PR(Pmaxsw, pmaxsw), PR(Pmaxsd, pmaxsd)};
  static const Pair kMinS[3] = {PR(Pminsb, pminsb), PR(Pminsw, pminsw), PR(Pminsd, pminsd)};
  static const Pair kMaxU[3] = {PR(Pmaxub, pmaxub), PR(Pmaxuw, pmaxuw), PR(Pmaxud, pmaxud)};
  static const Pair kMinU[3] = {PR(Pminub, pminub), PR(Pminuw, pminuw), PR(Pminud, pminud)};
  const Pair& eq = kEqI[size];
  const Pair& gt = kGtI[size];
  // x OP y == x, via xmm15: max(x, y) == x is x >= y, min(x, y) == x is x <= y.
  auto minmax_eq = [&](const Pair& mm) {
    v.Op3(mm.sse, mm.vex, kScratch, o.a, o.b, true);
    v.Op3(eq.sse, eq.vex, o.dst, kScratch, o.a, true);
  };
  switch (k) {
    case kEq:
      break;
    case kNe:
      v.Op3(eq.sse, eq.vex, o.dst, o.a, o.b, true);
      Not(v, o.dst);
      return true;
    case kGtS:
      v.Op3(gt.sse, gt.vex, o.dst, o.a, o.b);
      return true;
    case kLtS:
      v.Op3(gt.sse, gt.vex, o.dst, o.b, o.a);
      return true;
    case kGeS:
      minmax_eq(kMaxS[size]);
      return true;
    case kLeS:
      minmax_eq(kMinS[size]);
      return true;
    case kGeU:
      minmax_eq(kMaxU[size]);
      return true;
    case kLeU:
      minmax_eq(kMinU[size]);
      return true;
    case kGtU:
      GtU(v, gt, size, o.dst, o.a, o.b);
      return true;
    case kLtU:
      GtU(v, gt, size, o.dst, o.b, o.a);
      return true;
  }
  return false;
}

// dst = (x > y) per signed i64 lane. SSE4.2: pcmpgtq. SSE4.1: the high dwords decide unless
// they are equal, then the sign of y - x (= the unsigned compare of the low dwords) does:
//   t = (y - x) & (x.dw == y.dw); t |= (x.dw > y.dw); dst = broadcast high dword's sign.
void GtS64(Vx& v, Reg dst, Reg x, Reg y, Reg t) {
  if (v.cpu.sse42) {
    v.Op3(Inst::kIdPcmpgtq, Inst::kIdVpcmpgtq, dst, x, y);
    return;
  }
  v.Op3(Inst::kIdPsubq, Inst::kIdVpsubq, t, y, x);
  v.Op3(Inst::kIdPcmpeqd, Inst::kIdVpcmpeqd, kScratch, x, y, true);
  v.Op3(Inst::kIdPand, Inst::kIdVpand, t, t, kScratch, true);
  v.Op3(Inst::kIdPcmpgtd, Inst::kIdVpcmpgtd, kScratch, x, y);
  v.Op3(Inst::kIdPor, Inst::kIdVpor, t, t, kScratch, true);
  v.Op2i(Inst::kIdPshufd, Inst::kIdVpshufd, dst, t, 0xF5);
  v.ShiftI(Inst::kIdPsrad, Inst::kIdVpsrad, dst, dst, 31);
}

// dst = 0 - a.
void Neg(Vx& v, InstId sse, InstId vex, Reg dst, Reg a) {
  if (v.avx) {
    v.Zero(kScratch);
    v.a.emit(vex, Vx::Xr(dst), Vx::Xr(kScratch), Vx::Xr(a));
  } else if (dst != a) {
    v.Zero(dst);
    v.a.emit(sse, Vx::Xr(dst), Vx::Xr(a));
  } else {
    v.Zero(kScratch);
    v.a.emit(sse, Vx::Xr(kScratch), Vx::Xr(a));
    v.Mov(dst, kScratch);
  }
}

// dst <- a pool constant.
void LoadPool(Vx& v, Reg dst, V128 c) {
  v.a.emit(v.avx ? Inst::kIdVmovdqa : Inst::kIdMovdqa, Vx::Xr(dst), v.m.Const(c));
}

// Nibble-LUT popcount: pshufb of the low and the high nibbles into a 16-entry table (pool).
void Popcnt(Vx& v, const VOps& o) {
  const Reg t = o.t.t0;
  const x86::Mem nibble = v.m.Const(V128{0x0F0F0F0F0F0F0F0Full, 0x0F0F0F0F0F0F0F0Full});
  const V128 lut{0x0302020102010100ull, 0x0403030203020201ull};
  v.ShiftI(Inst::kIdPsrlw, Inst::kIdVpsrlw, t, o.a, 4);
  v.Op3m(Inst::kIdPand, Inst::kIdVpand, t, t, nibble);           // high nibbles
  v.Op3m(Inst::kIdPand, Inst::kIdVpand, kScratch, o.a, nibble);  // low nibbles
  LoadPool(v, o.dst, lut);
  v.Op3(Inst::kIdPshufb, Inst::kIdVpshufb, o.dst, o.dst, kScratch);
  LoadPool(v, kScratch, lut);
  v.Op3(Inst::kIdPshufb, Inst::kIdVpshufb, kScratch, kScratch, t);
  v.Op3(Inst::kIdPaddb, Inst::kIdVpaddb, o.dst, o.dst, kScratch, true);
}

// dst = a * b per i64 lane: lo(a)*lo(b) + ((hi(a)*lo(b) + lo(a)*hi(b)) << 32).
void Mul64(Vx& v, const VOps& o) {
  const Reg t = o.t.t0;
  v.ShiftI(Inst::kIdPsrlq, Inst::kIdVpsrlq, t, o.a, 32);
  v.Op3(Inst::kIdPmuludq, Inst::kIdVpmuludq, t, t, o.b, true);
  v.ShiftI(Inst::kIdPsrlq, Inst::kIdVpsrlq, kScratch, o.b, 32);
  v.Op3(Inst::kIdPmuludq, Inst::kIdVpmuludq, kScratch, kScratch, o.a, true);
  v.Op3(Inst::kIdPaddq, Inst::kIdVpaddq, t, t, kScratch, true);
  v.ShiftI(Inst::kIdPsllq, Inst::kIdVpsllq, t, t, 32);
  v.Op3(Inst::kIdPmuludq, Inst::kIdVpmuludq, o.dst, o.a, o.b, true);
  v.Op3(Inst::kIdPaddq, Inst::kIdVpaddq, o.dst, o.dst, t, true);
}

}  // namespace

bool EmitInt(Vx& v, Op op, const VOps& o) {
  Pair p;
  if (SimpleBinop(op, &p)) {
    v.Op3(p.sse, p.vex, o.dst, o.a, o.b, p.comm);
    return true;
  }
  if (Compare(v, op, o)) return true;
  switch (op) {
    case Op::I64x2Ne:
      v.Op3(Inst::kIdPcmpeqq, Inst::kIdVpcmpeqq, o.dst, o.a, o.b, true);
      Not(v, o.dst);
      return true;
    case Op::I64x2GtS:
      GtS64(v, o.dst, o.a, o.b, o.t.t0);
      return true;
    case Op::I64x2LtS:
      GtS64(v, o.dst, o.b, o.a, o.t.t0);
      return true;
    case Op::I64x2LeS:  // !(a > b)
      GtS64(v, o.dst, o.a, o.b, o.t.t0);
      Not(v, o.dst);
      return true;
    case Op::I64x2GeS:  // !(b > a)
      GtS64(v, o.dst, o.b, o.a, o.t.t0);
      Not(v, o.dst);
      return true;
    case Op::I64x2Mul:
      Mul64(v, o);
      return true;
    case Op::I8x16Abs:
      v.Op2(Inst::kIdPabsb, Inst::kIdVpabsb, o.dst, o.a);
      return true;
    case Op::I16x8Abs:
      v.Op2(Inst::kIdPabsw, Inst::kIdVpabsw, o.dst, o.a);
      return true;
    case Op::I32x4Abs:
      v.Op2(Inst::kIdPabsd, Inst::kIdVpabsd, o.dst, o.a);
      return true;
    case Op::I64x2Abs:  // (a ^ s) - s with s = the lane's sign mask
      v.Op2i(Inst::kIdPshufd, Inst::kIdVpshufd, kScratch, o.a, 0xF5);
      v.ShiftI(Inst::kIdPsrad, Inst::kIdVpsrad, kScratch, kScratch, 31);
      v.Op3(Inst::kIdPxor, Inst::kIdVpxor, o.dst, o.a, kScratch, true);
      v.Op3(Inst::kIdPsubq, Inst::kIdVpsubq, o.dst, o.dst, kScratch);
      return true;
    case Op::I8x16Neg:
      Neg(v, Inst::kIdPsubb, Inst::kIdVpsubb, o.dst, o.a);
      return true;
    case Op::I16x8Neg:
      Neg(v, Inst::kIdPsubw, Inst::kIdVpsubw, o.dst, o.a);
      return true;
    case Op::I32x4Neg:
      Neg(v, Inst::kIdPsubd, Inst::kIdVpsubd, o.dst, o.a);
      return true;
    case Op::I64x2Neg:
      Neg(v, Inst::kIdPsubq, Inst::kIdVpsubq, o.dst, o.a);
      return true;
    case Op::I8x16Popcnt:
      Popcnt(v, o);
      return true;
    default:
      return false;
  }
}

int TempsInt(const CpuFeatures& cpu, Op op) {
  switch (op) {
    case Op::I64x2GtS:
    case Op::I64x2LtS:
    case Op::I64x2LeS:
    case Op::I64x2GeS:
      return cpu.sse42 ? 0 : 1;
    case Op::I64x2Mul:
      return 1;
    case Op::I8x16Popcnt:
      return 1;
    default:
      return 0;
  }
}

}  // namespace wt::jit::x64::simd
