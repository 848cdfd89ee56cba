// x86_64 SIMD: the Vx emission helper and the dispatch of Masm's SIMD members to the family
// files (see masm_x64_simd.h).
#include "jit/x64/masm_x64_simd.h"

#include <algorithm>
#include <string>

#include "wasm/opcodes.h"

namespace wt::jit::x64 {

using namespace asmjit;
using wasm::Op;

namespace simd {

void Vx::Op3(InstId sse, InstId vex, Reg dst, Reg x, Reg y, bool commutative) {
  if (avx) {
    a.emit(vex, Xr(dst), Xr(x), Xr(y));
    return;
  }
  if (dst == y && dst != x) {
    if (commutative) {
      a.emit(sse, Xr(dst), Xr(x));
      return;
    }
    a.movaps(Xr(kScratch), Xr(y));
    y = kScratch;
  }
  Mov(dst, x);
  a.emit(sse, Xr(dst), Xr(y));
}

void Vx::Op3i(InstId sse, InstId vex, Reg dst, Reg x, Reg y, uint32_t imm) {
  if (avx) {
    a.emit(vex, Xr(dst), Xr(x), Xr(y), Imm(imm));
    return;
  }
  if (dst == y && dst != x) {
    a.movaps(Xr(kScratch), Xr(y));
    y = kScratch;
  }
  Mov(dst, x);
  a.emit(sse, Xr(dst), Xr(y), Imm(imm));
}

void Vx::Op3m(InstId sse, InstId vex, Reg dst, Reg x, const x86::Mem& mem) {
  if (avx) {
    a.emit(vex, Xr(dst), Xr(x), mem);
    return;
  }
  Mov(dst, x);
  a.emit(sse, Xr(dst), mem);
}

void Vx::Op2(InstId sse, InstId vex, Reg dst, Reg src) {
  a.emit(avx ? vex : sse, Xr(dst), Xr(src));
}

void Vx::Op2i(InstId sse, InstId vex, Reg dst, Reg src, uint32_t imm) {
  a.emit(avx ? vex : sse, Xr(dst), Xr(src), Imm(imm));
}

void Vx::ShiftI(InstId sse, InstId vex, Reg dst, Reg src, uint32_t imm) {
  if (avx) {
    a.emit(vex, Xr(dst), Xr(src), Imm(imm));
    return;
  }
  Mov(dst, src);
  a.emit(sse, Xr(dst), Imm(imm));
}

void Vx::Mov(Reg dst, Reg src) {
  if (dst == src) return;
  if (avx)
    a.vmovaps(Xr(dst), Xr(src));
  else
    a.movaps(Xr(dst), Xr(src));
}

void Vx::Zero(Reg dst) {
  if (avx)
    a.vpxor(Xr(dst), Xr(dst), Xr(dst));
  else
    a.pxor(Xr(dst), Xr(dst));
}

void Vx::Ones(Reg dst) {
  if (avx)
    a.vpcmpeqd(Xr(dst), Xr(dst), Xr(dst));
  else
    a.pcmpeqd(Xr(dst), Xr(dst));
}

}  // namespace simd

namespace {

void Dispatch(Masm::Impl& impl, Op op, const simd::VOps& o) {
  simd::Vx v(impl);
  if (simd::EmitInt(v, op, o) || simd::EmitInt2(v, op, o) || simd::EmitFloat(v, op, o) ||
      simd::EmitConvert(v, op, o) || simd::EmitLane(v, op, o) || simd::EmitShuffle(v, op, o) ||
      simd::EmitRelaxed(v, op, o)) {
    return;
  }
  std::string what = "simd: not implemented: " + std::string(wasm::OpText(op));
  impl.Fail(what.c_str());
}

}  // namespace

int Masm::SimdTemps(Op op) const {
  const CpuFeatures& c = impl_->cpu;
  return std::max({simd::TempsInt(c, op), simd::TempsInt2(c, op), simd::TempsFloat(c, op),
                   simd::TempsConvert(c, op), simd::TempsLane(c, op), simd::TempsShuffle(c, op),
                   simd::TempsRelaxed(c, op)});
}

void Masm::SimdSplat(Op op, Reg dst, Reg src) {
  simd::VOps o;
  o.dst = dst;
  (src.is_fp() ? o.a : o.gp) = src;
  Dispatch(*impl_, op, o);
}

void Masm::SimdExtractLane(Op op, Reg dst, Reg src, uint32_t lane) {
  simd::VOps o;
  (dst.is_fp() ? o.dst : o.gp) = dst;
  o.a = src;
  o.imm = lane;
  Dispatch(*impl_, op, o);
}

void Masm::SimdReplaceLane(Op op, Reg dst, Reg src, Reg val, uint32_t lane) {
  simd::VOps o;
  o.dst = dst;
  o.a = src;
  (val.is_fp() ? o.b : o.gp) = val;
  o.imm = lane;
  Dispatch(*impl_, op, o);
}

void Masm::SimdShuffle(Reg dst, Reg a, Reg b, const uint8_t* lanes, VTemps t) {
  simd::VOps o;
  o.dst = dst;
  o.a = a;
  o.b = b;
  o.lanes = lanes;
  o.t = t;
  Dispatch(*impl_, Op::I8x16Shuffle, o);
}

void Masm::SimdUnop(Op op, Reg dst, Reg src, VTemps t) {
  simd::VOps o;
  o.dst = dst;
  o.a = src;
  o.t = t;
  Dispatch(*impl_, op, o);
}

void Masm::SimdBinop(Op op, Reg dst, Reg a, Reg b, VTemps t) {
  simd::VOps o;
  o.dst = dst;
  o.a = a;
  o.b = b;
  o.t = t;
  Dispatch(*impl_, op, o);
}

void Masm::SimdTernop(Op op, Reg dst, Reg a, Reg b, Reg c, VTemps t) {
  simd::VOps o;
  o.dst = dst;
  o.a = a;
  o.b = b;
  o.c = c;
  o.t = t;
  Dispatch(*impl_, op, o);
}

void Masm::SimdShift(Op op, Reg dst, Reg src, Reg count, VTemps t) {
  simd::VOps o;
  o.dst = dst;
  o.a = src;
  o.gp = count;
  o.t = t;
  Dispatch(*impl_, op, o);
}

void Masm::SimdShiftImm(Op op, Reg dst, Reg src, uint32_t count, VTemps t) {
  simd::VOps o;
  o.dst = dst;
  o.a = src;
  o.imm = count;
  o.t = t;
  Dispatch(*impl_, op, o);
}

void Masm::SimdToI32(Op op, Reg dst, Reg src, VTemps t) {
  simd::VOps o;
  o.gp = dst;
  o.a = src;
  o.t = t;
  Dispatch(*impl_, op, o);
}

void Masm::RawRet() {
  impl_->a.ret();
}

}  // namespace wt::jit::x64
