// [wasmgc] Cycles through exception payloads (docs/gc.md "The GC heap"): a struct whose field
// holds an exnref whose payload holds the struct. Exceptions count their payload, so before
// the collector traced exceptions this cycle pinned itself forever; now a collection frees
// both. Runs on both ISAs (unit tests under qemu) and in both compile modes.
#include <gtest/gtest.h>

#include "runtime/gc/activations.h"
#include "runtime/gc/gc_ref.h"
#include "runtime/gc/heap.h"
#include "runtime/instance_data.h"
#include "runtime_test_util.h"

namespace wt::runtime {
namespace {

using testing::Instantiate;
using testing::LoadModeTest;

class GcExnCycle : public LoadModeTest {};
WT_BOTH_COMPILE_MODES(GcExnCycle);

const wasm::Features kFeatures = wasm::Features::Wasm30();

// "cycles" N: N rounds, each makes a struct s and an exception e thrown with s as payload,
// caught with catch_ref, and stores e in s's field: s -> e -> s. Everything is garbage at the
// end of a round. "keep" makes one such cycle and keeps s in a global.
constexpr const char* kModule = R"(
  (module
    (type $s (struct (field (mut exnref)) (field i64)))
    (tag $e (param (ref null $s)))
    (global $kept (mut (ref null $s)) (ref.null $s))
    (func $cycle (param $i i32) (result (ref $s))
      (local $s (ref null $s)) (local $x exnref)
      (local.set $s (struct.new $s (ref.null exn) (i64.extend_i32_u (local.get $i))))
      (block $h (result (ref null $s) exnref)
        (try_table (catch_ref $e $h) (throw $e (local.get $s)))
        (unreachable))
      (local.set $x)  ;; the caught exnref
      (drop)          ;; its payload: $s
      (struct.set $s 0 (local.get $s) (local.get $x))
      (ref.as_non_null (local.get $s)))
    (func (export "cycles") (param $n i32)
      (loop $l
        (drop (call $cycle (local.get $n)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
    (func (export "keep") (global.set $kept (call $cycle (i32.const 7))))
    (func (export "kept_value") (result i64)
      (local $s (ref $s))
      (local.set $s (ref.as_non_null (global.get $kept)))
      ;; s -> e -> payload s: rethrow e and read the payload's value
      (block $h (result (ref null $s))
        (try_table (catch $e $h) (throw_ref (struct.get $s 0 (local.get $s))))
        (unreachable))
      (struct.get $s 1 (ref.as_non_null))))
)";

Result<InvokeResult> Call(Instance* inst, const char* name, std::vector<Value> args = {}) {
  return Invoke(*inst->data().store, *inst->GetFunc(name), args);
}

// Calls `name` and expects it to return without a trap.
void CallOk(Instance* inst, const char* name, std::vector<Value> args = {}) {
  auto r = Call(inst, name, std::move(args));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_FALSE(r->trap) << TrapMessage(r->trap->code);
}

TEST_P(GcExnCycle, CyclesThroughExceptionPayloadsAreReclaimed) {
  const int64_t live = gc::LiveObjects();
  Store store;
  Linker linker;
  Instance* inst = Instantiate(linker, store, kModule, kFeatures);
  ASSERT_NE(inst, nullptr);
  CallOk(inst, "cycles", {Value::I32(20000)});
  store.data().Heap().Collect();
  // Every exception of the 20,000 cycles is freed (exceptions are counted objects) and so is
  // every struct (the heap's live bytes after the collection: nothing is left).
  EXPECT_EQ(gc::LiveObjects(), live);
  EXPECT_EQ(store.data().Heap().stats().bytes_live, 0u);
  EXPECT_GT(store.data().Heap().stats().objects_freed, 0u);
}

TEST_P(GcExnCycle, ACycleReachableFromAGlobalStays) {
  const int64_t live = gc::LiveObjects();
  {
    Store store;
    Linker linker;
    Instance* inst = Instantiate(linker, store, kModule, kFeatures);
    ASSERT_NE(inst, nullptr);
    CallOk(inst, "keep");
    CallOk(inst, "cycles", {Value::I32(1000)});
    for (int i = 0; i < 3; ++i) {
      store.data().Heap().Collect();
      auto r = Call(inst, "kept_value");
      ASSERT_TRUE(r.ok());
      ASSERT_FALSE(r->trap) << TrapMessage(r->trap->code);
      EXPECT_EQ(r->results[0].i64(), 7u);
    }
    EXPECT_EQ(gc::LiveObjects(), live + 1);  // the kept cycle's exception
    EXPECT_GT(store.data().Heap().stats().bytes_live, 0u);
  }
  EXPECT_EQ(gc::LiveObjects(), live);
}

}  // namespace
}  // namespace wt::runtime
