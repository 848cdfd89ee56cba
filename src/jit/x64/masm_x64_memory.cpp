// x86_64 MacroAssembler: memory 0 (loads, stores, bounds checks, size and grow). Split from
// masm_x64.cpp.
#include "jit/x64/masm_x64_impl.h"
#include "runtime/vmctx.h"

namespace wt::jit::x64 {

using namespace asmjit;
using wasm::Op;

// --- Memory 0 -------------------------------------------------------------------------

x86::Mem Masm::Impl::HeapOperand(Reg addr, uint64_t offset) {
  if (addr.valid()) {
    if (offset <= static_cast<uint64_t>(INT32_MAX))
      return x86::ptr(x86::r14, Gq(addr), 0, static_cast<int32_t>(offset));
    a.mov(x86::r11d, static_cast<uint32_t>(offset));
    a.add(x86::r11, Gq(addr));
    return x86::ptr(x86::r14, x86::r11);
  }
  if (offset <= static_cast<uint64_t>(INT32_MAX))
    return x86::ptr(x86::r14, static_cast<int32_t>(offset));
  MovImm64(x86::r11, offset);
  return x86::ptr(x86::r14, x86::r11);
}

namespace {

// The heap operand [r14 + addr + offset] / [r14 + offset] for the direct encoder, when the
// offset fits in a disp32 (else asmjit's path computes the address in r11).
bool HeapMemOp(Reg addr, uint64_t offset, enc::MemOp* m) {
  if (offset > static_cast<uint64_t>(INT32_MAX)) return false;
  auto disp = static_cast<int32_t>(offset);
  *m = addr.valid() ? enc::BaseIndex(14, addr.hw(), disp) : enc::Base(14, disp);
  return true;
}

}  // namespace

uint32_t Masm::LoadMem(Op op, Reg dst, Reg addr, uint64_t offset) {
  auto& a = impl_->a;
  enc::MemOp hm;
  if (impl_->fast && HeapMemOp(addr, offset, &hm)) {
    auto& e = impl_->e;
    uint32_t at = Offset();
    unsigned d = dst.hw();
    switch (op) {
      case Op::I32Load:
      case Op::I64Load32U:
        e.MovRM(false, d, hm);
        break;
      case Op::I64Load:
        e.MovRM(true, d, hm);
        break;
      case Op::F32Load:
        e.RM(enc::kF3, 0x0F10, false, d, hm);
        break;
      case Op::F64Load:
        e.RM(enc::kF2, 0x0F10, false, d, hm);
        break;
      case Op::I32Load8S:
        e.RM(enc::kNoPrefix, 0x0FBE, false, d, hm);
        break;
      case Op::I32Load8U:
      case Op::I64Load8U:
        e.RM(enc::kNoPrefix, 0x0FB6, false, d, hm);
        break;
      case Op::I32Load16S:
        e.RM(enc::kNoPrefix, 0x0FBF, false, d, hm);
        break;
      case Op::I32Load16U:
      case Op::I64Load16U:
        e.RM(enc::kNoPrefix, 0x0FB7, false, d, hm);
        break;
      case Op::I64Load8S:
        e.RM(enc::kNoPrefix, 0x0FBE, true, d, hm);
        break;
      case Op::I64Load16S:
        e.RM(enc::kNoPrefix, 0x0FBF, true, d, hm);
        break;
      case Op::I64Load32S:
        e.RM(enc::kNoPrefix, 0x63, true, d, hm);
        break;
      default:
        impl_->Fail("LoadMem: unexpected op");
        break;
    }
    return at;
  }
  x86::Mem m = impl_->HeapOperand(addr, offset);
  uint32_t at = Offset();
  x86::Gp D32 = Gd(dst), D64 = Gq(dst);
  auto sized = [&](uint32_t size) {
    x86::Mem r = m;
    r.setSize(size);
    return r;
  };
  switch (op) {
    case Op::I32Load:
      a.mov(D32, sized(4));
      break;
    case Op::I64Load:
      a.mov(D64, sized(8));
      break;
    case Op::F32Load:
      a.movss(X(dst), sized(4));
      break;
    case Op::F64Load:
      a.movsd(X(dst), sized(8));
      break;
    case Op::I32Load8S:
      a.movsx(D32, sized(1));
      break;
    case Op::I32Load8U:
      a.movzx(D32, sized(1));
      break;
    case Op::I32Load16S:
      a.movsx(D32, sized(2));
      break;
    case Op::I32Load16U:
      a.movzx(D32, sized(2));
      break;
    case Op::I64Load8S:
      a.movsx(D64, sized(1));
      break;
    case Op::I64Load8U:
      a.movzx(D32, sized(1));
      break;
    case Op::I64Load16S:
      a.movsx(D64, sized(2));
      break;
    case Op::I64Load16U:
      a.movzx(D32, sized(2));
      break;
    case Op::I64Load32S:
      a.movsxd(D64, sized(4));
      break;
    case Op::I64Load32U:
      a.mov(D32, sized(4));
      break;
    default:
      impl_->Fail("LoadMem: unexpected op");
      break;
  }
  return at;
}

uint32_t Masm::StoreMem(Op op, Reg addr, uint64_t offset, Reg value) {
  auto& a = impl_->a;
  enc::MemOp hm;
  if (impl_->fast && HeapMemOp(addr, offset, &hm)) {
    auto& e = impl_->e;
    uint32_t at = Offset();
    unsigned v = value.hw();
    switch (op) {
      case Op::I32Store:
      case Op::I64Store32:
        e.MovMR(false, hm, v);
        break;
      case Op::I64Store:
        e.MovMR(true, hm, v);
        break;
      case Op::F32Store:
        e.RM(enc::kF3, 0x0F11, false, v, hm);
        break;
      case Op::F64Store:
        e.RM(enc::kF2, 0x0F11, false, v, hm);
        break;
      case Op::I32Store8:
      case Op::I64Store8:
        e.RM(enc::kNoPrefix, 0x88, false, v, hm, enc::Encoder::ByteReg(v));
        break;
      case Op::I32Store16:
      case Op::I64Store16:
        e.RM(enc::k66, 0x89, false, v, hm);
        break;
      default:
        impl_->Fail("StoreMem: unexpected op");
        break;
    }
    return at;
  }
  x86::Mem m = impl_->HeapOperand(addr, offset);
  uint32_t at = Offset();
  auto sized = [&](uint32_t size) {
    x86::Mem r = m;
    r.setSize(size);
    return r;
  };
  switch (op) {
    case Op::I32Store:
      a.mov(sized(4), Gd(value));
      break;
    case Op::I64Store:
      a.mov(sized(8), Gq(value));
      break;
    case Op::F32Store:
      a.movss(sized(4), X(value));
      break;
    case Op::F64Store:
      a.movsd(sized(8), X(value));
      break;
    case Op::I32Store8:
    case Op::I64Store8:
      a.mov(sized(1), Gd(value).r8());
      break;
    case Op::I32Store16:
    case Op::I64Store16:
      a.mov(sized(2), Gd(value).r16());
      break;
    case Op::I64Store32:
      a.mov(sized(4), Gd(value));
      break;
    default:
      impl_->Fail("StoreMem: unexpected op");
      break;
  }
  return at;
}

}  // namespace wt::jit::x64
