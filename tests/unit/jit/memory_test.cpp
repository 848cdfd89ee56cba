// The baseline JIT: memory loads and stores, memory.size, globals, call_indirect, imported
// host functions, register pressure.
#include <gtest/gtest.h>

#include <cstring>

#include "jit_test_util.h"

namespace wt::jit::testing {
namespace {

TEST(JitMemory, LoadsAndStores) {
  WT_JIT(m, R"((module
    (memory 1)
    (data (i32.const 16) "\01\02\03\04\05\06\07\08\ff\fe")
    (func (export "load32") (param i32) (result i32) (i32.load (local.get 0)))
    (func (export "load64off") (param i32) (result i64) (i64.load offset=16 (local.get 0)))
    (func (export "load8s") (param i32) (result i32) (i32.load8_s (local.get 0)))
    (func (export "load8u") (param i32) (result i32) (i32.load8_u (local.get 0)))
    (func (export "load16s64") (param i32) (result i64) (i64.load16_s (local.get 0)))
    (func (export "load32u64") (param i32) (result i64) (i64.load32_u (local.get 0)))
    (func (export "load32s64") (param i32) (result i64) (i64.load32_s (local.get 0)))
    (func (export "constaddr") (result i32) (i32.load16_u offset=2 (i32.const 16)))
    (func (export "store") (param i32 i64)
      (i64.store offset=100 (local.get 0) (local.get 1))
      (i32.store8 (i32.const 200) (i32.const 0x1ff)))
    (func (export "storef") (param i32 f64) (f64.store (local.get 0) (local.get 1)))
    (func (export "loadf") (param i32) (result f64) (f64.load (local.get 0)))
    (func (export "store16") (param i32 i32) (i32.store16 (local.get 0) (local.get 1)))
    (func (export "size") (result i32) (memory.size))
  ))");
  EXPECT_EQ(m.CallI32("load32", {I32(16)}), 0x04030201u);
  EXPECT_EQ(m.CallI64("load64off", {I32(0)}), 0x0807060504030201ull);
  EXPECT_EQ(m.CallI32("load8s", {I32(24)}), 0xFFFFFFFFu);
  EXPECT_EQ(m.CallI32("load8u", {I32(24)}), 0xFFu);
  EXPECT_EQ(m.CallI64("load16s64", {I32(24)}), 0xFFFFFFFFFFFFFEFFull);
  EXPECT_EQ(m.CallI64("load32u64", {I32(22)}), 0xFEFF0807ull);
  EXPECT_EQ(m.CallI64("load32s64", {I32(22)}), 0xFFFFFFFFFEFF0807ull);
  EXPECT_EQ(m.CallI32("constaddr"), 0x0403u);
  m.Call("store", {I32(8), I64(0x1122334455667788ull)});
  uint64_t v;
  std::memcpy(&v, m.memory() + 108, 8);
  EXPECT_EQ(v, 0x1122334455667788ull);
  EXPECT_EQ(m.memory()[200], 0xFF);
  m.Call("storef", {I32(300), F64(2.5)});
  EXPECT_EQ(m.Call("loadf", {I32(300)}).at(0).f64, 2.5);
  m.Call("store16", {I32(400), I32(0xABCD1234)});
  EXPECT_EQ(m.memory()[400], 0x34);
  EXPECT_EQ(m.memory()[401], 0x12);
  EXPECT_EQ(m.memory()[402], 0);
  EXPECT_EQ(m.CallI32("size"), 1u);
}

TEST(JitMemory, Globals) {
  WT_JIT(m, R"((module
    (global $a (mut i32) (i32.const 10))
    (global $b (mut f64) (f64.const 1.5))
    (global $c i64 (i64.const -1))
    (func (export "inc") (result i32)
      (global.set $a (i32.add (global.get $a) (i32.const 1)))
      (global.get $a))
    (func (export "scale") (param f64) (result f64)
      (global.set $b (f64.mul (global.get $b) (local.get 0)))
      (global.get $b))
    (func (export "c") (result i64) (global.get $c))
  ))");
  EXPECT_EQ(m.CallI32("inc"), 11u);
  EXPECT_EQ(m.CallI32("inc"), 12u);
  EXPECT_EQ(m.global(0).i32, 12u);
  EXPECT_EQ(m.Call("scale", {F64(2)}).at(0).f64, 3.0);
  EXPECT_EQ(m.global(1).f64, 3.0);
  EXPECT_EQ(m.CallI64("c"), ~0ull);
}

