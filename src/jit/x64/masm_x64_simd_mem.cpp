// x86_64 SIMD: v128 loads and stores on memory 0 (LoadMemV128, StoreMemV128).
//
// The heap operand is Impl::HeapOperand's [r14 + addr + offset] (r11 holds the address when
// the offset does not fit a disp32). Each op returns the offset of its first memory access,
// the one that faults on a guard page (every sequence below accesses memory once, first).
// Memory operands are only ever used by unaligned-tolerant forms (movdqu, pmovsx, pinsr,
// movddup, movlps/movhps ...), never by a legacy-SSE ALU op.
#include "jit/x64/masm_x64_simd.h"

namespace wt::jit::x64 {

using namespace asmjit;
using wasm::Op;

namespace {

x86::Mem Sized(x86::Mem m, uint32_t size) {
  m.setSize(size);
  return m;
}

}  // namespace

uint32_t Masm::LoadMemV128(Op op, Reg dst, Reg addr, uint64_t offset, uint32_t lane) {
  auto& a = impl_->a;
  simd::Vx v(*impl_);
  const bool avx = v.avx;
  x86::Mem m = impl_->HeapOperand(addr, offset);
  uint32_t at = Offset();
  x86::Xmm d = X(dst);
  x86::Xmm s = x86::xmm15;
  switch (op) {
    case Op::V128Load:
      avx ? a.vmovdqu(d, m) : a.movdqu(d, m);
      break;
    case Op::V128Load8x8S:
      avx ? a.vpmovsxbw(d, m) : a.pmovsxbw(d, m);
      break;
    case Op::V128Load8x8U:
      avx ? a.vpmovzxbw(d, m) : a.pmovzxbw(d, m);
      break;
    case Op::V128Load16x4S:
      avx ? a.vpmovsxwd(d, m) : a.pmovsxwd(d, m);
      break;
    case Op::V128Load16x4U:
      avx ? a.vpmovzxwd(d, m) : a.pmovzxwd(d, m);
      break;
    case Op::V128Load32x2S:
      avx ? a.vpmovsxdq(d, m) : a.pmovsxdq(d, m);
      break;
    case Op::V128Load32x2U:
      avx ? a.vpmovzxdq(d, m) : a.pmovzxdq(d, m);
      break;
    case Op::V128Load8Splat:
      if (impl_->cpu.avx2) {
        a.vpbroadcastb(d, m);
      } else if (avx) {
        a.movzx(x86::r11d, Sized(m, 1));
        a.vmovd(d, x86::r11d);
        a.vpxor(s, s, s);
        a.vpshufb(d, d, s);
      } else {
        a.movzx(x86::r11d, Sized(m, 1));
        a.movd(d, x86::r11d);
        a.pxor(s, s);
        a.pshufb(d, s);
      }
      break;
    case Op::V128Load16Splat:
      if (impl_->cpu.avx2) {
        a.vpbroadcastw(d, m);
      } else if (avx) {
        a.movzx(x86::r11d, Sized(m, 2));
        a.vmovd(d, x86::r11d);
        a.vpshuflw(d, d, 0);
        a.vpshufd(d, d, 0);
      } else {
        a.movzx(x86::r11d, Sized(m, 2));
        a.movd(d, x86::r11d);
        a.pshuflw(d, d, 0);
        a.pshufd(d, d, 0);
      }
      break;
    case Op::V128Load32Splat:
      if (avx) {
        a.vbroadcastss(d, m);
      } else {
        a.movss(d, m);
        a.shufps(d, d, 0);
      }
      break;
    case Op::V128Load64Splat:
      avx ? a.vmovddup(d, m) : a.movddup(d, m);
      break;
    case Op::V128Load32Zero:
      avx ? a.vmovd(d, m) : a.movd(d, m);
      break;
    case Op::V128Load64Zero:
      avx ? a.vmovq(d, m) : a.movq(d, m);
      break;
    case Op::V128Load8Lane:
      avx ? a.vpinsrb(d, d, m, lane) : a.pinsrb(d, m, lane);
      break;
    case Op::V128Load16Lane:
      avx ? a.vpinsrw(d, d, m, lane) : a.pinsrw(d, m, lane);
      break;
    case Op::V128Load32Lane:
      avx ? a.vpinsrd(d, d, m, lane) : a.pinsrd(d, m, lane);
      break;
    case Op::V128Load64Lane:
      if (lane == 0)
        avx ? a.vmovlps(d, d, m) : a.movlps(d, m);
      else
        avx ? a.vmovhps(d, d, m) : a.movhps(d, m);
      break;
    default:
      impl_->Fail("LoadMemV128: unexpected op");
      break;
  }
  return at;
}

uint32_t Masm::StoreMemV128(Op op, Reg addr, uint64_t offset, Reg src, uint32_t lane) {
  auto& a = impl_->a;
  const bool avx = impl_->cpu.avx;
  x86::Mem m = impl_->HeapOperand(addr, offset);
  uint32_t at = Offset();
  x86::Xmm s = X(src);
  switch (op) {
    case Op::V128Store:
      avx ? a.vmovdqu(m, s) : a.movdqu(m, s);
      break;
    case Op::V128Store8Lane:
      avx ? a.vpextrb(m, s, lane) : a.pextrb(m, s, lane);
      break;
    case Op::V128Store16Lane:
      avx ? a.vpextrw(m, s, lane) : a.pextrw(m, s, lane);
      break;
    case Op::V128Store32Lane:
      if (lane == 0)
        avx ? a.vmovd(m, s) : a.movd(m, s);
      else
        avx ? a.vpextrd(m, s, lane) : a.pextrd(m, s, lane);
      break;
    case Op::V128Store64Lane:
      if (lane == 0)
        avx ? a.vmovlps(m, s) : a.movlps(m, s);
      else
        avx ? a.vmovhps(m, s) : a.movhps(m, s);
      break;
    default:
      impl_->Fail("StoreMemV128: unexpected op");
      break;
  }
  return at;
}

}  // namespace wt::jit::x64
