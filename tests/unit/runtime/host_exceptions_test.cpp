// [exceptions] Exceptions crossing host frames (docs/exceptions.md, "Host frames"): wasm A
// calls a host function that invokes wasm B, B throws and nothing in B catches. The host
// function gets the exception (InvokeResult::exception); if it propagates it, A's try_table /
// legacy try catch it with the same exnref and payload, or the outermost Invoke reports it as
// uncaught; if it swallows it, A goes on normally. Runs on both ISAs (unit tests under qemu).
#include <gtest/gtest.h>

#include <string>

#include "runtime/gc/activations.h"
#include "runtime/gc/gc_ref.h"
#include "runtime/instance_data.h"
#include "runtime_test_util.h"

namespace wt::runtime {
namespace {

using testing::Instantiate;
using testing::LoadModeTest;
using testing::Sig;
using wasm::ValType;

class HostExceptions : public LoadModeTest {};
WT_BOTH_COMPILE_MODES(HostExceptions);

const wasm::Features kFeatures = wasm::Features::Wasm30();

ValType ExnRefType() {
  return ValType::Ref(wasm::HeapType::Abstract(wasm::HeapKind::kExn), true);
}

Result<InvokeResult> Call(Instance* inst, const char* name, std::vector<Value> args = {}) {
  return Invoke(*inst->data().store, *inst->GetFunc(name), args);
}

// B: the tag, a function that throws it with (i32, externref), and a collection churner.
constexpr const char* kModuleB = R"(
  (module
    (tag $e (export "e") (param i32 externref))
    (global $g (mut externref) (ref.null extern))
    (func (export "set") (param externref) (global.set $g (local.get 0)))
    (func (export "churn") (param i32)
      (loop $l
        (global.get $g) (drop)
        (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))))
    (func $deep (param i32 externref)
      (throw $e (local.get 0) (local.get 1)))
    (func (export "throw") (param i32 externref)
      (call $deep (local.get 0) (local.get 1))))
)";

// A: calls the host function env.call_b (which invokes B's "throw") in several ways.
constexpr const char* kModuleA = R"(
  (module
    (import "b" "e" (tag $e (param i32 externref)))
    (import "b" "churn" (func $churn (param i32)))
    (import "env" "call_b" (func $call_b (param i32 externref)))
    (import "env" "seen" (func $seen (param exnref)))
    (func (export "catch") (param i32 externref) (result i32 externref)
      (local $r externref)
      (block $h (result i32 externref)
        (try_table (catch $e $h) (call $call_b (local.get 0) (local.get 1)))
        (return (i32.const -1) (ref.null extern)))
      (local.set $r)
      (call $churn (i32.const 1000))  ;; collections while the payload lives in a local
      (i32.add (i32.const 1000))
      (local.get $r))
    (func (export "catch_ref") (param i32 externref) (result i32)
      (local $x exnref)
      (local.set $x
        (block $h (result exnref)
          (try_table (catch_all_ref $h) (call $call_b (local.get 0) (local.get 1)))
          (return (i32.const -1))))
      (call $seen (local.get $x))
      ;; rethrown and caught again: still the same payload
      (block $h2 (result i32 externref)
        (try_table (catch $e $h2) (throw_ref (local.get $x)))
        (return (i32.const -2)))
      (drop))
    (func (export "legacy") (param i32 externref) (result i32)
      (try (result i32)
        (do (call $call_b (local.get 0) (local.get 1)) (i32.const -1))
        (catch $e (drop) (i32.add (i32.const 2000)))))
    (func $inner (param i32 externref)
      (call $call_b (local.get 0) (local.get 1)))
    (func (export "uncaught") (param i32 externref)
      (call $inner (local.get 0) (local.get 1)))
    (func (export "swallow") (param i32 externref) (result i32)
      (block $h (result i32 externref)
        (try_table (catch $e $h) (call $call_b (local.get 0) (local.get 1)))
        (return (i32.const 7)))
      (drop)))
)";

struct HostState {
  Store* store = nullptr;
  Instance* b = nullptr;
  bool propagate = true;
  bool churn = false;  // invoke B's churn (collections) before propagating
  int calls = 0;
  bool saw_exception = false;  // the inner Invoke reported kUncaughtException + exception
  void* thrown = nullptr;      // the exnref the host saw
  void* seen = nullptr;        // the exnref A passed to env.seen
  std::vector<Value> payload;  // as the host saw it
  std::string detail;
};

