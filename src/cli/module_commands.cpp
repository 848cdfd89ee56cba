// `wtrun compile` (decode, validate and compile as `run` does; print a summary), and the error
// printing shared by the commands.
#include <cstdio>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli/app.h"
#include "cli/module_loader.h"
#include "cli/options.h"
#include "cli/run_support.h"
#include "runtime/runtime.h"

namespace wt::cli {
namespace {

std::string OneLine(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

}  // namespace

void PrintError(std::string_view message) {
  std::fflush(stdout);
  fmt::print(stderr, "wtrun: error: {}\n", OneLine(message));
}

std::string DescribeModuleError(std::string_view path, const Error& error) {
  std::string where = error.location.empty() ? std::string(path) : error.location;
  std::string what;
  switch (error.kind) {
    case ErrorKind::kMalformed:
      // "FILE: not a WebAssembly binary (bad magic number ...)" says it all.
      if (!error.message.starts_with(kNotBinaryMessage)) what = "malformed module: ";
      break;
    case ErrorKind::kInvalid:
      what = "invalid module: ";
      break;
    default:
      break;
  }
  std::string out;
  if (error.kind == ErrorKind::kIo) {
    out = error.message;  // already "PATH: reason"
  } else {
    out = fmt::format("{}: {}{}", where, what, error.message);
  }
  if (error.offset != SIZE_MAX) out += fmt::format(" (at offset 0x{:x})", error.offset);
  return OneLine(out);
}

int CompileCommand(const wasm::Features& features, const std::string& file,
                   const CompileCommandOptions& options) {
  if (options.output)
    return PrintError("compile -o: writing a .cwasm artifact is not implemented yet"), kExitFailure;
  // As `run` compiles the module (same loading, same compile options with no --fuel or
  // --timeout), so that it fails the same way with the same message.
  auto loaded = LoadModule(file, features, /*validate=*/false);
  if (!loaded.ok()) {
    PrintError(DescribeModuleError(file, loaded.error()));
    return kExitFailure;
  }
  const bool from_text = loaded->from_text;
  jit::CompileOptions compile_options = MakeCompileOptions(features, RunCommandOptions{});
  compile_options.simd_isa = options.simd_isa;  // --simd-isa
  auto compiled = runtime::LoadModule(std::move(loaded->module), compile_options,
                                      /*validated=*/false);
  if (!compiled.ok()) {
    PrintError(DescribeModuleError(file, compiled.error()));
    return kExitFailure;
  }
  const wasm::Module& m = *(*compiled)->module;
  uint64_t code_size = 0;
  for (const wasm::Code& code : m.codes) code_size += code.whole.size;
  const jit::CodeObject* machine = (*compiled)->code ? (*compiled)->code->code.get() : nullptr;
  fmt::print("{}: valid module ({} bytes{})\n", file, m.bytes.size(),
             from_text ? " encoded from text" : "");
  fmt::print("  functions: {} ({} imported, {} defined)\n", m.funcs.size(), m.num_imported_funcs,
             m.funcs.size() - m.num_imported_funcs);
  fmt::print("  imports:   {}\n", m.imports.size());
  fmt::print("  exports:   {}\n", m.exports.size());
  fmt::print("  code size: {} bytes\n", code_size);
  fmt::print("  compiled:  {} bytes of machine code\n", machine ? machine->size() : 0);
  return kExitOk;
}

}  // namespace wt::cli
