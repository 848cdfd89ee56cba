// Validation of a decoded module (ErrorKind::kInvalid). Per-function validation is a proxy
// that sits in front of a consumer (the compiler): it checks and types each instruction, then
// the consumer emits it — one pass.
#pragma once

#include "util/result.h"
#include "wasm/features.h"
#include "wasm/module.h"
#include "wasm/validator_types.h"

namespace wt::wasm {

struct ValidateOptions {
  Features features = Features::Wasm30();
};

// Validates everything: types, imports, functions (all bodies), tables, memories, globals,
// exports, start, element and data segments, constant expressions.
Status ValidateModule(const Module& module, const ValidateOptions& options = {});

// Validates everything except the function bodies, and prepares `types` (the module's type
// relations) for FuncValidator (func_validator.h): a compiler validates each body as it
// compiles it.
Status ValidateModuleDecls(const Module& module, const ValidateOptions& options,
                           TypeContext* types);

class FuncValidator;
// Validates one defined function's body (index into Module::codes) with a FuncValidator made
// over the TypeContext from ValidateModuleDecls (reuse it across bodies).
Status ValidateFunctionBody(FuncValidator& validator, uint32_t code_index);

// [lazy] Validates every body (over `types` from ValidateModuleDecls) on `jobs` threads (the
// calling one included; 0: hardware_concurrency, capped at 8), compiling nothing. The error is
// the first invalid body in index order, as with the serial loop of ValidateModule.
Status ValidateBodies(const Module& module, const TypeContext& types, const Features& features,
                      uint32_t jobs = 0);

}  // namespace wt::wasm
