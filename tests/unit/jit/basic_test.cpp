// The baseline JIT end to end: arithmetic, locals, control flow, calls, multi-value.
#include <gtest/gtest.h>

#include "jit_test_util.h"

namespace wt::jit::testing {
namespace {

TEST(JitBasic, ConstantsAndI32Arithmetic) {
  WT_JIT(m, R"((module
    (func (export "const") (result i32) (i32.const 42))
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "sub") (param i32 i32) (result i32) (i32.sub (local.get 0) (local.get 1)))
    (func (export "mul") (param i32 i32) (result i32) (i32.mul (local.get 0) (local.get 1)))
    (func (export "addimm") (param i32) (result i32) (i32.add (local.get 0) (i32.const -7)))
    (func (export "expr") (param i32 i32 i32) (result i32)
      (i32.xor (i32.and (local.get 0) (local.get 1))
               (i32.or (i32.shl (local.get 2) (i32.const 3)) (i32.shr_u (local.get 0) (local.get 2)))))
    (func (export "shl") (param i32 i32) (result i32) (i32.shl (local.get 0) (local.get 1)))
    (func (export "shr_s") (param i32 i32) (result i32) (i32.shr_s (local.get 0) (local.get 1)))
    (func (export "rotl") (param i32 i32) (result i32) (i32.rotl (local.get 0) (local.get 1)))
    (func (export "rotr") (param i32 i32) (result i32) (i32.rotr (local.get 0) (local.get 1)))
    (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
    (func (export "div_u") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
    (func (export "rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
    (func (export "rem_u") (param i32 i32) (result i32) (i32.rem_u (local.get 0) (local.get 1)))
    (func (export "clz") (param i32) (result i32) (i32.clz (local.get 0)))
    (func (export "ctz") (param i32) (result i32) (i32.ctz (local.get 0)))
    (func (export "popcnt") (param i32) (result i32) (i32.popcnt (local.get 0)))
    (func (export "lt_s") (param i32 i32) (result i32) (i32.lt_s (local.get 0) (local.get 1)))
    (func (export "lt_u") (param i32 i32) (result i32) (i32.lt_u (local.get 0) (local.get 1)))
    (func (export "eqz") (param i32) (result i32) (i32.eqz (local.get 0)))
    (func (export "ge_imm") (param i32) (result i32) (i32.ge_s (local.get 0) (i32.const 10)))
    (func (export "ext8") (param i32) (result i32) (i32.extend8_s (local.get 0)))
  ))");
  EXPECT_EQ(m.CallI32("const"), 42u);
  EXPECT_EQ(m.CallI32("add", {I32(2), I32(40)}), 42u);
  EXPECT_EQ(m.CallI32("add", {I32(0xFFFFFFFF), I32(2)}), 1u);
  EXPECT_EQ(m.CallI32("sub", {I32(2), I32(5)}), static_cast<uint32_t>(-3));
  EXPECT_EQ(m.CallI32("mul", {I32(6), I32(7)}), 42u);
  EXPECT_EQ(m.CallI32("addimm", {I32(10)}), 3u);
  uint32_t a = 0xF0F0AA55, b = 0x0FF0FF00, c = 5;
  EXPECT_EQ(m.CallI32("expr", {I32(a), I32(b), I32(c)}), (a & b) ^ ((c << 3) | (a >> c)));
  EXPECT_EQ(m.CallI32("shl", {I32(1), I32(33)}), 2u);
  EXPECT_EQ(m.CallI32("shr_s", {I32(0x80000000), I32(4)}), 0xF8000000u);
  EXPECT_EQ(m.CallI32("rotl", {I32(0x80000001), I32(1)}), 3u);
  EXPECT_EQ(m.CallI32("rotr", {I32(3), I32(1)}), 0x80000001u);
  EXPECT_EQ(m.CallI32("div_s", {I32(static_cast<uint32_t>(-7)), I32(2)}),
            static_cast<uint32_t>(-3));
  EXPECT_EQ(m.CallI32("div_s", {I32(0x80000000), I32(2)}), 0xC0000000u);
  EXPECT_EQ(m.CallI32("div_u", {I32(0xFFFFFFFE), I32(2)}), 0x7FFFFFFFu);
  EXPECT_EQ(m.CallI32("rem_s", {I32(static_cast<uint32_t>(-7)), I32(2)}),
            static_cast<uint32_t>(-1));
  EXPECT_EQ(m.CallI32("rem_s", {I32(0x80000000), I32(static_cast<uint32_t>(-1))}), 0u);
  EXPECT_EQ(m.CallI32("rem_u", {I32(7), I32(4)}), 3u);
  EXPECT_EQ(m.CallI32("clz", {I32(0)}), 32u);
  EXPECT_EQ(m.CallI32("clz", {I32(1)}), 31u);
  EXPECT_EQ(m.CallI32("ctz", {I32(0)}), 32u);
  EXPECT_EQ(m.CallI32("ctz", {I32(0x100)}), 8u);
  EXPECT_EQ(m.CallI32("popcnt", {I32(0xFF00FF)}), 16u);
  EXPECT_EQ(m.CallI32("lt_s", {I32(static_cast<uint32_t>(-1)), I32(0)}), 1u);
  EXPECT_EQ(m.CallI32("lt_u", {I32(static_cast<uint32_t>(-1)), I32(0)}), 0u);
  EXPECT_EQ(m.CallI32("eqz", {I32(0)}), 1u);
  EXPECT_EQ(m.CallI32("eqz", {I32(5)}), 0u);
  EXPECT_EQ(m.CallI32("ge_imm", {I32(10)}), 1u);
  EXPECT_EQ(m.CallI32("ge_imm", {I32(9)}), 0u);
  EXPECT_EQ(m.CallI32("ext8", {I32(0x80)}), 0xFFFFFF80u);
}

TEST(JitBasic, I64Arithmetic) {
  WT_JIT(m, R"((module
    (func (export "add") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
    (func (export "mul") (param i64 i64) (result i64) (i64.mul (local.get 0) (local.get 1)))
    (func (export "big") (result i64) (i64.add (i64.const 0x123456789A) (i64.const 0x7FFFFFFFFFFFFFFF)))
    (func (export "addbig") (param i64) (result i64) (i64.add (local.get 0) (i64.const 0x100000000)))
    (func (export "div_s") (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1)))
    (func (export "rem_u") (param i64 i64) (result i64) (i64.rem_u (local.get 0) (local.get 1)))
    (func (export "shr_u") (param i64 i64) (result i64) (i64.shr_u (local.get 0) (local.get 1)))
    (func (export "clz") (param i64) (result i64) (i64.clz (local.get 0)))
    (func (export "ctz") (param i64) (result i64) (i64.ctz (local.get 0)))
    (func (export "eq") (param i64 i64) (result i32) (i64.eq (local.get 0) (local.get 1)))
    (func (export "gt_u") (param i64 i64) (result i32) (i64.gt_u (local.get 0) (local.get 1)))
    (func (export "wrap") (param i64) (result i32) (i32.wrap_i64 (local.get 0)))
    (func (export "ext_s") (param i32) (result i64) (i64.extend_i32_s (local.get 0)))
    (func (export "ext_u") (param i32) (result i64) (i64.extend_i32_u (local.get 0)))
    (func (export "ext32") (param i64) (result i64) (i64.extend32_s (local.get 0)))
    (func (export "wrapadd") (param i64) (result i64)
      (i64.extend_i32_u (i32.add (i32.wrap_i64 (local.get 0)) (i32.const 1))))
  ))");
  EXPECT_EQ(m.CallI64("add", {I64(1ull << 40), I64(5)}), (1ull << 40) + 5);
  EXPECT_EQ(m.CallI64("mul", {I64(0x100000001ull), I64(3)}), 0x300000003ull);
  EXPECT_EQ(m.CallI64("big"), 0x123456789Aull + 0x7FFFFFFFFFFFFFFFull);
  EXPECT_EQ(m.CallI64("addbig", {I64(1)}), 0x100000001ull);
  EXPECT_EQ(m.CallI64("div_s", {I64(static_cast<uint64_t>(-100)), I64(7)}),
            static_cast<uint64_t>(-14));
  EXPECT_EQ(m.CallI64("rem_u", {I64(100), I64(7)}), 2u);
  EXPECT_EQ(m.CallI64("shr_u", {I64(1ull << 63), I64(63 + 64)}), 1u);
  EXPECT_EQ(m.CallI64("clz", {I64(0)}), 64u);
  EXPECT_EQ(m.CallI64("clz", {I64(1)}), 63u);
  EXPECT_EQ(m.CallI64("ctz", {I64(1ull << 40)}), 40u);
  EXPECT_EQ(m.CallI32("eq", {I64(1ull << 40), I64(1ull << 40)}), 1u);
  EXPECT_EQ(m.CallI32("gt_u", {I64(static_cast<uint64_t>(-1)), I64(1)}), 1u);
  EXPECT_EQ(m.CallI32("wrap", {I64(0x1234567887654321ull)}), 0x87654321u);
  EXPECT_EQ(m.CallI64("ext_s", {I32(0x80000000)}), 0xFFFFFFFF80000000ull);
  EXPECT_EQ(m.CallI64("ext_u", {I32(0x80000000)}), 0x80000000ull);
  EXPECT_EQ(m.CallI64("ext32", {I64(0x80000000)}), 0xFFFFFFFF80000000ull);
  EXPECT_EQ(m.CallI64("wrapadd", {I64(0x1FFFFFFFFull)}), 0u);
}

TEST(JitBasic, LocalsAndLoops) {
  WT_JIT(m, R"((module
    (func (export "fact") (param i64) (result i64) (local i64)
      (local.set 1 (i64.const 1))
      (block $done
        (loop $l
          (br_if $done (i64.eqz (local.get 0)))
          (local.set 1 (i64.mul (local.get 1) (local.get 0)))
          (local.set 0 (i64.sub (local.get 0) (i64.const 1)))
          (br $l)))
      (local.get 1))
    (func (export "sum") (param i32) (result i32) (local i32 i32)
      (loop $l
        (local.set 1 (i32.add (local.get 1) (local.get 2)))
        (local.set 2 (i32.add (local.get 2) (i32.const 1)))
        (br_if $l (i32.le_u (local.get 2) (local.get 0))))
      (local.get 1))
    (func (export "tee") (param i32) (result i32) (local i32)
      (i32.add (local.tee 1 (i32.mul (local.get 0) (i32.const 3))) (local.get 1)))
    (func (export "zeroed") (result i64) (local i32 i64 f32 f64 i32 i32 i32 i32 i32 i32 i32 i64)
      (i64.add (local.get 11) (i64.extend_i32_u (local.get 10))))
  ))");
  EXPECT_EQ(m.CallI64("fact", {I64(10)}), 3628800u);
  EXPECT_EQ(m.CallI64("fact", {I64(0)}), 1u);
  EXPECT_EQ(m.CallI32("sum", {I32(100)}), 5050u);
  EXPECT_EQ(m.CallI32("tee", {I32(5)}), 30u);
  EXPECT_EQ(m.CallI64("zeroed"), 0u);
}

TEST(JitBasic, BlocksIfAndBrTable) {
  WT_JIT(m, R"((module
    (func (export "max") (param i32 i32) (result i32)
      (if (result i32) (i32.gt_s (local.get 0) (local.get 1))
        (then (local.get 0)) (else (local.get 1))))
    (func (export "abs") (param i32) (result i32)
      (if (i32.lt_s (local.get 0) (i32.const 0))
        (then (local.set 0 (i32.sub (i32.const 0) (local.get 0)))))
      (local.get 0))
    (func (export "blockval") (param i32) (result i32)
      (i32.add (i32.const 100)
        (block (result i32)
          (br_if 0 (i32.const 7) (local.get 0))
          (drop)
          (i32.const 9))))
    (func (export "switch") (param i32) (result i32)
      (block $d (block $c (block $b (block $a
        (br_table $a $b $c $d (local.get 0)))
        (return (i32.const 10)))
        (return (i32.const 11)))
        (return (i32.const 12)))
      (i32.const 13))
    (func (export "switchval") (param i32) (result i32)
      (block $out (result i32)
        (block $x (result i32)
          (br_table $x $out $x (i32.const 5) (local.get 0)))
        (i32.const 1000)
        (i32.add)))
    (func (export "nested") (param i32) (result i32) (local i32)
      (block $outer
        (loop $l
          (block $inner
            (br_if $inner (i32.and (local.get 0) (i32.const 1)))
            (local.set 1 (i32.add (local.get 1) (i32.const 10))))
          (local.set 1 (i32.add (local.get 1) (i32.const 1)))
          (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
          (br_if $l (i32.gt_s (local.get 0) (i32.const 0)))))
      (local.get 1))
    (func (export "unreach_after_br") (param i32) (result i32)
      (block (result i32)
        (br 0 (local.get 0))
        (i32.const 1) (i32.add) (drop) (i32.const 3)))
    (func (export "if_no_else_stackvals") (param i32) (result i32)
      (i32.const 5) (i32.const 6)
      (if (local.get 0) (then (nop)))
      (i32.add))
    (func (export "ret_in_loop") (param i32) (result i32)
      (loop $l
        (if (i32.gt_u (local.get 0) (i32.const 20)) (then (return (local.get 0))))
        (local.set 0 (i32.mul (local.get 0) (i32.const 2)))
        (br $l))
      (i32.const -1))
  ))");
  EXPECT_EQ(m.CallI32("max", {I32(3), I32(9)}), 9u);
  EXPECT_EQ(m.CallI32("max", {I32(12), I32(9)}), 12u);
  EXPECT_EQ(m.CallI32("abs", {I32(static_cast<uint32_t>(-5))}), 5u);
  EXPECT_EQ(m.CallI32("abs", {I32(6)}), 6u);
  EXPECT_EQ(m.CallI32("blockval", {I32(1)}), 107u);
  EXPECT_EQ(m.CallI32("blockval", {I32(0)}), 109u);
  EXPECT_EQ(m.CallI32("switch", {I32(0)}), 10u);
  EXPECT_EQ(m.CallI32("switch", {I32(1)}), 11u);
  EXPECT_EQ(m.CallI32("switch", {I32(2)}), 12u);
  EXPECT_EQ(m.CallI32("switch", {I32(3)}), 13u);
  EXPECT_EQ(m.CallI32("switch", {I32(99)}), 13u);
  EXPECT_EQ(m.CallI32("switchval", {I32(0)}), 1005u);
  EXPECT_EQ(m.CallI32("switchval", {I32(1)}), 5u);
  EXPECT_EQ(m.CallI32("switchval", {I32(7)}), 1005u);
  EXPECT_EQ(m.CallI32("nested", {I32(4)}), 24u);
  EXPECT_EQ(m.CallI32("unreach_after_br", {I32(77)}), 77u);
  EXPECT_EQ(m.CallI32("if_no_else_stackvals", {I32(1)}), 11u);
  EXPECT_EQ(m.CallI32("if_no_else_stackvals", {I32(0)}), 11u);
  EXPECT_EQ(m.CallI32("ret_in_loop", {I32(3)}), 24u);
}

TEST(JitBasic, Calls) {
  WT_JIT(m, R"((module
    (func $fib (export "fib") (param i32) (result i32)
      (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
        (then (local.get 0))
        (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                       (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
    (func $many (param i32 i64 f32 f64 i32 i64 f32 f64 i32 i32) (result f64)
      (f64.add
        (f64.add (f64.convert_i32_s (local.get 0)) (f64.convert_i64_s (local.get 1)))
        (f64.add
          (f64.add (f64.promote_f32 (local.get 2)) (local.get 3))
          (f64.add
            (f64.add (f64.convert_i32_s (local.get 4)) (f64.convert_i64_s (local.get 5)))
            (f64.add
              (f64.add (f64.promote_f32 (local.get 6)) (local.get 7))
              (f64.convert_i32_s (i32.sub (local.get 8) (local.get 9))))))))
    (func (export "many") (result f64)
      (call $many (i32.const 1) (i64.const 2) (f32.const 3) (f64.const 4) (i32.const 5)
                  (i64.const 6) (f32.const 7) (f64.const 8) (i32.const 100) (i32.const 1)))
    (func $keep (param i32) (result i32) (local.get 0))
    (func (export "live_across") (param i32) (result i32)
      (i32.add (i32.mul (local.get 0) (i32.const 3))
               (i32.add (call $keep (i32.const 10)) (local.get 0))))
  ))");
  EXPECT_EQ(m.CallI32("fib", {I32(20)}), 6765u);
  EXPECT_EQ(m.Call("many").at(0).f64, 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 99.0);
  EXPECT_EQ(m.CallI32("live_across", {I32(5)}), 30u);
}

TEST(JitBasic, MultiValue) {
  WT_JIT(m, R"((module
    (func $three (param i32) (result i32 i64 f64)
      (local.get 0) (i64.extend_i32_u (i32.mul (local.get 0) (i32.const 2))) (f64.const 1.5))
    (func (export "three") (param i32) (result i32 i64 f64) (call $three (local.get 0)))
    (func (export "combine") (param i32) (result i64) (local i64)
      (call $three (local.get 0))
      (drop)
      (local.set 1)
      (i64.add (i64.extend_i32_u) (local.get 1)))
    (func (export "swap") (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
    (func (export "blockparams") (param i32 i32) (result i32)
      (local.get 0) (local.get 1)
      (block (param i32 i32) (result i32) (i32.sub)))
    (func (export "loopparams") (param i32) (result i32)
      (i32.const 0) (local.get 0)
      (loop $l (param i32 i32) (result i32)
        ;; acc n -> acc+n n-1
        (local.set 0)
        (i32.add (local.get 0))
        (local.get 0) (i32.const 1) (i32.sub) (local.tee 0)
        (local.get 0)
        (br_if $l)
        (drop)))
    (func (export "ifparams") (param i32 i32) (result i32 i32)
      (local.get 0) (local.get 1)
      (if (param i32 i32) (result i32 i32) (i32.const 1)
        (then (i32.add (i32.const 1)))
        (else (drop) (i32.const 7))))
  ))");
  auto r = m.Call("three", {I32(21)});
  EXPECT_EQ(r.at(0).i32, 21u);
  EXPECT_EQ(r.at(1).i64, 42u);
  EXPECT_EQ(r.at(2).f64, 1.5);
  EXPECT_EQ(m.CallI64("combine", {I32(5)}), 15u);
  auto s = m.Call("swap", {I32(1), I32(2)});
  EXPECT_EQ(s.at(0).i32, 2u);
  EXPECT_EQ(s.at(1).i32, 1u);
  EXPECT_EQ(m.CallI32("blockparams", {I32(10), I32(3)}), 7u);
  EXPECT_EQ(m.CallI32("loopparams", {I32(4)}), 10u);
  auto t = m.Call("ifparams", {I32(10), I32(3)});
  EXPECT_EQ(t.at(0).i32, 10u);
  EXPECT_EQ(t.at(1).i32, 4u);
}

// Found by differential fuzzing against V8: a division (clobbering rax and rdx) had to move a
// cached local out of rax and a stack value out of rdx; the stack value was moved into rax.
TEST(JitBasic, EvictionAvoidsEveryClobberedRegister) {
  WT_JIT(m, R"((module
    (func $h (param i32 i64 f64) (result i64) (i64.extend_i32_s (local.get 0)))
    (func (export "run") (param i32 i32 i64 f64) (result i64)
      (local i64 i32 i32 i64 i64 i64 i64 i64 i32 i64 i64 i32 i32 f64 i64 i32 i64)
      (drop (local.tee 19 (i32.wrap_i64 (i64.shr_u (local.get 9)
                                                   (i64.trunc_sat_f64_s (local.get 17))))))
      (call $h (i32.le_s (local.get 12) (i32.shl (i32.const 0) (local.get 0)))
               (i64.shr_s (i64.div_u (local.get 11) (i64.or (local.get 20) (i64.const 1)))
                          (i64.extend_i32_s (local.get 12)))
               (f64.const 0))))
  )");
  EXPECT_EQ(m.CallI64("run", {I32(3), I32(static_cast<uint32_t>(-7)), I64(123456789), F64(2.5)}),
            1u);
}

// Atomics validate (3.0) but are not compiled. (Tail calls, then GC instructions played this
// part until [wasm3] and [wasmgc] compiled them.)
TEST(JitBasic, AtomicsAreUnsupported) {
  auto bytes = text::WatToBinary(
      R"((module (memory 1) (func $f (result i32) (i32.atomic.load (i32.const 0)))))", "at.wat");
  ASSERT_TRUE(bytes.ok());
  auto mod = wasm::ReadModule(std::move(*bytes));
  ASSERT_TRUE(mod.ok());
  auto c = CompileModule(*mod);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, ErrorKind::kUnsupported);
  EXPECT_EQ(c.error().message.rfind("unsupported feature: threads", 0), 0u) << c.error().message;
}

}  // namespace
}  // namespace wt::jit::testing
