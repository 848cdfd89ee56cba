// GC references: what an externref (and, later, a Wasm GC struct or array) points to.
//
// A reference is a pointer to a GcHeader (runtime/gc/object.h: the layout shared with Wasm GC
// objects and exceptions); null is the null pointer; an odd value is an i31 and never counted.
// The header starts with the reference count (offset 0, so JIT code can increment it inline),
// then the kind; an extern object continues with the payload pointer and the function that
// drops the payload when the count reaches zero.
//
// Counting rules (deferred reference counting, see docs/gc.md):
// - Counted holders: host handles (ExternRef), table elements and global cells of externref
//   type, the store's activations table (one count per entry), the wast host values.
// - Wasm frames (operand stack, locals) hold references WITHOUT counts: a reference that
//   enters wasm frames from outside is inserted into the activations table, and the collector
//   (activations.h) keeps exactly the ones the frames still hold.
// Single-threaded per store, like the store itself: counts are plain integers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include "runtime/gc/object.h"
#include "wasm/types.h"

namespace wt::runtime::gc {

using DropFn = void (*)(void* payload) noexcept;

// A host value behind an externref (kind kExtern) or an exception (kind kException).
struct ExternObject : GcHeader {
  void* payload;  // +16: the host value
  DropFn drop;    // +24: called with `payload` when the count reaches zero (may be null)
};
static_assert(sizeof(ExternObject) == 32);
inline constexpr int32_t kExternPayload = 16;

// A fresh reference with count 0 (a "floating" reference: the first holder takes the first
// count; one that nobody ever takes must be freed with FreeFloating).
ExternObject* NewExternRef(void* payload, DropFn drop) noexcept;
void FreeFloating(GcHeader* r) noexcept;

// Counting skips null and i31 values (odd words).
inline bool IsCounted(const void* r) noexcept {
  return r != nullptr && !IsI31(r);
}
inline void IncRef(void* r) noexcept {
  if (IsCounted(r)) ++static_cast<GcHeader*>(r)->count;
}
// Decrements; at zero an extern object or exception runs its payload's drop and is freed (a
// heap object at zero is only unpinned: the heap's collector frees it).
void DecRefSlow(GcHeader* r) noexcept;
inline void DecRef(void* r) noexcept {
  if (!IsCounted(r)) return;
  auto* h = static_cast<GcHeader*>(r);
  if (--h->count == 0) DecRefSlow(h);
}

// Live GC objects in this process (allocated, not yet freed), for tests and benchmarks.
int64_t LiveObjects() noexcept;

// True for reference types whose values are GC references (every reference outside the func
// hierarchy: extern, exn, any and their subtypes); funcrefs are never counted. `t` is a
// canonical type (runtime/type_registry.h: concrete heap types hold canonical ids), as the
// runtime's globals, tables, tags and functions carry; for a module's own types use
// IsManagedRef(t, module) (object.h).
bool IsGcRefType(const wasm::ValType& t);

// A counted host handle: copying increments, destruction decrements (zero frees).
class ExternRef {
 public:
  ExternRef() = default;
  // Takes a new count on `r` (may be null).
  explicit ExternRef(void* r) : r_(static_cast<GcHeader*>(r)) { IncRef(r_); }
  // A new externref holding `payload` (dropped with `drop` when the last count goes).
  static ExternRef New(void* payload, DropFn drop) {
    return ExternRef(NewExternRef(payload, drop));
  }
  // Adopts a count the caller already owns (no increment).
  static ExternRef Adopt(void* r) {
    ExternRef e;
    e.r_ = static_cast<GcHeader*>(r);
    return e;
  }
  ExternRef(const ExternRef& o) : r_(o.r_) { IncRef(r_); }
  ExternRef(ExternRef&& o) noexcept : r_(std::exchange(o.r_, nullptr)) {}
  ExternRef& operator=(ExternRef o) noexcept {
    std::swap(r_, o.r_);
    return *this;
  }
  ~ExternRef() { DecRef(r_); }

  // The raw reference (borrowed: valid while this handle lives).
  void* get() const { return r_; }
  // The host value of an extern object (null for null, an i31 or a Wasm GC object).
  void* payload() const {
    return IsCounted(r_) && r_->kind == GcKind::kExtern ? static_cast<ExternObject*>(r_)->payload
                                                        : nullptr;
  }
  uint64_t count() const { return IsCounted(r_) ? r_->count : 0; }
  explicit operator bool() const { return r_ != nullptr; }
  // Gives up this handle's count to the caller (e.g. a host function's result).
  void* Release() { return std::exchange(r_, nullptr); }

 private:
  GcHeader* r_ = nullptr;
};

}  // namespace wt::runtime::gc
