// aarch64 CPU features (HWCAP) and the features CompileModule compiles for. Built on every host
// (the golden tests construct a Masm with CpuFeatures{}); HostCpuFeatures reads the HWCAP bits
// only on aarch64.
#include <cstdlib>
#include <utility>

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

namespace {

const char* SimdIsaName(SimdIsa isa) {
  switch (isa) {
    case SimdIsa::kAuto:
      return "auto";
    case SimdIsa::kSse41:
      return "sse4.1";
    case SimdIsa::kSse42:
      return "sse4.2";
    case SimdIsa::kAvx:
      return "avx";
    case SimdIsa::kAvx2:
      return "avx2";
  }
  return "?";
}

}  // namespace

// The --simd-isa / WTRUN_SIMD_ISA levels are x86_64 ones (SSE4.1 .. AVX2); aarch64 code needs
// only ARMv8.0-A with Advanced SIMD, so there is nothing to cap: `auto` (or the variable unset
// or empty) is accepted and any x86_64 level is an error naming it, rather than being silently
// ignored (a run asking for a cap would otherwise believe it got one). The variable is read
// once per process, as on x86_64 (x64::EffectiveSimdIsa); an explicit option takes precedence.
Result<CpuFeatures> CompileFeatures(CpuFeatures host, SimdIsa isa) {
  enum class Env : uint8_t { kAuto, kLevel, kUnknown };
  static const std::pair<Env, SimdIsa> env = []() -> std::pair<Env, SimdIsa> {
    const char* v = std::getenv("WTRUN_SIMD_ISA");
    SimdIsa level = SimdIsa::kAuto;
    if (v == nullptr || *v == '\0') return {Env::kAuto, level};
    if (!ParseSimdIsa(v, &level)) return {Env::kUnknown, level};
    return {level == SimdIsa::kAuto ? Env::kAuto : Env::kLevel, level};
  }();
  if (isa != SimdIsa::kAuto)
    return MakeError(ErrorKind::kUnsupported,
                     "--simd-isa {}: x86_64 levels do not apply on aarch64", SimdIsaName(isa));
  if (env.first == Env::kUnknown)
    return MakeError(ErrorKind::kUnsupported, "WTRUN_SIMD_ISA: unknown value (expected auto)");
  if (env.first == Env::kLevel)
    return MakeError(ErrorKind::kUnsupported,
                     "WTRUN_SIMD_ISA={}: x86_64 levels do not apply on aarch64",
                     SimdIsaName(env.second));
  return host;
}

}  // namespace wt::jit::a64
