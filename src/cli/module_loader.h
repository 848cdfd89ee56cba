// Loading a module file for `run` and `compile`: a .wasm (starts with "\0asm") or a .wat
// (anything else), decoded and validated.
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
Result<LoadedModule> LoadModule(const std::string& path, const wasm::Features& features);

}  // namespace wt::cli
