// x86_64 SIMD family: the 20 relaxed SIMD ops (docs/simd.md has the deterministic choices).
// See masm_x64_simd.h for the helpers and the dispatch.
#include "jit/x64/masm_x64_simd.h"

namespace wt::jit::x64::simd {

using namespace asmjit;
using wasm::Op;

bool EmitRelaxed(Vx& v, Op op, const VOps& o) {
  (void)v;
  (void)op;
  (void)o;
  return false;
}

int TempsRelaxed(const CpuFeatures& cpu, Op op) {
  (void)cpu;
  (void)op;
  return 0;
}

}  // namespace wt::jit::x64::simd
