// CompileModule for aarch64 hosts: the baseline compiler instantiated over the a64 Masm (as
// jit/x64/compile_x64.cpp for x86_64). Built on aarch64 only (CMake leaves *_host_a64.cpp out
// of other builds).
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "jit/a64/masm_a64.h"
#include "jit/compile_module.h"
#include "runtime/profile.h"

namespace wt::jit {

template class BaselineCompiler<a64::Masm>;

Result<std::unique_ptr<CompiledModule>> CompileModule(const wasm::Module& module,
                                                      const CompileOptions& options) {
  WT_TRY_ASSIGN(a64::CpuFeatures cpu,
                a64::CompileFeatures(a64::HostCpuFeatures(), options.simd_isa));
  // aarch64 has no coherent instruction cache: ExecutableCode::Seal cleans and invalidates the
  // code's lines (dc cvau / ic ivau) and synchronizes the cores after writing it.
  return CompileModuleWith<a64::Masm>([&] { return std::make_unique<a64::Masm>(cpu); }, module,
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
  a64::Masm masm(a64::HostCpuFeatures());
  uint32_t at = masm.EmitHostStub(type);
  auto size = masm.Finish();
  if (!size.ok()) return nullptr;
  // Its own builtin table (wt_raise_trap) on the page after it: the stub reaches it with
  // adrp + ldr (a kAdrpLdr link).
  auto code = ExecutableCode::AllocateWithBuiltinTable(*size);
  if (!code.ok()) return nullptr;
  std::unique_ptr<ExecutableCode> c = std::move(*code);
  if (!masm.CopyTo(c->writable(), *size, reinterpret_cast<uint64_t>(c->writable())).ok())
    return nullptr;
  std::vector<a64::Masm::ExternalLink> links;
  if (!masm.ExternalLinks(&links).ok()) return nullptr;
  for (const a64::Masm::ExternalLink& l : links) {
    if (l.label != masm.BuiltinTableLabelId()) return nullptr;
    uint8_t* field = c->writable() + l.at;
    if (!a64::Masm::PatchExternalLink(
            l.kind, l.rel, field, reinterpret_cast<uint64_t>(field),
            reinterpret_cast<uint64_t>(c->writable()) + c->builtin_table_offset()))
      return nullptr;
  }
  if (!c->Seal({}, {}).ok()) return nullptr;  // also flushes the instruction cache
  const void* stub = c->base() + at;
  runtime::ProfileRange(c->base(), c->size(), "wasm-host-stub");
  cache->emplace(std::move(key), Stub{std::move(c), stub});
  return stub;
}

}  // namespace wt::jit
