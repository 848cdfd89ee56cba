// Binary decoder: bytes -> Module. Reports malformed input (ErrorKind::kMalformed) exactly as
// the spec's binary format distinguishes it; validation is separate (validator.h).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "util/result.h"
#include "wasm/features.h"
#include "wasm/module.h"

namespace wt::wasm {

struct ReadOptions {
  Features features = Features::Wasm30();
  // Also decode every function body instruction by instruction, so that malformed code is
  // reported here rather than during validation (the spec's order). On by default.
  bool check_code_syntax = true;
};

// Decodes a whole module. The module takes ownership of `bytes` (a vector or a mapping).
Result<Module> ReadModule(ModuleBytes bytes, const ReadOptions& options = {});
inline Result<Module> ReadModule(std::vector<uint8_t> bytes, const ReadOptions& options = {}) {
  return ReadModule(ModuleBytes(std::move(bytes)), options);
}

}  // namespace wt::wasm
