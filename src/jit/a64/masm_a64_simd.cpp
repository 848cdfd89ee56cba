// aarch64 MacroAssembler: SIMD on NEON: dispatch of Masm's SIMD members to the family files
// (masm_a64_simd.h), v128 constants, v128 memory ops and the fused vector-test branches.
//
// Constants (LoadConstV128) never use a literal pool: a v128.const is one movi/mvni when it
// is a modified-immediate pattern (all bytes equal; every byte 0x00 or 0xFF in both halves
// equal; 16/32-bit lanes equal with one non-zero byte, or the inverse), else it is built in
// x16 (movz/movk, <= 4 instructions per half) and moved in with `dup .2d` (equal halves),
// `fmov d` (upper half zero) or `fmov d` + `ins v.d[1]`. That is at most 10 instructions,
// needs no link, no pool placement (aarch64 literal loads reach only +-1 MiB, which a chunk's
// end-of-code pool cannot guarantee), and keeps the code position independent.
//
// Memory 0 addresses are x27 (memory base) + uxtw(addr) + offset, as the scalar LoadMem: a
// full-width or 64/32-bit access with no offset uses the register-offset form
// [x27, w_addr, uxtw]; the other cases form the address in x16 (add x16, x27, x_addr: an
// i32's upper half is zero, and this asmjit rejects add with uxtw; then add-immediate, or x17
// for a large offset), and the ld1/ld1r/st1 forms, which have no offset
// operand, always take [x16]. Every op accesses memory once, with one instruction, whose
// offset is returned (the faulting pc the trap handler maps to "out of bounds").
#include "jit/a64/masm_a64_simd.h"

#include <algorithm>
#include <string>

#include "wasm/opcodes.h"

