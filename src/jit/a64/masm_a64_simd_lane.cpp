// aarch64 SIMD (NEON): the lane family (see masm_a64_simd.h): splat, extract/replace lane,
// bitwise ops, bitselect, any_true/all_true/bitmask, i8x16.shuffle, i8x16.swizzle.
//
// Choices:
// - bitselect: one of bsl/bit/bif, picked by which operand dst aliases (the mask, v2 or v1),
//   else mov dst, mask + bsl.
// - any_true: umaxp .4s folds the vector into its low 64 bits (nonzero iff any bit is set);
//   all_true: uminv of the lane shape (nonzero iff no lane is zero); i64x2: cmeq #0 + umaxp
//   (zero iff no lane is zero). Then fmov to x16, cmp, cset.
// - bitmask: sshr by lane width - 1 (each lane all ones or zero), and with a weight vector
//   (lane i holds 1 << i, built by LoadV128), then a horizontal add (addv); i8x16 first
//   interleaves the two halves (ext #8 + zip1) so that one addv .8h sums each half's weights
//   into its own byte of the 16-bit result. i64x2: ushr #63 and two umov's.
// - i8x16.shuffle: a matcher first, over the two inputs (either order, or one input twice):
//   dup of a b/h/s/d lane, ext #k, zip1/zip2/uzp1/uzp2/trn1/trn2 of b/h/s/d lanes, rev16/32/64,
//   then one input with one element replaced (mov + ins);
//   a shuffle of one register is tbl with one table register; the rest is the two-register tbl
//   (the table registers must be consecutive: v30, v31 get copies unless a and b already are),
//   with the indices built in v29. tbl gives 0 for indices >= the table size, so swizzle is
//   one tbl, and the compiler's zero lanes (a shuffle against v128.const 0: lanes >= 32) get
//   index 0xFF; a zero extension of the low (or high) elements is a uxtl chain (uxtl2).
#include <array>

#include "jit/a64/masm_a64_simd.h"

