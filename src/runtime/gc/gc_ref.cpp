#include "runtime/gc/gc_ref.h"

#include <atomic>
#include <exception>
#include <new>

#include "runtime/type_registry.h"

namespace wt::runtime::gc {
namespace {

std::atomic<int64_t> g_live{0};

}  // namespace

ExternObject* NewExternRef(void* payload, DropFn drop) noexcept {
  auto* h = new (std::nothrow) ExternObject{{0, GcKind::kExtern, 0, 0, ExternRtt()}, payload, drop};
  if (h == nullptr) std::terminate();
  g_live.fetch_add(1, std::memory_order_relaxed);
  return h;
}

void FreeFloating(GcHeader* r) noexcept {
  if (r != nullptr && r->count == 0) DecRefSlow(r);
}

void DecRefSlow(GcHeader* h) noexcept {
  // [wasmgc] Heap objects are the collector's: a count of zero only unpins them.
  if (h->kind != GcKind::kExtern && h->kind != GcKind::kException) return;
  auto* r = static_cast<ExternObject*>(h);
  DropFn drop = r->drop;
  void* payload = r->payload;
  delete r;
  g_live.fetch_sub(1, std::memory_order_relaxed);
  if (drop != nullptr) drop(payload);
}

int64_t LiveObjects() noexcept {
  return g_live.load(std::memory_order_relaxed);
}

bool IsGcRefType(const wasm::ValType& t) {
  // [wasmgc] Every managed reference (object.h IsManagedRef): the any, extern and exn
  // hierarchies. Runtime objects carry canonical types: a concrete heap type is managed unless
  // its canonical id names a function type.
  if (!t.is_ref()) return false;
  if (t.heap.is_index()) return CanonicalKind(t.heap.index) != wasm::CompositeKind::kFunc;
  return IsManagedRef(t, false);
}

}  // namespace wt::runtime::gc
