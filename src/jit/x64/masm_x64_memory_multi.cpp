// x86_64 MacroAssembler: memories other than a 32-bit memory 0 ([multi-memory], [memory64];
// docs/memory64.md). Memory 0 keeps its base in r14 and its accesses in masm_x64_memory.cpp;
// an access to another memory, or to a 64-bit one, points r14 at that memory (LoadMemBase),
// emits the ordinary access, and reloads memory 0's base (ReloadMemBase).
#include "jit/x64/masm_x64_impl.h"
#include "runtime/vmctx.h"

namespace wt::jit::x64 {

using namespace asmjit;

namespace {

// dst <- vmctx->memories[memory] (a MemoryData*).
void LoadMemoryData(x86::Assembler& a, const x86::Gp& dst, uint32_t memory) {
  a.mov(dst, x86::qword_ptr(x86::r15, runtime::kVMCtxMemories));
  a.mov(dst, x86::qword_ptr(dst, static_cast<int32_t>(8 * memory)));
}

}  // namespace

void Masm::LoadMemBase(uint32_t memory, Reg addr) {
  auto& a = impl_->a;
  if (memory != 0) {
    LoadMemoryData(a, x86::r14, memory);
    a.mov(x86::r14, x86::qword_ptr(x86::r14, runtime::kMemoryBase));
  }
  if (addr.valid()) a.add(x86::r14, Gq(addr));
}

void Masm::CheckMemBound(Reg addr, uint32_t memory, Label oob) {
  auto& a = impl_->a;
  LoadMemoryData(a, x86::r11, memory);
  a.cmp(Gq(addr), x86::qword_ptr(x86::r11, runtime::kMemorySize));
  a.ja(AL(oob));
}

}  // namespace wt::jit::x64
