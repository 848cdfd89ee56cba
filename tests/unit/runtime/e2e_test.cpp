// End to end: modules compiled by the JIT, run through the runtime.
#include <gtest/gtest.h>

#include <cstring>

#include "runtime/instance_data.h"
#include "runtime/runtime.h"
#include "runtime/trap/call_scope.h"
#include "runtime_test_util.h"

namespace wt::runtime {
namespace {

using wasm::ValType;

// [lazy] Every test in both compile modes.
class E2ETest : public testing::LoadModeTest {
 protected:
  void SetUp() override {
    LoadModeTest::SetUp();
    DefineSpectest(linker_, store_);
  }

  Instance* Inst(std::string_view wat) { return testing::Instantiate(linker_, store_, wat); }

  InvokeResult Call(Instance* inst, std::string_view name, std::vector<Value> args = {}) {
    Func* f = inst ? inst->GetFunc(name) : nullptr;
    EXPECT_NE(f, nullptr) << name;
    if (!f) return {};
    auto r = Invoke(store_, *f, args);
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r.ok() ? std::move(*r) : InvokeResult{};
  }
  std::optional<TrapCode> TrapOf(Instance* inst, std::string_view name,
                                 std::vector<Value> args = {}) {
    InvokeResult r = Call(inst, name, std::move(args));
    if (!r.trap) return std::nullopt;
    return r.trap->code;
  }
  uint32_t I32(Instance* inst, std::string_view name, std::vector<Value> args = {}) {
    InvokeResult r = Call(inst, name, std::move(args));
    EXPECT_FALSE(r.trap.has_value()) << (r.trap ? TrapMessage(r.trap->code) : "");
    EXPECT_EQ(r.results.size(), 1u);
    return r.results.empty() ? 0xDEADBEEF : r.results[0].i32();
  }

  Store store_;
  Linker linker_;
};

WT_BOTH_COMPILE_MODES(E2ETest);

TEST_P(E2ETest, Arithmetic) {
  Instance* inst = Inst(R"((module
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "swap") (param i64 f64) (result f64 i64) (local.get 1) (local.get 0))))");
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(I32(inst, "add", {Value::I32(40), Value::I32(2)}), 42u);
  InvokeResult r = Call(inst, "swap", {Value::I64(7), Value::F64(1.5)});
  ASSERT_EQ(r.results.size(), 2u);
  EXPECT_EQ(r.results[0].f64(), 1.5);
  EXPECT_EQ(r.results[1].i64(), 7u);
}

TEST_P(E2ETest, ManyParamsAndResults) {
  Instance* inst = Inst(R"((module
    (func (export "sum") (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)
      (i32.add (i32.add (i32.add (local.get 0) (local.get 1)) (i32.add (local.get 2) (local.get 3)))
        (i32.add (i32.add (i32.add (local.get 4) (local.get 5)) (i32.add (local.get 6) (local.get 7)))
          (i32.add (local.get 8) (local.get 9)))))
    (func (export "many") (result i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
      (i64.const 0) (i64.const 1) (i64.const 2) (i64.const 3) (i64.const 4)
      (i64.const 5) (i64.const 6) (i64.const 7) (i64.const 8) (i64.const 9))))");
  ASSERT_NE(inst, nullptr);
  std::vector<Value> args;
  for (uint32_t i = 1; i <= 10; ++i) args.push_back(Value::I32(i));
  EXPECT_EQ(I32(inst, "sum", args), 55u);
  InvokeResult r = Call(inst, "many");
  ASSERT_EQ(r.results.size(), 10u);
  for (uint64_t i = 0; i < 10; ++i) EXPECT_EQ(r.results[i].i64(), i);
}

