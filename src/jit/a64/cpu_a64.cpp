// aarch64 CPU features (HWCAP) and the features CompileModule compiles for. Built on every host
// (the golden tests construct a Masm with CpuFeatures{}); HostCpuFeatures reads the HWCAP bits
// only on aarch64.
#include "jit/a64/masm_a64.h"

#if defined(__aarch64__)
#include <sys/auxv.h>
#endif

namespace wt::jit::a64 {

CpuFeatures HostCpuFeatures() {
  CpuFeatures f;
#if defined(__aarch64__) && defined(AT_HWCAP)
  unsigned long hw = getauxval(AT_HWCAP);
#if defined(HWCAP_ATOMICS)
  f.lse = (hw & HWCAP_ATOMICS) != 0;
#endif
#if defined(HWCAP_ASIMDDP)
  f.dotprod = (hw & HWCAP_ASIMDDP) != 0;
#endif
#if defined(HWCAP_ASIMDHP)
  f.fp16 = (hw & HWCAP_ASIMDHP) != 0;
#endif
#if defined(HWCAP_ASIMDRDM)
  f.rdm = (hw & HWCAP_ASIMDRDM) != 0;
#endif
  (void)hw;
#endif
  return f;
}

Result<CpuFeatures> CompileFeatures(CpuFeatures host, SimdIsa isa) {
  // STUB (session 7 skeleton): worker D decides the --simd-isa / WTRUN_SIMD_ISA policy.
  (void)isa;
  return host;
}

}  // namespace wt::jit::a64
