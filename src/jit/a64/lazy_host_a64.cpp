// [lazy] aarch64 pieces of lazy compilation (jit/lazy_compile.h): the stubs, the compile thunk,
// and LazyModule::Create over the a64 Masm.
// STUB (session 7 skeleton): worker E fills this in (as jit/x64/lazy_x64.cpp).
#include "jit/a64/masm_a64.h"
#include "jit/lazy_compile.h"
#include "runtime/lazy_runtime.h"

namespace wt::jit {

uint32_t LazyThunkSize() {
  return 16;
}

void WriteLazyStub(uint8_t*, const uint8_t*, uint32_t, const uint64_t*, const uint8_t*) {}

uint64_t LazyStubResume(const uint8_t* stub_rx) {
  return reinterpret_cast<uint64_t>(stub_rx);
}

void WriteLazyThunk(uint8_t*, const uint8_t*, const LazyModule*, const void*) {}

Result<std::shared_ptr<LazyModule>> LazyModule::Create(std::shared_ptr<const wasm::Module> module,
                                                       const CompileOptions& options,
                                                       CompiledModule* out) {
  (void)module;
  (void)options;
  (void)out;
  return MakeError(ErrorKind::kUnsupported, "a64: lazy compilation not implemented");
}

}  // namespace wt::jit
