// SIMD lane family (masm_x64_simd_lane.cpp): splat, extract/replace lane, bitwise ops,
// bitselect, any_true/all_true, bitmask, on every ISA level the host has and every aliasing
// layout of simd_test_util.h.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "simd_test_util.h"

namespace wt::jit::testing {
namespace {

using wasm::Op;

// ---- a CheckVOp variant for ops with GP inputs or results

// What the op produces: the whole dst vector, dst's low f32/f64 lane only (a float
// extract_lane: the other lanes may hold anything), or the GP result register (all 64 bits
// compared: an i32 result must have its upper 32 bits zero, and rax starts as junk).
enum class Out { kVec, kF32Lane0, kF64Lane0, kGp };

struct Expect {
  V128 v;
  uint64_t g = 0;
};
using LaneRef = std::function<Expect(const V128* in, uint64_t gp)>;

// Vectors that random ones rarely give: zero, all ones, one byte set or cleared.
std::vector<V128> SparseVectors() {
  std::vector<V128> out = {V128{0, 0}, V128{~0ull, ~0ull}};
  for (int i = 0; i < 16; ++i) {
    for (uint8_t b : {uint8_t{0x01}, uint8_t{0x80}}) {
      V128 v;
      SetLane<uint8_t>(v, i, b);
      out.push_back(v);
    }
    V128 ones{~0ull, ~0ull};
    SetLane<uint8_t>(ones, i, 0);
    out.push_back(ones);
  }
  return out;
}

// AliasLayouts() plus GP operands in r8..r10 (REX-prefixed byte and dword forms: movsx from
// r9b, setnz r9b, pinsrb from r10d ...). The test moves the argument from rdx to gp_in first.
std::vector<VRegs> LaneLayouts() {
  std::vector<VRegs> out = AliasLayouts();
  auto x = [](unsigned n) { return Reg::Fp(n); };
  VRegs hi{"gp r10/r9", x(12), x(9), x(10), x(11), {x(13), x(14)}};
  hi.gp_in = x64::reg::r10;
  hi.gp_out = x64::reg::r9;
  out.push_back(hi);
  VRegs lo{"gp r8/rcx,dst=a", x(0), x(0), x(7), x(3), {x(5), x(6)}};
  lo.gp_in = x64::reg::r8;
  lo.gp_out = x64::reg::rcx;
  out.push_back(lo);
  return out;
}

// Like CheckVOp, with a GP argument per input vector (rdx: edge values and random bits; an i32
// argument is zero-extended, as the compiler passes it) and the result taken as `out` says.
void CheckLaneOp(const std::string& what, int num_inputs, Shape shape, Out out,
                 const std::function<void(x64::Masm&, const VRegs&)>& emit_op, const LaneRef& ref,
                 bool gp64 = false, const std::vector<VRegs>& layouts = LaneLayouts()) {
  auto emit = [&](x64::Masm& m, const VRegs& r) {
    if (r.gp_in != x64::reg::rdx) m.Move(JType::kI64, r.gp_in, x64::reg::rdx);
    emit_op(m, r);
  };
  std::vector<V128> vs = InputVectors(shape);
  for (const V128& v : SparseVectors()) vs.push_back(v);
  std::vector<uint64_t> gps = EdgeLanes(Shape::kI64);
  for (uint64_t e : EdgeLanes(shape)) gps.push_back(e);
  std::mt19937_64 rng(777);
  while (gps.size() < vs.size()) gps.push_back(rng());
  size_t n = vs.size();
  int failures = 0;
  for (const IsaLevel& level : SimdLevels()) {
    for (const VRegs& r : layouts) {
      if (SkipLayout(r, num_inputs) || (num_inputs < 1 && r.dst == r.a)) continue;
      auto fn = AssembleVOp(level.cpu, r, num_inputs, emit);
      if (!fn->ok()) {
        ADD_FAILURE() << what << " [" << level.name << ", " << r.name << "]: " << fn->error();
        return;
      }
      for (size_t k = 0; k < n && failures < 5; ++k) {
        V128 in[4];
        CaseInputs(vs, k, r, num_inputs, in);
        uint64_t gp = gps[k];
        if (!gp64) gp = static_cast<uint32_t>(gp);
        V128 res[3];
        (*fn)(in, res, gp);
        Expect want = ref(in, gp);
        bool ok = true;
        std::string got, exp;
        switch (out) {
          case Out::kVec:
            ok = want.v == res[0];
            got = Hex(res[0]), exp = Hex(want.v);
            break;
          case Out::kF32Lane0:
            ok = static_cast<uint32_t>(want.v.lo) == static_cast<uint32_t>(res[0].lo);
            got = Hex(res[0]), exp = Hex(want.v);
            break;
          case Out::kF64Lane0:
            ok = want.v.lo == res[0].lo;
            got = Hex(res[0]), exp = Hex(want.v);
            break;
          case Out::kGp:
            ok = want.g == res[1].lo;
            got = Hex(V128{res[1].lo, 0}), exp = Hex(V128{want.g, 0});
            break;
        }
        if (!ok) {
          ++failures;
          std::string ins;
          for (int i = 0; i < num_inputs; ++i) ins.append(1, ' ').append(Hex(in[i]));
          ADD_FAILURE() << what << " [" << level.name << ", " << r.name << "] inputs" << ins
                        << " gp " << std::hex << gp << ": want " << exp << " got " << got;
        }
      }
    }
  }
}

// ---- splat

TEST(X64SimdLane, SplatInt) {
  struct Case {
    Op op;
    Shape shape;
  };
  for (Case c : {Case{Op::I8x16Splat, Shape::kI8}, Case{Op::I16x8Splat, Shape::kI16},
                 Case{Op::I32x4Splat, Shape::kI32}, Case{Op::I64x2Splat, Shape::kI64}}) {
    int bytes = LaneBytes(c.shape);
    CheckLaneOp(
        wasm::OpText(c.op), 0, c.shape, Out::kVec,
        [&](x64::Masm& m, const VRegs& r) { m.SimdSplat(c.op, r.dst, r.gp_in); },
        [&](const V128*, uint64_t gp) {
          V128 v;
          for (int i = 0; i < 16 / bytes; ++i) SetLaneBits(v, c.shape, i, gp);
          return Expect{v, 0};
        },
        c.op == Op::I64x2Splat);
  }
}

TEST(X64SimdLane, SplatFloat) {
  CheckLaneOp(
      "f32x4.splat", 1, Shape::kF32, Out::kVec,
      [](x64::Masm& m, const VRegs& r) { m.SimdSplat(Op::F32x4Splat, r.dst, r.a); },
      [](const V128* in, uint64_t) {
        V128 v;
        for (int i = 0; i < 4; ++i) SetLane<uint32_t>(v, i, Lane<uint32_t>(in[0], 0));
        return Expect{v, 0};
      });
  CheckLaneOp(
      "f64x2.splat", 1, Shape::kF64, Out::kVec,
      [](x64::Masm& m, const VRegs& r) { m.SimdSplat(Op::F64x2Splat, r.dst, r.a); },
      [](const V128* in, uint64_t) {
        return Expect{V128{in[0].lo, in[0].lo}, 0};
      });
}

// ---- extract_lane

template <typename T, typename R>
void CheckExtractInt(Op op, Shape shape) {
  for (int lane = 0; lane < kLanes<T>; ++lane) {
    CheckLaneOp(
        std::string(wasm::OpText(op)) + " " + std::to_string(lane), 1, shape, Out::kGp,
        [=](x64::Masm& m, const VRegs& r) {
          m.SimdExtractLane(op, r.gp_out, r.a, static_cast<uint32_t>(lane));
        },
        [=](const V128* in, uint64_t) {
          // R is the result type (int32_t/uint32_t/uint64_t); i32 results are zero-extended.
          R x = static_cast<R>(Lane<T>(in[0], lane));
          uint64_t g = sizeof(R) == 4 ? static_cast<uint32_t>(x) : static_cast<uint64_t>(x);
          return Expect{{}, g};
        });
  }
}

TEST(X64SimdLane, ExtractLaneInt) {
  CheckExtractInt<int8_t, int32_t>(Op::I8x16ExtractLaneS, Shape::kI8);
  CheckExtractInt<uint8_t, uint32_t>(Op::I8x16ExtractLaneU, Shape::kI8);
  CheckExtractInt<int16_t, int32_t>(Op::I16x8ExtractLaneS, Shape::kI16);
  CheckExtractInt<uint16_t, uint32_t>(Op::I16x8ExtractLaneU, Shape::kI16);
  CheckExtractInt<uint32_t, uint32_t>(Op::I32x4ExtractLane, Shape::kI32);
  CheckExtractInt<uint64_t, uint64_t>(Op::I64x2ExtractLane, Shape::kI64);
}

TEST(X64SimdLane, ExtractLaneFloat) {
  for (int lane = 0; lane < 4; ++lane) {
    CheckLaneOp(
        "f32x4.extract_lane " + std::to_string(lane), 1, Shape::kF32, Out::kF32Lane0,
        [=](x64::Masm& m, const VRegs& r) {
          m.SimdExtractLane(Op::F32x4ExtractLane, r.dst, r.a, static_cast<uint32_t>(lane));
        },
        [=](const V128* in, uint64_t) {
          V128 v;
          SetLane<uint32_t>(v, 0, Lane<uint32_t>(in[0], lane));
          return Expect{v, 0};
        });
  }
  for (int lane = 0; lane < 2; ++lane) {
    CheckLaneOp(
        "f64x2.extract_lane " + std::to_string(lane), 1, Shape::kF64, Out::kF64Lane0,
        [=](x64::Masm& m, const VRegs& r) {
          m.SimdExtractLane(Op::F64x2ExtractLane, r.dst, r.a, static_cast<uint32_t>(lane));
        },
        [=](const V128* in, uint64_t) {
          return Expect{V128{Lane<uint64_t>(in[0], lane), 0}, 0};
        });
  }
}

// ---- replace_lane

template <typename T>
void CheckReplaceInt(Op op, Shape shape) {
  for (int lane = 0; lane < kLanes<T>; ++lane) {
    CheckLaneOp(
        std::string(wasm::OpText(op)) + " " + std::to_string(lane), 1, shape, Out::kVec,
        [=](x64::Masm& m, const VRegs& r) {
          m.SimdReplaceLane(op, r.dst, r.a, r.gp_in, static_cast<uint32_t>(lane));
        },
        [=](const V128* in, uint64_t gp) {
          V128 v = in[0];
          SetLane<T>(v, lane, static_cast<T>(gp));
          return Expect{v, 0};
        },
        sizeof(T) == 8);
  }
}

TEST(X64SimdLane, ReplaceLaneInt) {
  CheckReplaceInt<uint8_t>(Op::I8x16ReplaceLane, Shape::kI8);
  CheckReplaceInt<uint16_t>(Op::I16x8ReplaceLane, Shape::kI16);
  CheckReplaceInt<uint32_t>(Op::I32x4ReplaceLane, Shape::kI32);
  CheckReplaceInt<uint64_t>(Op::I64x2ReplaceLane, Shape::kI64);
}

template <typename T>
void CheckReplaceFloat(Op op, Shape shape) {
  using U = BitsOfT<T>;
  for (int lane = 0; lane < kLanes<T>; ++lane) {
    CheckLaneOp(
        std::string(wasm::OpText(op)) + " " + std::to_string(lane), 2, shape, Out::kVec,
        [=](x64::Masm& m, const VRegs& r) {
          m.SimdReplaceLane(op, r.dst, r.a, r.b, static_cast<uint32_t>(lane));
        },
        [=](const V128* in, uint64_t) {
          V128 v = in[0];
          SetLane<U>(v, lane, Lane<U>(in[1], 0));
          return Expect{v, 0};
        });
  }
}

TEST(X64SimdLane, ReplaceLaneFloat) {
  CheckReplaceFloat<float>(Op::F32x4ReplaceLane, Shape::kF32);
  CheckReplaceFloat<double>(Op::F64x2ReplaceLane, Shape::kF64);
}

// ---- bitwise

TEST(X64SimdLane, Bitwise) {
  struct Case {
    Op op;
    uint64_t (*f)(uint64_t, uint64_t);
  };
  for (Case c : {Case{Op::V128And, [](uint64_t x, uint64_t y) { return x & y; }},
                 Case{Op::V128Or, [](uint64_t x, uint64_t y) { return x | y; }},
                 Case{Op::V128Xor, [](uint64_t x, uint64_t y) { return x ^ y; }},
                 Case{Op::V128Andnot, [](uint64_t x, uint64_t y) { return x & ~y; }}}) {
    CheckVOp(
        wasm::OpText(c.op), 2, Shape::kI64,
        [&](x64::Masm& m, const VRegs& r) { m.SimdBinop(c.op, r.dst, r.a, r.b, r.t); },
        [&](const V128* in) {
          return V128{c.f(in[0].lo, in[1].lo), c.f(in[0].hi, in[1].hi)};
        });
  }
  CheckVOp(
      "v128.not", 1, Shape::kI64,
      [](x64::Masm& m, const VRegs& r) { m.SimdUnop(Op::V128Not, r.dst, r.a, r.t); },
      [](const V128* in) {
        return V128{~in[0].lo, ~in[0].hi};
      });
}

TEST(X64SimdLane, Bitselect) {
  auto sel = [](uint64_t a, uint64_t b, uint64_t c) { return (a & c) | (b & ~c); };
  std::vector<VRegs> layouts = AliasLayouts();
  // More aliasing: a == c, b == c, dst == a == c.
  auto x = [](unsigned n) { return Reg::Fp(n); };
  layouts.push_back({"a=c", x(4), x(1), x(2), x(1), {x(5), x(6)}});
  layouts.push_back({"b=c", x(4), x(1), x(2), x(2), {x(5), x(6)}});
  layouts.push_back({"dst=a=c", x(1), x(1), x(2), x(1), {x(5), x(6)}});
  layouts.push_back({"dst=b=c", x(2), x(1), x(2), x(2), {x(5), x(6)}});
  CheckVOp(
      "v128.bitselect", 3, Shape::kI8,
      [](x64::Masm& m, const VRegs& r) {
        m.SimdTernop(Op::V128Bitselect, r.dst, r.a, r.b, r.c, r.t);
      },
      [&](const V128* in) {
        return V128{sel(in[0].lo, in[1].lo, in[2].lo), sel(in[0].hi, in[1].hi, in[2].hi)};
      },
      ExactMatch, 0, layouts);
}

// ---- any_true, all_true, bitmask

template <typename T>
void CheckToI32(Op op, Shape shape, uint32_t (*f)(const V128&)) {
  (void)sizeof(T);
  CheckLaneOp(
      wasm::OpText(op), 1, shape, Out::kGp,
      [=](x64::Masm& m, const VRegs& r) { m.SimdToI32(op, r.gp_out, r.a, r.t); },
      [=](const V128* in, uint64_t) {
        return Expect{{}, f(in[0])};
      });
}

template <typename T>
uint32_t AllTrue(const V128& v) {
  for (int i = 0; i < kLanes<T>; ++i) {
    if (Lane<T>(v, i) == 0) return 0;
  }
  return 1;
}

template <typename T>
uint32_t Bitmask(const V128& v) {
  uint32_t m = 0;
  for (int i = 0; i < kLanes<T>; ++i) {
    if (Lane<T>(v, i) < 0) m |= 1u << i;
  }
  return m;
}

TEST(X64SimdLane, AnyTrueAllTrue) {
  CheckToI32<uint8_t>(Op::V128AnyTrue, Shape::kI8,
                      [](const V128& v) { return uint32_t{v.lo != 0 || v.hi != 0}; });
  CheckToI32<uint8_t>(Op::I8x16AllTrue, Shape::kI8, AllTrue<uint8_t>);
  CheckToI32<uint16_t>(Op::I16x8AllTrue, Shape::kI16, AllTrue<uint16_t>);
  CheckToI32<uint32_t>(Op::I32x4AllTrue, Shape::kI32, AllTrue<uint32_t>);
  CheckToI32<uint64_t>(Op::I64x2AllTrue, Shape::kI64, AllTrue<uint64_t>);
}

TEST(X64SimdLane, Bitmask) {
  CheckToI32<int8_t>(Op::I8x16Bitmask, Shape::kI8, Bitmask<int8_t>);
  CheckToI32<int16_t>(Op::I16x8Bitmask, Shape::kI16, Bitmask<int16_t>);
  CheckToI32<int32_t>(Op::I32x4Bitmask, Shape::kI32, Bitmask<int32_t>);
  CheckToI32<int64_t>(Op::I64x2Bitmask, Shape::kI64, Bitmask<int64_t>);
}

// ---- nothing but dst (or the GP result), xmm15 and r11 changes

// Every op of the lane and shuffle families, with a few lane immediates and shuffle patterns.
struct AnyOp {
  std::string name;
  std::function<void(x64::Masm&, const VRegs&)> emit;
};
std::vector<AnyOp> AllFamilyOps() {
  std::vector<AnyOp> ops;
  auto add = [&](Op op, std::function<void(x64::Masm&, const VRegs&)> emit, int lane = -1) {
    std::string name = wasm::OpText(op);
    if (lane >= 0) name += " " + std::to_string(lane);
    ops.push_back({name, std::move(emit)});
  };
  for (Op op : {Op::I8x16Splat, Op::I16x8Splat, Op::I32x4Splat, Op::I64x2Splat})
    add(op, [op](x64::Masm& m, const VRegs& r) { m.SimdSplat(op, r.dst, r.gp_in); });
  for (Op op : {Op::F32x4Splat, Op::F64x2Splat})
    add(op, [op](x64::Masm& m, const VRegs& r) { m.SimdSplat(op, r.dst, r.a); });
  for (Op op : {Op::I8x16ExtractLaneS, Op::I8x16ExtractLaneU, Op::I16x8ExtractLaneS,
                Op::I16x8ExtractLaneU, Op::I32x4ExtractLane, Op::I64x2ExtractLane}) {
    for (uint32_t l : {0u, 1u}) {
      add(
          op, [op, l](x64::Masm& m, const VRegs& r) { m.SimdExtractLane(op, r.gp_out, r.a, l); },
          static_cast<int>(l));
    }
  }
  for (uint32_t l : {0u, 1u, 2u, 3u}) {
    add(
        Op::F32x4ExtractLane,
        [l](x64::Masm& m, const VRegs& r) {
          m.SimdExtractLane(Op::F32x4ExtractLane, r.dst, r.a, l);
        },
        static_cast<int>(l));
    add(
        Op::F32x4ReplaceLane,
        [l](x64::Masm& m, const VRegs& r) {
          m.SimdReplaceLane(Op::F32x4ReplaceLane, r.dst, r.a, r.b, l);
        },
        static_cast<int>(l));
  }
  for (uint32_t l : {0u, 1u}) {
    add(
        Op::F64x2ExtractLane,
        [l](x64::Masm& m, const VRegs& r) {
          m.SimdExtractLane(Op::F64x2ExtractLane, r.dst, r.a, l);
        },
        static_cast<int>(l));
    add(
        Op::F64x2ReplaceLane,
        [l](x64::Masm& m, const VRegs& r) {
          m.SimdReplaceLane(Op::F64x2ReplaceLane, r.dst, r.a, r.b, l);
        },
        static_cast<int>(l));
    for (Op op :
         {Op::I8x16ReplaceLane, Op::I16x8ReplaceLane, Op::I32x4ReplaceLane, Op::I64x2ReplaceLane}) {
      add(
          op,
          [op, l](x64::Masm& m, const VRegs& r) { m.SimdReplaceLane(op, r.dst, r.a, r.gp_in, l); },
          static_cast<int>(l));
    }
  }
  for (Op op : {Op::V128And, Op::V128Or, Op::V128Xor, Op::V128Andnot, Op::I8x16Swizzle})
    add(op, [op](x64::Masm& m, const VRegs& r) { m.SimdBinop(op, r.dst, r.a, r.b, r.t); });
  add(Op::V128Not, [](x64::Masm& m, const VRegs& r) { m.SimdUnop(Op::V128Not, r.dst, r.a, r.t); });
  add(Op::V128Bitselect, [](x64::Masm& m, const VRegs& r) {
    m.SimdTernop(Op::V128Bitselect, r.dst, r.a, r.b, r.c, r.t);
  });
  for (Op op :
       {Op::V128AnyTrue, Op::I8x16AllTrue, Op::I16x8AllTrue, Op::I32x4AllTrue, Op::I64x2AllTrue,
        Op::I8x16Bitmask, Op::I16x8Bitmask, Op::I32x4Bitmask, Op::I64x2Bitmask})
    add(op, [op](x64::Masm& m, const VRegs& r) { m.SimdToI32(op, r.gp_out, r.a, r.t); });
  // Shuffles: one of each matcher class and two generic ones.
  static const uint8_t kShuffles[][16] = {
      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},          // identity
      {12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3},          // pshufd
      {2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13},          // pshufd
      {2, 3, 0, 1, 4, 5, 6, 7, 8, 9, 10, 11, 14, 15, 12, 13},          // pshuflw+hw
      {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2},          // rotate
      {0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23},        // punpcklbw
      {24, 25, 26, 27, 28, 29, 30, 31, 8, 9, 10, 11, 12, 13, 14, 15},  // movhlps
      {5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20},     // palignr
      {4, 5, 6, 7, 0, 1, 2, 3, 28, 29, 30, 31, 16, 17, 18, 19},        // shufps
      {16, 17, 2, 3, 20, 21, 6, 7, 8, 9, 26, 27, 12, 13, 30, 31},      // pblendw
      {20, 21, 22, 23, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19},      // pshufd x2 + pblendw
      {1, 17, 0, 31, 9, 3, 22, 5, 15, 14, 2, 18, 27, 4, 6, 25},        // generic
      {15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0},          // one input, pshufb
  };
  for (const auto& l : kShuffles) {
    add(Op::I8x16Shuffle,
        [&l](x64::Masm& m, const VRegs& r) { m.SimdShuffle(r.dst, r.a, r.b, l, r.t); });
  }
  return ops;
}

// Runs `emit` with xmm0..xmm14 and rax, rcx, rdx, r8..r10 holding known values, and checks
// that afterwards every one of them but dst and gp_out holds it still.
TEST(X64SimdLane, ClobbersOnlyDstAndScratch) {
  auto x = [](unsigned n) { return Reg::Fp(n); };
  std::vector<VRegs> layouts = {
      {"fresh", x(4), x(1), x(2), x(3), {}},
      {"dst=a", x(1), x(1), x(2), x(3), {}},
      {"dst=b", x(2), x(1), x(2), x(3), {}},
      {"high", x(12), x(9), x(10), x(11), {}},
  };
  layouts[3].gp_in = x64::reg::r8;
  layouts[3].gp_out = x64::reg::r9;
  for (const AnyOp& op : AllFamilyOps()) {
    for (const IsaLevel& level : SimdLevels()) {
      for (const VRegs& r : layouts) {
        bool ok = CheckKeepsRegs(
            op.name, level, r.name, [&](x64::Masm& m) { op.emit(m, r); },
            [&](Reg reg) { return reg.is_fp() ? reg == r.dst : reg == r.gp_out; });
        if (!ok) return;
      }
    }
  }
}

// The temps this family asks for: none.
TEST(X64SimdLane, NoTemps) {
  for (const IsaLevel& level : SimdLevels()) {
    x64::Masm m(level.cpu);
    for (Op op : {Op::I8x16Splat, Op::F32x4Splat, Op::I8x16ExtractLaneS, Op::F32x4ReplaceLane,
                  Op::V128Bitselect, Op::V128Not, Op::I16x8Bitmask, Op::I64x2AllTrue}) {
      EXPECT_EQ(m.SimdTemps(op), 0) << wasm::OpText(op) << " " << level.name;
    }
  }
}

}  // namespace
}  // namespace wt::jit::testing
