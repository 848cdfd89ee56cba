// Value constructors and printing.
#include <cstring>

#include <fmt/format.h>

#include "runtime/gc/object.h"
#include "runtime/runtime.h"

namespace wt::runtime {

Value Value::I32(uint32_t v) {
  Value r;
  r.type = wasm::ValType::I32();
  r.bits.i32 = v;
  return r;
}

Value Value::I64(uint64_t v) {
  Value r;
  r.type = wasm::ValType::I64();
  r.bits.i64 = v;
  return r;
}

Value Value::F32(float v) {
  Value r;
  r.type = wasm::ValType::F32();
  r.bits.f32 = v;
  return r;
}

Value Value::F32Bits(uint32_t b) {
  Value r;
  r.type = wasm::ValType::F32();
  r.bits.i32 = b;
  return r;
}

Value Value::F64(double v) {
  Value r;
  r.type = wasm::ValType::F64();
  r.bits.f64 = v;
  return r;
}

Value Value::F64Bits(uint64_t b) {
  Value r;
  r.type = wasm::ValType::F64();
  r.bits.i64 = b;
  return r;
}

Value Value::V128(const uint8_t bytes[16]) {
  Value r;
  r.type = wasm::ValType::V128();
  std::memcpy(r.bits.v128, bytes, 16);
  return r;
}

Value Value::Ref(wasm::ValType type, const void* ref) {
  Value r;
  r.type = type;
  r.bits.ref = const_cast<void*>(ref);
  return r;
}

Value Value::FuncRefOf(const Func* f) {
  return Ref(wasm::ValType::FuncRef(), f ? f->ref() : nullptr);
}

Value Value::ExternRef(const void* ref) {
  return Ref(wasm::ValType::ExternRef(), ref);
}

Value Value::Default(wasm::ValType type) {
  Value r;
  r.type = type;
  return r;
}

const Func* Value::func() const {
  if (!type.is_ref() || bits.ref == nullptr) return nullptr;
  return Func::FromRef(static_cast<const FuncRef*>(bits.ref));
}

std::string ValueToString(const Value& v) {
  switch (v.type.kind) {
    case wasm::ValKind::kI32:
      return fmt::format("i32:{}", v.bits.i32);
    case wasm::ValKind::kI64:
      return fmt::format("i64:{}", v.bits.i64);
    case wasm::ValKind::kF32:
      return fmt::format("f32:{:#x} ({})", v.bits.i32, v.bits.f32);
    case wasm::ValKind::kF64:
      return fmt::format("f64:{:#x} ({})", v.bits.i64, v.bits.f64);
    case wasm::ValKind::kV128: {
      std::string s = "v128:";
      for (int i = 0; i < 16; ++i) s += fmt::format("{:02x}", v.bits.v128[i]);
      return s;
    }
    case wasm::ValKind::kRef:
      if (v.bits.ref == nullptr) return fmt::format("{}:null", wasm::ValTypeName(v.type));
      if (gc::IsI31(v.bits.ref)) {  // [wasmgc] (v << 1) | 1: the value, sign-extended
        const auto word = static_cast<uint32_t>(reinterpret_cast<uintptr_t>(v.bits.ref));
        return fmt::format("{}:i31 {}", wasm::ValTypeName(v.type), static_cast<int32_t>(word) >> 1);
      }
      return fmt::format("{}:{}", wasm::ValTypeName(v.type), v.bits.ref);
    case wasm::ValKind::kBot:
      break;
  }
  return "?";
}

}  // namespace wt::runtime
