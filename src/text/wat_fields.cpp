// Module fields of the text format: the first pass (identifiers, index assignment, import
// order) and their encoding into sections.
#include <algorithm>

#include "text/literals.h"
#include "text/wat_parser.h"
#include "wasm/module.h"

namespace wt::text::wat_internal {
namespace {

constexpr uint32_t kDefaultPageLog2 = 16;

struct KindInfo {
  std::string_view keyword;
  Space space;
  wasm::ExternKind kind;
  const char* definition;  // for "import after ..."
};

constexpr KindInfo kKinds[] = {
    {"func", Space::kFunc, wasm::ExternKind::kFunc, "function"},
    {"table", Space::kTable, wasm::ExternKind::kTable, "table"},
    {"memory", Space::kMemory, wasm::ExternKind::kMemory, "memory"},
    {"global", Space::kGlobal, wasm::ExternKind::kGlobal, "global"},
    {"tag", Space::kTag, wasm::ExternKind::kTag, "tag"},
};

const KindInfo* FindKind(std::string_view kw) {
  for (const KindInfo& k : kKinds) {
    if (k.keyword == kw) return &k;
  }
  return nullptr;
}

}  // namespace

Status WatParser::CollectField(Field& f) {
  const Token* id = Peek().kind == TokenKind::kId ? &Peek() : nullptr;
  std::string_view kw = f.keyword;
  if (kw == "type") {
    WT_TRY(Bind(Space::kType, id));
    return Ok();
  }
  if (kw == "rec") {
    while (AtLParenKeyword("type")) {
      size_t open = pos_;
      pos_ += 2;
      const Token* tid = Peek().kind == TokenKind::kId ? &Peek() : nullptr;
      WT_TRY(Bind(Space::kType, tid));
      pos_ = match_[open] + 1;
    }
    if (!AtRParen()) return Unexpected(Peek());
    return Ok();
  }
  if (kw == "import") {
    for (int i = 0; i < 2; ++i) {
      if (Peek().kind != TokenKind::kString) return Unexpected(Peek());
      Next();
    }
    WT_TRY(ExpectLParen());
    const Token& kind_tok = Next();
    const KindInfo* k = kind_tok.kind == TokenKind::kKeyword ? FindKind(kind_tok.text) : nullptr;
    if (k == nullptr) return Unexpected(kind_tok);
    if (first_definition_ != nullptr) {
      return Fail(kind_tok, fmt::format("import after {}", first_definition_));
    }
    const Token* kid = Peek().kind == TokenKind::kId ? &Peek() : nullptr;
    WT_TRY_ASSIGN(f.index, Bind(k->space, kid));
    f.imported = true;
    if (k->space == Space::kFunc && kid != nullptr) func_names_.emplace_back(f.index, IdName(*kid));
    return Ok();
  }
  if (const KindInfo* k = FindKind(kw)) {
    if (id) Next();
    while (AtLParenKeyword("export")) pos_ = match_[pos_] + 1;
    if (AtLParenKeyword("import")) {
      if (first_definition_ != nullptr) {
        return Fail(Peek(1), fmt::format("import after {}", first_definition_));
      }
      f.imported = true;
    } else if (first_definition_ == nullptr) {
      first_definition_ = k->definition;
    }
    WT_TRY_ASSIGN(f.index, Bind(k->space, id));
    if (k->space == Space::kFunc && id != nullptr) func_names_.emplace_back(f.index, IdName(*id));
    if (!f.imported && (k->space == Space::kTable || k->space == Space::kMemory)) {
      // An inline (elem ...) or (data ...) defines an anonymous segment here.
      std::string_view seg = k->space == Space::kTable ? "elem" : "data";
      size_t close = f.end - 1;
      for (size_t p = pos_; p < close;) {
        if (toks_[p].kind == TokenKind::kLParen) {
          if (toks_[p + 1].kind == TokenKind::kKeyword && toks_[p + 1].text == seg) {
            WT_TRY_ASSIGN(f.inline_seg,
                          Bind(k->space == Space::kTable ? Space::kElem : Space::kData, nullptr));
            break;
          }
          p = match_[p] + 1;
        } else {
          ++p;
        }
      }
    }
    return Ok();
  }
  if (kw == "elem") {
    WT_TRY_ASSIGN(f.index, Bind(Space::kElem, id));
    return Ok();
  }
  if (kw == "data") {
    WT_TRY_ASSIGN(f.index, Bind(Space::kData, id));
    return Ok();
  }
  if (kw == "export" || kw == "start") return Ok();
  return Fail(toks_[f.begin + 1], fmt::format("unexpected token \"{}\"", kw));
}

Status WatParser::EncodeField(const Field& f) {
  std::string_view kw = f.keyword;
  if (kw == "import") return ParseImportField(f);
  if (kw == "func") return ParseFuncField(f);
  if (kw == "table") return ParseTableField(f);
  if (kw == "memory") return ParseMemoryField(f);
  if (kw == "global") return ParseGlobalField(f);
  if (kw == "tag") return ParseTagField(f);
  if (kw == "export") return ParseExportField();
  if (kw == "start") return ParseStartField(toks_[f.begin + 1]);
  if (kw == "elem") return ParseElemField(f);
  if (kw == "data") return ParseDataField(f);
  return Unexpected(toks_[f.begin + 1]);
}

Status WatParser::ParseInlineExports(wasm::ExternKind kind, uint32_t index) {
  while (AtLParenKeyword("export")) {
    pos_ += 2;
    WT_TRY_ASSIGN(std::string name, ParseString(true));
    WT_TRY(ExpectRParen());
    ++exports_.count;
    exports_.body.Name(name);
    exports_.body.U8(static_cast<uint8_t>(kind));
    exports_.body.U32(index);
  }
  return Ok();
}

Status WatParser::ParseInlineImport() {
  WT_TRY(ExpectLParen());
  WT_TRY(ExpectKeyword("import"));
  WT_TRY_ASSIGN(std::string module, ParseString(true));
  WT_TRY_ASSIGN(std::string name, ParseString(true));
  WT_TRY(ExpectRParen());
  ++imports_.count;
  imports_.body.Name(module);
  imports_.body.Name(name);
  return Ok();
}

Status WatParser::ParseImportField(const Field& f) {
  (void)f;
  WT_TRY_ASSIGN(std::string module, ParseString(true));
  WT_TRY_ASSIGN(std::string name, ParseString(true));
  ++imports_.count;
  imports_.body.Name(module);
  imports_.body.Name(name);
  WT_TRY(ExpectLParen());
  const Token& kw = Next();
  if (Peek().kind == TokenKind::kId) Next();
  BinaryWriter& w = imports_.body;
  if (kw.text == "func") {
    WT_TRY_ASSIGN(TypeUse use, ParseTypeUse(true));
    WT_TRY_ASSIGN(uint32_t type, ResolveTypeUse(use));
    w.U8(0x00);
    w.U32(type);
  } else if (kw.text == "table") {
    WT_TRY_ASSIGN(bool is64, ParseAddrType());
    wasm::Limits limits;
    WT_TRY(ParseLimits(is64, &limits));
    WT_TRY_ASSIGN(wasm::ValType rt, ParseRefType());
    w.U8(0x01);
    WriteValType(w, rt);
    WriteLimits(w, limits, is64, false, std::nullopt);
  } else if (kw.text == "memory") {
    WT_TRY_ASSIGN(bool is64, ParseAddrType());
    wasm::Limits limits;
    WT_TRY(ParseLimits(is64, &limits));
    bool shared = false;
    if (AtKeyword("shared")) {
      Next();
      shared = true;
    } else if (AtKeyword("unshared")) {
      Next();
    }
    std::optional<uint32_t> page_log2;
    if (AtLParenKeyword("pagesize")) {
      pos_ += 2;
      const Token& t = Peek();
      WT_TRY_ASSIGN(uint32_t size, ParseNat32());
      if (size == 0 || (size & (size - 1)) != 0) return Fail(t, "invalid custom page size");
      page_log2 = static_cast<uint32_t>(__builtin_ctz(size));
      WT_TRY(ExpectRParen());
    }
    w.U8(0x02);
    WriteLimits(w, limits, is64, shared, page_log2);
  } else if (kw.text == "global") {
    bool mut = false;
    wasm::ValType t;
    if (AtLParenKeyword("mut")) {
      pos_ += 2;
      mut = true;
      WT_TRY_ASSIGN(t, ParseValType());
      WT_TRY(ExpectRParen());
    } else {
      WT_TRY_ASSIGN(t, ParseValType());
    }
    w.U8(0x03);
    WriteValType(w, t);
    w.U8(mut ? 1 : 0);
  } else if (kw.text == "tag") {
    WT_TRY_ASSIGN(TypeUse use, ParseTypeUse(true));
    WT_TRY_ASSIGN(uint32_t type, ResolveTypeUse(use));
    w.U8(0x04);
    w.U8(0x00);
    w.U32(type);
  } else {
    return Unexpected(kw);
  }
  return ExpectRParen();
}

Status WatParser::ParseFuncField(const Field& f) {
  if (Peek().kind == TokenKind::kId) Next();
  WT_TRY(ParseInlineExports(wasm::ExternKind::kFunc, f.index));
  if (f.imported) {
    WT_TRY(ParseInlineImport());
    WT_TRY_ASSIGN(TypeUse use, ParseTypeUse(true));
    WT_TRY_ASSIGN(uint32_t type, ResolveTypeUse(use));
    imports_.body.U8(0x00);
    imports_.body.U32(type);
    return Ok();
  }
  WT_TRY_ASSIGN(TypeUse use, ParseTypeUse(true));
  WT_TRY_ASSIGN(uint32_t type, ResolveTypeUse(use));
  ++funcs_.count;
  funcs_.body.U32(type);

  FuncCtx fn;
  std::vector<std::pair<uint32_t, std::string>> names;
  auto bind_local = [&](const Token* id) -> Status {
    uint32_t index = fn.num_locals++;
    if (id != nullptr) {
      std::string name = IdName(*id);
      if (!fn.locals.emplace(name, index).second) {
        return Fail(*id, fmt::format("duplicate local {}", id->text));
      }
      names.emplace_back(index, std::move(name));
    }
    return Ok();
  };
  if (use.has_inline) {
    for (const Token* id : use.param_id_toks) WT_TRY(bind_local(id));
  } else if (const wasm::FuncType* ft = FuncTypeAt(type)) {
    fn.num_locals = static_cast<uint32_t>(ft->params.size());
  }
  std::vector<wasm::ValType> locals;
  while (AtLParenKeyword("local")) {
    pos_ += 2;
    if (Peek().kind == TokenKind::kId) {
      const Token& id = Next();
      WT_TRY(bind_local(&id));
      WT_TRY_ASSIGN(wasm::ValType t, ParseValType());
      locals.push_back(t);
    } else {
      while (!AtRParen()) {
        WT_TRY_ASSIGN(wasm::ValType t, ParseValType());
        WT_TRY(bind_local(nullptr));
        locals.push_back(t);
      }
    }
    WT_TRY(ExpectRParen());
  }

  BinaryWriter entry;
  // Run-length groups of equal local types.
  uint32_t groups = 0;
  for (size_t i = 0; i < locals.size(); ++i) {
    if (i == 0 || !(locals[i] == locals[i - 1])) ++groups;
  }
  entry.U32(groups);
  for (size_t i = 0; i < locals.size();) {
    size_t j = i;
    while (j < locals.size() && locals[j] == locals[i]) ++j;
    entry.U32(static_cast<uint32_t>(j - i));
    WriteValType(entry, locals[i]);
    i = j;
  }
  WT_TRY(ParseInstrs(entry, &fn));
  entry.U8(0x0B);
  ++codes_.count;
  codes_.body.U32(static_cast<uint32_t>(entry.size()));
  codes_.body.Append(entry);
  if (!names.empty()) local_names_.emplace_back(f.index, std::move(names));
  return Ok();
}

Status WatParser::ParseTableField(const Field& f) {
  if (Peek().kind == TokenKind::kId) Next();
  WT_TRY(ParseInlineExports(wasm::ExternKind::kTable, f.index));
  if (f.imported) WT_TRY(ParseInlineImport());
  WT_TRY_ASSIGN(bool is64, ParseAddrType());
  BinaryWriter& w = f.imported ? imports_.body : tables_.body;
  if (!f.imported) ++tables_.count;
  if (!f.imported && AtRefType()) {
    // (table addrtype? reftype (elem ...)): the table is sized by the segment.
    WT_TRY_ASSIGN(wasm::ValType rt, ParseRefType());
    WT_TRY(ExpectLParen());
    WT_TRY(ExpectKeyword("elem"));
    ElemItems items;
    if (AtLParen()) {
      WT_TRY(ParseElemExprs(items));
    } else if (rt == wasm::ValType::FuncRef()) {
      WT_TRY(ParseFuncIndices(items));
    } else {
      // The segment has the table's element type: write `ref.func x` expressions.
      items.exprs = true;
      while (AtIndex()) {
        WT_TRY_ASSIGN(uint32_t index, ParseIndex(Space::kFunc));
        ++items.vec.count;
        items.vec.body.U8(0xD2);
        items.vec.body.U32(index);
        items.vec.body.U8(0x0B);
      }
    }
    WT_TRY(ExpectRParen());
    wasm::Limits limits;
    limits.min = items.vec.count;
    limits.max = items.vec.count;
    WriteValType(w, rt);
    WriteLimits(w, limits, is64, false, std::nullopt);
    // The active segment at offset 0.
    BinaryWriter offset;
    offset.U8(is64 ? 0x42 : 0x41);
    offset.U8(0x00);
    offset.U8(0x0B);
    WriteElemSegment(wasm::SegmentMode::kActive, f.index, offset, rt, items);
    return Ok();
  }
  wasm::Limits limits;
  WT_TRY(ParseLimits(is64, &limits));
  WT_TRY_ASSIGN(wasm::ValType rt, ParseRefType());
  if (f.imported) {
    w.U8(0x01);
    WriteValType(w, rt);
    WriteLimits(w, limits, is64, false, std::nullopt);
    return Ok();
  }
  if (!AtRParen()) {
    // A table initializer expression.
    w.U8(0x40);
    w.U8(0x00);
    WriteValType(w, rt);
    WriteLimits(w, limits, is64, false, std::nullopt);
    return ParseConstExpr(w);
  }
  WriteValType(w, rt);
  WriteLimits(w, limits, is64, false, std::nullopt);
  return Ok();
}

Status WatParser::ParseMemoryField(const Field& f) {
  if (Peek().kind == TokenKind::kId) Next();
  WT_TRY(ParseInlineExports(wasm::ExternKind::kMemory, f.index));
  if (f.imported) WT_TRY(ParseInlineImport());
  WT_TRY_ASSIGN(bool is64, ParseAddrType());
  BinaryWriter& w = f.imported ? imports_.body : memories_.body;
  if (f.imported) {
    w.U8(0x02);
  } else {
    ++memories_.count;
  }
  auto parse_page_size = [&](std::optional<uint32_t>* out) -> Status {
    if (!AtLParenKeyword("pagesize")) return Ok();
    pos_ += 2;
    const Token& t = Peek();
    WT_TRY_ASSIGN(uint32_t size, ParseNat32());
    if (size == 0 || (size & (size - 1)) != 0) return Fail(t, "invalid custom page size");
    *out = static_cast<uint32_t>(__builtin_ctz(size));
    return ExpectRParen();
  };
  std::optional<uint32_t> page_log2;
  if (!f.imported && (AtLParenKeyword("data") || AtLParenKeyword("pagesize"))) {
    WT_TRY(parse_page_size(&page_log2));
    if (AtLParenKeyword("data")) {
      pos_ += 2;
      std::string bytes;
      WT_TRY(ParseDataStrings(&bytes));
      WT_TRY(ExpectRParen());
      uint64_t page = uint64_t{1} << page_log2.value_or(kDefaultPageLog2);
      wasm::Limits limits;
      limits.min = (bytes.size() + page - 1) / page;
      limits.max = limits.min;
      WriteLimits(w, limits, is64, false, page_log2);
      ++datas_.count;
      BinaryWriter& d = datas_.body;
      if (f.index == 0) {
        d.U8(0);
      } else {
        d.U8(2);
        d.U32(f.index);
      }
      d.U8(is64 ? 0x42 : 0x41);
      d.U8(0x00);
      d.U8(0x0B);
      d.Name(bytes);
      return Ok();
    }
    return Unexpected(Peek());
  }
  wasm::Limits limits;
  WT_TRY(ParseLimits(is64, &limits));
  bool shared = false;
  if (AtKeyword("shared")) {
    Next();
    shared = true;
  } else if (AtKeyword("unshared")) {
    Next();
  }
  WT_TRY(parse_page_size(&page_log2));
  WriteLimits(w, limits, is64, shared, page_log2);
  return Ok();
}

Status WatParser::ParseGlobalField(const Field& f) {
  if (Peek().kind == TokenKind::kId) Next();
  WT_TRY(ParseInlineExports(wasm::ExternKind::kGlobal, f.index));
  if (f.imported) WT_TRY(ParseInlineImport());
  bool mut = false;
  wasm::ValType t;
  if (AtLParenKeyword("mut")) {
    pos_ += 2;
    mut = true;
    WT_TRY_ASSIGN(t, ParseValType());
    WT_TRY(ExpectRParen());
  } else {
    WT_TRY_ASSIGN(t, ParseValType());
  }
  if (f.imported) {
    imports_.body.U8(0x03);
    WriteValType(imports_.body, t);
    imports_.body.U8(mut ? 1 : 0);
    return Ok();
  }
  ++globals_.count;
  WriteValType(globals_.body, t);
  globals_.body.U8(mut ? 1 : 0);
  return ParseConstExpr(globals_.body);
}

Status WatParser::ParseTagField(const Field& f) {
  if (Peek().kind == TokenKind::kId) Next();
  WT_TRY(ParseInlineExports(wasm::ExternKind::kTag, f.index));
  if (f.imported) WT_TRY(ParseInlineImport());
  WT_TRY_ASSIGN(TypeUse use, ParseTypeUse(true));
  WT_TRY_ASSIGN(uint32_t type, ResolveTypeUse(use));
  BinaryWriter& w = f.imported ? imports_.body : tags_.body;
  if (f.imported) {
    w.U8(0x04);
  } else {
    ++tags_.count;
  }
  w.U8(0x00);
  w.U32(type);
  return Ok();
}

Status WatParser::ParseExportField() {
  WT_TRY_ASSIGN(std::string name, ParseString(true));
  WT_TRY(ExpectLParen());
  const Token& kw = Next();
  const KindInfo* k = kw.kind == TokenKind::kKeyword ? FindKind(kw.text) : nullptr;
  if (k == nullptr) return Unexpected(kw);
  WT_TRY_ASSIGN(uint32_t index, ParseIndex(k->space));
  WT_TRY(ExpectRParen());
  ++exports_.count;
  exports_.body.Name(name);
  exports_.body.U8(static_cast<uint8_t>(k->kind));
  exports_.body.U32(index);
  return Ok();
}

Status WatParser::ParseStartField(const Token& kw) {
  WT_TRY_ASSIGN(uint32_t index, ParseIndex(Space::kFunc));
  if (start_) return Fail(kw, "multiple start sections");
  start_ = index;
  return Ok();
}

Status WatParser::ParseConstExpr(BinaryWriter& w) {
  WT_TRY(ParseInstrs(w, nullptr));
  w.U8(0x0B);
  return Ok();
}

Status WatParser::ParseOffset(BinaryWriter& w) {
  if (AtLParenKeyword("offset")) {
    pos_ += 2;
    WT_TRY(ParseConstExpr(w));
    return ExpectRParen();
  }
  if (!AtLParen()) return Unexpected(Peek());
  WT_TRY(ParseInstrs(w, nullptr, match_[pos_] + 1));
  w.U8(0x0B);
  return Ok();
}

Status WatParser::ParseElemExprs(ElemItems& items) {
  items.exprs = true;
  while (AtLParen()) {
    ++items.vec.count;
    if (AtLParenKeyword("item")) {
      pos_ += 2;
      WT_TRY(ParseConstExpr(items.vec.body));
      WT_TRY(ExpectRParen());
    } else {
      WT_TRY(ParseInstrs(items.vec.body, nullptr, match_[pos_] + 1));
      items.vec.body.U8(0x0B);
    }
  }
  return Ok();
}

Status WatParser::ParseFuncIndices(ElemItems& items) {
  while (AtIndex()) {
    WT_TRY_ASSIGN(uint32_t index, ParseIndex(Space::kFunc));
    ++items.vec.count;
    items.vec.body.U32(index);
  }
  return Ok();
}

void WatParser::WriteElemSegment(wasm::SegmentMode mode, uint32_t table, const BinaryWriter& offset,
                                 wasm::ValType type, const ElemItems& items) {
  // Function index lists (the binary's element kinds) have type (ref func); expressions keep
  // the written reference type.
  const bool funcref = type == wasm::ValType::FuncRef();
  const bool exprs = items.exprs;
  uint8_t flags = exprs ? 4 : 0;
  switch (mode) {
    case wasm::SegmentMode::kPassive:
      flags |= 1;
      break;
    case wasm::SegmentMode::kDeclarative:
      flags |= 3;
      break;
    case wasm::SegmentMode::kActive:
      if (table != 0 || !funcref) flags |= 2;
      break;
  }
  ++elems_.count;
  BinaryWriter& e = elems_.body;
  e.U8(flags);
  if (mode == wasm::SegmentMode::kActive) {
    if (flags & 2) e.U32(table);
    e.Append(offset);
  }
  if (flags & 3) {
    if (exprs) {
      WriteValType(e, type);
    } else {
      e.U8(0x00);
    }
  }
  e.U32(items.vec.count);
  e.Append(items.vec.body);
}

Status WatParser::ParseElemField(const Field& f) {
  (void)f;
  if (Peek().kind == TokenKind::kId) Next();
  wasm::SegmentMode mode = wasm::SegmentMode::kPassive;
  uint32_t table = 0;
  bool explicit_table = false;
  bool old_form = false;  // a bare table index: funcidx* may follow the offset directly
  BinaryWriter offset;
  if (AtKeyword("declare")) {
    Next();
    mode = wasm::SegmentMode::kDeclarative;
  } else {
    if (AtLParenKeyword("table")) {
      pos_ += 2;
      WT_TRY_ASSIGN(table, ParseIndex(Space::kTable));
      WT_TRY(ExpectRParen());
      explicit_table = true;
    } else if (Peek().kind == TokenKind::kNat) {
      // Old form (Wasm 1.0, still used by the threads proposal's tests):
      // (elem tableidx offset funcidx*).
      WT_TRY_ASSIGN(table, ParseIndex(Space::kTable));
      explicit_table = true;
      old_form = true;
    }
    if (AtLParen() && !AtLParenKeyword("ref")) {
      mode = wasm::SegmentMode::kActive;
      WT_TRY(ParseOffset(offset));
    } else if (explicit_table) {
      return Unexpected(Peek());
    }
  }
  ElemItems items;
  wasm::ValType rt = wasm::ValType::FuncRef();
  if (AtKeyword("func")) {
    Next();
    WT_TRY(ParseFuncIndices(items));
  } else if (AtRefType()) {
    WT_TRY_ASSIGN(rt, ParseRefType());
    WT_TRY(ParseElemExprs(items));
  } else if (mode == wasm::SegmentMode::kActive && (!explicit_table || old_form)) {
    WT_TRY(ParseFuncIndices(items));
  } else {
    return Unexpected(Peek());
  }
  WriteElemSegment(mode, table, offset, rt, items);
  return Ok();
}

Status WatParser::ParseDataStrings(std::string* out) {
  while (Peek().kind == TokenKind::kString) {
    WT_TRY_ASSIGN(std::string s, ParseString(false));
    out->append(s);
  }
  return Ok();
}

Status WatParser::ParseDataField(const Field& f) {
  (void)f;
  if (Peek().kind == TokenKind::kId) Next();
  bool active = false;
  uint32_t memory = 0;
  BinaryWriter offset;
  if (AtLParenKeyword("memory")) {
    pos_ += 2;
    WT_TRY_ASSIGN(memory, ParseIndex(Space::kMemory));
    WT_TRY(ExpectRParen());
    active = true;
    WT_TRY(ParseOffset(offset));
  } else if (Peek().kind == TokenKind::kNat) {
    WT_TRY_ASSIGN(memory, ParseIndex(Space::kMemory));
    active = true;
    WT_TRY(ParseOffset(offset));
  } else if (AtLParen()) {
    active = true;
    WT_TRY(ParseOffset(offset));
  }
  std::string bytes;
  WT_TRY(ParseDataStrings(&bytes));
  ++datas_.count;
  BinaryWriter& d = datas_.body;
  if (!active) {
    d.U8(1);
  } else if (memory == 0) {
    d.U8(0);
    d.Append(offset);
  } else {
    d.U8(2);
    d.U32(memory);
    d.Append(offset);
  }
  d.Name(bytes);
  return Ok();
}

}  // namespace wt::text::wat_internal
