// Private to jit/a64: what the NEON SIMD family files share, and their entry points.
//
// Masm's SIMD members (masm_a64_simd.cpp) fill a VOps and offer it to each family in turn; the
// family that knows the op emits it and returns true. An op no family knows becomes the compile
// error "simd: not implemented: <op>" (Impl::Fail). The families:
//   masm_a64_simd_int.cpp      add/sub/sat, mul (incl. i64), min/max, avgr, abs/neg, popcnt,
//                              integer compares, shifts, extend, narrow, extmul,
//                              extadd_pairwise, dot, q15mulr
//   masm_a64_simd_lane.cpp     splat, extract/replace lane, bitwise ops, bitselect, any_true,
//                              all_true, bitmask, i8x16.shuffle, swizzle
//   masm_a64_simd_float.cpp    f32x4/f64x2 arithmetic, min/max/pmin/pmax, abs/neg/sqrt,
//                              compares, rounding, convert, trunc_sat, demote/promote
//   masm_a64_simd_relaxed.cpp  the 20 relaxed SIMD ops (choices: docs/simd-a64.md)
// The memory ops and constants are Masm members (masm_a64_simd.cpp).
//
// Scratch: v16..v31 belong to the Masm (never allocated), as do x16/x17 and x12..x15;
// VOps::t holds the compiler's temporaries (as many as the family's Temps function asked for;
// NEON rarely needs them: v16..v31 are plenty).
#pragma once

#include "jit/a64/masm_a64_impl.h"
#include "jit/masm_simd.h"

namespace wt::jit::a64::simd {

// The operands of one SIMD op (as x64's VOps). Which fields are used depends on the op:
// - v_v / v_vv / v_vvv: dst = op(a[, b[, c]]);
// - shifts: dst = a shifted by gp (an i32 register) or, when gp is None, by imm (masked);
// - splat: dst = splat(gp) for integer shapes, splat(a) for f32x4/f64x2;
// - extract_lane: gp = a[imm] for integer shapes, dst = a[imm] for floats;
// - replace_lane: dst = a with lane imm <- gp (integer shapes) or b (floats);
// - any_true/all_true/bitmask: gp = op(a);
// - i8x16.shuffle: dst = shuffle(a, b, lanes).
struct VOps {
  Reg dst = Reg::None();
  Reg a = Reg::None();
  Reg b = Reg::None();
  Reg c = Reg::None();
  Reg gp = Reg::None();
  uint32_t imm = 0;
  const uint8_t* lanes = nullptr;
  VTemps t;
};

// Family entry points: emit `op` and return true, or return false when the op is not the
// family's.
bool EmitInt(Masm::Impl& m, wasm::Op op, const VOps& o);      // masm_a64_simd_int.cpp
bool EmitLane(Masm::Impl& m, wasm::Op op, const VOps& o);     // masm_a64_simd_lane.cpp
bool EmitFloat(Masm::Impl& m, wasm::Op op, const VOps& o);    // masm_a64_simd_float.cpp
bool EmitRelaxed(Masm::Impl& m, wasm::Op op, const VOps& o);  // masm_a64_simd_relaxed.cpp
// VTemps a family's op needs (0 when none, or when the op is not the family's).
int TempsInt(const CpuFeatures& cpu, wasm::Op op);
int TempsLane(const CpuFeatures& cpu, wasm::Op op);
int TempsFloat(const CpuFeatures& cpu, wasm::Op op);
int TempsRelaxed(const CpuFeatures& cpu, wasm::Op op);

// Helpers of the lane/int families and the Masm members (masm_a64_simd.cpp), usable by all:
// - MovImm64: dst = bits (movz + movk, or movn + movk; at most 4 instructions). The SIMD files
//   keep their own copy so that they do not depend on the core's Impl::MovImm.
// - LoadV128: dst = v (movi/mvni for one-instruction patterns, else built in x16 and moved in
//   with fmov/dup/ins). Clobbers x16.
void MovImm64(asmjit::a64::Assembler& a, const asmjit::a64::Gp& dst, uint64_t bits);
void LoadV128(asmjit::a64::Assembler& a, const asmjit::a64::Vec& dst, V128 v);

}  // namespace wt::jit::a64::simd
