#include "cli/trap_report.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "cli/app.h"
#include "runtime/debug/symbolize.h"
#include "wasm/module.h"

namespace wt::cli {
namespace {

std::string BaseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The "error while executing at wasm backtrace:" level: header line plus frame lines, each
// continuation line indented by 7 (anyhow's indentation under "    N: ").
std::string FormatBacktrace(const std::string& file, const runtime::WasmBacktrace& bt,
                            const TrapReportOptions& options) {
  const uint32_t max_frames = options.max_frames;
  std::string out = "error while executing at wasm backtrace:";
  std::vector<std::pair<const wasm::Module*, std::unique_ptr<runtime::debug::ModuleSymbols>>>
      symbols;
  auto symbols_for = [&](const wasm::Module* m) -> const runtime::debug::ModuleSymbols* {
    if (m == nullptr) return nullptr;
    for (const auto& [mod, sym] : symbols)
      if (mod == m) return sym.get();
    symbols.emplace_back(m, std::make_unique<runtime::debug::ModuleSymbols>(*m));
    return symbols.back().second.get();
  };
  std::string default_module = BaseName(file);
  size_t shown = std::min<size_t>(bt.frames.size(), max_frames);
  for (size_t i = 0; i < shown; ++i) {
    const runtime::WasmFrame& f = bt.frames[i];
    const runtime::debug::ModuleSymbols* sym = symbols_for(f.module.get());
    std::string module_name = default_module;
    for (const auto& [m, path] : options.module_files) {
      if (m == f.module.get()) module_name = BaseName(path);
    }
    if (f.module && f.module->names.module && !f.module->names.module->empty())
      module_name = *f.module->names.module;
    std::string func =
        sym ? sym->FuncName(f.func_index) : fmt::format("<wasm function {}>", f.func_index);
    out += fmt::format("\n       {:>5}: ", i);
    if (f.wasm_offset != runtime::WasmFrame::kNoOffset)
      out += fmt::format("{:>8} - ", fmt::format("{:#x}", f.wasm_offset));
    out += fmt::format("{}!{}", module_name, func);
    if (sym != nullptr && f.wasm_offset != runtime::WasmFrame::kNoOffset) {
      if (auto loc = sym->Lookup(f.wasm_offset)) {
        out += fmt::format("\n                           at {}", loc->file);
        if (loc->line != 0) {
          out += fmt::format(":{}", loc->line);
          if (loc->column != 0) out += fmt::format(":{}", loc->column);
        }
      }
    }
  }
  uint64_t total = std::max<uint64_t>(bt.total, bt.frames.size());
  if (total > shown) {
    uint64_t more = total - shown;
    out += fmt::format("\n           … {} more frame{}", more, more == 1 ? "" : "s");
  }
  return out;
}

}  // namespace

std::string FormatTrap(const std::string& file, const std::string& context,
                       const runtime::Trap& trap, const TrapReportOptions& options) {
  std::vector<std::string> levels;
  // The `_start` command of a module gets no context line (the shape of the example).
  if (!context.empty() && context != "failed to invoke `_start`") levels.push_back(context);
  if (options.backtrace && !trap.backtrace.frames.empty())
    levels.push_back(FormatBacktrace(file, trap.backtrace, options));
  if (trap.fault) {
    // [wasm3] Memory 0 keeps wasmtime's wording; another memory is named by its index.
    std::string which = trap.fault->memory_index == 0
                            ? std::string("linear memory")
                            : fmt::format("linear memory {}", trap.fault->memory_index);
    levels.push_back(fmt::format("memory fault at wasm address {:#x} in {} of size {:#x}",
                                 trap.fault->wasm_address, which, trap.fault->memory_size));
  }
  std::string message = runtime::TrapMessage(trap.code);
  if (!trap.detail.empty()) message += fmt::format(": {}", trap.detail);
  levels.push_back("wasm trap: " + message);

  std::string out = fmt::format("Error: failed to run main module `{}`\n\nCaused by:\n", file);
  if (levels.size() == 1) {
    out += fmt::format("    {}\n", levels[0]);
  } else {
    for (size_t i = 0; i < levels.size(); ++i) out += fmt::format("{:>5}: {}\n", i, levels[i]);
  }
  return out;
}

int PrintTrap(const std::string& file, const std::string& context, const runtime::Trap& trap,
              const TrapReportOptions& options) {
  std::fflush(stdout);
  std::string report = FormatTrap(file, context, trap, options);
  std::fwrite(report.data(), 1, report.size(), stderr);
  std::fflush(stderr);
  return kExitTrap;
}

}  // namespace wt::cli
