// A decoded (not yet validated) module. Owns its bytes; code bodies, constant expressions,
// data segment contents and custom sections are byte ranges into them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "wasm/features.h"
#include "wasm/types.h"

namespace wt::wasm {

// [offset, offset + size) in Module::bytes.
struct ByteRange {
  uint32_t offset = 0;
  uint32_t size = 0;
  uint32_t end() const { return offset + size; }
};

// A constant expression: its instruction bytes including the final `end`.
struct ConstExpr {
  ByteRange range;
};

struct Import {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::kFunc;
  uint32_t index = 0;  // index in the kind's index space (imports come first)
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::kFunc;
  uint32_t index = 0;
};

struct Func {
  uint32_t type_index = 0;
  bool imported = false;
};

struct Table {
  TableType type;
  bool imported = false;
  std::optional<ConstExpr> init;  // Wasm 3.0 table initializer
};

struct Memory {
  MemoryType type;
  bool imported = false;
};

struct Global {
  GlobalType type;
  bool imported = false;
  ConstExpr init;  // unused when imported
};

struct Tag {
  TagType type;
  bool imported = false;
};

enum class SegmentMode : uint8_t { kActive, kPassive, kDeclarative };

struct ElemSegment {
  SegmentMode mode = SegmentMode::kActive;
  uint32_t table_index = 0;
  ConstExpr offset;  // active only
  ValType elem_type = ValType::FuncRef();
  bool uses_exprs = false;             // element kinds 4..7: items are expressions
  std::vector<uint32_t> func_indices;  // !uses_exprs
  std::vector<ConstExpr> exprs;        // uses_exprs
  uint32_t size() const {
    return static_cast<uint32_t>(uses_exprs ? exprs.size() : func_indices.size());
  }
};

struct DataSegment {
  SegmentMode mode = SegmentMode::kActive;
  uint32_t memory_index = 0;
  ConstExpr offset;  // active only
  ByteRange init;
};

struct LocalDecl {
  uint32_t count = 0;
  ValType type{};
};

struct Code {
  std::vector<LocalDecl> locals;  // run-length as encoded; total checked <= 2^32-1... see reader
  uint64_t num_locals = 0;        // sum of counts (params not included)
  ByteRange body;                 // the instruction bytes (after the locals), ending with `end`
  ByteRange whole;                // the entire entry, size prefix excluded
};

struct CustomSection {
  std::string name;
  ByteRange contents;  // after the name
  // Index of the last non-custom section before it (0 = none), for placement.
  uint8_t after_section = 0;
};

struct NameMap {
  std::unordered_map<uint32_t, std::string> names;
};

struct Names {
  std::optional<std::string> module;
  NameMap functions;
  std::unordered_map<uint32_t, NameMap> locals;  // function index -> local names
};

struct Module {
  std::vector<uint8_t> bytes;

  std::vector<SubType> types;
  std::vector<RecGroup> rec_groups;
  std::vector<Import> imports;
  std::vector<Func> funcs;       // imports first
  std::vector<Table> tables;     // imports first
  std::vector<Memory> memories;  // imports first
  std::vector<Global> globals;   // imports first
  std::vector<Tag> tags;         // imports first
  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElemSegment> elems;
  std::vector<DataSegment> datas;
  std::optional<uint32_t> data_count;
  std::vector<Code> codes;  // one per defined function
  std::vector<CustomSection> customs;
  Names names;

  uint32_t num_imported_funcs = 0;
  uint32_t num_imported_tables = 0;
  uint32_t num_imported_memories = 0;
  uint32_t num_imported_globals = 0;
  uint32_t num_imported_tags = 0;

  // Functions that are referenced outside function bodies (exports, elements, globals and
  // other constant expressions): the set `ref.func` may name (C.refs in the spec).
  std::vector<uint32_t> declared_func_refs;  // sorted, unique; filled by the reader

  std::span<const uint8_t> Slice(ByteRange r) const {
    return std::span<const uint8_t>(bytes).subspan(r.offset, r.size);
  }
  // The function type of a type index that is a function type, or nullptr.
  const FuncType* GetFuncType(uint32_t type_index) const {
    if (type_index >= types.size()) return nullptr;
    const SubType& t = types[type_index];
    return t.composite.kind == CompositeKind::kFunc ? &t.composite.func : nullptr;
  }
  const FuncType& FuncSig(uint32_t func_index) const {
    return types[funcs[func_index].type_index].composite.func;
  }
};

}  // namespace wt::wasm
