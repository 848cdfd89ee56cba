// x86_64 SIMD: the constant pool and v128 constants (LoadConstV128, StoreConstV128).
#include "jit/x64/masm_x64_simd.h"

namespace wt::jit::x64 {

using namespace asmjit;

x86::Mem Masm::Impl::Const(V128 v) {
  (void)v;
  Fail("simd: constant pool not implemented");
  return x86::xmmword_ptr(x86::rip, 0);
}

void Masm::Impl::EmitConstPool() {}

void Masm::LoadConstV128(Reg dst, V128 v) {
  (void)dst;
  (void)v;
  impl_->Fail("simd: v128 constants not implemented");
}

void Masm::StoreConstV128(Mem dst, V128 v) {
  (void)dst;
  (void)v;
  impl_->Fail("simd: v128 constants not implemented");
}

}  // namespace wt::jit::x64
