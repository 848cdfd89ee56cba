// `wtrun run` (the default command): instantiate a module with WASI (and --preload modules),
// run `_initialize` if exported, then call `--invoke NAME` or `_start`.
#include <csignal>
#include <cstdio>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli/app.h"
#include "cli/invoke.h"
#include "cli/module_loader.h"
#include "cli/options.h"
#include "cli/run_support.h"
#include "cli/trap_report.h"
#include "runtime/profile.h"
#include "runtime/runtime.h"
#include "wasi/wasi.h"

namespace wt::cli {
namespace {

// The index of the exported function `name`, or nullopt.
std::optional<uint32_t> FindFuncExport(const wasm::Module& m, std::string_view name) {
  for (const wasm::Export& e : m.exports) {
    if (e.kind == wasm::ExternKind::kFunc && e.name == name) return e.index;
  }
  return std::nullopt;
}

std::string FuncExportNames(const wasm::Module& m) {
  std::string out;
  for (const wasm::Export& e : m.exports) {
    if (e.kind != wasm::ExternKind::kFunc) continue;
    if (!out.empty()) out += ", ";
    out += e.name;
  }
  return out;
}

std::string TypeList(const std::vector<wasm::ValType>& types) {
  std::string out;
  for (const wasm::ValType& t : types) {
    if (!out.empty()) out += ", ";
    out += wasm::ValTypeName(t);
  }
  return out;
}

// What ends a run early: the exit status to return.
struct RunState {
  wasi::WasiCtx* wasi = nullptr;
  UnknownImportStubs stubs;
  TrapReportOptions trap_options;

  // A trap while running `module_file`: proc_exit -> its status; else the trap is printed.
  int OnTrap(const std::string& module_file, const std::string& context, runtime::Trap trap) {
    if (trap.code == runtime::TrapCode::kExit && wasi != nullptr && wasi->exit_code()) {
      uint32_t status = *wasi->exit_code();
      if (status < 126) return static_cast<int>(status);
      // As wasmtime: statuses from 126 up are reserved for the shell (126, 127) and for
      // signals (128 + N), so they are refused.
      std::fflush(stdout);
      fmt::print(stderr,
                 "Error: failed to run main module `{}`\n\nCaused by:\n    0: {}\n    1: exit "
                 "with invalid exit status outside of [0..126): {}\n",
                 module_file, context, status);
      return kExitFailure;
    }
    if (trap.code == runtime::TrapCode::kHostError && trap.detail.empty()) {
      trap.detail = stubs.TrapDetail();
    }
    return PrintTrap(module_file, context, trap, trap_options);
  }

  // Validates and compiles `path` (decoded only: the bodies are validated in the JIT workers);
  // nullptr after printing the error.
  std::shared_ptr<runtime::LoadedModule> Compile(const std::string& path, LoadedModule loaded,
                                                 const jit::CompileOptions& compile_options) {
    auto compiled =
        runtime::LoadModule(std::move(loaded.module), compile_options, /*validated=*/false);
    if (!compiled.ok()) {
      PrintError(DescribeModuleError(path, compiled.error()));
      return nullptr;
    }
    return std::move(compiled).value();
  }

