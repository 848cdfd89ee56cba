#include "wasm/types.h"

#include <fmt/format.h>

namespace wt::wasm {

const char* ExternKindName(ExternKind kind) {
  switch (kind) {
    case ExternKind::kFunc:
      return "func";
    case ExternKind::kTable:
      return "table";
    case ExternKind::kMemory:
      return "memory";
    case ExternKind::kGlobal:
      return "global";
    case ExternKind::kTag:
      return "tag";
  }
  return "?";
}

std::string HeapTypeName(HeapType t) {
  switch (t.kind) {
    case HeapKind::kFunc:
      return "func";
    case HeapKind::kExtern:
      return "extern";
    case HeapKind::kAny:
      return "any";
    case HeapKind::kEq:
      return "eq";
    case HeapKind::kI31:
      return "i31";
    case HeapKind::kStruct:
      return "struct";
    case HeapKind::kArray:
      return "array";
    case HeapKind::kExn:
      return "exn";
    case HeapKind::kNoFunc:
      return "nofunc";
    case HeapKind::kNoExtern:
      return "noextern";
    case HeapKind::kNone:
      return "none";
    case HeapKind::kNoExn:
      return "noexn";
    case HeapKind::kIndex:
      return fmt::format("{}", t.index);
    case HeapKind::kBot:
      return "bot";
  }
  return "?";
}

std::string ValTypeName(ValType t) {
  switch (t.kind) {
    case ValKind::kI32:
      return "i32";
    case ValKind::kI64:
      return "i64";
    case ValKind::kF32:
      return "f32";
    case ValKind::kF64:
      return "f64";
    case ValKind::kV128:
      return "v128";
    case ValKind::kBot:
      return "bot";
    case ValKind::kRef:
      if (t.nullable && !t.heap.is_index()) {
        switch (t.heap.kind) {
          case HeapKind::kFunc:
            return "funcref";
          case HeapKind::kExtern:
            return "externref";
          default:
            return HeapTypeName(t.heap) + "ref";
        }
      }
      return fmt::format("(ref {}{})", t.nullable ? "null " : "", HeapTypeName(t.heap));
  }
  return "?";
}

}  // namespace wt::wasm
