// The integer SIMD family of masm_x64_simd_int2.cpp (shifts, extend, narrow, extmul,
// extadd_pairwise, dot, q15mulr) at the Masm level, on every ISA level the host has and every
// register layout of simd_test_util.h, against scalar references.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <type_traits>

#include "simd_test_util.h"

namespace wt::jit::testing {
namespace {

using wasm::Op;

template <typename T>
T Sat(int64_t x) {
  return static_cast<T>(
      std::clamp<int64_t>(x, std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
}

// --- shifts ---

enum class Dir { kShl, kShrS, kShrU };

template <typename U>
V128 ShiftRef(const V128& a, Dir d, uint32_t count) {
  using S = std::make_signed_t<U>;
  uint32_t n = count & (sizeof(U) * 8 - 1);
  return Map1<U>(a, [&](U x) -> U {
    switch (d) {
      case Dir::kShl:
        return static_cast<U>(static_cast<uint64_t>(x) << n);
      case Dir::kShrS:
        return static_cast<U>(static_cast<S>(x) >> n);
      case Dir::kShrU:
        return static_cast<U>(x >> n);
    }
    return 0;
  });
}

// Every constant count (already masked, as the compiler passes it), then counts in the GP
// register: 0, 1, width - 1, width, width + 1, 255 and large ones (masked by the Masm).
template <typename U>
void CheckShift(Op op, Shape shape, Dir d) {
  const uint32_t w = sizeof(U) * 8;
  std::string name = wasm::OpText(op);
  for (uint32_t n = 0; n < w; ++n) {
    CheckVOp(
        name + " imm " + std::to_string(n), 1, shape,
        [op, n](x64::Masm& m, const VRegs& r) {
          m.SimdShiftImm(op, r.dst, r.a, n, TempsFor(m, op, r));
        },
        [d, n](const V128* in) { return ShiftRef<U>(in[0], d, n); });
  }
  for (uint64_t n :
       {0u, 1u, w - 1, w, w + 1, 255u, 0x7FFFFFFFu, 0x80000003u, 0xFFFFFFFFu, w / 2 + 3 * w}) {
    CheckVOp(
        name + " gp " + std::to_string(n), 1, shape,
        [op](x64::Masm& m, const VRegs& r) {
          m.SimdShift(op, r.dst, r.a, r.gp_in, TempsFor(m, op, r));
        },
        [d, n](const V128* in) { return ShiftRef<U>(in[0], d, static_cast<uint32_t>(n)); },
        ExactMatch, n);
  }
}

TEST(X64SimdInt2, ShiftI8) {
  CheckShift<uint8_t>(Op::I8x16Shl, Shape::kI8, Dir::kShl);
  CheckShift<uint8_t>(Op::I8x16ShrS, Shape::kI8, Dir::kShrS);
  CheckShift<uint8_t>(Op::I8x16ShrU, Shape::kI8, Dir::kShrU);
}

TEST(X64SimdInt2, ShiftI16) {
  CheckShift<uint16_t>(Op::I16x8Shl, Shape::kI16, Dir::kShl);
  CheckShift<uint16_t>(Op::I16x8ShrS, Shape::kI16, Dir::kShrS);
  CheckShift<uint16_t>(Op::I16x8ShrU, Shape::kI16, Dir::kShrU);
}

TEST(X64SimdInt2, ShiftI32) {
  CheckShift<uint32_t>(Op::I32x4Shl, Shape::kI32, Dir::kShl);
  CheckShift<uint32_t>(Op::I32x4ShrS, Shape::kI32, Dir::kShrS);
  CheckShift<uint32_t>(Op::I32x4ShrU, Shape::kI32, Dir::kShrU);
}

TEST(X64SimdInt2, ShiftI64) {
  CheckShift<uint64_t>(Op::I64x2Shl, Shape::kI64, Dir::kShl);
  CheckShift<uint64_t>(Op::I64x2ShrS, Shape::kI64, Dir::kShrS);
  CheckShift<uint64_t>(Op::I64x2ShrU, Shape::kI64, Dir::kShrU);
}

// --- widening and narrowing ---

// out[i] = W(a[i + first]) for the wide lanes W of the narrow lanes N.
template <typename W, typename N>
VRef ExtendRef(bool high) {
  return [high](const V128* in) {
    V128 out;
    int first = high ? kLanes<W> : 0;
    for (int i = 0; i < kLanes<W>; ++i) SetLane<W>(out, i, W(Lane<N>(in[0], i + first)));
    return out;
  };
}

TEST(X64SimdInt2, Extend) {
  Un(Op::I16x8ExtendLowI8x16S, Shape::kI8, ExtendRef<int16_t, int8_t>(false));
  Un(Op::I16x8ExtendHighI8x16S, Shape::kI8, ExtendRef<int16_t, int8_t>(true));
  Un(Op::I16x8ExtendLowI8x16U, Shape::kI8, ExtendRef<uint16_t, uint8_t>(false));
  Un(Op::I16x8ExtendHighI8x16U, Shape::kI8, ExtendRef<uint16_t, uint8_t>(true));
  Un(Op::I32x4ExtendLowI16x8S, Shape::kI16, ExtendRef<int32_t, int16_t>(false));
  Un(Op::I32x4ExtendHighI16x8S, Shape::kI16, ExtendRef<int32_t, int16_t>(true));
  Un(Op::I32x4ExtendLowI16x8U, Shape::kI16, ExtendRef<uint32_t, uint16_t>(false));
  Un(Op::I32x4ExtendHighI16x8U, Shape::kI16, ExtendRef<uint32_t, uint16_t>(true));
  Un(Op::I64x2ExtendLowI32x4S, Shape::kI32, ExtendRef<int64_t, int32_t>(false));
  Un(Op::I64x2ExtendHighI32x4S, Shape::kI32, ExtendRef<int64_t, int32_t>(true));
  Un(Op::I64x2ExtendLowI32x4U, Shape::kI32, ExtendRef<uint64_t, uint32_t>(false));
  Un(Op::I64x2ExtendHighI32x4U, Shape::kI32, ExtendRef<uint64_t, uint32_t>(true));
}

// out = saturate(a lanes) ++ saturate(b lanes), wide signed lanes W to narrow lanes N.
template <typename N, typename W>
VRef NarrowRef() {
  return [](const V128* in) {
    V128 out;
    for (int i = 0; i < kLanes<W>; ++i) {
      SetLane<N>(out, i, Sat<N>(Lane<W>(in[0], i)));
      SetLane<N>(out, i + kLanes<W>, Sat<N>(Lane<W>(in[1], i)));
    }
    return out;
  };
}

TEST(X64SimdInt2, Narrow) {
  Bin(Op::I8x16NarrowI16x8S, Shape::kI16, NarrowRef<int8_t, int16_t>());
  Bin(Op::I8x16NarrowI16x8U, Shape::kI16, NarrowRef<uint8_t, int16_t>());
  Bin(Op::I16x8NarrowI32x4S, Shape::kI32, NarrowRef<int16_t, int32_t>());
  Bin(Op::I16x8NarrowI32x4U, Shape::kI32, NarrowRef<uint16_t, int32_t>());
}

// out[i] = W(a[i + first]) * W(b[i + first]) (wrapping in W).
template <typename W, typename N>
VRef ExtmulRef(bool high) {
  return [high](const V128* in) {
    V128 out;
    int first = high ? kLanes<W> : 0;
    for (int i = 0; i < kLanes<W>; ++i) {
      int64_t x = Lane<N>(in[0], i + first), y = Lane<N>(in[1], i + first);
      SetLane<W>(out, i, static_cast<W>(static_cast<uint64_t>(x) * static_cast<uint64_t>(y)));
    }
    return out;
  };
}

TEST(X64SimdInt2, Extmul) {
  Bin(Op::I16x8ExtmulLowI8x16S, Shape::kI8, ExtmulRef<int16_t, int8_t>(false));
  Bin(Op::I16x8ExtmulHighI8x16S, Shape::kI8, ExtmulRef<int16_t, int8_t>(true));
  Bin(Op::I16x8ExtmulLowI8x16U, Shape::kI8, ExtmulRef<uint16_t, uint8_t>(false));
  Bin(Op::I16x8ExtmulHighI8x16U, Shape::kI8, ExtmulRef<uint16_t, uint8_t>(true));
  Bin(Op::I32x4ExtmulLowI16x8S, Shape::kI16, ExtmulRef<int32_t, int16_t>(false));
  Bin(Op::I32x4ExtmulHighI16x8S, Shape::kI16, ExtmulRef<int32_t, int16_t>(true));
  Bin(Op::I32x4ExtmulLowI16x8U, Shape::kI16, ExtmulRef<uint32_t, uint16_t>(false));
  Bin(Op::I32x4ExtmulHighI16x8U, Shape::kI16, ExtmulRef<uint32_t, uint16_t>(true));
  Bin(Op::I64x2ExtmulLowI32x4S, Shape::kI32, ExtmulRef<int64_t, int32_t>(false));
  Bin(Op::I64x2ExtmulHighI32x4S, Shape::kI32, ExtmulRef<int64_t, int32_t>(true));
  Bin(Op::I64x2ExtmulLowI32x4U, Shape::kI32, ExtmulRef<uint64_t, uint32_t>(false));
  Bin(Op::I64x2ExtmulHighI32x4U, Shape::kI32, ExtmulRef<uint64_t, uint32_t>(true));
}

// out[i] = W(a[2i]) + W(a[2i + 1]).
template <typename W, typename N>
VRef ExtaddRef() {
  return [](const V128* in) {
    V128 out;
    for (int i = 0; i < kLanes<W>; ++i) {
      SetLane<W>(out, i, W(W(Lane<N>(in[0], 2 * i)) + W(Lane<N>(in[0], 2 * i + 1))));
    }
    return out;
  };
}

TEST(X64SimdInt2, ExtaddPairwise) {
  Un(Op::I16x8ExtaddPairwiseI8x16S, Shape::kI8, ExtaddRef<int16_t, int8_t>());
  Un(Op::I16x8ExtaddPairwiseI8x16U, Shape::kI8, ExtaddRef<uint16_t, uint8_t>());
  Un(Op::I32x4ExtaddPairwiseI16x8S, Shape::kI16, ExtaddRef<int32_t, int16_t>());
  Un(Op::I32x4ExtaddPairwiseI16x8U, Shape::kI16, ExtaddRef<uint32_t, uint16_t>());
}

TEST(X64SimdInt2, Dot) {
  Bin(Op::I32x4DotI16x8S, Shape::kI16, [](const V128* in) {
    V128 out;
    for (int i = 0; i < 4; ++i) {
      int64_t s = 0;
      for (int j = 2 * i; j < 2 * i + 2; ++j) {
        s += int64_t{Lane<int16_t>(in[0], j)} * Lane<int16_t>(in[1], j);
      }
      SetLane<uint32_t>(out, i, static_cast<uint32_t>(s));  // 2 * 0x8000^2 wraps
    }
    return out;
  });
}

TEST(X64SimdInt2, Q15mulrSat) {
  Bin(Op::I16x8Q15mulrSatS, Shape::kI16, [](const V128* in) {
    return Map2<int16_t>(in[0], in[1], [](int16_t x, int16_t y) {
      return Sat<int16_t>((int64_t{x} * y + 0x4000) >> 15);
    });
  });
}

TEST(X64SimdInt2, Temps) {
  for (const IsaLevel& level : SimdLevels()) {
    x64::Masm m(level.cpu);
    for (Op op : {Op::I8x16Shl, Op::I8x16ShrS, Op::I8x16ShrU, Op::I64x2ShrS}) {
      EXPECT_EQ(m.SimdTemps(op), 1) << level.name << " " << wasm::OpText(op);
    }
    for (Op op : {Op::I16x8Shl, Op::I32x4ShrS, Op::I64x2ExtmulHighI32x4S, Op::I16x8Q15mulrSatS,
                  Op::I32x4ExtaddPairwiseI16x8U}) {
      EXPECT_EQ(m.SimdTemps(op), 0) << level.name << " " << wasm::OpText(op);
    }
  }
}

}  // namespace
}  // namespace wt::jit::testing
