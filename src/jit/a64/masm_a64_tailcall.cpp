// aarch64 MacroAssembler: tail calls (return_call, return_call_indirect, return_call_ref); the
// x64 reference is jit/x64/masm_x64_tailcall.cpp. The compiler has written the callee's
// arguments into this function's incoming area (docs/tail-calls.md); these leave the frame
// (x29/x30 back from the frame record, sp at our incoming area) and branch, so the callee's
// frame replaces ours and it returns straight to our caller through x30.
#include "jit/a64/masm_a64_impl.h"
#include "jit/abi.h"
#include "jit/tail_adapter.h"
#include "runtime/vmctx.h"

namespace wt::jit::a64 {

namespace {

namespace aa = asmjit::a64;

// `b` (imm26), like the `bl` of a direct call.
constexpr uint32_t kBImm26 = 0x14000000u;

}  // namespace

//   mov sp, x29; ldp x29, x30, [sp], #16; b label
// The b is a kBl26 link like CallLabel's bl (the same imm26 field): a label bound here is
// resolved by Finish, an unbound one (another chunk's function) gets a veneer island
// (adrp x16; add; br x16) when out of reach; x16 is free at a function's entry.
void Masm::TailJumpLabel(Label l) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  a.mov(aa::sp, aa::x29);
  a.ldp(aa::x29, aa::x30, aa::ptr_post(aa::sp, 16));
  impl_->AddLink(AL(l), kBl26, 0);
  impl_->Emit(kBImm26);
}

//   ldr x16, [ref + FuncRef::vmctx]; cmp x16, x28; b.ne other
void Masm::BranchIfOtherInstance(Reg ref, Label other) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  a.ldr(aa::x16, aa::ptr(X(ref), runtime::kFuncRefVMCtx));
  a.cmp(aa::x16, X(kVmctx));
  impl_->BranchCond(aa::CondCode::kNE, AL(other));
}

// The FuncRef calling sequence (abi.h, CallFuncRef), with a branch: x11 = our vmctx, x28 = the
// FuncRef's, x27 = its memory base (our caller must not need its own back: the callee is of
// this instance, or our return address is an adapter's return point, which restores them).
//   mov x16, ref; mov x11, x28; ldr x28, [x16 + vmctx]; ldr x27, [x28 + mem0 base];
//   ldr x16, [x16 + code]; mov sp, x29; ldp x29, x30, [sp], #16; br x16
void Masm::TailJumpFuncRef(Reg ref) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  a.mov(aa::x16, X(ref));
  a.mov(X(kCallerVmctx), X(kVmctx));
  a.ldr(X(kVmctx), aa::ptr(aa::x16, runtime::kFuncRefVMCtx));
  a.ldr(X(kMemBase), aa::ptr(X(kVmctx), runtime::kVMCtxMem0Base));
  a.ldr(aa::x16, aa::ptr(aa::x16, runtime::kFuncRefCode));
  a.mov(aa::sp, aa::x29);
  a.ldp(aa::x29, aa::x30, aa::ptr_post(aa::sp, 16));
  a.br(aa::x16);
}

// --- Growing tail calls: adapter frames (docs/tail-calls.md) ----------------------------

// An adapter's return point starts with `b .+8` over kTailAdapterMagic (jit/tail_adapter.h):
// no other return address is followed by these eight bytes.
constexpr uint32_t kAdapterMagic = kTailAdapterMagic;
constexpr uint32_t kBOver = kTailAdapterA64Branch;

//   ldr tmp, [x29, #8]; ldr w16, [tmp]; cmp w16, b.+8; b.ne l;
//   ldr w16, [tmp, #4]; cmp w16, magic; b.ne l
void Masm::BranchIfNotTailAdapter(Reg tmp, Label l) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  a.ldr(X(tmp), aa::ptr(aa::x29, 8));
  a.ldr(aa::w16, aa::ptr(X(tmp)));
  impl_->MovImm(aa::w17, kBOver);
  a.cmp(aa::w16, aa::w17);
  impl_->BranchCond(aa::CondCode::kNE, AL(l));
  a.ldr(aa::w16, aa::ptr(X(tmp), 4));
  impl_->MovImm(aa::w17, kAdapterMagic);
  a.cmp(aa::w16, aa::w17);
  impl_->BranchCond(aa::CondCode::kNE, AL(l));
}

