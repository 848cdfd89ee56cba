// [wasmgc] The GC heap (docs/gc.md "The GC heap"): Rtts, bump allocation, the collector with
// the activations table (cycles freed, pins, tracing of fields and arrays, externs kept by
// heap objects), the bound, and cyclic garbage in bounded memory.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "runtime/gc/activations.h"
#include "runtime/gc/gc_ref.h"
#include "runtime/gc/heap.h"
#include "runtime/instance_data.h"
#include "runtime/type_registry.h"
#include "runtime_test_util.h"
#include "wasm/module.h"

namespace wt::runtime {
namespace {

using gc::GcHeader;
using gc::GcHeap;
using gc::Rtt;

wasm::ValType RefTo(uint32_t index, bool nullable = true) {
  wasm::ValType t;
  t.kind = wasm::ValKind::kRef;
  t.nullable = nullable;
  t.heap.kind = wasm::HeapKind::kIndex;
  t.heap.index = index;
  return t;
}

wasm::ValType Abstract(wasm::HeapKind k) {
  wasm::ValType t;
  t.kind = wasm::ValKind::kRef;
  t.nullable = true;
  t.heap.kind = k;
  return t;
}

wasm::ValType Num(wasm::ValKind k) {
  wasm::ValType t;
  t.kind = k;
  return t;
}

wasm::FieldType Field(wasm::ValType t, wasm::Packed packed = wasm::Packed::kNone) {
  wasm::FieldType f;
  f.storage.type = t;
  f.storage.packed = packed;
  f.mutable_ = true;
  return f;
}

wasm::SubType Struct(std::vector<wasm::FieldType> fields, std::vector<uint32_t> supers = {}) {
  wasm::SubType st;
  st.final = false;
  st.supers = std::move(supers);
  st.composite.kind = wasm::CompositeKind::kStruct;
  st.composite.fields = std::move(fields);
  return st;
}

wasm::SubType Array(wasm::FieldType elem) {
  wasm::SubType st;
  st.composite.kind = wasm::CompositeKind::kArray;
  st.composite.fields = {elem};
  return st;
}

// The types of the tests (one recursion group each):
//   0 node   = struct { i8, (ref null node) next, i32, (ref null node) prev }
//   1 refs   = array (ref null any)
//   2 box    = struct { externref }
//   3 bytes  = array i8
//   4 func   = func
//   5 fbox   = struct { funcref, (ref null 4) }
//   6..15    = a chain of 10 structs, each the subtype of the one before
struct Types {
  std::vector<const Rtt*> rtts;
  Types() {
    wasm::Module m;
    m.types.push_back(Struct({Field(Num(wasm::ValKind::kI32), wasm::Packed::kI8), Field(RefTo(0)),
                              Field(Num(wasm::ValKind::kI32)), Field(RefTo(0))}));
    m.types.push_back(Array(Field(Abstract(wasm::HeapKind::kAny))));
    m.types.push_back(Struct({Field(Abstract(wasm::HeapKind::kExtern))}));
    m.types.push_back(Array(Field(Num(wasm::ValKind::kI32), wasm::Packed::kI8)));
    wasm::SubType f;
    f.composite.kind = wasm::CompositeKind::kFunc;
    m.types.push_back(f);
    m.types.push_back(Struct({Field(Abstract(wasm::HeapKind::kFunc)), Field(RefTo(4))}));
    for (uint32_t i = 0; i < 10; ++i) {
      std::vector<uint32_t> supers;
      if (i > 0) supers.push_back(6 + i - 1);
      m.types.push_back(Struct({Field(Num(wasm::ValKind::kI64))}, supers));
    }
    std::vector<uint32_t> ids = CanonicalTypeIds(m);
    for (uint32_t id : ids) rtts.push_back(gc::RttOf(id));
  }
  const Rtt* node() const { return rtts[0]; }
  const Rtt* refs() const { return rtts[1]; }
  const Rtt* box() const { return rtts[2]; }
  const Rtt* bytes() const { return rtts[3]; }
};

const Types& T() {
  static const Types t;
  return t;
}

constexpr uint32_t kNext = 16 + 8;  // node: i8 at 16, next at 24, i32 at 32, prev at 40
constexpr uint32_t kPrev = 40;

void* Get(void* obj, uint32_t off) {
  void* v;
  std::memcpy(&v, static_cast<uint8_t*>(obj) + off, sizeof v);
  return v;
}
void Set(void* obj, uint32_t off, void* v) {
  std::memcpy(static_cast<uint8_t*>(obj) + off, &v, sizeof v);
}
void SetElem(void* arr, uint32_t i, void* v) {
  Set(arr, gc::kArrayElems + 8 * i, v);
}

// A host value that records when it is dropped.
void DropCounter(void* p) noexcept {
  ++*static_cast<int*>(p);
}

TEST(GcRtt, LayoutDisplayAndRefOffsets) {
  const Rtt* node = T().node();
  EXPECT_EQ(node->kind, gc::GcKind::kStruct);
  EXPECT_EQ(node->size, 48u);  // i8 @16, ref @24, i32 @32, ref @40
  ASSERT_EQ(node->num_ref_offsets, 2u);
  EXPECT_EQ(node->ref_offsets[0], kNext);
  EXPECT_EQ(node->ref_offsets[1], kPrev);
  EXPECT_EQ(node->depth, 0u);
  EXPECT_EQ(node->display[0], node);
  EXPECT_EQ(node->display[1], nullptr);
  EXPECT_EQ(T().refs()->kind, gc::GcKind::kArray);
  EXPECT_EQ(T().refs()->elem_size_log2, 3);
  EXPECT_EQ(T().refs()->elem_is_ref, 1);
  EXPECT_EQ(T().bytes()->elem_size_log2, 0);
  EXPECT_EQ(T().bytes()->elem_is_ref, 0);
  EXPECT_EQ(T().box()->num_ref_offsets, 1u);    // externref: traced
  EXPECT_EQ(T().rtts[5]->num_ref_offsets, 0u);  // funcref, (ref null func type): not
  EXPECT_EQ(T().rtts[4]->composite, wasm::CompositeKind::kFunc);
  // The chain: depth i; the display holds the supertypes; depth >= 8 uses `deep`.
  for (uint32_t i = 0; i < 10; ++i) {
    const Rtt* r = T().rtts[6 + i];
    EXPECT_EQ(r->depth, i);
    for (uint32_t j = 0; j <= i; ++j) {
      const Rtt* super = T().rtts[6 + j];
      if (j < gc::kRttDisplay) {
        EXPECT_EQ(r->display[j], super) << i << " " << j;
      }
      if (i >= gc::kRttDisplay) {
        EXPECT_EQ(r->deep[j], super) << i << " " << j;
      }
    }
  }
  // Canonical: the same structure in another module gives the same Rtt.
  wasm::Module m;
  m.types.push_back(Struct({Field(Num(wasm::ValKind::kI32), wasm::Packed::kI8), Field(RefTo(0)),
                            Field(Num(wasm::ValKind::kI32)), Field(RefTo(0))}));
  EXPECT_EQ(gc::RttOf(CanonicalTypeIds(m)[0]), node);
}

TEST(GcHeapAlloc, BumpSpansAndZeroedObjects) {
  Store store;
  GcHeap& heap = store.data().Heap();
  VMStoreContext& ctx = store.data().store_ctx;
  EXPECT_EQ(ctx.gc_heap, &heap);
  GcHeader* a = heap.AllocStruct(T().node());
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->kind, gc::GcKind::kStruct);
  EXPECT_EQ(a->rtt, T().node());
  EXPECT_EQ(a->count, 0u);
  EXPECT_EQ(Get(a, kNext), nullptr);
  // The span continues after the object: the next one is adjacent.
  EXPECT_EQ(ctx.gc_next, reinterpret_cast<uint8_t*>(a) + 48);
  EXPECT_LE(ctx.gc_next, ctx.gc_end);
  GcHeader* b = heap.AllocArray(T().bytes(), 13);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(reinterpret_cast<uint8_t*>(b), reinterpret_cast<uint8_t*>(a) + 48);
  uint32_t len;
  std::memcpy(&len, reinterpret_cast<uint8_t*>(b) + gc::kArrayLength, 4);
  EXPECT_EQ(len, 13u);
  EXPECT_EQ(ctx.gc_next, reinterpret_cast<uint8_t*>(b) + 40);  // 24 + 13 rounded to 8
  EXPECT_TRUE(heap.IsObject(a));
  EXPECT_TRUE(heap.IsObject(b));
  EXPECT_FALSE(heap.IsObject(reinterpret_cast<uint8_t*>(a) + 8));
  // A large array: its own mapping, zeroed.
  GcHeader* big = heap.AllocArray(T().bytes(), 1 << 20);
  ASSERT_NE(big, nullptr);
  EXPECT_TRUE(heap.IsObject(big));
  const auto* bytes = reinterpret_cast<const uint8_t*>(big) + gc::kArrayElems;
  for (uint32_t i = 0; i < (1u << 20); i += 4093) ASSERT_EQ(bytes[i], 0);
}

TEST(GcHeapCollect, CyclesAreFreed) {
  Store store;
  GcHeap& heap = store.data().Heap();
  std::vector<GcHeader*> ring;
  for (int i = 0; i < 1000; ++i) ring.push_back(heap.AllocStruct(T().node()));
  for (size_t i = 0; i < ring.size(); ++i) {
    Set(ring[i], kNext, ring[(i + 1) % ring.size()]);
    Set(ring[(i + 1) % ring.size()], kPrev, ring[i]);
  }
  EXPECT_TRUE(heap.IsObject(ring[500]));
  const uint64_t freed = heap.stats().objects_freed;
  heap.Collect();
  EXPECT_EQ(heap.stats().objects_freed - freed, 1000u);
  for (GcHeader* h : ring) EXPECT_FALSE(heap.IsObject(h));
  // Freed memory is zeroed and re-used.
  EXPECT_EQ(Get(ring[0], kNext), nullptr);
  GcHeader* again = heap.AllocStruct(T().node());
  EXPECT_TRUE(heap.IsObject(again));
}

TEST(GcHeapCollect, PinnedAndReachableSurvive) {
  Store store;
  GcHeap& heap = store.data().Heap();
  GcHeader* root = heap.AllocStruct(T().node());
  GcHeader* child = heap.AllocStruct(T().node());
  GcHeader* grandchild = heap.AllocStruct(T().node());
  GcHeader* garbage = heap.AllocStruct(T().node());
  Set(root, kNext, child);
  Set(child, kPrev, grandchild);
  Set(grandchild, kNext, root);  // a cycle through the pinned root
  Set(garbage, kNext, child);    // points into the live set; nothing points to it
  gc::IncRef(root);              // a pin (as a table or a global holds it)
  heap.Collect();
  EXPECT_TRUE(heap.IsObject(root));
  EXPECT_TRUE(heap.IsObject(child));
  EXPECT_TRUE(heap.IsObject(grandchild));
  EXPECT_FALSE(heap.IsObject(garbage));
  EXPECT_EQ(Get(root, kNext), child);
  EXPECT_EQ(Get(child, kPrev), grandchild);
  EXPECT_EQ(root->count, 1u);
  // Unpinned: the whole cycle goes.
  gc::DecRef(root);
  EXPECT_TRUE(heap.IsObject(root));  // a count of zero only unpins
  heap.Collect();
  EXPECT_FALSE(heap.IsObject(root));
  EXPECT_FALSE(heap.IsObject(child));
  EXPECT_FALSE(heap.IsObject(grandchild));
}

TEST(GcHeapCollect, RegisteredHostSlotsAreRoots) {
  Store store;
  GcHeap& heap = store.data().Heap();
  int drops = 0;
  void* obj = heap.AllocStruct(T().node());
  void* other = heap.AllocStruct(T().node());
  Set(obj, kNext, other);
  void* ext = gc::ExternRef::New(&drops, &DropCounter).Release();
  store.data().Activations().InsertOwned(ext);
  void* i31 = reinterpret_cast<void*>(uintptr_t{7});
  {
    GcHeap::Root r1(heap, &obj);
    GcHeap::Root r2(heap, &ext);
    GcHeap::Root r3(heap, &i31);
    heap.Collect();
    EXPECT_TRUE(heap.IsObject(obj));
    EXPECT_TRUE(heap.IsObject(other));
    EXPECT_EQ(drops, 0);
  }
  heap.Collect();
  EXPECT_FALSE(heap.IsObject(obj));
  EXPECT_FALSE(heap.IsObject(other));
  EXPECT_EQ(drops, 1);
}

TEST(GcHeapCollect, ArraysOfRefsAreTraced) {
  Store store;
  GcHeap& heap = store.data().Heap();
  GcHeader* arr = heap.AllocArray(T().refs(), 64);
  std::vector<GcHeader*> kids;
  for (uint32_t i = 0; i < 64; ++i) {
    kids.push_back(heap.AllocStruct(T().node()));
    // Even slots: objects; odd slots: i31 values (never dereferenced).
    SetElem(arr, i,
            i % 2 == 0 ? static_cast<void*>(kids.back())
                       : reinterpret_cast<void*>(uintptr_t{i} << 1 | 1));
  }
  // A byte array whose bytes look like a pointer to a kid is not traced.
  GcHeader* raw = heap.AllocArray(T().bytes(), 8);
  Set(raw, gc::kArrayElems, kids[1]);
  gc::IncRef(arr);
  gc::IncRef(raw);
  heap.Collect();
  for (uint32_t i = 0; i < 64; ++i) EXPECT_EQ(heap.IsObject(kids[i]), i % 2 == 0) << i;
  // A large array of references.
  GcHeader* big = heap.AllocArray(T().refs(), 100000);
  GcHeader* far = heap.AllocStruct(T().node());
  SetElem(big, 99999, far);
  gc::IncRef(big);
  heap.Collect();
  EXPECT_TRUE(heap.IsObject(big));
  EXPECT_TRUE(heap.IsObject(far));
  gc::DecRef(big);
  heap.Collect();
  EXPECT_FALSE(heap.IsObject(big));
  EXPECT_FALSE(heap.IsObject(far));
}

TEST(GcHeapCollect, ExternHeldByAStructLivesWhileTheStructDoes) {
  Store store;
  GcHeap& heap = store.data().Heap();
  gc::ActivationsTable& table = store.data().Activations();
  int drops = 0;
  GcHeader* box = heap.AllocStruct(T().box());
  gc::IncRef(box);
  {
    gc::ExternRef e = gc::ExternRef::New(&drops, &DropCounter);
    table.Insert(e.get());  // as when a wasm frame received it
    Set(box, gc::kStructFields, e.get());
  }  // the handle's count is gone: only the table's remains
  EXPECT_EQ(drops, 0);
  heap.Collect();
  heap.Collect();
  EXPECT_EQ(drops, 0);  // reached from the pinned struct: stays in the table
  EXPECT_EQ(table.size(), 1u);
  gc::DecRef(box);
  heap.Collect();  // the struct goes, and with it the table's entry
  EXPECT_FALSE(heap.IsObject(box));
  EXPECT_EQ(drops, 1);
  EXPECT_EQ(table.size(), 0u);
}

TEST(GcHeapCollect, TableEntriesDoNotPinButFramesWouldHold) {
  // A heap object in the activations table (an Invoke argument, a global.get result): the
  // table's count is set aside, so with no frame holding it the collection frees it, and the
  // table drops its entry without touching freed memory.
  Store store;
  GcHeap& heap = store.data().Heap();
  gc::ActivationsTable& table = store.data().Activations();
  GcHeader* a = heap.AllocStruct(T().node());
  GcHeader* b = heap.AllocStruct(T().node());
  table.Insert(a);
  table.Insert(a);  // twice: two counts set aside
  table.Insert(b);
  gc::IncRef(b);  // b has a pin besides the table
  EXPECT_EQ(a->count, 2u);
  heap.Collect();
  EXPECT_FALSE(heap.IsObject(a));
  EXPECT_TRUE(heap.IsObject(b));
  EXPECT_EQ(b->count, 1u);  // the table's count dropped, the pin remains
  EXPECT_EQ(table.size(), 0u);
  // The table filling up collects the heap too.
  table.SetCapacity(4);
  GcHeader* c = heap.AllocStruct(T().node());
  const uint64_t before = heap.stats().collections;
  int drops = 0;
  for (int i = 0; i < 5; ++i) {
    gc::ExternRef e = gc::ExternRef::New(&drops, &DropCounter);
    table.Insert(e.get());
  }
  EXPECT_GT(heap.stats().collections, before);
  EXPECT_FALSE(heap.IsObject(c));
  EXPECT_EQ(drops, 4);
}

TEST(GcHeapBound, ExhaustionIsNullNotACrash) {
  StoreOptions o;
  o.limits.max_gc_heap_bytes = 4 << 20;
  Store store(o);
  GcHeap& heap = store.data().Heap();
  EXPECT_EQ(heap.max_bytes(), 4u << 20);
  // A single array larger than the bound.
  EXPECT_EQ(heap.AllocArray(T().bytes(), 5 << 20), nullptr);
  EXPECT_EQ(heap.AllocArray(T().refs(), UINT32_MAX), nullptr);
  // Live (pinned) objects up to the bound: then null, after a collection that frees nothing.
  std::vector<GcHeader*> live;
  for (;;) {
    GcHeader* h = heap.AllocStruct(T().node());
    if (h == nullptr) break;
    gc::IncRef(h);
    live.push_back(h);
    ASSERT_LT(live.size(), 200000u);
  }
  EXPECT_GT(live.size(), (3u << 20) / 48);
  EXPECT_LE(heap.stats().bytes_reserved, 4u << 20);
  // Unpinned, they are collected and allocation works again.
  for (GcHeader* h : live) gc::DecRef(h);
  EXPECT_NE(heap.AllocStruct(T().node()), nullptr);
  // Large objects count against the bound too.
  GcHeader* l1 = heap.AllocArray(T().bytes(), 3 << 20);
  ASSERT_NE(l1, nullptr);
  gc::IncRef(l1);
  EXPECT_EQ(heap.AllocArray(T().bytes(), 3 << 20), nullptr);
  gc::DecRef(l1);
  EXPECT_NE(heap.AllocArray(T().bytes(), 3 << 20), nullptr);
}

// Rings of `n` nodes dropped at once, `rounds` times; returns the peak bytes reserved.
uint64_t CyclicGarbage(GcHeap& heap, int rounds, int n) {
  uint64_t peak = 0;
  for (int r = 0; r < rounds; ++r) {
    GcHeader* first = heap.AllocStruct(T().node());
    if (first == nullptr) return UINT64_MAX;
    gc::IncRef(first);  // host code holds the ring under construction by a pin
    GcHeader* prev = first;
    for (int i = 1; i < n; ++i) {
      GcHeader* h = heap.AllocStruct(T().node());
      if (h == nullptr) return UINT64_MAX;
      Set(prev, kNext, h);
      Set(h, kPrev, prev);
      prev = h;
    }
    Set(prev, kNext, first);
    Set(first, kPrev, prev);
    gc::DecRef(first);
    peak = std::max(peak, heap.stats().bytes_reserved);
  }
  return peak;
}

TEST(GcHeapStress, CyclicGarbageStaysBounded) {
  StoreOptions o;
  o.limits.max_gc_heap_bytes = 32 << 20;
  {
    Store store(o);
    GcHeap& heap = store.data().Heap();
    // 2 million nodes (96 MB of objects) in rings of 1000.
    const uint64_t peak = CyclicGarbage(heap, 2000, 1000);
    EXPECT_LE(peak, 32u << 20);
    EXPECT_GT(heap.stats().collections, 3u);
    EXPECT_GE(heap.stats().objects_freed, 1000000u);
  }
  {
    // The control: with collection disabled the same loop exhausts the bound.
    Store store(o);
    GcHeap& heap = store.data().Heap();
    heap.SetCollectionEnabled(false);
    EXPECT_EQ(CyclicGarbage(heap, 2000, 1000), UINT64_MAX);
    EXPECT_EQ(heap.stats().objects_freed, 0u);
  }
}

// [wasmgc] #18: the trigger grows with the live set. A list growing to 1 million nodes (48 MB)
// amid 4 million nodes of garbage: between two collections the heap hands out at least twice
// the live bytes of the first (kGrowthFactor; one span of slack). With the old trigger (1x the
// live bytes) list_churn.wat spent most of its time re-marking its list (docs/gc.md, When).
TEST(GcHeapStress, GrowingLiveSetWaitsForTwiceItsBytes) {
  Store store;
  GcHeap& heap = store.data().Heap();
  void* head = nullptr;
  GcHeap::Root root(heap, &head);
  uint64_t collections = heap.stats().collections;
  uint64_t allocated_at = 0;
  uint64_t live_at = 0;
  int checked = 0;
  for (uint32_t i = 0; i < 1000000; ++i) {
    GcHeader* n = heap.AllocStruct(T().node());
    ASSERT_NE(n, nullptr);
    Set(n, kNext, head);
    head = n;
    for (int g = 0; g < 4; ++g) ASSERT_NE(heap.AllocStruct(T().node()), nullptr);
    const gc::GcHeapStats& s = heap.stats();
    if (s.collections == collections) continue;
    if (collections > 0 && live_at >= (4u << 20)) {
      EXPECT_GE(s.bytes_allocated - allocated_at + (1u << 20), 2 * live_at)
          << "collection " << s.collections << ", live before " << live_at;
      ++checked;
    }
    collections = s.collections;
    allocated_at = s.bytes_allocated;
    live_at = s.bytes_live;
  }
  EXPECT_GE(checked, 3);
  // The whole list survived every collection (marks are cleared between them).
  uint32_t length = 0;
  for (void* p = head; p != nullptr; p = Get(p, kNext)) ++length;
  EXPECT_EQ(length, 1000000u);
}

// ---- Roots in wasm frames (JIT code's stack maps, x86_64 and aarch64): structs made by host
// functions (anyref results enter through the activations table), held by wasm locals.

struct WasmEnv {
  Store* store = nullptr;
  std::vector<void*> made;  // every object "make" returned
  int gcs = 0;
};

// () -> anyref: a new node whose `next` field holds a second node (reachable only through it).
uint32_t HostMakePair(void* env, VMContext*, ValueSlot* args) noexcept {
  auto* e = static_cast<WasmEnv*>(env);
  GcHeap& heap = e->store->data().Heap();
  void* a = heap.AllocStruct(T().node());
  GcHeap::Root root(heap, &a);
  void* b = heap.AllocStruct(T().node());
  Set(a, kNext, b);
  e->made.push_back(a);
  gc::IncRef(a);  // a host function's reference result hands over one count
  args[0].ref = a;
  return 0;
}

// () -> (): a collection of the heap from a host function called by wasm.
uint32_t HostCollect(void* env, VMContext*, ValueSlot*) noexcept {
  auto* e = static_cast<WasmEnv*>(env);
  e->store->data().Heap().Collect();
  ++e->gcs;
  return 0;
}

// (anyref) -> i32: the node and the node its `next` holds are live objects.
uint32_t HostAlive(void* env, VMContext*, ValueSlot* args) noexcept {
  auto* e = static_cast<WasmEnv*>(env);
  GcHeap& heap = e->store->data().Heap();
  void* a = args[0].ref;
  args[0].i32 = heap.IsObject(a) && heap.IsObject(Get(a, kNext)) ? 1 : 0;
  return 0;
}

class GcHeapWasm : public testing::LoadModeTest {};
WT_BOTH_COMPILE_MODES(GcHeapWasm);

TEST_P(GcHeapWasm, StructsHeldByWasmLocalsSurviveCollections) {
  Store store;
  Linker linker;
  WasmEnv env;
  env.store = &store;
  const wasm::ValType anyref = Abstract(wasm::HeapKind::kAny);
  linker.Define("host", "make", store.NewHostFunc(testing::Sig({}, {anyref}), &HostMakePair, &env));
  linker.Define("host", "gc", store.NewHostFunc(testing::Sig({}, {}), &HostCollect, &env));
  linker.Define(
      "host", "alive",
      store.NewHostFunc(testing::Sig({anyref}, {wasm::ValType::I32()}), &HostAlive, &env));
  Instance* inst = testing::Instantiate(linker, store, R"((module
    (import "host" "make" (func $make (result anyref)))
    (import "host" "gc" (func $gc))
    (import "host" "alive" (func $alive (param anyref) (result i32)))
    (func $c (call $gc))
    (func $b (param anyref) (result i32) (call $c) (call $alive (local.get 0)))
    (func (export "run") (result i32) (local $r anyref) (local $s anyref) (local $k i32)
      (local.set $r (call $make))   ;; made[0]: held by the local across the collections
      (local.set $s (call $make))   ;; made[1]: dropped before them
      (local.set $s (ref.null any))
      (local.set $k (call $b (call $make)))  ;; made[2]: a parameter one frame deeper
      (call $gc)
      (i32.add (local.get $k) (i32.shl (call $alive (local.get $r)) (i32.const 1))))
  ))",
                                        wasm::Features::Wasm30());
  ASSERT_NE(inst, nullptr);
  auto r = Invoke(store, *inst->GetFunc("run"), {});
  ASSERT_TRUE(r.ok() && !r->trap);
  EXPECT_EQ(r->results[0].i32(), 3u);  // made[2] alive in $b, made[0] alive at the end
  EXPECT_EQ(env.gcs, 2);
  GcHeap& heap = store.data().Heap();
  ASSERT_EQ(env.made.size(), 3u);
  // made[1] was dropped by wasm before the collections; made[2] was live in $b's parameter
  // during the first, dead at the second.
  EXPECT_FALSE(heap.IsObject(env.made[1]));
  EXPECT_FALSE(heap.IsObject(env.made[2]));
  EXPECT_TRUE(heap.IsObject(env.made[0]));
  // Returned to the host: no frame holds anything any more.
  heap.Collect();
  EXPECT_FALSE(heap.IsObject(env.made[0]));
}

