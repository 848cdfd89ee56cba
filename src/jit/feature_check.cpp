// What the baseline JIT supports: Wasm 2.0 (SIMD included) and relaxed SIMD, the Wasm 3.0
// proposals, GC as far as its opcodes are compiled. Everything else is
// reported as kUnsupported "unsupported feature: NAME".
#include "jit/feature_check.h"
#include "wasm/features.h"
#include "wasm/opcodes.h"

namespace wt::jit {

Error UnsupportedFeatureError(wasm::Feature f) {
  if (f == wasm::Feature::kLegacyExceptions) {
    return MakeError(ErrorKind::kUnsupported, "unsupported feature: legacy exceptions");
  }
  if (f == wasm::Feature::kCustomPageSizes) {
    return MakeError(ErrorKind::kUnsupported, "unsupported feature: custom page sizes");
  }
  return MakeError(ErrorKind::kUnsupported, "unsupported feature: {}", wasm::FeatureName(f));
}

namespace {

Error UnsupportedFeature(wasm::Feature f) {
  return UnsupportedFeatureError(f);
}

Status CheckValType(const wasm::ValType& t) {
  return JTypeOf(t).ok() ? Ok() : Status(JTypeOf(t).error());
}

}  // namespace

Result<JType> JTypeOf(const wasm::ValType& t) {
  switch (t.kind) {
    case wasm::ValKind::kI32:
      return JType::kI32;
    case wasm::ValKind::kI64:
      return JType::kI64;
    case wasm::ValKind::kF32:
      return JType::kF32;
    case wasm::ValKind::kF64:
      return JType::kF64;
    case wasm::ValKind::kV128:
      return JType::kV128;
    case wasm::ValKind::kRef:
      // [wasmgc] Every reference is one pointer-sized word to the JIT, whatever its heap type
      // or nullability (runtime/gc/object.h: 0 null, odd i31, else a GcHeader or a FuncRef).
      // Instructions the JIT does not compile yet are rejected by opcode.
      if (t.heap.kind == wasm::HeapKind::kBot) break;
      return JType::kRef;
    case wasm::ValKind::kBot:
      break;
  }
  return MakeError(ErrorKind::kUnsupported, "unsupported value type");
}

Status CheckModuleFeatures(const wasm::Module& m) {
  // [wasm3] R: recursion groups are canonicalized iso-recursively (runtime/type_registry.h).
  // [wasmgc] Declared supertypes and non-final types: casts and call_indirect/call_ref check
  // subtyping through the canonical types (compiler_gc_casts.h); struct and array types are
  // laid out by runtime/gc/object.h.
  for (const wasm::SubType& st : m.types) {
    if (st.composite.kind != wasm::CompositeKind::kFunc) continue;
    for (const wasm::ValType& t : st.composite.func.params) WT_TRY(CheckValType(t));
    for (const wasm::ValType& t : st.composite.func.results) WT_TRY(CheckValType(t));
  }
  // [exceptions] Tags, throw, throw_ref, try_table and the legacy instructions (try, catch,
  // catch_all, delegate, rethrow) are compiled (docs/exceptions.md).
  for (const wasm::Memory& mem : m.memories) {
    if (mem.type.shared) return UnsupportedFeature(wasm::Feature::kThreads);
    // memory.size/grow and the bounds checks assume 64 KiB pages.
    if (mem.type.page_size_log2 != 16) return UnsupportedFeature(wasm::Feature::kCustomPageSizes);
  }
  for (const wasm::Table& t : m.tables) {
    WT_TRY(CheckValType(t.type.elem));
  }
  for (const wasm::Global& g : m.globals) WT_TRY(CheckValType(g.type.type));
  return Ok();
}

}  // namespace wt::jit
