// What the baseline JIT supports: Wasm 2.0 without SIMD. Everything else is reported as
// kUnsupported "unsupported feature: NAME".
#include "jit/feature_check.h"
#include "wasm/features.h"

namespace wt::jit {

namespace {

Error UnsupportedFeature(wasm::Feature f) {
  return MakeError(ErrorKind::kUnsupported, "unsupported feature: {}", wasm::FeatureName(f));
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
      return UnsupportedFeature(wasm::Feature::kSimd);
    case wasm::ValKind::kRef:
      // Any function or extern reference is a pointer to the JIT, whether nullable or typed
      // (the instructions of later proposals are rejected by opcode).
      switch (t.heap.kind) {
        case wasm::HeapKind::kFunc:
        case wasm::HeapKind::kExtern:
        case wasm::HeapKind::kNoFunc:
        case wasm::HeapKind::kNoExtern:
        case wasm::HeapKind::kIndex:
          return JType::kRef;
        case wasm::HeapKind::kExn:
        case wasm::HeapKind::kNoExn:
          return UnsupportedFeature(wasm::Feature::kExceptions);
        default:
          return UnsupportedFeature(wasm::Feature::kGc);
      }
    case wasm::ValKind::kBot:
      break;
  }
  return MakeError(ErrorKind::kUnsupported, "unsupported value type");
}

Status CheckModuleFeatures(const wasm::Module& m) {
  for (const wasm::RecGroup& g : m.rec_groups)
    if (g.count != 1) return UnsupportedFeature(wasm::Feature::kGc);
  for (const wasm::SubType& st : m.types) {
    if (st.composite.kind != wasm::CompositeKind::kFunc || !st.final || !st.supers.empty())
      return UnsupportedFeature(wasm::Feature::kGc);
    for (const wasm::ValType& t : st.composite.func.params) WT_TRY(CheckValType(t));
    for (const wasm::ValType& t : st.composite.func.results) WT_TRY(CheckValType(t));
  }
  if (!m.tags.empty()) return UnsupportedFeature(wasm::Feature::kExceptions);
  if (m.memories.size() > 1) return UnsupportedFeature(wasm::Feature::kMultiMemory);
  for (const wasm::Memory& mem : m.memories) {
    if (mem.type.addr == wasm::AddrType::kI64) return UnsupportedFeature(wasm::Feature::kMemory64);
    if (mem.type.shared) return UnsupportedFeature(wasm::Feature::kThreads);
    if (mem.type.page_size_log2 != 16)
      return MakeError(ErrorKind::kUnsupported, "unsupported feature: custom-page-sizes");
  }
  for (const wasm::Table& t : m.tables) {
    if (t.type.addr == wasm::AddrType::kI64) return UnsupportedFeature(wasm::Feature::kMemory64);
    WT_TRY(CheckValType(t.type.elem));
  }
  for (const wasm::Global& g : m.globals) WT_TRY(CheckValType(g.type.type));
  return Ok();
}

}  // namespace wt::jit