// ---- Allocation from JIT code (struct.new: inline bump, wt_gc_alloc_struct when the span is
// exhausted, which collects from the calling wasm frame).

constexpr const char* kChurn = R"((module
  (type $node (struct (field (mut (ref null $node))) (field i64)))
  (func (export "churn") (param $n i32) (result i64)
    (local $a (ref null $node)) (local $keep (ref null $node)) (local $i i32)
    (local.set $keep (struct.new $node (ref.null $node) (i64.const 42)))
    (loop $l
      (local.set $a (struct.new $node (ref.null $node) (i64.const 1)))  ;; a 2-node cycle
      (struct.set $node 0 (local.get $a) (struct.new $node (local.get $a) (i64.const 2)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (struct.get $node 1 (local.get $keep)))
  (func (export "list") (param $n i32) (result i32)
    (local $a (ref null $node)) (local $i i32)
    (loop $l
      (local.set $a (struct.new $node (local.get $a) (i64.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    ;; walk it back: every node must have survived
    (local.set $i (i32.const 0))
    (block $done
      (loop $w
        (br_if $done (ref.is_null (local.get $a)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $a (struct.get $node 0 (local.get $a)))
        (br $w)))
    (local.get $i))
))";

TEST_P(GcHeapWasm, JitAllocationCollectsCyclesAndTrapsAtTheBound) {
  StoreOptions o;
  o.limits.max_gc_heap_bytes = 16 << 20;
  {
    Store store(o);
    Linker linker;
    Instance* inst = testing::Instantiate(linker, store, kChurn, wasm::Features::Wasm30());
    ASSERT_NE(inst, nullptr);
    // 4 million 32-byte nodes of cyclic garbage (128 MB) through a 16 MiB heap; $keep lives.
    auto r = Invoke(store, *inst->GetFunc("churn"), std::vector<Value>{Value::I32(2000000)});
    ASSERT_TRUE(r.ok());
    ASSERT_FALSE(r->trap) << r->trap->detail;
    EXPECT_EQ(r->results[0].i64(), 42u);
    GcHeap& heap = store.data().Heap();
    EXPECT_GT(heap.stats().collections, 5u);
    EXPECT_LE(heap.stats().bytes_reserved, 16u << 20);
    // A live list of 200000 nodes (6.4 MB) survives the collections its allocation starts.
    r = Invoke(store, *inst->GetFunc("list"), std::vector<Value>{Value::I32(200000)});
    ASSERT_TRUE(r.ok() && !r->trap);
    EXPECT_EQ(r->results[0].i32(), 200000u);
    // A live list beyond the bound: a trap, not a crash.
    r = Invoke(store, *inst->GetFunc("list"), std::vector<Value>{Value::I32(1000000)});
    ASSERT_TRUE(r.ok());
    ASSERT_TRUE(r->trap);
    EXPECT_EQ(r->trap->code, TrapCode::kGcHeapExhausted);
  }
  {
    // The control: with collection disabled the same churn exhausts the heap.
    Store store(o);
    Linker linker;
    Instance* inst = testing::Instantiate(linker, store, kChurn, wasm::Features::Wasm30());
    ASSERT_NE(inst, nullptr);
    store.data().Heap().SetCollectionEnabled(false);
    auto r = Invoke(store, *inst->GetFunc("churn"), std::vector<Value>{Value::I32(2000000)});
    ASSERT_TRUE(r.ok());
    ASSERT_TRUE(r->trap);
    EXPECT_EQ(r->trap->code, TrapCode::kGcHeapExhausted);
  }
}

}  // namespace
}  // namespace wt::runtime
