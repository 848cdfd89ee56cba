// The SIMD part of the MacroAssembler interface (jit/masm.h): 128-bit vector operations on
// kV128 values in FP-class registers. BaselineCompiler's SIMD part (compiler_simd.h) is written
// against the SimdMacroAssembler concept below; jit/x64/masm_x64_simd*.cpp implement it.
//
// Conventions, in addition to masm.h's:
// - Ops are passed as wasm::Op; the op alone says what the operands are (the compiler calls
//   SimdBinop only for v_vv ops, SimdUnop only for v_v ops, and so on).
// - dst may alias any vector operand; the Masm handles destructive ISA forms with its own
//   scratch registers (x64: xmm15 and r11).
// - VTemps are FP registers the compiler reserved for the op (as many as SimdTemps(op) says),
//   distinct from every operand and from dst. Their contents are clobbered.
// - No SIMD op has fixed-register needs (ClobbersFor is empty for all of them).
// - A GP operand or result is an i32 (upper 32 bits zero) or an i64, as the op's signature
//   says.
#pragma once

#include <concepts>
#include <cstdint>

#include "jit/masm.h"
#include "wasm/opcodes.h"

namespace wt::jit {

// A v128 value: byte 0 (lane 0 of i8x16) is the least significant byte of `lo`.
struct V128 {
  uint64_t lo = 0;
  uint64_t hi = 0;
  friend constexpr bool operator==(const V128& a, const V128& b) {
    return a.lo == b.lo && a.hi == b.hi;
  }
};

// FP temporaries the compiler reserved for one op (Reg::None() when not requested).
struct VTemps {
  Reg t0 = Reg::None();
  Reg t1 = Reg::None();
};

template <typename M>
concept SimdMacroAssembler = requires(M m, const M cm, Reg r, Mem mem, wasm::Op op, V128 v,
                                      uint64_t offset, uint32_t u32, const uint8_t* lanes, VTemps t,
                                      bool when, Label l) {
  // How many of VTemps' registers `op` needs on this CPU (0..2).
  { cm.SimdTemps(op) } -> std::convertible_to<int>;
  // Constants (v128.const; constant stack entries materialized into a register or a slot).
  m.LoadConstV128(r, v);
  m.StoreConstV128(mem, v);
  // Memory 0, as LoadMem/StoreMem in masm.h (`addr` an i32 register, or None with the whole
  // address in `offset`); returns the code offset of the instruction that can fault.
  // v128.load*, load*_splat, load*_zero, load*_lane (then dst already holds the vector and
  // `lane` names the lane replaced).
  { m.LoadMemV128(op, r, r, offset, u32) } -> std::convertible_to<uint32_t>;
  // v128.store, store*_lane.
  { m.StoreMemV128(op, r, offset, r, u32) } -> std::convertible_to<uint32_t>;
  // *.splat: src is a GP register for integer shapes, an FP register for f32x4/f64x2.
  m.SimdSplat(op, r, r);
  // *.extract_lane*: dst is GP for integer shapes, FP for f32x4/f64x2 (a scalar float whose
  // register's other lanes may hold anything).
  m.SimdExtractLane(op, r, r, u32);
  // *.replace_lane: dst = src with lane `lane` replaced by `val` (GP or FP as for splat).
  m.SimdReplaceLane(op, r, r, r, u32);
  // i8x16.shuffle with its 16 lane indices (< 32).
  m.SimdShuffle(r, r, r, lanes, t);
  // v_v ops.
  m.SimdUnop(op, r, r, t);
  // v_vv ops (including i8x16.swizzle and the relaxed binary ops).
  m.SimdBinop(op, r, r, r, t);
  // v_vvv ops: dst = op(a, b, c) (bitselect, relaxed madd/nmadd/laneselect/dot_add).
  m.SimdTernop(op, r, r, r, r, t);
  // Shifts by a GP i32 count (the Masm masks it to the lane width), and by a constant count
  // (already masked by the compiler).
  m.SimdShift(op, r, r, r, t);
  m.SimdShiftImm(op, r, r, u32, t);
  // i_v ops without a lane immediate: any_true, all_true, bitmask (dst is a GP i32).
  m.SimdToI32(op, r, r, t);
  // v128.any_true / i*x*.all_true fused with the br_if / if that consumes it: jumps to `l` when
  // op(src) != 0 equals `when`. Needs no temporaries (SimdTemps(op) is 0 for these ops).
  m.BranchSimd(op, when, r, l);
};

}  // namespace wt::jit