uint32_t CallB(void* env, VMContext*, ValueSlot* args) noexcept {
  auto* s = static_cast<HostState*>(env);
  ++s->calls;
  std::vector<Value> in = {Value::I32(args[0].i32), Value::ExternRef(args[1].ref)};
  auto r = Invoke(*s->store, *s->b->GetFunc("throw"), in);
  if (!r.ok() || !r->trap) return 0;
  s->saw_exception = r->trap->code == TrapCode::kUncaughtException && r->exception;
  if (!s->saw_exception) return 1 + static_cast<uint32_t>(r->trap->code);
  s->thrown = r->exception.get();
  s->payload = r->exception.payload();
  s->detail = r->trap->detail;
  if (s->churn) {
    Value n = Value::I32(1000);
    auto c = Invoke(*s->store, *s->b->GetFunc("churn"), std::span<const Value>(&n, 1));
    if (!c.ok() || c->trap) return 1 + static_cast<uint32_t>(TrapCode::kHostError);
  }
  if (!s->propagate) return 0;  // swallowed: the ExnRef drops its count here
  return PropagateException(std::move(r->exception));
}

uint32_t Seen(void* env, VMContext*, ValueSlot* args) noexcept {
  static_cast<HostState*>(env)->seen = args[0].ref;
  return 0;
}

struct Fixture {
  Store store;
  Linker linker;
  HostState state;
  Instance* a = nullptr;

  Fixture() {
    state.store = &store;
    state.b = Instantiate(linker, store, kModuleB, kFeatures);
    if (state.b == nullptr) return;
    linker.DefineInstance("b", *state.b);
    linker.Define(
        "env", "call_b",
        store.NewHostFunc(Sig({ValType::I32(), ValType::ExternRef()}, {}), CallB, &state));
    linker.Define("env", "seen", store.NewHostFunc(Sig({ExnRefType()}, {}), Seen, &state));
    a = Instantiate(linker, store, kModuleA, kFeatures);
  }
};

// A's try_table catches what B threw through the host frame, with its payload.
TEST_P(HostExceptions, CaughtInOuterWasm) {
  Fixture f;
  ASSERT_NE(f.a, nullptr);
  void* ref = f.store.HostRef(77);
  auto r = Call(f.a, "catch", {Value::I32(5), Value::ExternRef(ref)});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_FALSE(r->trap) << TrapMessage(r->trap->code) << " " << r->trap->detail;
  EXPECT_TRUE(f.state.saw_exception);
  ASSERT_EQ(f.state.payload.size(), 2u);
  EXPECT_EQ(f.state.payload[0].i32(), 5u);
  EXPECT_EQ(f.state.payload[1].ref(), ref);
  EXPECT_EQ(f.state.detail.substr(0, 14), "tag \"e\" (i32:5");
  EXPECT_EQ(r->results[0].i32(), 1005u);
  EXPECT_EQ(r->results[1].ref(), ref);
  // Many times over: the stack and the activations stay balanced.
  for (int i = 0; i < 2000; ++i) {
    auto again = Call(f.a, "catch", {Value::I32(static_cast<uint32_t>(i)), Value::ExternRef(ref)});
    ASSERT_TRUE(again.ok() && !again->trap);
    ASSERT_EQ(again->results[0].i32(), 1000u + static_cast<uint32_t>(i));
  }
}

// The exnref A catches with catch_all_ref is the very exnref the host got, and rethrowing it
// in A keeps the payload.
TEST_P(HostExceptions, ExnrefIdentityPreserved) {
  Fixture f;
  ASSERT_NE(f.a, nullptr);
  auto r = Call(f.a, "catch_ref", {Value::I32(9), Value::ExternRef(nullptr)});
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->trap) << TrapMessage(r->trap->code) << " " << r->trap->detail;
  EXPECT_EQ(r->results[0].i32(), 9u);
  ASSERT_NE(f.state.thrown, nullptr);
  EXPECT_EQ(f.state.seen, f.state.thrown);
}

// A legacy try/catch in A catches it too.
TEST_P(HostExceptions, LegacyTryCatchesIt) {
  Fixture f;
  ASSERT_NE(f.a, nullptr);
  auto r = Call(f.a, "legacy", {Value::I32(3), Value::ExternRef(nullptr)});
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->trap) << TrapMessage(r->trap->code) << " " << r->trap->detail;
  EXPECT_EQ(r->results[0].i32(), 2003u);
}