TEST_P(E2ETest, Traps) {
  Instance* inst = Inst(R"((module (memory 1)
    (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
    (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
    (func (export "load_off") (param i32) (result i64) (i64.load offset=0xFFFFFFFF (local.get 0)))
    (func (export "unreachable") unreachable)))");
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(TrapOf(inst, "div", {Value::I32(1), Value::I32(0)}),
            std::optional(TrapCode::kIntegerDivideByZero));
  EXPECT_EQ(TrapOf(inst, "div", {Value::I32(0x80000000), Value::I32(-1)}),
            std::optional(TrapCode::kIntegerOverflow));
  EXPECT_EQ(I32(inst, "div", {Value::I32(-6), Value::I32(3)}), static_cast<uint32_t>(-2));
  EXPECT_EQ(I32(inst, "load", {Value::I32(65532)}), 0u);
  for (uint32_t addr : {65533u, 65536u, 0x7FFFFFFFu, 0xFFFFFFFFu}) {
    auto r = Call(inst, "load", {Value::I32(addr)});
    ASSERT_TRUE(r.trap.has_value()) << addr;
    EXPECT_EQ(r.trap->code, TrapCode::kMemoryOutOfBounds);
    EXPECT_STREQ(TrapMessage(r.trap->code), "out of bounds memory access");
    EXPECT_NE(r.trap->wasm_offset, 0u);
  }
  EXPECT_EQ(TrapOf(inst, "load_off", {Value::I32(0xFFFFFFFF)}),
            std::optional(TrapCode::kMemoryOutOfBounds));
  EXPECT_EQ(TrapOf(inst, "unreachable"), std::optional(TrapCode::kUnreachable));
  // Still healthy after all that.
  EXPECT_EQ(I32(inst, "div", {Value::I32(9), Value::I32(3)}), 3u);
}

TEST_P(E2ETest, MemoryGrowFromWasm) {
  Instance* inst = Inst(R"((module (memory 0 3)
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
    (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))))");
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(TrapOf(inst, "load", {Value::I32(0)}), std::optional(TrapCode::kMemoryOutOfBounds));
  EXPECT_EQ(I32(inst, "grow", {Value::I32(1)}), 0u);
  Call(inst, "store", {Value::I32(65532), Value::I32(0x12345678)});
  EXPECT_EQ(I32(inst, "load", {Value::I32(65532)}), 0x12345678u);
  EXPECT_EQ(I32(inst, "grow", {Value::I32(3)}), 0xFFFFFFFFu);
  EXPECT_EQ(I32(inst, "grow", {Value::I32(2)}), 1u);
  EXPECT_EQ(I32(inst, "load", {Value::I32(3 * 65536 - 4)}), 0u);
  EXPECT_EQ(TrapOf(inst, "load", {Value::I32(3 * 65536 - 3)}),
            std::optional(TrapCode::kMemoryOutOfBounds));
}

TEST_P(E2ETest, DeepRecursionTrapsCallStackExhausted) {
  Instance* inst = Inst(R"((module
    (func $count (export "count") (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
        (else (i32.add (i32.const 1) (call $count (i32.sub (local.get 0) (i32.const 1)))))))
    (func $forever (export "forever") (call $forever))))");
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(I32(inst, "count", {Value::I32(1000)}), 1000u);
  auto r = Call(inst, "count", {Value::I32(10'000'000)});
  ASSERT_TRUE(r.trap.has_value());
  EXPECT_EQ(r.trap->code, TrapCode::kStackExhausted);
  EXPECT_STREQ(TrapMessage(r.trap->code), "call stack exhausted");
  EXPECT_EQ(TrapOf(inst, "forever"), std::optional(TrapCode::kStackExhausted));
  EXPECT_EQ(I32(inst, "count", {Value::I32(1000)}), 1000u);
}

uint32_t Twice(void*, VMContext*, ValueSlot* a) noexcept {
  a[0].i32 *= 2;
  return 0;
}
uint32_t HostTrap(void*, VMContext*, ValueSlot*) noexcept {
  return 1 + static_cast<uint32_t>(TrapCode::kHostError);
}

struct Reentry {
  Store* store;
  Func* target;
  std::optional<TrapCode> inner_trap;
};
uint32_t CallBack(void* env, VMContext*, ValueSlot* a) noexcept {
  auto* re = static_cast<Reentry*>(env);
  auto r = Invoke(*re->store, *re->target, {});
  if (r.ok() && r->trap) re->inner_trap = r->trap->code;
  a[0].i32 = 5;
  return 0;
}

