#include "run_common.h"

#include <iterator>

namespace wt::fuzz {
namespace {

// Stand-in for an imported function (as --default-values-unknown-imports): zero results. The
// env is the number of results.
uint32_t ZeroStub(void* env, runtime::VMContext*, runtime::ValueSlot* args) noexcept {
  auto results = reinterpret_cast<uintptr_t>(env);
  for (uintptr_t i = 0; i < results; ++i) args[i] = runtime::ValueSlot{};
  return 0;
}

// Stand-in that traps (as --trap-unknown-imports).
uint32_t TrapStub(void*, runtime::VMContext*, runtime::ValueSlot*) noexcept {
  return 1 + static_cast<uint32_t>(runtime::TrapCode::kHostError);
}

}  // namespace

runtime::StoreOptions RunStoreOptions() {
  runtime::StoreOptions options;
  options.fuel = kFuel;
  options.limits.max_wasm_stack = kMaxWasmStack;
  options.limits.max_memory_bytes = kMaxMemoryBytes;
  options.limits.max_table_elements = kMaxTableElements;
  return options;
}

bool AllDefaultable(const std::vector<wasm::ValType>& types) {
  for (const wasm::ValType& t : types) {
    if (!t.is_defaultable()) return false;
  }
  return true;
}

void DefineImports(const wasm::Module& module, runtime::Store& store, runtime::Linker& linker) {
  uint32_t n = 0;
  for (const wasm::Import& import : module.imports) {
    switch (import.kind) {
      case wasm::ExternKind::kFunc: {
        const wasm::FuncType& type = module.FuncSig(import.index);
        bool trap = n++ % 3 == 2 || !AllDefaultable(type.results);
        auto* env = reinterpret_cast<void*>(static_cast<uintptr_t>(type.results.size()));
        linker.Define(import.module, import.name,
                      store.NewHostFunc(type, trap ? &TrapStub : &ZeroStub, env));
        break;
      }
      case wasm::ExternKind::kMemory:
        if (auto m = store.NewMemory(module.memories[import.index].type); m.ok()) {
          linker.Define(import.module, import.name, *m);
        }
        break;
      case wasm::ExternKind::kTable:
        if (auto t = store.NewTable(module.tables[import.index].type); t.ok()) {
          linker.Define(import.module, import.name, *t);
        }
        break;
      case wasm::ExternKind::kGlobal: {
        const wasm::GlobalType& type = module.globals[import.index].type;
        if (!type.type.is_defaultable()) break;
        if (auto g = store.NewGlobal(type, runtime::Value::Default(type.type)); g.ok()) {
          linker.Define(import.module, import.name, *g);
        }
        break;
      }
      case wasm::ExternKind::kTag:
        break;
    }
  }
}

runtime::Value EdgeValue(wasm::ValType type, size_t k) {
  static constexpr uint64_t kInts[] = {
      UINT64_MAX,           1, 0x7fffffff, 0x80000000, 0xfffffff0, 0x8000000000000000ull, 65536,
      0x7fffffffffffffffull};
  static constexpr uint32_t kF32[] = {0x7fc00000, 0x80000000, 0x7f800000, 0x4f000000};
  static constexpr uint64_t kF64[] = {0x7ff8000000000000ull, 0x8000000000000000ull,
                                      0xfff0000000000000ull, 0x43e0000000000000ull};
  switch (type.kind) {
    case wasm::ValKind::kI32:
      return runtime::Value::I32(static_cast<uint32_t>(kInts[k % std::size(kInts)]));
    case wasm::ValKind::kI64:
      return runtime::Value::I64(kInts[k % std::size(kInts)]);
    case wasm::ValKind::kF32:
      return runtime::Value::F32Bits(kF32[k % std::size(kF32)]);
    case wasm::ValKind::kF64:
      return runtime::Value::F64Bits(kF64[k % std::size(kF64)]);
    default:
      return runtime::Value::Default(type);
  }
}

}  // namespace wt::fuzz
