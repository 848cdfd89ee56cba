// Scalar references for the SIMD Masm tests: lane access, per-lane maps, NaN classes, and the
// input vectors (edge lanes per shape, random vectors).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "jit/masm_simd.h"

namespace wt::jit::testing {

template <typename T>
T Lane(const V128& v, int i) {
  uint8_t bytes[16];
  std::memcpy(bytes, &v.lo, 8);
  std::memcpy(bytes + 8, &v.hi, 8);
  T x;
  std::memcpy(&x, bytes + i * sizeof(T), sizeof(T));
  return x;
}

template <typename T>
void SetLane(V128& v, int i, T x) {
  uint8_t bytes[16];
  std::memcpy(bytes, &v.lo, 8);
  std::memcpy(bytes + 8, &v.hi, 8);
  std::memcpy(bytes + i * sizeof(T), &x, sizeof(T));
  std::memcpy(&v.lo, bytes, 8);
  std::memcpy(&v.hi, bytes + 8, 8);
}

template <typename T>
constexpr int kLanes = static_cast<int>(16 / sizeof(T));

// out[i] = f(a[i]) (types of the result lanes R, the input lanes T).
template <typename R, typename T = R, typename F>
V128 Map1(const V128& a, F f) {
  static_assert(sizeof(R) == sizeof(T));
  V128 out;
  for (int i = 0; i < kLanes<T>; ++i) SetLane<R>(out, i, static_cast<R>(f(Lane<T>(a, i))));
  return out;
}

// out[i] = f(a[i], b[i]).
template <typename R, typename T = R, typename F>
V128 Map2(const V128& a, const V128& b, F f) {
  static_assert(sizeof(R) == sizeof(T));
  V128 out;
  for (int i = 0; i < kLanes<T>; ++i) {
    SetLane<R>(out, i, static_cast<R>(f(Lane<T>(a, i), Lane<T>(b, i))));
  }
  return out;
}

// Comparison results: all ones or zero.
template <typename T>
T Mask(bool b) {
  using U = std::make_unsigned_t<std::conditional_t<
      std::is_floating_point_v<T>, std::conditional_t<sizeof(T) == 4, int32_t, int64_t>, T>>;
  U u = b ? static_cast<U>(~U{0}) : U{0};
  T t;
  std::memcpy(&t, &u, sizeof(T));
  return t;
}

template <typename T>
using BitsOfT = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;

template <typename T>
BitsOfT<T> Bits(T f) {
  BitsOfT<T> b;
  std::memcpy(&b, &f, sizeof(T));
  return b;
}
template <typename T>
T FromBits(BitsOfT<T> b) {
  T f;
  std::memcpy(&f, &b, sizeof(T));
  return f;
}

// Wasm's NaN classes (sign ignored): canonical = quiet bit only; arithmetic = quiet bit set.
template <typename T>
bool IsCanonicalNan(T f) {
  constexpr int kMant = std::numeric_limits<T>::digits - 1;
  auto b = Bits(f) & ~(BitsOfT<T>{1} << (sizeof(T) * 8 - 1));
  auto canon = (~BitsOfT<T>{0} >> 1) & ~((BitsOfT<T>{1} << (kMant - 1)) - 1);
  return b == canon;
}
template <typename T>
bool IsArithmeticNan(T f) {
  constexpr int kMant = std::numeric_limits<T>::digits - 1;
  return std::isnan(f) && ((Bits(f) >> (kMant - 1)) & 1);
}

// Float lanes match: equal bits, or `want` is a NaN and `got` is an arithmetic NaN (the
// result the spec allows for arithmetic ops; tests that need canonical NaNs check so too).
template <typename T>
bool FloatLanesMatch(const V128& want, const V128& got) {
  for (int i = 0; i < kLanes<T>; ++i) {
    T w = Lane<T>(want, i), g = Lane<T>(got, i);
    if (std::isnan(w)) {
      if (!IsArithmeticNan(g)) return false;
    } else if (Bits(w) != Bits(g)) {
      return false;
    }
  }
  return true;
}

inline std::string Hex(const V128& v) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%016llx%016llx", static_cast<unsigned long long>(v.hi),
                static_cast<unsigned long long>(v.lo));
  return buf;
}

enum class Shape { kI8, kI16, kI32, kI64, kF32, kF64 };

