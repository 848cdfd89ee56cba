// Compiler-level SIMD rewrites (compiler_simd.h), checked for their results through the .wast
// runner on the SSE4.1 and AVX2 lowerings: i8x16.shuffle with a constant all-zero operand
// (clang's zero-extension idiom) is compiled as a one-input shuffle with zero lanes.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "jit/compiler.h"
#include "simd_wast_util.h"
#include "wast/runner.h"

namespace wt::jit::testing {
namespace {

std::string LaneText(const Bytes& l) {
  std::string s;
  for (uint8_t x : l) s.append(" ").append(std::to_string(x));
  return s;
}

Bytes Ref(const Bytes& l, const Bytes& a, const Bytes& b) {
  Bytes r{};
  for (int i = 0; i < 16; ++i) r[i] = l[i] < 16 ? a[l[i]] : b[l[i] - 16];
  return r;
}

// Patterns with the zero operand second (lanes >= 16 pick zeros): the zero extensions clang
// emits (low and high halves), movq, byte shifts, all-zero, all-x, and random ones.
std::vector<Bytes> Patterns() {
  std::vector<Bytes> out;
  for (int from : {1, 2, 4}) {
    for (int to : {2, 4, 8}) {
      if (to <= from) continue;
      for (int base : {0, 8}) {
        Bytes l{};
        for (int i = 0; i < 16; ++i) {
          int k = i / to, j = i % to;
          l[i] = static_cast<uint8_t>(j < from ? base + k * from + j : 16 + i);
        }
        out.push_back(l);
      }
    }
  }
  Bytes movq{}, zeros{}, id{};
  for (int i = 0; i < 16; ++i) {
    movq[i] = static_cast<uint8_t>(i < 8 ? i : 16 + i);
    zeros[i] = static_cast<uint8_t>(16 + (i * 7) % 16);
    id[i] = static_cast<uint8_t>(i);
  }
  out.push_back(movq);
  out.push_back(zeros);
  out.push_back(id);
  for (int n : {1, 4, 15}) {
    Bytes r{}, s{};
    for (int i = 0; i < 16; ++i) {
      r[i] = static_cast<uint8_t>(i < 16 - n ? i + n : 16);
      s[i] = static_cast<uint8_t>(i < n ? 31 : i - n);
    }
    out.push_back(r);
    out.push_back(s);
  }
  std::mt19937 rng(14);
  for (int k = 0; k < 12; ++k) {
    Bytes l{};
    for (uint8_t& x : l) x = static_cast<uint8_t>(rng() % 32);
    out.push_back(l);
  }
  return out;
}

Bytes Swapped(const Bytes& l) {
  Bytes s{};
  for (int i = 0; i < 16; ++i) s[i] = static_cast<uint8_t>(l[i] ^ 16);
  return s;
}

// One function per pattern and operand form; each asserts against Ref.
std::string Script() {
  const std::vector<Bytes> pats = Patterns();
  Bytes x{}, nz{};
  for (int i = 0; i < 16; ++i) {
    x[i] = static_cast<uint8_t>(0x81 + 13 * i);
    nz[i] = static_cast<uint8_t>(i == 9 ? 1 : 0);
  }
  Bytes x2{};
  for (int i = 0; i < 16; ++i) x2[i] = static_cast<uint8_t>(2 * x[i]);
  const Bytes zero{};
  const std::string zc = "(v128.const i64x2 0 0)";
  std::string mod = "(module\n";
  std::string asserts;
  auto add = [&](const std::string& name, const std::string& params, const std::string& locals,
                 const std::string& body, const std::string& args, const Bytes& want) {
    mod += "(func (export \"" + name + "\")" + params + " (result v128)" + locals + "\n  " + body +
           ")\n";
    asserts += "(assert_return (invoke \"" + name + "\"" + args + ") " + Const(want) + ")\n";
  };
  for (size_t p = 0; p < pats.size(); ++p) {
    const Bytes& l = pats[p];
    const Bytes sw = Swapped(l);
    const std::string P = std::to_string(p), L = LaneText(l), S = LaneText(sw);
    const std::string px = " (param v128)", ax = std::string(" ").append(Const(x));
    // The zero constant second / first (the other operand a cached local).
    add("zb" + P, px, "", "(i8x16.shuffle" + L + " (local.get 0) " + zc + ")", ax, Ref(l, x, zero));
    add("za" + P, px, "", "(i8x16.shuffle" + S + " " + zc + " (local.get 0))", ax,
        Ref(sw, zero, x));
    // The other operand a register the op owns (a computed value).
    add("ob" + P, px, "",
        "(i8x16.shuffle" + L + " (i8x16.add (local.get 0) (local.get 0)) " + zc + ")", ax,
        Ref(l, x2, zero));
    add("oa" + P, px, "",
        "(i8x16.shuffle" + S + " " + zc + " (i8x16.add (local.get 0) (local.get 0)))", ax,
        Ref(sw, zero, x2));
    // Both zero: a splat of 0 (folded to a constant) and a v128.const.
    add("zz" + P, "", "", "(i8x16.shuffle" + L + " (i32x4.splat (i32.const 0)) " + zc + ")", "",
        zero);
    // A zero that is not a constant: a v128 local (default zero) and a zero argument.
    add("lb" + P, px, " (local v128)", "(i8x16.shuffle" + L + " (local.get 0) (local.get 1))", ax,
        Ref(l, x, zero));
    add("pa" + P, " (param v128 v128)", "", "(i8x16.shuffle" + S + " (local.get 1) (local.get 0))",
        ax + " " + Const(zero), Ref(sw, zero, x));
    // A constant that is almost zero keeps the two-input lowering.
    add("nz" + P, px, "", "(i8x16.shuffle" + L + " (local.get 0) " + Const(nz) + ")", ax,
        Ref(l, x, nz));
    add("na" + P, px, "", "(i8x16.shuffle" + S + " " + Const(nz) + " (local.get 0))", ax,
        Ref(sw, nz, x));
  }
  // The zero-extension idiom in a loop with live values across iterations (as bytesum_auto):
  // sum of u8 lanes via u8 -> u32 widening shuffles.
  mod +=
      "(func (export \"sum\") (param v128 i32) (result v128) (local v128)\n"
      "  (loop $l\n"
      "    (local.set 2 (i32x4.add (local.get 2) (i8x16.shuffle 0 16 17 18 1 19 20 21 2 22 23 "
      "24 3 25 26 27 (local.get 0) (v128.const i64x2 0 0))))\n"
      "    (local.set 2 (i32x4.add (local.get 2) (i8x16.shuffle 28 0 1 2 29 3 4 5 30 6 7 8 31 9 "
      "10 11 (v128.const i64x2 0 0) (local.get 0))))\n"
      "    (br_if $l (local.tee 1 (i32.sub (local.get 1) (i32.const 1)))))\n"
      "  (local.get 2))\n";
  Bytes sum{};
  for (int k = 0; k < 4; ++k) {
    uint32_t s = 3u * (x[k] + x[12 + k]);
    for (int j = 0; j < 4; ++j) sum[4 * k + j] = static_cast<uint8_t>(s >> (8 * j));
  }
  asserts += "(assert_return (invoke \"sum\" " + Const(x) + " (i32.const 3)) " + Const(sum) + ")\n";
  return mod + ")\n" + asserts;
}

TEST(SimdCompilerOpt, ShuffleWithZeroOperand) {
  ExpectWastPassesOnSimdIsas(Script(), "zero_shuffle.wast");
}

}  // namespace
}  // namespace wt::jit::testing
