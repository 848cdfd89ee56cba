// x86_64 trampolines between the host (System V) and the wasm ABI (jit/abi.h), one per
// signature: EntryFn (host -> wasm) and host stubs (wasm -> HostFuncRecord::fn).
#include <algorithm>
#include <vector>

#include "jit/abi.h"
#include "jit/feature_check.h"
#include "jit/x64/masm_x64_impl.h"
#include "runtime/builtin_table.h"
#include "runtime/vmctx.h"

namespace wt::jit::x64 {

using namespace asmjit;

namespace {

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

}  // namespace

// EntryFn(vmctx = rdi, code = rsi, args_results = rdx).
uint32_t Masm::EmitEntryTrampoline(const wasm::FuncType& sig) {
  auto& a = impl_->a;
  AlignCode(16);
  uint32_t start = Offset();
  auto np = static_cast<uint32_t>(sig.params.size());
  auto nr = static_cast<uint32_t>(sig.results.size());
  std::vector<uint32_t> pslot, rslot;
  uint32_t area = AlignUp(abi::kSlotSize * AreaLayout(sig, &pslot, &rslot), abi::kFrameAlignment);

  a.push(x86::rbp);
  a.mov(x86::rbp, x86::rsp);
  a.push(x86::rbx);
  a.push(x86::r12);
  a.push(x86::r13);
  a.push(x86::r14);
  a.push(x86::r15);
  a.push(x86::rdx);  // [rbp - 48]: args_results
  if (area) a.sub(x86::rsp, area);
  for (uint32_t i = 0; i < np; ++i) {
    auto from = static_cast<int32_t>(sizeof(runtime::ValueSlot) * i);
    auto to = static_cast<int32_t>(abi::kSlotSize * pslot[i]);
    if (IsV128(sig.params[i])) {
      a.movdqu(x86::xmm0, x86::xmmword_ptr(x86::rdx, from));
      a.movdqu(x86::xmmword_ptr(x86::rsp, to), x86::xmm0);
    } else {
      a.mov(x86::rax, x86::qword_ptr(x86::rdx, from));
      a.mov(x86::qword_ptr(x86::rsp, to), x86::rax);
    }
  }
  a.mov(x86::r15, x86::rdi);
  a.mov(x86::r13, x86::rdi);
  a.mov(x86::r14, x86::qword_ptr(x86::rdi, runtime::kVMCtxMem0Base));
  a.call(x86::rsi);
  a.mov(x86::rdx, x86::qword_ptr(x86::rbp, -48));
  if (nr > 0) {
    if (IsV128(sig.results[0]))
      a.movdqu(x86::xmmword_ptr(x86::rdx), x86::xmm0);
    else if (IsFpType(sig.results[0]))
      a.movq(x86::qword_ptr(x86::rdx), x86::xmm0);
    else
      a.mov(x86::qword_ptr(x86::rdx), x86::rax);
  }
  for (uint32_t i = 1; i < nr; ++i) {
    auto from = static_cast<int32_t>(abi::kSlotSize * rslot[i]);
    auto to = static_cast<int32_t>(sizeof(runtime::ValueSlot) * i);
    if (IsV128(sig.results[i])) {
      a.movdqu(x86::xmm0, x86::xmmword_ptr(x86::rsp, from));
      a.movdqu(x86::xmmword_ptr(x86::rdx, to), x86::xmm0);
    } else {
      a.mov(x86::rax, x86::qword_ptr(x86::rsp, from));
      a.mov(x86::qword_ptr(x86::rdx, to), x86::rax);
    }
  }
  a.lea(x86::rsp, x86::ptr(x86::rbp, -40));
  a.pop(x86::r15);
  a.pop(x86::r14);
  a.pop(x86::r13);
  a.pop(x86::r12);
  a.pop(x86::rbx);
  a.pop(x86::rbp);
  a.ret();
  return start;
}

// A wasm-ABI function: r15 = HostFuncRecord*, r13 = the caller's VMContext (its store_ctx
// must be valid), params at [rbp + 16 + 8*i].
uint32_t Masm::EmitHostStub(const wasm::FuncType& sig) {
  auto& a = impl_->a;
  AlignCode(16);
  uint32_t start = Offset();
  auto np = static_cast<uint32_t>(sig.params.size());
  auto nr = static_cast<uint32_t>(sig.results.size());
  uint32_t area = sizeof(runtime::ValueSlot) * std::max(np, nr);  // multiple of 16
  std::vector<uint32_t> pslot, rslot;
  AreaLayout(sig, &pslot, &rslot);

  a.push(x86::rbp);
  a.mov(x86::rbp, x86::rsp);
  // Record where wasm code was left (the caller's fp and the return pc) in the store's
  // VMStoreContext, for backtraces through host frames.
  a.mov(x86::r11, x86::qword_ptr(x86::r13, runtime::kVMCtxStoreCtx));
  a.mov(x86::rax, x86::qword_ptr(x86::rbp));
  a.mov(x86::qword_ptr(x86::r11, runtime::kStoreCtxLastExitFp), x86::rax);
  a.mov(x86::rax, x86::qword_ptr(x86::rbp, 8));
  a.mov(x86::qword_ptr(x86::r11, runtime::kStoreCtxLastExitPc), x86::rax);
  if (area) a.sub(x86::rsp, area);
  for (uint32_t i = 0; i < np; ++i) {
    auto from = abi::kIncomingArgsOffset + static_cast<int32_t>(abi::kSlotSize * pslot[i]);
    auto to = static_cast<int32_t>(sizeof(runtime::ValueSlot) * i);
    if (IsV128(sig.params[i])) {
      a.movdqu(x86::xmm0, x86::xmmword_ptr(x86::rbp, from));
      a.movdqu(x86::xmmword_ptr(x86::rsp, to), x86::xmm0);
    } else {
      a.mov(x86::rax, x86::qword_ptr(x86::rbp, from));
      a.mov(x86::qword_ptr(x86::rsp, to), x86::rax);
    }
  }
  a.mov(x86::rdi, x86::qword_ptr(x86::r15, runtime::kHostRecordEnv));
  a.mov(x86::rsi, x86::r13);
  a.mov(x86::rdx, x86::rsp);
  a.call(x86::qword_ptr(x86::r15, runtime::kHostRecordFn));
  asmjit::Label trap = a.newLabel();
  a.test(x86::eax, x86::eax);
  a.jnz(trap);
  if (nr > 0) {
    switch (sig.results[0].kind) {
      case wasm::ValKind::kI32:
        a.mov(x86::eax, x86::dword_ptr(x86::rsp));
        break;
      case wasm::ValKind::kF32:
        a.movss(x86::xmm0, x86::dword_ptr(x86::rsp));
        break;
      case wasm::ValKind::kF64:
        a.movsd(x86::xmm0, x86::qword_ptr(x86::rsp));
        break;
      case wasm::ValKind::kV128:
        a.movdqu(x86::xmm0, x86::xmmword_ptr(x86::rsp));
        break;
      default:
        a.mov(x86::rax, x86::qword_ptr(x86::rsp));
        break;
    }
  }
  for (uint32_t i = 1; i < nr; ++i) {
    auto from = static_cast<int32_t>(sizeof(runtime::ValueSlot) * i);
    auto to = abi::kIncomingArgsOffset + static_cast<int32_t>(abi::kSlotSize * rslot[i]);
    if (IsV128(sig.results[i])) {  // xmm15: xmm0 holds result 0
      a.movdqu(x86::xmm15, x86::xmmword_ptr(x86::rsp, from));
      a.movdqu(x86::xmmword_ptr(x86::rbp, to), x86::xmm15);
    } else {
      a.mov(x86::r11, x86::qword_ptr(x86::rsp, from));
      a.mov(x86::qword_ptr(x86::rbp, to), x86::r11);
    }
  }
  a.mov(x86::rsp, x86::rbp);
  a.pop(x86::rbp);
  a.ret();
  // The host asked for a trap: wt_raise_trap(ret - 1, pc = 0 (a host), fp = this frame).
  a.bind(trap);
  a.lea(x86::edi, x86::ptr(x86::rax, -1));
  a.xor_(x86::esi, x86::esi);
  a.mov(x86::rdx, x86::rbp);
  impl_->CallBuiltinId(static_cast<uint32_t>(runtime::BuiltinId::kRaiseTrap));
  a.ud2();
  return start;
}

}  // namespace wt::jit::x64
