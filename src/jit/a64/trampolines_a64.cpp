// aarch64 trampolines between the host (AAPCS64) and the wasm ABI (jit/abi.h), one per
// signature: EntryFn (host -> wasm) and host stubs (wasm -> HostFuncRecord::fn). Same
// semantics as jit/x64/trampolines_x64.cpp (v128 params/results, multi-value).
#include <algorithm>
#include <vector>

#include "jit/a64/masm_a64_impl.h"
#include "jit/abi.h"
#include "jit/feature_check.h"
#include "runtime/builtin_table.h"
#include "runtime/vmctx.h"

namespace wt::jit::a64 {

namespace {

namespace aa = asmjit::a64;

bool IsFpType(const wasm::ValType& t) {
  return t.kind == wasm::ValKind::kF32 || t.kind == wasm::ValKind::kF64;
}

bool IsV128(const wasm::ValType& t) {
  return t.kind == wasm::ValKind::kV128;
}

// The call area of `sig` (abi::NextArgSlot): the slot of each param and of each result
// (result 0's entry unused); returns the area's size in slots.
uint32_t AreaLayout(const wasm::FuncType& sig, std::vector<uint32_t>* params,
                    std::vector<uint32_t>* results) {
  auto kind = [](const wasm::ValType& t) {
    auto j = JTypeOf(t);
    return j.ok() ? *j : JType::kI64;
  };
  uint32_t next = 0;
  params->clear();
  results->assign(1, 0);
  for (const wasm::ValType& t : sig.params) params->push_back(abi::NextArgSlot(&next, kind(t)));
  for (size_t i = 1; i < sig.results.size(); ++i)
    results->push_back(abi::NextArgSlot(&next, kind(sig.results[i])));
  return next;
}

uint32_t AlignUp(uint32_t v, uint32_t a) {
  return (v + a - 1) / a * a;
}

// Copies one value (8 bytes, or 16 for a v128) from [from_base + from] to [to_base + to]
// through x16 / v16. The offsets stay within the scaled 12-bit forms: at most
// kMaxParamsOrResults values, 16 bytes each.
void CopyValue(aa::Assembler& a, bool v128, const aa::Gp& to_base, int32_t to,
               const aa::Gp& from_base, int32_t from) {
  if (v128) {
    a.ldr(aa::q16, aa::ptr(from_base, from));
    a.str(aa::q16, aa::ptr(to_base, to));
  } else {
    a.ldr(aa::x16, aa::ptr(from_base, from));
    a.str(aa::x16, aa::ptr(to_base, to));
  }
}

// The entry trampoline's frame: the frame record, the AAPCS64 callee-saved registers (x19..x28
// and the low halves of v8..v15), args_results; 16-aligned.
constexpr int32_t kEntrySavedX19 = 16;  // x19..x28: 5 pairs
constexpr int32_t kEntrySavedD8 = 96;   // d8..d15: 4 pairs
constexpr int32_t kEntryArgsResults = 160;
constexpr int32_t kEntryFrame = 176;

}  // namespace

// EntryFn(vmctx = x0, code = x1, args_results = x2) in AAPCS64. Wasm code clobbers every
// register but x29 (and x19..x26, unused: saved anyway, so that nothing depends on it), so all
// of the host's callee-saved registers are saved here, x27/x28 included (the memory base and
// vmctx of the wasm code).
uint32_t Masm::EmitEntryTrampoline(const wasm::FuncType& sig) {
  auto& a = impl_->a;
  AlignCode(16);
  uint32_t start = Offset();
  auto np = static_cast<uint32_t>(sig.params.size());
  auto nr = static_cast<uint32_t>(sig.results.size());
  std::vector<uint32_t> pslot, rslot;
  uint32_t area = AlignUp(abi::kSlotSize * AreaLayout(sig, &pslot, &rslot), abi::kFrameAlignment);

  a.stp(aa::x29, aa::x30, aa::ptr_pre(aa::sp, -kEntryFrame));
  a.mov(aa::x29, aa::sp);
  for (unsigned k = 0; k < 5; ++k)
    a.stp(aa::x(19 + 2 * k), aa::x(20 + 2 * k),
          aa::ptr(aa::sp, kEntrySavedX19 + static_cast<int32_t>(16 * k)));
  for (unsigned k = 0; k < 4; ++k)
    a.stp(aa::d(8 + 2 * k), aa::d(9 + 2 * k),
          aa::ptr(aa::sp, kEntrySavedD8 + static_cast<int32_t>(16 * k)));
  a.str(aa::x2, aa::ptr(aa::sp, kEntryArgsResults));
  if (area) impl_->AddImm(aa::sp, aa::sp, -static_cast<int64_t>(area));
  for (uint32_t i = 0; i < np; ++i) {
    auto from = static_cast<int32_t>(sizeof(runtime::ValueSlot) * i);
    auto to = static_cast<int32_t>(abi::kSlotSize * pslot[i]);
    CopyValue(a, IsV128(sig.params[i]), aa::sp, to, aa::x2, from);
  }
  a.mov(X(kVmctx), aa::x0);
  a.mov(X(kCallerVmctx), aa::x0);
  a.ldr(X(kMemBase), aa::ptr(aa::x0, runtime::kVMCtxMem0Base));
  a.blr(aa::x1);
  a.ldr(aa::x2, aa::ptr(aa::x29, kEntryArgsResults));
  if (nr > 0) {
    if (IsV128(sig.results[0]))
      a.str(aa::q0, aa::ptr(aa::x2));
    else if (IsFpType(sig.results[0]))
      a.str(aa::d0, aa::ptr(aa::x2));  // f32 in the low 4 bytes, as x64's movq
    else
      a.str(aa::x0, aa::ptr(aa::x2));
  }
  for (uint32_t i = 1; i < nr; ++i) {
    auto from = static_cast<int32_t>(abi::kSlotSize * rslot[i]);
    auto to = static_cast<int32_t>(sizeof(runtime::ValueSlot) * i);
    CopyValue(a, IsV128(sig.results[i]), aa::x2, to, aa::sp, from);
  }
  a.mov(aa::sp, aa::x29);
  for (unsigned k = 0; k < 4; ++k)
    a.ldp(aa::d(8 + 2 * k), aa::d(9 + 2 * k),
          aa::ptr(aa::sp, kEntrySavedD8 + static_cast<int32_t>(16 * k)));
  for (unsigned k = 0; k < 5; ++k)
    a.ldp(aa::x(19 + 2 * k), aa::x(20 + 2 * k),
          aa::ptr(aa::sp, kEntrySavedX19 + static_cast<int32_t>(16 * k)));
  a.ldp(aa::x29, aa::x30, aa::ptr_post(aa::sp, kEntryFrame));
  a.ret(aa::x30);
  return start;
}

// A wasm-ABI function: x28 = HostFuncRecord*, x11 = the caller's VMContext (its store_ctx must
// be valid), the return address in x30, params at [x29 + 16 + 8*slot] after the frame record.
// Frame: the frame record, then a ValueSlot array of max(#params, #results) entries at sp that
// the host function reads its params from and writes its results to.
uint32_t Masm::EmitHostStub(const wasm::FuncType& sig) {
  auto& a = impl_->a;
  AlignCode(16);
  uint32_t start = Offset();
  auto np = static_cast<uint32_t>(sig.params.size());
  auto nr = static_cast<uint32_t>(sig.results.size());
  uint32_t area = sizeof(runtime::ValueSlot) * std::max(np, nr);  // multiple of 16
  std::vector<uint32_t> pslot, rslot;
  AreaLayout(sig, &pslot, &rslot);

  // Record where wasm code was left (the caller's fp and the return pc: x29 and x30 before the
  // frame record is pushed) in the store's VMStoreContext, for backtraces through host frames.
  static_assert(runtime::kStoreCtxLastExitPc == runtime::kStoreCtxLastExitFp + 8);
  a.ldr(aa::x16, aa::ptr(X(kCallerVmctx), runtime::kVMCtxStoreCtx));
  a.stp(aa::x29, aa::x30, aa::ptr(aa::x16, runtime::kStoreCtxLastExitFp));
  a.stp(aa::x29, aa::x30, aa::ptr_pre(aa::sp, -16));
  a.mov(aa::x29, aa::sp);
  if (area) impl_->AddImm(aa::sp, aa::sp, -static_cast<int64_t>(area));
  for (uint32_t i = 0; i < np; ++i) {
    auto from = abi::kIncomingArgsOffset + static_cast<int32_t>(abi::kSlotSize * pslot[i]);
    auto to = static_cast<int32_t>(sizeof(runtime::ValueSlot) * i);
    CopyValue(a, IsV128(sig.params[i]), aa::sp, to, aa::x29, from);
  }
  a.ldr(aa::x0, aa::ptr(X(kVmctx), runtime::kHostRecordEnv));
  a.mov(aa::x1, X(kCallerVmctx));
  a.mov(aa::x2, aa::sp);
  a.ldr(aa::x16, aa::ptr(X(kVmctx), runtime::kHostRecordFn));
  a.blr(aa::x16);
  asmjit::Label trap = a.newLabel();
  a.cbnz(aa::w0, trap);
  if (nr > 0) {
    switch (sig.results[0].kind) {
      case wasm::ValKind::kI32:
        a.ldr(aa::w0, aa::ptr(aa::sp));
        break;
      case wasm::ValKind::kF32:
        a.ldr(aa::s0, aa::ptr(aa::sp));
        break;
      case wasm::ValKind::kF64:
        a.ldr(aa::d0, aa::ptr(aa::sp));
        break;
      case wasm::ValKind::kV128:
        a.ldr(aa::q0, aa::ptr(aa::sp));
        break;
      default:
        a.ldr(aa::x0, aa::ptr(aa::sp));
        break;
    }
  }
  for (uint32_t i = 1; i < nr; ++i) {  // x16 / v16: x0 / v0 hold result 0
    auto from = static_cast<int32_t>(sizeof(runtime::ValueSlot) * i);
    auto to = abi::kIncomingArgsOffset + static_cast<int32_t>(abi::kSlotSize * rslot[i]);
    CopyValue(a, IsV128(sig.results[i]), aa::x29, to, aa::sp, from);
  }
  a.mov(aa::sp, aa::x29);
  a.ldp(aa::x29, aa::x30, aa::ptr_post(aa::sp, 16));
  a.ret(aa::x30);
  // The host asked for a trap: wt_raise_trap(ret - 1, pc = 0 (a host), fp = this frame).
  a.bind(trap);
  a.sub(aa::w0, aa::w0, 1);
  a.mov(aa::x1, aa::xzr);
  a.mov(aa::x2, aa::x29);
  impl_->CallBuiltinId(static_cast<uint32_t>(runtime::BuiltinId::kRaiseTrap));
  a.udf(0);
  return start;
}

}  // namespace wt::jit::a64
