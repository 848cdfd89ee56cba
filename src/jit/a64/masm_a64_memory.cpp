// aarch64 MacroAssembler: memory 0 loads and stores (guard-region checked).
//
// Bounds: as on x86_64, a 32-bit memory reserves 8 GiB (4 GiB addressable + 4 GiB guard,
// runtime/memory.cpp), and the compiler only emits accesses whose static offset + size is at
// most 4 GiB (BaselineCompiler::AlwaysOutOfBounds), so base + u32 address + offset always lands
// in the reservation: an out-of-bounds access faults (SIGSEGV) on the load/store instruction
// itself, whose offset LoadMem/StoreMem return for the trap table. aarch64 allows unaligned
// ordinary loads and stores, so Wasm's alignment hint needs nothing.
//
// Address forms (x27 = memory 0's base; `addr` is an i32 whose upper 32 bits are zero):
//   addr, offset 0:             ldr w0, [x27, w_addr, uxtw]
//   addr, small offset:         add x16, x27, x_addr; ldr w0, [x16, #offset]
//                               (scaled unsigned 12-bit immediate, or ldur's signed 9-bit)
//   addr, any other offset:     mov x16, #offset; add x16, x16, x_addr; ldr w0, [x27, x16]
// The adds use the X register: i32 values keep their upper 32 bits zero (jit/masm.h), so it is
// the zero-extended address (asmjit's December 2022 snapshot rejects `add x, x, w, uxtw`).
//   no addr (constant address): ldr w0, [x27, #ea] / ldur, else mov x16, #ea; ldr w0, [x27, x16]
#include "jit/a64/masm_a64_impl.h"

namespace wt::jit::a64 {

using namespace asmjit;
namespace asm64 = asmjit::a64;
using wasm::Op;

namespace {

// x16 = imm (< 2^33: movz + movk, zero halfwords skipped).
void MovOffset(asm64::Assembler& a, uint64_t imm) {
  bool first = true;
  for (unsigned shift = 0; shift < 64; shift += 16) {
    uint32_t half = static_cast<uint32_t>(imm >> shift) & 0xFFFFu;
    if (half == 0) continue;
    if (first)
      a.movz(asm64::x16, half, shift);
    else
      a.movk(asm64::x16, half, shift);
    first = false;
  }
  if (first) a.movz(asm64::x16, 0, 0);
}

// The access width (log2 bytes) of a scalar memory op.
unsigned SizeLog2(Op op) {
  switch (op) {
    case Op::I32Load8S:
    case Op::I32Load8U:
    case Op::I64Load8S:
    case Op::I64Load8U:
    case Op::I32Store8:
    case Op::I64Store8:
      return 0;
    case Op::I32Load16S:
    case Op::I32Load16U:
    case Op::I64Load16S:
    case Op::I64Load16U:
    case Op::I32Store16:
    case Op::I64Store16:
      return 1;
    case Op::I32Load:
    case Op::F32Load:
    case Op::I64Load32S:
    case Op::I64Load32U:
    case Op::I32Store:
    case Op::F32Store:
    case Op::I64Store32:
      return 2;
    default:  // i64 / f64 load and store
      return 3;
  }
}

// The operand for an access of 2^size_log2 bytes at [x27 + addr + offset], emitting what it
// needs in x16 first. *unscaled: the operand needs the ldur/stur form (signed 9-bit offset).
asm64::Mem HeapOperand(asm64::Assembler& a, Reg addr, uint64_t offset, unsigned size_log2,
                       bool* unscaled) {
  *unscaled = false;
  const asm64::Gp& base = X(Masm::kMemBase);
  if (addr.valid() && offset == 0) return asm64::ptr(base, W(addr), arm::uxtw(0));
  bool scaled_fits =
      (offset & ((uint64_t{1} << size_log2) - 1)) == 0 && (offset >> size_log2) < 4096;
  bool unscaled_fits = offset < 256;
  if (scaled_fits || unscaled_fits) {
    *unscaled = !scaled_fits;
    if (!addr.valid()) return asm64::ptr(base, static_cast<int32_t>(offset));
    a.add(asm64::x16, base, X(addr));
    return asm64::ptr(asm64::x16, static_cast<int32_t>(offset));
  }
  MovOffset(a, offset);
  if (addr.valid()) a.add(asm64::x16, asm64::x16, X(addr));
  return asm64::ptr(base, asm64::x16);
}

}  // namespace

uint32_t Masm::LoadMem(Op op, Reg dst, Reg addr, uint64_t offset) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  bool u = false;
  asm64::Mem m = HeapOperand(a, addr, offset, SizeLog2(op), &u);
  auto at = static_cast<uint32_t>(a.offset());
  // A W destination zero-extends into the X register, which is what i32 results and the
  // unsigned i64 narrow loads need.
  switch (op) {
    case Op::I32Load:
    case Op::I64Load32U:
      u ? a.ldur(W(dst), m) : a.ldr(W(dst), m);
      break;
    case Op::I64Load:
      u ? a.ldur(X(dst), m) : a.ldr(X(dst), m);
      break;
    case Op::F32Load:
      u ? a.ldur(S(dst), m) : a.ldr(S(dst), m);
      break;
    case Op::F64Load:
      u ? a.ldur(D(dst), m) : a.ldr(D(dst), m);
      break;
    case Op::I32Load8S:
      u ? a.ldursb(W(dst), m) : a.ldrsb(W(dst), m);
      break;
    case Op::I32Load8U:
    case Op::I64Load8U:
      u ? a.ldurb(W(dst), m) : a.ldrb(W(dst), m);
      break;
    case Op::I32Load16S:
      u ? a.ldursh(W(dst), m) : a.ldrsh(W(dst), m);
      break;
    case Op::I32Load16U:
    case Op::I64Load16U:
      u ? a.ldurh(W(dst), m) : a.ldrh(W(dst), m);
      break;
    case Op::I64Load8S:
      u ? a.ldursb(X(dst), m) : a.ldrsb(X(dst), m);
      break;
    case Op::I64Load16S:
      u ? a.ldursh(X(dst), m) : a.ldrsh(X(dst), m);
      break;
    case Op::I64Load32S:
      u ? a.ldursw(X(dst), m) : a.ldrsw(X(dst), m);
      break;
    default:
      impl_->Fail("LoadMem: unexpected op");
      break;
  }
  return at;
}

uint32_t Masm::StoreMem(Op op, Reg addr, uint64_t offset, Reg value) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  bool u = false;
  asm64::Mem m = HeapOperand(a, addr, offset, SizeLog2(op), &u);
  auto at = static_cast<uint32_t>(a.offset());
  switch (op) {
    case Op::I32Store:
    case Op::I64Store32:
      u ? a.stur(W(value), m) : a.str(W(value), m);
      break;
    case Op::I64Store:
      u ? a.stur(X(value), m) : a.str(X(value), m);
      break;
    case Op::F32Store:
      u ? a.stur(S(value), m) : a.str(S(value), m);
      break;
    case Op::F64Store:
      u ? a.stur(D(value), m) : a.str(D(value), m);
      break;
    case Op::I32Store8:
    case Op::I64Store8:
      u ? a.sturb(W(value), m) : a.strb(W(value), m);
      break;
    case Op::I32Store16:
    case Op::I64Store16:
      u ? a.sturh(W(value), m) : a.strh(W(value), m);
      break;
    default:
      impl_->Fail("StoreMem: unexpected op");
      break;
  }
  return at;
}

}  // namespace wt::jit::a64
