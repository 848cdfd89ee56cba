// x86_64 MacroAssembler: v128.any_true / i*x*.all_true fused with the br_if / if that consumes
// them (BaselineCompiler::EmitCondition): a vector test and a conditional jump, without the
// i32 the unfused forms (masm_x64_simd_lane.cpp) materialize and test again.
//   any_true:  ptest s,s                                ; ZF = (s == 0)
//   all_true:  pxor x15,x15; pcmpeq* x15,s; ptest x15,x15  ; ZF = (no lane of s is zero)
// then jnz / jz to the label as the result (any_true: !ZF, all_true: ZF) must equal `when`.
#include "jit/x64/masm_x64_simd.h"

namespace wt::jit::x64 {

using namespace asmjit;
using wasm::Op;

void Masm::BranchSimd(Op op, bool when, Reg src, Label l) {
  simd::Vx v(*impl_);
  auto& a = impl_->a;
  x86::Xmm s = simd::Vx::Xr(src);
  x86::Xmm x15 = simd::Vx::Xr(simd::kScratch);
  InstId ptest = v.avx ? simd::Inst::kIdVptest : simd::Inst::kIdPtest;
  bool result_is_nz = true;  // the op's result is 1 when ZF is clear (any_true)
  switch (op) {
    case Op::V128AnyTrue:
      a.emit(ptest, s, s);
      break;
    case Op::I8x16AllTrue:
    case Op::I16x8AllTrue:
    case Op::I32x4AllTrue:
    case Op::I64x2AllTrue: {
      InstId sse = simd::Inst::kIdPcmpeqb, vex = simd::Inst::kIdVpcmpeqb;
      if (op == Op::I16x8AllTrue) sse = simd::Inst::kIdPcmpeqw, vex = simd::Inst::kIdVpcmpeqw;
      if (op == Op::I32x4AllTrue) sse = simd::Inst::kIdPcmpeqd, vex = simd::Inst::kIdVpcmpeqd;
      if (op == Op::I64x2AllTrue) sse = simd::Inst::kIdPcmpeqq, vex = simd::Inst::kIdVpcmpeqq;
      // x15 = the lanes of s that are zero; all true when there is none (ZF set).
      v.Zero(simd::kScratch);
      if (v.avx)
        a.emit(vex, x15, x15, s);
      else
        a.emit(sse, x15, s);
      a.emit(ptest, x15, x15);
      result_is_nz = false;
      break;
    }
    default:
      impl_->Fail("simd: BranchSimd: not a vector test");
      return;
  }
  if (result_is_nz == when)
    a.jnz(AL(l));
  else
    a.jz(AL(l));
}

}  // namespace wt::jit::x64
