#include <gtest/gtest.h>

#include "runtime/code_registry.h"
#include "runtime/instance_data.h"
#include "runtime/runtime.h"
#include "runtime_test_util.h"

namespace wt::runtime {
namespace {

using testing::Sig;
using wasm::ValType;

uint32_t AddHost(void* env, VMContext*, ValueSlot* args) noexcept {
  args[0].i32 = args[0].i32 + args[1].i32 + static_cast<uint32_t>(reinterpret_cast<uintptr_t>(env));
  return 0;
}

uint32_t SwapHost(void*, VMContext*, ValueSlot* args) noexcept {
  std::swap(args[0], args[1]);
  return 0;
}

uint32_t NoopHost(void*, VMContext*, ValueSlot*) noexcept {
  return 0;
}

uint32_t TrapHost(void*, VMContext*, ValueSlot*) noexcept {
  return 1 + static_cast<uint32_t>(TrapCode::kIntegerDivideByZero);
}

TEST(TypeIdTest, StructurallyEqualTypesShareIds) {
  uint32_t a = InternFuncType(Sig({ValType::I32(), ValType::I64()}, {ValType::F32()}));
  uint32_t b = InternFuncType(Sig({ValType::I32(), ValType::I64()}, {ValType::F32()}));
  uint32_t c = InternFuncType(Sig({ValType::I32()}, {ValType::I64(), ValType::F32()}));
  uint32_t d = InternFuncType(Sig({}, {}));
  uint32_t e = InternFuncType(Sig({ValType::FuncRef()}, {}));
  uint32_t f = InternFuncType(Sig({ValType::ExternRef()}, {}));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(a, d);
  EXPECT_NE(e, f);
  EXPECT_NE(a, 0u);
  EXPECT_NE(d, 0u);
  EXPECT_EQ(FuncTypeOf(c), Sig({ValType::I32()}, {ValType::I64(), ValType::F32()}));
}

TEST(TypeIdTest, EqualAcrossModules) {
  auto m1 = testing::Load(R"((module (type (func)) (type (func (param i32) (result i64)))))");
  auto m2 = testing::Load(
      R"((module (type (func (param f32))) (type (func (param i32) (result i64))) (type (func))))");
  ASSERT_TRUE(m1 && m2);
  EXPECT_EQ(m1->type_ids[0], m2->type_ids[2]);
  EXPECT_EQ(m1->type_ids[1], m2->type_ids[1]);
  EXPECT_NE(m2->type_ids[0], m2->type_ids[1]);
}

TEST(StoreTest, HostFunctionInvoke) {
  Store store;
  Func* add = store.NewHostFunc(Sig({ValType::I32(), ValType::I32()}, {ValType::I32()}), AddHost,
                                reinterpret_cast<void*>(uintptr_t{100}));
  EXPECT_TRUE(add->is_host());
  EXPECT_EQ(add->type(), Sig({ValType::I32(), ValType::I32()}, {ValType::I32()}));
  EXPECT_EQ(Func::FromRef(add->ref()), add);
  EXPECT_EQ(add->ref()->vmctx, reinterpret_cast<VMContext*>(&add->host_));
  Value args[] = {Value::I32(1), Value::I32(2)};
  auto r = Invoke(store, *add, args);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_FALSE(r->trap.has_value());
  ASSERT_EQ(r->results.size(), 1u);
  EXPECT_EQ(r->results[0].type, ValType::I32());
  EXPECT_EQ(r->results[0].i32(), 103u);
}

TEST(StoreTest, HostFunctionMultiValue) {
  Store store;
  Func* swap = store.NewHostFunc(
      Sig({ValType::I64(), ValType::F64()}, {ValType::F64(), ValType::I64()}), SwapHost, nullptr);
  Value args[] = {Value::I64(7), Value::F64(2.5)};
  auto r = Invoke(store, *swap, args);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->results.size(), 2u);
  EXPECT_EQ(r->results[0].f64(), 2.5);
  EXPECT_EQ(r->results[1].i64(), 7u);
}

TEST(StoreTest, HostFunctionTrap) {
  Store store;
  Func* f = store.NewHostFunc(Sig({}, {ValType::I32()}), TrapHost, nullptr);
  auto r = Invoke(store, *f, {});
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->trap.has_value());
  EXPECT_EQ(r->trap->code, TrapCode::kIntegerDivideByZero);
  EXPECT_TRUE(r->results.empty());
}

