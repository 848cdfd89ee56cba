// x86_64 SIMD family: shifts, extend, narrow, extmul, extadd_pairwise, dot, q15mulr.
// See masm_x64_simd.h for the helpers and the dispatch.
#include "jit/x64/masm_x64_simd.h"

namespace wt::jit::x64::simd {

using namespace asmjit;
using wasm::Op;

bool EmitInt2(Vx& v, Op op, const VOps& o) {
  (void)v;
  (void)op;
  (void)o;
  return false;
}

int TempsInt2(const CpuFeatures& cpu, Op op) {
  (void)cpu;
  (void)op;
  return 0;
}

}  // namespace wt::jit::x64::simd
