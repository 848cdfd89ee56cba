// aarch64 SIMD (NEON): the int family (see masm_a64_simd.h): lane-wise integer arithmetic,
// compares, shifts, extend/narrow, extmul, extadd_pairwise, dot, q15mulr.
//
// NEON's three-operand forms make dst aliasing free for almost everything; the exceptions
// (narrow: two instructions writing halves of dst; i64x2.mul) build in v31/v30/v29 and move.
// Notes on the less obvious ones:
// - ne: cmeq + mvn. lt/le: cmgt/cmge (signed), cmhi/cmhs (unsigned) with swapped operands.
// - shifts by a register: the count is masked to the lane width in w16 and dup'ed; right
//   shifts negate it, as sshl/ushl shift right by a negative count.
// - i64x2.mul (no NEON form): cross products with rev64 + mul .4s + addp, shifted up by
//   shll #32, plus the low products with umlal (v29..v31).
// - q15mulr_sat_s is sqrdmulh: sat((2ab + 2^15) >> 16) equals wasm's sat((ab + 2^14) >> 15),
//   and -32768 * -32768 saturates to 32767 in both.
// - dot_i16x8_s: smull/smull2 into .4s, then addp (adjacent pairs); the -32768^2 * 2 case
//   wraps to INT32_MIN, as wasm wants.
#include "jit/a64/masm_a64_simd.h"

