// x86_64 MacroAssembler: floating-point arithmetic, comparisons and conversions with Wasm's
// exact semantics (NaN-propagating min/max with -0 < +0, trapping and saturating truncations,
// unsigned conversions).
#include "jit/x64/masm_x64_impl.h"

namespace wt::jit::x64 {

using namespace asmjit;
using wasm::Op;

namespace {

bool IsF64Op(Op op) {
  switch (op) {
    case Op::F64Add:
    case Op::F64Sub:
    case Op::F64Mul:
    case Op::F64Div:
    case Op::F64Min:
    case Op::F64Max:
    case Op::F64Copysign:
    case Op::F64Abs:
    case Op::F64Neg:
    case Op::F64Ceil:
    case Op::F64Floor:
    case Op::F64Trunc:
    case Op::F64Nearest:
    case Op::F64Sqrt:
    case Op::F64Eq:
    case Op::F64Ne:
    case Op::F64Lt:
    case Op::F64Gt:
    case Op::F64Le:
    case Op::F64Ge:
      return true;
    default:
      return false;
  }
}

constexpr uint64_t kF32MinusTwo31 = 0xCF000000u;               // -2^31
constexpr uint64_t kF64MinusTwo31Minus1 = 0xC1E0000000200000;  // -2^31 - 1
constexpr uint64_t kF64MinusTwo31 = 0xC1E0000000000000;        // -2^31
constexpr uint64_t kF32MinusTwo63 = 0xDF000000u;               // -2^63
constexpr uint64_t kF64MinusTwo63 = 0xC3E0000000000000;        // -2^63
constexpr uint64_t kF32Two63 = 0x5F000000u;                    // 2^63
constexpr uint64_t kF64Two63 = 0x43E0000000000000;             // 2^63

}  // namespace

void Masm::FloatBinop(Op op, Reg dst, Reg lhs, Reg rhs) {
  auto& a = impl_->a;
  bool d = IsF64Op(op);
  x86::Xmm D = X(dst), L = X(lhs), R = X(rhs);
  auto arith = [&](const x86::Xmm& x, const x86::Xmm& y) {
    switch (op) {
      case Op::F32Add:
        a.addss(x, y);
        break;
      case Op::F64Add:
        a.addsd(x, y);
        break;
      case Op::F32Sub:
        a.subss(x, y);
        break;
      case Op::F64Sub:
        a.subsd(x, y);
        break;
      case Op::F32Mul:
        a.mulss(x, y);
        break;
      case Op::F64Mul:
        a.mulsd(x, y);
        break;
      case Op::F32Div:
        a.divss(x, y);
        break;
      case Op::F64Div:
        a.divsd(x, y);
        break;
      default:
        break;
    }
  };
  switch (op) {
    case Op::F32Add:
    case Op::F64Add:
    case Op::F32Mul:
    case Op::F64Mul:
      if (dst == lhs) {
        arith(D, R);
      } else if (dst == rhs) {
        arith(D, L);
      } else {
        a.movaps(D, L);
        arith(D, R);
      }
      return;
    case Op::F32Sub:
    case Op::F64Sub:
    case Op::F32Div:
    case Op::F64Div:
      if (dst == lhs) {
        arith(D, R);
      } else if (dst == rhs) {
        a.movaps(x86::xmm15, R);
        a.movaps(D, L);
        arith(D, x86::xmm15);
      } else {
        a.movaps(D, L);
        arith(D, R);
      }
      return;
    case Op::F32Min:
    case Op::F64Min:
    case Op::F32Max:
    case Op::F64Max: {
      bool is_min = op == Op::F32Min || op == Op::F64Min;
      // T accumulates the result; it must not be rhs.
      x86::Xmm T = dst == rhs ? x86::xmm15 : D;
      if (T.id() != L.id()) a.movaps(T, L);
      asmjit::Label nan = a.newLabel(), normal = a.newLabel(), done = a.newLabel();
      if (d)
        a.ucomisd(T, R);
      else
        a.ucomiss(T, R);
      a.jp(nan);
      a.jne(normal);
      // Equal: the operands differ only in the sign of zero (or not at all).
      if (is_min)
        a.orps(T, R);
      else
        a.andps(T, R);
      a.jmp(done);
      a.bind(nan);
      if (d)
        a.addsd(T, R);
      else
        a.addss(T, R);
      a.jmp(done);
      a.bind(normal);
      if (is_min) {
        if (d)
          a.minsd(T, R);
        else
          a.minss(T, R);
      } else {
        if (d)
          a.maxsd(T, R);
        else
          a.maxss(T, R);
      }
      a.bind(done);
      if (T.id() != D.id()) a.movaps(D, T);
      return;
    }
    case Op::F32Copysign:
    case Op::F64Copysign: {
      // r11 <- sign of rhs (bit 0), before dst (which may alias rhs) is written.
      if (d)
        a.movmskpd(x86::r11d, R);
      else
        a.movmskps(x86::r11d, R);
      if (dst != lhs) a.movaps(D, L);
      a.pcmpeqd(x86::xmm15, x86::xmm15);
      if (d)
        a.psrlq(x86::xmm15, 1);
      else
        a.psrld(x86::xmm15, 1);
      a.andps(D, x86::xmm15);
      asmjit::Label done = a.newLabel();
      a.test(x86::r11d, 1);
      a.jz(done);
      a.pcmpeqd(x86::xmm15, x86::xmm15);
      if (d)
        a.psllq(x86::xmm15, 63);
      else
        a.pslld(x86::xmm15, 31);
      a.orps(D, x86::xmm15);
      a.bind(done);
      return;
    }
    default:
      impl_->Fail("FloatBinop: unexpected op");
      return;
  }
}

void Masm::FloatUnop(Op op, Reg dst, Reg src) {
  auto& a = impl_->a;
  bool d = IsF64Op(op);
  x86::Xmm D = X(dst), S = X(src);
  switch (op) {
    case Op::F32Abs:
    case Op::F64Abs:
      a.pcmpeqd(x86::xmm15, x86::xmm15);
      if (d)
        a.psrlq(x86::xmm15, 1);
      else
        a.psrld(x86::xmm15, 1);
      if (dst != src) a.movaps(D, S);
      a.andps(D, x86::xmm15);
      return;
    case Op::F32Neg:
    case Op::F64Neg:
      a.pcmpeqd(x86::xmm15, x86::xmm15);
      if (d)
        a.psllq(x86::xmm15, 63);
      else
        a.pslld(x86::xmm15, 31);
      if (dst != src) a.movaps(D, S);
      a.xorps(D, x86::xmm15);
      return;
    case Op::F32Sqrt:
      a.sqrtss(D, S);
      return;
    case Op::F64Sqrt:
      a.sqrtsd(D, S);
      return;
    default:
      break;
  }
  // roundss/roundsd modes: 0 nearest-even, 1 floor, 2 ceil, 3 truncate; 8 = no precision
  // exception.
  int mode = 0;
  switch (op) {
    case Op::F32Nearest:
    case Op::F64Nearest:
      mode = 0;
      break;
    case Op::F32Floor:
    case Op::F64Floor:
      mode = 1;
      break;
    case Op::F32Ceil:
    case Op::F64Ceil:
      mode = 2;
      break;
    case Op::F32Trunc:
    case Op::F64Trunc:
      mode = 3;
      break;
    default:
      impl_->Fail("FloatUnop: unexpected op");
      return;
  }
  if (d)
    a.roundsd(D, S, mode | 8);
  else
    a.roundss(D, S, mode | 8);
}

void Masm::FloatCompare(Op op, Reg dst, Reg lhs, Reg rhs) {
  auto& a = impl_->a;
  bool d = IsF64Op(op);
  x86::Gp D8 = Gd(dst).r8();
  auto ucom = [&](Reg x, Reg y) {
    if (d)
      a.ucomisd(X(x), X(y));
    else
      a.ucomiss(X(x), X(y));
  };
  switch (op) {
    case Op::F32Eq:
    case Op::F64Eq:
      ucom(lhs, rhs);
      a.sete(D8);
      a.setnp(x86::r11b);
      a.and_(D8, x86::r11b);
      break;
    case Op::F32Ne:
    case Op::F64Ne:
      ucom(lhs, rhs);
      a.setne(D8);
      a.setp(x86::r11b);
      a.or_(D8, x86::r11b);
      break;
    case Op::F32Lt:
    case Op::F64Lt:
      ucom(rhs, lhs);
      a.seta(D8);
      break;
    case Op::F32Gt:
    case Op::F64Gt:
      ucom(lhs, rhs);
      a.seta(D8);
      break;
    case Op::F32Le:
    case Op::F64Le:
      ucom(rhs, lhs);
      a.setae(D8);
      break;
    case Op::F32Ge:
    case Op::F64Ge:
      ucom(lhs, rhs);
      a.setae(D8);
      break;
    default:
      impl_->Fail("FloatCompare: unexpected op");
      return;
  }
  a.movzx(Gd(dst), D8);
}

void Masm::Convert(Op op, Reg dst, Reg src, Label invalid, Label overflow) {
  auto& a = impl_->a;
  Impl& im = *impl_;
  auto ucomi = [&](bool f64, const x86::Xmm& x, const x86::Xmm& y) {
    if (f64)
      a.ucomisd(x, y);
    else
      a.ucomiss(x, y);
  };
  auto cvtt = [&](bool f64, const x86::Gp& d, const x86::Xmm& s) {
    if (f64)
      a.cvttsd2si(d, s);
    else
      a.cvttss2si(d, s);
  };
  switch (op) {
    // --- Integer -> float -----------------------------------------------------------
    case Op::F32ConvertI32S:
      a.xorps(X(dst), X(dst));
      a.cvtsi2ss(X(dst), Gd(src));
      return;
    case Op::F32ConvertI32U:
      a.xorps(X(dst), X(dst));
      a.cvtsi2ss(X(dst), Gq(src));
      return;
    case Op::F64ConvertI32S:
      a.xorps(X(dst), X(dst));
      a.cvtsi2sd(X(dst), Gd(src));
      return;
    case Op::F64ConvertI32U:
      a.xorps(X(dst), X(dst));
      a.cvtsi2sd(X(dst), Gq(src));
      return;
    case Op::F32ConvertI64S:
      a.xorps(X(dst), X(dst));
      a.cvtsi2ss(X(dst), Gq(src));
      return;
    case Op::F64ConvertI64S:
      a.xorps(X(dst), X(dst));
      a.cvtsi2sd(X(dst), Gq(src));
      return;
    case Op::F32ConvertI64U:
    case Op::F64ConvertI64U: {
      bool f64 = op == Op::F64ConvertI64U;
      x86::Gp S = Gq(src);
      x86::Xmm D = X(dst);
      asmjit::Label big = a.newLabel(), done = a.newLabel();
      a.xorps(D, D);
      a.test(S, S);
      a.js(big);
      if (f64)
        a.cvtsi2sd(D, S);
      else
        a.cvtsi2ss(D, S);
      a.jmp(done);
      a.bind(big);
      // Halve with the lost bit kept sticky, convert, double.
      a.mov(x86::r11d, S.r32());
      a.and_(x86::r11d, 1);
      a.shr(S, 1);
      a.or_(S, x86::r11);
      if (f64) {
        a.cvtsi2sd(D, S);
        a.addsd(D, D);
      } else {
        a.cvtsi2ss(D, S);
        a.addss(D, D);
      }
      a.bind(done);
      return;
    }
    // --- Float <-> float, reinterpretations ------------------------------------------
    case Op::F32DemoteF64:
      a.cvtsd2ss(X(dst), X(src));
      return;
    case Op::F64PromoteF32:
      a.cvtss2sd(X(dst), X(src));
      return;
    case Op::I32ReinterpretF32:
      a.movd(Gd(dst), X(src));
      return;
    case Op::I64ReinterpretF64:
      a.movq(Gq(dst), X(src));
      return;
    case Op::F32ReinterpretI32:
      a.movd(X(dst), Gd(src));
      return;
    case Op::F64ReinterpretI64:
      a.movq(X(dst), Gq(src));
      return;
    default:
      break;
  }

  // --- Float -> integer truncations ----------------------------------------------------
  bool f64 = false, to64 = false, is_signed = false, sat = false;
  switch (op) {
    case Op::I32TruncF32S:
      is_signed = true;
      break;
    case Op::I32TruncF32U:
      break;
    case Op::I32TruncF64S:
      f64 = true;
      is_signed = true;
      break;
    case Op::I32TruncF64U:
      f64 = true;
      break;
    case Op::I64TruncF32S:
      to64 = true;
      is_signed = true;
      break;
    case Op::I64TruncF32U:
      to64 = true;
      break;
    case Op::I64TruncF64S:
      f64 = true;
      to64 = true;
      is_signed = true;
      break;
    case Op::I64TruncF64U:
      f64 = true;
      to64 = true;
      break;
    case Op::I32TruncSatF32S:
      sat = true;
      is_signed = true;
      break;
    case Op::I32TruncSatF32U:
      sat = true;
      break;
    case Op::I32TruncSatF64S:
      sat = true;
      f64 = true;
      is_signed = true;
      break;
    case Op::I32TruncSatF64U:
      sat = true;
      f64 = true;
      break;
    case Op::I64TruncSatF32S:
      sat = true;
      to64 = true;
      is_signed = true;
      break;
    case Op::I64TruncSatF32U:
      sat = true;
      to64 = true;
      break;
    case Op::I64TruncSatF64S:
      sat = true;
      f64 = true;
      to64 = true;
      is_signed = true;
      break;
    case Op::I64TruncSatF64U:
      sat = true;
      f64 = true;
      to64 = true;
      break;
    default:
      impl_->Fail("Convert: unexpected op");
      return;
  }
  x86::Xmm S = X(src);
  x86::Gp D = to64 ? Gq(dst) : Gd(dst);
  asmjit::Label done = a.newLabel();

  if (is_signed) {
    // cvtt yields the minimum value for NaN and out-of-range inputs.
    cvtt(f64, D, S);
    a.cmp(D, 1);
    a.jno(done);
    if (!sat) {
      ucomi(f64, S, S);
      a.jp(AL(invalid));
      if (!to64 && f64) {
        // Valid iff -2^31 - 1 < S <= -2^31.
        im.LoadFpScratch(true, kF64MinusTwo31Minus1);
        a.ucomisd(S, x86::xmm15);
        a.jbe(AL(overflow));
        im.LoadFpScratch(true, kF64MinusTwo31);
        a.ucomisd(S, x86::xmm15);
        a.ja(AL(overflow));
      } else {
        // Valid iff S is exactly the minimum.
        uint64_t min = to64 ? (f64 ? kF64MinusTwo63 : kF32MinusTwo63) : kF32MinusTwo31;
        im.LoadFpScratch(f64, min);
        ucomi(f64, S, x86::xmm15);
        a.jne(AL(overflow));
      }
    } else {
      // NaN -> 0; negative -> minimum (already there); positive -> maximum.
      asmjit::Label nan = a.newLabel();
      a.xorps(x86::xmm15, x86::xmm15);
      ucomi(f64, S, x86::xmm15);
      a.jp(nan);
      a.jb(done);
      if (to64)
        im.MovImm64(D, 0x7FFFFFFFFFFFFFFFull);
      else
        a.mov(D, 0x7FFFFFFF);
      a.jmp(done);
      a.bind(nan);
      a.xor_(D.r32(), D.r32());
    }
    a.bind(done);
    return;
  }

  if (!to64) {
    // Unsigned 32-bit: convert to i64 and require the result in [0, 2^32).
    x86::Gp D64 = Gq(dst);
    cvtt(f64, D64, S);
    a.mov(x86::r11, D64);
    a.shr(x86::r11, 32);
    a.jz(done);
    if (!sat) {
      ucomi(f64, S, S);
      a.jp(AL(invalid));
      a.jmp(AL(overflow));
    } else {
      asmjit::Label pos = a.newLabel();
      a.xorps(x86::xmm15, x86::xmm15);
      ucomi(f64, S, x86::xmm15);
      a.ja(pos);
      a.xor_(D.r32(), D.r32());
      a.jmp(done);
      a.bind(pos);
      a.mov(D.r32(), 0xFFFFFFFFu);
    }
    a.bind(done);
    return;
  }

  // Unsigned 64-bit: inputs >= 2^63 are converted after subtracting 2^63.
  asmjit::Label big = a.newLabel(), zero = a.newLabel(), max = a.newLabel();
  ucomi(f64, S, S);
  a.jp(sat ? zero : AL(invalid));
  im.LoadFpScratch(f64, f64 ? kF64Two63 : kF32Two63);
  ucomi(f64, S, x86::xmm15);
  a.jae(big);
  cvtt(f64, D, S);
  a.test(D, D);
  a.jns(done);
  if (sat)
    a.jmp(zero);
  else
    a.jmp(AL(overflow));
  a.bind(big);
  if (f64)
    a.subsd(S, x86::xmm15);
  else
    a.subss(S, x86::xmm15);
  cvtt(f64, D, S);
  a.test(D, D);
  a.js(sat ? max : AL(overflow));
  a.bts(D, 63);
  a.jmp(done);
  if (sat) {
    a.bind(max);
    a.mov(D, -1);
    a.jmp(done);
  }
  a.bind(zero);
  if (sat) a.xor_(D.r32(), D.r32());
  a.bind(done);
}

}  // namespace wt::jit::x64
