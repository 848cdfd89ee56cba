// CompileModule for aarch64 hosts: the baseline compiler instantiated over the a64 Masm.
// STUB (session 7 skeleton): worker D fills this in (as jit/x64/compile_x64.cpp).
#include "jit/a64/masm_a64.h"
#include "jit/compile_module.h"

namespace wt::jit {

Result<std::unique_ptr<CompiledModule>> CompileModule(const wasm::Module& module,
                                                      const CompileOptions& options) {
  (void)module;
  (void)options;
  return MakeError(ErrorKind::kUnsupported, "a64: CompileModule not implemented");
}

const void* HostStubFor(const wasm::FuncType& type) {
  (void)type;
  return nullptr;
}

}  // namespace wt::jit
