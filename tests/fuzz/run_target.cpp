// Target "run": decode, validate and compile a module with the JIT (fuel checks on),
// instantiate it with stand-in imports, and call every exported function with zero arguments
// (and once more with edge values when it has parameters) under a fuel budget and a wasm
// stack limit. Traps are fine; crashes and sanitizer reports are findings.
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "runtime/runtime.h"
#include "targets.h"
#include "wasm/reader.h"

namespace wt::fuzz {
namespace {

// The fuel of instantiation and of each call (Store::ResetLimits before each), the calls made
// (the first exports), the native stack wasm may use, and the caps on memories and tables (a
// guest may grow them to these sizes).
constexpr uint64_t kFuel = 50'000;
constexpr size_t kMaxCalls = 64;
constexpr uint64_t kMaxWasmStack = 256 * 1024;
constexpr uint64_t kMaxMemoryBytes = 16 * 1024 * 1024;
constexpr uint64_t kMaxTableElements = 100'000;

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

bool AllDefaultable(const std::vector<wasm::ValType>& types) {
  for (const wasm::ValType& t : types) {
    if (!t.is_defaultable()) return false;
  }
  return true;
}

// Defines a stand-in for every import the store can make: functions return zeros (every third
// one traps, and so does one whose results have no zero value), memories, tables and globals
// are fresh objects of the imported type. Tags are left undefined (instantiation then fails).
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

// An edge value of a numeric type (the k-th of a few; null for references, zero for v128).
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

}  // namespace

int FuzzRun(const uint8_t* data, size_t size) {
  // WTRUN_FUZZ_VERBOSE=1: one line per input saying how far it got (to check what a corpus
  // exercises, e.g. with fuzz_replay).
  static const bool verbose = std::getenv("WTRUN_FUZZ_VERBOSE") != nullptr;
  auto say = [&](const std::string& what, size_t calls = 0, size_t traps = 0) {
    if (verbose) {
      std::fprintf(stderr, "fuzz run: %s, %zu calls, %zu traps\n", what.c_str(), calls, traps);
    }
    return 0;
  };
  wasm::ReadOptions read;
  read.features = wasm::Features::Wasm30();
  auto decoded = wasm::ReadModule(std::vector<uint8_t>(data, data + size), read);
  if (!decoded.ok()) return say("malformed");

  jit::CompileOptions compile;
  compile.features = read.features;
  compile.consume_fuel = true;
  compile.jobs = 1;
  auto loaded = runtime::LoadModule(std::move(*decoded), compile);
  // Invalid, or a feature the JIT does not run.
  if (!loaded.ok()) return say("not loaded: " + loaded.error().ToString());

  runtime::StoreOptions options;
  options.fuel = kFuel;
  options.limits.max_wasm_stack = kMaxWasmStack;
  options.limits.max_memory_bytes = kMaxMemoryBytes;
  options.limits.max_table_elements = kMaxTableElements;
  runtime::Store store(options);
  runtime::Linker linker;
  DefineImports(*(*loaded)->module, store, linker);
  auto instance = linker.Instantiate(store, *loaded);
  // Unlinkable, or a trap while instantiating.
  if (!instance.ok()) return say("not instantiated: " + instance.error().ToString());
  size_t calls = 0, traps = 0;

  for (const runtime::ExportEntry& e : (*instance)->exports()) {
    if (runtime::Global* g = e.value.global()) {
      (void)g->Get();
      continue;
    }
    runtime::Func* f = e.value.func();
    if (f == nullptr) continue;
    const wasm::FuncType& type = f->type();
    if (!AllDefaultable(type.params)) continue;
    // Zero arguments, then (for functions with parameters) a second call with edge values.
    for (int round = 0; round < (type.params.empty() ? 1 : 2); ++round) {
      std::vector<runtime::Value> args;
      for (size_t i = 0; i < type.params.size(); ++i) {
        args.push_back(round == 0 ? runtime::Value::Default(type.params[i])
                                  : EdgeValue(type.params[i], i + calls));
      }
      if (calls == kMaxCalls) break;
      store.ResetLimits();
      auto r = runtime::Invoke(store, *f, args);
      ++calls;
      if (r.ok() && r->trap) ++traps;
    }
  }
  return say("instantiated", calls, traps);
}

}  // namespace wt::fuzz
