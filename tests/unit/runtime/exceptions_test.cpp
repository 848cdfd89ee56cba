// [exceptions] throw / try_table / legacy try: unwinding across frames, the frame state at the
// landing pads, uncaught exceptions, and exnrefs under the collector (docs/exceptions.md).
#include <gtest/gtest.h>

#include <string>

#include "runtime/gc/activations.h"
#include "runtime/gc/gc_ref.h"
#include "runtime/instance_data.h"
#include "runtime_test_util.h"
#include "text/wat.h"
#include "wasm/reader.h"

namespace wt::runtime {
namespace {

using testing::Instantiate;
using testing::LoadModeTest;
using wasm::ValType;

class Exceptions : public LoadModeTest {};
WT_BOTH_COMPILE_MODES(Exceptions);

const wasm::Features kFeatures = wasm::Features::Wasm30();

Result<InvokeResult> Call(Instance* inst, const char* name, std::vector<Value> args = {}) {
  return Invoke(*inst->data().store, *inst->GetFunc(name), args);
}

// Locals, stack values below the try and cached locals are what they were at the throw; the
// throw happens 50 frames deeper.
TEST_P(Exceptions, CatchRestoresFrameState) {
  Store store;
  Linker linker;
  Instance* inst = Instantiate(linker, store, R"(
    (module
      (tag $e (param i32 i64 f64))
      (func $deep (param i32)
        (if (i32.eqz (local.get 0))
          (then (throw $e (i32.const 7) (i64.const 8) (f64.const 9.5))))
        (call $deep (i32.sub (local.get 0) (i32.const 1))))
      (func (export "run") (param i32) (result i64)
        (local $a i64) (local $b f64) (local $c i64)
        (local.set $a (i64.const 100))
        (local.set $b (f64.const 0.25))
        (i64.const 1000)  ;; below the try: must survive
        (block $h (result i32 i64 f64)
          (try_table (catch $e $h)
            (local.set $a (i64.const 200))  ;; a cached, dirty local at the call
            (call $deep (local.get 0))
            (local.set $a (i64.const 300)))
          (unreachable))
        ;; 1000 7 8 9.5
        (local.set $c (i64.trunc_f64_s (f64.mul (f64.add (local.get $b)) (f64.const 4))))
        (local.set $c (i64.add (local.get $c)))  ;; c = 8 + 39
        (i64.extend_i32_u)
        (i64.add)                                ;; 1007
        (i64.add (local.get $c))
        (i64.add (local.get $a))))
  )",
                               kFeatures);
  ASSERT_NE(inst, nullptr);
  auto r = Call(inst, "run", {Value::I32(50)});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_FALSE(r->trap) << TrapMessage(r->trap->code);
  EXPECT_EQ(r->results[0].i64(), 1000u + 7u + 47u + 200u);
}

// A loop that throws and catches a million times: the stack pointer is restored at each pad.
TEST_P(Exceptions, ThrowInLoopKeepsStack) {
  Store store;
  Linker linker;
  Instance* inst = Instantiate(linker, store, R"(
    (module
      (tag $e (param i32))
      (func $f (param i32) (throw $e (local.get 0)))
      (func (export "run") (param i32) (result i32)
        (local $sum i32)
        (loop $l
          (block $h (result i32)
            (try_table (catch $e $h) (call $f (local.get 0)))
            (i32.const 0))
          (local.set $sum (i32.add (local.get $sum)))
          (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
        (local.get $sum)))
  )",
                               kFeatures);
  ASSERT_NE(inst, nullptr);
  auto r = Call(inst, "run", {Value::I32(1000000)});
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->trap);
  EXPECT_EQ(r->results[0].i32(), static_cast<uint32_t>(1000000ull * 1000001ull / 2));
}

TEST_P(Exceptions, UncaughtNamesTheTag) {
  Store store;
  Linker linker;
  Instance* inst = Instantiate(linker, store, R"(
    (module
      (tag $e (export "oops") (param i32))
      (func $g (throw $e (i32.const 42)))
      (func (export "run") (call $g)))
  )",
                               kFeatures);
  ASSERT_NE(inst, nullptr);
  auto r = Call(inst, "run");
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->trap);
  EXPECT_EQ(r->trap->code, TrapCode::kUncaughtException);
  EXPECT_EQ(r->trap->detail, "tag \"oops\" (i32:42)");
  ASSERT_GE(r->trap->backtrace.frames.size(), 2u);
  EXPECT_EQ(r->trap->backtrace.frames[0].func_index, 0u);
  // The store is usable afterwards.
  auto again = Call(inst, "run");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->trap);
}

