// x86_64 MacroAssembler: set-up, labels, moves, integer arithmetic, branches, trap stubs and
// output. The other areas are beside it: the frame and calls (masm_x64_call.cpp), memory 0
// (masm_x64_memory.cpp), floating point (masm_x64_float.cpp), fused compare forms
// (masm_x64_fuse.cpp), epoch checks (masm_x64_interrupt.cpp), trampolines
// (trampolines_x64.cpp). See masm_x64.h for the register assignment.
#include "jit/x64/masm_x64.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "jit/abi.h"
#include "jit/x64/masm_x64_impl.h"
#include "runtime/builtin_table.h"
#include "runtime/vmctx.h"

namespace wt::jit::x64 {

using namespace asmjit;
using wasm::Op;

CpuFeatures HostCpuFeatures() {
  const CpuInfo& info = CpuInfo::host();
  CpuFeatures f;
  f.sse41 = info.hasFeature(asmjit::CpuFeatures::X86::kSSE4_1);
  f.popcnt = info.hasFeature(asmjit::CpuFeatures::X86::kPOPCNT);
  f.lzcnt = info.hasFeature(asmjit::CpuFeatures::X86::kLZCNT);
  f.bmi1 = info.hasFeature(asmjit::CpuFeatures::X86::kBMI);
  // asmjit reports AVX/AVX2/FMA only when the OS saves YMM state (OSXSAVE + XCR0, checked in
  // its x86 CPU detection); the chain below keeps each level implying the ones under it.
  f.ssse3 = f.sse41 && info.hasFeature(asmjit::CpuFeatures::X86::kSSSE3);
  f.sse42 = f.ssse3 && info.hasFeature(asmjit::CpuFeatures::X86::kSSE4_2);
  f.avx = f.sse42 && info.hasFeature(asmjit::CpuFeatures::X86::kAVX);
  f.avx2 = f.avx && info.hasFeature(asmjit::CpuFeatures::X86::kAVX2);
  f.fma = f.avx2 && info.hasFeature(asmjit::CpuFeatures::X86::kFMA);
  return f;
}

namespace {

bool IsI64Op(Op op) {
  switch (op) {
    case Op::I64Add:
    case Op::I64Sub:
    case Op::I64Mul:
    case Op::I64And:
    case Op::I64Or:
    case Op::I64Xor:
    case Op::I64Shl:
    case Op::I64ShrS:
    case Op::I64ShrU:
    case Op::I64Rotl:
    case Op::I64Rotr:
    case Op::I64DivS:
    case Op::I64DivU:
    case Op::I64RemS:
    case Op::I64RemU:
    case Op::I64Eq:
    case Op::I64Ne:
    case Op::I64LtS:
    case Op::I64LtU:
    case Op::I64GtS:
    case Op::I64GtU:
    case Op::I64LeS:
    case Op::I64LeU:
    case Op::I64GeS:
    case Op::I64GeU:
    case Op::I64Clz:
    case Op::I64Ctz:
    case Op::I64Popcnt:
    case Op::I64Eqz:
      return true;
    default:
      return false;
  }
}

enum class IntKind { kAdd, kSub, kMul, kAnd, kOr, kXor, kShl, kShrS, kShrU, kRotl, kRotr, kNone };

IntKind IntKindOf(Op op) {
  switch (op) {
    case Op::I32Add:
    case Op::I64Add:
      return IntKind::kAdd;
    case Op::I32Sub:
    case Op::I64Sub:
      return IntKind::kSub;
    case Op::I32Mul:
    case Op::I64Mul:
      return IntKind::kMul;
    case Op::I32And:
    case Op::I64And:
      return IntKind::kAnd;
    case Op::I32Or:
    case Op::I64Or:
      return IntKind::kOr;
    case Op::I32Xor:
    case Op::I64Xor:
      return IntKind::kXor;
    case Op::I32Shl:
    case Op::I64Shl:
      return IntKind::kShl;
    case Op::I32ShrS:
    case Op::I64ShrS:
      return IntKind::kShrS;
    case Op::I32ShrU:
    case Op::I64ShrU:
      return IntKind::kShrU;
    case Op::I32Rotl:
    case Op::I64Rotl:
      return IntKind::kRotl;
    case Op::I32Rotr:
    case Op::I64Rotr:
      return IntKind::kRotr;
    default:
      return IntKind::kNone;
  }
}

bool IsShift(IntKind k) {
  return k == IntKind::kShl || k == IntKind::kShrS || k == IntKind::kShrU || k == IntKind::kRotl ||
         k == IntKind::kRotr;
}

Cond CompareCond(Op op) {
  switch (op) {
    case Op::I32Eq:
    case Op::I64Eq:
      return Cond::kEq;
    case Op::I32Ne:
    case Op::I64Ne:
      return Cond::kNe;
    case Op::I32LtS:
    case Op::I64LtS:
      return Cond::kLtS;
    case Op::I32LtU:
    case Op::I64LtU:
      return Cond::kLtU;
    case Op::I32GtS:
    case Op::I64GtS:
      return Cond::kGtS;
    case Op::I32GtU:
    case Op::I64GtU:
      return Cond::kGtU;
    case Op::I32LeS:
    case Op::I64LeS:
      return Cond::kLeS;
    case Op::I32LeU:
    case Op::I64LeU:
      return Cond::kLeU;
    case Op::I32GeS:
    case Op::I64GeS:
      return Cond::kGeS;
    default:
      return Cond::kGeU;
  }
}

enc::Alu AluOf(IntKind k) {
  switch (k) {
    case IntKind::kAdd:
      return enc::kAdd;
    case IntKind::kSub:
      return enc::kSub;
    case IntKind::kAnd:
      return enc::kAnd;
    case IntKind::kOr:
      return enc::kOr;
    default:
      return enc::kXor;
  }
}

enc::ShiftExt ShiftOf(IntKind k) {
  switch (k) {
    case IntKind::kShl:
      return enc::kShl;
    case IntKind::kShrS:
      return enc::kSar;
    case IntKind::kShrU:
      return enc::kShr;
    case IntKind::kRotl:
      return enc::kRol;
    default:
      return enc::kRor;
  }
}

unsigned CcOf(Cond c) {
  return static_cast<unsigned>(CC(c));
}

}  // namespace

RegSet Masm::ClobbersFor(Op op) {
  switch (op) {
    case Op::I32DivS:
    case Op::I32DivU:
    case Op::I32RemS:
    case Op::I32RemU:
    case Op::I64DivS:
    case Op::I64DivU:
    case Op::I64RemS:
    case Op::I64RemU:
      return RegSet::Of(reg::rax, reg::rdx);
    default:
      return IsShift(IntKindOf(op)) ? RegSet::Of(reg::rcx) : RegSet();
  }
}

bool Masm::HasImmForm(Op op) {
  return IntKindOf(op) != IntKind::kNone;
}

void Masm::Impl::handleError(asmjit::Error err, const char* message, BaseEmitter*) {
  if (error.empty()) error = std::string("assembler error ") + std::to_string(err) + ": " + message;
}

namespace {
// WTRUN_ASMJIT_ONLY=1 in the environment starts the process with the direct encoder off (for
// measuring it against asmjit's path in the same binary).
std::atomic<bool> g_direct_encoding{std::getenv("WTRUN_ASMJIT_ONLY") == nullptr};
}  // namespace

void Masm::SetDirectEncoding(bool on) {
  g_direct_encoding.store(on, std::memory_order_relaxed);
}
bool Masm::DirectEncoding() {
  return g_direct_encoding.load(std::memory_order_relaxed);
}

Masm::Impl::Impl(const CpuFeatures& features) : cpu(features) {
  Environment env = Environment::host();
  env.setArch(Arch::kX64);
  code.init(env);
  code.setErrorHandler(this);
  code.attach(&a);
  // A logger (a listing) needs asmjit's path for every instruction.
  fast = g_direct_encoding.load(std::memory_order_relaxed) && a.logger() == nullptr;
}

Masm::Masm(const CpuFeatures& cpu) : impl_(std::make_unique<Impl>(cpu)) {}
Masm::~Masm() = default;

const std::string& Masm::error() const {
  return impl_->error;
}

// --- Labels -----------------------------------------------------------------------------

Label Masm::NewLabel() {
  return Label{impl_->a.newLabel().id()};
}
void Masm::Bind(Label l) {
  if (impl_->fast && impl_->e.Bind(l.id)) return;
  impl_->a.bind(AL(l));
}
uint32_t Masm::Offset() const {
  return static_cast<uint32_t>(impl_->a.offset());
}
uint32_t Masm::LabelOffset(Label l) const {
  return static_cast<uint32_t>(impl_->code.labelOffset(AL(l)));
}
void Masm::AlignCode(uint32_t alignment) {
  impl_->a.align(AlignMode::kCode, alignment);
}

// --- Moves ------------------------------------------------------------------------------

void Masm::Move(JType t, Reg dst, Reg src) {
  if (dst == src) return;
  auto& a = impl_->a;
  if (impl_->fast) {
    if (InXmm(t))
      impl_->e.RR(enc::kNoPrefix, 0x0F28, false, dst.hw(), src.hw());  // movaps
    else
      impl_->e.MovRR(Is64(t), dst.hw(), src.hw());
    return;
  }
  if (InXmm(t))
    a.movaps(X(dst), X(src));
  else
    a.mov(G(t, dst), G(t, src));
}

void Masm::Swap(JType t, Reg a, Reg b) {
  if (a == b) return;
  auto& as = impl_->a;
  if (impl_->fast) {
    auto& e = impl_->e;
    if (InXmm(t)) {
      e.RR(enc::kNoPrefix, 0x0F28, false, 15, a.hw());
      e.RR(enc::kNoPrefix, 0x0F28, false, a.hw(), b.hw());
      e.RR(enc::kNoPrefix, 0x0F28, false, b.hw(), 15);
    } else {
      e.Xchg(a.hw(), b.hw());
    }
    return;
  }
  if (InXmm(t)) {
    as.movaps(x86::xmm15, X(a));
    as.movaps(X(a), X(b));
    as.movaps(X(b), x86::xmm15);
  } else {
    as.xchg(Gq(a), Gq(b));
  }
}

void Masm::LoadConst(JType t, Reg dst, uint64_t bits) {
  impl_->LoadConst(t, dst, bits);
}

void Masm::Impl::LoadConst(JType t, Reg dst, uint64_t bits) {
  if (fast) {
    unsigned d = dst.hw();
    if (IsFp(t)) {
      if (bits == 0) {
        e.RR(enc::kNoPrefix, 0x0F57, false, d, d);  // xorps
      } else if (t == JType::kF32) {
        e.MovRI32(11, static_cast<uint32_t>(bits));
        e.RR(enc::k66, 0x0F6E, false, d, 11);  // movd xmm, r11d
      } else {
        MovImm64(11u, bits);
        e.RR(enc::k66, 0x0F6E, true, d, 11);  // movq xmm, r11
      }
      return;
    }
    if (Is64(t))
      MovImm64(d, bits);
    else if (static_cast<uint32_t>(bits) == 0)
      e.AluRR(enc::kXor, false, d, d);
    else
      e.MovRI32(d, static_cast<uint32_t>(bits));
    return;
  }
  if (IsFp(t)) {
    if (bits == 0) {
      a.xorps(X(dst), X(dst));
      return;
    }
    if (t == JType::kF32) {
      a.mov(x86::r11d, static_cast<uint32_t>(bits));
      a.movd(X(dst), x86::r11d);
    } else {
      MovImm64(x86::r11, bits);
      a.movq(X(dst), x86::r11);
    }
    return;
  }
  if (!Is64(t)) bits = static_cast<uint32_t>(bits);
  if (Is64(t))
    MovImm64(Gq(dst), bits);
  else if (bits == 0)
    a.xor_(Gd(dst), Gd(dst));
  else
    a.mov(Gd(dst), static_cast<uint32_t>(bits));
}

void Masm::Impl::MovImm64(unsigned dst, uint64_t bits) {
  if (bits == 0)
    e.AluRR(enc::kXor, false, dst, dst);
  else if (bits <= 0xFFFFFFFFu)
    e.MovRI32(dst, static_cast<uint32_t>(bits));
  else if (static_cast<int64_t>(bits) >= INT32_MIN && static_cast<int64_t>(bits) <= INT32_MAX)
    e.MovRI64Sx(dst, static_cast<int32_t>(static_cast<int64_t>(bits)));
  else
    e.MovAbs(dst, bits);
}

void Masm::Impl::MovImm64(const x86::Gp& dst, uint64_t bits) {
  if (fast) return MovImm64(dst.id(), bits);
  if (bits == 0)
    a.xor_(dst.r32(), dst.r32());
  else if (bits <= 0xFFFFFFFFu)
    a.mov(dst.r32(), static_cast<uint32_t>(bits));
  else if (static_cast<int64_t>(bits) >= INT32_MIN && static_cast<int64_t>(bits) <= INT32_MAX)
    a.mov(dst.r64(), Imm(static_cast<int64_t>(bits)));
  else
    a.movabs(dst.r64(), Imm(static_cast<int64_t>(bits)));
}

void Masm::Load(JType t, Reg dst, Mem src) {
  auto& a = impl_->a;
  if (impl_->fast) {
    auto& e = impl_->e;
    enc::MemOp m = enc::Base(src.base.hw(), src.offset);
    switch (t) {
      case JType::kI32:
        return e.MovRM(false, dst.hw(), m);
      case JType::kI64:
      case JType::kRef:
        return e.MovRM(true, dst.hw(), m);
      case JType::kF32:
        return e.RM(enc::kF3, 0x0F10, false, dst.hw(), m);
      case JType::kF64:
        return e.RM(enc::kF2, 0x0F10, false, dst.hw(), m);
      case JType::kV128:
        return e.RM(enc::kF3, 0x0F6F, false, dst.hw(), m);  // movdqu
    }
    return;
  }
  switch (t) {
    case JType::kI32:
      a.mov(Gd(dst), M32(src));
      break;
    case JType::kI64:
    case JType::kRef:
      a.mov(Gq(dst), M64(src));
      break;
    case JType::kF32:
      a.movss(X(dst), M32(src));
      break;
    case JType::kF64:
      a.movsd(X(dst), M64(src));
      break;
    case JType::kV128:
      a.movdqu(X(dst), x86::xmmword_ptr(Gq(src.base), src.offset));
      break;
  }
}

void Masm::Store(JType t, Mem dst, Reg src) {
  auto& a = impl_->a;
  if (impl_->fast) {
    auto& e = impl_->e;
    enc::MemOp m = enc::Base(dst.base.hw(), dst.offset);
    switch (t) {
      case JType::kI32:
        return e.MovMR(false, m, src.hw());
      case JType::kI64:
      case JType::kRef:
        return e.MovMR(true, m, src.hw());
      case JType::kF32:
        return e.RM(enc::kF3, 0x0F11, false, src.hw(), m);
      case JType::kF64:
        return e.RM(enc::kF2, 0x0F11, false, src.hw(), m);
      case JType::kV128:
        return e.RM(enc::kF3, 0x0F7F, false, src.hw(), m);  // movdqu
    }
    return;
  }
  switch (t) {
    case JType::kI32:
      a.mov(M32(dst), Gd(src));
      break;
    case JType::kI64:
    case JType::kRef:
      a.mov(M64(dst), Gq(src));
      break;
    case JType::kF32:
      a.movss(M32(dst), X(src));
      break;
    case JType::kF64:
      a.movsd(M64(dst), X(src));
      break;
    case JType::kV128:
      a.movdqu(x86::xmmword_ptr(Gq(dst.base), dst.offset), X(src));
      break;
  }
}

void Masm::StoreConst(JType t, Mem dst, uint64_t bits) {
  auto& a = impl_->a;
  if (impl_->fast) {
    auto& e = impl_->e;
    enc::MemOp m = enc::Base(dst.base.hw(), dst.offset);
    if (!Is64(t)) return e.MovMI(false, m, static_cast<int32_t>(static_cast<uint32_t>(bits)));
    auto v = static_cast<int64_t>(bits);
    if (v >= INT32_MIN && v <= INT32_MAX) return e.MovMI(true, m, static_cast<int32_t>(v));
    impl_->MovImm64(11u, bits);
    return e.MovMR(true, m, 11);
  }
  if (!Is64(t)) {
    a.mov(M32(dst), Imm(static_cast<int32_t>(static_cast<uint32_t>(bits))));
    return;
  }
  auto v = static_cast<int64_t>(bits);
  if (v >= INT32_MIN && v <= INT32_MAX) {
    a.mov(M64(dst), Imm(v));
  } else {
    impl_->MovImm64(x86::r11, bits);
    a.mov(M64(dst), x86::r11);
  }
}

void Masm::CopyMem(JType t, Mem dst, Mem src) {
  auto& a = impl_->a;
  if (t == JType::kV128) {  // through xmm15: all 16 bytes are read before any is written
    Load(t, reg::xmm15, src);
    Store(t, dst, reg::xmm15);
    return;
  }
  if (impl_->fast) {
    auto& e = impl_->e;
    bool w = Is64(t);
    e.MovRM(w, 11, enc::Base(src.base.hw(), src.offset));
    e.MovMR(w, enc::Base(dst.base.hw(), dst.offset), 11);
    return;
  }
  if (Is64(t)) {
    a.mov(x86::r11, M64(src));
    a.mov(M64(dst), x86::r11);
  } else {
    a.mov(x86::r11d, M32(src));
    a.mov(M32(dst), x86::r11d);
  }
}

// --- Integer arithmetic -----------------------------------------------------------------

void Masm::IntBinop(Op op, Reg dst, Reg lhs, Reg rhs) {
  auto& a = impl_->a;
  bool w = IsI64Op(op);
  if (impl_->fast) {
    auto& e = impl_->e;
    unsigned d = dst.hw(), l = lhs.hw(), r = rhs.hw();
    IntKind k = IntKindOf(op);
    auto emit = [&](unsigned x, unsigned y) {
      if (k == IntKind::kMul)
        e.ImulRR(w, x, y);
      else
        e.AluRR(AluOf(k), w, x, y);
    };
    switch (k) {
      case IntKind::kAdd:
      case IntKind::kMul:
      case IntKind::kAnd:
      case IntKind::kOr:
      case IntKind::kXor:
        if (dst == lhs) {
          emit(d, r);
        } else if (dst == rhs) {
          emit(d, l);
        } else {
          e.MovRR(w, d, l);
          emit(d, r);
        }
        return;
      case IntKind::kSub:
        if (dst == lhs) {
          e.AluRR(enc::kSub, w, d, r);
        } else if (dst == rhs) {
          e.NegR(w, d);
          e.AluRR(enc::kAdd, w, d, l);
        } else {
          e.MovRR(w, d, l);
          e.AluRR(enc::kSub, w, d, r);
        }
        return;
      default:
        break;
    }
    enc::ShiftExt sh = ShiftOf(k);
    if (rhs == reg::rcx && dst != reg::rcx) {
      if (dst != lhs) e.MovRR(w, d, l);
      e.ShiftRCl(sh, w, d);
      return;
    }
    e.MovRR(w, 11, l);
    if (rhs != reg::rcx) e.MovRR(false, 1, r);
    e.ShiftRCl(sh, w, 11);
    e.MovRR(w, d, 11);
    return;
  }
  JType t = w ? JType::kI64 : JType::kI32;
  x86::Gp D = G(t, dst), L = G(t, lhs), R = G(t, rhs);
  IntKind k = IntKindOf(op);
  auto emit = [&](const x86::Gp& d, const x86::Gp& s) {
    switch (k) {
      case IntKind::kAdd:
        a.add(d, s);
        break;
      case IntKind::kSub:
        a.sub(d, s);
        break;
      case IntKind::kMul:
        a.imul(d, s);
        break;
      case IntKind::kAnd:
        a.and_(d, s);
        break;
      case IntKind::kOr:
        a.or_(d, s);
        break;
      case IntKind::kXor:
        a.xor_(d, s);
        break;
      default:
        break;
    }
  };
  switch (k) {
    case IntKind::kAdd:
    case IntKind::kMul:
    case IntKind::kAnd:
    case IntKind::kOr:
    case IntKind::kXor:
      if (dst == lhs) {
        emit(D, R);
      } else if (dst == rhs) {
        emit(D, L);
      } else {
        a.mov(D, L);
        emit(D, R);
      }
      return;
    case IntKind::kSub:
      if (dst == lhs) {
        a.sub(D, R);
      } else if (dst == rhs) {
        a.neg(D);
        a.add(D, L);
      } else {
        a.mov(D, L);
        a.sub(D, R);
      }
      return;
    default:
      break;
  }
  // Shifts and rotates: the count goes in cl.
  auto shift = [&](const x86::Gp& d) {
    switch (k) {
      case IntKind::kShl:
        a.shl(d, x86::cl);
        break;
      case IntKind::kShrS:
        a.sar(d, x86::cl);
        break;
      case IntKind::kShrU:
        a.shr(d, x86::cl);
        break;
      case IntKind::kRotl:
        a.rol(d, x86::cl);
        break;
      case IntKind::kRotr:
        a.ror(d, x86::cl);
        break;
      default:
        break;
    }
  };
  x86::Gp S = w ? x86::Gp(x86::r11) : x86::Gp(x86::r11d);
  if (rhs == reg::rcx && dst != reg::rcx) {
    if (dst != lhs) a.mov(D, L);
    shift(D);
    return;
  }
  a.mov(S, L);
  if (rhs != reg::rcx) a.mov(x86::ecx, Gd(rhs));
  shift(S);
  a.mov(D, S);
}

void Masm::IntBinopImm(Op op, Reg dst, Reg lhs, int32_t imm) {
  auto& a = impl_->a;
  bool w = IsI64Op(op);
  if (impl_->fast) {
    auto& e = impl_->e;
    unsigned d = dst.hw();
    IntKind k = IntKindOf(op);
    if (k == IntKind::kMul) return e.ImulRRI(w, d, lhs.hw(), imm);
    if (dst != lhs) e.MovRR(w, d, lhs.hw());
    int sh = imm & (w ? 63 : 31);
    switch (k) {
      case IntKind::kAdd:
      case IntKind::kSub:
      case IntKind::kAnd:
      case IntKind::kOr:
      case IntKind::kXor:
        e.AluRI(AluOf(k), w, d, imm);
        break;
      case IntKind::kShl:
      case IntKind::kShrS:
      case IntKind::kShrU:
      case IntKind::kRotl:
      case IntKind::kRotr:
        if (sh) e.ShiftRI(ShiftOf(k), w, d, static_cast<uint8_t>(sh));
        break;
      default:
        break;
    }
    return;
  }
  JType t = w ? JType::kI64 : JType::kI32;
  x86::Gp D = G(t, dst), L = G(t, lhs);
  IntKind k = IntKindOf(op);
  if (k == IntKind::kMul) {
    a.imul(D, L, imm);
    return;
  }
  if (dst != lhs) a.mov(D, L);
  int sh = imm & (w ? 63 : 31);
  switch (k) {
    case IntKind::kAdd:
      a.add(D, imm);
      break;
    case IntKind::kSub:
      a.sub(D, imm);
      break;
    case IntKind::kAnd:
      a.and_(D, imm);
      break;
    case IntKind::kOr:
      a.or_(D, imm);
      break;
    case IntKind::kXor:
      a.xor_(D, imm);
      break;
    case IntKind::kShl:
      if (sh) a.shl(D, sh);
      break;
    case IntKind::kShrS:
      if (sh) a.sar(D, sh);
      break;
    case IntKind::kShrU:
      if (sh) a.shr(D, sh);
      break;
    case IntKind::kRotl:
      if (sh) a.rol(D, sh);
      break;
    case IntKind::kRotr:
      if (sh) a.ror(D, sh);
      break;
    default:
      break;
  }
}

void Masm::IntDivRem(Op op, Reg dst, Reg lhs, Reg rhs, Label div_by_zero, Label overflow) {
  auto& a = impl_->a;
  bool w = IsI64Op(op);
  JType t = w ? JType::kI64 : JType::kI32;
  bool is_signed = op == Op::I32DivS || op == Op::I64DivS || op == Op::I32RemS || op == Op::I64RemS;
  bool is_rem = op == Op::I32RemS || op == Op::I64RemS || op == Op::I32RemU || op == Op::I64RemU;
  if (impl_->fast) {
    auto& e = impl_->e;
    unsigned dv = rhs.hw(), l = lhs.hw(), d = dst.hw();
    if (rhs == reg::rax || rhs == reg::rdx) {
      e.MovRR(w, 11, dv);
      dv = 11;
    }
    Label done = NewLabel();
    e.TestRR(w, dv, dv);
    e.Jcc(static_cast<unsigned>(x86::CondCode::kE), div_by_zero.id);
    if (is_signed) {
      Label do_div = NewLabel();
      e.AluRI(enc::kCmp, w, dv, -1);
      e.Jcc(static_cast<unsigned>(x86::CondCode::kNE), do_div.id);
      if (is_rem) {
        e.AluRR(enc::kXor, false, d, d);
        e.Jmp(done.id);
      } else {
        e.AluRI(enc::kCmp, w, l, 1);  // overflows exactly when lhs is the minimum value
        e.Jcc(static_cast<unsigned>(x86::CondCode::kO), overflow.id);
      }
      Bind(do_div);
    }
    if (lhs != reg::rax) e.MovRR(w, 0, l);
    if (is_signed) {
      e.Raw1(w, 0x99);                       // cqo / cdq
      e.RR(enc::kNoPrefix, 0xF7, w, 7, dv);  // idiv
    } else {
      e.AluRR(enc::kXor, false, 2, 2);
      e.RR(enc::kNoPrefix, 0xF7, w, 6, dv);  // div
    }
    unsigned res = is_rem ? 2u : 0u;
    if (d != res) e.MovRR(w, d, res);
    Bind(done);
    return;
  }
  x86::Gp divisor = G(t, rhs);
  if (rhs == reg::rax || rhs == reg::rdx) {
    x86::Gp s = w ? x86::Gp(x86::r11) : x86::Gp(x86::r11d);
    a.mov(s, divisor);
    divisor = s;
  }
  x86::Gp L = G(t, lhs), D = G(t, dst);
  x86::Gp ax = w ? x86::Gp(x86::rax) : x86::Gp(x86::eax);
  x86::Gp dx = w ? x86::Gp(x86::rdx) : x86::Gp(x86::edx);
  asmjit::Label done = a.newLabel();
  a.test(divisor, divisor);
  a.jz(AL(div_by_zero));
  if (is_signed) {
    asmjit::Label do_div = a.newLabel();
    a.cmp(divisor, -1);
    a.jne(do_div);
    if (is_rem) {
      a.xor_(Gd(dst), Gd(dst));
      a.jmp(done);
    } else {
      a.cmp(L, 1);  // overflows exactly when lhs is the minimum value
      a.jo(AL(overflow));
    }
    a.bind(do_div);
  }
  if (lhs != reg::rax) a.mov(ax, L);
  if (is_signed) {
    if (w)
      a.cqo();
    else
      a.cdq();
    a.idiv(divisor);
  } else {
    a.xor_(x86::edx, x86::edx);
    a.div(divisor);
  }
  x86::Gp res = is_rem ? dx : ax;
  if (D.id() != res.id()) a.mov(D, res);
  a.bind(done);
}

void Masm::IntUnop(Op op, Reg dst, Reg src) {
  auto& a = impl_->a;
  const CpuFeatures& cpu = impl_->cpu;
  x86::Gp D32 = Gd(dst), S32 = Gd(src), D64 = Gq(dst), S64 = Gq(src);
  if (impl_->fast) {
    auto& e = impl_->e;
    unsigned d = dst.hw(), s = src.hw();
    switch (op) {
      case Op::I32Eqz:
      case Op::I64Eqz:
      case Op::RefIsNull:
        e.TestRR(op != Op::I32Eqz, s, s);
        e.Setcc(static_cast<unsigned>(x86::CondCode::kE), d);
        e.MovzxR32R8(d, d);
        return;
      case Op::I32Extend8S:
        return e.RR(enc::kNoPrefix, 0x0FBE, false, d, s, enc::Encoder::ByteReg(s));
      case Op::I32Extend16S:
        return e.RR(enc::kNoPrefix, 0x0FBF, false, d, s);
      case Op::I64Extend8S:
        return e.RR(enc::kNoPrefix, 0x0FBE, true, d, s, enc::Encoder::ByteReg(s));
      case Op::I64Extend16S:
        return e.RR(enc::kNoPrefix, 0x0FBF, true, d, s);
      case Op::I64Extend32S:
      case Op::I64ExtendI32S:
        return e.RR(enc::kNoPrefix, 0x63, true, d, s);
      case Op::I64ExtendI32U:
        if (dst != src) e.MovRR(false, d, s);
        return;
      case Op::I32WrapI64:
        return e.MovRR(false, d, s);
      default:
        break;  // the rest through asmjit
    }
  }
  switch (op) {
    case Op::I32Clz:
      if (cpu.lzcnt) {
        a.lzcnt(D32, S32);
      } else {
        a.mov(x86::r11d, 63);
        a.bsr(D32, S32);
        a.cmovz(D32, x86::r11d);
        a.xor_(D32, 31);
      }
      return;
    case Op::I64Clz:
      if (cpu.lzcnt) {
        a.lzcnt(D64, S64);
      } else {
        a.mov(x86::r11d, 127);
        a.bsr(D64, S64);
        a.cmovz(D64, x86::r11);
        a.xor_(D64, 63);
      }
      return;
    case Op::I32Ctz:
      if (cpu.bmi1) {
        a.tzcnt(D32, S32);
      } else {
        a.mov(x86::r11d, 32);
        a.bsf(D32, S32);
        a.cmovz(D32, x86::r11d);
      }
      return;
    case Op::I64Ctz:
      if (cpu.bmi1) {
        a.tzcnt(D64, S64);
      } else {
        a.mov(x86::r11d, 64);
        a.bsf(D64, S64);
        a.cmovz(D64, x86::r11);
      }
      return;
    case Op::I32Popcnt:
      a.popcnt(D32, S32);
      return;
    case Op::I64Popcnt:
      a.popcnt(D64, S64);
      return;
    case Op::I32Eqz:
      a.test(S32, S32);
      a.sete(D32.r8());
      a.movzx(D32, D32.r8());
      return;
    case Op::I64Eqz:
    case Op::RefIsNull:
      a.test(S64, S64);
      a.sete(D32.r8());
      a.movzx(D32, D32.r8());
      return;
    case Op::I32Extend8S:
      a.movsx(D32, S32.r8());
      return;
    case Op::I32Extend16S:
      a.movsx(D32, S32.r16());
      return;
    case Op::I64Extend8S:
      a.movsx(D64, S32.r8());
      return;
    case Op::I64Extend16S:
      a.movsx(D64, S32.r16());
      return;
    case Op::I64Extend32S:
    case Op::I64ExtendI32S:
      a.movsxd(D64, S32);
      return;
    case Op::I64ExtendI32U:
      if (dst != src) a.mov(D32, S32);
      return;
    case Op::I32WrapI64:
      a.mov(D32, S32);
      return;
    default:
      impl_->Fail("IntUnop: unexpected op");
      return;
  }
}

void Masm::IntCompare(Op op, Reg dst, Reg lhs, Reg rhs) {
  auto& a = impl_->a;
  JType t = IsI64Op(op) ? JType::kI64 : JType::kI32;
  if (impl_->fast) {
    auto& e = impl_->e;
    e.AluRR(enc::kCmp, Is64(t), lhs.hw(), rhs.hw());
    e.Setcc(CcOf(CompareCond(op)), dst.hw());
    e.MovzxR32R8(dst.hw(), dst.hw());
    return;
  }
  a.cmp(G(t, lhs), G(t, rhs));
  a.set(CC(CompareCond(op)), Gd(dst).r8());
  a.movzx(Gd(dst), Gd(dst).r8());
}

void Masm::IntCompareImm(Op op, Reg dst, Reg lhs, int32_t imm) {
  auto& a = impl_->a;
  JType t = IsI64Op(op) ? JType::kI64 : JType::kI32;
  if (impl_->fast) {
    auto& e = impl_->e;
    bool w = Is64(t);
    if (imm == 0 && (op == Op::I32Eq || op == Op::I64Eq || op == Op::I32Ne || op == Op::I64Ne))
      e.TestRR(w, lhs.hw(), lhs.hw());
    else
      e.AluRI(enc::kCmp, w, lhs.hw(), imm);
    e.Setcc(CcOf(CompareCond(op)), dst.hw());
    e.MovzxR32R8(dst.hw(), dst.hw());
    return;
  }
  if (imm == 0 && (op == Op::I32Eq || op == Op::I64Eq || op == Op::I32Ne || op == Op::I64Ne))
    a.test(G(t, lhs), G(t, lhs));
  else
    a.cmp(G(t, lhs), imm);
  a.set(CC(CompareCond(op)), Gd(dst).r8());
  a.movzx(Gd(dst), Gd(dst).r8());
}

void Masm::Select(JType t, Reg dst, Reg cond, Reg x, Reg y) {
  auto& a = impl_->a;
  if (!InXmm(t) && impl_->fast) {
    auto& e = impl_->e;
    bool w = Is64(t);
    unsigned d = dst.hw(), c = cond.hw();
    constexpr unsigned kCmovz = 0x0F44, kCmovnz = 0x0F45;
    if (dst == x) {
      e.TestRR(false, c, c);
      e.RR(enc::kNoPrefix, kCmovz, w, d, y.hw());
    } else if (dst == y) {
      e.TestRR(false, c, c);
      e.RR(enc::kNoPrefix, kCmovnz, w, d, x.hw());
    } else {
      e.MovRR(w, d, x.hw());
      e.TestRR(false, c, c);
      e.RR(enc::kNoPrefix, kCmovz, w, d, y.hw());
    }
    return;
  }
  if (!InXmm(t)) {
    x86::Gp D = G(t, dst);
    if (dst == x) {
      a.test(Gd(cond), Gd(cond));
      a.cmovz(D, G(t, y));
    } else if (dst == y) {
      a.test(Gd(cond), Gd(cond));
      a.cmovnz(D, G(t, x));
    } else {
      a.mov(D, G(t, x));
      a.test(Gd(cond), Gd(cond));
      a.cmovz(D, G(t, y));
    }
    return;
  }
  asmjit::Label skip = a.newLabel();
  if (dst == x) {
    a.test(Gd(cond), Gd(cond));
    a.jnz(skip);
    a.movaps(X(dst), X(y));
  } else if (dst == y) {
    a.test(Gd(cond), Gd(cond));
    a.jz(skip);
    a.movaps(X(dst), X(x));
  } else {
    a.movaps(X(dst), X(x));
    a.test(Gd(cond), Gd(cond));
    a.jnz(skip);
    a.movaps(X(dst), X(y));
  }
  a.bind(skip);
}

// --- Control --------------------------------------------------------------------------

void Masm::Jump(Label l) {
  if (impl_->fast) return impl_->e.Jmp(l.id);
  impl_->a.jmp(AL(l));
}

void Masm::BranchIfZero(JType t, Reg r, Label l) {
  if (impl_->fast) {
    impl_->e.TestRR(Is64(t), r.hw(), r.hw());
    return impl_->e.Jcc(static_cast<unsigned>(x86::CondCode::kE), l.id);
  }
  impl_->a.test(G(t, r), G(t, r));
  impl_->a.jz(AL(l));
}

void Masm::BranchIfNonZero(JType t, Reg r, Label l) {
  if (impl_->fast) {
    impl_->e.TestRR(Is64(t), r.hw(), r.hw());
    return impl_->e.Jcc(static_cast<unsigned>(x86::CondCode::kNE), l.id);
  }
  impl_->a.test(G(t, r), G(t, r));
  impl_->a.jnz(AL(l));
}

void Masm::BranchCmp(JType t, Cond c, Reg lhs, Reg rhs, Label l) {
  if (impl_->fast) {
    impl_->e.AluRR(enc::kCmp, Is64(t), lhs.hw(), rhs.hw());
    return impl_->e.Jcc(CcOf(c), l.id);
  }
  impl_->a.cmp(G(t, lhs), G(t, rhs));
  impl_->a.j(CC(c), AL(l));
}

void Masm::BranchCmpImm(JType t, Cond c, Reg lhs, int32_t imm, Label l) {
  auto& a = impl_->a;
  if (impl_->fast) {
    auto& e = impl_->e;
    if (imm == 0 && (c == Cond::kEq || c == Cond::kNe))
      e.TestRR(Is64(t), lhs.hw(), lhs.hw());
    else
      e.AluRI(enc::kCmp, Is64(t), lhs.hw(), imm);
    return e.Jcc(CcOf(c), l.id);
  }
  if (imm == 0 && (c == Cond::kEq || c == Cond::kNe))
    a.test(G(t, lhs), G(t, lhs));
  else
    a.cmp(G(t, lhs), imm);
  a.j(CC(c), AL(l));
}

void Masm::JumpTable(Reg index, std::span<const Label> labels) {
  auto& a = impl_->a;
  auto n = static_cast<uint32_t>(labels.size() - 1);
  if (n == 0) {
    a.jmp(AL(labels.back()));
    return;
  }
  a.cmp(Gd(index), n);
  a.jae(AL(labels.back()));
  asmjit::Label table = a.newLabel();
  a.lea(x86::r11, x86::ptr(table));
  a.movsxd(Gq(index), x86::dword_ptr(x86::r11, Gq(index), 2));
  a.add(Gq(index), x86::r11);
  a.jmp(Gq(index));
  a.align(AlignMode::kData, 4);
  a.bind(table);
  for (uint32_t i = 0; i < n; ++i) a.embedLabelDelta(AL(labels[i]), table, 4);
}

uint32_t Masm::Ud2() {
  uint32_t at = Offset();
  impl_->a.ud2();
  return at;
}

namespace {
constexpr auto kRaiseTrapId = static_cast<uint32_t>(runtime::BuiltinId::kRaiseTrap);
}  // namespace

uint32_t Masm::EmitTrapStub(Label l, runtime::TrapCode code) {
  auto& a = impl_->a;
  a.bind(AL(l));
  uint32_t at = Offset();
  if (impl_->fast) {
    auto& e = impl_->e;
    uint8_t* p = e.Begin();
    if (p == nullptr) return at;
    // lea rsi, [rip - 7] (the stub's own address: `l` is bound here); mov edi, code;
    // mov rdx, rbp.
    static const uint8_t kLea[] = {0x48, 0x8D, 0x35, 0xF9, 0xFF, 0xFF, 0xFF};
    std::memcpy(p, kLea, sizeof(kLea));
    e.End(p + sizeof(kLea));
    e.MovRI32(7, static_cast<uint32_t>(code));
    e.MovRR(true, 2, 5);
    impl_->CallBuiltinId(kRaiseTrapId);  // call [rip + table + 8 * kRaiseTrap]
    p = e.Begin();
    if (p == nullptr) return at;
    p[0] = 0x0F;  // ud2
    p[1] = 0x0B;
    e.End(p + 2);
    return at;
  }
  a.lea(x86::rsi, x86::ptr(AL(l)));
  a.mov(x86::edi, static_cast<uint32_t>(code));
  a.mov(x86::rdx, x86::rbp);
  impl_->CallBuiltinId(kRaiseTrapId);
  a.ud2();
  return at;
}

// --- Output -----------------------------------------------------------------------------

Result<size_t> Masm::Finish() {
  auto& code = impl_->code;
  impl_->EmitConstPool();  // SIMD constants (masm_x64_simd_pool.cpp), after all the code
  if (!impl_->error.empty()) return MakeError(ErrorKind::kUnsupported, "jit: {}", impl_->error);
  asmjit::Error err = code.flatten();
  // With the single .text section every link to a label was resolved when the label was bound
  // (CodeHolder::bindLabel); what remains links to labels never bound (ExternalLinks), which
  // resolveUnresolvedLinks skips, so its walk over every label entry is only needed when there
  // are more sections.
  if (err == kErrorOk && code.sectionCount() != 1) err = code.resolveUnresolvedLinks();
  if (err != kErrorOk)
    return MakeError(ErrorKind::kUnsupported, "jit: cannot finish code ({})", err);
  return code.codeSize();
}

Status Masm::CopyTo(uint8_t* dst, size_t size, uint64_t base_address) {
  auto& code = impl_->code;
  asmjit::Error err = code.relocateToBase(base_address);
  if (err != kErrorOk || code.codeSize() > size)
    return MakeError(ErrorKind::kUnsupported, "jit: cannot relocate code ({})", err);
  err = code.copyFlattenedData(dst, size, CopySectionFlags::kPadTargetBuffer);
  if (err != kErrorOk) return MakeError(ErrorKind::kUnsupported, "jit: cannot copy code");
  return Ok();
}

bool Masm::PositionIndependent() const {
  // An expression (a jump-table entry: label - label) is evaluated from section offsets;
  // every other kind of relocation depends on the base address.
  const auto& code = impl_->code;
  if (impl_->absolute_builtin) return false;
  for (const asmjit::RelocEntry* r : code.relocEntries())
    if (r->relocType() != asmjit::RelocType::kExpression) return false;
  return !code.hasAddressTable();
}

namespace {

Status AppendLinks(const asmjit::LabelEntry* le, std::vector<Masm::ExternalLink>* out) {
  for (const asmjit::LabelLink* link = le->links(); link; link = link->next) {
    const asmjit::OffsetFormat& f = link->format;
    if (link->sectionId != 0 || f.type() != asmjit::OffsetType::kSignedOffset ||
        f.valueSize() != 4 || f.valueOffset() != 0 || f.immBitShift() != 0 ||
        link->offset > UINT32_MAX) {
      return MakeError(ErrorKind::kUnsupported, "jit: unexpected external link");
    }
    out->push_back(ExternalLink{le->id(), static_cast<uint32_t>(link->offset),
                                static_cast<int32_t>(link->rel)});
  }
  return Ok();
}

}  // namespace

bool Masm::PatchExternalLink(uint8_t /*kind*/, int32_t rel, uint8_t* field_rw, uint64_t field_addr,
                             uint64_t target) {
  int64_t d = static_cast<int64_t>(target - field_addr) + rel;
  if (d < INT32_MIN || d > INT32_MAX) return false;
  auto d32 = static_cast<int32_t>(d);
  std::memcpy(field_rw, &d32, 4);
  return true;
}

uint32_t Masm::BuiltinTableLabelId() const {
  return impl_->builtin_table.isValid() ? impl_->builtin_table.id() : UINT32_MAX;
}

Status Masm::ExternalLinks(std::vector<ExternalLink>* out) const {
  const auto& code = impl_->code;
  if (impl_->fast && code.sectionCount() == 1) {
    // The labels CallLabel used while unbound, in id order (the order of the full walk below).
    // They hold every remaining link when their links add up to the holder's unresolved-link
    // count (every link to a label bound since was resolved and uncounted at the bind);
    // otherwise some other use of an unbound label exists and the full walk runs.
    std::vector<uint32_t> ids = impl_->call_targets;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    size_t start = out->size();
    for (uint32_t id : ids) {
      const asmjit::LabelEntry* le = code.labelEntry(id);
      if (le == nullptr || le->isBound()) continue;
      WT_TRY(AppendLinks(le, out));
    }
    if (out->size() - start == code.unresolvedLinkCount()) return Ok();
    out->resize(start);
  }
  for (const asmjit::LabelEntry* le : code.labelEntries()) {
    if (le->isBound()) continue;
    WT_TRY(AppendLinks(le, out));
  }
  return Ok();
}

}  // namespace wt::jit::x64
