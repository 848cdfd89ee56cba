// Target "run": decode, validate and compile a module with the JIT (fuel checks on),
// instantiate it with stand-in imports, and call every exported function with zero arguments
// (and once more with edge values when it has parameters) under a fuel budget and a wasm
// stack limit. Traps are fine; crashes and sanitizer reports are findings.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "run_common.h"
#include "runtime/runtime.h"
#include "targets.h"
#include "wasm/reader.h"

namespace wt::fuzz {

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

  runtime::Store store(RunStoreOptions());
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