namespace wt::jit::a64 {

using namespace asmjit;
namespace aj = asmjit::a64;
using wasm::Op;

namespace simd {

void MovImm64(aj::Assembler& a, const aj::Gp& dst, uint64_t bits) {
  int zeros = 0, ones = 0;
  for (int i = 0; i < 4; ++i) {
    uint64_t hw = (bits >> (16 * i)) & 0xFFFF;
    zeros += hw == 0;
    ones += hw == 0xFFFF;
  }
  // movn starts from all ones, so it saves movk's when more halfwords are 0xFFFF than 0.
  const bool inverted = ones > zeros;
  const uint64_t skip = inverted ? 0xFFFF : 0;
  bool first = true;
  for (int i = 0; i < 4; ++i) {
    uint64_t hw = (bits >> (16 * i)) & 0xFFFF;
    if (hw == skip) continue;
    if (first) {
      if (inverted)
        a.movn(dst, (~hw) & 0xFFFF, arm::lsl(16 * i));
      else
        a.movz(dst, hw, arm::lsl(16 * i));
      first = false;
    } else {
      a.movk(dst, hw, arm::lsl(16 * i));
    }
  }
  if (first) {
    if (inverted)
      a.movn(dst, 0);
    else
      a.movz(dst, 0);
  }
}

namespace {

// One movi/mvni for `v`, if it is one of the modified-immediate patterns.
bool TryMovi(aj::Assembler& a, const aj::Vec& dst, V128 v) {
  if (v.lo != v.hi) return false;
  const uint64_t x = v.lo;
  // Every byte 0x00 or 0xFF: movi .2d (also zero and all ones).
  bool bytemask = true;
  for (int i = 0; i < 8; ++i) {
    uint64_t b = (x >> (8 * i)) & 0xFF;
    if (b != 0 && b != 0xFF) bytemask = false;
  }
  if (bytemask) {
    a.movi(dst.d2(), x);
    return true;
  }
  // All bytes equal: movi .16b.
  if (x == (x & 0xFF) * 0x0101010101010101ull) {
    a.movi(dst.b16(), x & 0xFF);
    return true;
  }
  // 16-bit lanes equal: one non-zero byte (movi .8h, #imm, lsl #0/8), or its inverse (mvni).
  if (x == (x & 0xFFFF) * 0x0001000100010001ull) {
    uint32_t h = x & 0xFFFF;
    for (uint32_t shift : {0u, 8u}) {
      if ((h & ~(0xFFu << shift)) == 0) {
        a.movi(dst.h8(), (h >> shift) & 0xFF, arm::lsl(shift));
        return true;
      }
      uint32_t n = (~h) & 0xFFFF;
      if ((n & ~(0xFFu << shift)) == 0) {
        a.mvni(dst.h8(), (n >> shift) & 0xFF, arm::lsl(shift));
        return true;
      }
    }
  }
  // 32-bit lanes equal: one non-zero byte at 0/8/16/24, or its inverse.
  if (x == (x & 0xFFFFFFFF) * 0x0000000100000001ull) {
    uint32_t w = x & 0xFFFFFFFF;
    for (uint32_t shift : {0u, 8u, 16u, 24u}) {
      if ((w & ~(0xFFu << shift)) == 0) {
        a.movi(dst.s4(), (w >> shift) & 0xFF, arm::lsl(shift));
        return true;
      }
      uint32_t n = ~w;
      if ((n & ~(0xFFu << shift)) == 0) {
        a.mvni(dst.s4(), (n >> shift) & 0xFF, arm::lsl(shift));
        return true;
      }
    }
  }
  return false;
}

}  // namespace

void LoadV128(aj::Assembler& a, const aj::Vec& dst, V128 v) {
  if (TryMovi(a, dst, v)) return;
  MovImm64(a, aj::x16, v.lo);
  if (v.hi == v.lo) {
    a.dup(dst.d2(), aj::x16);
    return;
  }
  a.fmov(dst.d(), aj::x16);  // zeroes the upper half
  if (v.hi != 0) {
    MovImm64(a, aj::x16, v.hi);
    a.ins(dst.d(1), aj::x16);
  }
}

}  // namespace simd

namespace {

void Dispatch(Masm::Impl& impl, Op op, const simd::VOps& o) {
  if (simd::EmitInt(impl, op, o) || simd::EmitLane(impl, op, o) || simd::EmitFloat(impl, op, o) ||
      simd::EmitRelaxed(impl, op, o)) {
    return;
  }
  std::string what = "simd: not implemented: " + std::string(wasm::OpText(op));
  impl.Fail(what.c_str());
}

// x16 = x16 + offset or x16 = base + offset (offset < 2^33: a 32-bit address plus a 32-bit
// offset). Uses x17 for offsets that need more than two add-immediates.
void AddOffset(aj::Assembler& a, const aj::Gp& base, uint64_t offset) {
  const aj::Gp& x16 = aj::x16;
  if (offset < 4096) {
    a.add(x16, base, offset);
  } else if (offset < (uint64_t{1} << 24)) {
    a.add(x16, base, offset >> 12, arm::lsl(12));
    if (offset & 0xFFF) a.add(x16, x16, offset & 0xFFF);
  } else {
    simd::MovImm64(a, aj::x17, offset);
    a.add(x16, base, aj::x17);
  }
}

// The operand of a memory-0 access of `size` bytes at addr + offset. With `plain` the operand
// is [xN] with no offset (ld1/st1 forms); else the register-offset form is used when it fits.
aj::Mem HeapOperand(aj::Assembler& a, Reg addr, uint64_t offset, unsigned size, bool plain) {
  const aj::Gp base = X(Masm::kMemBase);
  if (addr.valid()) {
    if (offset == 0 && !plain) return aj::ptr(base, W(addr), arm::uxtw(0));
    a.add(aj::x16, base, X(addr));  // i32 values keep the upper 32 bits zero (jit/masm.h)
    if (offset != 0) {
      if (!plain && offset % size == 0 && offset / size < 4096)
        return aj::ptr(aj::x16, static_cast<int32_t>(offset));
      AddOffset(a, aj::x16, offset);
    }
    return aj::ptr(aj::x16);
  }
  // The whole address is in `offset`.
  if (offset == 0) return aj::ptr(base);
  if (!plain && offset % size == 0 && offset / size < 4096)
    return aj::ptr(base, static_cast<int32_t>(offset));
  AddOffset(a, base, offset);
  return aj::ptr(aj::x16);
}

}  // namespace

int Masm::SimdTemps(Op op) const {
  const CpuFeatures& c = impl_->cpu;
  return std::max({simd::TempsInt(c, op), simd::TempsLane(c, op), simd::TempsFloat(c, op),
                   simd::TempsRelaxed(c, op)});
}

void Masm::LoadConstV128(Reg dst, V128 v) {
  impl_->MaybeEmitVeneers();
  simd::LoadV128(impl_->a, V(dst), v);
}

void Masm::StoreConstV128(Mem dst, V128 v) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  if (v.lo == 0 && v.hi == 0) {
    // stp xzr, xzr when the offset fits (the frame slots: fp-relative, 16-aligned).
    if (dst.offset % 8 == 0 && dst.offset >= -512 && dst.offset <= 504) {
      a.stp(aj::xzr, aj::xzr, aj::ptr(X(dst.base), dst.offset));
      return;
    }
  }
  simd::LoadV128(a, aj::v31, v);
  aj::Mem m;
  if (dst.offset >= 0 && dst.offset % 16 == 0 && dst.offset / 16 < 4096) {
    m = aj::ptr(X(dst.base), dst.offset);
  } else if (dst.offset >= -256 && dst.offset <= 255) {
    a.stur(aj::q31, aj::ptr(X(dst.base), dst.offset));
    return;
  } else {
    simd::MovImm64(a, aj::x17, static_cast<uint64_t>(static_cast<int64_t>(dst.offset)));
    m = aj::ptr(X(dst.base), aj::x17);
  }
  a.str(aj::q31, m);
}