TEST_P(E2ETest, HostFunctionsFromWasm) {
  linker_.Define(
      "host", "twice",
      store_.NewHostFunc(testing::Sig({ValType::I32()}, {ValType::I32()}), Twice, nullptr));
  linker_.Define("host", "trap", store_.NewHostFunc(testing::Sig({}, {}), HostTrap, nullptr));
  Instance* inst = Inst(R"((module
    (import "host" "twice" (func $twice (param i32) (result i32)))
    (import "host" "trap" (func $trap))
    (import "spectest" "print_i32" (func $print (param i32)))
    (func (export "f") (param i32) (result i32)
      (call $print (local.get 0)) (i32.add (call $twice (local.get 0)) (i32.const 1)))
    (func (export "t") (call $trap))
    (func (export "u") unreachable)))");
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(I32(inst, "f", {Value::I32(20)}), 41u);
  EXPECT_EQ(TrapOf(inst, "t"), std::optional(TrapCode::kHostError));

  // wasm -> host -> wasm (traps) -> back in the host -> back in wasm.
  Reentry re{&store_, inst->GetFunc("u"), std::nullopt};
  linker_.Define("host", "reenter",
                 store_.NewHostFunc(testing::Sig({}, {ValType::I32()}), CallBack, &re));
  Instance* outer = Inst(R"((module (import "host" "reenter" (func $r (result i32)))
    (func (export "g") (result i32) (i32.add (call $r) (i32.const 1)))))");
  ASSERT_NE(outer, nullptr);
  EXPECT_EQ(I32(outer, "g"), 6u);
  EXPECT_EQ(re.inner_trap, std::optional(TrapCode::kUnreachable));
  EXPECT_EQ(CurrentCallScope(), nullptr);
}

uint32_t SeeCaller(void* env, VMContext* caller, ValueSlot* a) noexcept {
  *static_cast<VMContext**>(env) = caller;
  a[0].i32 = 1;
  return 0;
}

TEST_P(E2ETest, StoreContextSavedAroundInvoke) {
  VMContext* seen = nullptr;
  linker_.Define("host", "see",
                 store_.NewHostFunc(testing::Sig({}, {ValType::I32()}), SeeCaller, &seen));
  Instance* inst = Inst(R"((module (import "host" "see" (func $see (result i32)))
    (func (export "f") (result i32) (call $see))))");
  ASSERT_NE(inst, nullptr);
  VMStoreContext* sc = inst->vmctx()->store_ctx;
  ASSERT_NE(sc, nullptr);
  EXPECT_EQ(sc, &store_.data().store_ctx);
  sc->last_exit_fp = 0x1230;
  sc->last_exit_pc = 0x4560;
  EXPECT_EQ(I32(inst, "f"), 1u);
  EXPECT_EQ(seen, inst->vmctx());  // host functions get the calling instance's context
  EXPECT_EQ(sc->last_exit_fp, 0x1230u);
  EXPECT_EQ(sc->last_exit_pc, 0x4560u);
  Instance* trapping = Inst(R"((module (func (export "u") unreachable)))");
  ASSERT_NE(trapping, nullptr);
  EXPECT_EQ(trapping->vmctx()->store_ctx, sc);
  EXPECT_EQ(TrapOf(trapping, "u"), std::optional(TrapCode::kUnreachable));
  EXPECT_EQ(sc->last_exit_fp, 0x1230u);
  sc->last_exit_fp = sc->last_exit_pc = 0;
}

TEST_P(E2ETest, CallIndirectAcrossInstances) {
  Instance* a = Inst(R"((module (table (export "tab") 3 funcref)
    (func $seven (result i32) (i32.const 7))
    (func $id (param i32) (result i32) (local.get 0))
    (elem (i32.const 0) $seven $id)))");
  ASSERT_NE(a, nullptr);
  linker_.DefineInstance("A", *a);
  Instance* b = Inst(R"((module (import "A" "tab" (table 3 funcref))
    (type $v_i (func (result i32)))
    (func (export "call") (param i32) (result i32) (call_indirect (type $v_i) (local.get 0)))))");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(I32(b, "call", {Value::I32(0)}), 7u);
  EXPECT_EQ(TrapOf(b, "call", {Value::I32(1)}), std::optional(TrapCode::kIndirectCallTypeMismatch));
  EXPECT_EQ(TrapOf(b, "call", {Value::I32(2)}), std::optional(TrapCode::kUninitializedElement));
  EXPECT_EQ(TrapOf(b, "call", {Value::I32(3)}), std::optional(TrapCode::kUndefinedElement));
}

