// [wasmgc] The layout of GC-managed values, shared by the runtime and the JIT (docs/gc.md,
// "The GC heap"; docs/gc-plan.md has the design and why).
//
// A reference value is one 64-bit word:
//   0                   null (every null of every hierarchy)
//   odd                 an i31: (uint64_t)(uint32_t)(v << 1) | 1 — never allocates; canonical,
//                       so ref.eq compares words
//   even, non-zero      a pointer to a GcHeader (an object of the GC heap, a host extern
//                       object, an exception) or, in the func hierarchy, a FuncRef (vmctx.h:
//                       funcrefs never point to a GcHeader and are never counted)
// any.convert_extern and extern.convert_any are the identity: an externref may hold an i31 or
// a struct, an anyref may hold a host extern object (its kind says which).
//
// Every GcHeader (16 bytes, 8-aligned):
//   +0  uint32 count   counted holders (tables, globals, host handles, the activations
//                      table, exception payloads). Extern objects and exceptions are freed
//                      when it drops to zero; for heap objects (struct, array) it only PINS
//                      them: the heap's tracing collector owns their lifetime.
//   +4  uint8  kind    GcKind
//   +5  uint8  flags   (collector use)
//   +6  uint16 spare
//   +8  const Rtt*     run-time type: heap objects' canonical type (display for casts);
//                      extern objects and exceptions point to static Rtts of depth 0 that no
//                      cast target ever matches
// Struct:  +16 the fields, in declaration order, each aligned to min(size, 8) (LayoutStruct)
// Array:   +16 uint32 length, +20 spare, +24 the elements (element size 1, 2, 4, 8 or 16)
// Extern:  +16 payload, +24 drop (gc_ref.h)    Exception: +16 payload (exn/exception.h)
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "wasm/types.h"

namespace wt::wasm {
struct Module;
}

namespace wt::runtime::gc {

enum class GcKind : uint8_t {
  kExtern = 1,     // a host value behind an externref (gc_ref.h)
  kException = 2,  // an exnref's exception object (exn/exception.h)
  kStruct = 3,     // heap object
  kArray = 4,      // heap object
  kFiller = 5,     // heap: free space (count holds its size in bytes), never a reference
};

struct Rtt;

struct GcHeader {
  uint32_t count;
  GcKind kind;
  uint8_t flags;
  uint16_t spare;
  const Rtt* rtt;
};
static_assert(sizeof(GcHeader) == 16);

inline constexpr int32_t kGcHeaderCount = 0;  // uint32
inline constexpr int32_t kGcHeaderKind = 4;   // uint8
inline constexpr int32_t kGcHeaderRtt = 8;    // const Rtt*
inline constexpr int32_t kStructFields = 16;  // first field
inline constexpr int32_t kArrayLength = 16;   // uint32
inline constexpr int32_t kArrayElems = 24;    // element 0
inline constexpr uint32_t kGcAlign = 8;       // every object's address and size

// Run-time type of a canonical type id (process-wide, never freed; RttOf in rtt.cpp).
// Cast to a concrete type T of depth d (d = number of declared supertypes above T):
//   d < kRttDisplay:  obj->rtt->display[d] == RttOf(T)        (one load and one compare)
//   otherwise:        obj->rtt->depth >= d && obj->rtt->deep[d] == RttOf(T)
inline constexpr uint32_t kRttDisplay = 8;
struct Rtt {
  const Rtt* display[kRttDisplay];  // +0: supertype at depth i (root first, self at `depth`),
                                    // null past `depth`
  uint32_t depth;                   // +64
  uint32_t type_id;                 // +68: canonical id (0 for the static extern/exn Rtts)
  wasm::CompositeKind composite;    // +72: func, struct or array
  GcKind kind;                      // +73: kStruct / kArray (kExtern / kException: static Rtts)
  uint8_t elem_size_log2;           // +74: arrays: 0..4 (i8 .. v128)
  uint8_t elem_is_ref;              // +75: arrays: the element holds a GC-managed reference
  uint32_t size;                    // +76: structs: object size in bytes (multiple of 8)
  const Rtt* const* deep;           // +80: depth >= kRttDisplay: all depth+1 supertypes
  // Structs: offsets (from the object start) of the fields the collector traces: every field
  // whose type is a reference outside the func hierarchy (IsManagedRef).
  const uint32_t* ref_offsets;  // +88
  uint32_t num_ref_offsets;     // +96
};
inline constexpr int32_t kRttDisplayOffset = 0;
inline constexpr int32_t kRttDepth = 64;
inline constexpr int32_t kRttDeep = 80;

// The Rtt of canonical id `type_id` (built on first use, thread-safe, never freed).
const Rtt* RttOf(uint32_t type_id);
// The static Rtts of host extern objects and exceptions.
const Rtt* ExternRtt();
const Rtt* ExceptionRtt();

// Field layout of a struct type (module-independent: from the storage types alone).
struct StructLayout {
  std::vector<uint32_t> offsets;  // per field, from the object start (>= kStructFields)
  uint32_t size = kStructFields;  // object size (multiple of kGcAlign)
};
StructLayout LayoutStruct(const wasm::CompositeType& t);
// Bytes a field of this storage type occupies: 1, 2, 4, 8 or 16.
uint32_t StorageSize(const wasm::StorageType& s);
// Whether a value of this type is traced/counted: a reference outside the func hierarchy
// (`index_is_func`: for a concrete heap type, whether it names a function type).
bool IsManagedRef(const wasm::ValType& t, bool index_is_func);
bool IsManagedRef(const wasm::ValType& t, const wasm::Module& m);

inline bool IsI31(const void* r) {
  return (reinterpret_cast<uintptr_t>(r) & 1) != 0;
}
inline bool IsHeapKind(GcKind k) {
  return k == GcKind::kStruct || k == GcKind::kArray;
}

}  // namespace wt::runtime::gc