uint32_t Masm::LoadMemV128(Op op, Reg dst, Reg addr, uint64_t offset, uint32_t lane) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  const aj::Vec d = V(dst);
  uint32_t at = 0;
  auto mem = [&](unsigned size, bool plain) {
    aj::Mem m = HeapOperand(a, addr, offset, size, plain);
    at = static_cast<uint32_t>(a.offset());
    return m;
  };
  switch (op) {
    case Op::V128Load:
      a.ldr(d.q(), mem(16, false));
      break;
    // Extending loads: a 64-bit load, then the widening (the fault is the load's).
    case Op::V128Load8x8S:
      a.ldr(d.d(), mem(8, false));
      a.sxtl(d.h8(), d.b8());
      break;
    case Op::V128Load8x8U:
      a.ldr(d.d(), mem(8, false));
      a.uxtl(d.h8(), d.b8());
      break;
    case Op::V128Load16x4S:
      a.ldr(d.d(), mem(8, false));
      a.sxtl(d.s4(), d.h4());
      break;
    case Op::V128Load16x4U:
      a.ldr(d.d(), mem(8, false));
      a.uxtl(d.s4(), d.h4());
      break;
    case Op::V128Load32x2S:
      a.ldr(d.d(), mem(8, false));
      a.sxtl(d.d2(), d.s2());
      break;
    case Op::V128Load32x2U:
      a.ldr(d.d(), mem(8, false));
      a.uxtl(d.d2(), d.s2());
      break;
    case Op::V128Load8Splat:
      a.ld1r(d.b16(), mem(1, true));
      break;
    case Op::V128Load16Splat:
      a.ld1r(d.h8(), mem(2, true));
      break;
    case Op::V128Load32Splat:
      a.ld1r(d.s4(), mem(4, true));
      break;
    case Op::V128Load64Splat:
      a.ld1r(d.d2(), mem(8, true));
      break;
    // Scalar loads into s/d zero the rest of the register.
    case Op::V128Load32Zero:
      a.ldr(d.s(), mem(4, false));
      break;
    case Op::V128Load64Zero:
      a.ldr(d.d(), mem(8, false));
      break;
    case Op::V128Load8Lane:
      a.ld1(d.b(lane & 15), mem(1, true));
      break;
    case Op::V128Load16Lane:
      a.ld1(d.h(lane & 7), mem(2, true));
      break;
    case Op::V128Load32Lane:
      a.ld1(d.s(lane & 3), mem(4, true));
      break;
    case Op::V128Load64Lane:
      a.ld1(d.d(lane & 1), mem(8, true));
      break;
    default:
      impl_->Fail("LoadMemV128: unexpected op");
      break;
  }
  return at;
}

uint32_t Masm::StoreMemV128(Op op, Reg addr, uint64_t offset, Reg src, uint32_t lane) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  const aj::Vec s = V(src);
  uint32_t at = 0;
  auto mem = [&](unsigned size, bool plain) {
    aj::Mem m = HeapOperand(a, addr, offset, size, plain);
    at = static_cast<uint32_t>(a.offset());
    return m;
  };
  switch (op) {
    case Op::V128Store:
      a.str(s.q(), mem(16, false));
      break;
    // Lane 0 of 32/64-bit lanes is the scalar s/d register: str takes the offset forms.
    case Op::V128Store8Lane:
      a.st1(s.b(lane & 15), mem(1, true));
      break;
    case Op::V128Store16Lane:
      a.st1(s.h(lane & 7), mem(2, true));
      break;
    case Op::V128Store32Lane:
      if ((lane & 3) == 0)
        a.str(s.s(), mem(4, false));
      else
        a.st1(s.s(lane & 3), mem(4, true));
      break;
    case Op::V128Store64Lane:
      if ((lane & 1) == 0)
        a.str(s.d(), mem(8, false));
      else
        a.st1(s.d(1), mem(8, true));
      break;
    default:
      impl_->Fail("StoreMemV128: unexpected op");
      break;
  }
  return at;
}

void Masm::SimdSplat(Op op, Reg dst, Reg src) {
  impl_->MaybeEmitVeneers();
  simd::VOps o;
  o.dst = dst;
  (src.is_fp() ? o.a : o.gp) = src;
  Dispatch(*impl_, op, o);
}

