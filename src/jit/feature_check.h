// What the baseline JIT supports: Wasm 2.0 (with SIMD) plus relaxed SIMD.
#pragma once

#include "jit/masm.h"
#include "util/result.h"
#include "wasm/module.h"
#include "wasm/types.h"

namespace wt::jit {

// kUnsupported "unsupported feature: NAME" for an instruction or module part of feature `f`
// (NAME is the --features name, except "legacy exceptions" and "custom page sizes").
Error UnsupportedFeatureError(wasm::Feature f);
// The value kind of a value type (v128 -> kV128); kUnsupported for reference types beyond
// Wasm 2.0.
Result<JType> JTypeOf(const wasm::ValType& t);
// Module-level checks (types, memories, tables, tags, globals, segments): kUnsupported
// "unsupported feature: NAME" for anything beyond Wasm 2.0. Instructions are
// checked as they are compiled. A module with tags whose code uses the legacy exception
// opcodes is reported as "legacy exceptions" (what it needs first), else as "exceptions".
Status CheckModuleFeatures(const wasm::Module& module);

}  // namespace wt::jit
