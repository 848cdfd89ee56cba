// The baseline JIT: comparisons fused with what consumes them — float compare + br_if / if
// (NaN through the parity flag, both branch senses) and integer compare + select (cmp +
// cmov, register and immediate right-hand sides, eqz) — against the materialized comparison
// and a C++ reference, over inputs that include NaN, infinities, signed zeros and the integer
// boundaries.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "jit_test_util.h"

namespace wt::jit::testing {
namespace {

const char* const kFloatOps[] = {"eq", "ne", "lt", "gt", "le", "ge"};

bool FloatRef(const std::string& op, double x, double y) {
  if (op == "eq") return x == y;
  if (op == "ne") return x != y;
  if (op == "lt") return x < y;
  if (op == "gt") return x > y;
  if (op == "le") return x <= y;
  return x >= y;
}

// For each float type and comparison: the comparison materialized, and consumed by `if`,
// by br_if with no values (the branch taken on true), by br_if carrying a value (the
// negated branch around the moves), by br_if in a loop, and by `select` of i32 values.
std::string FloatModule() {
  std::string w = "(module\n";
  for (const char* t : {"f32", "f64"}) {
    for (const char* op : kFloatOps) {
      std::string cmp = std::string("(") + t + "." + op + " (local.get 0) (local.get 1))";
      std::string sig = std::string("(param ") + t + " " + t + ") (result i32)";
      std::string n = std::string(t) + "_" + op;
      w += "(func (export \"m_" + n + "\") " + sig + " " + cmp + ")\n";
      w += "(func (export \"if_" + n + "\") " + sig + " (if (result i32) " + cmp +
           " (then (i32.const 11)) (else (i32.const 22))))\n";
      w += "(func (export \"br_" + n + "\") " + sig + " (block (br_if 0 " + cmp +
           ") (return (i32.const 22))) (i32.const 11))\n";
      w += "(func (export \"brv_" + n + "\") " + sig + " (block (result i32) (drop (br_if 0 " +
           "(i32.const 11) " + cmp + ")) (i32.const 22)))\n";
      // Counts down from 3 while the comparison holds: 3 - (iterations) tells how often the
      // back edge was taken (0 or 3: the operands do not change).
      w += "(func (export \"loop_" + n + "\") " + sig + " (local i32) (local.set 2 " +
           "(i32.const 3)) (block (loop (br_if 1 (i32.eqz (local.get 2))) (local.set 2 " +
           "(i32.sub (local.get 2) (i32.const 1))) (br_if 0 " + cmp + "))) (local.get 2))\n";
      w += "(func (export \"sel_" + n + "\") " + sig + " (select (i32.const 11) (i32.const 22) " +
           cmp + "))\n";
    }
  }
  return w + ")";
}

TEST(JitFusedCompare, FloatBranchesMatchTheComparison) {
  WT_JIT(m, FloatModule());
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> values = {nan, -nan, -inf, -1.5, -0.0, 0.0, 1.5, 2.0, inf};
  int checked = 0;
  for (const char* t : {"f32", "f64"}) {
    bool f32 = std::string(t) == "f32";
    for (const char* op : kFloatOps) {
      std::string n = std::string(t) + "_" + op;
      for (double x : values) {
        for (double y : values) {
          std::vector<runtime::ValueSlot> args =
              f32 ? std::vector{F32(static_cast<float>(x)), F32(static_cast<float>(y))}
                  : std::vector{F64(x), F64(y)};
          bool want = FloatRef(op, x, y);
          SCOPED_TRACE(n + "(" + std::to_string(x) + ", " + std::to_string(y) + ")");
          EXPECT_EQ(m.CallI32("m_" + n, args), want ? 1u : 0u);
          EXPECT_EQ(m.CallI32("if_" + n, args), want ? 11u : 22u);
          EXPECT_EQ(m.CallI32("br_" + n, args), want ? 11u : 22u);
          EXPECT_EQ(m.CallI32("brv_" + n, args), want ? 11u : 22u);
          EXPECT_EQ(m.CallI32("loop_" + n, args), want ? 0u : 2u);
          EXPECT_EQ(m.CallI32("sel_" + n, args), want ? 11u : 22u);
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 2 * 6 * 81);
}

const char* const kIntOps[] = {"eq",   "ne",   "lt_s", "lt_u", "gt_s",
                               "gt_u", "le_s", "le_u", "ge_s", "ge_u"};

template <typename T>
bool IntRef(const std::string& op, T x, T y) {
  using S = std::make_signed_t<T>;
  auto sx = static_cast<S>(x), sy = static_cast<S>(y);
  if (op == "eq") return x == y;
  if (op == "ne") return x != y;
  if (op == "lt_s") return sx < sy;
  if (op == "lt_u") return x < y;
  if (op == "gt_s") return sx > sy;
  if (op == "gt_u") return x > y;
  if (op == "le_s") return sx <= sy;
  if (op == "le_u") return x <= y;
  if (op == "ge_s") return sx >= sy;
  return x >= y;
}

// select on an integer comparison: i32 and i64 comparisons (register and constant right-hand
// side, eqz), selecting i32, i64 (cmov) and f64 (materialized) values; also a selected value
// that is a constant and one that is the comparison's own operand.
std::string IntModule() {
  std::string w = "(module\n";
  for (const char* t : {"i32", "i64"}) {
    for (const char* op : kIntOps) {
      std::string n = std::string(t) + "_" + op;
      std::string cmp = std::string("(") + t + "." + op + " (local.get 0) (local.get 1))";
      std::string cmpk = std::string("(") + t + "." + op + " (local.get 0) (" + t + ".const -5))";
      std::string p = std::string("(param ") + t + " " + t;
      w += "(func (export \"s32_" + n + "\") " + p + " i32 i32) (result i32) (select " +
           "(local.get 2) (local.get 3) " + cmp + "))\n";
      w += "(func (export \"s64_" + n + "\") " + p + " i64 i64) (result i64) (select " +
           "(local.get 2) (local.get 3) " + cmp + "))\n";
      w += "(func (export \"sf_" + n + "\") " + p + " f64 f64) (result f64) (select " +
           "(local.get 2) (local.get 3) " + cmp + "))\n";
      w += "(func (export \"sk_" + n + "\") " + p + ") (result i32) (select (i32.const 11) " +
           "(i32.const 22) " + cmpk + "))\n";
      w += "(func (export \"so_" + n + "\") " + p + ") (result " + t + ") (select " +
           "(local.get 0) (local.get 1) " + cmp + "))\n";
    }
    w += std::string("(func (export \"eqz_") + t + "\") (param " + t +
         " i32 i32) (result i32) (select (local.get 1) (local.get 2) (" + t +
         ".eqz (local.get 0))))\n";
  }
  return w + ")";
}

TEST(JitFusedCompare, IntegerSelectMatchesTheComparison) {
  WT_JIT(m, IntModule());
  const std::vector<uint64_t> values = {
      0,          1,          5,           uint64_t(-5),       uint64_t(-1),      0x7fffffff,
      0x80000000, 0xffffffff, 0x100000000, 0x7fffffffffffffff, 0x8000000000000000};
  int checked = 0;
  for (const char* t : {"i32", "i64"}) {
    bool w64 = std::string(t) == "i64";
    for (const char* op : kIntOps) {
      std::string n = std::string(t) + "_" + op;
      for (uint64_t x : values) {
        for (uint64_t y : values) {
          auto arg = [&](uint64_t v) { return w64 ? I64(v) : I32(static_cast<uint32_t>(v)); };
          bool want =
              w64 ? IntRef<uint64_t>(op, x, y)
                  : IntRef<uint32_t>(op, static_cast<uint32_t>(x), static_cast<uint32_t>(y));
          bool want_k = w64 ? IntRef<uint64_t>(op, x, uint64_t(-5))
                            : IntRef<uint32_t>(op, static_cast<uint32_t>(x), uint32_t(-5));
          SCOPED_TRACE(n + "(" + std::to_string(x) + ", " + std::to_string(y) + ")");
          EXPECT_EQ(m.CallI32("s32_" + n, {arg(x), arg(y), I32(111), I32(222)}),
                    want ? 111u : 222u);
          EXPECT_EQ(m.CallI64("s64_" + n, {arg(x), arg(y), I64(1ull << 40), I64(7)}),
                    want ? (1ull << 40) : 7u);
          EXPECT_EQ(m.Call("sf_" + n, {arg(x), arg(y), F64(1.5), F64(-2.5)}).at(0).f64,
                    want ? 1.5 : -2.5);
          EXPECT_EQ(m.CallI32("sk_" + n, {arg(x), arg(y)}), want_k ? 11u : 22u);
          uint64_t so = m.Call("so_" + n, {arg(x), arg(y)}).at(0).i64;
          if (!w64) so = static_cast<uint32_t>(so);
          uint64_t so_want = want ? x : y;
          if (!w64) so_want = static_cast<uint32_t>(so_want);
          EXPECT_EQ(so, so_want);
          ++checked;
        }
      }
    }
    for (uint64_t x : values) {
      auto arg = w64 ? I64(x) : I32(static_cast<uint32_t>(x));
      bool zero = w64 ? x == 0 : static_cast<uint32_t>(x) == 0;
      EXPECT_EQ(m.CallI32(std::string("eqz_") + t, {arg, I32(1), I32(2)}), zero ? 1u : 2u);
    }
  }
  EXPECT_EQ(checked, 2 * 10 * 121);
}

}  // namespace
}  // namespace wt::jit::testing
