// [lazy] x86_64 pieces of lazy compilation (jit/lazy_compile.h): the 16-byte stubs, the compile
// thunk, and LazyModule::Create over the x64 Masm.
#include <cstring>

#include "jit/lazy_compile.h"
#include "jit/x64/masm_x64.h"
#include "runtime/lazy_runtime.h"

namespace wt::jit {

namespace {

void Put32(uint8_t* p, int64_t v) {
  auto v32 = static_cast<int32_t>(v);
  std::memcpy(p, &v32, 4);
}

void Put64(uint8_t* p, uint64_t v) {
  std::memcpy(p, &v, 8);
}

// The thunk (offsets of the two 64-bit immediates below):
//   push rbp; mov rbp, rsp                 a real frame: frame-pointer walks stay intact
//   push r13; push r14; push r15; push rax  the wasm registers of the call; rsp 16-aligned
//   movabs rdi, module; mov esi, eax; mov rdx, r15; mov rcx, rbp
//   movabs rax, compile_fn; call rax       -> rax = the entry (never null: failures trap)
//   pop rcx; pop r15; pop r14; pop r13; pop rbp
//   jmp rax                                the callee sees exactly its caller's call
constexpr uint8_t kThunk[] = {
    0x55,                                   // push rbp
    0x48, 0x89, 0xE5,                       // mov rbp, rsp
    0x41, 0x55,                             // push r13
    0x41, 0x56,                             // push r14
    0x41, 0x57,                             // push r15
    0x50,                                   // push rax
    0x48, 0xBF, 0,    0, 0, 0, 0, 0, 0, 0,  // movabs rdi, imm64 (module)
    0x89, 0xC6,                             // mov esi, eax
    0x4C, 0x89, 0xFA,                       // mov rdx, r15
    0x48, 0x89, 0xE9,                       // mov rcx, rbp
    0x48, 0xB8, 0,    0, 0, 0, 0, 0, 0, 0,  // movabs rax, imm64 (compile_fn)
    0xFF, 0xD0,                             // call rax
    0x59,                                   // pop rcx
    0x41, 0x5F,                             // pop r15
    0x41, 0x5E,                             // pop r14
    0x41, 0x5D,                             // pop r13
    0x5D,                                   // pop rbp
    0xFF, 0xE0,                             // jmp rax
};
constexpr uint32_t kThunkModuleImm = 13;
constexpr uint32_t kThunkFnImm = 31;
static_assert(kThunk[kThunkModuleImm - 1] == 0xBF && kThunk[kThunkFnImm - 1] == 0xB8);

}  // namespace

uint32_t LazyThunkSize() {
  return sizeof(kThunk);
}

// jmp qword ptr [rip + slot]; mov eax, index; jmp thunk
void WriteLazyStub(uint8_t* rw, const uint8_t* rx, uint32_t index, const uint64_t* slot,
                   const uint8_t* thunk_rx) {
  rw[0] = 0xFF;
  rw[1] = 0x25;
  Put32(rw + 2, reinterpret_cast<intptr_t>(slot) - reinterpret_cast<intptr_t>(rx + 6));
  rw[6] = 0xB8;
  std::memcpy(rw + 7, &index, 4);
  rw[11] = 0xE9;
  Put32(rw + 12, reinterpret_cast<intptr_t>(thunk_rx) - reinterpret_cast<intptr_t>(rx + 16));
}

uint64_t LazyStubResume(const uint8_t* stub_rx) {
  return reinterpret_cast<uint64_t>(stub_rx + 6);
}

void WriteLazyThunk(uint8_t* rw, const uint8_t*, const LazyModule* module, const void* compile_fn) {
  std::memcpy(rw, kThunk, sizeof(kThunk));
  Put64(rw + kThunkModuleImm, reinterpret_cast<uint64_t>(module));
  Put64(rw + kThunkFnImm, reinterpret_cast<uint64_t>(compile_fn));
}

Result<std::shared_ptr<LazyModule>> LazyModule::Create(std::shared_ptr<const wasm::Module> module,
                                                       const CompileOptions& options,
                                                       CompiledModule* out) {
  WT_TRY_ASSIGN(x64::CpuFeatures cpu,
                x64::CompileFeatures(x64::HostCpuFeatures(), options.simd_isa));
  auto lm = std::make_shared<LazyModuleWith<x64::Masm>>(
      std::move(module), options, [cpu] { return std::make_unique<x64::Masm>(cpu); });
  WT_TRY(lm->Init(out, reinterpret_cast<const void*>(&wt_lazy_compile)));
  out->lazy = lm;
  return std::shared_ptr<LazyModule>(std::move(lm));
}

}  // namespace wt::jit
