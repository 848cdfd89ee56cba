// Wasm types, shaped for Wasm 3.0: reference types carry a heap type that is either abstract
// or a type index; the type section is a list of rec groups of sub types whose composite type
// is a function, struct or array.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wt::wasm {

// Binary type constructor codes (negative SLEB values as bytes).
enum class TypeCode : uint8_t {
  kI32 = 0x7F,
  kI64 = 0x7E,
  kF32 = 0x7D,
  kF64 = 0x7C,
  kV128 = 0x7B,
  kI8 = 0x78,   // packed (GC field storage)
  kI16 = 0x77,  // packed
  kNoExn = 0x74,
  kNoFunc = 0x73,
  kNoExtern = 0x72,
  kNone = 0x71,
  kFunc = 0x70,
  kExtern = 0x6F,
  kAny = 0x6E,
  kEq = 0x6D,
  kI31 = 0x6C,
  kStruct = 0x6B,
  kArray = 0x6A,
  kExn = 0x69,
  kRefNull = 0x63,  // (ref null ht)
  kRef = 0x64,      // (ref ht)
  kFuncType = 0x60,
  kStructType = 0x5F,
  kArrayType = 0x5E,
  kSubFinal = 0x4F,
  kSub = 0x50,
  kRec = 0x4E,
  kEmptyBlock = 0x40,
};

// Heap types. kIndex means a concrete type index (HeapType::index).
enum class HeapKind : uint8_t {
  kFunc,
  kExtern,
  kAny,
  kEq,
  kI31,
  kStruct,
  kArray,
  kExn,
  kNoFunc,
  kNoExtern,
  kNone,
  kNoExn,
  kIndex,
  kBot,  // validator only: subtype of every heap type
};

struct HeapType {
  HeapKind kind = HeapKind::kFunc;
  uint32_t index = 0;  // type index when kind == kIndex

  static HeapType Abstract(HeapKind k) { return HeapType{k, 0}; }
  static HeapType Index(uint32_t i) { return HeapType{HeapKind::kIndex, i}; }
  bool is_index() const { return kind == HeapKind::kIndex; }
  friend bool operator==(const HeapType&, const HeapType&) = default;
};

enum class ValKind : uint8_t { kI32, kI64, kF32, kF64, kV128, kRef, kBot /* validator: unknown */ };

// A value type: numeric, vector, or reference (nullable flag + heap type). Trivially copyable.
struct ValType {
  ValKind kind = ValKind::kI32;
  bool nullable = false;  // refs only
  HeapType heap{};        // refs only

  static constexpr ValType I32() { return ValType{ValKind::kI32, false, {}}; }
  static constexpr ValType I64() { return ValType{ValKind::kI64, false, {}}; }
  static constexpr ValType F32() { return ValType{ValKind::kF32, false, {}}; }
  static constexpr ValType F64() { return ValType{ValKind::kF64, false, {}}; }
  static constexpr ValType V128() { return ValType{ValKind::kV128, false, {}}; }
  static constexpr ValType Bot() { return ValType{ValKind::kBot, false, {}}; }
  static ValType Ref(HeapType ht, bool nullable) { return ValType{ValKind::kRef, nullable, ht}; }
  static ValType FuncRef() { return Ref(HeapType::Abstract(HeapKind::kFunc), true); }
  static ValType ExternRef() { return Ref(HeapType::Abstract(HeapKind::kExtern), true); }

  bool is_ref() const { return kind == ValKind::kRef; }
  bool is_num() const { return kind <= ValKind::kF64; }
  bool is_defaultable() const { return kind != ValKind::kRef || nullable; }
  friend bool operator==(const ValType& a, const ValType& b) {
    if (a.kind != b.kind) return false;
    if (a.kind != ValKind::kRef) return true;
    return a.nullable == b.nullable && a.heap == b.heap;
  }
};

// Field storage: a value type or a packed i8/i16.
enum class Packed : uint8_t { kNone, kI8, kI16 };
struct StorageType {
  ValType type{};  // unpacked type (i32 for packed fields)
  Packed packed = Packed::kNone;
  friend bool operator==(const StorageType&, const StorageType&) = default;
};
struct FieldType {
  StorageType storage{};
  bool mutable_ = false;
  friend bool operator==(const FieldType&, const FieldType&) = default;
};

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  friend bool operator==(const FuncType&, const FuncType&) = default;
};

enum class CompositeKind : uint8_t { kFunc, kStruct, kArray };

struct CompositeType {
  CompositeKind kind = CompositeKind::kFunc;
  FuncType func;                  // kFunc
  std::vector<FieldType> fields;  // kStruct: the fields; kArray: exactly one element field
};

struct SubType {
  bool final = true;
  std::vector<uint32_t> supers;  // at most one in Wasm 3.0
  CompositeType composite;
  uint32_t rec_group = 0;  // index into Module::rec_groups
};

struct RecGroup {
  uint32_t first = 0;  // first type index
  uint32_t count = 0;
};

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
};

enum class AddrType : uint8_t { kI32, kI64 };

struct TableType {
  ValType elem = ValType::FuncRef();
  Limits limits;
  AddrType addr = AddrType::kI32;
};

struct MemoryType {
  Limits limits;  // in pages
  AddrType addr = AddrType::kI32;
  bool shared = false;
  uint8_t page_size_log2 = 16;
};

struct GlobalType {
  ValType type{};
  bool mutable_ = false;
};

struct TagType {
  uint32_t type_index = 0;  // a function type with empty results
};

enum class ExternKind : uint8_t { kFunc = 0, kTable = 1, kMemory = 2, kGlobal = 3, kTag = 4 };

const char* ExternKindName(ExternKind kind);
std::string ValTypeName(ValType t);
std::string HeapTypeName(HeapType t);

}  // namespace wt::wasm