// The callee's frame goes below the adapter whose frame pointer is `fpa`, its area at
// fpa + area_offset (16-aligned, the args already there): x30 is the adapter's return point,
// x29 the adapter's frame.
//   adr x30, ret_point; mov x29, fpa; sub sp, x29, #-area_offset; b target
void Masm::EnterTailAdapter(Reg fpa, int32_t area_offset, Label ret_point, Label target) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  a.adr(aa::x30, AL(ret_point));
  a.mov(aa::x29, X(fpa));
  impl_->AddImm(aa::sp, aa::x29, area_offset);
  impl_->AddLink(AL(target), kBl26, 0);
  impl_->Emit(kBImm26);
}

// As EnterTailAdapter, to the FuncRef* in `ref` (any instance, or a host function) with the
// FuncRef calling sequence (x11, x28, x27 as at CallFuncRef; the adapter's return point
// restores our caller's).
//   adr x30, ret_point; mov x29, fpa; sub sp, x29, #-area_offset; mov x16, ref; mov x11, x28;
//   ldr x28, [x16 + vmctx]; ldr x27, [x28 + mem0 base]; ldr x16, [x16 + code]; br x16
void Masm::EnterTailAdapterFuncRef(Reg fpa, int32_t area_offset, Label ret_point, Reg ref) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  a.adr(aa::x30, AL(ret_point));
  a.mov(aa::x29, X(fpa));
  impl_->AddImm(aa::sp, aa::x29, area_offset);
  a.mov(aa::x16, X(ref));
  a.mov(X(kCallerVmctx), X(kVmctx));
  a.ldr(X(kVmctx), aa::ptr(aa::x16, runtime::kFuncRefVMCtx));
  a.ldr(X(kMemBase), aa::ptr(X(kVmctx), runtime::kVMCtxMem0Base));
  a.ldr(aa::x16, aa::ptr(aa::x16, runtime::kFuncRefCode));
  a.br(aa::x16);
}

// The callee returns here with sp at its area and x29 = the adapter's frame. The vmctx and
// memory base go back to the adapter's (the tail caller's, saved by its prologue), as a callee
// of another instance changed them.
//   b .+8; .word magic; ldur x28, [x29, #-8]; ldr x27, [x28 + mem0 base];
//   mov sp, x29; ldp x29, x30, [sp], #16; ret
uint32_t Masm::BindTailAdapterReturn(Label l, uint32_t result_words) {
  Bind(l);
  uint32_t at = Offset();
  auto& a = impl_->a;
  impl_->Emit(kBOver);
  impl_->Emit(kAdapterMagic);
  if (result_words > 0) {
    // Results 1..: sp is the area's start; x15..x17 are scratch (result 0 is in x0 or v0).
    //   ldur x16, [x29, #-24]; mov x15, sp; add x16, x15, x16, lsl #3; ldur x17, [x29, #-32];
    //   add x17, x29, x17, lsl #3; (ldr x15, [x16, #8k]; str x15, [x17, #16 + 8k])...
    a.ldur(aa::x16, aa::ptr(aa::x29, -24));
    a.mov(aa::x15, aa::sp);
    a.add(aa::x16, aa::x15, aa::x16, asmjit::arm::lsl(3));
    a.ldur(aa::x17, aa::ptr(aa::x29, -32));
    a.add(aa::x17, aa::x29, aa::x17, asmjit::arm::lsl(3));
    // (scaled 12-bit offsets: results are at most abi::kMaxParamsOrResults words)
    for (uint32_t k = 0; k < result_words; ++k) {
      a.ldr(aa::x15, aa::ptr(aa::x16, static_cast<int32_t>(8 * k)));
      a.str(aa::x15, aa::ptr(aa::x17, static_cast<int32_t>(abi::kIncomingArgsOffset + 8 * k)));
    }
  }
  a.ldur(X(kVmctx), aa::ptr(aa::x29, abi::kSavedVmctxOffset));
  a.ldr(X(kMemBase), aa::ptr(X(kVmctx), runtime::kVMCtxMem0Base));
  a.mov(aa::sp, aa::x29);
  a.ldp(aa::x29, aa::x30, aa::ptr_post(aa::sp, 16));
  a.ret(aa::x30);
  return at;
}

}  // namespace wt::jit::a64
