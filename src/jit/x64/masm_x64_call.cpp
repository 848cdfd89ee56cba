// x86_64 MacroAssembler: the frame (prologue with the stack check, epilogue, the vmctx and
// memory-base reloads) and calls (direct, through a FuncRef, builtins, the call_indirect
// checks). Split from masm_x64.cpp.
#include <cstring>
#include <optional>

#include "jit/abi.h"
#include "jit/x64/masm_x64_impl.h"
#include "runtime/builtin_table.h"
#include "runtime/vmctx.h"

namespace wt::jit::x64 {

using namespace asmjit;

// --- Frame ------------------------------------------------------------------------------

// The stack check compares the frame's future stack pointer with the limit before moving the
// stack pointer (docs/traps-limits.md, "Stack checks"): the frame never extends below
// VMContext::stack_limit, and the trap stub runs with rsp = rbp, at most 16 bytes below the
// limit (the return address and the saved rbp), in the headroom the runtime keeps there.
//   push rbp; mov rbp, rsp
//   lea r11, [rsp - frame]        ; disp32 patched by PatchFrameSize
//   cmp r11, [r15 + stack_limit]
//   jb stack_trap
//   mov rsp, r11
//   mov [rbp - 8], r15
// r11 is free at a function's entry (a scratch register; nothing is passed in it).
uint32_t Masm::EnterFrame(Label stack_trap) {
  auto& a = impl_->a;
  // push rbp; mov rbp, rsp; lea r11, [rsp + disp32] (long form, disp32 patched later).
  static const uint8_t kPrologue[] = {0x55, 0x48, 0x89, 0xE5, 0x4C, 0x8D, 0x9C, 0x24, 0, 0, 0, 0};
  constexpr uint32_t kDispAt = 8;
  if (impl_->fast) {
    auto& e = impl_->e;
    uint8_t* p = e.Begin();
    if (p == nullptr) return 0;
    std::memcpy(p, kPrologue, sizeof(kPrologue));
    uint32_t handle = Offset() + kDispAt;
    e.End(p + sizeof(kPrologue));
    e.RM(enc::kNoPrefix, 0x3B, true, 11,
         enc::Base(15, runtime::kVMCtxStackLimit));  // cmp r11, [r15+]
    e.Jcc(static_cast<unsigned>(x86::CondCode::kB), stack_trap.id);
    e.MovRR(true, 4, 11);  // mov rsp, r11
    e.MovMR(true, enc::Base(5, abi::kSavedVmctxOffset), 15);
    return handle;
  }
  uint32_t handle = Offset() + kDispAt;
  a.embed(kPrologue, sizeof(kPrologue));
  a.cmp(x86::r11, x86::qword_ptr(x86::r15, runtime::kVMCtxStackLimit));
  a.jb(AL(stack_trap));
  a.mov(x86::rsp, x86::r11);
  a.mov(x86::qword_ptr(x86::rbp, abi::kSavedVmctxOffset), x86::r15);
  return handle;
}

void Masm::PatchFrameSize(uint32_t handle, uint32_t bytes) {
  // The lea's displacement: -bytes (frames are at most abi::kMaxFrameBytes).
  int32_t disp = -static_cast<int32_t>(bytes);
  std::memcpy(impl_->a.bufferData() + handle, &disp, 4);
}

void Masm::ZeroFill(Mem start, uint32_t count) {
  auto& a = impl_->a;
  if (count == 0) return;
  if (impl_->fast && count <= 8) {
    auto& e = impl_->e;
    e.AluRR(enc::kXor, false, 0, 0);
    for (uint32_t i = 0; i < count; ++i)
      e.MovMR(true, enc::Base(start.base.hw(), start.offset + static_cast<int32_t>(8 * i)), 0);
    return;
  }
  a.xor_(x86::eax, x86::eax);
  if (count <= 8) {
    for (uint32_t i = 0; i < count; ++i)
      a.mov(x86::qword_ptr(Gq(start.base), start.offset + static_cast<int32_t>(8 * i)), x86::rax);
    return;
  }
  a.lea(x86::rdi, x86::ptr(Gq(start.base), start.offset));
  a.mov(x86::ecx, count);
  x86::Gp rdi = x86::rdi;
  asmjit::Label loop = a.newLabel();
  a.bind(loop);
  a.mov(x86::qword_ptr(rdi, x86::rcx, 3, -8), x86::rax);
  a.dec(x86::ecx);
  a.jnz(loop);
}

void Masm::LeaveFrameAndReturn() {
  auto& a = impl_->a;
  if (impl_->fast) {
    auto& e = impl_->e;
    uint8_t* p = e.Begin();
    if (p == nullptr) return;
    // mov rsp, rbp; pop rbp; ret
    static const uint8_t kEpilogue[] = {0x48, 0x89, 0xEC, 0x5D, 0xC3};
    std::memcpy(p, kEpilogue, sizeof(kEpilogue));
    e.End(p + sizeof(kEpilogue));
    return;
  }
  a.mov(x86::rsp, x86::rbp);
  a.pop(x86::rbp);
  a.ret();
}

void Masm::RestoreVmctx() {
  if (impl_->fast) return impl_->e.MovRM(true, 15, enc::Base(5, abi::kSavedVmctxOffset));
  impl_->a.mov(x86::r15, x86::qword_ptr(x86::rbp, abi::kSavedVmctxOffset));
}

void Masm::ReloadMemBase() {
  if (impl_->fast) return impl_->e.MovRM(true, 14, enc::Base(15, runtime::kVMCtxMem0Base));
  impl_->a.mov(x86::r14, x86::qword_ptr(x86::r15, runtime::kVMCtxMem0Base));
}

// --- Calls ----------------------------------------------------------------------------

void Masm::CallLabel(Label l) {
  if (impl_->fast) {
    impl_->e.Call(l.id);
    if (impl_->e.last_target_unbound()) impl_->call_targets.push_back(l.id);
    return;
  }
  impl_->a.call(AL(l));
}

void Masm::CallFuncRef(Reg ref) {
  auto& a = impl_->a;
  if (impl_->fast) {
    auto& e = impl_->e;
    e.MovRR(true, 11, ref.hw());
    e.MovRR(true, 13, 15);
    e.MovRM(true, 15, enc::Base(11, runtime::kFuncRefVMCtx));
    e.MovRM(true, 14, enc::Base(15, runtime::kVMCtxMem0Base));
    e.RM(enc::kNoPrefix, 0xFF, false, 2, enc::Base(11, runtime::kFuncRefCode));  // call [r11+]
    return;
  }
  a.mov(x86::r11, Gq(ref));
  a.mov(x86::r13, x86::r15);
  a.mov(x86::r15, x86::qword_ptr(x86::r11, runtime::kFuncRefVMCtx));
  a.mov(x86::r14, x86::qword_ptr(x86::r15, runtime::kVMCtxMem0Base));
  a.call(x86::qword_ptr(x86::r11, runtime::kFuncRefCode));
}

void Masm::Impl::CallBuiltinId(uint32_t id) {
  if (!builtin_table.isValid()) {
    builtin_table = a.newLabel();
    call_targets.push_back(builtin_table.id());  // its uses are external links
  }
  auto disp = static_cast<int32_t>(8 * id);
  if (fast) return e.CallRipLabel(builtin_table.id(), disp);
  a.call(x86::qword_ptr(builtin_table, disp));
}

void Masm::CallBuiltin(const void* fn) {
  if (std::optional<runtime::BuiltinId> id = runtime::BuiltinIdOf(fn)) {
    return impl_->CallBuiltinId(static_cast<uint32_t>(*id));
  }
  // Not a table builtin (tests): by absolute address, and the code is tied to this process.
  impl_->absolute_builtin = true;
  if (impl_->fast) {
    impl_->MovImm64(0u, reinterpret_cast<uint64_t>(fn));
    return impl_->e.RR(enc::kNoPrefix, 0xFF, false, 2, 0);  // call rax
  }
  impl_->MovImm64(x86::rax, reinterpret_cast<uint64_t>(fn));
  impl_->a.call(x86::rax);
}

void Masm::CallIndirectCheck(Reg index, Reg out, uint32_t table, uint32_t type_index,
                             Label undefined, Label null, Label mismatch) {
  auto& a = impl_->a;
  if (impl_->fast) {
    auto& e = impl_->e;
    unsigned o = out.hw(), i = index.hw();
    e.MovRM(true, o, enc::Base(15, runtime::kVMCtxTables));
    e.MovRM(true, o, enc::Base(o, static_cast<int32_t>(8 * table)));
    e.RM(enc::kNoPrefix, 0x3B, true, i, enc::Base(o, runtime::kTableSize));  // cmp
    e.Jcc(static_cast<unsigned>(x86::CondCode::kAE), undefined.id);
    e.MovRM(true, o, enc::Base(o, runtime::kTableElems));
    e.MovRM(true, o, enc::MemOp{static_cast<uint8_t>(o), static_cast<uint8_t>(i), 3, 0});
    e.TestRR(true, o, o);
    e.Jcc(static_cast<unsigned>(x86::CondCode::kE), null.id);
    e.MovRM(true, 11, enc::Base(15, runtime::kVMCtxTypeIds));
    e.MovRM(false, 11, enc::Base(11, static_cast<int32_t>(4 * type_index)));
    e.RM(enc::kNoPrefix, 0x3B, false, 11, enc::Base(o, runtime::kFuncRefTypeId));  // cmp
    e.Jcc(static_cast<unsigned>(x86::CondCode::kNE), mismatch.id);
    return;
  }
  x86::Gp O = Gq(out), I = Gq(index);
  a.mov(O, x86::qword_ptr(x86::r15, runtime::kVMCtxTables));
  a.mov(O, x86::qword_ptr(O, static_cast<int32_t>(8 * table)));
  a.cmp(I, x86::qword_ptr(O, runtime::kTableSize));
  a.jae(AL(undefined));
  a.mov(O, x86::qword_ptr(O, runtime::kTableElems));
  a.mov(O, x86::qword_ptr(O, I, 3));
  a.test(O, O);
  a.jz(AL(null));
  a.mov(x86::r11, x86::qword_ptr(x86::r15, runtime::kVMCtxTypeIds));
  a.mov(x86::r11d, x86::dword_ptr(x86::r11, static_cast<int32_t>(4 * type_index)));
  a.cmp(x86::r11d, x86::dword_ptr(O, runtime::kFuncRefTypeId));
  a.jne(AL(mismatch));
}

}  // namespace wt::jit::x64
