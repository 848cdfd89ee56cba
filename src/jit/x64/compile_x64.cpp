// CompileModule for x86_64 hosts: the baseline compiler instantiated over the x64 Masm.
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "jit/compile_module.h"
#include "jit/x64/masm_x64.h"
#include "runtime/profile.h"

namespace wt::jit {

template class BaselineCompiler<x64::Masm>;

Result<std::unique_ptr<CompiledModule>> CompileModule(const wasm::Module& module,
                                                      const CompileOptions& options) {
  x64::CpuFeatures cpu = x64::HostCpuFeatures();
  if (!cpu.sse41)
    return MakeError(ErrorKind::kUnsupported, "unsupported cpu: the JIT needs SSE4.1");
  if (!cpu.popcnt)
    return MakeError(ErrorKind::kUnsupported, "unsupported cpu: the JIT needs POPCNT");
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
  auto code = ExecutableCode::Allocate(*size);
  if (!code.ok()) return nullptr;
  std::unique_ptr<ExecutableCode> c = std::move(*code);
  if (!masm.CopyTo(c->writable(), *size, reinterpret_cast<uint64_t>(c->writable())).ok() ||
      !c->Seal({}, {}).ok())
    return nullptr;
  const void* stub = c->base() + at;
  runtime::ProfileRange(c->base(), c->size(), "wasm-host-stub");
  cache->emplace(std::move(key), Stub{std::move(c), stub});
  return stub;
}

}  // namespace wt::jit
