// aarch64 SIMD (NEON): the float family (see masm_a64_simd.h).
// STUB (session 7 skeleton): no op of the family is implemented yet.
#include "jit/a64/masm_a64_simd.h"

namespace wt::jit::a64::simd {

bool EmitFloat(Masm::Impl& /*m*/, wasm::Op /*op*/, const VOps& /*o*/) {
  return false;
}

int TempsFloat(const CpuFeatures& /*cpu*/, wasm::Op /*op*/) {
  return 0;
}

}  // namespace wt::jit::a64::simd
