// The .cwasm artifact (docs/cwasm.md, format in jit/cwasm_format.h): a module compiled eagerly
// by `wtrun compile -o`, written once and run many times without compiling. The loader maps
// the code from the file (no copy, no relocation: the code reaches builtins through a table
// page filled at load) and uses the tables in place.
//
// Trust: an artifact is machine code that runs as is. The loader checks the header (magic,
// format, wtrun build, target, CPU features, code-affecting options), the section bounds, the
// function and type tables and the module's declarations (hashes), but not the code, nor (from
// a file, for speed) the site tables: only files the user trusts may be loaded (the CLI's
// --allow-precompiled). WTRUN_CWASM_VERIFY=1 makes LoadPrecompiled check everything.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "jit/compiler.h"
#include "runtime/runtime.h"
#include "util/result.h"
#include "wasm/features.h"

namespace wt::runtime {

// This build's version as written in (and required of) an artifact: "0.1.0+<build id>", the
// project version and the first 16 hex digits of the executable's GNU build id (a hash of the
// linked binary: two different builds differ), or "0.1.0+nobuildid" when it has none.
std::string_view CwasmBuildVersion();

// What a run requires of an artifact (the refusals below).
struct PrecompiledOptions {
  // The run's features: the artifact's must be among them.
  wasm::Features features = wasm::Features::Wasm30();
  // The run's --simd-isa: the artifact's CPU features must be within the cap.
  jit::SimdIsa simd_isa = jit::SimdIsa::kAuto;
  bool need_fuel = false;   // --fuel: the code must charge fuel
  bool need_epoch = false;  // --timeout: the code must check the epoch
};

// True when `bytes` starts with the artifact magic "\0wtcwasm".
bool IsPrecompiled(std::span<const uint8_t> bytes);

// The artifact of a module compiled eagerly with `options` (the options it was loaded with:
// the header records them). Errors (kUnsupported): lazily compiled code, code that is not
// position-independent (no builtin table).
Result<std::vector<uint8_t>> SerializeModule(const LoadedModule& module,
                                             const jit::CompileOptions& options);

// Loads the artifact at `path`: the code mapped from the file, the site tables used in place
// unchecked (WTRUN_CWASM_VERIFY=1: checked, and the content hash). Every error message is one line
// naming `path`: "PATH was compiled by wtrun V1 (this is wtrun V2): ...", "PATH needs CPU
// features this machine lacks: avx2, fma", "PATH is not a valid .cwasm (...)", ...
Result<std::shared_ptr<LoadedModule>> LoadPrecompiled(const std::string& path,
                                                      const PrecompiledOptions& options);
// The same from bytes in memory (the code copied into executable memory), the site tables
// checked in full; `name` is what the messages call it.
Result<std::shared_ptr<LoadedModule>> LoadPrecompiledBytes(std::span<const uint8_t> bytes,
                                                           std::string_view name,
                                                           const PrecompiledOptions& options);
// Serializes `module` (compiled eagerly with `options`) and loads the result from memory: for
// tests and `wtrun wast --compile cwasm`.
Result<std::shared_ptr<LoadedModule>> RoundTripPrecompiled(const LoadedModule& module,
                                                           const jit::CompileOptions& options);

// Every check but the content hash (LoadPrecompiledBytes, the result dropped). For the
// fuzzer and tests.
Status CheckPrecompiled(std::span<const uint8_t> bytes, std::string_view name,
                        const PrecompiledOptions& options);
// The content hash of everything after the header (not checked at load: it would read the
// whole file).
Status VerifyPrecompiledContent(std::span<const uint8_t> bytes, std::string_view name);

// For tests and the fuzzer: writes this build's version into `bytes` (an artifact) and, when
// its section table is within bounds, recomputes the tables and declarations hashes, so that a
// changed header field or table reaches the checks behind the version and the hashes. Returns
// false (nothing changed) for bytes shorter than the header.
bool ResealForTesting(std::span<uint8_t> bytes);

}  // namespace wt::runtime