TEST(JitMemory, CallIndirectAndRefs) {
  WT_JIT(m, R"((module
    (type $ii (func (param i32) (result i32)))
    (table 4 funcref)
    (elem (i32.const 0) $double $square)
    (func $double (type $ii) (i32.mul (local.get 0) (i32.const 2)))
    (func $square (type $ii) (i32.mul (local.get 0) (local.get 0)))
    (func (export "apply") (param i32 i32) (result i32)
      (call_indirect (type $ii) (local.get 1) (local.get 0)))
    (func (export "size") (result i32) (table.size))
    (func (export "reffunc") (result i32) (ref.is_null (ref.func $square)))
  ))");
  EXPECT_EQ(m.CallI32("apply", {I32(0), I32(21)}), 42u);
  EXPECT_EQ(m.CallI32("apply", {I32(1), I32(9)}), 81u);
  EXPECT_EQ(m.CallI32("size"), 4u);
  EXPECT_EQ(m.CallI32("reffunc"), 0u);
}

uint32_t HostAdd(void* env, runtime::VMContext* caller, runtime::ValueSlot* args) noexcept {
  auto* calls = static_cast<int*>(env);
  ++*calls;
  EXPECT_NE(caller, nullptr);
  // (i32, i64, f64) -> (i64, f64)
  uint64_t sum = args[0].i32 + args[1].i64;
  double d = args[2].f64 * 2;
  args[0].i64 = sum;
  args[1].f64 = d;
  return 0;
}

TEST(JitMemory, HostImports) {
  int calls = 0;
  std::vector<runtime::HostFuncRecord> hosts = {{&HostAdd, &calls}};
  WT_JIT(m, R"((module
    (import "env" "add" (func $add (param i32 i64 f64) (result i64 f64)))
    (func (export "go") (param i32) (result i64)
      (local f64)
      (call $add (local.get 0) (i64.const 100) (f64.const 1.25))
      (local.set 1)
      (i64.add (i64.trunc_f64_s (local.get 1)))))
  )",
         hosts);
  EXPECT_EQ(m.CallI64("go", {I32(5)}), 107u);
  EXPECT_EQ(calls, 1);
  // The host stub recorded the calling wasm frame and the return address into it.
  EXPECT_NE(m.store_ctx().last_exit_fp, 0u);
  auto pc = m.store_ctx().last_exit_pc;
  const jit::CodeObject& code = *m.compiled().code;
  ASSERT_TRUE(code.Contains(pc));
  const jit::FuncRange* f = code.FindFunc(pc);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->func_index, 1u);
}

// More live values than registers: spills and reloads under pressure.
TEST(JitMemory, RegisterPressure) {
  std::string body;
  for (int i = 0; i < 40; ++i)
    body += "(i64.mul (local.get 0) (i64.const " + std::to_string(i + 1) + "))\n";
  for (int i = 0; i < 39; ++i) body += "(i64.add)\n";
  std::string fbody;
  for (int i = 0; i < 24; ++i)
    fbody += "(f64.mul (local.get 1) (f64.const " + std::to_string(i + 1) + "))\n";
  for (int i = 0; i < 23; ++i) fbody += "(f64.add)\n";
  std::string wat = "(module (func (export \"f\") (param i64 f64) (result i64)\n" + body +
                    ")\n(func (export \"g\") (param i64 f64) (result f64)\n" + fbody + "))";
  WT_JIT(m, wat);
  EXPECT_EQ(m.CallI64("f", {I64(3), F64(0)}), 3u * (40 * 41 / 2));
  EXPECT_EQ(m.Call("g", {I64(0), F64(0.5)}).at(0).f64, 0.5 * (24 * 25 / 2));
}

}  // namespace
}  // namespace wt::jit::testing
