// [exceptions] Exception objects, throw / throw_ref and the unwinder (docs/exceptions.md).
//
// Zero cost until something throws: JIT code inside a try scope only records, with the stack
// map of each call site, which clauses catch there and where their landing pads are. A throw
// calls wt_throw / wt_throw_ref, which walk the wasm frames by frame pointer from the caller
// (like a backtrace), find the innermost clause matching the exception's tag and jump to its
// landing pad with the frame's fp and sp (fp - frame size) restored; the pad reloads the fixed
// registers (vmctx from its frame, memory 0's base). C++ frames between the builtin and the
// pad are simply abandoned: the builtins keep nothing with a destructor alive when they jump.
// An exception that leaves the activation's wasm frames ends it like a trap
// (kUncaughtException, the exception kept in the CallScope for the report).
#include "runtime/exn/exception.h"

#include <cstring>
#include <new>

#include "jit/abi.h"
#include "jit/feature_check.h"
#include "runtime/builtins.h"
#include "runtime/code_registry.h"
#include "runtime/gc/gc_ref.h"
#include "runtime/instance_data.h"
#include "runtime/trap/call_scope.h"

namespace wt::runtime::exn {
namespace {

struct Box {
  const Tag* tag;
  size_t n;
};

size_t DataBytes(size_t n) {
  return sizeof(ExnData) + 16 * n;
}

void DropData(void* payload) noexcept {
  auto* d = static_cast<ExnData*>(payload);
  const wasm::FuncType& type = d->tag->type();
  ValueSlot* v = Values(d);
  for (size_t i = 0; i < d->count && i < type.params.size(); ++i)
    if (gc::IsGcRefType(type.params[i])) gc::DecRef(v[i].ref);
  ::operator delete(payload, std::align_val_t(16));
}

inline uintptr_t Word(uintptr_t addr) {
  return *reinterpret_cast<const uintptr_t*>(addr);
}

StoreData& StoreOf(VMContext* vmctx) {
  return InstanceData::Of(vmctx).store->data();
}

}  // namespace

// Walks the wasm frames from (fp, pc) (the wasm caller of the builtin) and jumps to the first
// matching clause's pad; at the end of this activation's wasm frames the exception is
// uncaught. `exn` carries one count owned here. `builtin_fp` is the throwing builtin's frame.
[[noreturn]] void Unwind(VMContext* vmctx, void* exn, uintptr_t fp, uintptr_t pc,
                         uintptr_t builtin_fp) noexcept {
  const uintptr_t throw_fp = fp, throw_pc = pc;
  ExnData* data = DataOf(exn);
  CallScope* scope = CurrentCallScope();
  for (uint32_t frames = 0; fp != 0 && frames < (1u << 24); ++frames) {
    const jit::CodeObject* code = LookupCode(pc);
    if (code == nullptr || code->FindFunc(pc) == nullptr) break;  // not wasm: the entry
    const jit::CallSite* site = code->FindCallSite(pc);
    if (site != nullptr && site->stack_map != UINT32_MAX) {
      std::span<const int32_t> map = code->StackMapAt(*site);
      if (map.size() >= 2 && map.back() == kHandlerSentinel) {
        const int32_t* h = map.data() + map.size();
        auto frame = static_cast<uintptr_t>(h[0]);
        auto count = static_cast<uint32_t>(h[1]);
        auto* frame_vmctx = reinterpret_cast<VMContext*>(Word(fp + jit::abi::kSavedVmctxOffset));
        for (uint32_t i = 0; i < count; ++i) {
          int32_t tag = h[2 + 3 * i], kind = h[3 + 3 * i], delta = h[4 + 3 * i];
          bool match = kind == kCatchAll || kind == kCatchAllRef ||
                       frame_vmctx->tags[static_cast<uint32_t>(tag)] == data->tag;
          if (!match) continue;
          // The pad's values enter wasm frames: the activations table holds them (a
          // collection here walks the still intact frames from the throw site).
          gc::ActivationsTable& table =
              StoreOf(vmctx != nullptr ? vmctx : frame_vmctx).Activations();
          if (kind == kCatch) {
            const wasm::FuncType& type = data->tag->type();
            for (size_t j = 0; j < type.params.size(); ++j) {
              void* r = Values(data)[j].ref;
              if (r != nullptr && gc::IsGcRefType(type.params[j])) {
                gc::IncRef(r);
                table.InsertFromWasm(r, throw_fp, throw_pc);
              }
            }
          }
          table.InsertFromWasm(exn, throw_fp, throw_pc);  // our count (freed when unused)
          wt_exn_resume(pc + static_cast<intptr_t>(delta), fp - frame, fp, exn);
        }
      }
    }
    if (scope != nullptr && fp >= scope->entry_fp) break;
    pc = Word(fp + 8);
    fp = Word(fp);
  }
  if (scope == nullptr) {
    gc::DecRef(exn);
    RaiseTrap(TrapCode::kUncaughtException);
  }
  scope->exception = exn;
  RaiseTrap(TrapCode::kUncaughtException, 0, builtin_fp);
}

ExnData* DataOf(void* exn) {
  return static_cast<ExnData*>(static_cast<gc::ExternObject*>(exn)->payload);
}

void* NewException(const Tag* tag, const ValueSlot* values, size_t n) {
  void* mem = ::operator new(DataBytes(n), std::align_val_t(16));
  auto* d = static_cast<ExnData*>(mem);
  d->tag = tag;
  d->count = n;
  ValueSlot* v = Values(d);
  const wasm::FuncType& type = tag->type();
  for (size_t i = 0; i < n; ++i) {
    v[i] = values[i];
    if (i < type.params.size() && gc::IsGcRefType(type.params[i])) gc::IncRef(v[i].ref);
  }
  gc::ExternObject* h = gc::NewExternRef(d, &DropData);
  h->kind = gc::GcKind::kException;
  h->rtt = gc::ExceptionRtt();
  gc::IncRef(h);
  return h;
}

std::string DescribeException(void* exn) {
  ExnData* d = DataOf(exn);
  const wasm::FuncType& type = d->tag->type();
  // An exported tag is named "NAME" (quoted), an unexported one already reads "tag N".
  std::string s = d->tag->name();
  if (!s.starts_with("tag ")) s = "tag " + s;
  if (d->count == 0) return s;
  s += " (";
  for (size_t i = 0; i < d->count && i < type.params.size(); ++i) {
    Value v;
    v.type = type.params[i];
    v.bits = Values(d)[i];
    if (i > 0) s += ", ";
    s += ValueToString(v);
  }
  return s + ")";
}

}  // namespace wt::runtime::exn

