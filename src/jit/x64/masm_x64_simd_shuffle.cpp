// x86_64 SIMD family: i8x16.shuffle pattern matcher, i8x16.swizzle.
// See masm_x64_simd.h for the helpers and the dispatch.
//
// Shuffle (lanes < 16 pick from a, 16..31 from b), tried in order:
// - one input (all lanes from one register, or a == b): identity -> move; dword pattern ->
//   pshufd; word patterns that stay within their half -> pshuflw and/or pshufhw; a rotation ->
//   palignr; one of the two-input patterns below with both inputs the same register; else
//   pshufb with a pool mask.
// - two inputs (each pattern also tried with a and b swapped): punpck{l,h}{bw,wd,dq,qdq},
//   movsd / movhlps (qword moves), palignr, shufps (2 dwords from each), pblendw (every word in
//   place), insertps (one dword from the other input); whole dwords from both -> pshufd each +
//   pblendw; else pshufb each input with its mask (the other input's lanes 0x80) and por.
// Only xmm15 is used besides dst: no temps.
//
// Beyond wasm (whose lanes are < 32): a lane >= 32 stands for a zero byte, so that the
// compiler can pass a shuffle with a v128.const 0 operand as a one-input shuffle with zero
// lanes (clang's zero-extension idiom). Those get pmovzx*, movq, psrldq/pslldq, or pshufb
// with 0x80 in the mask; with two inputs the generic pair of pshufb.
#include <array>
#include <cstring>

#include "jit/x64/masm_x64_simd.h"

