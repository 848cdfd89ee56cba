// The .wast script runner: runs every command of a script in order, one handler per command
// kind. Modules are decoded, validated, compiled by the JIT once and instantiated in one Store
// per script (with the `spectest` module and every `register`ed instance importable); actions
// run on the instances and assertions compare their results, traps and errors.
//
// A failure in one command does not stop the file. A module that fails (to decode, validate,
// compile — e.g. "unsupported feature: simd" — or instantiate) leaves no current module: the
// actions that follow fail and name the reason. assert_exception is skipped until wtrun has
// exceptions ("needs exceptions"), thread/wait until it has threads ("needs threads").
#pragma once

#include <string>
#include <string_view>

#include "jit/compiler.h"
#include "runtime/store_options.h"
#include "wasm/features.h"
#include "wast/outcome.h"

namespace wt::wast {

struct RunOptions {
  wasm::Features features = wasm::Features::Wasm30();
  // Keep a record for every command (for --json), not only for failures.
  bool keep_all_records = false;
  // [pool] What each script's Store is created with (an instance allocator, limits).
  // [limits] With `fuel` / `timeout`, the code is compiled with fuel / epoch checks and each
  // command (an invoke, an assert_* action, a module instantiation and its start function)
  // runs with the whole budget and a timeout counted from its start; running out is a trap.
  runtime::StoreOptions store_options;
  // [simd] The vector ISA cap every module is compiled with (CompileOptions::simd_isa; kAuto:
  // the host's best, capped by WTRUN_SIMD_ISA when set).
  jit::SimdIsa simd_isa = jit::SimdIsa::kAuto;
  // [lazy] When every module's bodies are compiled (CompileOptions::mode): eager (the
  // library's default) or lazy; `wtrun wast --compile` chooses (the CLI's default).
  jit::CompileMode compile_mode = jit::CompileMode::kEager;
  // [lazy] Every module compiled eagerly, serialized into an in-memory .cwasm artifact and run
  // from the artifact loaded back (runtime::RoundTripPrecompiled; `wtrun wast --compile cwasm`).
  bool via_cwasm = false;
};

// Reads and runs one script. A file that cannot be read or parsed gives one failed record
// (kind "file" or "script", at the error's line).
FileResult RunScriptFile(const std::string& path, const RunOptions& options);
// Runs a script given as text; `path` names it in messages.
FileResult RunScriptSource(std::string source, const std::string& path, const RunOptions& options);

}  // namespace wt::wast