using wt::runtime::VMContext;
namespace exn = wt::runtime::exn;

extern "C" [[noreturn]] void wt_throw(VMContext* vmctx, uint32_t tag,
                                      const uint64_t* values) noexcept {
  auto fp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  uintptr_t wasm_fp = *reinterpret_cast<uintptr_t*>(fp);
  auto wasm_pc = reinterpret_cast<uintptr_t>(__builtin_return_address(0));
  const auto* t = static_cast<const wt::runtime::Tag*>(vmctx->tags[tag]);
  const wt::wasm::FuncType& type = t->type();
  // The outgoing area's layout (abi::NextArgSlot): one slot per scalar, a v128 at an even slot.
  wt::runtime::ValueSlot small[8];
  size_t n = type.params.size();
  wt::runtime::ValueSlot* v = small;
  if (n > 8) v = static_cast<wt::runtime::ValueSlot*>(::operator new(16 * n));
  uint32_t next = 0;
  for (size_t i = 0; i < n; ++i) {
    auto jt = wt::jit::JTypeOf(type.params[i]);
    wt::jit::JType k = jt.ok() ? *jt : wt::jit::JType::kI64;
    uint32_t s = wt::jit::abi::NextArgSlot(&next, k);
    v[i] = wt::runtime::ValueSlot{};
    std::memcpy(&v[i], values + s, 8 * wt::jit::abi::SlotWords(k));
  }
  void* e = exn::NewException(t, v, n);
  if (v != small) ::operator delete(v);
  exn::Unwind(vmctx, e, wasm_fp, wasm_pc, fp);
}

extern "C" [[noreturn]] void wt_throw_ref(VMContext* vmctx, void* e) noexcept {
  auto fp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  uintptr_t wasm_fp = *reinterpret_cast<uintptr_t*>(fp);
  auto wasm_pc = reinterpret_cast<uintptr_t>(__builtin_return_address(0));
  if (e == nullptr) wt::runtime::RaiseTrap(wt::runtime::TrapCode::kNullReference, wasm_pc, 0);
  wt::runtime::gc::IncRef(e);
  exn::Unwind(vmctx, e, wasm_fp, wasm_pc, fp);
}
