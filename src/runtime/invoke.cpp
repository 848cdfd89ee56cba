// Invoke: host -> wasm (through the JIT's entry trampoline, inside a CallScope) or host ->
// host (a direct call).
#include <algorithm>

#include "runtime/exn/exception.h"
#include "runtime/instance_data.h"
#include "runtime/lazy_runtime.h"
#include "runtime/trap/call_scope.h"

namespace wt::runtime {
namespace {

bool ArgMatches(const wasm::ValType& have, const wasm::ValType& want) {
  if (have.kind != want.kind) return false;
  if (!want.is_ref()) return true;
  // References: the same hierarchy (func / extern / ...); exact subtyping is the caller's.
  auto top = [](const wasm::HeapType& h) {
    switch (h.kind) {
      case wasm::HeapKind::kFunc:
      case wasm::HeapKind::kNoFunc:
      case wasm::HeapKind::kIndex:
        return 0;
      case wasm::HeapKind::kExtern:
      case wasm::HeapKind::kNoExtern:
        return 1;
      default:
        return 2;
    }
  };
  return top(have.heap) == top(want.heap) || have.heap.kind == wasm::HeapKind::kBot;
}

TrapCode CodeFromHost(uint32_t rc) {
  uint32_t c = rc - 1;
  return c < static_cast<uint32_t>(TrapCode::kCount) ? static_cast<TrapCode>(c)
                                                     : TrapCode::kHostError;
}

// The lowest stack address wasm code of this store may use on this thread: the thread's limit,
// raised to `max_wasm_stack` bytes below the outermost wasm activation of this thread (or
// below this call when it is the outermost), so nested activations (wasm -> host -> wasm)
// share one budget.
__attribute__((noinline)) uintptr_t WasmStackLimit(const StoreLimits& limits) {
  uintptr_t limit = ThreadStackLimit();
  if (limits.max_wasm_stack == 0) return limit;
  auto base = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  for (const CallScope* s = CurrentCallScope(); s != nullptr; s = s->prev)
    if (s->prev == nullptr) base = s->entry_fp;
  if (base <= limit || base - limit <= limits.max_wasm_stack) return limit;
  return base - limits.max_wasm_stack;
}

}  // namespace

Result<InvokeResult> Invoke(Store& store, const Func& func, std::span<const Value> args) {
  const wasm::FuncType& type = func.type();
  if (args.size() != type.params.size()) {
    return MakeError(ErrorKind::kUsage, "type mismatch: expected {} arguments, got {}",
                     type.params.size(), args.size());
  }
  for (size_t i = 0; i < args.size(); ++i) {
    if (!ArgMatches(args[i].type, type.params[i])) {
      return MakeError(ErrorKind::kUsage, "type mismatch: argument {} is a {}, expected {}", i,
                       wasm::ValTypeName(args[i].type), wasm::ValTypeName(type.params[i]));
    }
  }
  // Params in, results out; on the stack for the common small signatures.
  size_t num_slots = std::max<size_t>({type.params.size(), type.results.size(), 1});
  ValueSlot small[8];
  std::vector<ValueSlot> large;
  ValueSlot* slots = small;
  if (num_slots > std::size(small)) {
    large.resize(num_slots);
    slots = large.data();
  }
  for (size_t i = 0; i < args.size(); ++i) slots[i] = args[i].bits;

  InvokeResult r;
  if (func.is_host()) {
    uint32_t rc = func.host_.fn(func.host_.env, nullptr, slots);
    if (rc != 0) {
      r.trap = Trap{};
      r.trap->code = CodeFromHost(rc);
      // [exceptions] PropagateException in a host function called directly.
      if (r.trap->code == TrapCode::kUncaughtException) {
        r.exception = ExnRef(exn::TakePendingException());
        if (r.exception) r.trap->detail = exn::DescribeException(r.exception.get());
      }
      return r;
    }
  } else {
    if (func.entry_ == nullptr || func.ref_.code == nullptr) {
      return MakeError(ErrorKind::kUnsupported, "function {} has no compiled code",
                       func.ref_.func_index);
    }
    EnsureTrapHandling();
    store.data().SetStackLimit(WasmStackLimit(store.data().options.limits));
    // [gc] Externref arguments enter wasm frames: the activations table holds them.
    for (size_t i = 0; i < args.size(); ++i) {
      if (slots[i].ref != nullptr && gc::IsGcRefType(type.params[i]))
        store.data().Activations().Insert(slots[i].ref);
    }
    CallScope scope;
    if (!CallInScope(scope, func.entry_, func.ref_.vmctx, func.ref_.code, slots,
                     &store.data().store_ctx)) {
      r.trap = Trap{};
      r.trap->code = scope.trap.code;
      r.trap->pc = scope.trap.pc;
      r.trap->wasm_offset = scope.trap.wasm_offset;
      FillTrapDetails(scope, &*r.trap);  // [traps] backtrace, memory fault
      if (scope.exception != nullptr) {  // [exceptions] uncaught: name the tag
        r.trap->detail = exn::DescribeException(scope.exception);
        r.exception = ExnRef(scope.exception);  // the caller's (a host function may propagate it)
      }
      // [lazy] Which function failed to compile, and why.
      if (r.trap->code == TrapCode::kCompileFailed) {
        std::string_view e = LastLazyCompileError();  // "failed to compile function N: why"
        if (e.starts_with("failed to compile ")) e.remove_prefix(18);
        r.trap->detail = e;  // printed after the trap's message: "...: function N: why"
      }
      return r;
    }
  }
  r.results.reserve(type.results.size());
  for (size_t i = 0; i < type.results.size(); ++i) {
    Value v;
    v.type = type.results[i];
    v.bits = slots[i];
    r.results.push_back(v);
  }
  return r;
}

}  // namespace wt::runtime
