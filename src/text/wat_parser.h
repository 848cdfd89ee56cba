// Internal to the text front end: the module parser/encoder behind wat.h. Recursive descent over
// the token vector, encoding straight to the binary format. Split by area:
//   wat.cpp         driver (passes, section assembly, name section), token cursor
//   wat_types.cpp   value/heap/reference types, type definitions, type uses, limits
//   wat_fields.cpp  module fields (import, func, table, memory, global, export, elem, data, ...)
//   wat_instr.cpp   instructions (flat and folded, with an explicit stack)
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "text/binary_writer.h"
#include "text/lexer.h"
#include "text/wat.h"
#include "util/result.h"
#include "wasm/module.h"
#include "wasm/opcodes.h"
#include "wasm/types.h"

namespace wt::text::wat_internal {

// The index spaces that identifiers name at module level.
enum class Space : uint8_t { kType, kFunc, kTable, kMemory, kGlobal, kTag, kElem, kData, kCount };

struct IndexSpace {
  std::unordered_map<std::string, uint32_t> ids;
  uint32_t count = 0;
};

// A type in the type section (explicit or implicit).
struct TypeDef {
  wasm::SubType sub;
  uint32_t group_size = 1;                              // size of its rec group
  std::unordered_map<std::string, uint32_t> field_ids;  // struct field names
};

struct RecGroupDef {
  uint32_t first = 0;
  uint32_t count = 0;
  bool explicit_rec = false;  // written as (rec ...)
};

// A parsed type use: `(type x)? (param ...)* (result ...)*`.
struct TypeUse {
  std::optional<uint32_t> index;
  const Token* index_tok = nullptr;
  bool has_inline = false;  // any param or result given
  wasm::FuncType inline_type;
  std::vector<std::string> param_ids;  // one per inline param, empty when unnamed
  std::vector<const Token*> param_id_toks;
};

// Per-function context for instruction parsing.
struct FuncCtx {
  std::unordered_map<std::string, uint32_t> locals;
  uint32_t num_locals = 0;  // params + locals
};

// The items of an element segment: function indices, or expressions (each ending in `end`).
struct ElemItems {
  bool exprs = false;
  VecBuilder vec;
};

// A top-level module field.
struct Field {
  size_t begin = 0;  // the '(' token
  size_t end = 0;    // one past the matching ')'
  std::string_view keyword;
  uint32_t index = 0;       // its index in its space (func, table, ... ; elem, data)
  uint32_t inline_seg = 0;  // table: inline elem index; memory: inline data index
  bool imported = false;
};

class WatParser {
 public:
  WatParser(std::span<const Token> tokens, std::string_view filename, const WatOptions& options);

  Result<std::vector<uint8_t>> Encode(std::string_view module_id);

  // ---- token cursor (wat.cpp)
  const Token& Peek(size_t ahead = 0) const;
  const Token& Next();
  bool AtLParenKeyword(std::string_view kw, size_t ahead = 0) const;
  bool AtKeyword(std::string_view kw) const;
  bool AtRParen() const { return Peek().kind == TokenKind::kRParen; }
  bool AtLParen() const { return Peek().kind == TokenKind::kLParen; }
  Status ExpectLParen();
  Status ExpectRParen();
  Status ExpectKeyword(std::string_view kw);
  Error Fail(const Token& tok, std::string message) const;
  Error Unexpected(const Token& tok) const;
  // Position of the ')' matching the '(' at `open`.
  size_t MatchingParen(size_t open) const { return match_[open]; }
  // From just after a '(' whose position is `open`: skip to just after its ')'.
  void SkipTo(size_t pos) { pos_ = pos; }
  size_t pos() const { return pos_; }

  // A string token decoded to bytes; with `utf8`, the bytes must be valid UTF-8 (names).
  Result<std::string> ParseString(bool utf8);

  // ---- identifiers and indices (wat.cpp)
  static const char* SpaceName(Space s);
  IndexSpace& space(Space s) { return spaces_[static_cast<size_t>(s)]; }
  // Gives the next index of `s` to the optional id token; duplicate ids are malformed.
  Result<uint32_t> Bind(Space s, const Token* id);
  bool AtIndex() const;
  Result<uint32_t> ParseIndex(Space s);
  Result<uint32_t> ParseNat32();
  Result<uint64_t> ParseNat64();

