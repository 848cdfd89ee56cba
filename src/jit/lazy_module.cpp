// [lazy] LazyModule (lazy.h). Interface only so far: Create reports kUnsupported.
#include "jit/lazy.h"

namespace wt::jit {

Result<std::shared_ptr<LazyModule>> LazyModule::Create(std::shared_ptr<const wasm::Module>,
                                                       const CompileOptions&, CompiledModule*) {
  return MakeError(ErrorKind::kUnsupported, "lazy compilation: not implemented yet");
}

}  // namespace wt::jit
