// x86_64 SIMD family: splat, extract/replace lane, bitwise ops, bitselect, any_true/all_true,
// bitmask. See masm_x64_simd.h for the helpers and the dispatch.
//
// GP operands: an i32 input is read through its 32-bit register, an i64 input through the
// 64-bit one; every i32 result is written through a 32-bit form (pextr*, movd, movmsk*, or
// xor + setcc), so its upper 32 bits are zero.
//
// A float extract_lane leaves the other lanes of dst holding whatever the chosen instruction
// puts there (masm_simd.h: scalar float code reads lane 0 only).
#include "jit/x64/masm_x64_simd.h"

namespace wt::jit::x64::simd {

using namespace asmjit;
using wasm::Op;

namespace {

// dst = splat(gp) for the integer shapes.
void SplatInt(Vx& v, Op op, const VOps& o) {
  x86::Xmm d = Vx::Xr(o.dst);
  x86::Gp g32 = Vx::Gd(o.gp);
  auto& a = v.a;
  if (op == Op::I64x2Splat) {
    x86::Gp g64 = Vx::Gq(o.gp);
    if (v.avx) {
      a.vmovq(d, g64);
      if (v.cpu.avx2)
        a.vpbroadcastq(d, d);
      else
        a.vpunpcklqdq(d, d, d);
    } else {
      a.movq(d, g64);
      a.punpcklqdq(d, d);
    }
    return;
  }
  if (v.avx) {
    a.vmovd(d, g32);
    if (v.cpu.avx2) {
      switch (op) {
        case Op::I8x16Splat:
          a.vpbroadcastb(d, d);
          return;
        case Op::I16x8Splat:
          a.vpbroadcastw(d, d);
          return;
        default:
          a.vpbroadcastd(d, d);
          return;
      }
    }
    switch (op) {
      case Op::I8x16Splat:
        a.vpxor(Vx::Xr(kScratch), Vx::Xr(kScratch), Vx::Xr(kScratch));
        a.vpshufb(d, d, Vx::Xr(kScratch));
        return;
      case Op::I16x8Splat:
        a.vpshuflw(d, d, 0);
        a.vpshufd(d, d, 0);
        return;
      default:
        a.vpshufd(d, d, 0);
        return;
    }
  }
  a.movd(d, g32);
  switch (op) {
    case Op::I8x16Splat:
      a.pxor(Vx::Xr(kScratch), Vx::Xr(kScratch));
      a.pshufb(d, Vx::Xr(kScratch));
      return;
    case Op::I16x8Splat:
      a.pshuflw(d, d, 0);
      a.pshufd(d, d, 0);
      return;
    default:
      a.pshufd(d, d, 0);
      return;
  }
}

void SplatFloat(Vx& v, Op op, const VOps& o) {
  x86::Xmm d = Vx::Xr(o.dst), s = Vx::Xr(o.a);
  auto& a = v.a;
  if (op == Op::F64x2Splat) {
    v.Op2(Inst::kIdMovddup, Inst::kIdVmovddup, o.dst, o.a);
    return;
  }
  if (v.cpu.avx2) {
    a.vbroadcastss(d, s);
  } else if (v.avx) {
    a.vshufps(d, s, s, 0);
  } else if (o.dst == o.a) {
    a.shufps(d, d, 0);
  } else {
    a.pshufd(d, s, 0);
  }
}

void ExtractInt(Vx& v, Op op, const VOps& o) {
  auto& a = v.a;
  x86::Xmm s = Vx::Xr(o.a);
  x86::Gp g32 = Vx::Gd(o.gp);
  const uint32_t l = o.imm;
  switch (op) {
    case Op::I8x16ExtractLaneS:
    case Op::I8x16ExtractLaneU:
      a.emit(v.avx ? Inst::kIdVpextrb : Inst::kIdPextrb, g32, s, Imm(l));
      if (op == Op::I8x16ExtractLaneS) a.movsx(g32, g32.r8());
      return;
    case Op::I16x8ExtractLaneS:
    case Op::I16x8ExtractLaneU:
      a.emit(v.avx ? Inst::kIdVpextrw : Inst::kIdPextrw, g32, s, Imm(l));
      if (op == Op::I16x8ExtractLaneS) a.movsx(g32, g32.r16());
      return;
    case Op::I32x4ExtractLane:
      if (l == 0)
        a.emit(v.avx ? Inst::kIdVmovd : Inst::kIdMovd, g32, s);
      else
        a.emit(v.avx ? Inst::kIdVpextrd : Inst::kIdPextrd, g32, s, Imm(l));
      return;
    default: {  // I64x2ExtractLane
      x86::Gp g64 = Vx::Gq(o.gp);
      if (l == 0)
        a.emit(v.avx ? Inst::kIdVmovq : Inst::kIdMovq, g64, s);
      else
        a.emit(v.avx ? Inst::kIdVpextrq : Inst::kIdPextrq, g64, s, Imm(l));
      return;
    }
  }
}

// dst lane 0 = a[imm]; the other lanes of dst are left as the instruction makes them.
void ExtractFloat(Vx& v, Op op, const VOps& o) {
  auto& a = v.a;
  x86::Xmm d = Vx::Xr(o.dst), s = Vx::Xr(o.a);
  const uint32_t l = o.imm;
  if (l == 0) {
    v.Mov(o.dst, o.a);
    return;
  }
  if (op == Op::F64x2ExtractLane || l == 2) {
    // The high qword (f64 lane 1, f32 lane 2) to the low one.
    if (v.avx)
      a.vmovhlps(d, s, s);
    else
      a.movhlps(d, s);
    return;
  }
  if (l == 1) {
    v.Op2(Inst::kIdMovshdup, Inst::kIdVmovshdup, o.dst, o.a);
    return;
  }
  v.Op2i(Inst::kIdPshufd, Inst::kIdVpshufd, o.dst, o.a, 0xFF);  // lane 3
}

void ReplaceLane(Vx& v, Op op, const VOps& o) {
  auto& a = v.a;
  x86::Xmm d = Vx::Xr(o.dst), s = Vx::Xr(o.a);
  const uint32_t l = o.imm;
  InstId sse = 0, vex = 0;
  x86::Gp g = Vx::Gd(o.gp);
  switch (op) {
    case Op::I8x16ReplaceLane:
      sse = Inst::kIdPinsrb, vex = Inst::kIdVpinsrb;
      break;
    case Op::I16x8ReplaceLane:
      sse = Inst::kIdPinsrw, vex = Inst::kIdVpinsrw;
      break;
    case Op::I32x4ReplaceLane:
      sse = Inst::kIdPinsrd, vex = Inst::kIdVpinsrd;
      break;
    case Op::I64x2ReplaceLane:
      sse = Inst::kIdPinsrq, vex = Inst::kIdVpinsrq;
      g = Vx::Gq(o.gp);
      break;
    case Op::F32x4ReplaceLane:
      // insertps: source lane 0 (bits 7:6) to lane l (bits 5:4), no zeroing.
      v.Op3i(Inst::kIdInsertps, Inst::kIdVinsertps, o.dst, o.a, o.b, l << 4);
      return;
    default:  // F64x2ReplaceLane
      if (l == 0)
        v.Op3(Inst::kIdMovsd, Inst::kIdVmovsd, o.dst, o.a, o.b);
      else
        v.Op3(Inst::kIdMovlhps, Inst::kIdVmovlhps, o.dst, o.a, o.b);
      return;
  }
  if (v.avx) {
    a.emit(vex, d, s, g, Imm(l));
  } else {
    v.Mov(o.dst, o.a);
    a.emit(sse, d, g, Imm(l));
  }
}

// dst = (a & c) | (b & ~c).
void Bitselect(Vx& v, const VOps& o) {
  auto& a = v.a;
  x86::Xmm x15 = Vx::Xr(kScratch);
  if (v.avx) {
    a.vpandn(x15, Vx::Xr(o.c), Vx::Xr(o.b));
    a.vpand(Vx::Xr(o.dst), Vx::Xr(o.a), Vx::Xr(o.c));
    a.vpor(Vx::Xr(o.dst), Vx::Xr(o.dst), x15);
    return;
  }
  a.movaps(x15, Vx::Xr(o.c));
  a.pandn(x15, Vx::Xr(o.b));  // b & ~c, read before dst (which may be b) is written
  v.Op3(Inst::kIdPand, Inst::kIdVpand, o.dst, o.a, o.c, true);
  a.por(Vx::Xr(o.dst), x15);
}

void ToI32(Vx& v, Op op, const VOps& o) {
  auto& a = v.a;
  x86::Xmm s = Vx::Xr(o.a), x15 = Vx::Xr(kScratch);
  x86::Gp g = Vx::Gd(o.gp);
  switch (op) {
    case Op::V128AnyTrue:
      a.xor_(g, g);
      a.emit(v.avx ? Inst::kIdVptest : Inst::kIdPtest, s, s);
      a.setnz(g.r8());
      return;
    case Op::I8x16AllTrue:
    case Op::I16x8AllTrue:
    case Op::I32x4AllTrue:
    case Op::I64x2AllTrue: {
      InstId sse = Inst::kIdPcmpeqb, vex = Inst::kIdVpcmpeqb;
      if (op == Op::I16x8AllTrue) sse = Inst::kIdPcmpeqw, vex = Inst::kIdVpcmpeqw;
      if (op == Op::I32x4AllTrue) sse = Inst::kIdPcmpeqd, vex = Inst::kIdVpcmpeqd;
      if (op == Op::I64x2AllTrue) sse = Inst::kIdPcmpeqq, vex = Inst::kIdVpcmpeqq;
      // x15 = the lanes that are zero; all true when there is none.
      v.Zero(kScratch);
      if (v.avx)
        a.emit(vex, x15, x15, s);
      else
        a.emit(sse, x15, s);
      a.xor_(g, g);
      a.emit(v.avx ? Inst::kIdVptest : Inst::kIdPtest, x15, x15);
      a.setz(g.r8());
      return;
    }
    case Op::I8x16Bitmask:
      a.emit(v.avx ? Inst::kIdVpmovmskb : Inst::kIdPmovmskb, g, s);
      return;
    case Op::I16x8Bitmask:
      // Words to signed-saturated bytes in the high half (the low half's bits are shifted
      // out), so each byte keeps its word's sign.
      if (v.avx)
        a.vpacksswb(x15, x15, s);
      else
        a.packsswb(x15, s);
      a.emit(v.avx ? Inst::kIdVpmovmskb : Inst::kIdPmovmskb, g, x15);
      a.shr(g, 8);
      return;
    case Op::I32x4Bitmask:
      a.emit(v.avx ? Inst::kIdVmovmskps : Inst::kIdMovmskps, g, s);
      return;
    default:  // I64x2Bitmask
      a.emit(v.avx ? Inst::kIdVmovmskpd : Inst::kIdMovmskpd, g, s);
      return;
  }
}

}  // namespace

bool EmitLane(Vx& v, Op op, const VOps& o) {
  switch (op) {
    case Op::I8x16Splat:
    case Op::I16x8Splat:
    case Op::I32x4Splat:
    case Op::I64x2Splat:
      SplatInt(v, op, o);
      return true;
    case Op::F32x4Splat:
    case Op::F64x2Splat:
      SplatFloat(v, op, o);
      return true;
    case Op::I8x16ExtractLaneS:
    case Op::I8x16ExtractLaneU:
    case Op::I16x8ExtractLaneS:
    case Op::I16x8ExtractLaneU:
    case Op::I32x4ExtractLane:
    case Op::I64x2ExtractLane:
      ExtractInt(v, op, o);
      return true;
    case Op::F32x4ExtractLane:
    case Op::F64x2ExtractLane:
      ExtractFloat(v, op, o);
      return true;
    case Op::I8x16ReplaceLane:
    case Op::I16x8ReplaceLane:
    case Op::I32x4ReplaceLane:
    case Op::I64x2ReplaceLane:
    case Op::F32x4ReplaceLane:
    case Op::F64x2ReplaceLane:
      ReplaceLane(v, op, o);
      return true;
    case Op::V128And:
      v.Op3(Inst::kIdPand, Inst::kIdVpand, o.dst, o.a, o.b, true);
      return true;
    case Op::V128Or:
      v.Op3(Inst::kIdPor, Inst::kIdVpor, o.dst, o.a, o.b, true);
      return true;
    case Op::V128Xor:
      v.Op3(Inst::kIdPxor, Inst::kIdVpxor, o.dst, o.a, o.b, true);
      return true;
    case Op::V128Andnot:
      // a & ~b: pandn x,y = ~x & y, so b goes in the destructive operand.
      v.Op3(Inst::kIdPandn, Inst::kIdVpandn, o.dst, o.b, o.a);
      return true;
    case Op::V128Not:
      v.Ones(kScratch);
      v.Op3(Inst::kIdPxor, Inst::kIdVpxor, o.dst, o.a, kScratch, true);
      return true;
    case Op::V128Bitselect:
      Bitselect(v, o);
      return true;
    case Op::V128AnyTrue:
    case Op::I8x16AllTrue:
    case Op::I16x8AllTrue:
    case Op::I32x4AllTrue:
    case Op::I64x2AllTrue:
    case Op::I8x16Bitmask:
    case Op::I16x8Bitmask:
    case Op::I32x4Bitmask:
    case Op::I64x2Bitmask:
      ToI32(v, op, o);
      return true;
    default:
      return false;
  }
}

int TempsLane(const CpuFeatures& cpu, Op op) {
  (void)cpu;
  (void)op;
  return 0;  // xmm15 is enough for every op of this family
}

}  // namespace wt::jit::x64::simd
