// aarch64 MacroAssembler: calls through FuncRefs, builtins, call_indirect checks (the x64
// reference: jit/x64/masm_x64_call.cpp; direct calls, `bl` with veneers, are in the core file).
#include <optional>

#include "jit/a64/masm_a64_impl.h"
#include "runtime/builtin_table.h"
#include "runtime/vmctx.h"

namespace wt::jit::a64 {

namespace {

namespace aa = asmjit::a64;

// [base + off] for an access of `size` bytes: the scaled 12-bit form or the unscaled 9-bit one
// when one fits, else [base, scratch] with the offset materialized in `scratch` (which must
// differ from `base` and from any register the access writes before reading).
aa::Mem OffsetMem(Masm::Impl& m, const aa::Gp& base, int64_t off, unsigned size,
                  const aa::Gp& scratch) {
  if (off >= 0 && off % size == 0 && off / size < 4096)
    return aa::ptr(base, static_cast<int32_t>(off));
  if (off >= -256 && off < 256) return aa::ptr(base, static_cast<int32_t>(off));
  m.MovImm(scratch, static_cast<uint64_t>(off));
  return aa::ptr(base, scratch);
}

}  // namespace

// The FuncRef calling sequence (jit/abi.h): x28 = FuncRef::vmctx, x11 = the caller's vmctx,
// x27 = the callee's memory-0 base (for a host function FuncRef::vmctx is its HostFuncRecord
// and that load reads a word of it, unused: as on x64), then `blr FuncRef::code`. The FuncRef*
// goes to x16 first: `ref` may be x11 itself. x16 is free for the branch target (no link or
// veneer runs between the load and the blr).
void Masm::CallFuncRef(Reg ref) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  a.mov(aa::x16, X(ref));
  a.mov(X(kCallerVmctx), X(kVmctx));
  a.ldr(X(kVmctx), aa::ptr(aa::x16, runtime::kFuncRefVMCtx));
  a.ldr(X(kMemBase), aa::ptr(X(kVmctx), runtime::kVMCtxMem0Base));
  a.ldr(aa::x16, aa::ptr(aa::x16, runtime::kFuncRefCode));
  a.blr(aa::x16);
}

void Masm::CallBuiltin(const void* fn) {
  impl_->MaybeEmitVeneers();
  if (std::optional<runtime::BuiltinId> id = runtime::BuiltinIdOf(fn)) {
    return impl_->CallBuiltinId(static_cast<uint32_t>(*id));
  }
  // Not a table builtin (tests): by absolute address, and the code is tied to this process.
  impl_->absolute_builtin = true;
  impl_->MovImm(aa::x16, reinterpret_cast<uint64_t>(fn));
  impl_->a.blr(aa::x16);
}

// index < table size (64-bit compare: an i32 index has its upper half zero), a non-null entry,
// then FuncRef::type_id against the module's canonical id of `type_index`. x16/x17 are the
// scratch registers (x64 uses r11); `out` holds the table data, then the FuncRef*.
void Masm::CallIndirectCheck(Reg index, Reg out, uint32_t table, uint32_t type_index,
                             Label undefined, Label null, Label mismatch) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  aa::Gp o = X(out), i = X(index);
  a.ldr(o, aa::ptr(X(kVmctx), runtime::kVMCtxTables));
  a.ldr(o, OffsetMem(*impl_, o, 8 * static_cast<int64_t>(table), 8, aa::x17));
  a.ldr(aa::x16, aa::ptr(o, runtime::kTableSize));
  a.cmp(i, aa::x16);
  a.b_hs(AL(undefined));
  a.ldr(o, aa::ptr(o, runtime::kTableElems));
  a.ldr(o, aa::ptr(o, i, asmjit::arm::lsl(3)));
  a.cbz(o, AL(null));
  a.ldr(aa::x16, aa::ptr(X(kVmctx), runtime::kVMCtxTypeIds));
  a.ldr(aa::w16, OffsetMem(*impl_, aa::x16, 4 * static_cast<int64_t>(type_index), 4, aa::x17));
  a.ldr(aa::w17, aa::ptr(o, runtime::kFuncRefTypeId));
  a.cmp(aa::w16, aa::w17);
  a.b_ne(AL(mismatch));
}

}  // namespace wt::jit::a64
