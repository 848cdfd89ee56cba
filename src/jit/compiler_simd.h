// BaselineCompiler: the SIMD part (every 0xFD opcode): v128.const, memory ops, and the
// dispatch of the vector ops to the Masm's SIMD members (jit/masm_simd.h) by the opcode's
// signature shape (opcodes.def), so that adding a vector op never touches this file:
//   kV128 imm              v128.const -> a constant entry (materialized by the Masm: pool)
//   kMem*  v_a / n_av      v128.load*, load*_splat, load*_zero / v128.store -> Load/StoreMemV128
//   kMemLane* v_av / n_av  load*_lane / store*_lane
//   kShuffle               i8x16.shuffle -> SimdShuffle (a v128.const 0 operand: zero lanes)
//   kLaneIdx* x_v / v_vx   extract_lane -> SimdExtractLane / replace_lane -> SimdReplaceLane
//   v_i v_l v_f v_d        splat -> SimdSplat (a constant operand folds into a v128 constant)
//   v_v / v_vv / v_vvv     SimdUnop / SimdBinop / SimdTernop
//   v_vi (no lane)         shifts -> SimdShiftImm (constant count, masked) / SimdShift
//   i_v (no lane)          any_true, all_true, bitmask -> SimdToI32
// Operand policy: the first vector operand is popped into a register the op owns, which becomes
// dst, unless it is a cached local: that one is read in place into a fresh dst (no copy with
// AVX); the other operands are read in place (cached locals too); temporaries
// (Masm::SimdTemps) come from AllocReg. Included by baseline_compiler.h.
#pragma once

#include <cstring>

#include "jit/baseline_compiler.h"