namespace wt::jit::a64::simd {

using namespace asmjit;
namespace aj = asmjit::a64;
using wasm::Op;

namespace {

void Mov(aj::Assembler& a, const aj::Vec& dst, const aj::Vec& src) {
  if (dst.id() != src.id()) a.mov(dst.b16(), src.b16());
}

aj::Vec Arr(const aj::Vec& v, unsigned e) {  // e: element size in bytes
  switch (e) {
    case 1:
      return v.b16();
    case 2:
      return v.h8();
    case 4:
      return v.s4();
    default:
      return v.d2();
  }
}

aj::Vec Elem(const aj::Vec& v, unsigned e, uint32_t i) {
  switch (e) {
    case 1:
      return v.b(i);
    case 2:
      return v.h(i);
    case 4:
      return v.s(i);
    default:
      return v.d(i);
  }
}

// --- i8x16.shuffle -----------------------------------------------------------------------

using Pattern = std::array<uint8_t, 16>;  // byte i of the result = byte P[i] of (first:second)

enum class Perm { kZip1, kZip2, kUzp1, kUzp2, kTrn1, kTrn2 };

Pattern PermPattern(Perm p, unsigned e) {
  const unsigned n = 16 / e;
  Pattern out{};
  for (unsigned i = 0; i < n; ++i) {
    unsigned src = 0;  // element index in first (0..n-1) or second (n..2n-1)
    switch (p) {
      case Perm::kZip1:
        src = (i % 2 == 0) ? i / 2 : n + i / 2;
        break;
      case Perm::kZip2:
        src = (i % 2 == 0) ? n / 2 + i / 2 : n + n / 2 + i / 2;
        break;
      case Perm::kUzp1:
        src = i < n / 2 ? 2 * i : n + 2 * (i - n / 2);
        break;
      case Perm::kUzp2:
        src = i < n / 2 ? 2 * i + 1 : n + 2 * (i - n / 2) + 1;
        break;
      case Perm::kTrn1:
        src = (i % 2 == 0) ? i : n + i - 1;
        break;
      case Perm::kTrn2:
        src = (i % 2 == 0) ? i + 1 : n + i;
        break;
    }
    for (unsigned b = 0; b < e; ++b) out[i * e + b] = static_cast<uint8_t>(src * e + b);
  }
  return out;
}

// Does `lanes` (over inputs a, b) equal pattern `p` over inputs (first, second)? Compares
// source registers, so a shuffle of one register twice matches one-input forms too.
bool Matches(const uint8_t* lanes, Reg a, Reg b, const Pattern& p, Reg first, Reg second) {
  for (int i = 0; i < 16; ++i) {
    Reg want_reg = p[i] < 16 ? first : second;
    Reg have_reg = lanes[i] < 16 ? a : b;
    if (want_reg != have_reg || (p[i] & 15) != (lanes[i] & 15)) return false;
  }
  return true;
}

// Tries the single-instruction forms; true when one was emitted.
bool ShuffleOne(aj::Assembler& a, const VOps& o) {
  const Reg ra = o.a, rb = o.b;
  const uint8_t* l = o.lanes;
  const aj::Vec d = V(o.dst);
  const std::array<std::pair<Reg, Reg>, 4> orders = {{{ra, rb}, {rb, ra}, {ra, ra}, {rb, rb}}};
  // Identity of one input.
  for (Reg r : {ra, rb}) {
    Pattern id{};
    for (int i = 0; i < 16; ++i) id[i] = static_cast<uint8_t>(i);
    if (Matches(l, ra, rb, id, r, r)) {
      Mov(a, d, V(r));
      return true;
    }
  }
  // dup of one element (the largest element size first).
  for (unsigned e : {8u, 4u, 2u, 1u}) {
    const unsigned j0 = l[0];
    if (j0 % e != 0) continue;
    bool ok = true;
    for (unsigned i = 0; i < 16 && ok; ++i) ok = l[i] == j0 + (i % e);
    if (!ok) continue;
    const Reg r = j0 < 16 ? ra : rb;
    a.dup(Arr(d, e), Elem(V(r), e, (j0 & 15) / e));
    return true;
  }
  // ext #k: bytes k..k+15 of (first:second).
  for (auto [f, s] : orders) {
    for (unsigned k = 1; k < 16; ++k) {
      Pattern p{};
      for (unsigned i = 0; i < 16; ++i) p[i] = static_cast<uint8_t>(k + i);
      if (Matches(l, ra, rb, p, f, s)) {
        a.ext(d.b16(), V(f).b16(), V(s).b16(), k);
        return true;
      }
    }
  }
  // zip/uzp/trn.
  for (unsigned e : {8u, 4u, 2u, 1u}) {
    for (Perm perm :
         {Perm::kZip1, Perm::kZip2, Perm::kUzp1, Perm::kUzp2, Perm::kTrn1, Perm::kTrn2}) {
      if (e == 8 && (perm == Perm::kTrn1 || perm == Perm::kTrn2)) continue;  // = zip on .2d
      const Pattern p = PermPattern(perm, e);
      for (auto [f, s] : orders) {
        if (!Matches(l, ra, rb, p, f, s)) continue;
        const aj::Vec x = Arr(V(f), e), y = Arr(V(s), e), z = Arr(d, e);
        switch (perm) {
          case Perm::kZip1:
            a.zip1(z, x, y);
            break;
          case Perm::kZip2:
            a.zip2(z, x, y);
            break;
          case Perm::kUzp1:
            a.uzp1(z, x, y);
            break;
          case Perm::kUzp2:
            a.uzp2(z, x, y);
            break;
          case Perm::kTrn1:
            a.trn1(z, x, y);
            break;
          case Perm::kTrn2:
            a.trn2(z, x, y);
            break;
        }
        return true;
      }
    }
  }
  // rev16/rev32/rev64 of one input: elements of size e reversed within groups of g bytes.
  for (unsigned g : {8u, 4u, 2u}) {
    for (unsigned e = 1; e < g; e *= 2) {
      Pattern p{};
      for (unsigned i = 0; i < 16; ++i) {
        unsigned group = i / g * g, elem = (i % g) / e, byte = i % e;
        p[i] = static_cast<uint8_t>(group + (g / e - 1 - elem) * e + byte);
      }
      for (Reg r : {ra, rb}) {
        if (!Matches(l, ra, rb, p, r, r)) continue;
        const aj::Vec x = Arr(V(r), e), z = Arr(d, e);
        if (g == 8)
          a.rev64(z, x);
        else if (g == 4)
          a.rev32(z, x);
        else
          a.rev16(z, x);
        return true;
      }
    }
  }
  return false;
}

// A copy of a or b with one (aligned) element taken from either input: mov + ins.
bool InsertOne(aj::Assembler& a, const VOps& o) {
  const uint8_t* l = o.lanes;
  auto src_of = [&](uint8_t lane) { return lane < 16 ? o.a : o.b; };
  for (unsigned e : {8u, 4u, 2u, 1u}) {
    for (Reg r : {o.a, o.b}) {
      int diff = -1;
      bool ok = true;
      for (unsigned k = 0; k < 16 / e && ok; ++k) {
        bool same = true;
        for (unsigned b = 0; b < e; ++b) {
          const uint8_t lane = l[k * e + b];
          same = same && src_of(lane) == r && (lane & 15u) == k * e + b;
        }
        if (same) continue;
        if (diff >= 0) ok = false;
        diff = static_cast<int>(k);
      }
      if (!ok || diff < 0) continue;
      const uint8_t j0 = l[diff * e];
      bool elem = (j0 & 15u) % e == 0;
      for (unsigned b = 1; b < e && elem; ++b) elem = l[diff * e + b] == j0 + b;
      if (!elem) continue;
      const Reg s = src_of(j0);
      const aj::Vec d = V(o.dst);
      aj::Vec src = V(s);
      if (o.dst == s && s != r) {  // the copy of r would overwrite the element's source
        a.mov(aj::v31.b16(), src.b16());
        src = aj::v31;
      }
      Mov(a, d, V(r));
      a.ins(Elem(d, e, static_cast<uint32_t>(diff)), Elem(src, e, (j0 & 15u) / e));
      return true;
    }
  }
  return false;
}

// A lane >= 32 is a zero byte (jit/compiler_simd.h: a shuffle against v128.const 0 passes the
// other operand as both inputs). Zero extensions of the low elements (clang's widening idiom)
// are uxtl chains; uxtl2 for the high half, one step.
bool ZeroExtend(aj::Assembler& a, const VOps& o) {
  const uint8_t* l = o.lanes;
  const aj::Vec d = V(o.dst), x = V(o.a);
  for (unsigned f : {1u, 2u, 4u}) {
    for (unsigned steps = 1; (f << steps) <= 8; ++steps) {
      const unsigned t = f << steps;
      for (unsigned from : {0u, 8u}) {
        if (from == 8 && steps != 1) continue;
        bool ok = true;
        for (unsigned i = 0; i < 16 && ok; ++i) {
          const unsigned k = i / t, byte = i % t;
          ok = byte < f
                   ? (l[i] < 32 && (l[i] < 16 || o.a == o.b) && (l[i] & 15) == from + k * f + byte)
                   : l[i] >= 32;
        }
        if (!ok) continue;
        // Step 1 widens x (f -> 2f); each further step widens dst's low half.
        unsigned e = f;
        for (unsigned s = 0; s < steps; ++s, e *= 2) {
          const aj::Vec src = s == 0 ? x : d;
          const aj::Vec wide = Arr(d, 2 * e);
          if (from == 8) {
            a.uxtl2(wide, Arr(src, e));
          } else if (e == 1) {
            a.uxtl(wide, src.b8());
          } else if (e == 2) {
            a.uxtl(wide, src.h4());
          } else {
            a.uxtl(wide, src.s2());
          }
        }
        return true;
      }
    }
  }
  return false;
}

void Shuffle(aj::Assembler& a, const VOps& o) {
  const uint8_t* l = o.lanes;
  const aj::Vec d = V(o.dst);
  bool any_zero = false, all_zero = true;
  for (int i = 0; i < 16; ++i) {
    any_zero = any_zero || l[i] >= 32;
    all_zero = all_zero && l[i] >= 32;
  }
  if (all_zero) {
    a.movi(d.d2(), 0);
    return;
  }
  if (any_zero ? ZeroExtend(a, o) : (ShuffleOne(a, o) || InsertOne(a, o))) return;
  // One source register: tbl with one table register. Zero lanes get index 0xFF (tbl: 0).
  bool all_a = true, all_b = true;
  for (int i = 0; i < 16; ++i) {
    if (l[i] >= 32) continue;
    Reg r = l[i] < 16 ? o.a : o.b;
    all_a = all_a && r == o.a;
    all_b = all_b && r == o.b;
  }
  V128 idx;
  for (int i = 0; i < 16; ++i) {
    uint64_t byte = l[i] >= 32 ? 0xFF : (all_a || all_b) ? (l[i] & 15) : (l[i] & 31);
    (i < 8 ? idx.lo : idx.hi) |= byte << (8 * (i & 7));
  }
  const aj::Vec t = aj::v29;
  LoadV128(a, t, idx);
  if (all_a || all_b) {
    a.tbl(d.b16(), V(all_a ? o.a : o.b).b16(), t.b16());
    return;
  }
  // Two table registers, consecutive.
  aj::Vec t0 = V(o.a), t1 = V(o.b);
  if (t0.id() + 1 != t1.id()) {
    a.mov(aj::v30.b16(), t0.b16());
    a.mov(aj::v31.b16(), t1.b16());
    t0 = aj::v30;
    t1 = aj::v31;
  }
  a.tbl(d.b16(), t0.b16(), t1.b16(), t.b16());
}

// --- Reductions --------------------------------------------------------------------------

void Bitmask(Masm::Impl& m, Op op, const VOps& o) {
  auto& a = m.a;
  const aj::Vec x = V(o.a), t = aj::v31, w = aj::v30;
  const aj::Gp out = W(o.gp);
  switch (op) {
    case Op::I8x16Bitmask:
      a.sshr(t.b16(), x.b16(), 7);
      LoadV128(a, w, V128{0x8040201008040201ull, 0x8040201008040201ull});
      a.and_(t.b16(), t.b16(), w.b16());
      a.ext(w.b16(), t.b16(), t.b16(), 8);
      a.zip1(t.b16(), t.b16(), w.b16());  // h lane i = low-half byte i | high-half byte i << 8
      a.addv(t.h(), t.h8());
      a.umov(out, t.h(0));
      break;
    case Op::I16x8Bitmask:
      a.sshr(t.h8(), x.h8(), 15);
      LoadV128(a, w, V128{0x0008000400020001ull, 0x0080004000200010ull});
      a.and_(t.b16(), t.b16(), w.b16());
      a.addv(t.h(), t.h8());
      a.umov(out, t.h(0));
      break;
    case Op::I32x4Bitmask:
      a.sshr(t.s4(), x.s4(), 31);
      LoadV128(a, w, V128{0x0000000200000001ull, 0x0000000800000004ull});
      a.and_(t.b16(), t.b16(), w.b16());
      a.addv(t.s(), t.s4());
      a.fmov(out, t.s());
      break;
    default:  // I64x2Bitmask
      a.ushr(t.d2(), x.d2(), 63);
      a.fmov(aj::x17, t.d());
      a.umov(aj::x16, t.d(1));
      a.add(out, aj::w17, aj::w16, arm::lsl(1));
      break;
  }
}

void AnyAllTrue(Masm::Impl& m, Op op, const VOps& o) {
  auto& a = m.a;
  const aj::Vec x = V(o.a), t = aj::v31;
  auto cond = aj::CondCode::kNE;
  switch (op) {
    case Op::V128AnyTrue:
      a.umaxp(t.s4(), x.s4(), x.s4());
      break;
    case Op::I8x16AllTrue:
      a.uminv(t.b(), x.b16());
      break;
    case Op::I16x8AllTrue:
      a.uminv(t.h(), x.h8());
      break;
    case Op::I32x4AllTrue:
      a.uminv(t.s(), x.s4());
      break;
    default:  // I64x2AllTrue
      a.cmeq(t.d2(), x.d2(), 0);
      a.umaxp(t.s4(), t.s4(), t.s4());
      cond = aj::CondCode::kEQ;
      break;
  }
  a.fmov(aj::x16, t.d());
  a.cmp(aj::x16, 0);
  a.cset(W(o.gp), cond);
}

}  // namespace

bool EmitLane(Masm::Impl& m, Op op, const VOps& o) {
  auto& a = m.a;
  switch (op) {
    // Splat.
    case Op::I8x16Splat:
      a.dup(V(o.dst).b16(), W(o.gp));
      return true;
    case Op::I16x8Splat:
      a.dup(V(o.dst).h8(), W(o.gp));
      return true;
    case Op::I32x4Splat:
      a.dup(V(o.dst).s4(), W(o.gp));
      return true;
    case Op::I64x2Splat:
      a.dup(V(o.dst).d2(), X(o.gp));
      return true;
    case Op::F32x4Splat:
      a.dup(V(o.dst).s4(), V(o.a).s(0));
      return true;
    case Op::F64x2Splat:
      a.dup(V(o.dst).d2(), V(o.a).d(0));
      return true;
    // Extract: smov/umov to a w register zero the upper 32 bits of the x register.
    case Op::I8x16ExtractLaneS:
      a.smov(W(o.gp), V(o.a).b(o.imm & 15));
      return true;
    case Op::I8x16ExtractLaneU:
      a.umov(W(o.gp), V(o.a).b(o.imm & 15));
      return true;
    case Op::I16x8ExtractLaneS:
      a.smov(W(o.gp), V(o.a).h(o.imm & 7));
      return true;
    case Op::I16x8ExtractLaneU:
      a.umov(W(o.gp), V(o.a).h(o.imm & 7));
      return true;
    case Op::I32x4ExtractLane:
      a.umov(W(o.gp), V(o.a).s(o.imm & 3));
      return true;
    case Op::I64x2ExtractLane:
      a.umov(X(o.gp), V(o.a).d(o.imm & 1));
      return true;
    case Op::F32x4ExtractLane:
    case Op::F64x2ExtractLane: {
      const unsigned e = op == Op::F32x4ExtractLane ? 4 : 8;
      const uint32_t i = o.imm & (16 / e - 1);
      if (o.dst == o.a && i == 0) return true;  // the other lanes may hold anything
      a.ins(Elem(V(o.dst), e, 0), Elem(V(o.a), e, i));
      return true;
    }
    // Replace.
    case Op::I8x16ReplaceLane:
    case Op::I16x8ReplaceLane:
    case Op::I32x4ReplaceLane:
    case Op::I64x2ReplaceLane: {
      const unsigned e = op == Op::I8x16ReplaceLane   ? 1
                         : op == Op::I16x8ReplaceLane ? 2
                         : op == Op::I32x4ReplaceLane ? 4
                                                      : 8;
      const aj::Vec d = V(o.dst);
      Mov(a, d, V(o.a));
      a.ins(Elem(d, e, o.imm & (16 / e - 1)), e == 8 ? X(o.gp) : W(o.gp));
      return true;
    }
    case Op::F32x4ReplaceLane:
    case Op::F64x2ReplaceLane: {
      const unsigned e = op == Op::F32x4ReplaceLane ? 4 : 8;
      // dst = a would clobber the value when dst aliases it (and not a): build in v31.
      const aj::Vec t = (o.dst == o.b && o.a != o.b) ? aj::Vec(aj::v31) : V(o.dst);
      Mov(a, t, V(o.a));
      a.ins(Elem(t, e, o.imm & (16 / e - 1)), Elem(V(o.b), e, 0));
      Mov(a, V(o.dst), t);
      return true;
    }
    // Bitwise.
    case Op::V128Not:
      a.mvn(V(o.dst).b16(), V(o.a).b16());
      return true;
    case Op::V128And:
      a.and_(V(o.dst).b16(), V(o.a).b16(), V(o.b).b16());
      return true;
    case Op::V128Andnot:
      a.bic(V(o.dst).b16(), V(o.a).b16(), V(o.b).b16());
      return true;
    case Op::V128Or:
      a.orr(V(o.dst).b16(), V(o.a).b16(), V(o.b).b16());
      return true;
    case Op::V128Xor:
      a.eor(V(o.dst).b16(), V(o.a).b16(), V(o.b).b16());
      return true;
    case Op::V128Bitselect: {
      // (a & c) | (b & ~c).
      const aj::Vec d = V(o.dst).b16(), x = V(o.a).b16(), y = V(o.b).b16(), c = V(o.c).b16();
      if (o.dst == o.c) {
        a.bsl(d, x, y);
      } else if (o.dst == o.b) {
        a.bit(d, x, c);  // insert a where c is set
      } else if (o.dst == o.a) {
        a.bif(d, y, c);  // insert b where c is clear
      } else {
        a.mov(d, c);
        a.bsl(d, x, y);
      }
      return true;
    }
    case Op::V128AnyTrue:
    case Op::I8x16AllTrue:
    case Op::I16x8AllTrue:
    case Op::I32x4AllTrue:
    case Op::I64x2AllTrue:
      AnyAllTrue(m, op, o);
      return true;
    case Op::I8x16Bitmask:
    case Op::I16x8Bitmask:
    case Op::I32x4Bitmask:
    case Op::I64x2Bitmask:
      Bitmask(m, op, o);
      return true;
    case Op::I8x16Shuffle:
      Shuffle(a, o);
      return true;
    case Op::I8x16Swizzle:
      // tbl gives 0 for an index >= 16, as swizzle wants.
      a.tbl(V(o.dst).b16(), V(o.a).b16(), V(o.b).b16());
      return true;
    default:
      return false;
  }
}

int TempsLane(const CpuFeatures& /*cpu*/, Op /*op*/) {
  return 0;  // v16..v31 are Masm scratch
}

}  // namespace wt::jit::a64::simd
