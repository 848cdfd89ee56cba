// x86_64 SIMD family: convert, trunc_sat, demote/promote.
// See masm_x64_simd.h for the helpers and the dispatch.
#include "jit/x64/masm_x64_simd.h"

namespace wt::jit::x64::simd {

using namespace asmjit;
using wasm::Op;

bool EmitConvert(Vx& v, Op op, const VOps& o) {
  (void)v;
  (void)op;
  (void)o;
  return false;
}

int TempsConvert(const CpuFeatures& cpu, Op op) {
  (void)cpu;
  (void)op;
  return 0;
}

}  // namespace wt::jit::x64::simd
