// The instance context (VMContext) and the records JIT code reads. This layout is shared with
// the JIT: it reads these fields at the offsets below (static_asserted), so change both together.
//
// Conventions shared by the JIT and the runtime:
// - Values in memory are 16-byte ValueSlots (v128 fits).
// - A funcref is a FuncRef* (null = nullptr); tables of funcref hold FuncRef*; an externref is
//   an opaque host pointer (null = nullptr).
// - Linear memories never move: the runtime reserves each 32-bit memory's full 4 GiB + guard up
//   front and only changes protections on grow, so `base` is stable for the life of the memory
//   and JIT code may cache it in a register. `size_bytes` changes on grow.
// - Every function (defined or imported) has a FuncRef; vmctx->funcs[i] points to it. Calling
//   a FuncRef: put `callee->vmctx` in the JIT's vmctx register (and the caller's vmctx in the
//   second ABI register, see jit/abi.h) and call `callee->code`.
#pragma once

#include <cstddef>
#include <cstdint>

namespace wt::runtime {

struct VMContext;

// v128 comes first so that `ValueSlot{}` zeroes all 16 bytes: an empty braced initializer
// initializes a union's first member only, and clang leaves the other bytes as they were (a
// `Value::Default(externref)` then held a garbage pointer: tests/fuzz/findings).
union alignas(16) ValueSlot {
  uint8_t v128[16];
  uint32_t i32;
  uint64_t i64;
  float f32;
  double f64;
  void* ref;
};
static_assert(sizeof(ValueSlot) == 16);

struct FuncRef {
  const void* code;     // entry point in the wasm ABI
  VMContext* vmctx;     // the callee's context; for a host function, its HostFuncRecord
  uint32_t type_id;     // canonical signature id (equal ids <=> equal function types)
  uint32_t func_index;  // index in the defining module (for names in backtraces)
};

// A host function: reads its params from args[0..n), writes its results to args[0..m).
// Returns 0 on success, or 1 + TrapCode to trap (the JIT stub then raises that trap).
// `caller` is the calling wasm instance's context (its memories, for WASI).
using HostFn = uint32_t (*)(void* env, VMContext* caller, ValueSlot* args) noexcept;

// What FuncRef::vmctx points to for host functions (the JIT's host stub reads it).
struct HostFuncRecord {
  HostFn fn;
  void* env;
};

struct MemoryData {
  uint8_t* base;        // stable (see above)
  uint64_t size_bytes;  // current size
};

struct TableData {
  void** elems;   // FuncRef* or externref pointers
  uint64_t size;  // current number of elements
};

// Per-store state that JIT code updates (a store runs on one thread at a time). The wasm ->
// host stubs record where wasm code was left, so that a backtrace can walk the wasm frames of
// every activation (CallScope saves and restores these around a nested Invoke).
struct VMStoreContext {
  uintptr_t last_exit_fp;  // the calling wasm function's frame pointer at the last wasm->host call
  uintptr_t last_exit_pc;  // the return address into that wasm function
  // Fuel ([traps] --fuel): code compiled with CompileOptions::consume_fuel adds the cost of
  // each basic block to `fuel_consumed` and traps "all fuel consumed" when it becomes > 0
  // (the store sets it to -budget).
  int64_t fuel_consumed;
  // Epoch interruption ([traps] --timeout): code compiled with epoch_interruption compares
  // *epoch_counter with epoch_deadline at function entries and loop headers and traps
  // "interrupt" when counter >= deadline.
  uint64_t epoch_deadline;
  const uint64_t* epoch_counter;
  // The externref activations table ([gc]): JIT code appends at `activations_next` while it
  // is below `activations_end`, else calls the runtime (which collects first).
  void** activations_next;
  void** activations_end;
  // [wasmgc] The GC heap's bump span (runtime/gc/heap.h): JIT code allocates an object of n
  // bytes at gc_next when gc_next + n <= gc_end (then gc_next += n), else calls the runtime.
  // Memory in [gc_next, gc_end) is zeroed. gc_heap is the store's gc::GcHeap.
  uint8_t* gc_next;
  uint8_t* gc_end;
  void* gc_heap;
};

struct VMContext {
  uint8_t* mem0_base;         // memory 0's base (nullptr if no memory)
  uintptr_t stack_limit;      // the prologue traps when rsp - frame size < stack_limit
  MemoryData** memories;      // memory index -> data (imported ones point to the exporter's)
  ValueSlot** globals;        // global index -> its cell (imported ones point to the exporter's)
  TableData** tables;         // table index -> data
  FuncRef** funcs;            // function index -> its FuncRef
  const uint32_t* type_ids;   // module type index -> canonical type id
  void* instance;             // the runtime::Instance that owns this context
  VMStoreContext* store_ctx;  // the owning store's (shared by all its instances; never null)
  // [exceptions] tag index -> the runtime::Tag (imported ones are the exporter's); the unwinder
  // compares these with a thrown exception's tag (docs/exceptions.md).
  void* const* tags;
  // [wasmgc] module type index -> the canonical type's run-time type (gc::Rtt, gc/object.h).
  const void* const* rtts;
};

inline constexpr int32_t kVMCtxMem0Base = offsetof(VMContext, mem0_base);
inline constexpr int32_t kVMCtxStackLimit = offsetof(VMContext, stack_limit);
inline constexpr int32_t kVMCtxMemories = offsetof(VMContext, memories);
inline constexpr int32_t kVMCtxGlobals = offsetof(VMContext, globals);
inline constexpr int32_t kVMCtxTables = offsetof(VMContext, tables);
inline constexpr int32_t kVMCtxFuncs = offsetof(VMContext, funcs);
inline constexpr int32_t kVMCtxTypeIds = offsetof(VMContext, type_ids);
inline constexpr int32_t kVMCtxInstance = offsetof(VMContext, instance);
inline constexpr int32_t kVMCtxStoreCtx = offsetof(VMContext, store_ctx);
inline constexpr int32_t kVMCtxTags = offsetof(VMContext, tags);  // [exceptions]
static_assert(kVMCtxTags == 72);
inline constexpr int32_t kVMCtxRtts = offsetof(VMContext, rtts);  // [wasmgc]
static_assert(kVMCtxRtts == 80);
static_assert(kVMCtxMem0Base == 0 && kVMCtxStackLimit == 8 && kVMCtxMemories == 16 &&
              kVMCtxGlobals == 24 && kVMCtxTables == 32 && kVMCtxFuncs == 40 &&
              kVMCtxTypeIds == 48 && kVMCtxInstance == 56 && kVMCtxStoreCtx == 64);
inline constexpr int32_t kStoreCtxLastExitFp = offsetof(VMStoreContext, last_exit_fp);
inline constexpr int32_t kStoreCtxLastExitPc = offsetof(VMStoreContext, last_exit_pc);
inline constexpr int32_t kStoreCtxFuelConsumed = offsetof(VMStoreContext, fuel_consumed);
inline constexpr int32_t kStoreCtxEpochDeadline = offsetof(VMStoreContext, epoch_deadline);
inline constexpr int32_t kStoreCtxEpochCounter = offsetof(VMStoreContext, epoch_counter);
inline constexpr int32_t kStoreCtxActivationsNext = offsetof(VMStoreContext, activations_next);
inline constexpr int32_t kStoreCtxActivationsEnd = offsetof(VMStoreContext, activations_end);
inline constexpr int32_t kStoreCtxGcNext = offsetof(VMStoreContext, gc_next);  // [wasmgc]
inline constexpr int32_t kStoreCtxGcEnd = offsetof(VMStoreContext, gc_end);
inline constexpr int32_t kStoreCtxGcHeap = offsetof(VMStoreContext, gc_heap);
static_assert(kStoreCtxGcNext == 56 && kStoreCtxGcEnd == 64 && kStoreCtxGcHeap == 72);
static_assert(kStoreCtxLastExitFp == 0 && kStoreCtxLastExitPc == 8 && kStoreCtxFuelConsumed == 16 &&
              kStoreCtxEpochDeadline == 24 && kStoreCtxEpochCounter == 32 &&
              kStoreCtxActivationsNext == 40 && kStoreCtxActivationsEnd == 48);

inline constexpr int32_t kFuncRefCode = offsetof(FuncRef, code);
inline constexpr int32_t kFuncRefVMCtx = offsetof(FuncRef, vmctx);
inline constexpr int32_t kFuncRefTypeId = offsetof(FuncRef, type_id);
static_assert(kFuncRefCode == 0 && kFuncRefVMCtx == 8 && kFuncRefTypeId == 16);
inline constexpr int32_t kHostRecordFn = offsetof(HostFuncRecord, fn);
inline constexpr int32_t kHostRecordEnv = offsetof(HostFuncRecord, env);
inline constexpr int32_t kMemoryBase = offsetof(MemoryData, base);
inline constexpr int32_t kMemorySize = offsetof(MemoryData, size_bytes);
inline constexpr int32_t kTableElems = offsetof(TableData, elems);
inline constexpr int32_t kTableSize = offsetof(TableData, size);
static_assert(kMemoryBase == 0 && kMemorySize == 8 && kTableElems == 0 && kTableSize == 8);

// [memory64] A 64-bit memory reserves at most kMemory64MaxBytes addressable plus a
// kMemory64GuardBytes guard (runtime/memory.cpp): the JIT checks the address against the
// current size and lets the guard cover offset + access size when they fit in it
// (docs/memory64.md). Accesses whose static end is beyond kMemory64MaxBytes always trap.
inline constexpr uint64_t kMemory64MaxBytes = uint64_t{16} << 30;
inline constexpr uint64_t kMemory64GuardBytes = uint64_t{4} << 30;

}  // namespace wt::runtime
