// Types in the text format: value, heap, reference and storage types, type definitions
// (rec groups, sub types, func/struct/array), type uses with implicit types, limits.
#include "text/literals.h"
#include "text/wat_parser.h"

namespace wt::text::wat_internal {
namespace {

using wasm::HeapKind;
using wasm::HeapType;
using wasm::ValType;

struct AbstractName {
  std::string_view heap;  // heap type keyword
  std::string_view ref;   // nullable reference abbreviation
  HeapKind kind;
  uint8_t code;
};

constexpr AbstractName kAbstract[] = {
    {"func", "funcref", HeapKind::kFunc, 0x70},
    {"extern", "externref", HeapKind::kExtern, 0x6F},
    {"any", "anyref", HeapKind::kAny, 0x6E},
    {"eq", "eqref", HeapKind::kEq, 0x6D},
    {"i31", "i31ref", HeapKind::kI31, 0x6C},
    {"struct", "structref", HeapKind::kStruct, 0x6B},
    {"array", "arrayref", HeapKind::kArray, 0x6A},
    {"exn", "exnref", HeapKind::kExn, 0x69},
    {"nofunc", "nullfuncref", HeapKind::kNoFunc, 0x73},
    {"noextern", "nullexternref", HeapKind::kNoExtern, 0x72},
    {"none", "nullref", HeapKind::kNone, 0x71},
    {"noexn", "nullexnref", HeapKind::kNoExn, 0x74},
};

const AbstractName* FindHeapKeyword(std::string_view kw) {
  for (const AbstractName& a : kAbstract) {
    if (a.heap == kw) return &a;
  }
  return nullptr;
}

const AbstractName* FindRefAbbrev(std::string_view kw) {
  for (const AbstractName& a : kAbstract) {
    if (a.ref == kw) return &a;
  }
  return nullptr;
}

uint8_t HeapCode(HeapKind k) {
  for (const AbstractName& a : kAbstract) {
    if (a.kind == k) return a.code;
  }
  return 0x70;
}

std::optional<ValType> NumericType(std::string_view kw) {
  if (kw == "i32") return ValType::I32();
  if (kw == "i64") return ValType::I64();
  if (kw == "f32") return ValType::F32();
  if (kw == "f64") return ValType::F64();
  if (kw == "v128") return ValType::V128();
  return std::nullopt;
}

}  // namespace

bool WatParser::AtRefType() const {
  const Token& t = Peek();
  if (t.kind == TokenKind::kKeyword) return FindRefAbbrev(t.text) != nullptr;
  return AtLParenKeyword("ref");
}

bool WatParser::AtValType() const {
  const Token& t = Peek();
  if (t.kind == TokenKind::kKeyword && NumericType(t.text)) return true;
  return AtRefType();
}

bool WatParser::AtHeapType() const {
  const Token& t = Peek();
  if (t.kind == TokenKind::kKeyword) return FindHeapKeyword(t.text) != nullptr;
  return t.kind == TokenKind::kNat || t.kind == TokenKind::kId;
}

Result<wasm::HeapType> WatParser::ParseHeapType() {
  const Token& t = Peek();
  if (t.kind == TokenKind::kKeyword) {
    const AbstractName* a = FindHeapKeyword(t.text);
    if (a == nullptr) return Unexpected(t);
    Next();
    return HeapType::Abstract(a->kind);
  }
  if (t.kind == TokenKind::kNat || t.kind == TokenKind::kId) {
    WT_TRY_ASSIGN(uint32_t index, ParseIndex(Space::kType));
    return HeapType::Index(index);
  }
  return Unexpected(t);
}

Result<wasm::ValType> WatParser::ParseRefType() {
  const Token& t = Peek();
  if (t.kind == TokenKind::kKeyword) {
    const AbstractName* a = FindRefAbbrev(t.text);
    if (a == nullptr) return Unexpected(t);
    Next();
    return ValType::Ref(HeapType::Abstract(a->kind), true);
  }
  if (!AtLParenKeyword("ref")) return Unexpected(t);
  pos_ += 2;
  bool nullable = false;
  if (AtKeyword("null")) {
    Next();
    nullable = true;
  }
  WT_TRY_ASSIGN(HeapType ht, ParseHeapType());
  WT_TRY(ExpectRParen());
  return ValType::Ref(ht, nullable);
}

Result<wasm::ValType> WatParser::ParseValType() {
  const Token& t = Peek();
  if (t.kind == TokenKind::kKeyword) {
    if (auto v = NumericType(t.text)) {
      Next();
      return *v;
    }
  }
  return ParseRefType();
}

Result<wasm::StorageType> WatParser::ParseStorageType() {
  wasm::StorageType st;
  if (AtKeyword("i8") || AtKeyword("i16")) {
    st.packed = Peek().text == "i8" ? wasm::Packed::kI8 : wasm::Packed::kI16;
    st.type = ValType::I32();
    Next();
    return st;
  }
  WT_TRY_ASSIGN(st.type, ParseValType());
  return st;
}

Result<wasm::FieldType> WatParser::ParseFieldType() {
  wasm::FieldType ft;
  if (AtLParenKeyword("mut")) {
    pos_ += 2;
    ft.mutable_ = true;
    WT_TRY_ASSIGN(ft.storage, ParseStorageType());
    WT_TRY(ExpectRParen());
    return ft;
  }
  WT_TRY_ASSIGN(ft.storage, ParseStorageType());
  return ft;
}

Status WatParser::ParseParams(std::vector<wasm::ValType>* out, std::vector<std::string>* ids,
                              std::vector<const Token*>* id_toks, bool allow_ids) {
  while (AtLParenKeyword("param")) {
    pos_ += 2;
    if (Peek().kind == TokenKind::kId) {
      const Token& id = Next();
      if (!allow_ids) return Unexpected(id);
      WT_TRY_ASSIGN(ValType t, ParseValType());
      out->push_back(t);
      if (ids) ids->push_back(IdName(id));
      if (id_toks) id_toks->push_back(&id);
    } else {
      while (!AtRParen()) {
        WT_TRY_ASSIGN(ValType t, ParseValType());
        out->push_back(t);
        if (ids) ids->emplace_back();
        if (id_toks) id_toks->push_back(nullptr);
      }
    }
    WT_TRY(ExpectRParen());
  }
  return Ok();
}

Status WatParser::ParseResults(std::vector<wasm::ValType>* out) {
  while (AtLParenKeyword("result")) {
    pos_ += 2;
    while (!AtRParen()) {
      WT_TRY_ASSIGN(ValType t, ParseValType());
      out->push_back(t);
    }
    WT_TRY(ExpectRParen());
  }
  return Ok();
}

Result<wasm::SubType> WatParser::ParseSubType(TypeDef* def) {
  wasm::SubType sub;
  bool wrapped = false;
  if (AtLParenKeyword("sub")) {
    pos_ += 2;
    wrapped = true;
    sub.final = false;
    if (AtKeyword("final")) {
      Next();
      sub.final = true;
    }
    while (AtIndex()) {
      WT_TRY_ASSIGN(uint32_t super, ParseIndex(Space::kType));
      sub.supers.push_back(super);
    }
  }
  WT_TRY(ExpectLParen());
  const Token& kw = Next();
  wasm::CompositeType& ct = sub.composite;
  if (kw.kind == TokenKind::kKeyword && kw.text == "func") {
    ct.kind = wasm::CompositeKind::kFunc;
    WT_TRY(ParseParams(&ct.func.params, nullptr, nullptr, true));
    WT_TRY(ParseResults(&ct.func.results));
  } else if (kw.kind == TokenKind::kKeyword && kw.text == "struct") {
    ct.kind = wasm::CompositeKind::kStruct;
    while (AtLParenKeyword("field")) {
      pos_ += 2;
      if (Peek().kind == TokenKind::kId) {
        const Token& id = Next();
        auto index = static_cast<uint32_t>(ct.fields.size());
        if (!def->field_ids.emplace(IdName(id), index).second) {
          return Fail(id, fmt::format("duplicate field {}", id.text));
        }
        WT_TRY_ASSIGN(wasm::FieldType ft, ParseFieldType());
        ct.fields.push_back(ft);
      } else {
        while (!AtRParen()) {
          WT_TRY_ASSIGN(wasm::FieldType ft, ParseFieldType());
          ct.fields.push_back(ft);
        }
      }
      WT_TRY(ExpectRParen());
    }
  } else if (kw.kind == TokenKind::kKeyword && kw.text == "array") {
    ct.kind = wasm::CompositeKind::kArray;
    WT_TRY_ASSIGN(wasm::FieldType ft, ParseFieldType());
    ct.fields.push_back(ft);
  } else {
    return Unexpected(kw);
  }
  WT_TRY(ExpectRParen());
  if (wrapped) WT_TRY(ExpectRParen());
  return sub;
}

Status WatParser::ParseTypeField(bool in_rec) {
  if (Peek().kind == TokenKind::kId) Next();
  TypeDef def;
  WT_TRY_ASSIGN(def.sub, ParseSubType(&def));
  auto index = static_cast<uint32_t>(types_.size());
  if (!in_rec) {
    def.sub.rec_group = static_cast<uint32_t>(groups_.size());
    groups_.push_back(RecGroupDef{index, 1, false});
  }
  types_.push_back(std::move(def));
  return Ok();
}

Status WatParser::ParseRecField() {
  auto first = static_cast<uint32_t>(types_.size());
  auto group = static_cast<uint32_t>(groups_.size());
  while (AtLParenKeyword("type")) {
    pos_ += 2;
    WT_TRY(ParseTypeField(true));
    WT_TRY(ExpectRParen());
  }
  auto count = static_cast<uint32_t>(types_.size()) - first;
  for (uint32_t i = first; i < first + count; ++i) {
    types_[i].group_size = count;
    types_[i].sub.rec_group = group;
  }
  groups_.push_back(RecGroupDef{first, count, true});
  return Ok();
}

Result<TypeUse> WatParser::ParseTypeUse(bool allow_param_ids) {
  TypeUse use;
  if (AtLParenKeyword("type")) {
    pos_ += 2;
    use.index_tok = &Peek();
    WT_TRY_ASSIGN(use.index, ParseIndex(Space::kType));
    WT_TRY(ExpectRParen());
  }
  size_t before = pos_;
  WT_TRY(ParseParams(&use.inline_type.params, &use.param_ids, &use.param_id_toks, allow_param_ids));
  WT_TRY(ParseResults(&use.inline_type.results));
  if (AtLParenKeyword("param")) return Unexpected(Peek(1));
  use.has_inline = pos_ != before;
  return use;
}

const wasm::FuncType* WatParser::FuncTypeAt(uint32_t index) const {
  if (index >= types_.size()) return nullptr;
  const wasm::SubType& s = types_[index].sub;
  return s.composite.kind == wasm::CompositeKind::kFunc ? &s.composite.func : nullptr;
}

namespace {

// The key of a function type for reuse by implicit type uses: its binary encoding.
std::string FuncTypeKey(const WatParser& p, const wasm::FuncType& ft) {
  wasm::SubType sub;
  sub.composite.kind = wasm::CompositeKind::kFunc;
  sub.composite.func = ft;
  BinaryWriter w;
  p.WriteSubType(w, sub);
  return std::string(w.bytes().begin(), w.bytes().end());
}

}  // namespace

void WatParser::IndexReusableTypes() {
  for (size_t i = 0; i < types_.size(); ++i) {
    const TypeDef& d = types_[i];
    if (d.group_size == 1 && d.sub.final && d.sub.supers.empty() &&
        d.sub.composite.kind == wasm::CompositeKind::kFunc) {
      reusable_func_types_.emplace(FuncTypeKey(*this, d.sub.composite.func),
                                   static_cast<uint32_t>(i));
    }
  }
}

uint32_t WatParser::FindOrAddFuncType(const wasm::FuncType& ft) {
  std::string key = FuncTypeKey(*this, ft);
  auto it = reusable_func_types_.find(key);
  if (it != reusable_func_types_.end()) return it->second;
  auto index = static_cast<uint32_t>(types_.size());
  TypeDef def;
  def.sub.composite.kind = wasm::CompositeKind::kFunc;
  def.sub.composite.func = ft;
  def.sub.rec_group = static_cast<uint32_t>(groups_.size());
  groups_.push_back(RecGroupDef{index, 1, false});
  types_.push_back(std::move(def));
  reusable_func_types_.emplace(std::move(key), index);
  return index;
}

Result<uint32_t> WatParser::ResolveTypeUse(const TypeUse& use) {
  if (use.index) {
    if (use.has_inline) {
      const wasm::FuncType* ft = FuncTypeAt(*use.index);
      if (ft == nullptr) return Fail(*use.index_tok, "unknown type");
      if (!(*ft == use.inline_type)) return Fail(*use.index_tok, "inline function type");
    }
    return *use.index;
  }
  return FindOrAddFuncType(use.inline_type);
}

Result<bool> WatParser::ParseAddrType() {
  if (AtKeyword("i64")) {
    Next();
    return true;
  }
  if (AtKeyword("i32")) Next();
  return false;
}

Status WatParser::ParseLimits(bool is64, wasm::Limits* out) {
  // Wasm 3.0 reads limits as u64 for both address types; validation checks the range.
  if (is64 || options_.features.has(wasm::Feature::kMemory64)) {
    WT_TRY_ASSIGN(out->min, ParseNat64());
    if (Peek().kind == TokenKind::kNat) {
      WT_TRY_ASSIGN(uint64_t max, ParseNat64());
      out->max = max;
    }
  } else {
    WT_TRY_ASSIGN(out->min, ParseNat32());
    if (Peek().kind == TokenKind::kNat) {
      WT_TRY_ASSIGN(uint32_t max, ParseNat32());
      out->max = max;
    }
  }
  return Ok();
}

void WatParser::WriteHeapType(BinaryWriter& w, wasm::HeapType h) const {
  if (h.is_index()) {
    w.S64(static_cast<int64_t>(h.index));
  } else {
    w.U8(HeapCode(h.kind));
  }
}

void WatParser::WriteValType(BinaryWriter& w, wasm::ValType t) const {
  switch (t.kind) {
    case wasm::ValKind::kI32:
      w.U8(0x7F);
      return;
    case wasm::ValKind::kI64:
      w.U8(0x7E);
      return;
    case wasm::ValKind::kF32:
      w.U8(0x7D);
      return;
    case wasm::ValKind::kF64:
      w.U8(0x7C);
      return;
    case wasm::ValKind::kV128:
      w.U8(0x7B);
      return;
    case wasm::ValKind::kRef:
    case wasm::ValKind::kBot:
      break;
  }
  if (t.nullable && !t.heap.is_index()) {
    w.U8(HeapCode(t.heap.kind));
    return;
  }
  w.U8(t.nullable ? 0x63 : 0x64);
  WriteHeapType(w, t.heap);
}

void WatParser::WriteSubType(BinaryWriter& w, const wasm::SubType& s) const {
  if (!s.final || !s.supers.empty()) {
    w.U8(s.final ? 0x4F : 0x50);
    w.U32(static_cast<uint32_t>(s.supers.size()));
    for (uint32_t super : s.supers) w.U32(super);
  }
  const wasm::CompositeType& ct = s.composite;
  auto write_field = [&](const wasm::FieldType& f) {
    switch (f.storage.packed) {
      case wasm::Packed::kI8:
        w.U8(0x78);
        break;
      case wasm::Packed::kI16:
        w.U8(0x77);
        break;
      case wasm::Packed::kNone:
        WriteValType(w, f.storage.type);
        break;
    }
    w.U8(f.mutable_ ? 1 : 0);
  };
  switch (ct.kind) {
    case wasm::CompositeKind::kFunc:
      w.U8(0x60);
      w.U32(static_cast<uint32_t>(ct.func.params.size()));
      for (const ValType& t : ct.func.params) WriteValType(w, t);
      w.U32(static_cast<uint32_t>(ct.func.results.size()));
      for (const ValType& t : ct.func.results) WriteValType(w, t);
      break;
    case wasm::CompositeKind::kStruct:
      w.U8(0x5F);
      w.U32(static_cast<uint32_t>(ct.fields.size()));
      for (const wasm::FieldType& f : ct.fields) write_field(f);
      break;
    case wasm::CompositeKind::kArray:
      w.U8(0x5E);
      if (!ct.fields.empty()) write_field(ct.fields[0]);
      break;
  }
}

void WatParser::WriteLimits(BinaryWriter& w, const wasm::Limits& l, bool is64, bool shared,
                            std::optional<uint32_t> page_log2) const {
  uint8_t flags = (l.max ? 1 : 0) | (shared ? 2 : 0) | (is64 ? 4 : 0) | (page_log2 ? 8 : 0);
  w.U8(flags);
  w.U64(l.min);
  if (l.max) w.U64(*l.max);
  if (page_log2) w.U32(*page_log2);
}

}  // namespace wt::text::wat_internal
