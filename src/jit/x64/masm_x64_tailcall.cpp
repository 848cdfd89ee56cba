// x86_64 MacroAssembler: tail calls (return_call, return_call_indirect, return_call_ref).
// The compiler has written the callee's arguments into this function's incoming area
// (docs/tail-calls.md); these leave the frame (the caller's rbp back, rsp at the return
// address into our caller) and jump, so the callee's frame replaces ours.
#include "jit/abi.h"
#include "jit/tail_adapter.h"
#include "jit/x64/masm_x64_impl.h"
#include "runtime/vmctx.h"

namespace wt::jit::x64 {

using namespace asmjit;

//   mov rsp, rbp; pop rbp; jmp label
void Masm::TailJumpLabel(Label l) {
  auto& a = impl_->a;
  if (impl_->fast) {
    auto& e = impl_->e;
    e.MovRR(true, 4, 5);  // mov rsp, rbp
    uint8_t* p = e.Begin();
    if (p == nullptr) return;
    *p++ = 0x5D;  // pop rbp
    e.End(p);
    e.Jmp(l.id);
    // An unbound function label is an external link (another chunk's code), like a call's.
    if (e.last_target_unbound()) impl_->call_targets.push_back(l.id);
    return;
  }
  a.mov(x86::rsp, x86::rbp);
  a.pop(x86::rbp);
  a.jmp(AL(l));
}

//   cmp r15, [ref + FuncRef::vmctx]; jne other
void Masm::BranchIfOtherInstance(Reg ref, Label other) {
  auto& a = impl_->a;
  a.cmp(x86::r15, x86::qword_ptr(Gq(ref), runtime::kFuncRefVMCtx));
  a.jne(AL(other));
}

// The FuncRef calling sequence (abi.h), with a jump: r13 = our vmctx, r15 = the FuncRef's, r14
// = its memory base (our caller must not need its own back: the callee is of this instance, or
// our return address is an adapter's return point, which restores them).
//   mov r11, ref; mov r13, r15; mov r15, [r11 + vmctx]; mov r14, [r15 + mem0 base];
//   mov rsp, rbp; pop rbp; jmp [r11 + FuncRef::code]
void Masm::TailJumpFuncRef(Reg ref) {
  auto& a = impl_->a;
  a.mov(x86::r11, Gq(ref));
  a.mov(x86::r13, x86::r15);
  a.mov(x86::r15, x86::qword_ptr(x86::r11, runtime::kFuncRefVMCtx));
  a.mov(x86::r14, x86::qword_ptr(x86::r15, runtime::kVMCtxMem0Base));
  a.mov(x86::rsp, x86::rbp);
  a.pop(x86::rbp);
  a.jmp(x86::qword_ptr(x86::r11, runtime::kFuncRefCode));
}

// --- Growing tail calls: adapter frames (docs/tail-calls.md) ----------------------------

// An adapter's return point starts with `jmp +4` over kTailAdapterMagic (jit/tail_adapter.h):
// no other return address is followed by these six bytes.
constexpr uint32_t kAdapterMagic = kTailAdapterMagic;

//   mov tmp, [rbp + 8]; cmp word [tmp], 0x04eb; jne l; cmp dword [tmp + 2], magic; jne l
void Masm::BranchIfNotTailAdapter(Reg tmp, Label l) {
  auto& a = impl_->a;
  x86::Gp t = Gq(tmp);
  a.mov(t, x86::qword_ptr(x86::rbp, 8));
  a.cmp(x86::word_ptr(t), kTailAdapterX64Jump);  // first: the magic is read only after it
  a.jne(AL(l));
  a.cmp(x86::dword_ptr(t, 2), static_cast<int32_t>(kAdapterMagic));
  a.jne(AL(l));
}

// The callee's frame goes below the adapter whose frame pointer is `fpa`, its area at
// fpa + area_offset (16-aligned, the args already there): the return address is the adapter's
// return point, rbp the adapter's frame.
//   lea r11, [ret_point]; mov [fpa + area_offset - 8], r11; mov rbp, fpa;
//   lea rsp, [rbp + area_offset - 8]; jmp target
void Masm::EnterTailAdapter(Reg fpa, int32_t area_offset, Label ret_point, Label target) {
  auto& a = impl_->a;
  a.lea(x86::r11, x86::ptr(AL(ret_point)));
  a.mov(x86::qword_ptr(Gq(fpa), area_offset - 8), x86::r11);
  a.mov(x86::rbp, Gq(fpa));
  a.lea(x86::rsp, x86::ptr(x86::rbp, area_offset - 8));
  if (impl_->fast) {
    impl_->e.Jmp(target.id);
    if (impl_->e.last_target_unbound()) impl_->call_targets.push_back(target.id);
    return;
  }
  a.jmp(AL(target));
}

// As EnterTailAdapter, to the FuncRef* in `ref` (any instance, or a host function) with the
// FuncRef calling sequence (r13, r15, r14 as at CallFuncRef; the adapter's return point
// restores our caller's).
//   lea r11, [ret_point]; mov [fpa + area_offset - 8], r11; mov rbp, fpa;
//   lea rsp, [rbp + area_offset - 8]; mov r11, ref; mov r13, r15; mov r15, [r11 + vmctx];
//   mov r14, [r15 + mem0 base]; jmp [r11 + FuncRef::code]
void Masm::EnterTailAdapterFuncRef(Reg fpa, int32_t area_offset, Label ret_point, Reg ref) {
  auto& a = impl_->a;
  a.lea(x86::r11, x86::ptr(AL(ret_point)));
  a.mov(x86::qword_ptr(Gq(fpa), area_offset - 8), x86::r11);
  a.mov(x86::rbp, Gq(fpa));
  a.lea(x86::rsp, x86::ptr(x86::rbp, area_offset - 8));
  a.mov(x86::r11, Gq(ref));
  a.mov(x86::r13, x86::r15);
  a.mov(x86::r15, x86::qword_ptr(x86::r11, runtime::kFuncRefVMCtx));
  a.mov(x86::r14, x86::qword_ptr(x86::r15, runtime::kVMCtxMem0Base));
  a.jmp(x86::qword_ptr(x86::r11, runtime::kFuncRefCode));
}

// The callee returns here with rsp at its area and rbp = the adapter's frame. The vmctx and
// memory base go back to the adapter's (the tail caller's, saved by its prologue: what its
// caller had when it called it directly), as a callee of another instance changed them.
//   jmp +4; .long magic; mov r15, [rbp - 8]; mov r14, [r15 + mem0 base];
//   mov rsp, rbp; pop rbp; ret
uint32_t Masm::BindTailAdapterReturn(Label l, uint32_t result_words) {
  Bind(l);
  uint32_t at = Offset();
  auto& a = impl_->a;
  static const uint8_t kMarker[] = {0xEB,
                                    0x04,
                                    static_cast<uint8_t>(kAdapterMagic),
                                    static_cast<uint8_t>(kAdapterMagic >> 8),
                                    static_cast<uint8_t>(kAdapterMagic >> 16),
                                    static_cast<uint8_t>(kAdapterMagic >> 24)};
  a.embed(kMarker, sizeof(kMarker));
  if (result_words > 0) {
    // Results 1..: rsp is the area's start; rcx/rdx are free (result 0 is in rax or xmm0).
    //   mov r11, [rbp - 24]; lea r11, [rsp + r11*8]; mov rcx, [rbp - 32];
    //   lea rcx, [rbp + rcx*8 + 16]; (mov rdx, [r11 + 8k]; mov [rcx + 8k], rdx)...
    a.mov(x86::r11, x86::qword_ptr(x86::rbp, -24));
    a.lea(x86::r11, x86::ptr(x86::rsp, x86::r11, 3));
    a.mov(x86::rcx, x86::qword_ptr(x86::rbp, -32));
    a.lea(x86::rcx, x86::ptr(x86::rbp, x86::rcx, 3, abi::kIncomingArgsOffset));
    for (uint32_t k = 0; k < result_words; ++k) {
      a.mov(x86::rdx, x86::qword_ptr(x86::r11, static_cast<int32_t>(8 * k)));
      a.mov(x86::qword_ptr(x86::rcx, static_cast<int32_t>(8 * k)), x86::rdx);
    }
  }
  a.mov(x86::r15, x86::qword_ptr(x86::rbp, abi::kSavedVmctxOffset));
  a.mov(x86::r14, x86::qword_ptr(x86::r15, runtime::kVMCtxMem0Base));
  a.mov(x86::rsp, x86::rbp);
  a.pop(x86::rbp);
  a.ret();
  return at;
}

}  // namespace wt::jit::x64
