// The spec testsuite's `spectest` host module.
#include <cinttypes>

#include "runtime/runtime.h"

namespace wt::runtime {
namespace {

using wasm::ValType;

uint32_t PrintNothing(void* env, VMContext*, ValueSlot*) noexcept {
  if (env) std::fputs("\n", static_cast<std::FILE*>(env));
  return 0;
}
uint32_t PrintI32(void* env, VMContext*, ValueSlot* a) noexcept {
  if (env) std::fprintf(static_cast<std::FILE*>(env), "%d : i32\n", static_cast<int32_t>(a[0].i32));
  return 0;
}
uint32_t PrintI64(void* env, VMContext*, ValueSlot* a) noexcept {
  if (env) {
    std::fprintf(static_cast<std::FILE*>(env), "%" PRId64 " : i64\n",
                 static_cast<int64_t>(a[0].i64));
  }
  return 0;
}
uint32_t PrintF32(void* env, VMContext*, ValueSlot* a) noexcept {
  if (env) std::fprintf(static_cast<std::FILE*>(env), "%g : f32\n", a[0].f32);
  return 0;
}
uint32_t PrintF64(void* env, VMContext*, ValueSlot* a) noexcept {
  if (env) std::fprintf(static_cast<std::FILE*>(env), "%g : f64\n", a[0].f64);
  return 0;
}
uint32_t PrintI32F32(void* env, VMContext*, ValueSlot* a) noexcept {
  if (env) {
    std::fprintf(static_cast<std::FILE*>(env), "%d : i32\n%g : f32\n",
                 static_cast<int32_t>(a[0].i32), a[1].f32);
  }
  return 0;
}
uint32_t PrintF64F64(void* env, VMContext*, ValueSlot* a) noexcept {
  if (env) std::fprintf(static_cast<std::FILE*>(env), "%g : f64\n%g : f64\n", a[0].f64, a[1].f64);
  return 0;
}

}  // namespace

void DefineSpectest(Linker& linker, Store& store, std::FILE* print_to) {
  struct PrintFn {
    const char* name;
    std::vector<ValType> params;
    HostFn fn;
  };
  const PrintFn prints[] = {
      {"print", {}, PrintNothing},
      {"print_i32", {ValType::I32()}, PrintI32},
      {"print_i64", {ValType::I64()}, PrintI64},
      {"print_f32", {ValType::F32()}, PrintF32},
      {"print_f64", {ValType::F64()}, PrintF64},
      {"print_i32_f32", {ValType::I32(), ValType::F32()}, PrintI32F32},
      {"print_f64_f64", {ValType::F64(), ValType::F64()}, PrintF64F64},
  };
  for (const PrintFn& p : prints) {
    wasm::FuncType type;
    type.params = p.params;
    linker.Define("spectest", p.name, store.NewHostFunc(type, p.fn, print_to));
  }

  auto global = [&](const char* name, const Value& v) {
    auto g = store.NewGlobal(wasm::GlobalType{v.type, false}, v);
    if (g.ok()) linker.Define("spectest", name, *g);
  };
  global("global_i32", Value::I32(666));
  global("global_i64", Value::I64(666));
  global("global_f32", Value::F32(666.6f));
  global("global_f64", Value::F64(666.6));

  wasm::TableType tt;
  tt.elem = ValType::FuncRef();
  tt.limits = wasm::Limits{10, 20};
  if (auto t = store.NewTable(tt); t.ok()) linker.Define("spectest", "table", *t);
  // [memory64] table64.wast imports a 64-bit table of the same limits.
  tt.addr = wasm::AddrType::kI64;
  if (auto t = store.NewTable(tt); t.ok()) linker.Define("spectest", "table64", *t);

  wasm::MemoryType mt;
  mt.limits = wasm::Limits{1, 2};
  if (auto m = store.NewMemory(mt); m.ok()) linker.Define("spectest", "memory", *m);
}

}  // namespace wt::runtime
