// Private to jit/x64: the helpers the SIMD family files share, and their entry points.
//
// Masm's SIMD members (masm_x64_simd.cpp) fill a VOps and offer it to each family in turn;
// the family that knows the op emits it and returns true. An op no family knows becomes the
// compile error "simd: not implemented: <op>". Adding an op therefore touches only its family
// file:
//   masm_x64_simd_int.cpp      add/sub/sat, mul (incl. i64), min/max, avgr, abs/neg, popcnt,
//                              integer compares
//   masm_x64_simd_int2.cpp     shifts, extend, narrow, extmul, extadd_pairwise, dot, q15mulr
//   masm_x64_simd_float.cpp    f32x4/f64x2 arithmetic, min/max/pmin/pmax, abs/neg/sqrt,
//                              compares, rounding
//   masm_x64_simd_convert.cpp  convert, trunc_sat, demote/promote
//   masm_x64_simd_lane.cpp     splat, extract/replace lane, bitwise ops, bitselect,
//                              any_true/all_true, bitmask
//   masm_x64_simd_shuffle.cpp  i8x16.shuffle pattern matcher, swizzle
//   masm_x64_simd_relaxed.cpp  the 20 relaxed SIMD ops
// The memory ops (masm_x64_simd_mem.cpp) and the constant pool (masm_x64_simd_pool.cpp) are
// Masm members themselves.
//
// Scratch: xmm15 and r11 belong to the Masm (never allocated); VOps::t holds the compiler's
// temporaries (as many as the family's Temps function asked for).
#pragma once

#include <asmjit/x86.h>

#include "jit/masm_simd.h"
#include "jit/x64/masm_x64_impl.h"

namespace wt::jit::x64::simd {

using asmjit::InstId;
namespace Inst = asmjit::x86::Inst;

// The operands of one SIMD op. Which fields are used depends on the op:
// - v_v / v_vv / v_vvv: dst = op(a[, b[, c]]);
// - shifts: dst = a shifted by gp (an i32 register) or, when gp is None, by imm (masked);
// - splat: dst = splat(gp) for integer shapes, splat(a) for f32x4/f64x2;
// - extract_lane: gp = a[imm] for integer shapes, dst = a[imm] for floats;
// - replace_lane: dst = a with lane imm <- gp (integer shapes) or b (floats);
// - any_true/all_true/bitmask: gp = op(a);
// - i8x16.shuffle: dst = shuffle(a, b, lanes).
struct VOps {
  Reg dst = Reg::None();
  Reg a = Reg::None();
  Reg b = Reg::None();
  Reg c = Reg::None();
  Reg gp = Reg::None();
  uint32_t imm = 0;
  const uint8_t* lanes = nullptr;
  VTemps t;
};

// Emission helpers over asmjit, choosing the SSE (destructive, 2-operand) or the VEX
// (3-operand) form by the Masm's CPU features. Register arguments are Reg codes (FP class).
class Vx {
 public:
  explicit Vx(Masm::Impl& impl) : m(impl), a(impl.a), cpu(impl.cpu), avx(impl.cpu.avx) {}

  Masm::Impl& m;
  asmjit::x86::Assembler& a;
  const CpuFeatures& cpu;
  const bool avx;

  // dst = x OP y. AVX: `vex dst,x,y`. SSE: `movaps dst,x` (when dst != x), then `sse dst,y`;
  // when dst == y != x the operands are swapped for a commutative op, else y is first copied
  // to xmm15 (then no operand may be xmm15).
  void Op3(InstId sse, InstId vex, Reg dst, Reg x, Reg y, bool commutative = false);
  // The same with a trailing imm8 (shufps, palignr, pblendw, insertps, cmpps ...).
  void Op3i(InstId sse, InstId vex, Reg dst, Reg x, Reg y, uint32_t imm);
  // dst = x OP [mem] (a pool constant from m.Const(...), 16-byte aligned).
  void Op3m(InstId sse, InstId vex, Reg dst, Reg x, const asmjit::x86::Mem& mem);
  // dst = OP(src), a non-destructive two-operand form (pabsb, pmovsxbw, cvtdq2ps, sqrtps,
  // ptest ...): `sse dst,src` / `vex dst,src`.
  void Op2(InstId sse, InstId vex, Reg dst, Reg src);
  // dst = OP(src, imm8), two operands + imm8 (pshufd, pshuflw, roundps ...).
  void Op2i(InstId sse, InstId vex, Reg dst, Reg src, uint32_t imm);
  // dst = src shifted by an immediate (psllw, psrad, psrlq, pslldq ...): SSE `movaps dst,src;
  // op dst,imm`, AVX `vop dst,src,imm`.
  void ShiftI(InstId sse, InstId vex, Reg dst, Reg src, uint32_t imm);
  void Mov(Reg dst, Reg src);  // movaps / vmovaps, nothing when dst == src
  void Zero(Reg dst);          // pxor dst,dst
  void Ones(Reg dst);          // pcmpeqd dst,dst

  static asmjit::x86::Xmm Xr(Reg r) { return asmjit::x86::xmm(r.hw()); }
  static asmjit::x86::Gp Gd(Reg r) { return asmjit::x86::gpd(r.hw()); }
  static asmjit::x86::Gp Gq(Reg r) { return asmjit::x86::gpq(r.hw()); }
};

inline constexpr Reg kScratch = reg::xmm15;  // the Masm's XMM scratch

// Family entry points: emit `op` and return true, or return false when the op is not the
// family's. The Temps functions say how many VOps::t registers an op of theirs needs on `cpu`
// (0 for ops that are not theirs).
bool EmitInt(Vx& v, wasm::Op op, const VOps& o);
bool EmitInt2(Vx& v, wasm::Op op, const VOps& o);
bool EmitFloat(Vx& v, wasm::Op op, const VOps& o);
bool EmitConvert(Vx& v, wasm::Op op, const VOps& o);
bool EmitLane(Vx& v, wasm::Op op, const VOps& o);
bool EmitShuffle(Vx& v, wasm::Op op, const VOps& o);
bool EmitRelaxed(Vx& v, wasm::Op op, const VOps& o);
int TempsInt(const CpuFeatures& cpu, wasm::Op op);
int TempsInt2(const CpuFeatures& cpu, wasm::Op op);
int TempsFloat(const CpuFeatures& cpu, wasm::Op op);
int TempsConvert(const CpuFeatures& cpu, wasm::Op op);
int TempsLane(const CpuFeatures& cpu, wasm::Op op);
int TempsShuffle(const CpuFeatures& cpu, wasm::Op op);
int TempsRelaxed(const CpuFeatures& cpu, wasm::Op op);

}  // namespace wt::jit::x64::simd