  // Instantiates `module` and calls its `_initialize` export if it has one (a reactor).
  // Returns the instance, or sets `*exit` (after printing what happened).
  runtime::Instance* Instantiate(runtime::Store& store, runtime::Linker& linker,
                                 const std::string& path,
                                 std::shared_ptr<runtime::LoadedModule> module, int* exit) {
    const wasm::Module& m = *module->module;
    for (const wasm::Import& import : m.imports) {
      if (linker.Lookup(import.module, import.name)) continue;
      PrintError(fmt::format("{}: unknown import: {}::{} has not been defined", path, import.module,
                             import.name));
      fmt::print(stderr,
                 "wtrun: hint: wtrun defines wasi_snapshot_preview1, wasi_unstable and the "
                 "--preload NAME=FILE modules; --trap-unknown-imports or "
                 "--default-values-unknown-imports stand in for other functions\n");
      *exit = kExitFailure;
      return nullptr;
    }
    runtime::Trap trap;
    trap.code = runtime::TrapCode::kCount;
    auto instance = linker.Instantiate(store, std::move(module), &trap);
    if (!instance.ok()) {
      if (instance.error().kind == ErrorKind::kUninstantiable &&
          trap.code != runtime::TrapCode::kCount) {
        *exit = OnTrap(path, fmt::format("failed to instantiate `{}`", path), trap);
      } else {
        PrintError(fmt::format("{}: {}", path, instance.error().ToString()));
        *exit = kExitFailure;
      }
      return nullptr;
    }
    if (runtime::Func* init = (*instance)->GetFunc("_initialize")) {
      if (!init->type().params.empty() || !init->type().results.empty()) {
        PrintError(fmt::format("{}: `_initialize` must take and return nothing", path));
        *exit = kExitFailure;
        return nullptr;
      }
      auto r = runtime::Invoke(store, *init, {});
      if (!r.ok()) {
        PrintError(fmt::format("{}: {}", path, r.error().ToString()));
        *exit = kExitFailure;
        return nullptr;
      }
      if (r->trap) {
        *exit = OnTrap(path, "failed to invoke `_initialize`", *r->trap);
        return nullptr;
      }
    }
    return *instance;
  }
};

// Exits 1 for a module that cannot be loaded (usage error 2 for a mistyped command).
int LoadError(const std::string& file, const std::vector<std::string>& args, const Error& error) {
  // `wtrun compil x.wasm`: a mistyped command reaches here as a FILE.
  bool looks_like_command = file.find_first_of("./") == std::string::npos;
  if (error.kind == ErrorKind::kIo && looks_like_command && !args.empty()) {
    PrintError(
        fmt::format("'{}' is neither a file nor a command (run, compile, wast, help)", file));
    return kExitUsage;
  }
  PrintError(DescribeModuleError(file, error));
  return kExitFailure;
}

}  // namespace

int RunCommand(const wasm::Features& features, const std::string& file,
               const std::vector<std::string>& args, const RunCommandOptions& run_options) {
  // A guest writing to a closed pipe gets EPIPE (as under wasmtime), not a signal.
  std::signal(SIGPIPE, SIG_IGN);

  if (!run_options.profile.empty()) {
    auto mode = runtime::ParseProfileMode(run_options.profile);
    if (!mode.ok()) {
      PrintError(fmt::format("--profile: {}", mode.error().message));
      return kExitUsage;
    }
    if (Status s = runtime::SetProfileMode(*mode); !s.ok()) {
      PrintError(fmt::format("--profile: {}", s.error().message));
      return kExitFailure;
    }
  }
  auto store_options = MakeStoreOptions(run_options);
  if (!store_options.ok()) {
    PrintError(store_options.error().message);
    return kExitFailure;
  }
  jit::CompileOptions compile_options = MakeCompileOptions(features, run_options);
  compile_options.simd_isa = run_options.simd_isa;  // --simd-isa

  // Decoded here, then validated and compiled at once (runtime::LoadModule validates each body
  // in the JIT worker that compiles it). An invalid module is a load error, reported now as
  // before; a compile error (kUnsupported) is reported where compiling used to happen, after
  // the checks of the entry point and the WASI set-up below.
  const PrecompiledLoad precompiled =
      MakePrecompiledLoad(run_options.allow_precompiled, compile_options);
  auto loaded = LoadModule(file, features, /*validate=*/false, &precompiled);
  if (!loaded.ok()) return LoadError(file, args, loaded.error());
  // A .cwasm artifact (--allow-precompiled) comes loaded: nothing to compile.
  auto module = loaded->precompiled
                    ? loaded->precompiled->module
                    : std::make_shared<const wasm::Module>(std::move(loaded->module));
  auto compiled = loaded->precompiled
                      ? Result<std::shared_ptr<runtime::LoadedModule>>(loaded->precompiled)
                      : runtime::LoadModule(module, compile_options, /*validated=*/false);
  if (!compiled.ok() && (compiled.error().kind == ErrorKind::kMalformed ||
                         compiled.error().kind == ErrorKind::kInvalid)) {
    return LoadError(file, args, compiled.error());
  }
  const wasm::Module& m = *module;

  // What to call: checked (and the arguments parsed) before anything runs.
  std::string entry_name;
  std::optional<uint32_t> entry;
  std::vector<runtime::Value> call_args;
  if (run_options.invoke) {
    entry_name = *run_options.invoke;
    entry = FindFuncExport(m, entry_name);
    if (!entry) {
      std::string names = FuncExportNames(m);
      PrintError(fmt::format("{}: no exported function `{}` ({})", file, entry_name,
                             names.empty() ? "it exports no functions"
                                           : fmt::format("exported functions: {}", names)));
      return kExitFailure;
    }
    const wasm::FuncType& type = m.FuncSig(*entry);
    if (args.size() != type.params.size()) {
      PrintError(fmt::format("`{}` takes {} argument(s) ({}), {} given", entry_name,
                             type.params.size(), TypeList(type.params), args.size()));
      return kExitUsage;
    }
    for (size_t i = 0; i < args.size(); ++i) {
      auto v = ParseInvokeArg(args[i], type.params[i]);
      if (!v.ok()) {
        PrintError(fmt::format("`{}` argument {}: {}", entry_name, i + 1, v.error().message));
        return kExitUsage;
      }
      call_args.push_back(*v);
    }
  } else {
    for (const char* name : {"", "_start"}) {
      entry = FindFuncExport(m, name);
      if (entry) {
        entry_name = name;
        break;
      }
    }
    if (entry && !m.FuncSig(*entry).params.empty()) {
      PrintError(fmt::format("{}: `{}` takes parameters; use --invoke {} FILE ARGS...", file,
                             entry_name, entry_name));
      return kExitUsage;
    }
    spdlog::debug("{}: {} argument(s) for the program", file, args.size());
  }

  RunState state;
  state.trap_options.backtrace = !run_options.no_backtrace;
  state.trap_options.max_frames = run_options.max_backtrace;

  auto wasi_ctx = wasi::WasiCtx::Create(MakeWasiConfig(file, args, run_options));
  if (!wasi_ctx.ok()) {
    PrintError(wasi_ctx.error().message);
    return kExitFailure;
  }
  state.wasi = wasi_ctx->get();

  if (!compiled.ok()) {
    PrintError(DescribeModuleError(file, compiled.error()));
    return kExitFailure;
  }
  std::shared_ptr<runtime::LoadedModule> main_module = std::move(compiled).value();

  runtime::Store store(*store_options);
  runtime::Linker linker;
  if (Status s = wasi::DefineWasi(linker, store, **wasi_ctx); !s.ok()) {
    PrintError(s.error().message);
    return kExitFailure;
  }
  // --trap-unknown-imports / --default-values-unknown-imports: stand-ins for the function
  // imports of each module (the preloads, then the main module) that nothing defined before it.
  auto define_stubs = [&](const wasm::Module& module) {
    if (!run_options.trap_unknown_imports && !run_options.default_values_unknown_imports) return;
    state.stubs.Define(linker, store, module,
                       run_options.trap_unknown_imports ? UnknownImportStubs::Mode::kTrap
                                                        : UnknownImportStubs::Mode::kDefaultValues);
  };
  int exit = kExitOk;
  for (const std::string& preload : run_options.preloads) {
    size_t eq = preload.find('=');
    std::string name = preload.substr(0, eq);
    std::string path = preload.substr(eq + 1);
    auto pre = LoadModule(path, features, /*validate=*/false, &precompiled);
    if (!pre.ok()) {
      PrintError(DescribeModuleError(path, pre.error()));
      return kExitFailure;
    }
    auto compiled = pre->precompiled ? pre->precompiled
                                     : state.Compile(path, std::move(pre).value(), compile_options);
    if (compiled == nullptr) return kExitFailure;
    state.trap_options.module_files.emplace_back(compiled->module.get(), path);
    define_stubs(*compiled->module);  // a library may import functions nobody defines, too
    runtime::Instance* instance = state.Instantiate(store, linker, path, compiled, &exit);
    if (instance == nullptr) return exit;
    linker.DefineInstance(name, *instance);
  }
  define_stubs(*main_module->module);
  runtime::Instance* instance = state.Instantiate(store, linker, file, main_module, &exit);
  if (instance == nullptr) return exit;
  if (!entry) return kExitOk;  // nothing to run, as wasmtime

  runtime::Func* func = instance->GetFunc(entry_name);
  if (func == nullptr) {
    PrintError(fmt::format("{}: no exported function `{}`", file, entry_name));
    return kExitFailure;
  }
  auto result = runtime::Invoke(store, *func, call_args);
  if (!result.ok()) {
    PrintError(fmt::format("{}: {}", file, result.error().ToString()));
    return kExitFailure;
  }
  if (result->trap) {
    return state.OnTrap(file, fmt::format("failed to invoke `{}`", entry_name), *result->trap);
  }
  for (const runtime::Value& v : result->results) fmt::print("{}\n", FormatInvokeResult(v));
  std::fflush(stdout);
  return kExitOk;
}

}  // namespace wt::cli