  // ---- types (wat_types.cpp)
  bool AtValType() const;
  bool AtRefType() const;
  bool AtHeapType() const;
  Result<wasm::ValType> ParseValType();
  Result<wasm::ValType> ParseRefType();
  Result<wasm::HeapType> ParseHeapType();
  Result<wasm::StorageType> ParseStorageType();
  Result<wasm::FieldType> ParseFieldType();
  Status ParseTypeField(bool in_rec);  // after "(type"
  Status ParseRecField();              // after "(rec"
  Result<wasm::SubType> ParseSubType(TypeDef* def);
  Status ParseParams(std::vector<wasm::ValType>* out, std::vector<std::string>* ids,
                     std::vector<const Token*>* id_toks, bool allow_ids);
  Status ParseResults(std::vector<wasm::ValType>* out);
  Result<TypeUse> ParseTypeUse(bool allow_param_ids);
  // The type index of a type use, adding an implicit type when needed.
  Result<uint32_t> ResolveTypeUse(const TypeUse& use);
  uint32_t FindOrAddFuncType(const wasm::FuncType& ft);
  // Records the explicit types that implicit type uses may reuse (after pass 1.5).
  void IndexReusableTypes();
  // Params of a function type index, if it is one.
  const wasm::FuncType* FuncTypeAt(uint32_t index) const;
  Status ParseLimits(bool is64, wasm::Limits* out);
  Result<bool> ParseAddrType();  // optional "i32"/"i64": true for i64

  void WriteValType(BinaryWriter& w, wasm::ValType t) const;
  void WriteHeapType(BinaryWriter& w, wasm::HeapType h) const;
  void WriteSubType(BinaryWriter& w, const wasm::SubType& s) const;
  void WriteLimits(BinaryWriter& w, const wasm::Limits& l, bool is64, bool shared,
                   std::optional<uint32_t> page_log2) const;

  // ---- module fields (wat_fields.cpp)
  Status CollectField(Field& f);
  Status EncodeField(const Field& f);
  Status ParseImportField(const Field& f);
  Status ParseFuncField(const Field& f);
  Status ParseTableField(const Field& f);
  Status ParseMemoryField(const Field& f);
  Status ParseGlobalField(const Field& f);
  Status ParseTagField(const Field& f);
  Status ParseExportField();
  Status ParseStartField(const Token& kw);
  Status ParseElemField(const Field& f);
  Status ParseDataField(const Field& f);
  Status ParseInlineExports(wasm::ExternKind kind, uint32_t index);
  // `(import "m" "n")` of an inline import, writing the names into the import section.
  Status ParseInlineImport();
  // A constant expression up to the closing ')' (not consumed), plus `end`.
  Status ParseConstExpr(BinaryWriter& w);
  // An offset: `(offset instr*)` or one folded instruction.
  Status ParseOffset(BinaryWriter& w);
  // Element items: `(item instr*)` or one folded instruction, until ')'.
  Status ParseElemExprs(ElemItems& items);
  Status ParseFuncIndices(ElemItems& items);
  void WriteElemSegment(wasm::SegmentMode mode, uint32_t table, const BinaryWriter& offset,
                        wasm::ValType type, const ElemItems& items);
  Status ParseDataStrings(std::string* out);

  // ---- instructions (wat_instr.cpp)
  // Instructions up to the ')' closing the enclosing construct (not consumed).
  // With `limit`, also stops at that token position (one folded instruction).
  Status ParseInstrs(BinaryWriter& w, FuncCtx* fn, size_t limit = SIZE_MAX);
  Status ParsePlainInstr(wasm::Op op, const Token& op_tok, BinaryWriter& w, FuncCtx* fn);
  Status ParseBlockType(BinaryWriter& w);
  Status ParseMemArg(wasm::Imm imm, BinaryWriter& w);
  Status ParseTryTableHeader(BinaryWriter& w);
  Status ParseV128Const(BinaryWriter& w);
  Result<uint32_t> ParseLabel();
  Result<uint32_t> ParseLocal(FuncCtx* fn);
  Result<uint32_t> ParseLaneIndex();
  // Label of a block instruction (optional id), pushed on the label stack by the caller.
  Result<std::string> ParseOptLabelId();
  Status CheckEndLabel(const std::string& label);
  void PushLabel(const std::string& label);
  void PopLabel();

 public:
  std::span<const Token> toks_;
  std::string_view filename_;
  WatOptions options_;
  size_t pos_ = 0;
  Token eof_;
  std::vector<size_t> match_;

  IndexSpace spaces_[static_cast<size_t>(Space::kCount)];
  std::vector<TypeDef> types_;
  std::vector<RecGroupDef> groups_;
  uint32_t num_explicit_types_ = 0;
  std::vector<Field> fields_;

  // Function/local names for the name section.
  std::vector<std::pair<uint32_t, std::string>> func_names_;
  std::vector<std::pair<uint32_t, std::vector<std::pair<uint32_t, std::string>>>> local_names_;

  // Labels of the enclosing blocks, innermost last; "" when unnamed. label_depths_ maps a
  // name to the positions in labels_ that bind it, so a lookup does not scan the stack.
  std::vector<std::string> labels_;
  std::unordered_map<std::string, std::vector<size_t>> label_depths_;
  // Function types that an implicit type use may reuse, by their encoding.
  std::unordered_map<std::string, uint32_t> reusable_func_types_;

  // Sections under construction.
  VecBuilder imports_, funcs_, tables_, memories_, globals_, exports_, elems_, codes_, datas_,
      tags_;
  std::optional<uint32_t> start_;
  bool uses_data_count_ = false;
  // Import-after-definition check: the kind of the first definition seen, if any.
  const char* first_definition_ = nullptr;
};

}  // namespace wt::text::wat_internal
