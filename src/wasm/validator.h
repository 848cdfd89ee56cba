// Validation of a decoded module (ErrorKind::kInvalid). Per-function validation is a proxy
// that sits in front of a consumer (the compiler): it checks and types each instruction, then
// the consumer emits it — one pass.
#pragma once

#include "util/result.h"
#include "wasm/features.h"
#include "wasm/module.h"

namespace wt::wasm {

struct ValidateOptions {
  Features features = Features::Wasm30();
};

// Validates everything: types, imports, functions (all bodies), tables, memories, globals,
// exports, start, element and data segments, constant expressions.
Status ValidateModule(const Module& module, const ValidateOptions& options = {});

}  // namespace wt::wasm
