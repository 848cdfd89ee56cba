// CompileModule for x86_64 hosts: the baseline compiler instantiated over the x64 Masm.
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "jit/compile_module.h"
#include "jit/x64/masm_x64.h"
#include "runtime/profile.h"

namespace wt::jit {

template class BaselineCompiler<x64::Masm>;

namespace x64 {

CpuFeatures ApplySimdIsa(CpuFeatures f, SimdIsa isa) {
  switch (isa) {
    case SimdIsa::kAuto:
    case SimdIsa::kAvx2:
      break;
    case SimdIsa::kSse41:
      f.sse42 = false;
      [[fallthrough]];
    case SimdIsa::kSse42:
      f.avx = false;
      [[fallthrough]];
    case SimdIsa::kAvx:
      f.avx2 = false;
      f.fma = false;  // used only with AVX2
      break;
  }
  return f;
}

bool EffectiveSimdIsa(SimdIsa requested, SimdIsa* out) {
  // Read once, like WTRUN_ASMJIT_ONLY.
  static const std::optional<SimdIsa> env = []() -> std::optional<SimdIsa> {
    const char* v = std::getenv("WTRUN_SIMD_ISA");
    SimdIsa isa = SimdIsa::kAuto;
    if (v != nullptr && *v != '\0' && !ParseSimdIsa(v, &isa)) return std::nullopt;
    return isa;
  }();
  if (requested != SimdIsa::kAuto) {
    *out = requested;
    return true;
  }
  if (!env) return false;
  *out = *env;
  return true;
}

Result<CpuFeatures> CompileFeatures(CpuFeatures host, SimdIsa isa) {
  if (!host.sse41 || !host.ssse3) {
    std::string missing = !host.sse41 ? (!host.ssse3 ? "sse4.1, ssse3" : "sse4.1") : "ssse3";
    return MakeError(ErrorKind::kUnsupported,
                     "unsupported cpu: the JIT needs SSE4.1 and SSSE3 (missing: {})", missing);
  }
  if (!host.popcnt)
    return MakeError(ErrorKind::kUnsupported, "unsupported cpu: the JIT needs POPCNT");
  SimdIsa cap;
  if (!EffectiveSimdIsa(isa, &cap))
    return MakeError(ErrorKind::kUnsupported,
                     "WTRUN_SIMD_ISA: unknown value (expected sse4.1, sse4.2, avx or avx2)");
  return ApplySimdIsa(host, cap);
}

}  // namespace x64

Result<std::unique_ptr<CompiledModule>> CompileModule(const wasm::Module& module,
                                                      const CompileOptions& options) {
  WT_TRY_ASSIGN(x64::CpuFeatures cpu,
                x64::CompileFeatures(x64::HostCpuFeatures(), options.simd_isa));
  return CompileModuleWith<x64::Masm>([&] { return std::make_unique<x64::Masm>(cpu); }, module,
                                      options);
}

const void* HostStubFor(const wasm::FuncType& type) {
  std::string key;
  for (const wasm::ValType& t : type.params) {
    auto j = JTypeOf(t);
    if (!j.ok()) return nullptr;
    key.push_back(static_cast<char>('0' + static_cast<int>(*j)));
  }
  key.push_back(':');
  for (const wasm::ValType& t : type.results) {
    auto j = JTypeOf(t);
    if (!j.ok()) return nullptr;
    key.push_back(static_cast<char>('0' + static_cast<int>(*j)));
  }
  static std::mutex mu;
  // Process-lifetime stubs (never freed: FuncRefs may point at them until exit).
  struct Stub {
    std::unique_ptr<ExecutableCode> code;  // owns the stub's executable memory
    const void* entry;
  };
  static auto* cache = new std::map<std::string, Stub>();
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache->find(key);
  if (it != cache->end()) return it->second.entry;
  x64::Masm masm(x64::HostCpuFeatures());
  uint32_t at = masm.EmitHostStub(type);
  auto size = masm.Finish();
  if (!size.ok()) return nullptr;
  // Its own builtin table (wt_raise_trap) on the page after it.
  auto code = ExecutableCode::AllocateWithBuiltinTable(*size);
  if (!code.ok()) return nullptr;
  std::unique_ptr<ExecutableCode> c = std::move(*code);
  if (!masm.CopyTo(c->writable(), *size, reinterpret_cast<uint64_t>(c->writable())).ok())
    return nullptr;
  std::vector<x64::Masm::ExternalLink> links;
  if (!masm.ExternalLinks(&links).ok()) return nullptr;
  for (const x64::Masm::ExternalLink& l : links) {
    if (l.label != masm.BuiltinTableLabelId()) return nullptr;
    uint8_t* field = c->writable() + l.at;
    if (!x64::Masm::PatchExternalLink(
            l.kind, l.rel, field, reinterpret_cast<uint64_t>(field),
            reinterpret_cast<uint64_t>(c->writable()) + c->builtin_table_offset()))
      return nullptr;
  }
  if (!c->Seal({}, {}).ok()) return nullptr;
  const void* stub = c->base() + at;
  runtime::ProfileRange(c->base(), c->size(), "wasm-host-stub");
  cache->emplace(std::move(key), Stub{std::move(c), stub});
  return stub;
}

}  // namespace wt::jit
