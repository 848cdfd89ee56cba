// Loading a module file for `run` (the main module, --preload modules) and `compile`: a binary
// (starts with "\0asm") or text (.wat), decoded and (unless the caller validates while
// compiling) validated.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "jit/compiler.h"
#include "runtime/cwasm.h"
#include "util/result.h"
#include "wasm/features.h"
#include "wasm/module.h"

namespace wt::cli {

struct LoadedModule {
  wasm::Module module;
  bool from_text = false;
  // [lazy] FILE was a .cwasm artifact, loaded (compiled, registered): use this, not `module`
  // (left empty).
  std::shared_ptr<runtime::LoadedModule> precompiled;
};

// [lazy] Whether (and how) LoadModule may load a .cwasm artifact (docs/cwasm.md). A file is
// an artifact by its content (the magic "\0wtcwasm"), whatever its name.
struct PrecompiledLoad {
  bool allow = false;  // --allow-precompiled
  runtime::PrecompiledOptions options;
};
// For a run compiling with `options` (features, --simd-isa, fuel and epoch checks).
PrecompiledLoad MakePrecompiledLoad(bool allow, const jit::CompileOptions& options);
// The refusal without --allow-precompiled.
std::string PrecompiledNotAllowedMessage(std::string_view path);

// How a file's bytes are read. Binary: they start with the magic "\0asm" (a bad version or
// anything later is the binary reader's error). Text: the extension is .wat or .wast, or the
// content is text (no NUL or control byte other than whitespace, valid UTF-8, in the first
// kSniffBytes) and, for a .wasm file, starts like a module ("(" after blanks and ";;"
// comments). Anything else is NotBinary: "not a WebAssembly binary (bad magic number ...)".
enum class ModuleFileKind { kBinary, kText, kNotBinary };
inline constexpr size_t kSniffBytes = 512;
ModuleFileKind ClassifyModuleFile(std::string_view path, std::span<const uint8_t> bytes);

// The message of a NotBinary file (kMalformed, printed without "malformed module: "):
// "not a WebAssembly binary (bad magic number 7f 45 4c 46)", "... (empty file)".
inline constexpr std::string_view kNotBinaryMessage = "not a WebAssembly binary";
std::string NotBinaryMessage(std::span<const uint8_t> bytes);

// Errors keep their kind (kIo, kMalformed, kInvalid); print them with DescribeModuleError.
// With `validate` false the module is only decoded: `run` and `compile` hand it to
// runtime::LoadModule unvalidated, which validates the declarations and then each body in the
// JIT worker that compiles it (the same errors as wasm::ValidateModule, in the same order).
// `precompiled`: null for a command that takes no artifact (one is an error, kUsage). An
// artifact's errors are whole lines naming `path` (DescribeModuleError prints them as they are).
Result<LoadedModule> LoadModule(const std::string& path, const wasm::Features& features,
                                bool validate = true, const PrecompiledLoad* precompiled = nullptr);

}  // namespace wt::cli
