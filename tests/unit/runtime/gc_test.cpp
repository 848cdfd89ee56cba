// [gc] Externrefs: counted handles, the activations table and the collector (docs/gc.md).
#include <gtest/gtest.h>

#include <string>

#include "runtime/gc/activations.h"
#include "runtime/gc/gc_ref.h"
#include "runtime/instance_data.h"
#include "runtime/trap/call_scope.h"
#include "runtime_test_util.h"

namespace wt::runtime {
namespace {

using gc::ExternRef;
using testing::Instantiate;
using testing::Sig;
using wasm::ValType;

// A host value that records when it is dropped.
struct Tracked {
  int id = 0;
  int* drops = nullptr;
};

void DropTracked(void* p) noexcept {
  auto* t = static_cast<Tracked*>(p);
  ++*t->drops;
  delete t;
}

ExternRef NewTracked(int id, int* drops) {
  return ExternRef::New(new Tracked{id, drops}, &DropTracked);
}

TEST(GcRef, HandlesCountAndFree) {
  int drops = 0;
  int64_t live = gc::LiveObjects();
  {
    ExternRef a = NewTracked(1, &drops);
    EXPECT_EQ(a.count(), 1u);
    ExternRef b = a;
    EXPECT_EQ(a.count(), 2u);
    ExternRef c = std::move(b);
    EXPECT_EQ(a.count(), 2u);
    EXPECT_FALSE(b);
    EXPECT_EQ(gc::LiveObjects(), live + 1);
    c = ExternRef();
    EXPECT_EQ(a.count(), 1u);
    EXPECT_EQ(drops, 0);
  }
  EXPECT_EQ(drops, 1);
  EXPECT_EQ(gc::LiveObjects(), live);
}

TEST(GcRef, ReleaseAndAdopt) {
  int drops = 0;
  void* raw = NewTracked(1, &drops).Release();
  EXPECT_EQ(static_cast<gc::GcHeader*>(raw)->count, 1u);
  { ExternRef back = ExternRef::Adopt(raw); }
  EXPECT_EQ(drops, 1);
}

TEST(GcActivations, HostInsertsCollectWhenFull) {
  Store store;
  gc::ActivationsTable& t = store.data().Activations();
  t.SetCapacity(8);
  int drops = 0;
  for (int i = 0; i < 8; ++i) t.Insert(NewTracked(i, &drops).get());
  EXPECT_EQ(t.size(), 8u);
  EXPECT_EQ(drops, 0);  // the table holds them
  uint64_t before = t.collections();
  t.Insert(NewTracked(8, &drops).get());  // full: collects (no wasm running: nothing is live)
  EXPECT_EQ(t.collections(), before + 1);
  EXPECT_EQ(drops, 8);
  EXPECT_EQ(t.size(), 1u);
}

// Host functions for the wasm tests.
struct Env {
  Store* store = nullptr;
  int drops = 0;
  int next_id = 0;
  int gcs = 0;
  int checked = 0;
  bool check_ok = true;
  int64_t max_live = 0;
  int64_t live_base = 0;
};

// () -> externref: a fresh tracked reference (the result hands over its count).
uint32_t HostMake(void* env, VMContext*, ValueSlot* args) noexcept {
  auto* e = static_cast<Env*>(env);
  int64_t live = gc::LiveObjects() - e->live_base;
  if (live > e->max_live) e->max_live = live;
  args[0].ref = NewTracked(e->next_id++, &e->drops).Release();
  return 0;
}

// () -> (): a collection from a host function called by wasm.
uint32_t HostGc(void* env, VMContext*, ValueSlot*) noexcept {
  auto* e = static_cast<Env*>(env);
  if (e->store->data().Activations().Collect()) ++e->gcs;
  return 0;
}

// (externref, i32) -> i32: the reference is alive and is tracked value `id`.
uint32_t HostCheck(void* env, VMContext*, ValueSlot* args) noexcept {
  auto* e = static_cast<Env*>(env);
  auto* h = static_cast<gc::ExternObject*>(args[0].ref);
  bool ok = h != nullptr && h->count > 0 &&
            static_cast<Tracked*>(h->payload)->id == static_cast<int>(args[1].i32);
  ++e->checked;
  if (!ok) e->check_ok = false;
  args[0].i32 = ok ? 1 : 0;
  return 0;
}

void DefineHost(Linker& linker, Store& store, Env& env) {
  env.store = &store;
  env.live_base = gc::LiveObjects();
  linker.Define("host", "make",
                store.NewHostFunc(Sig({}, {ValType::ExternRef()}), &HostMake, &env));
  linker.Define("host", "gc", store.NewHostFunc(Sig({}, {}), &HostGc, &env));
  linker.Define("host", "check",
                store.NewHostFunc(Sig({ValType::ExternRef(), ValType::I32()}, {ValType::I32()}),
                                  &HostCheck, &env));
}

constexpr const char* kImports = R"(
  (import "host" "make" (func $make (result externref)))
  (import "host" "gc" (func $gc))
  (import "host" "check" (func $check (param externref i32) (result i32)))
)";

std::string Module(const std::string& body) {
  return "(module " + std::string(kImports) + body + ")";
}

Result<InvokeResult> Call(Store& store, Instance* inst, const char* name,
                          std::vector<Value> args = {}) {
  return Invoke(store, *inst->GetFunc(name), args);
}

// [lazy] Every test in both compile modes.
class GcWasm : public testing::LoadModeTest {};
WT_BOTH_COMPILE_MODES(GcWasm);

TEST_P(GcWasm, LocalSurvivesGcThreeCallsDeeper) {
  Store store;
  Linker linker;
  Env env;
  DefineHost(linker, store, env);
  Instance* inst = Instantiate(linker, store, Module(R"(
    (func $c (call $gc))
    (func $b (call $c))
    (func $a (call $b))
    (func (export "run") (result i32) (local $r externref) (local $s externref)
      (local.set $r (call $make))   ;; id 0, held only by the local
      (local.set $s (call $make))   ;; id 1
      (local.set $s (ref.null extern))
      (call $a)
      (call $check (local.get $r) (i32.const 0)))
  )"));
  ASSERT_NE(inst, nullptr);
  auto r = Call(store, inst, "run");
  ASSERT_TRUE(r.ok() && !r->trap);
  EXPECT_EQ(r->results[0].i32(), 1u);
  EXPECT_EQ(env.gcs, 1);
  EXPECT_EQ(env.drops, 1);  // id 1 was dropped by wasm: freed by that collection
  // Dropped by wasm when "run" returned: freed at the next collection.
  EXPECT_TRUE(store.data().Activations().Collect());
  EXPECT_EQ(env.drops, 2);
}

TEST_P(GcWasm, OperandStackAndParamsSurvive) {
  Store store;
  Linker linker;
  Env env;
  DefineHost(linker, store, env);
  Instance* inst = Instantiate(linker, store, Module(R"(
    (func $deep (param $p externref) (result externref)
      (call $gc)
      (local.get $p))
    (func (export "run") (result i32)
      (call $make)              ;; id 0 stays on the operand stack across the calls below
      (call $deep (call $make)) ;; id 1 only in a param
      (drop)
      (call $gc)
      (i32.const 0)
      (call $check))
  )"));
  ASSERT_NE(inst, nullptr);
  auto r = Call(store, inst, "run");
  ASSERT_TRUE(r.ok() && !r->trap);
  EXPECT_EQ(r->results[0].i32(), 1u);
  EXPECT_EQ(env.gcs, 2);
  EXPECT_EQ(env.drops, 1);  // id 1, dropped before the second collection
}

TEST_P(GcWasm, FullTableTriggersGcFromWasm) {
  Store store;
  Linker linker;
  Env env;
  DefineHost(linker, store, env);
  store.data().Activations().SetCapacity(16);
  Instance* inst = Instantiate(linker, store, Module(R"(
    (global $h (mut externref) (ref.null extern))
    (global $g (mut externref) (ref.null extern))
    (table $t 1 externref)
    (func $c (param $n i32)
      (loop $l
        (drop (global.get $h))           ;; inline insertion; the table fills up
        (drop (table.get $t (i32.const 0)))  ;; insertion in wt_table_get_ref
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
    (func $b (param i32) (call $c (local.get 0)))
    (func $a (param i32) (call $b (local.get 0)))
    (func (export "run") (param $n i32) (result i32) (local $r externref)
      (global.set $h (call $make))      ;; id 0: held by a global throughout
      (table.set $t (i32.const 0) (global.get $h))
      (global.set $g (call $make))      ;; id 1: held by a global, then dropped
      (local.set $r (call $make))       ;; id 2: held only by this local
      (drop (call $make))               ;; id 3: dropped
      (call $a (local.get $n))
      (global.set $g (ref.null extern)) ;; id 1 now only in the activations table
      (call $a (local.get $n))
      (i32.and (call $check (local.get $r) (i32.const 2))
               (call $check (global.get $h) (i32.const 0))))
  )"));
  ASSERT_NE(inst, nullptr);
  uint64_t before = store.data().Activations().collections();
  auto r = Call(store, inst, "run", {Value::I32(100)});
  ASSERT_TRUE(r.ok() && !r->trap);
  EXPECT_EQ(r->results[0].i32(), 1u);
  EXPECT_GT(store.data().Activations().collections(), before + 4);
  EXPECT_EQ(store.data().Activations().failed_walks(), 0u);
  EXPECT_EQ(env.drops, 2);  // ids 1 and 3
  EXPECT_LE(store.data().Activations().capacity(), 16u);
}

TEST_P(GcWasm, TablesAndGlobalsHoldUntilOverwrittenOrStoreDropped) {
  Env env;
  int64_t live_before = gc::LiveObjects();
  {
    Store store;
    Linker linker;
    DefineHost(linker, store, env);
    Instance* inst = Instantiate(linker, store, Module(R"(
      (table $t 4 externref)
      (global $g (mut externref) (ref.null extern))
      (func (export "fill")
        (table.set $t (i32.const 0) (call $make))   ;; id 0
        (table.set $t (i32.const 1) (call $make))   ;; id 1
        (global.set $g (call $make))                ;; id 2
        (table.fill $t (i32.const 2) (call $make) (i32.const 2)))  ;; id 3 twice
      (func (export "overwrite")
        (table.set $t (i32.const 0) (ref.null extern))
        (table.copy $t $t (i32.const 2) (i32.const 1) (i32.const 1)))  ;; id 1 over one id 3
      (func (export "get") (param i32) (result externref) (table.get $t (local.get 0)))
      (func (export "global") (result externref) (global.get $g))
    )"));
    ASSERT_NE(inst, nullptr);
    ASSERT_TRUE(Call(store, inst, "fill").ok());
    gc::ActivationsTable& t = store.data().Activations();
    EXPECT_TRUE(t.Collect());
    EXPECT_EQ(env.drops, 0);
    auto g = Call(store, inst, "get", {Value::I32(3)});
    ASSERT_TRUE(g.ok() && !g->trap);
    ExternRef three(g->results[0].ref());  // a host handle on id 3
    EXPECT_EQ(static_cast<Tracked*>(three.payload())->id, 3);
    ASSERT_TRUE(Call(store, inst, "overwrite").ok());
    EXPECT_TRUE(t.Collect());
    EXPECT_EQ(env.drops, 1);  // id 0
    auto gl = Call(store, inst, "global");
    ASSERT_TRUE(gl.ok() && !gl->trap);
    EXPECT_EQ(
        static_cast<Tracked*>(static_cast<gc::ExternObject*>(gl->results[0].ref())->payload)->id,
        2);
    three = ExternRef();
    EXPECT_EQ(env.drops, 1);  // id 3 is still in element 3
  }
  EXPECT_EQ(env.drops, 4);  // the store's tables and globals let go of ids 1, 2, 3
  EXPECT_EQ(gc::LiveObjects(), live_before);
}

// A drop function that collects again: the nested collection returns at once.
struct Reentrant {
  Store* store;
  int* nested_results;
};

void DropReentrant(void* p) noexcept {
  auto* r = static_cast<Reentrant*>(p);
  if (!r->store->data().Activations().Collect()) ++*r->nested_results;
  delete r;
}

// The frame walk on hand-made frames: it must end at the entry trampoline's frame, whose saved
// fp is the scope's entry frame; anything else is a failed walk.
TEST(GcWalk, EndsAtTheEntryFrameOrFails) {
  CallScope scope;
  scope.entry_fp = 0x1000;
  uintptr_t frame[2] = {0x1000, 0};  // saved fp, return address
  auto fp = reinterpret_cast<uintptr_t>(frame);
  int visits = 0;
  auto visit = [&](void**) { ++visits; };
  uint64_t frames = 0;
  // pc outside any wasm function: the trampoline; its saved fp is the entry frame.
  EXPECT_TRUE(gc::WalkWasmFrames(fp, 0x10, &scope, visit, &frames));
  EXPECT_EQ(frames, 1u);
  frame[0] = 0x2000;  // some other frame: the walk cannot account for it
  EXPECT_FALSE(gc::WalkWasmFrames(fp, 0x10, &scope, visit));
  EXPECT_FALSE(gc::WalkWasmFrames(0, 0x10, &scope, visit));  // no frame pointer
  // An enclosing activation without a recorded exit point.
  CallScope outer;
  scope.prev = &outer;
  frame[0] = 0x1000;
  EXPECT_FALSE(gc::WalkWasmFrames(fp, 0x10, &scope, visit));
  // ... unless it belongs to another store (skipped).
  VMStoreContext mine{}, other{};
  scope.store_ctx = &mine;
  outer.store_ctx = &other;
  EXPECT_TRUE(gc::WalkWasmFrames(fp, 0x10, &scope, visit, nullptr, &mine));
  EXPECT_EQ(visits, 0);
  // No activation of this store at all: nothing to walk.
  EXPECT_TRUE(gc::WalkWasmFrames(0, 0, &outer, visit, nullptr, &mine));
}

TEST(GcActivations, ReentrantCollectionIsANoOp) {
  Store store;
  int refused = 0;
  gc::ActivationsTable& t = store.data().Activations();
  for (int i = 0; i < 3; ++i) {
    ExternRef r = ExternRef::New(new Reentrant{&store, &refused}, &DropReentrant);
    t.Insert(r.get());
  }
  EXPECT_TRUE(t.Collect());
  EXPECT_EQ(refused, 3);
  EXPECT_EQ(t.size(), 0u);
}

TEST_P(GcWasm, HostArgumentsAndResults) {
  Store store;
  Linker linker;
  Env env;
  DefineHost(linker, store, env);
  Instance* inst = Instantiate(linker, store, Module(R"(
    (func (export "id") (param externref) (result externref) (call $gc) (local.get 0))
  )"));
  ASSERT_NE(inst, nullptr);
  int drops = 0;
  {
    ExternRef mine = NewTracked(7, &drops);
    auto r = Call(store, inst, "id", {Value::ExternRef(mine.get())});
    ASSERT_TRUE(r.ok() && !r->trap);
    EXPECT_EQ(r->results[0].ref(), mine.get());
    EXPECT_EQ(mine.count(), 2u);  // the handle + the activations table
  }
  EXPECT_EQ(drops, 0);  // the activations table still holds it
  EXPECT_TRUE(store.data().Activations().Collect());
  EXPECT_EQ(drops, 1);
}

TEST_P(GcWasm, TrappedActivationsReleaseTheirReferences) {
  Store store;
  Linker linker;
  Env env;
  DefineHost(linker, store, env);
  Instance* inst = Instantiate(linker, store, Module(R"(
    (func (export "t") (local externref)
      (local.set 0 (call $make))
      (unreachable))
  )"));
  ASSERT_NE(inst, nullptr);
  auto r = Call(store, inst, "t");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->trap.has_value());
  EXPECT_EQ(env.drops, 0);
  EXPECT_TRUE(store.data().Activations().Collect());  // the trapped frames are gone
  EXPECT_EQ(env.drops, 1);
}

// Store A's wasm calls a host function that runs store B's wasm, which asks A to collect: the
// walk skips B's activation and finds A's frames below it.
struct CrossEnv {
  Store* other = nullptr;
  Func* other_func = nullptr;
  int collected = -1;
};

uint32_t HostEnterOther(void* env, VMContext*, ValueSlot*) noexcept {
  auto* e = static_cast<CrossEnv*>(env);
  auto r = Invoke(*e->other, *e->other_func, {});
  return r.ok() && !r->trap ? 0 : 1 + static_cast<uint32_t>(TrapCode::kHostError);
}

uint32_t HostCollectOther(void* env, VMContext*, ValueSlot*) noexcept {
  auto* e = static_cast<CrossEnv*>(env);
  e->collected = e->other->data().Activations().Collect() ? 1 : 0;
  return 0;
}

TEST_P(GcWasm, CollectionSkipsActivationsOfOtherStores) {
  Store a, b;
  Linker la, lb;
  Env env;
  DefineHost(la, a, env);
  CrossEnv to_b, to_a;
  to_a.other = &a;
  lb.Define("host", "collect_a", b.NewHostFunc(Sig({}, {}), &HostCollectOther, &to_a));
  Instance* ib = Instantiate(lb, b, R"((module
    (import "host" "collect_a" (func $c))
    (func (export "run") (call $c))))");
  ASSERT_NE(ib, nullptr);
  to_b.other = &b;
  to_b.other_func = ib->GetFunc("run");
  la.Define("host", "enter_b", a.NewHostFunc(Sig({}, {}), &HostEnterOther, &to_b));
  Instance* ia = Instantiate(la, a, Module(R"(
    (import "host" "enter_b" (func $enter_b))
    (func (export "run") (result i32) (local $r externref)
      (local.set $r (call $make))   ;; id 0, only in this local
      (drop (call $make))           ;; id 1, dropped
      (call $enter_b)
      (call $check (local.get $r) (i32.const 0)))
  )"));
  ASSERT_NE(ia, nullptr);
  auto r = Call(a, ia, "run");
  ASSERT_TRUE(r.ok() && !r->trap);
  EXPECT_EQ(to_a.collected, 1);
  EXPECT_EQ(a.data().Activations().failed_walks(), 0u);
  EXPECT_EQ(r->results[0].i32(), 1u);
  EXPECT_EQ(env.drops, 1);
}

// 10 million externrefs through a loop of calls with a small activations table: the live
// objects stay bounded (and LeakSanitizer finds nothing at exit in the ASan build).
TEST(GcStress, TenMillionRefsThroughCallsStayBounded) {
  Store store;
  Linker linker;
  Env env;
  DefineHost(linker, store, env);
  store.data().Activations().SetCapacity(64);
  Instance* inst = Instantiate(linker, store, Module(R"(
    (func $pass (param externref) (result externref) (local.get 0))
    (func $keep (param externref) (param i32) (result i32)
      (call $check (call $pass (local.get 0)) (local.get 1)))
    (func (export "run") (param $n i32) (result i32) (local $i i32) (local $ok i32)
      (local.set $ok (i32.const 1))
      (loop $l
        (local.set $ok (i32.and (local.get $ok)
          (call $keep (call $pass (call $make)) (local.get $i))))
        (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                            (local.get $n))))
      (local.get $ok))
  )"));
  ASSERT_NE(inst, nullptr);
  constexpr uint32_t kN = 10'000'000;
  auto r = Call(store, inst, "run", {Value::I32(kN)});
  ASSERT_TRUE(r.ok() && !r->trap);
  EXPECT_EQ(r->results[0].i32(), 1u);
  EXPECT_TRUE(env.check_ok);
  EXPECT_EQ(env.checked, static_cast<int>(kN));
  EXPECT_LE(env.max_live, 200);  // bounded by the table (64) plus the frames' few references
  EXPECT_GE(store.data().Activations().collections(), kN / 128);
  EXPECT_LE(store.data().Activations().capacity(), 64u);
}

}  // namespace
}  // namespace wt::runtime
