// Wasm backtraces: the frame-pointer walk (async-signal-safe) and its symbolization.
#include "runtime/trap/backtrace.h"

#include <memory>

#include "jit/tail_adapter.h"
#include "runtime/code_registry.h"
#include "runtime/instance_data.h"
#include "runtime/trap/call_scope.h"

namespace wt::runtime {
namespace {

bool InWasmFunc(uintptr_t pc) noexcept {
  const jit::CodeObject* c = LookupCode(pc);
  return c != nullptr && c->FindFunc(pc) != nullptr;
}

// A frame pointer we may dereference: aligned, above `low` and below the activation's entry.
bool UsableFp(uintptr_t fp, uintptr_t low, uintptr_t limit) noexcept {
  return fp != 0 && (fp & 7) == 0 && fp >= low && fp < limit;
}

void Push(RawBacktrace* out, uintptr_t pc) noexcept {
  if (out->count < kMaxRawFrames) out->pcs[out->count++] = pc;
  ++out->total;
}

}  // namespace

__attribute__((no_sanitize_address)) void CaptureBacktrace(const CallScope* scope, uintptr_t pc,
                                                           uintptr_t fp, bool first_is_trap,
                                                           RawBacktrace* out) noexcept {
  out->count = 0;
  out->total = 0;
  out->first_is_trap = first_is_trap;
  uintptr_t low = scope != nullptr ? scope->stack_low : 0;
  bool trap_pc = first_is_trap;  // [wasm3] the faulting pc: not a return address
  for (const CallScope* s = scope; s != nullptr && pc != 0; s = s->prev) {
    uintptr_t limit = s->entry_fp;
    // One contiguous run of wasm frames of activation `s`.
    while (InWasmFunc(pc)) {
      // [wasm3] A tail-call adapter's frame (jit/tail_adapter.h) is left out: the tail-called
      // frame replaced its caller, as wasmtime shows it.
      if (trap_pc || !jit::IsTailAdapterReturn(pc)) Push(out, pc);
      trap_pc = false;
      if (!UsableFp(fp, low, limit)) break;
      const auto* frame = reinterpret_cast<const uintptr_t*>(fp);
      uintptr_t next_fp = frame[0];
      uintptr_t ret = frame[1];
      if (next_fp <= fp) break;
      pc = ret;
      fp = next_fp;
    }
    // The enclosing activation's frames lie above this one's entry frame; it was left where
    // this scope recorded (the host call that led here).
    low = limit;
    pc = s->exit_pc;
    fp = s->exit_fp;
  }
}

__attribute__((no_sanitize_address)) bool FindWasmCaller(const CallScope* scope, uintptr_t pc,
                                                         uintptr_t fp, uintptr_t from_fp,
                                                         uintptr_t* wasm_pc,
                                                         uintptr_t* wasm_fp) noexcept {
  if (scope == nullptr) return false;
  uintptr_t low = scope->stack_low, limit = scope->entry_fp;
  if (fp != 0) {
    if (!UsableFp(fp, low, limit)) return false;
    const auto* frame = reinterpret_cast<const uintptr_t*>(fp);
    if (pc != 0 && frame[1] != pc) return false;
    *wasm_pc = frame[1];
    *wasm_fp = frame[0];
    return InWasmFunc(*wasm_pc);
  }
  if (pc == 0 || !InWasmFunc(pc)) return false;
  // A builtin called from wasm passed its return address. Walk the C frames from ours: either
  // the builtin kept a frame pointer (its frame holds `pc` as return address and the wasm fp
  // as saved fp), or it did not (then the first frame whose return address lies in JIT code
  // is the wasm frame itself: rbp was left untouched through the builtin).
  uintptr_t f = from_fp;
  for (int i = 0; i < 64 && UsableFp(f, low, limit); ++i) {
    const auto* frame = reinterpret_cast<const uintptr_t*>(f);
    if (frame[1] == pc) {
      *wasm_pc = pc;
      *wasm_fp = frame[0];
      return true;
    }
    if (LookupCode(frame[1]) != nullptr) {
      *wasm_pc = pc;
      *wasm_fp = f;
      return true;
    }
    if (frame[0] <= f) break;
    f = frame[0];
  }
  return false;
}

std::vector<WasmFrame> SymbolizeBacktrace(const RawBacktrace& raw) {
  std::vector<WasmFrame> frames;
  frames.reserve(raw.count);
  const jit::CodeObject* last_code = nullptr;
  std::shared_ptr<const wasm::Module> last_module;
  for (uint32_t i = 0; i < raw.count; ++i) {
    uintptr_t pc = raw.pcs[i];
    const jit::CodeObject* code = LookupCode(pc);
    if (code == nullptr) continue;
    const jit::FuncRange* func = code->FindFunc(pc);
    if (func == nullptr) continue;
    if (code != last_code) {
      last_code = code;
      last_module = CodeModule(code);
    }
    WasmFrame f;
    f.func_index = func->func_index;
    f.module = last_module;
    if (i == 0 && raw.first_is_trap) {
      if (const jit::TrapSite* site = code->FindTrap(pc)) f.wasm_offset = site->wasm_offset;
    } else if (const jit::CallSite* site = code->FindCallSite(pc)) {
      f.wasm_offset = site->wasm_offset;
    }
    frames.push_back(std::move(f));
  }
  return frames;
}

void FillTrapDetails(const CallScope& scope, Trap* trap) {
  const TrapRecord& t = scope.trap;
  if (t.code == TrapCode::kExit) return;
  trap->backtrace.frames = SymbolizeBacktrace(scope.backtrace);
  trap->backtrace.total = scope.backtrace.total;
  if (trap->wasm_offset == 0 && !trap->backtrace.frames.empty() &&
      trap->backtrace.frames[0].wasm_offset != WasmFrame::kNoOffset) {
    trap->wasm_offset = trap->backtrace.frames[0].wasm_offset;
  }
  if (t.code == TrapCode::kMemoryOutOfBounds && t.fault_addr != 0 && t.vmctx != 0)
    trap->fault = FindMemoryFault(reinterpret_cast<VMContext*>(t.vmctx), t.fault_addr);
}

std::optional<MemoryFault> FindMemoryFault(VMContext* vmctx, uintptr_t addr) {
  // [wasm3] Any memory of the trapping instance (multi-memory, memory64): the memory with the
  // highest base at or below the address, if the address lies within its reservation
  // (addressable range plus guard: a 32-bit memory's 4 GiB index + 4 GiB offset, a 64-bit
  // memory's kMemory64MaxBytes + kMemory64GuardBytes). Reservations never overlap, so the
  // nearest base below is the only candidate.
  auto within = [addr](uintptr_t base, bool is64) {
    uint64_t span = is64 ? kMemory64MaxBytes + kMemory64GuardBytes : uint64_t{1} << 34;
    return base != 0 && addr >= base && addr - base < span;
  };
  if (vmctx->instance != nullptr) {
    const InstanceData& d = InstanceData::Of(vmctx);
    std::optional<MemoryFault> best;
    uintptr_t best_base = 0;
    for (size_t i = 0; i < d.memories.size() && i < d.memory_objs.size(); ++i) {
      const MemoryData* m = d.memories[i];
      if (m == nullptr || d.memory_objs[i] == nullptr) continue;
      auto base = reinterpret_cast<uintptr_t>(m->base);
      bool is64 = d.memory_objs[i]->is64();
      if (!within(base, is64) || (best && base <= best_base)) continue;
      best = MemoryFault{addr - base, m->size_bytes, static_cast<uint32_t>(i)};
      best_base = base;
    }
    return best;
  }
  // A context without an instance (hand-built in tests): memory 0 only.
  if (vmctx->mem0_base != nullptr && vmctx->memories != nullptr && vmctx->memories[0] != nullptr) {
    auto base = reinterpret_cast<uintptr_t>(vmctx->mem0_base);
    if (within(base, false)) return MemoryFault{addr - base, vmctx->memories[0]->size_bytes, 0};
  }
  return std::nullopt;
}

WasmBacktrace CurrentWasmBacktrace() {
  WasmBacktrace bt;
  const CallScope* scope = CurrentCallScope();
  if (scope == nullptr || scope->store_ctx == nullptr) return bt;
  uintptr_t pc = scope->store_ctx->last_exit_pc, fp = scope->store_ctx->last_exit_fp;
  // The exit point must be a call in a wasm function of this activation.
  const jit::CodeObject* code = LookupCode(pc);
  if (code == nullptr || code->FindCallSite(pc) == nullptr ||
      !UsableFp(fp, scope->stack_low, scope->entry_fp))
    return bt;
  auto raw = std::make_unique<RawBacktrace>();
  CaptureBacktrace(scope, pc, fp, false, raw.get());
  bt.frames = SymbolizeBacktrace(*raw);
  bt.total = raw->total;
  return bt;
}

}  // namespace wt::runtime