// Interesting lane values per shape (as raw lane bits).
inline std::vector<uint64_t> EdgeLanes(Shape s) {
  switch (s) {
    case Shape::kI8:
      return {0, 1, 2, 0x7F, 0x80, 0x81, 0xFE, 0xFF, 0x40, 0x0F, 0xF0, 0x55};
    case Shape::kI16:
      return {0, 1, 2, 0x7FFF, 0x8000, 0x8001, 0xFFFE, 0xFFFF, 0x00FF, 0xFF00, 0x4000, 0x5555};
    case Shape::kI32:
      return {0,          1,          2,          0x7FFFFFFF, 0x80000000, 0x80000001,
              0xFFFFFFFE, 0xFFFFFFFF, 0x0000FFFF, 0xFFFF0000, 0x40000000, 0x55555555};
    case Shape::kI64:
      return {0,
              1,
              2,
              0x7FFFFFFFFFFFFFFFull,
              0x8000000000000000ull,
              0x8000000000000001ull,
              0xFFFFFFFFFFFFFFFEull,
              0xFFFFFFFFFFFFFFFFull,
              0x00000000FFFFFFFFull,
              0xFFFFFFFF00000000ull,
              0x0000000080000000ull,
              0x0000000100000000ull};
    case Shape::kF32: {
      std::vector<uint64_t> v;
      for (float f : {0.0f,
                      -0.0f,
                      1.0f,
                      -1.0f,
                      0.5f,
                      -1.5f,
                      2.5f,
                      3.5f,
                      1e-45f,
                      1.17549435e-38f,
                      3.4028235e38f,
                      -3.4028235e38f,
                      2147483520.0f,
                      2147483648.0f,
                      4294967040.0f,
                      4294967296.0f,
                      -2147483904.0f,
                      16777217.0f,
                      std::numeric_limits<float>::infinity(),
                      -std::numeric_limits<float>::infinity()}) {
        v.push_back(Bits(f));
      }
      for (uint32_t nan : {0x7FC00000u, 0xFFC00000u, 0x7FA00001u, 0x7F800001u, 0xFFFFFFFFu})
        v.push_back(nan);
      return v;
    }
    case Shape::kF64: {
      std::vector<uint64_t> v;
      for (double f : {0.0,
                       -0.0,
                       1.0,
                       -1.0,
                       0.5,
                       -1.5,
                       2.5,
                       3.5,
                       4.9e-324,
                       2.2250738585072014e-308,
                       1.7976931348623157e308,
                       -1.7976931348623157e308,
                       2147483647.0,
                       2147483648.0,
                       -2147483649.0,
                       4294967295.0,
                       4294967296.0,
                       9007199254740993.0,
                       std::numeric_limits<double>::infinity(),
                       -std::numeric_limits<double>::infinity()}) {
        v.push_back(Bits(f));
      }
      for (uint64_t nan : {0x7FF8000000000000ull, 0xFFF8000000000000ull, 0x7FF4000000000001ull,
                           0x7FF0000000000001ull, 0xFFFFFFFFFFFFFFFFull})
        v.push_back(nan);
      return v;
    }
  }
  return {};
}

inline int LaneBytes(Shape s) {
  switch (s) {
    case Shape::kI8:
      return 1;
    case Shape::kI16:
      return 2;
    case Shape::kI32:
    case Shape::kF32:
      return 4;
    case Shape::kI64:
    case Shape::kF64:
      return 8;
  }
  return 1;
}

inline void SetLaneBits(V128& v, Shape s, int i, uint64_t bits) {
  switch (LaneBytes(s)) {
    case 1:
      return SetLane<uint8_t>(v, i, static_cast<uint8_t>(bits));
    case 2:
      return SetLane<uint16_t>(v, i, static_cast<uint16_t>(bits));
    case 4:
      return SetLane<uint32_t>(v, i, static_cast<uint32_t>(bits));
    default:
      return SetLane<uint64_t>(v, i, bits);
  }
}

// Input vectors for an op on `shape`: every edge lane value appears in every lane position
// against every other (vectors built from rotations of the edge list with different strides),
// then `random` vectors mixing random bits and edge lanes. Deterministic (fixed seed).
inline std::vector<V128> InputVectors(Shape shape, int random = 1000, uint32_t seed = 12345) {
  std::vector<uint64_t> edges = EdgeLanes(shape);
  int lanes = 16 / LaneBytes(shape);
  int n = static_cast<int>(edges.size());
  std::vector<V128> out;
  for (int stride = 1; stride <= 3; ++stride) {
    for (int k = 0; k < n; ++k) {
      V128 v;
      for (int i = 0; i < lanes; ++i) SetLaneBits(v, shape, i, edges[(k + i * stride) % n]);
      out.push_back(v);
    }
  }
  std::mt19937_64 rng(seed);
  for (int r = 0; r < random; ++r) {
    V128 v{rng(), rng()};
    for (int i = 0; i < lanes; ++i) {
      if (rng() % 4 == 0) SetLaneBits(v, shape, i, edges[rng() % n]);
    }
    out.push_back(v);
  }
  return out;
}

}  // namespace wt::jit::testing
