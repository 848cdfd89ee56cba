// x86_64 MacroAssembler: [wasmgc] packed struct/array fields (i8, i16) of GC objects
// (compiler_gc_objects.h; the a64 twin is jit/a64/masm_a64_gc.cpp).
#include "jit/x64/masm_x64_impl.h"

namespace wt::jit::x64 {

using namespace asmjit;

//   movsx/movzx r32, byte/word [base + disp]
void Masm::LoadPacked(Reg dst, Mem src, uint32_t bytes, bool sign) {
  auto& a = impl_->a;
  x86::Mem m = bytes == 1 ? x86::byte_ptr(Gq(src.base), src.offset)
                          : x86::word_ptr(Gq(src.base), src.offset);
  if (sign)
    a.movsx(Gd(dst), m);
  else
    a.movzx(Gd(dst), m);
}

//   mov byte/word [base + disp], r8/r16
void Masm::StorePacked(Mem dst, Reg src, uint32_t bytes) {
  auto& a = impl_->a;
  if (bytes == 1)
    a.mov(x86::byte_ptr(Gq(dst.base), dst.offset), Gd(src).r8());
  else
    a.mov(x86::word_ptr(Gq(dst.base), dst.offset), Gd(src).r16());
}

}  // namespace wt::jit::x64
