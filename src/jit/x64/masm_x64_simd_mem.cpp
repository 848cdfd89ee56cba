// x86_64 SIMD: v128 loads and stores on memory 0 (LoadMemV128, StoreMemV128).
#include "jit/x64/masm_x64_simd.h"

namespace wt::jit::x64 {

using namespace asmjit;
using wasm::Op;

uint32_t Masm::LoadMemV128(Op op, Reg dst, Reg addr, uint64_t offset, uint32_t lane) {
  (void)op;
  (void)dst;
  (void)addr;
  (void)offset;
  (void)lane;
  impl_->Fail("simd: v128 loads not implemented");
  return Offset();
}

uint32_t Masm::StoreMemV128(Op op, Reg addr, uint64_t offset, Reg src, uint32_t lane) {
  (void)op;
  (void)addr;
  (void)offset;
  (void)src;
  (void)lane;
  impl_->Fail("simd: v128 stores not implemented");
  return Offset();
}

}  // namespace wt::jit::x64
