// [lazy] aarch64 pieces of lazy compilation (jit/lazy_compile.h): the 32-byte stubs, the
// compile thunk, and LazyModule::Create over the a64 Masm. The instructions are encoded here by
// hand (fixed sequences, as jit/x64/lazy_x64.cpp writes bytes): no assembler per stub, and the
// words are checked by tests/unit/jit/a64_lazy_test.cpp on every host.
#include "jit/a64/lazy_host_a64.h"

#include "jit/a64/masm_a64.h"
#include "jit/lazy_compile.h"
#include "runtime/lazy_runtime.h"

namespace wt::jit {

uint32_t LazyThunkSize() {
  return a64lazy::kThunkWords * 4;
}

void WriteLazyStub(uint8_t* rw, const uint8_t* rx, uint32_t index, const uint64_t* slot,
                   const uint8_t* thunk_rx) {
  a64lazy::WriteStub(rw, reinterpret_cast<uint64_t>(rx), index, reinterpret_cast<uint64_t>(slot),
                     reinterpret_cast<uint64_t>(thunk_rx));
}

uint64_t LazyStubResume(const uint8_t* stub_rx) {
  return reinterpret_cast<uint64_t>(stub_rx + a64lazy::kStubResume);
}

void WriteLazyThunk(uint8_t* rw, const uint8_t*, const LazyModule* module, const void* compile_fn) {
  a64lazy::WriteThunk(rw, reinterpret_cast<uint64_t>(module),
                      reinterpret_cast<uint64_t>(compile_fn));
}

Result<std::shared_ptr<LazyModule>> LazyModule::Create(std::shared_ptr<const wasm::Module> module,
                                                       const CompileOptions& options,
                                                       CompiledModule* out) {
  // Every stub's `b thunk` must reach the thunk after the stubs (+-128 MiB); the slot table and
  // the builtin table are reached by adrp (+-4 GiB: the arena is at most 2 GiB).
  if (uint64_t{kLazyStubSize} * module->codes.size() + 4096 >= a64lazy::kMaxBranch)
    return MakeError(ErrorKind::kUnsupported,
                     "lazy compilation: {} functions exceed the aarch64 stub area (use --compile "
                     "eager)",
                     module->codes.size());
  WT_TRY_ASSIGN(a64::CpuFeatures cpu,
                a64::CompileFeatures(a64::HostCpuFeatures(), options.simd_isa));
  auto lm = std::make_shared<LazyModuleWith<a64::Masm>>(
      std::move(module), options, [cpu] { return std::make_unique<a64::Masm>(cpu); });
  WT_TRY(lm->Init(out, reinterpret_cast<const void*>(&wt_lazy_compile)));
  out->lazy = lm;
  return std::shared_ptr<LazyModule>(std::move(lm));
}

}  // namespace wt::jit
