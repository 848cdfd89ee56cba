// A decoded (not yet validated) module. Owns its bytes (a vector, or a read-only mapping of
// the file: ModuleBytes); code bodies, constant expressions, data segment contents and custom
// sections are byte ranges into them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "util/mapped_file.h"
#include "wasm/features.h"
#include "wasm/types.h"

namespace wt::wasm {

// A module's bytes: an owned vector or a shared read-only file mapping (util/mapped_file.h),
// read-only either way once decoded. Reads like a vector (data/size/[]/begin/end) and converts
// to std::span<const uint8_t> (span's range constructor). Copies share a mapping.
class ModuleBytes {
 public:
  ModuleBytes() = default;
  ModuleBytes(std::vector<uint8_t> bytes) : owned_(std::move(bytes)) {}  // NOLINT: implicit
  explicit ModuleBytes(std::shared_ptr<const util::MappedFile> mapping)
      : mapping_(std::move(mapping)) {}

  const uint8_t* data() const { return mapping_ ? mapping_->data() : owned_.data(); }
  size_t size() const { return mapping_ ? mapping_->size() : owned_.size(); }
  bool empty() const { return size() == 0; }
  const uint8_t* begin() const { return data(); }
  const uint8_t* end() const { return data() + size(); }
  uint8_t operator[](size_t i) const { return data()[i]; }
  bool mapped() const { return mapping_ != nullptr; }

  // The owned vector, for building a module by hand (tests); a mapping is copied first.
  std::vector<uint8_t>& vec() {
    if (mapping_) {
      owned_.assign(mapping_->data(), mapping_->data() + mapping_->size());
      mapping_.reset();
    }
    return owned_;
  }

 private:
  std::vector<uint8_t> owned_;
  std::shared_ptr<const util::MappedFile> mapping_;
};

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

// One code entry. Compact (no per-function allocation): the local declarations stay in the
// bytes, decoded (and checked) by the reader and decoded again on use through
// LocalDeclReader (code_reader.h).
struct Code {
  uint32_t num_local_decls = 0;  // entries of the locals vector (run-length, as encoded)
  uint64_t num_locals = 0;       // sum of their counts (params not included); <= 2^32-1
  ByteRange body;                // the instruction bytes (after the locals), ending with `end`
  ByteRange whole;  // the entire entry, size prefix excluded: the locals vector starts here
};

struct Module;
// All of a body's local declarations as one vector (tests, tools; code_reader.cpp). The
// validator and the compiler read them with LocalDeclReader (code_reader.h).
Result<std::vector<LocalDecl>> DecodeLocalDecls(const Module& m, const Code& code,
                                                const Features& f = Features::Wasm30());

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
  ModuleBytes bytes;

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