TEST(StoreTest, InvokeChecksArguments) {
  Store store;
  Func* add =
      store.NewHostFunc(Sig({ValType::I32(), ValType::I32()}, {ValType::I32()}), AddHost, nullptr);
  Value one[] = {Value::I32(1)};
  EXPECT_FALSE(Invoke(store, *add, one).ok());
  Value wrong[] = {Value::I32(1), Value::I64(2)};
  auto r = Invoke(store, *add, wrong);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("type mismatch"), std::string::npos);
  Func* takes_ref = store.NewHostFunc(Sig({ValType::ExternRef()}, {}), NoopHost, nullptr);
  Value null_func[] = {Value::Null(ValType::FuncRef())};
  EXPECT_FALSE(Invoke(store, *takes_ref, null_func).ok());
  Value ext[] = {Value::ExternRef(store.HostRef(1))};
  EXPECT_TRUE(Invoke(store, *takes_ref, ext).ok());
}

TEST(StoreTest, HostRefs) {
  Store store;
  void* a = store.HostRef(0);
  void* b = store.HostRef(1);
  EXPECT_NE(a, nullptr);
  EXPECT_NE(a, b);
  EXPECT_EQ(store.HostRef(0), a);
  EXPECT_EQ(store.HostRefIndex(b), std::optional<uint64_t>(1));
  int other = 0;
  EXPECT_EQ(store.HostRefIndex(&other), std::nullopt);
}

TEST(StoreTest, FuncRefValues) {
  Store store;
  Func* f = store.NewHostFunc(Sig({}, {}), TrapHost, nullptr);
  Value v = Value::FuncRefOf(f);
  EXPECT_EQ(v.type, ValType::FuncRef());
  EXPECT_EQ(v.func(), f);
  EXPECT_EQ(v.ref(), f->ref());
  EXPECT_TRUE(Value::FuncRefOf(nullptr).is_null_ref());
  EXPECT_EQ(Value::FuncRefOf(nullptr).func(), nullptr);
}

TEST(StoreTest, NewGlobalChecksType) {
  Store store;
  EXPECT_FALSE(store.NewGlobal(wasm::GlobalType{ValType::I32(), false}, Value::F32(1)).ok());
  auto g = store.NewGlobal(wasm::GlobalType{ValType::I32(), false}, Value::I32(3));
  ASSERT_TRUE(g.ok());
  EXPECT_EQ((*g)->Get().i32(), 3u);
}

// ---- Code registry

class FakeCode : public jit::CodeObject {
 public:
  FakeCode(const uint8_t* base, size_t size) : base_(base), size_(size) {}
  const uint8_t* base() const override { return base_; }
  size_t size() const override { return size_; }
  std::span<const jit::FuncRange> funcs() const override { return {}; }
  std::span<const jit::TrapSite> traps() const override { return {}; }

 private:
  const uint8_t* base_;
  size_t size_;
};

TEST(CodeRegistryTest, LookupByPc) {
  static uint8_t arena[4096];
  FakeCode a(arena, 100), b(arena + 200, 50), c(arena + 100, 100);
  size_t before = RegisteredCodeCount();
  RegisterCode(&a);
  RegisterCode(&b);
  RegisterCode(&c);
  EXPECT_EQ(RegisteredCodeCount(), before + 3);
  auto pc = [](const uint8_t* p) { return reinterpret_cast<uintptr_t>(p); };
  EXPECT_EQ(LookupCode(pc(arena)), &a);
  EXPECT_EQ(LookupCode(pc(arena + 99)), &a);
  EXPECT_EQ(LookupCode(pc(arena + 100)), &c);
  EXPECT_EQ(LookupCode(pc(arena + 199)), &c);
  EXPECT_EQ(LookupCode(pc(arena + 200)), &b);
  EXPECT_EQ(LookupCode(pc(arena + 250)), nullptr);
  EXPECT_EQ(LookupCode(pc(arena) - 1), nullptr);
  UnregisterCode(&c);
  EXPECT_EQ(LookupCode(pc(arena + 150)), nullptr);
  EXPECT_EQ(LookupCode(pc(arena + 50)), &a);
  UnregisterCode(&a);
  UnregisterCode(&b);
  EXPECT_EQ(RegisteredCodeCount(), before);
  EXPECT_EQ(LookupCode(pc(arena + 50)), nullptr);
}

}  // namespace
}  // namespace wt::runtime
