// The JIT's interface to the runtime: compile a validated module into one CodeObject of
// executable code, plus per-signature trampolines between the host and the wasm ABI.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "runtime/trap/trap.h"
#include "runtime/vmctx.h"
#include "util/result.h"
#include "wasm/features.h"
#include "wasm/module.h"

namespace wt::wasm {
class TypeContext;
}  // namespace wt::wasm

namespace wt::jit {

// The highest vector ISA level SIMD code may use (x86_64; docs/simd-plan.md section 4). kAuto:
// what the host has, capped by the environment variable WTRUN_SIMD_ISA (sse4.1, sse4.2, avx,
// avx2; read once per process) when set. A cap clears the vector features above it (SSE4.2's
// pcmpgtq, AVX's VEX forms, AVX2's broadcasts, FMA); scalar code never changes.
enum class SimdIsa : uint8_t { kAuto, kSse41, kSse42, kAvx, kAvx2 };

// "sse4.1", "sse4.2", "avx", "avx2" (and "auto"); false for anything else.
inline bool ParseSimdIsa(std::string_view s, SimdIsa* out) {
  if (s == "auto")
    *out = SimdIsa::kAuto;
  else if (s == "sse4.1")
    *out = SimdIsa::kSse41;
  else if (s == "sse4.2")
    *out = SimdIsa::kSse42;
  else if (s == "avx")
    *out = SimdIsa::kAvx;
  else if (s == "avx2")
    *out = SimdIsa::kAvx2;
  else
    return false;
  return true;
}

// [lazy] When function bodies are compiled (docs/lazy-plan.md). kEager: all of them before
// LoadModule returns (CompileModule). kLazy: none; each defined function is reached through a
// 16-byte stub that jumps through its slot, first into a compile thunk, after its first call
// straight into its code (jit/lazy.h). The library's default is eager; the CLI's is lazy.
enum class CompileMode : uint8_t { kEager, kLazy };

struct CompileOptions {
  wasm::Features features = wasm::Features::Wasm20();
  // [lazy] See CompileMode.
  CompileMode mode = CompileMode::kEager;
  // [lazy] kLazy: threads that compile likely callees in the background (0: none).
  uint32_t background_jobs = 0;
  // [lazy] kLazy, tests: every call between functions goes through the callee's stub (never a
  // direct call to compiled code) and nothing compiles in the background. The environment
  // variable WTRUN_LAZY_STRESS=1 sets it in LoadModule.
  bool lazy_stress = false;
  // The vector ISA cap (SimdIsa).
  SimdIsa simd_isa = SimdIsa::kAuto;
  // [traps]: charge fuel per basic block (VMStoreContext::fuel_consumed) / check the epoch at
  // function entries and loop headers. Off: the code contains no such checks.
  bool consume_fuel = false;
  bool epoch_interruption = false;
  // [perf] Parallel compilation: worker threads (0: hardware_concurrency, capped at 8; 1: the
  // calling thread only) and the body bytes per chunk (0: the default). The code is the same
  // for any `jobs`: the chunks depend on the module only.
  uint32_t jobs = 0;
  uint32_t chunk_bytes = 0;
  // [perf] Not null: validate every body (with these relations, from wasm::ValidateModuleDecls)
  // in the worker that compiles it, just before. The first invalid body (in index order) is
  // the error, ahead of any compile error, as with a separate wasm::ValidateModule.
  const wasm::TypeContext* validate_bodies = nullptr;
};

// An instruction that can trap: JIT code offset -> trap code and the wasm instruction's offset.
struct TrapSite {
  uint32_t code_offset = 0;  // offset of the faulting/trapping instruction in the CodeObject
  runtime::TrapCode code = runtime::TrapCode::kUnreachable;
  uint32_t wasm_offset = 0;  // module byte offset of the wasm instruction
};

// The call-site table: one entry per call the JIT emits (direct, through a FuncRef — imports
// and call_indirect — and runtime builtin calls). `return_offset` is the code offset of the
// return address (the instruction after the call): a frame-pointer walk finds it at
// [fp + 8] of the callee and maps it to the calling wasm instruction. Recorded by
// BaselineCompiler::RecordCallSite (compiler_call.h).
struct CallSite {
  uint32_t return_offset = 0;       // code offset of the return address in the CodeObject
  uint32_t wasm_offset = 0;         // module byte offset of the calling wasm instruction
  uint32_t stack_map = UINT32_MAX;  // reserved: the GC stack map at this call (none yet)
};

struct FuncRange {
  uint32_t begin = 0;  // code offsets [begin, end)
  uint32_t end = 0;
  uint32_t func_index = 0;  // module function index
};

// Host -> wasm: calls `code` (a function in the wasm ABI) with the callee context `vmctx`
// (also passed as the caller context), reading the params from args_results[0..n) and writing
// the results to args_results[0..m). Returns normally; traps unwind past it (siglongjmp).
using EntryFn = void (*)(runtime::VMContext* vmctx, const void* code,
                         runtime::ValueSlot* args_results);

// Executable code of one module: written once, then read+execute (W^X).
class CodeObject {
 public:
  virtual ~CodeObject() = default;
  virtual const uint8_t* base() const = 0;
  virtual size_t size() const = 0;
  bool Contains(uintptr_t pc) const {
    auto b = reinterpret_cast<uintptr_t>(base());
    return pc >= b && pc < b + size();
  }
  // Sorted by begin / by code_offset.
  virtual std::span<const FuncRange> funcs() const = 0;
  virtual std::span<const TrapSite> traps() const = 0;
  // Sorted by return_offset (unique).
  virtual std::span<const CallSite> call_sites() const { return {}; }
  // [gc] Stack maps: CallSite::stack_map indexes this array; there, n followed by n
  // frame-pointer-relative byte offsets of the slots that may hold references at that call
  // (see compiler_gc.h). The collector reads only values it finds in the activations table.
  virtual std::span<const int32_t> stack_maps() const { return {}; }
  // The lookups below are virtual: ExecutableCode searches the spans above; a lazily filled
  // code arena (jit/code_arena.h) searches its per-function records (its funcs() is empty).
  // The trap site at exactly `pc`, or nullptr. Async-signal-safe (binary search, no locks).
  virtual const TrapSite* FindTrap(uintptr_t pc) const;
  // The function containing `pc`, or nullptr. Async-signal-safe.
  virtual const FuncRange* FindFunc(uintptr_t pc) const;
  // The call site whose return address is exactly `return_pc`, or nullptr. Async-signal-safe.
  virtual const CallSite* FindCallSite(uintptr_t return_pc) const;
  // [gc] The stack map of a call site this object returned (FindCallSite): n followed by n
  // offsets; empty when the site has none. The collector's only way to read stack maps.
  virtual std::span<const int32_t> StackMapAt(const CallSite& site) const;
};

class LazyModule;  // jit/lazy.h

struct CompiledModule {
  std::unique_ptr<CodeObject> code;
  // Entry of each defined function (index: func_index - num_imported_funcs).
  std::vector<const void*> func_code;
  // Per module type index (function types only; nullptr otherwise):
  std::vector<EntryFn> entries;         // host -> wasm trampolines
  std::vector<const void*> host_stubs;  // wasm -> host stubs: a FuncRef::code for a host
                                        // function of that type (reads the HostFuncRecord)
  // [lazy] Offset in `code` of the builtin table (runtime/builtin_table.h) the code calls
  // builtins through, when the code depends on its address only through that table (eager
  // code: what a .cwasm artifact stores); UINT32_MAX: no such table.
  uint32_t builtin_table_offset = UINT32_MAX;
  // [lazy] CompileMode::kLazy: the stubs, slots and compile state; `code` is its CodeArena and
  // func_code[i] is stub i forever. Declared after `code`: destroyed first (it stops and
  // drains background compiles before the arena is unmapped).
  std::shared_ptr<LazyModule> lazy;
};

// A wasm -> host stub for a host function of type `type` that is not tied to a module (the
// runtime's Store::NewHostFunc): usable as a FuncRef::code whose vmctx is a HostFuncRecord,
// exactly like CompiledModule::host_stubs. Stubs are cached per canonical signature and live
// for the whole process. (Added by the runtime worker; implemented by the JIT.)
const void* HostStubFor(const wasm::FuncType& type);

// Compiles every defined function of a validated module (options.mode is ignored: always
// eager; lazy compilation is LazyModule::Create, jit/lazy.h). Errors: kUnsupported for
// features the JIT does not implement yet (e.g. "unsupported feature: simd").
Result<std::unique_ptr<CompiledModule>> CompileModule(const wasm::Module& module,
                                                      const CompileOptions& options = {});

}  // namespace wt::jit
