// v128.any_true / i*x*.all_true fused with a following br_if / if (EmitCondition ->
// Masm::BranchSimd: ptest + jcc, no i32 materialized), checked for their results through the
// .wast runner on the SSE4.1 and AVX2 lowerings: every op in every consumer form (br_if taken
// and not taken, to a block, a loop and the function, with values carried; if/else, if without
// else carrying a param; select and eqz, which materialize the i32), in loops with the vector in
// a cached local, and on constant, owned and cached-local operands.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "jit/compiler.h"
#include "simd_wast_util.h"
#include "text/wat.h"
#include "wasm/reader.h"
#include "wasm/validator.h"
#include "wast/runner.h"

namespace wt::jit::testing {
namespace {

struct OpInfo {
  const char* name;
  int lane;  // bytes per lane; 0 for any_true
};
constexpr OpInfo kOps[] = {{"v128.any_true", 0},
                           {"i8x16.all_true", 1},
                           {"i16x8.all_true", 2},
                           {"i32x4.all_true", 4},
                           {"i64x2.all_true", 8}};

bool Ref(const OpInfo& op, const Bytes& v) {
  if (op.lane == 0) {
    for (uint8_t b : v)
      if (b != 0) return true;
    return false;
  }
  for (int i = 0; i < 16; i += op.lane) {
    bool nz = false;
    for (int j = 0; j < op.lane; ++j) nz = nz || v[i + j] != 0;
    if (!nz) return false;
  }
  return true;
}

// Bytes the loop test shifts out (i64x2.shr_u by 8) until the op's result changes, at most 9.
int LoopRef(const OpInfo& op, Bytes v) {
  bool start = Ref(op, v);
  int n = 0;
  while (n < 9) {
    ++n;
    for (int h = 0; h < 16; h += 8) {
      for (int j = 0; j < 7; ++j) v[h + j] = v[h + j + 1];
      v[h + 7] = 0;
    }
    if (Ref(op, v) != start) break;
  }
  return n;
}

std::vector<Bytes> Vectors() {
  std::vector<Bytes> out;
  Bytes z{};
  out.push_back(z);
  Bytes ones;
  ones.fill(1);
  out.push_back(ones);
  Bytes ff;
  ff.fill(0xFF);
  out.push_back(ff);
  for (int k : {0, 5, 15}) {  // one byte set; all but one byte set
    Bytes one{}, allbut = ones;
    one[k] = 0x80;
    allbut[k] = 0;
    out.push_back(one);
    out.push_back(allbut);
  }
  // Every lane of a width nonzero, with zero bytes inside it (all_true differs by width).
  for (int w : {2, 4, 8}) {
    Bytes b{};
    for (int i = 0; i < 16; i += w) b[i + w - 1] = 0x40;
    out.push_back(b);
  }
  std::mt19937 rng(14);
  for (int k = 0; k < 3; ++k) {
    Bytes b;
    for (auto& x : b) x = static_cast<uint8_t>(rng() % 3 == 0 ? 0 : rng());
    out.push_back(b);
  }
  return out;
}

std::string Script() {
  std::string mod = "(module\n", asserts;
  int fn = 0;
  for (const OpInfo& op : kOps) {
    const std::string O = std::string("(") + op.name + " ";
    struct Form {
      std::string body;  // a function of (param v128) (result i32) with local 1 v128, 2 i32
      int t, f;          // its result when op is true / false (-1: the loop count)
    };
    const std::vector<Form> forms = {
        // br_if to a block: taken when true, falls through when false.
        {"(block $b (br_if $b " + O + "(local.get 0))) (return (i32.const 0))) (i32.const 1)", 1,
         0},
        // br_if with the branch sense the other way round (skip over the return).
        {"(block $b (br_if $b (i32.eqz " + O +
             "(local.get 0)))) (return (i32.const 1))) "
             "(i32.const 0)",
         1, 0},
        // A value carried by the branch, in place.
        {"(block $b (result i32) (drop (br_if $b (i32.const 7) " + O +
             "(local.get 0)))) (i32.const 3))",
         7, 3},
        // Values carried that need moves (an i32 and a v128 above another value).
        {"(block $b (result i32) (i32.const 9) (i32.const 7) (br_if $b " + O +
             "(local.get 0))) (i32.add))",
         7, 16},
        {"(i32x4.extract_lane 0 (block $b (result v128) (v128.const i32x4 5 5 5 5) "
         "(local.get 0) (br_if $b " +
             O + "(local.get 0))) (drop)))",
         -2, 5},
        // br_if to the function.
        {"(drop (br_if 0 (i32.const 5) " + O + "(local.get 0)))) (i32.const 6)", 5, 6},
        // if/else with results.
        {"(if (result i32) " + O + "(local.get 0)) (then (i32.const 11)) (else (i32.const 22)))",
         11, 22},
        {"(if (result i32) (i32.eqz " + O +
             "(local.get 0))) (then (i32.const 11)) (else (i32.const 22)))",
         22, 11},
        {"(block $b (result i32) (i32.const 9) (i32.const 7) (br_if $b (i32.eqz " + O +
             "(local.get 0)))) (i32.add))",
         16, 7},
        // if without else, carrying a param through.
        {"(i32.const 5) " + O +
             "(local.get 0)) (if (param i32) (result i32) (then (i32.const 1) (i32.add)))",
         6, 5},
        // The operand an owned register and a constant (true for every op).
        {"(if (result i32) " + O +
             "(v128.not (v128.not (local.get 0)))) (then (i32.const 1)) "
             "(else (i32.const 0)))",
         1, 0},
        {"(i32.add (if (result i32) " + O +
             "(v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)) (then (i32.const 10)) "
             "(else (i32.const 20))) (select (i32.const 1) (i32.const 0) " +
             O + "(local.get 0))))",
         11, 10},
        // Materialized: returned, eqz, select.
        {O + "(local.get 0))", 1, 0},
        {"(i32.add (i32.eqz " + O + "(local.get 0))) (i32.shl " + O +
             "(local.get 0)) (i32.const 1)))",
         2, 1},
        // In a loop, the vector a local (cached across the loop): shift bytes out until the
        // result changes (br_if back to the loop on the starting sense), counting.
        {"(local.set 1 (local.get 0)) (local.set 3 " + O +
             "(local.get 1)))\n"
             "  (if (local.get 3) (then (loop $l\n"
             "    (local.set 1 (i64x2.shr_u (local.get 1) (i32.const 8)))\n"
             "    (local.set 2 (i32.add (local.get 2) (i32.const 1)))\n"
             "    (br_if 1 (i32.ge_u (local.get 2) (i32.const 9)))\n"
             "    (br_if $l " +
             O +
             "(local.get 1)))))\n"
             "  (else (loop $m\n"
             "    (local.set 1 (i64x2.shr_u (local.get 1) (i32.const 8)))\n"
             "    (local.set 2 (i32.add (local.get 2) (i32.const 1)))\n"
             "    (if " +
             O +
             "(local.get 1)) (then (return (local.get 2))))\n"
             "    (br_if $m (i32.lt_u (local.get 2) (i32.const 9))))))\n"
             "  (local.get 2)",
         -1, -1},
    };
    for (const Form& f : forms) {
      std::string name = "f";
      name += std::to_string(fn++);
      mod += "(func (export \"" + name + "\") (param v128) (result i32) (local v128 i32 i32)\n  " +
             f.body + ")\n";
      for (const Bytes& v : Vectors()) {
        bool r = Ref(op, v);
        int want;
        if (f.t == -1) {
          want = LoopRef(op, v);
        } else if (f.t == -2) {  // lane 0 of the vector when true
          want = r ? static_cast<int>(v[0] | v[1] << 8 | v[2] << 16 |
                                      static_cast<uint32_t>(v[3]) << 24)
                   : f.f;
        } else {
          want = r ? f.t : f.f;
        }
        asserts += "(assert_return (invoke \"" + name + "\" " + Const(v) + ") (i32.const " +
                   std::to_string(static_cast<int32_t>(want)) + "))\n";
      }
    }
  }
  return mod + ")\n" + asserts;
}

TEST(SimdBranch, FusedWithBrIfAndIf) {
  ExpectWastPassesOnSimdIsas(Script(), "simd_branch.wast");
}

// The br_if / if read ahead to fuse with any_true / all_true is validated before any code is
// emitted for it: compiling with validate_bodies reports the validator's error.
TEST(SimdBranch, InvalidBranchFusedWithVectorTest) {
  const char* kBodies[] = {
      "(block (br_if 5 (v128.any_true (local.get 0))))",
      "(block (result i64) (br_if 0 (i32.const 1) (i8x16.all_true (local.get 0))) drop "
      "(i64.const 0)) drop",
      "local.get 0 i64x2.all_true if (type 9) end",
      "local.get 0 v128.any_true if (result i32) (i64.const 1) end drop",
  };
  const wasm::Features f = wasm::Features::Wasm20();
  for (const char* body : kBodies) {
    std::string text = std::string("(module (func (param v128) ") + body + "))";
    auto bytes = text::WatToBinary(text, "invalid.wat");
    ASSERT_TRUE(bytes.ok()) << bytes.error().message;
    wasm::ReadOptions ro;
    ro.features = f;
    ro.check_code_syntax = false;
    auto m = wasm::ReadModule(*bytes, ro);
    ASSERT_TRUE(m.ok()) << m.error().message;
    wasm::ValidateOptions vo;
    vo.features = f;
    Status want = wasm::ValidateModule(*m, vo);
    ASSERT_FALSE(want.ok()) << body;
    wasm::TypeContext types;
    ASSERT_TRUE(wasm::ValidateModuleDecls(*m, vo, &types).ok());
    CompileOptions co;
    co.features = f;
    co.validate_bodies = &types;
    auto got = CompileModule(*m, co);
    ASSERT_FALSE(got.ok()) << body;
    EXPECT_EQ(got.error().message, want.error().message) << body;
    EXPECT_EQ(got.error().offset, want.error().offset) << body;
  }
}

}  // namespace
}  // namespace wt::jit::testing