namespace wt::jit::x64::simd {

using namespace asmjit;
using wasm::Op;

namespace {

using Lanes = std::array<uint8_t, 16>;

V128 MaskConst(const Lanes& m) {
  V128 c;
  std::memcpy(&c.lo, m.data(), 8);
  std::memcpy(&c.hi, m.data() + 8, 8);
  return c;
}

// The lanes as `n`-byte groups: out[k] = the source group of group k (in 0..32/n-1), or false
// when some group is not a whole aligned source group.
bool Groups(const Lanes& l, int n, uint8_t* out) {
  for (int k = 0; k < 16 / n; ++k) {
    uint8_t first = l[k * n];
    if (first % n != 0) return false;
    for (int j = 1; j < n; ++j) {
      if (l[k * n + j] != first + j) return false;
    }
    out[k] = static_cast<uint8_t>(first / n);
  }
  return true;
}

// A two-operand emission: dst = OP(x, y) where the pattern was matched with x holding lanes
// 0..15 and y lanes 16..31.
struct Match {
  enum Kind { kNone, kOp3, kOp3i } kind = kNone;
  InstId sse = 0, vex = 0;
  uint32_t imm = 0;
};

// Two-input patterns over x (lanes 0..15) and y (16..31).
Match MatchBinary(const Lanes& l) {
  Match m;
  // punpck{l,h}{bw,wd,dq,qdq}: group k of size n comes from group base + k/2 of x (k even) or
  // of y (k odd).
  static const InstId kUnpack[4][2][2] = {
      {{Inst::kIdPunpcklbw, Inst::kIdVpunpcklbw}, {Inst::kIdPunpckhbw, Inst::kIdVpunpckhbw}},
      {{Inst::kIdPunpcklwd, Inst::kIdVpunpcklwd}, {Inst::kIdPunpckhwd, Inst::kIdVpunpckhwd}},
      {{Inst::kIdPunpckldq, Inst::kIdVpunpckldq}, {Inst::kIdPunpckhdq, Inst::kIdVpunpckhdq}},
      {{Inst::kIdPunpcklqdq, Inst::kIdVpunpcklqdq}, {Inst::kIdPunpckhqdq, Inst::kIdVpunpckhqdq}},
  };
  for (int s = 0; s < 4; ++s) {
    int n = 1 << s, groups = 16 / n;
    uint8_t g[16];
    if (!Groups(l, n, g)) break;  // not bytes -> not words either
    for (int high = 0; high < 2; ++high) {
      int base = high * groups / 2;
      bool ok = true;
      for (int k = 0; k < groups && ok; ++k) {
        int want = base + k / 2 + (k % 2 ? groups : 0);
        ok = g[k] == want;
      }
      if (ok) {
        m.kind = Match::kOp3;
        m.sse = kUnpack[s][high][0];
        m.vex = kUnpack[s][high][1];
        return m;
      }
    }
  }
  uint8_t q[2];
  if (Groups(l, 8, q)) {
    // movsd x,y: [y.q0, x.q1]; movhlps x,y: [y.q1, x.q1].
    if (q[0] == 2 && q[1] == 1) {
      m.kind = Match::kOp3, m.sse = Inst::kIdMovsd, m.vex = Inst::kIdVmovsd;
      return m;
    }
    if (q[0] == 3 && q[1] == 1) {
      m.kind = Match::kOp3, m.sse = Inst::kIdMovhlps, m.vex = Inst::kIdVmovhlps;
      return m;
    }
  }
  // shufps x,y: dwords 0-1 from x, 2-3 from y.
  uint8_t d[4];
  if (Groups(l, 4, d) && d[0] < 4 && d[1] < 4 && d[2] >= 4 && d[3] >= 4) {
    m.kind = Match::kOp3i, m.sse = Inst::kIdShufps, m.vex = Inst::kIdVshufps;
    m.imm = static_cast<uint32_t>(d[0] | d[1] << 2 | (d[2] - 4) << 4 | (d[3] - 4) << 6);
    return m;
  }
  uint8_t w[8];
  if (Groups(l, 2, w)) {
    uint32_t mask = 0;
    bool ok = true;
    for (int k = 0; k < 8 && ok; ++k) {
      if (w[k] == k + 8)
        mask |= 1u << k;
      else
        ok = w[k] == k;
    }
    if (ok) {
      m.kind = Match::kOp3i, m.sse = Inst::kIdPblendw, m.vex = Inst::kIdVpblendw;
      m.imm = mask;
      return m;
    }
  }
  if (Groups(l, 4, d)) {
    // insertps x,y: x's dwords in place but one, which comes from any dword of y.
    int moved = -1, count = 0;
    for (int k = 0; k < 4; ++k) {
      if (d[k] != k) ++count, moved = k;
    }
    if (count == 1 && d[moved] >= 4) {
      m.kind = Match::kOp3i, m.sse = Inst::kIdInsertps, m.vex = Inst::kIdVinsertps;
      m.imm = static_cast<uint32_t>((d[moved] - 4) << 6 | moved << 4);
      return m;
    }
  }
  return m;
}

// lanes[i] == i + n for some n in 1..15 (a window of the 32-byte concatenation y:x).
int AlignShift(const Lanes& l) {
  int n = l[0];
  if (n < 1 || n > 15) return 0;
  for (int i = 1; i < 16; ++i) {
    if (l[i] != n + i) return 0;
  }
  return n;
}

Lanes Swapped(const Lanes& l) {
  Lanes s;
  for (int i = 0; i < 16; ++i) s[i] = static_cast<uint8_t>(l[i] ^ 16);
  return s;
}

void Emit(Vx& v, const Match& m, Reg dst, Reg x, Reg y) {
  if (m.kind == Match::kOp3)
    v.Op3(m.sse, m.vex, dst, x, y);
  else
    v.Op3i(m.sse, m.vex, dst, x, y, m.imm);
}

// Tries the two-input patterns on (x, y) and on (y, x); with SSE, an order whose first operand
// is dst saves a copy.
bool TryBinary(Vx& v, const Lanes& l, Reg dst, Reg x, Reg y) {
  Lanes sw = Swapped(l);
  Match m1 = MatchBinary(l), m2 = MatchBinary(sw);
  if (m1.kind != Match::kNone && (m2.kind == Match::kNone || v.avx || dst == x || dst != y)) {
    Emit(v, m1, dst, x, y);
    return true;
  }
  if (m2.kind != Match::kNone) {
    Emit(v, m2, dst, y, x);
    return true;
  }
  // palignr hi,lo,n: result[i] = (lo:hi)[i + n], lo = lanes 0..15.
  if (int n = AlignShift(l)) {
    v.Op3i(Inst::kIdPalignr, Inst::kIdVpalignr, dst, y, x, static_cast<uint32_t>(n));
    return true;
  }
  if (int n = AlignShift(sw)) {
    v.Op3i(Inst::kIdPalignr, Inst::kIdVpalignr, dst, x, y, static_cast<uint32_t>(n));
    return true;
  }
  return false;
}

// dst = shuffle of s alone, l[i] < 16.
void Unary(Vx& v, Reg dst, Reg s, const Lanes& l) {
  auto& a = v.a;
  bool identity = true;
  for (int i = 0; i < 16; ++i) identity = identity && l[i] == i;
  if (identity) {
    v.Mov(dst, s);
    return;
  }
  uint8_t d[4];
  if (Groups(l, 4, d)) {
    v.Op2i(Inst::kIdPshufd, Inst::kIdVpshufd, dst, s,
           static_cast<uint32_t>(d[0] | d[1] << 2 | d[2] << 4 | d[3] << 6));
    return;
  }
  uint8_t w[8];
  if (Groups(l, 2, w)) {
    bool low_in = true, high_in = true, low_id = true, high_id = true;
    for (int k = 0; k < 4; ++k) {
      low_in = low_in && w[k] < 4;
      low_id = low_id && w[k] == k;
      high_in = high_in && w[k + 4] >= 4;
      high_id = high_id && w[k + 4] == k + 4;
    }
    if (low_in && high_in) {
      uint32_t lo = static_cast<uint32_t>(w[0] | w[1] << 2 | w[2] << 4 | w[3] << 6);
      uint32_t hi =
          static_cast<uint32_t>((w[4] - 4) | (w[5] - 4) << 2 | (w[6] - 4) << 4 | (w[7] - 4) << 6);
      Reg from = s;
      if (!low_id) {
        v.Op2i(Inst::kIdPshuflw, Inst::kIdVpshuflw, dst, from, lo);
        from = dst;
      }
      if (!high_id) v.Op2i(Inst::kIdPshufhw, Inst::kIdVpshufhw, dst, from, hi);
      return;
    }
  }
  // Rotation: palignr s,s,n.
  bool rot = l[0] != 0;
  for (int i = 1; i < 16 && rot; ++i) rot = l[i] == ((l[0] + i) & 15);
  if (rot) {
    if (v.avx) {
      a.vpalignr(Vx::Xr(dst), Vx::Xr(s), Vx::Xr(s), l[0]);
    } else {
      v.Mov(dst, s);
      a.palignr(Vx::Xr(dst), Vx::Xr(dst), l[0]);
    }
    return;
  }
  // A two-input pattern with both inputs s (punpcklbw s,s ...): the punpck classes take
  // n-byte groups alternately from their first and second operand.
  for (int n : {1, 2, 4, 8}) {
    Lanes t;
    for (int i = 0; i < 16; ++i) t[i] = static_cast<uint8_t>(l[i] + (((i / n) & 1) ? 16 : 0));
    Match m = MatchBinary(t);
    if (m.kind != Match::kNone) {
      Emit(v, m, dst, s, s);
      return;
    }
  }
  v.Op3m(Inst::kIdPshufb, Inst::kIdVpshufb, dst, s, v.m.Const(MaskConst(l)));
}

constexpr uint8_t kZeroLane = 0x80;  // a lane >= 32: a zero byte (pshufb's encoding)

// dst = shuffle of s alone with some zero lanes: l[i] < 16 or kZeroLane.
void UnaryWithZeros(Vx& v, Reg dst, Reg s, const Lanes& l) {
  auto is = [&](auto&& want) {
    for (int i = 0; i < 16; ++i) {
      if (l[i] != want(i)) return false;
    }
    return true;
  };
  // pmovzx: s's low elements of `from` bytes zero-extended to `to` bytes.
  struct Zx {
    int from, to;
    InstId sse, vex;
  };
  static const Zx kZx[] = {
      {1, 2, Inst::kIdPmovzxbw, Inst::kIdVpmovzxbw}, {1, 4, Inst::kIdPmovzxbd, Inst::kIdVpmovzxbd},
      {1, 8, Inst::kIdPmovzxbq, Inst::kIdVpmovzxbq}, {2, 4, Inst::kIdPmovzxwd, Inst::kIdVpmovzxwd},
      {2, 8, Inst::kIdPmovzxwq, Inst::kIdVpmovzxwq}, {4, 8, Inst::kIdPmovzxdq, Inst::kIdVpmovzxdq},
  };
  for (const Zx& z : kZx) {
    if (is([&](int i) {
          int k = i / z.to, j = i % z.to;
          return j < z.from ? k * z.from + j : kZeroLane;
        })) {
      v.Op2(z.sse, z.vex, dst, s);
      return;
    }
  }
  // movq: the low qword, the high one zeroed.
  if (is([](int i) { return i < 8 ? i : kZeroLane; })) {
    v.Op2(Inst::kIdMovq, Inst::kIdVmovq, dst, s);
    return;
  }
  // Whole-register byte shifts.
  for (int n = 1; n < 16; ++n) {
    if (is([n](int i) { return i < 16 - n ? i + n : kZeroLane; })) {
      v.ShiftI(Inst::kIdPsrldq, Inst::kIdVpsrldq, dst, s, static_cast<uint32_t>(n));
      return;
    }
    if (is([n](int i) { return i < n ? kZeroLane : i - n; })) {
      v.ShiftI(Inst::kIdPslldq, Inst::kIdVpslldq, dst, s, static_cast<uint32_t>(n));
      return;
    }
  }
  v.Op3m(Inst::kIdPshufb, Inst::kIdVpshufb, dst, s, v.m.Const(MaskConst(l)));
}

void Shuffle(Vx& v, const VOps& o) {
  Lanes l;
  std::memcpy(l.data(), o.lanes, 16);
  bool any_a = false, any_b = false, any_zero = false;
  for (uint8_t& x : l) {
    if (x >= 32) {
      x = kZeroLane;
      any_zero = true;
    } else {
      if (o.a == o.b) x &= 15;
      (x < 16 ? any_a : any_b) = true;
    }
  }
  if (!any_a && !any_b) {
    v.Zero(o.dst);
    return;
  }
  if (!any_b || !any_a) {
    Reg s = any_a ? o.a : o.b;
    for (uint8_t& x : l) {
      if (x != kZeroLane) x &= 15;
    }
    if (any_zero)
      UnaryWithZeros(v, o.dst, s, l);
    else
      Unary(v, o.dst, s, l);
    return;
  }
  if (!any_zero && TryBinary(v, l, o.dst, o.a, o.b)) return;
  auto& a = v.a;
  x86::Xmm x15 = Vx::Xr(kScratch), d = Vx::Xr(o.dst);
  uint8_t dw[4];
  if (!any_zero && Groups(l, 4, dw)) {
    // Whole dwords from either input: pshufd each (the other input's positions get any
    // dword), then pblendw b's dwords in.
    uint32_t ia = 0, ib = 0, blend = 0;
    for (int k = 0; k < 4; ++k) {
      if (dw[k] < 4) {
        ia |= uint32_t{dw[k]} << (2 * k);
      } else {
        ib |= uint32_t{dw[k] - 4u} << (2 * k);
        blend |= 3u << (2 * k);
      }
    }
    v.Op2i(Inst::kIdPshufd, Inst::kIdVpshufd, kScratch, o.b, ib);  // b first: dst may be b
    v.Op2i(Inst::kIdPshufd, Inst::kIdVpshufd, o.dst, o.a, ia);
    if (v.avx)
      a.vpblendw(d, d, x15, blend);
    else
      a.pblendw(d, x15, blend);
    return;
  }
  // Generic: pshufb each input with its mask (0x80 zeroes a byte) and por.
  Lanes ma, mb;
  for (int i = 0; i < 16; ++i) {
    ma[i] = l[i] < 16 ? l[i] : 0x80;
    mb[i] = l[i] >= 16 && l[i] < 32 ? static_cast<uint8_t>(l[i] - 16) : 0x80;
  }
  x86::Mem cb = v.m.Const(MaskConst(mb));
  x86::Mem ca = v.m.Const(MaskConst(ma));
  if (v.avx) {
    a.vpshufb(x15, Vx::Xr(o.b), cb);
    a.vpshufb(d, Vx::Xr(o.a), ca);
    a.vpor(d, d, x15);
    return;
  }
  a.movaps(x15, Vx::Xr(o.b));  // b first: dst may be b
  a.pshufb(x15, cb);
  v.Mov(o.dst, o.a);
  a.pshufb(d, ca);
  a.por(d, x15);
}

// dst = a[b[i]] for b[i] < 16, else 0: indices saturated to >= 0x80 by adding 0x70.
void Swizzle(Vx& v, const VOps& o) {
  auto& a = v.a;
  x86::Xmm x15 = Vx::Xr(kScratch);
  V128 c{0x7070707070707070ull, 0x7070707070707070ull};
  x86::Mem bias = v.m.Const(c);
  if (v.avx) {
    a.vpaddusb(x15, Vx::Xr(o.b), bias);
    a.vpshufb(Vx::Xr(o.dst), Vx::Xr(o.a), x15);
    return;
  }
  a.movdqa(x15, bias);
  a.paddusb(x15, Vx::Xr(o.b));
  v.Mov(o.dst, o.a);
  a.pshufb(Vx::Xr(o.dst), x15);
}

}  // namespace

bool EmitShuffle(Vx& v, Op op, const VOps& o) {
  switch (op) {
    case Op::I8x16Shuffle:
      Shuffle(v, o);
      return true;
    case Op::I8x16Swizzle:
      Swizzle(v, o);
      return true;
    default:
      return false;
  }
}

int TempsShuffle(const CpuFeatures& cpu, Op op) {
  (void)cpu;
  (void)op;
  return 0;  // xmm15 is enough
}

}  // namespace wt::jit::x64::simd
