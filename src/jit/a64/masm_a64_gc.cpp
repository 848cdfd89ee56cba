// aarch64 MacroAssembler: [wasmgc] packed struct/array fields (i8, i16) of GC objects
// (compiler_gc_objects.h; the x64 reference is jit/x64/masm_x64_gc.cpp).
#include "jit/a64/masm_a64_impl.h"

namespace wt::jit::a64 {

namespace aa = asmjit::a64;

//   ldrsb/ldrb/ldrsh/ldrh w, [base + disp]   (a far displacement through x17)
void Masm::LoadPacked(Reg dst, Mem src, uint32_t bytes, bool sign) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  aa::Mem m = impl_->MemOperand(src, bytes);
  if (bytes == 1) {
    if (sign)
      a.ldrsb(W(dst), m);
    else
      a.ldrb(W(dst), m);
  } else {
    if (sign)
      a.ldrsh(W(dst), m);
    else
      a.ldrh(W(dst), m);
  }
}

//   strb/strh w, [base + disp]
void Masm::StorePacked(Mem dst, Reg src, uint32_t bytes) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  aa::Mem m = impl_->MemOperand(dst, bytes);
  if (bytes == 1)
    a.strb(W(src), m);
  else
    a.strh(W(src), m);
}

}  // namespace wt::jit::a64