void Masm::SimdExtractLane(Op op, Reg dst, Reg src, uint32_t lane) {
  impl_->MaybeEmitVeneers();
  simd::VOps o;
  (dst.is_fp() ? o.dst : o.gp) = dst;
  o.a = src;
  o.imm = lane;
  Dispatch(*impl_, op, o);
}

void Masm::SimdReplaceLane(Op op, Reg dst, Reg src, Reg val, uint32_t lane) {
  impl_->MaybeEmitVeneers();
  simd::VOps o;
  o.dst = dst;
  o.a = src;
  (val.is_fp() ? o.b : o.gp) = val;
  o.imm = lane;
  Dispatch(*impl_, op, o);
}

void Masm::SimdShuffle(Reg dst, Reg a, Reg b, const uint8_t* lanes, VTemps t) {
  impl_->MaybeEmitVeneers();
  simd::VOps o;
  o.dst = dst;
  o.a = a;
  o.b = b;
  o.lanes = lanes;
  o.t = t;
  Dispatch(*impl_, Op::I8x16Shuffle, o);
}

void Masm::SimdUnop(Op op, Reg dst, Reg src, VTemps t) {
  impl_->MaybeEmitVeneers();
  simd::VOps o;
  o.dst = dst;
  o.a = src;
  o.t = t;
  Dispatch(*impl_, op, o);
}

void Masm::SimdBinop(Op op, Reg dst, Reg a, Reg b, VTemps t) {
  impl_->MaybeEmitVeneers();
  simd::VOps o;
  o.dst = dst;
  o.a = a;
  o.b = b;
  o.t = t;
  Dispatch(*impl_, op, o);
}

void Masm::SimdTernop(Op op, Reg dst, Reg a, Reg b, Reg c, VTemps t) {
  impl_->MaybeEmitVeneers();
  simd::VOps o;
  o.dst = dst;
  o.a = a;
  o.b = b;
  o.c = c;
  o.t = t;
  Dispatch(*impl_, op, o);
}

void Masm::SimdShift(Op op, Reg dst, Reg src, Reg count, VTemps t) {
  impl_->MaybeEmitVeneers();
  simd::VOps o;
  o.dst = dst;
  o.a = src;
  o.gp = count;
  o.t = t;
  Dispatch(*impl_, op, o);
}

void Masm::SimdShiftImm(Op op, Reg dst, Reg src, uint32_t count, VTemps t) {
  impl_->MaybeEmitVeneers();
  simd::VOps o;
  o.dst = dst;
  o.a = src;
  o.imm = count;
  o.t = t;
  Dispatch(*impl_, op, o);
}

void Masm::SimdToI32(Op op, Reg dst, Reg src, VTemps t) {
  impl_->MaybeEmitVeneers();
  simd::VOps o;
  o.gp = dst;
  o.a = src;
  o.t = t;
  Dispatch(*impl_, op, o);
}

// any_true / all_true fused with the br_if / if: a reduction into v31, its low bits into x16,
// cbz/cbnz (the unfused forms, masm_a64_simd_lane.cpp, add a cmp + cset instead):
//   any_true:   umaxp v31.4s, s.4s, s.4s   ; d31 != 0 iff some bit of s is set
//   all_true:   uminv b/h/s31, s           ; != 0 iff no lane is zero
//   i64x2:      cmeq v31.2d, s.2d, #0; umaxp v31.4s, v31.4s, v31.4s  ; == 0 iff no lane is zero
void Masm::BranchSimd(Op op, bool when, Reg src, Label l) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  const aj::Vec s = V(src);
  const aj::Vec t = aj::v31;
  bool result_is_nz = true;  // the op's result is 1 when x16 != 0
  switch (op) {
    case Op::V128AnyTrue:
      a.umaxp(t.s4(), s.s4(), s.s4());
      break;
    case Op::I8x16AllTrue:
      a.uminv(t.b(), s.b16());
      break;
    case Op::I16x8AllTrue:
      a.uminv(t.h(), s.h8());
      break;
    case Op::I32x4AllTrue:
      a.uminv(t.s(), s.s4());
      break;
    case Op::I64x2AllTrue:
      a.cmeq(t.d2(), s.d2(), 0);
      a.umaxp(t.s4(), t.s4(), t.s4());
      result_is_nz = false;
      break;
    default:
      impl_->Fail("simd: BranchSimd: not a vector test");
      return;
  }
  a.fmov(aj::x16, t.d());
  // Impl::Cbz: cbz/cbnz, or the inverted test over a `b` when the label is out of reach.
  impl_->Cbz(result_is_nz == when, aj::x16, AL(l));
}

}  // namespace wt::jit::a64