namespace wt::jit::a64::simd {

using namespace asmjit;
namespace aj = asmjit::a64;
using wasm::Op;

namespace {

// The arrangement of a lane shape: 0 = 16b, 1 = 8h, 2 = 4s, 3 = 2d.
aj::Vec Arr(const aj::Vec& v, int shape) {
  switch (shape) {
    case 0:
      return v.b16();
    case 1:
      return v.h8();
    case 2:
      return v.s4();
    default:
      return v.d2();
  }
}
void Mov(aj::Assembler& a, const aj::Vec& dst, const aj::Vec& src) {
  if (dst.id() != src.id()) a.mov(dst.b16(), src.b16());
}

// The binary ops with a single NEON instruction: dst = inst(x, y) in the given arrangement.
struct Bin {
  InstId id;
  int shape;
  bool swap;  // operands swapped (lt/le as gt/ge)
};

bool BinInfo(Op op, Bin* out) {
  using I = aj::Inst;
  switch (op) {
    // Add / sub / saturating.
    case Op::I8x16Add:
      *out = {I::kIdAdd_v, 0, false};
      return true;
    case Op::I16x8Add:
      *out = {I::kIdAdd_v, 1, false};
      return true;
    case Op::I32x4Add:
      *out = {I::kIdAdd_v, 2, false};
      return true;
    case Op::I64x2Add:
      *out = {I::kIdAdd_v, 3, false};
      return true;
    case Op::I8x16Sub:
      *out = {I::kIdSub_v, 0, false};
      return true;
    case Op::I16x8Sub:
      *out = {I::kIdSub_v, 1, false};
      return true;
    case Op::I32x4Sub:
      *out = {I::kIdSub_v, 2, false};
      return true;
    case Op::I64x2Sub:
      *out = {I::kIdSub_v, 3, false};
      return true;
    case Op::I8x16AddSatS:
      *out = {I::kIdSqadd_v, 0, false};
      return true;
    case Op::I8x16AddSatU:
      *out = {I::kIdUqadd_v, 0, false};
      return true;
    case Op::I16x8AddSatS:
      *out = {I::kIdSqadd_v, 1, false};
      return true;
    case Op::I16x8AddSatU:
      *out = {I::kIdUqadd_v, 1, false};
      return true;
    case Op::I8x16SubSatS:
      *out = {I::kIdSqsub_v, 0, false};
      return true;
    case Op::I8x16SubSatU:
      *out = {I::kIdUqsub_v, 0, false};
      return true;
    case Op::I16x8SubSatS:
      *out = {I::kIdSqsub_v, 1, false};
      return true;
    case Op::I16x8SubSatU:
      *out = {I::kIdUqsub_v, 1, false};
      return true;
    // Mul (i64x2 has no instruction: EmitInt).
    case Op::I16x8Mul:
      *out = {I::kIdMul_v, 1, false};
      return true;
    case Op::I32x4Mul:
      *out = {I::kIdMul_v, 2, false};
      return true;
    // Min / max / avgr.
    case Op::I8x16MinS:
      *out = {I::kIdSmin_v, 0, false};
      return true;
    case Op::I8x16MinU:
      *out = {I::kIdUmin_v, 0, false};
      return true;
    case Op::I8x16MaxS:
      *out = {I::kIdSmax_v, 0, false};
      return true;
    case Op::I8x16MaxU:
      *out = {I::kIdUmax_v, 0, false};
      return true;
    case Op::I16x8MinS:
      *out = {I::kIdSmin_v, 1, false};
      return true;
    case Op::I16x8MinU:
      *out = {I::kIdUmin_v, 1, false};
      return true;
    case Op::I16x8MaxS:
      *out = {I::kIdSmax_v, 1, false};
      return true;
    case Op::I16x8MaxU:
      *out = {I::kIdUmax_v, 1, false};
      return true;
    case Op::I32x4MinS:
      *out = {I::kIdSmin_v, 2, false};
      return true;
    case Op::I32x4MinU:
      *out = {I::kIdUmin_v, 2, false};
      return true;
    case Op::I32x4MaxS:
      *out = {I::kIdSmax_v, 2, false};
      return true;
    case Op::I32x4MaxU:
      *out = {I::kIdUmax_v, 2, false};
      return true;
    case Op::I8x16AvgrU:
      *out = {I::kIdUrhadd_v, 0, false};
      return true;
    case Op::I16x8AvgrU:
      *out = {I::kIdUrhadd_v, 1, false};
      return true;
    case Op::I16x8Q15mulrSatS:
      *out = {I::kIdSqrdmulh_v, 1, false};
      return true;
    // Compares (ne: EmitInt).
    case Op::I8x16Eq:
      *out = {I::kIdCmeq_v, 0, false};
      return true;
    case Op::I16x8Eq:
      *out = {I::kIdCmeq_v, 1, false};
      return true;
    case Op::I32x4Eq:
      *out = {I::kIdCmeq_v, 2, false};
      return true;
    case Op::I64x2Eq:
      *out = {I::kIdCmeq_v, 3, false};
      return true;
    case Op::I8x16GtS:
      *out = {I::kIdCmgt_v, 0, false};
      return true;
    case Op::I16x8GtS:
      *out = {I::kIdCmgt_v, 1, false};
      return true;
    case Op::I32x4GtS:
      *out = {I::kIdCmgt_v, 2, false};
      return true;
    case Op::I64x2GtS:
      *out = {I::kIdCmgt_v, 3, false};
      return true;
    case Op::I8x16LtS:
      *out = {I::kIdCmgt_v, 0, true};
      return true;
    case Op::I16x8LtS:
      *out = {I::kIdCmgt_v, 1, true};
      return true;
    case Op::I32x4LtS:
      *out = {I::kIdCmgt_v, 2, true};
      return true;
    case Op::I64x2LtS:
      *out = {I::kIdCmgt_v, 3, true};
      return true;
    case Op::I8x16GeS:
      *out = {I::kIdCmge_v, 0, false};
      return true;
    case Op::I16x8GeS:
      *out = {I::kIdCmge_v, 1, false};
      return true;
    case Op::I32x4GeS:
      *out = {I::kIdCmge_v, 2, false};
      return true;
    case Op::I64x2GeS:
      *out = {I::kIdCmge_v, 3, false};
      return true;
    case Op::I8x16LeS:
      *out = {I::kIdCmge_v, 0, true};
      return true;
    case Op::I16x8LeS:
      *out = {I::kIdCmge_v, 1, true};
      return true;
    case Op::I32x4LeS:
      *out = {I::kIdCmge_v, 2, true};
      return true;
    case Op::I64x2LeS:
      *out = {I::kIdCmge_v, 3, true};
      return true;
    case Op::I8x16GtU:
      *out = {I::kIdCmhi_v, 0, false};
      return true;
    case Op::I16x8GtU:
      *out = {I::kIdCmhi_v, 1, false};
      return true;
    case Op::I32x4GtU:
      *out = {I::kIdCmhi_v, 2, false};
      return true;
    case Op::I8x16LtU:
      *out = {I::kIdCmhi_v, 0, true};
      return true;
    case Op::I16x8LtU:
      *out = {I::kIdCmhi_v, 1, true};
      return true;
    case Op::I32x4LtU:
      *out = {I::kIdCmhi_v, 2, true};
      return true;
    case Op::I8x16GeU:
      *out = {I::kIdCmhs_v, 0, false};
      return true;
    case Op::I16x8GeU:
      *out = {I::kIdCmhs_v, 1, false};
      return true;
    case Op::I32x4GeU:
      *out = {I::kIdCmhs_v, 2, false};
      return true;
    case Op::I8x16LeU:
      *out = {I::kIdCmhs_v, 0, true};
      return true;
    case Op::I16x8LeU:
      *out = {I::kIdCmhs_v, 1, true};
      return true;
    case Op::I32x4LeU:
      *out = {I::kIdCmhs_v, 2, true};
      return true;
    default:
      return false;
  }
}

// Shifts: the lane shape and kind (0 shl, 1 shr_s, 2 shr_u), or false.
bool ShiftInfo(Op op, int* shape, int* kind) {
  switch (op) {
    case Op::I8x16Shl:
      *shape = 0, *kind = 0;
      return true;
    case Op::I8x16ShrS:
      *shape = 0, *kind = 1;
      return true;
    case Op::I8x16ShrU:
      *shape = 0, *kind = 2;
      return true;
    case Op::I16x8Shl:
      *shape = 1, *kind = 0;
      return true;
    case Op::I16x8ShrS:
      *shape = 1, *kind = 1;
      return true;
    case Op::I16x8ShrU:
      *shape = 1, *kind = 2;
      return true;
    case Op::I32x4Shl:
      *shape = 2, *kind = 0;
      return true;
    case Op::I32x4ShrS:
      *shape = 2, *kind = 1;
      return true;
    case Op::I32x4ShrU:
      *shape = 2, *kind = 2;
      return true;
    case Op::I64x2Shl:
      *shape = 3, *kind = 0;
      return true;
    case Op::I64x2ShrS:
      *shape = 3, *kind = 1;
      return true;
    case Op::I64x2ShrU:
      *shape = 3, *kind = 2;
      return true;
    default:
      return false;
  }
}

void Shift(aj::Assembler& a, int shape, int kind, const VOps& o) {
  const aj::Vec d = V(o.dst), s = V(o.a);
  const uint32_t mask = (8u << shape) - 1;
  if (!o.gp.valid()) {
    const uint32_t n = o.imm & mask;
    if (n == 0) return Mov(a, d, s);
    if (kind == 0)
      a.shl(Arr(d, shape), Arr(s, shape), n);
    else if (kind == 1)
      a.sshr(Arr(d, shape), Arr(s, shape), n);
    else
      a.ushr(Arr(d, shape), Arr(s, shape), n);
    return;
  }
  const aj::Gp w16 = aj::w16;
  a.and_(w16, W(o.gp), mask);
  if (kind != 0) a.neg(w16, w16);
  const aj::Vec t = aj::v31;
  if (shape == 3)
    a.dup(t.d2(), aj::x16);  // sshl/ushl read the count from each lane's low byte
  else
    a.dup(Arr(t, shape), w16);
  if (kind == 1)
    a.sshl(Arr(d, shape), Arr(s, shape), Arr(t, shape));
  else
    a.ushl(Arr(d, shape), Arr(s, shape), Arr(t, shape));
}

}  // namespace

bool EmitInt(Masm::Impl& m, Op op, const VOps& o) {
  auto& a = m.a;
  Bin bin;
  if (BinInfo(op, &bin)) {
    const aj::Vec d = Arr(V(o.dst), bin.shape);
    aj::Vec x = Arr(V(o.a), bin.shape), y = Arr(V(o.b), bin.shape);
    if (bin.swap) std::swap(x, y);
    a.emit(bin.id, d, x, y);
    return true;
  }
  int shape = 0, kind = 0;
  if (ShiftInfo(op, &shape, &kind)) {
    Shift(a, shape, kind, o);
    return true;
  }
  const aj::Vec d = V(o.dst), x = V(o.a);
  switch (op) {
    case Op::I8x16Ne:
    case Op::I16x8Ne:
    case Op::I32x4Ne:
    case Op::I64x2Ne: {
      int sh = op == Op::I8x16Ne ? 0 : op == Op::I16x8Ne ? 1 : op == Op::I32x4Ne ? 2 : 3;
      a.cmeq(Arr(d, sh), Arr(x, sh), Arr(V(o.b), sh));
      a.mvn(d.b16(), d.b16());
      return true;
    }
    case Op::I64x2Mul: {
      const aj::Vec y = V(o.b);
      const aj::Vec t0 = aj::v31, t1 = aj::v30, t2 = aj::v29;
      a.rev64(t0.s4(), y.s4());            // [b1 b0 b3 b2]
      a.mul(t0.s4(), t0.s4(), x.s4());     // [a0b1 a1b0 a2b3 a3b2]
      a.addp(t0.s4(), t0.s4(), t0.s4());   // [a0b1+a1b0, a2b3+a3b2, ...]
      a.xtn(t1.s2(), x.d2());              // [a0 a2]
      a.shll(t0.d2(), t0.s2(), 32);        // cross sums << 32
      a.xtn(t2.s2(), y.d2());              // [b0 b2]
      a.umlal(t0.d2(), t1.s2(), t2.s2());  // + a0*b0, a2*b2
      Mov(a, d, t0);
      return true;
    }
    case Op::I8x16Abs:
      a.abs(d.b16(), x.b16());
      return true;
    case Op::I16x8Abs:
      a.abs(d.h8(), x.h8());
      return true;
    case Op::I32x4Abs:
      a.abs(d.s4(), x.s4());
      return true;
    case Op::I64x2Abs:
      a.abs(d.d2(), x.d2());
      return true;
    case Op::I8x16Neg:
      a.neg(d.b16(), x.b16());
      return true;
    case Op::I16x8Neg:
      a.neg(d.h8(), x.h8());
      return true;
    case Op::I32x4Neg:
      a.neg(d.s4(), x.s4());
      return true;
    case Op::I64x2Neg:
      a.neg(d.d2(), x.d2());
      return true;
    case Op::I8x16Popcnt:
      a.cnt(d.b16(), x.b16());
      return true;
    // Extend: the low half with sxtl/uxtl, the high half with the "2" forms.
    case Op::I16x8ExtendLowI8x16S:
      a.sxtl(d.h8(), x.b8());
      return true;
    case Op::I16x8ExtendHighI8x16S:
      a.sxtl2(d.h8(), x.b16());
      return true;
    case Op::I16x8ExtendLowI8x16U:
      a.uxtl(d.h8(), x.b8());
      return true;
    case Op::I16x8ExtendHighI8x16U:
      a.uxtl2(d.h8(), x.b16());
      return true;
    case Op::I32x4ExtendLowI16x8S:
      a.sxtl(d.s4(), x.h4());
      return true;
    case Op::I32x4ExtendHighI16x8S:
      a.sxtl2(d.s4(), x.h8());
      return true;
    case Op::I32x4ExtendLowI16x8U:
      a.uxtl(d.s4(), x.h4());
      return true;
    case Op::I32x4ExtendHighI16x8U:
      a.uxtl2(d.s4(), x.h8());
      return true;
    case Op::I64x2ExtendLowI32x4S:
      a.sxtl(d.d2(), x.s2());
      return true;
    case Op::I64x2ExtendHighI32x4S:
      a.sxtl2(d.d2(), x.s4());
      return true;
    case Op::I64x2ExtendLowI32x4U:
      a.uxtl(d.d2(), x.s2());
      return true;
    case Op::I64x2ExtendHighI32x4U:
      a.uxtl2(d.d2(), x.s4());
      return true;
    // Narrow: low half from a, high half from b. Writing dst's low half first would clobber b
    // when dst aliases it (also when a is b too), so that case goes through v31.
    case Op::I8x16NarrowI16x8S:
    case Op::I8x16NarrowI16x8U:
    case Op::I16x8NarrowI32x4S:
    case Op::I16x8NarrowI32x4U: {
      const aj::Vec y = V(o.b);
      const aj::Vec t = o.dst == o.b ? aj::Vec(aj::v31) : d;
      const bool to8 = op == Op::I8x16NarrowI16x8S || op == Op::I8x16NarrowI16x8U;
      const bool sign = op == Op::I8x16NarrowI16x8S || op == Op::I16x8NarrowI32x4S;
      const aj::Vec lo = to8 ? t.b8() : t.h4(), hi = to8 ? t.b16() : t.h8();
      const aj::Vec xs = to8 ? x.h8() : x.s4(), ys = to8 ? y.h8() : y.s4();
      if (sign) {
        a.sqxtn(lo, xs);
        a.sqxtn2(hi, ys);
      } else {
        a.sqxtun(lo, xs);
        a.sqxtun2(hi, ys);
      }
      Mov(a, d, t);
      return true;
    }
    // Extmul: widening multiplies of the low (smull/umull) or high ("2") halves.
    case Op::I16x8ExtmulLowI8x16S:
      a.smull(d.h8(), x.b8(), V(o.b).b8());
      return true;
    case Op::I16x8ExtmulHighI8x16S:
      a.smull2(d.h8(), x.b16(), V(o.b).b16());
      return true;
    case Op::I16x8ExtmulLowI8x16U:
      a.umull(d.h8(), x.b8(), V(o.b).b8());
      return true;
    case Op::I16x8ExtmulHighI8x16U:
      a.umull2(d.h8(), x.b16(), V(o.b).b16());
      return true;
    case Op::I32x4ExtmulLowI16x8S:
      a.smull(d.s4(), x.h4(), V(o.b).h4());
      return true;
    case Op::I32x4ExtmulHighI16x8S:
      a.smull2(d.s4(), x.h8(), V(o.b).h8());
      return true;
    case Op::I32x4ExtmulLowI16x8U:
      a.umull(d.s4(), x.h4(), V(o.b).h4());
      return true;
    case Op::I32x4ExtmulHighI16x8U:
      a.umull2(d.s4(), x.h8(), V(o.b).h8());
      return true;
    case Op::I64x2ExtmulLowI32x4S:
      a.smull(d.d2(), x.s2(), V(o.b).s2());
      return true;
    case Op::I64x2ExtmulHighI32x4S:
      a.smull2(d.d2(), x.s4(), V(o.b).s4());
      return true;
    case Op::I64x2ExtmulLowI32x4U:
      a.umull(d.d2(), x.s2(), V(o.b).s2());
      return true;
    case Op::I64x2ExtmulHighI32x4U:
      a.umull2(d.d2(), x.s4(), V(o.b).s4());
      return true;
    case Op::I16x8ExtaddPairwiseI8x16S:
      a.saddlp(d.h8(), x.b16());
      return true;
    case Op::I16x8ExtaddPairwiseI8x16U:
      a.uaddlp(d.h8(), x.b16());
      return true;
    case Op::I32x4ExtaddPairwiseI16x8S:
      a.saddlp(d.s4(), x.h8());
      return true;
    case Op::I32x4ExtaddPairwiseI16x8U:
      a.uaddlp(d.s4(), x.h8());
      return true;
    case Op::I32x4DotI16x8S: {
      const aj::Vec y = V(o.b), t0 = aj::v31, t1 = aj::v30;
      a.smull(t0.s4(), x.h4(), y.h4());
      a.smull2(t1.s4(), x.h8(), y.h8());
      a.addp(d.s4(), t0.s4(), t1.s4());
      return true;
    }
    default:
      return false;
  }
}

int TempsInt(const CpuFeatures& /*cpu*/, Op /*op*/) {
  return 0;  // v16..v31 are Masm scratch
}

}  // namespace wt::jit::a64::simd