// Nothing in A catches: the outermost Invoke reports the uncaught exception (tag, payload, a
// backtrace of A's frames from the host call) and hands over the same exnref.
TEST_P(HostExceptions, UncaughtAtTheOuterLevel) {
  Fixture f;
  ASSERT_NE(f.a, nullptr);
  auto r = Call(f.a, "uncaught", {Value::I32(42), Value::ExternRef(nullptr)});
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->trap);
  EXPECT_EQ(r->trap->code, TrapCode::kUncaughtException);
  EXPECT_EQ(r->trap->detail, "tag \"e\" (i32:42, externref:null)");
  ASSERT_TRUE(r->exception);
  EXPECT_EQ(r->exception.get(), f.state.thrown);
  ASSERT_GE(r->trap->backtrace.frames.size(), 2u);
  // A's functions: imports 0-2 are functions (churn, call_b, seen), then catch=3, catch_ref=4,
  // legacy=5, inner=6, uncaught=7.
  EXPECT_EQ(r->trap->backtrace.frames[0].func_index, 6u);
  EXPECT_EQ(r->trap->backtrace.frames[1].func_index, 7u);
  // The store is usable afterwards, and the exception can still be caught.
  auto again = Call(f.a, "catch", {Value::I32(1), Value::ExternRef(nullptr)});
  ASSERT_TRUE(again.ok() && !again->trap);
  EXPECT_EQ(again->results[0].i32(), 1001u);
}

// The host inspects the exception and returns normally: A goes on as if the call returned.
TEST_P(HostExceptions, HostSwallowsIt) {
  int64_t live = gc::LiveObjects();
  {
    Fixture f;
    ASSERT_NE(f.a, nullptr);
    f.state.propagate = false;
    auto r = Call(f.a, "swallow", {Value::I32(4), Value::ExternRef(nullptr)});
    ASSERT_TRUE(r.ok());
    ASSERT_FALSE(r->trap) << TrapMessage(r->trap->code) << " " << r->trap->detail;
    EXPECT_EQ(r->results[0].i32(), 7u);
    EXPECT_TRUE(f.state.saw_exception);
    EXPECT_EQ(f.state.payload[0].i32(), 4u);
  }
  EXPECT_EQ(gc::LiveObjects(), live);  // the swallowed exception was freed
}

// The exnref's externref payload survives collections in the host (between the inner and the
// outer activation) and in A after the catch; nothing leaks once the store is gone.
TEST_P(HostExceptions, PayloadSurvivesCollections) {
  int64_t live = gc::LiveObjects();
  int drops = 0;
  {
    Fixture f;
    ASSERT_NE(f.a, nullptr);
    f.store.data().Activations().SetCapacity(4);
    f.state.churn = true;
    struct D {
      static void Drop(void* p) noexcept { ++*static_cast<int*>(p); }
    };
    void* ref = gc::NewExternRef(&drops, &D::Drop);
    // Collections in churn insert the global's value: a different reference.
    gc::ExternRef other = gc::ExternRef::New(nullptr, nullptr);
    ASSERT_TRUE(Call(f.state.b, "set", {Value::ExternRef(other.get())}).ok());
    auto r = Call(f.a, "catch", {Value::I32(11), Value::ExternRef(ref)});
    ASSERT_TRUE(r.ok());
    ASSERT_FALSE(r->trap) << TrapMessage(r->trap->code) << " " << r->trap->detail;
    EXPECT_EQ(r->results[0].i32(), 1011u);
    EXPECT_EQ(r->results[1].ref(), ref);
    EXPECT_EQ(drops, 0);
    EXPECT_GT(f.store.data().Activations().collections(), 0u);
  }
  EXPECT_EQ(drops, 1);
  EXPECT_EQ(gc::LiveObjects(), live);
}

// A host function called directly by Invoke may throw a new exception of its own.
TEST(HostExceptionsDirect, PropagateFromADirectlyInvokedHostFunction) {
  Store store;
  Linker linker;
  Instance* b = Instantiate(linker, store, kModuleB, kFeatures);
  ASSERT_NE(b, nullptr);
  auto tag = b->GetExport("e");
  ASSERT_TRUE(tag.has_value());
  struct Env {
    const Tag* tag;
  } env{tag->tag()};
  auto fn = [](void* e, VMContext*, ValueSlot*) noexcept -> uint32_t {
    const Tag* t = static_cast<Env*>(e)->tag;
    std::vector<Value> v = {Value::I32(8), Value::ExternRef(nullptr)};
    return PropagateException(NewException(*t, v));
  };
  Func* f = store.NewHostFunc(Sig({}, {}), fn, &env);
  auto r = Invoke(store, *f, {});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_TRUE(r->trap);
  EXPECT_EQ(r->trap->code, TrapCode::kUncaughtException);
  ASSERT_TRUE(r->exception);
  EXPECT_EQ(r->exception.tag(), tag->tag());
  EXPECT_EQ(r->trap->detail, "tag \"e\" (i32:8, externref:null)");
}

}  // namespace
}  // namespace wt::runtime
