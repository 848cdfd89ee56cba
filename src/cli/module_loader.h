// Loading a module file for `run` (the main module, --preload modules) and `compile`: a binary
// (starts with "\0asm") or text (.wat), decoded and (unless the caller validates while
// compiling) validated.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "util/result.h"
#include "wasm/features.h"
#include "wasm/module.h"

namespace wt::cli {

struct LoadedModule {
  wasm::Module module;
  bool from_text = false;
};

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
Result<LoadedModule> LoadModule(const std::string& path, const wasm::Features& features,
                                bool validate = true);

}  // namespace wt::cli
