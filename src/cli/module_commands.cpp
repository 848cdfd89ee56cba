// `wtrun compile` (decode, validate and compile as `run` does; print a summary, or write a
// .cwasm artifact with -o), and the error printing shared by the commands.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli/app.h"
#include "cli/module_loader.h"
#include "cli/options.h"
#include "cli/run_support.h"
#include "runtime/cwasm.h"
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

// Writes `bytes` to `path` atomically: a temporary file in the same directory, then renamed
// over `path`. One-line errors.
Status WriteFileAtomically(const std::string& path, std::span<const uint8_t> bytes) {
  std::string tmp = fmt::format("{}.tmp{}", path, ::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return MakeError(ErrorKind::kIo, "cannot write {}: {}", path, std::strerror(errno));
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return MakeError(ErrorKind::kIo, "cannot write {}: {}", path, std::strerror(err));
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return MakeError(ErrorKind::kIo, "cannot write {}: {}", path, std::strerror(err));
  }
  return Ok();
}

}  // namespace

void PrintError(std::string_view message) {
  std::fflush(stdout);
  fmt::print(stderr, "wtrun: error: {}\n", OneLine(message));
}

std::string DescribeModuleError(std::string_view path, const Error& error) {
  // A .cwasm artifact's errors are whole sentences about PATH ("PATH was compiled by ...").
  if (error.message.size() > path.size() && error.message.starts_with(path) &&
      error.message[path.size()] == ' ')
    return OneLine(error.message);
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
  if (options.output) {
    // A .cwasm artifact: always eager; fuel and epoch checks only when asked for.
    compile_options.mode = jit::CompileMode::kEager;
    compile_options.consume_fuel = options.fuel_checks;
    compile_options.epoch_interruption = options.interrupt_checks;
  }
  auto compiled = runtime::LoadModule(std::move(loaded->module), compile_options,
                                      /*validated=*/false);
  if (!compiled.ok()) {
    PrintError(DescribeModuleError(file, compiled.error()));
    return kExitFailure;
  }
  if (options.output) {
    auto bytes = runtime::SerializeModule(**compiled, compile_options);
    if (!bytes.ok()) {
      PrintError(fmt::format("{}: {}", file, bytes.error().message));
      return kExitFailure;
    }
    if (Status s = WriteFileAtomically(*options.output, *bytes); !s.ok()) {
      PrintError(s.error().message);
      return kExitFailure;
    }
    return kExitOk;
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