// An unexported tag is named by its index once ("tag 1", not "tag tag 1"), as clang's
// __cpp_exception is in a C++ program that lets an exception escape main.
TEST_P(Exceptions, UncaughtNamesAnUnexportedTagByIndex) {
  Store store;
  Linker linker;
  Instance* inst = Instantiate(linker, store, R"(
    (module
      (tag $a (param i64))
      (tag $e (param i32))
      (func (export "run") (throw $e (i32.const 7))))
  )",
                               kFeatures);
  ASSERT_NE(inst, nullptr);
  auto r = Call(inst, "run");
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->trap);
  EXPECT_EQ(r->trap->code, TrapCode::kUncaughtException);
  EXPECT_EQ(r->trap->detail, "tag 1 (i32:7)");
}

// Tags are identities: a module's own tag does not catch another instance's tag of the same
// type; an imported one does.
TEST_P(Exceptions, TagIdentityAcrossInstances) {
  Store store;
  Linker linker;
  Instance* a = Instantiate(linker, store, R"(
    (module (tag $e (export "e")) (func (export "throw") (throw $e)))
  )",
                            kFeatures);
  ASSERT_NE(a, nullptr);
  linker.DefineInstance("a", *a);
  Instance* b = Instantiate(linker, store, R"(
    (module
      (import "a" "e" (tag $ae))
      (import "a" "throw" (func $throw))
      (tag $own)
      (func (export "imported") (result i32)
        (block $h (try_table (catch $ae $h) (call $throw)) (return (i32.const 0)))
        (i32.const 1))
      (func (export "own") (result i32)
        (block $h (try_table (catch $own $h) (call $throw)) (return (i32.const 0)))
        (i32.const 1)))
  )",
                            kFeatures);
  ASSERT_NE(b, nullptr);
  auto r = Call(b, "imported");
  ASSERT_TRUE(r.ok() && !r->trap);
  EXPECT_EQ(r->results[0].i32(), 1u);
  auto o = Call(b, "own");
  ASSERT_TRUE(o.ok());
  ASSERT_TRUE(o->trap);
  EXPECT_EQ(o->trap->code, TrapCode::kUncaughtException);
}

// An exnref holding an externref payload lives in a local across many collections and is
// rethrown; the payload survives, and everything is freed when nothing holds it any more.
TEST_P(Exceptions, ExnrefSurvivesCollections) {
  int64_t live = gc::LiveObjects();
  int drops = 0;  // outlives the store, which drops the reference when it dies
  {
    Store store;
    store.data().Activations().SetCapacity(4);
    Linker linker;
    Instance* inst = Instantiate(linker, store, R"(
      (module
        (tag $e (param externref))
        (global $g (mut externref) (ref.null extern))
        (func $churn (param i32)
          (loop $l
            (global.get $g) (drop)
            (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))))
        (func (export "set") (param externref) (global.set $g (local.get 0)))
        (func (export "run") (param externref) (result externref)
          (local $x exnref)
          (local.set $x
            (block $h (result exnref)
              (try_table (catch_all_ref $h) (throw $e (local.get 0)))
              (unreachable)))
          (global.set $g (ref.null extern))
          (call $churn (i32.const 1000))
          (block $h2 (result externref)
            (try_table (catch $e $h2) (throw_ref (local.get $x)))
            (unreachable))))
    )",
                                 kFeatures);
    ASSERT_NE(inst, nullptr);
    struct D {
      static void Drop(void* p) noexcept { ++*static_cast<int*>(p); }
    };
    void* ref = gc::NewExternRef(&drops, &D::Drop);
    // Collections during "churn" insert the global's value: make it a different reference.
    gc::ExternRef other = gc::ExternRef::New(nullptr, nullptr);
    ASSERT_TRUE(Call(inst, "set", {Value::ExternRef(other.get())}).ok());
    auto r = Call(inst, "run", {Value::ExternRef(ref)});
    ASSERT_TRUE(r.ok());
    ASSERT_FALSE(r->trap) << TrapMessage(r->trap->code);
    EXPECT_EQ(r->results[0].ref(), ref);
    EXPECT_EQ(drops, 0);
    EXPECT_GT(store.data().Activations().collections(), 0u);
  }
  EXPECT_EQ(drops, 1);
  EXPECT_EQ(gc::LiveObjects(), live);
}

