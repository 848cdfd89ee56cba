// Traps raised by JIT code, end to end through the runtime: out-of-line trap stubs, guard-page
// faults at recorded trap sites, call_indirect checks, the prologue's stack check.
#include <gtest/gtest.h>

#include "../runtime/runtime_test_util.h"
#include "runtime/runtime.h"

namespace wt::runtime::testing {
namespace {

class JitTrapTest : public ::testing::Test {
 protected:
  void Load(std::string_view wat) {
    inst_ = Instantiate(linker_, store_, wat);
    ASSERT_NE(inst_, nullptr);
  }
  InvokeResult Run(std::string_view name, std::vector<Value> args = {}) {
    Func* f = inst_->GetFunc(name);
    EXPECT_NE(f, nullptr) << name;
    auto r = Invoke(store_, *f, args);
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r.ok() ? std::move(*r) : InvokeResult{};
  }
  void ExpectTrap(std::string_view name, std::vector<Value> args, TrapCode code) {
    InvokeResult r = Run(name, std::move(args));
    ASSERT_TRUE(r.trap.has_value()) << name << ": no trap";
    EXPECT_EQ(r.trap->code, code) << name << ": " << TrapMessage(r.trap->code);
  }

  Store store_;
  Linker linker_;
  Instance* inst_ = nullptr;
};

TEST_F(JitTrapTest, ArithmeticTraps) {
  Load(R"((module
    (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
    (func (export "rem_u64") (param i64 i64) (result i64) (i64.rem_u (local.get 0) (local.get 1)))
    (func (export "div_s64") (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1)))
    (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
    (func (export "trunc_u64") (param f32) (result i64) (i64.trunc_f32_u (local.get 0)))
    (func (export "unreachable") (unreachable))
  ))");
  ExpectTrap("div_s", {Value::I32(1), Value::I32(0)}, TrapCode::kIntegerDivideByZero);
  ExpectTrap("div_s", {Value::I32(0x80000000), Value::I32(0xFFFFFFFF)}, TrapCode::kIntegerOverflow);
  ExpectTrap("rem_u64", {Value::I64(1), Value::I64(0)}, TrapCode::kIntegerDivideByZero);
  ExpectTrap("div_s64", {Value::I64(1ull << 63), Value::I64(~0ull)}, TrapCode::kIntegerOverflow);
  ExpectTrap("trunc", {Value::F64(std::nan(""))}, TrapCode::kBadConversion);
  ExpectTrap("trunc", {Value::F64(2147483648.0)}, TrapCode::kIntegerOverflow);
  ExpectTrap("trunc", {Value::F64(-2147483649.0)}, TrapCode::kIntegerOverflow);
  ExpectTrap("trunc_u64", {Value::F32(-1.0f)}, TrapCode::kIntegerOverflow);
  ExpectTrap("trunc_u64", {Value::F32(1.9e19f)}, TrapCode::kIntegerOverflow);
  ExpectTrap("unreachable", {}, TrapCode::kUnreachable);
  // Still usable after traps.
  InvokeResult ok = Run("div_s", {Value::I32(9), Value::I32(3)});
  ASSERT_FALSE(ok.trap.has_value());
  EXPECT_EQ(ok.results.at(0).i32(), 3u);
}

TEST_F(JitTrapTest, TrapReportsWasmOffset) {
  Load(R"((module (func (export "f") (nop) (nop) (unreachable))))");
  InvokeResult r = Run("f");
  ASSERT_TRUE(r.trap.has_value());
  EXPECT_EQ(r.trap->code, TrapCode::kUnreachable);
  EXPECT_NE(r.trap->pc, 0u);
  EXPECT_NE(r.trap->wasm_offset, 0u);
}

TEST_F(JitTrapTest, MemoryOutOfBounds) {
  Load(R"((module
    (memory 1)
    (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
    (func (export "far") (param i32) (result i64) (i64.load offset=0xFFFFFFFF (local.get 0)))
    (func (export "store") (param i32) (i64.store offset=65530 (local.get 0) (i64.const 1)))
    (func (export "constfar") (result i32) (i32.load offset=0xFFFFFFF0 (i32.const 0xFFFFFFFF)))
  ))");
  ExpectTrap("load", {Value::I32(65533)}, TrapCode::kMemoryOutOfBounds);
  ExpectTrap("load", {Value::I32(0xFFFFFFFF)}, TrapCode::kMemoryOutOfBounds);
  ExpectTrap("far", {Value::I32(0xFFFFFFFF)}, TrapCode::kMemoryOutOfBounds);
  ExpectTrap("store", {Value::I32(0)}, TrapCode::kMemoryOutOfBounds);
  ExpectTrap("constfar", {}, TrapCode::kMemoryOutOfBounds);
  InvokeResult r = Run("load", {Value::I32(65532)});
  ASSERT_FALSE(r.trap.has_value());
}

TEST_F(JitTrapTest, CallIndirectChecks) {
  Load(R"((module
    (type $v (func))
    (type $i (func (result i32)))
    (table 3 funcref)
    (elem (i32.const 0) $f $g)
    (func $f (type $v))
    (func $g (type $i) (i32.const 7))
    (func (export "call_v") (param i32) (call_indirect (type $v) (local.get 0)))
    (func (export "call_i") (param i32) (result i32) (call_indirect (type $i) (local.get 0)))
  ))");
  ExpectTrap("call_v", {Value::I32(3)}, TrapCode::kUndefinedElement);
  ExpectTrap("call_v", {Value::I32(0xFFFFFFFF)}, TrapCode::kUndefinedElement);
  ExpectTrap("call_v", {Value::I32(2)}, TrapCode::kUninitializedElement);
  ExpectTrap("call_v", {Value::I32(1)}, TrapCode::kIndirectCallTypeMismatch);
  InvokeResult r = Run("call_i", {Value::I32(1)});
  ASSERT_FALSE(r.trap.has_value());
  EXPECT_EQ(r.results.at(0).i32(), 7u);
}

TEST_F(JitTrapTest, DeepRecursionExhaustsTheStack) {
  Load(R"((module
    (func $down (export "down") (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0))
        (then (i32.const 0))
        (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1)))))))
    (func $forever (export "forever") (call $forever))
  ))");
  ExpectTrap("down", {Value::I32(10000000)}, TrapCode::kStackExhausted);
  ExpectTrap("forever", {}, TrapCode::kStackExhausted);
  InvokeResult r = Run("down", {Value::I32(1000)});
  ASSERT_FALSE(r.trap.has_value());
  EXPECT_EQ(r.results.at(0).i32(), 1000u);
}

uint32_t FailingHost(void*, VMContext*, ValueSlot*) noexcept {
  return 1 + static_cast<uint32_t>(TrapCode::kHostError);
}

TEST_F(JitTrapTest, HostFunctionTrap) {
  wasm::FuncType sig;
  Func* host = store_.NewHostFunc(sig, &FailingHost, nullptr);
  linker_.Define("env", "fail", Extern{host});
  Load(R"((module
    (import "env" "fail" (func $fail))
    (func (export "f") (result i32) (call $fail) (i32.const 1))
  ))");
  ExpectTrap("f", {}, TrapCode::kHostError);
}

}  // namespace
}  // namespace wt::runtime::testing
