// What the baseline JIT supports: Wasm 2.0 without SIMD.
#pragma once

#include "jit/masm.h"
#include "util/result.h"
#include "wasm/module.h"
#include "wasm/types.h"

namespace wt::jit {

// The value kind of a value type; kUnsupported for v128 ("unsupported feature: simd") and for
// reference types beyond Wasm 2.0.
Result<JType> JTypeOf(const wasm::ValType& t);
// Module-level checks (types, memories, tables, tags, globals, segments): kUnsupported
// "unsupported feature: NAME" for anything beyond Wasm 2.0 without SIMD. Instructions are
// checked as they are compiled.
Status CheckModuleFeatures(const wasm::Module& module);

}  // namespace wt::jit