// With fuel, each landing pad starts a fuel segment: its charge reads the store context
// through vmctx, which the pad reloads first (it crashed when the charge came first).
TEST(ExceptionsFuel, PadsChargeFuel) {
  auto bytes = text::WatToBinary(R"(
    (module
      (tag $e (param i32))
      (func $f (param i32) (throw $e (local.get 0)))
      (func (export "run") (param i32) (result i32)
        (local $sum i32)
        (loop $l
          (block $h (result i32)
            (try_table (catch $e $h) (call $f (local.get 0)))
            (i32.const 0))
          (local.set $sum (i32.add (local.get $sum)))
          (try (do (call $f (i32.const 1))) (catch $e (local.set $sum (i32.add (local.get $sum)))))
          (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
        (local.get $sum)))
  )",
                                 "fuel.wat");
  ASSERT_TRUE(bytes.ok()) << bytes.error().ToString();
  auto module = wasm::ReadModule(std::move(*bytes), wasm::ReadOptions{.features = kFeatures});
  ASSERT_TRUE(module.ok());
  jit::CompileOptions co;
  co.features = kFeatures;
  co.consume_fuel = true;
  auto loaded = LoadModule(std::move(*module), co);
  ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
  for (uint64_t budget : {uint64_t{1} << 40, uint64_t{500}}) {
    StoreOptions o;
    o.fuel = budget;
    Store store(o);
    Linker linker;
    auto inst = linker.Instantiate(store, *loaded);
    ASSERT_TRUE(inst.ok());
    auto r = Call(*inst, "run", {Value::I32(1000)});
    ASSERT_TRUE(r.ok());
    if (budget > 500) {
      ASSERT_FALSE(r->trap) << TrapMessage(r->trap->code);
      EXPECT_EQ(r->results[0].i32(), 1000u * 1001u / 2 + 1000u);
    } else {
      ASSERT_TRUE(r->trap);
      EXPECT_EQ(r->trap->code, TrapCode::kOutOfFuel);
    }
  }
}

TEST_P(Exceptions, LegacyTryCatchRethrowDelegate) {
  Store store;
  Linker linker;
  Instance* inst = Instantiate(linker, store, R"(
    (module
      (tag $e (param i32))
      (func $t (param i32) (throw $e (local.get 0)))
      (func (export "run") (param i32) (result i32)
        (try (result i32)
          (do
            (try (result i32)
              (do
                (try (do (call $t (local.get 0))) (delegate 1))
                (i32.const -1))
              (catch $e (i32.add (i32.const 1000)))))
          (catch $e (i32.add (i32.const 2000)))))
      (func (export "rethrow") (param i32) (result i32)
        (try (result i32)
          (do
            (try (do (call $t (local.get 0)))
              (catch_all (rethrow 0)))
            (i32.const -1))
          (catch $e))))
  )",
                               kFeatures);
  ASSERT_NE(inst, nullptr);
  auto r = Call(inst, "run", {Value::I32(5)});
  ASSERT_TRUE(r.ok() && !r->trap);
  EXPECT_EQ(r->results[0].i32(), 2005u);  // delegate 1 skips the inner catch
  auto q = Call(inst, "rethrow", {Value::I32(6)});
  ASSERT_TRUE(q.ok() && !q->trap);
  EXPECT_EQ(q->results[0].i32(), 6u);
}

}  // namespace
}  // namespace wt::runtime
