// aarch64 MacroAssembler: memories other than a 32-bit memory 0 ([multi-memory], [memory64];
// docs/memory64.md). Memory 0 keeps its base in x27 and its accesses in masm_a64_memory.cpp;
// an access to another memory, or to a 64-bit one, points x27 at that memory (LoadMemBase),
// emits the ordinary access, and reloads memory 0's base (ReloadMemBase).
#include "jit/a64/masm_a64_impl.h"
#include "runtime/vmctx.h"

namespace wt::jit::a64 {

namespace aa = asmjit::a64;

namespace {

// dst <- vmctx->memories[memory] (a MemoryData*). Uses x17 for a large index.
void LoadMemoryData(Masm::Impl& m, const aa::Gp& dst, uint32_t memory) {
  auto& a = m.a;
  a.ldr(dst, aa::ptr(X(Masm::kVmctx), runtime::kVMCtxMemories));
  const uint64_t off = 8 * uint64_t{memory};
  if (off < 8 * 4096) {
    a.ldr(dst, aa::ptr(dst, static_cast<int32_t>(off)));
  } else {
    m.MovImm(aa::x17, off);
    a.ldr(dst, aa::ptr(dst, aa::x17));
  }
}

}  // namespace

void Masm::LoadMemBase(uint32_t memory, Reg addr) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  const aa::Gp base = X(kMemBase);
  if (memory != 0) {
    LoadMemoryData(*impl_, base, memory);
    a.ldr(base, aa::ptr(base, runtime::kMemoryBase));
  }
  if (addr.valid()) a.add(base, base, X(addr));
}

void Masm::CheckMemBound(Reg addr, uint32_t memory, Label oob) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  LoadMemoryData(*impl_, aa::x16, memory);
  a.ldr(aa::x16, aa::ptr(aa::x16, runtime::kMemorySize));
  a.cmp(X(addr), aa::x16);
  impl_->BranchCond(aa::CondCode::kHI, AL(oob));
}

}  // namespace wt::jit::a64
