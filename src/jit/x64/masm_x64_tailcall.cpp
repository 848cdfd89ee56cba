// x86_64 MacroAssembler: tail calls (return_call, return_call_indirect, return_call_ref).
// The compiler has written the callee's arguments into this function's incoming area
// (docs/tail-calls.md); these leave the frame (the caller's rbp back, rsp at the return
// address into our caller) and jump, so the callee's frame replaces ours.
#include "jit/abi.h"
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

// The callee runs in this instance (BranchIfOtherInstance): r15 and r14 stay; r13 gets the
// caller's vmctx as at any FuncRef call (a host stub reads it).
//   mov r11, ref; mov r13, r15; mov rsp, rbp; pop rbp; jmp [r11 + FuncRef::code]
void Masm::TailJumpFuncRef(Reg ref) {
  auto& a = impl_->a;
  a.mov(x86::r11, Gq(ref));
  a.mov(x86::r13, x86::r15);
  a.mov(x86::rsp, x86::rbp);
  a.pop(x86::rbp);
  a.jmp(x86::qword_ptr(x86::r11, runtime::kFuncRefCode));
}

}  // namespace wt::jit::x64
