// Loading a module file for `run` and `compile`: a .wasm (starts with "\0asm") or a .wat
// (anything else), decoded and (unless the caller validates while compiling) validated.
#pragma once

#include <string>

#include "util/result.h"
#include "wasm/features.h"
#include "wasm/module.h"

namespace wt::cli {

struct LoadedModule {
  wasm::Module module;
  bool from_text = false;
};

// Errors keep their kind (kIo, kMalformed, kInvalid); print them with DescribeModuleError.
// With `validate` false the module is only decoded: `run` hands it to runtime::LoadModule
// unvalidated, which validates the declarations and then each body in the JIT worker that
// compiles it (the same errors as wasm::ValidateModule, in the same order).
Result<LoadedModule> LoadModule(const std::string& path, const wasm::Features& features,
                                bool validate = true);

}  // namespace wt::cli
