// `wtrun run` (the default command): instantiate a module and call `--invoke NAME` or
// `_start`.
#include <cstdio>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli/app.h"
#include "cli/invoke.h"
#include "cli/module_loader.h"
#include "cli/options.h"
#include "cli/trap_report.h"
#include "runtime/runtime.h"

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

}  // namespace

int RunCommand(const wasm::Features& features, const std::string& file,
               const std::vector<std::string>& args, const RunCommandOptions& run_options) {
  auto loaded = LoadModule(file, features);
  if (!loaded.ok()) {
    // `wtrun compil x.wasm`: a mistyped command reaches here as a FILE.
    bool looks_like_command = file.find_first_of("./") == std::string::npos;
    if (loaded.error().kind == ErrorKind::kIo && looks_like_command && !args.empty()) {
      PrintError(
          fmt::format("'{}' is neither a file nor a command (run, compile, wast, help)", file));
      return kExitUsage;
    }
    PrintError(DescribeModuleError(file, loaded.error()));
    return kExitFailure;
  }
  const wasm::Module& m = loaded->module;

  // No host modules exist yet (WASI comes later): any import is unknown.
  if (!m.imports.empty()) {
    const wasm::Import& import = m.imports.front();
    PrintError(fmt::format("{}: unknown import: {}::{} has not been defined", file, import.module,
                           import.name));
    fmt::print(stderr,
               "wtrun: hint: wtrun provides no imports yet (WASI support comes later); only a "
               "module without imports can run\n");
    return kExitFailure;
  }

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

  auto compiled = runtime::LoadModule(std::move(loaded->module), features, /*validated=*/true);
  if (!compiled.ok()) {
    PrintError(DescribeModuleError(file, compiled.error()));
    return kExitFailure;
  }
  runtime::Store store;
  runtime::Linker linker;
  runtime::Trap trap;
  trap.code = runtime::TrapCode::kCount;
  auto instance = linker.Instantiate(store, std::move(compiled).value(), &trap);
  if (!instance.ok()) {
    if (instance.error().kind == ErrorKind::kUninstantiable &&
        trap.code != runtime::TrapCode::kCount) {
      return PrintTrap(file, fmt::format("failed to instantiate `{}`", file), trap);
    }
    PrintError(fmt::format("{}: {}", file, instance.error().ToString()));
    return kExitFailure;
  }
  if (!entry) return kExitOk;  // nothing to run, as wasmtime

  runtime::Func* func = (*instance)->GetFunc(entry_name);
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
    return PrintTrap(file, fmt::format("failed to invoke `{}`", entry_name), *result->trap);
  }
  for (const runtime::Value& v : result->results) fmt::print("{}\n", FormatInvokeResult(v));
  std::fflush(stdout);
  return kExitOk;
}

}  // namespace wt::cli