TEST_P(E2ETest, BulkMemoryAndTablesFromWasm) {
  Instance* inst = Inst(R"((module (memory 1) (table $t 2 funcref)
    (data $d "hello")
    (func $f)
    (elem $e func $f)
    (func (export "init") (param i32 i32 i32) (memory.init $d (local.get 0) (local.get 1) (local.get 2)))
    (func (export "drop") (data.drop $d))
    (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
    (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
    (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
    (func (export "tinit") (param i32 i32 i32) (table.init $t $e (local.get 0) (local.get 1) (local.get 2)))
    (func (export "tget") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
    (func (export "tgrow") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0)))))");
  ASSERT_NE(inst, nullptr);
  const auto oob = std::optional(TrapCode::kMemoryOutOfBounds);
  EXPECT_EQ(TrapOf(inst, "init", {Value::I32(0), Value::I32(1), Value::I32(5)}), oob);
  EXPECT_EQ(TrapOf(inst, "init", {Value::I32(10), Value::I32(0), Value::I32(5)}), std::nullopt);
  EXPECT_EQ(I32(inst, "load8", {Value::I32(14)}), static_cast<uint32_t>('o'));
  EXPECT_EQ(TrapOf(inst, "copy", {Value::I32(11), Value::I32(10), Value::I32(5)}), std::nullopt);
  EXPECT_EQ(I32(inst, "load8", {Value::I32(15)}), static_cast<uint32_t>('o'));
  EXPECT_EQ(TrapOf(inst, "fill", {Value::I32(65536), Value::I32(0), Value::I32(0)}), std::nullopt);
  EXPECT_EQ(TrapOf(inst, "fill", {Value::I32(65537), Value::I32(0), Value::I32(0)}), oob);
  Call(inst, "drop");
  EXPECT_EQ(TrapOf(inst, "init", {Value::I32(0), Value::I32(0), Value::I32(1)}), oob);
  EXPECT_EQ(TrapOf(inst, "init", {Value::I32(0), Value::I32(0), Value::I32(0)}), std::nullopt);
  EXPECT_EQ(I32(inst, "tget", {Value::I32(1)}), 1u);
  EXPECT_EQ(TrapOf(inst, "tinit", {Value::I32(1), Value::I32(0), Value::I32(1)}), std::nullopt);
  EXPECT_EQ(I32(inst, "tget", {Value::I32(1)}), 0u);
  EXPECT_EQ(TrapOf(inst, "tget", {Value::I32(2)}), std::optional(TrapCode::kTableOutOfBounds));
  EXPECT_EQ(I32(inst, "tgrow", {Value::I32(3)}), 2u);
  EXPECT_EQ(I32(inst, "tget", {Value::I32(4)}), 1u);
}

TEST_P(E2ETest, StartFunctionTrapIsUninstantiable) {
  auto loaded = testing::Load(R"((module (memory (export "m") 1)
    (func $start (i32.store8 (i32.const 0) (i32.const 1)) unreachable) (start $start)))");
  ASSERT_NE(loaded, nullptr);
  Trap trap;
  auto r = linker_.Instantiate(store_, loaded, &trap);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUninstantiable);
  EXPECT_EQ(trap.code, TrapCode::kUnreachable);
  EXPECT_NE(r.error().message.find("unreachable"), std::string::npos);
}

TEST_P(E2ETest, GlobalsShared) {
  Instance* a = Inst(R"((module (global $g (export "g") (mut i32) (i32.const 1))
    (func (export "inc") (global.set $g (i32.add (global.get $g) (i32.const 1))))))");
  ASSERT_NE(a, nullptr);
  linker_.DefineInstance("A", *a);
  Instance* b = Inst(R"((module (import "A" "g" (global $g (mut i32)))
    (func (export "get") (result i32) (global.get $g))))");
  ASSERT_NE(b, nullptr);
  Call(a, "inc");
  EXPECT_EQ(I32(b, "get"), 2u);
  ASSERT_TRUE(a->GetGlobal("g")->Set(Value::I32(10)).ok());
  EXPECT_EQ(I32(b, "get"), 10u);
}

}  // namespace
}  // namespace wt::runtime