namespace wt::jit {

namespace simd_detail {

// Binary ops whose lowering is one commutative instruction on every ISA level (integer add,
// saturating add, mul, min/max, avgr, eq; and/or/xor): dst may alias the second operand at no
// cost. Float add/mul are not here: their SSE form keeps the operand order (NaN bits), so
// dst == b costs a copy there.
constexpr bool OneCommutativeInstr(wasm::Op op) {
  switch (op) {
    case wasm::Op::I8x16Add:
    case wasm::Op::I16x8Add:
    case wasm::Op::I32x4Add:
    case wasm::Op::I64x2Add:
    case wasm::Op::I8x16AddSatS:
    case wasm::Op::I16x8AddSatS:
    case wasm::Op::I8x16AddSatU:
    case wasm::Op::I16x8AddSatU:
    case wasm::Op::I16x8Mul:
    case wasm::Op::I32x4Mul:
    case wasm::Op::I8x16MinS:
    case wasm::Op::I16x8MinS:
    case wasm::Op::I32x4MinS:
    case wasm::Op::I8x16MinU:
    case wasm::Op::I16x8MinU:
    case wasm::Op::I32x4MinU:
    case wasm::Op::I8x16MaxS:
    case wasm::Op::I16x8MaxS:
    case wasm::Op::I32x4MaxS:
    case wasm::Op::I8x16MaxU:
    case wasm::Op::I16x8MaxU:
    case wasm::Op::I32x4MaxU:
    case wasm::Op::I8x16AvgrU:
    case wasm::Op::I16x8AvgrU:
    case wasm::Op::I8x16Eq:
    case wasm::Op::I16x8Eq:
    case wasm::Op::I32x4Eq:
    case wasm::Op::I64x2Eq:
    case wasm::Op::V128And:
    case wasm::Op::V128Or:
    case wasm::Op::V128Xor:
      return true;
    default:
      return false;
  }
}

}  // namespace simd_detail

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitSimd(const Instr& in) {
  using simd_detail::OneCommutativeInstr;
  using wasm::Imm;
  using wasm::SigKind;
  const wasm::OpInfo& info = wasm::GetOpInfo(in.op);
  const wasm::OpSig& sig = info.sig;
  const bool has_result = sig.num_results == 1;
  const bool v_result = has_result && sig.results[0] == SigKind::kV128;
  auto jtype = [](SigKind k) {
    switch (k) {
      case SigKind::kI64:
        return JType::kI64;
      case SigKind::kF32:
        return JType::kF32;
      case SigKind::kF64:
        return JType::kF64;
      case SigKind::kV128:
        return JType::kV128;
      default:
        return JType::kI32;
    }
  };
  // Temporaries for the op, distinct from `busy` (the operands; they are owned or read-locked,
  // so AllocReg would not hand them out anyway).
  auto temps = [&](RegSet busy) {
    VTemps t;
    int n = m_.SimdTemps(in.op);
    if (n > 0) {
      t.t0 = AllocReg(RegClass::kFp, busy);
      busy = busy.with(t.t0);
    }
    if (n > 1) t.t1 = AllocReg(RegClass::kFp, busy);
    return t;
  };
  auto free_temps = [&](const VTemps& t) {
    if (t.t0.valid()) FreeReg(t.t0);
    if (t.t1.valid()) FreeReg(t.t1);
  };
  // The first vector operand and the op's destination. A cached local is read in place and
  // dst is a fresh register (AVX's three-operand forms then need no copy; SSE copies, as a
  // PopToReg would); anything else is popped into a register the op owns, which is dst (an
  // uncached local is loaded straight into it, not cached on the way).
  struct First {
    Operand src;
    Reg dst;
  };
  auto pop_first = [&]() {
    First f;
    const VarState& v = stack_.back();
    if (v.loc == Loc::kLocal && IsCached(v.bits)) {
      f.src = PopForRead();
      f.dst = AllocReg(RegClass::kFp);
    } else {
      f.src = Operand{PopToReg(), true};
      f.dst = f.src.reg;
    }
    return f;
  };
  auto release_first = [&](const First& f) {
    if (!(f.dst == f.src.reg)) Release(f.src);
  };

  // The address operand of a memory op (below `value_operands` entries already popped):
  // a folded constant address (None + effective offset) or a register read in place
  // ([multi-memory, memory64] PopMemAddr; release_addr restores memory 0's base).
  using Addr = MemAddr;
  auto pop_addr = [&]() { return PopMemAddr(in); };
  auto release_addr = [&](const Addr& r) { EndMemAccess(r); };

  switch (info.imm) {
    case Imm::kV128: {  // v128.const
      V128 v;
      std::memcpy(&v.lo, in.v128, 8);
      std::memcpy(&v.hi, in.v128 + 8, 8);
      PushConstV128(v);
      return Ok();
    }
    case Imm::kMem1:
    case Imm::kMem2:
    case Imm::kMem4:
    case Imm::kMem8:
    case Imm::kMem16:
      if (v_result) {  // v128.load*: [addr] -> v128
        if (AlwaysOutOfBounds(in, 0)) return Ok();
        Addr a = pop_addr();
        Reg dst = AllocReg(RegClass::kFp);
        uint32_t at = m_.LoadMemV128(in.op, dst, a.op.reg, a.offset, 0);
        release_addr(a);
        AddTrapSite(at, runtime::TrapCode::kMemoryOutOfBounds, in.offset);
        PushReg(JType::kV128, dst);
      } else {  // v128.store: [addr v128] -> []
        if (AlwaysOutOfBounds(in, 1)) return Ok();
        Operand v = PopForRead();
        Addr a = pop_addr();
        uint32_t at = m_.StoreMemV128(in.op, a.op.reg, a.offset, v.reg, 0);
        release_addr(a);
        Release(v);
        AddTrapSite(at, runtime::TrapCode::kMemoryOutOfBounds, in.offset);
      }
      return Ok();
    case Imm::kMemLane1:
    case Imm::kMemLane2:
    case Imm::kMemLane4:
    case Imm::kMemLane8:
      if (AlwaysOutOfBounds(in, 1)) return Ok();
      if (v_result) {  // load*_lane: [addr v128] -> v128 (the vector is owned and updated)
        Reg v = PopToReg();
        Addr a = pop_addr();
        uint32_t at = m_.LoadMemV128(in.op, v, a.op.reg, a.offset, in.lane);
        release_addr(a);
        AddTrapSite(at, runtime::TrapCode::kMemoryOutOfBounds, in.offset);
        PushReg(JType::kV128, v);
      } else {  // store*_lane: [addr v128] -> []
        Operand v = PopForRead();
        Addr a = pop_addr();
        uint32_t at = m_.StoreMemV128(in.op, a.op.reg, a.offset, v.reg, in.lane);
        release_addr(a);
        Release(v);
        AddTrapSite(at, runtime::TrapCode::kMemoryOutOfBounds, in.offset);
      }
      return Ok();
    case Imm::kShuffle: {
      // An operand that is a constant zero vector (clang's zero-extension idiom: a shuffle
      // against v128.const 0) is never materialized: its lanes become "zero byte" (>= 32, which
      // Masm::SimdShuffle lowers to pmovzx*, movq, byte shifts or pshufb with 0x80) and the
      // other operand is passed as both inputs. Both zero: the result is the zero constant.
      auto is_zero = [&](const VarState& v) {
        return v.loc == Loc::kConst && v.type == JType::kV128 && ConstV128(v) == V128{};
      };
      const bool zero_b = is_zero(stack_.back());
      const bool zero_a = is_zero(stack_[stack_.size() - 2]);
      if (zero_a || zero_b) {
        uint8_t lanes[16];
        for (int i = 0; i < 16; ++i) {
          uint8_t x = in.v128[i];
          lanes[i] = (x < 16 ? zero_a : zero_b) ? uint8_t{32} : static_cast<uint8_t>(x & 15);
        }
        if (zero_a && zero_b) {
          Pop();
          Pop();
          PushConstV128(V128{});
          return Ok();
        }
        if (zero_b) Pop();  // the zero on top; else it is below the other operand
        First s = pop_first();
        if (zero_a) Pop();
        VTemps t = temps(RegSet::Of(s.dst, s.src.reg));
        m_.SimdShuffle(s.dst, s.src.reg, s.src.reg, lanes, t);
        free_temps(t);
        release_first(s);
        PushReg(JType::kV128, s.dst);
        return Ok();
      }
      Operand b = PopForRead();
      First a = pop_first();
      VTemps t = temps(RegSet::Of(a.dst, a.src.reg, b.reg));
      m_.SimdShuffle(a.dst, a.src.reg, b.reg, in.v128, t);
      free_temps(t);
      Release(b);
      release_first(a);
      PushReg(JType::kV128, a.dst);
      return Ok();
    }
    case Imm::kLaneIdx16:
    case Imm::kLaneIdx8:
    case Imm::kLaneIdx4:
    case Imm::kLaneIdx2:
      if (v_result) {  // replace_lane: [v128 x] -> v128
        Operand x = PopForRead();
        First v = pop_first();
        m_.SimdReplaceLane(in.op, v.dst, v.src.reg, x.reg, in.lane);
        Release(x);
        release_first(v);
        PushReg(JType::kV128, v.dst);
      } else {  // extract_lane: [v128] -> x
        JType t = jtype(sig.results[0]);
        if (ClassOf(t) == RegClass::kFp) {
          First v = pop_first();
          m_.SimdExtractLane(in.op, v.dst, v.src.reg, in.lane);
          release_first(v);
          PushReg(t, v.dst);
        } else {
          Operand v = PopForRead();
          Reg d = AllocReg(RegClass::kGp);
          m_.SimdExtractLane(in.op, d, v.reg, in.lane);
          Release(v);
          PushReg(t, d);
        }
      }
      return Ok();
    case Imm::kNone:
      break;
    default:
      return Unsupported(in);
  }
  if (!has_result) return Unsupported(in);

  if (v_result && sig.num_params == 1 && sig.params[0] != SigKind::kV128) {
    // splat: [x] -> v128. A constant operand folds into a v128 constant.
    const VarState& x = stack_.back();
    if (x.loc == Loc::kConst) {
      uint64_t lo = x.bits;
      switch (in.op) {
        case Op::I8x16Splat:
          lo = (lo & 0xFF) * 0x0101010101010101ull;
          break;
        case Op::I16x8Splat:
          lo = (lo & 0xFFFF) * 0x0001000100010001ull;
          break;
        case Op::I32x4Splat:
        case Op::F32x4Splat:
          lo = (lo & 0xFFFFFFFFull) * 0x0000000100000001ull;
          break;
        default:
          break;
      }
      Pop();
      PushConstV128(V128{lo, lo});
      return Ok();
    }
    if (ClassOf(x.type) == RegClass::kFp) {
      First s = pop_first();
      m_.SimdSplat(in.op, s.dst, s.src.reg);
      release_first(s);
      PushReg(JType::kV128, s.dst);
    } else {
      Operand s = PopForRead();
      Reg d = AllocReg(RegClass::kFp);
      m_.SimdSplat(in.op, d, s.reg);
      Release(s);
      PushReg(JType::kV128, d);
    }
    return Ok();
  }

  if (!v_result) {  // any_true, all_true, bitmask: [v128] -> i32
    if (sig.num_params != 1 || sig.params[0] != SigKind::kV128) return Unsupported(in);
    switch (in.op) {
      case Op::V128AnyTrue:
      case Op::I8x16AllTrue:
      case Op::I16x8AllTrue:
      case Op::I32x4AllTrue:
      case Op::I64x2AllTrue:
        if (m_.SimdTemps(in.op) == 0) {  // a condition: fused with a following br_if / if
          Condition c;
          c.op = in.op;
          c.type = JType::kV128;
          Operand v = PopForRead();
          c.lhs = v.reg;
          c.lhs_owned = v.owned;
          // `i32.eqz` between the test and a br_if / if: a branch on the negated test.
          if (size_t at = reader_.Offset();
              at + 1 < body_end_ && module_.bytes[at] == 0x45 &&
              (module_.bytes[at + 1] == 0x0D || module_.bytes[at + 1] == 0x04)) {
            WT_TRY(ReadInstr(&next_instr_));  // the eqz, validated
            if (env_.consume_fuel) CountFuel();
            c.cond = Cond::kEq;
          }
          return EmitCondition(c);
        }
        break;
      default:
        break;
    }
    Operand v = PopForRead();
    VTemps t = temps(RegSet::Of(v.reg));
    Reg d = AllocReg(RegClass::kGp);
    m_.SimdToI32(in.op, d, v.reg, t);
    free_temps(t);
    Release(v);
    PushReg(jtype(sig.results[0]), d);
    return Ok();
  }

  if (sig.num_params == 2 && sig.params[1] == SigKind::kI32) {  // shifts: [v128 i32] -> v128
    const VarState& count = stack_.back();
    if (count.loc == Loc::kConst) {
      uint32_t bits = 8;
      switch (in.op) {
        case Op::I16x8Shl:
        case Op::I16x8ShrS:
        case Op::I16x8ShrU:
          bits = 16;
          break;
        case Op::I32x4Shl:
        case Op::I32x4ShrS:
        case Op::I32x4ShrU:
          bits = 32;
          break;
        case Op::I64x2Shl:
        case Op::I64x2ShrS:
        case Op::I64x2ShrU:
          bits = 64;
          break;
        default:
          break;
      }
      auto n = static_cast<uint32_t>(count.bits) & (bits - 1);
      Pop();
      First v = pop_first();
      VTemps t = temps(RegSet::Of(v.dst, v.src.reg));
      m_.SimdShiftImm(in.op, v.dst, v.src.reg, n, t);
      free_temps(t);
      release_first(v);
      PushReg(JType::kV128, v.dst);
      return Ok();
    }
    Operand c = PopForRead();
    First v = pop_first();
    VTemps t = temps(RegSet::Of(v.dst, v.src.reg));
    m_.SimdShift(in.op, v.dst, v.src.reg, c.reg, t);
    free_temps(t);
    Release(c);
    release_first(v);
    PushReg(JType::kV128, v.dst);
    return Ok();
  }

  for (uint32_t i = 0; i < sig.num_params; ++i) {
    if (sig.params[i] != SigKind::kV128) return Unsupported(in);
  }
  switch (sig.num_params) {
    case 1: {  // v_v
      First v = pop_first();
      VTemps t = temps(RegSet::Of(v.dst, v.src.reg));
      m_.SimdUnop(in.op, v.dst, v.src.reg, t);
      free_temps(t);
      release_first(v);
      PushReg(JType::kV128, v.dst);
      return Ok();
    }
    case 2: {  // v_vv
      uint32_t local;
      if (InPlaceTarget(1, &local)) {  // x = x op y; local.set x: computed in x's register
        Reg home = CacheReg(local);
        read_locked_ = read_locked_.with(home);  // not evicted while loading rhs / temps
        Operand b = PopForRead();
        Pop();
        VTemps t = temps(RegSet::Of(home, b.reg));
        m_.SimdBinop(in.op, home, home, b.reg, t);
        free_temps(t);
        Release(b);
        read_locked_ = read_locked_.without(home);
        FinishInPlace(local);
        return Ok();
      }
      if (OneCommutativeInstr(in.op) && InPlaceTarget(0, &local)) {
        // x = y op x; local.set x, for an op that is one commutative instruction: computed
        // in x's register too (SSE `op x, y`, AVX `vop x, y, x`), no move for the local.set.
        Reg home = CacheReg(local);
        read_locked_ = read_locked_.with(home);
        Pop();
        Operand a = PopForRead();
        VTemps t = temps(RegSet::Of(home, a.reg));
        m_.SimdBinop(in.op, home, a.reg, home, t);
        free_temps(t);
        Release(a);
        read_locked_ = read_locked_.without(home);
        FinishInPlace(local);
        return Ok();
      }
      Operand b = PopForRead();
      First a = pop_first();
      VTemps t = temps(RegSet::Of(a.dst, a.src.reg, b.reg));
      m_.SimdBinop(in.op, a.dst, a.src.reg, b.reg, t);
      free_temps(t);
      Release(b);
      release_first(a);
      PushReg(JType::kV128, a.dst);
      return Ok();
    }
    case 3: {  // v_vvv
      Operand c = PopForRead();
      Operand b = PopForRead();
      First a = pop_first();
      VTemps t = temps(RegSet::Of(a.dst, a.src.reg, b.reg, c.reg));
      m_.SimdTernop(in.op, a.dst, a.src.reg, b.reg, c.reg, t);
      free_temps(t);
      Release(b);
      Release(c);
      release_first(a);
      PushReg(JType::kV128, a.dst);
      return Ok();
    }
    default:
      return Unsupported(in);
  }
}

}  // namespace wt::jit
