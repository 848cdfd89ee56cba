// [exceptions] Exception objects and the unwinder (docs/exceptions.md).
//
// An exnref is a GC reference (gc::GcHeader, managed like an externref: wasm frames hold it
// without counts, the activations table and stack maps keep it alive) whose payload is an
// ExnData: the tag and the thrown values, one 16-byte ValueSlot each. JIT code reads a caught
// exception's values at [[exn + kGcHeaderPayload] + kExnValues + 16 * i].
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/vmctx.h"

namespace wt::runtime {

class Tag;
struct Value;

namespace exn {

struct ExnData {
  const Tag* tag;
  uint64_t count;  // values
  // ValueSlot values[count] follow (16-aligned).
};
static_assert(sizeof(ExnData) == 16);
inline constexpr int32_t kGcHeaderPayload = 16;  // offsetof(gc::GcHeader, payload)
inline constexpr int32_t kExnValues = 16;        // offset of value 0 in ExnData

inline ValueSlot* Values(ExnData* d) {
  return reinterpret_cast<ValueSlot*>(reinterpret_cast<uint8_t*>(d) + kExnValues);
}
// The ExnData of an exnref (non-null).
ExnData* DataOf(void* exn);

// A new exception of `tag` with `values` (one count, owned by the caller). GC-typed values
// (externref, exnref) are counted by the exception until it is freed.
void* NewException(const Tag* tag, const ValueSlot* values, size_t n);

// Unwinds to the innermost handler of `exn` (one count owned by the caller) from the wasm frame
// (fp, pc) that called a throwing builtin (or host stub) whose own frame is `builtin_fp`;
// never returns. `vmctx` may be null (the frames' own contexts are used).
[[noreturn]] void Unwind(VMContext* vmctx, void* exn, uintptr_t fp, uintptr_t pc,
                         uintptr_t builtin_fp) noexcept;

// For reports: "tag NAME" and the payload ("i32:1, f64:...").
std::string DescribeException(void* exn);

// [exceptions] Host frames (host_exception.cpp): the exception a host function handed to
// PropagateException on this thread (one count, to the caller), or null. wt_raise_trap takes
// it when a host stub raises kUncaughtException and unwinds it into the stub's wasm caller.
void* TakePendingException() noexcept;

// The jump into a landing pad (trap/exception_resume.cpp, per ISA): sets the stack pointer
// and frame pointer, puts `exn` in the JIT's first return register and jumps to `pc`.
extern "C" [[noreturn]] void wt_exn_resume(uintptr_t pc, uintptr_t sp, uintptr_t fp,
                                           void* exn) noexcept;

// Where the handler data of a call site inside a try scope follows its stack map: the map's
// last offset is this sentinel (the saved-vmctx slot, which never holds a reference), then
// come [frame bytes, clause count, (tag index or -1, kind, pad offset - return offset) ...].
inline constexpr int32_t kHandlerSentinel = -8;
enum ClauseKind : int32_t { kCatch = 0, kCatchRef = 1, kCatchAll = 2, kCatchAllRef = 3 };

}  // namespace exn
}  // namespace wt::runtime
