// `wtrun run`: options -> WASI configuration, store and compile options; unknown-import stubs.
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "cli/run_options.h"
#include "cli/run_support.h"
#include "runtime/pool/allocator.h"

extern char** environ;

namespace wt::cli {
namespace {

using Env = std::vector<std::pair<std::string, std::string>>;

void SetEnv(Env& env, std::string name, std::string value) {
  auto it = std::find_if(env.begin(), env.end(), [&](const auto& e) { return e.first == name; });
  if (it != env.end()) {
    it->second = std::move(value);
  } else {
    env.emplace_back(std::move(name), std::move(value));
  }
}

uint32_t TrapStub(void* env, runtime::VMContext*, runtime::ValueSlot*) noexcept {
  auto* entry = static_cast<const UnknownImportStubs::Entry*>(env);
  entry->owner->set_trapped(entry);
  return 1 + static_cast<uint32_t>(runtime::TrapCode::kHostError);
}

uint32_t DefaultValuesStub(void* env, runtime::VMContext*, runtime::ValueSlot* args) noexcept {
  auto* entry = static_cast<const UnknownImportStubs::Entry*>(env);
  for (size_t i = 0; i < entry->results; ++i) args[i] = runtime::ValueSlot{};
  return 0;
}

}  // namespace

wasi::WasiConfig MakeWasiConfig(const std::string& file, const std::vector<std::string>& args,
                                const RunCommandOptions& options) {
  wasi::WasiConfig config;
  // As wasmtime: the base name, so the guest does not learn the host's paths.
  std::string argv0 =
      options.argv0 ? *options.argv0 : std::filesystem::path(file).filename().string();
  config.args.push_back(argv0);
  config.args.insert(config.args.end(), args.begin(), args.end());
  if (options.inherit_env) {
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
      std::string_view entry(*e);
      size_t eq = entry.find('=');
      if (eq == std::string_view::npos || eq == 0) continue;
      SetEnv(config.env, std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
    }
  }
  for (const std::string& e : options.envs) {
    size_t eq = e.find('=');
    if (eq != std::string::npos) {
      SetEnv(config.env, e.substr(0, eq), e.substr(eq + 1));
    } else if (const char* host = std::getenv(e.c_str())) {  // NAME alone: the host's value
      SetEnv(config.env, e, host);
    }
  }
  for (const std::string& d : options.dirs) {
    size_t sep = d.find("::");
    if (sep == std::string::npos) {
      config.preopens.push_back({d, d});
    } else {
      config.preopens.push_back({d.substr(0, sep), d.substr(sep + 2)});
    }
  }
  return config;
}

Result<runtime::StoreOptions> MakeStoreOptions(const RunCommandOptions& options) {
  runtime::StoreOptions store;
  store.fuel = options.fuel;
  if (options.timeout) {
    WT_TRY_ASSIGN(store.timeout, ParseDuration(*options.timeout));
  }
  store.limits.max_memory_bytes = options.max_memory_size.value_or(0);
  store.limits.max_table_elements = options.max_table_elements.value_or(0);
  store.limits.max_gc_heap_bytes = options.max_gc_heap_size.value_or(0);  // [wasmgc]
  store.gc_collect = options.gc_collect;                                  // [wasmgc]
  store.limits.max_wasm_stack = options.max_wasm_stack.value_or(0);
  bool pooling = options.pooling || options.pool_uffd || options.pool_instances ||
                 options.pool_memory_size || options.pool_table_elements;
  if (pooling) {
    runtime::PoolConfig pool;
    if (options.pool_instances) pool.instances = *options.pool_instances;
    if (options.pool_memory_size) pool.memory_size = *options.pool_memory_size;
    if (options.pool_table_elements) pool.table_elements = *options.pool_table_elements;
    pool.uffd = options.pool_uffd;
    WT_TRY_ASSIGN(store.allocator, runtime::CreatePoolingAllocator(pool));
  }
  return store;
}

jit::CompileOptions MakeCompileOptions(const wasm::Features& features,
                                       const RunCommandOptions& options) {
  jit::CompileOptions compile;
  compile.features = features;
  compile.consume_fuel = options.fuel.has_value();
  compile.epoch_interruption = options.timeout.has_value();
  // [lazy] --compile, --compile-threads: compile jobs when eager (0: all cores, as without
  // the option), background compile threads when lazy (default min(cores - 1, 4)).
  compile.mode = options.compile_eager ? jit::CompileMode::kEager : jit::CompileMode::kLazy;
  if (options.compile_eager) {
    if (options.compile_threads) compile.jobs = *options.compile_threads;
  } else {
    compile.background_jobs = options.compile_threads.value_or(DefaultLazyCompileThreads());
  }
  return compile;
}

size_t UnknownImportStubs::Define(runtime::Linker& linker, runtime::Store& store,
                                  const wasm::Module& module, Mode mode) {
  size_t n = 0;
  for (const wasm::Import& import : module.imports) {
    if (import.kind != wasm::ExternKind::kFunc) continue;
    if (linker.Lookup(import.module, import.name)) continue;
    const wasm::FuncType& type = module.FuncSig(import.index);
    Entry& entry = entries_.emplace_back();
    entry.owner = this;
    entry.module = import.module;
    entry.name = import.name;
    entry.results = type.results.size();
    runtime::Func* f =
        store.NewHostFunc(type, mode == Mode::kTrap ? &TrapStub : &DefaultValuesStub, &entry);
    linker.Define(import.module, import.name, f);
    ++n;
  }
  return n;
}

std::string UnknownImportStubs::TrapDetail() const {
  if (trapped_ == nullptr) return "";
  return fmt::format("unknown import `{}::{}` has not been defined", trapped_->module,
                     trapped_->name);
}

}  // namespace wt::cli
