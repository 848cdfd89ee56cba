// The text format driver: token cursor, identifiers, the passes over module fields, and the
// assembly of sections (with the name section).
#include "text/wat.h"

#include <algorithm>

#include "text/literals.h"
#include "text/wat_parser.h"
#include "wasm/binary.h"

namespace wt::text {
namespace wat_internal {

WatParser::WatParser(std::span<const Token> tokens, std::string_view filename,
                     const WatOptions& options)
    : toks_(tokens), filename_(filename), options_(options) {
  eof_.kind = TokenKind::kEof;
  if (!tokens.empty()) {
    eof_.line = tokens.back().line;
    eof_.column = tokens.back().column + static_cast<uint32_t>(tokens.back().text.size());
  }
}

// ---- token cursor

const Token& WatParser::Peek(size_t ahead) const {
  size_t i = pos_ + ahead;
  if (i < toks_.size() && toks_[i].kind != TokenKind::kEof) return toks_[i];
  return eof_;
}

const Token& WatParser::Next() {
  const Token& t = Peek();
  if (pos_ < toks_.size()) ++pos_;
  return t;
}

bool WatParser::AtLParenKeyword(std::string_view kw, size_t ahead) const {
  const Token& a = Peek(ahead);
  const Token& b = Peek(ahead + 1);
  return a.kind == TokenKind::kLParen && b.kind == TokenKind::kKeyword && b.text == kw;
}

bool WatParser::AtKeyword(std::string_view kw) const {
  const Token& t = Peek();
  return t.kind == TokenKind::kKeyword && t.text == kw;
}

Error WatParser::Fail(const Token& tok, std::string message) const {
  Error e{ErrorKind::kMalformed, std::move(message), SIZE_MAX, Location(filename_, tok)};
  return e;
}

namespace {

// Keywords of the text and script formats other than instruction mnemonics.
constexpr std::string_view kKeywords[] = {
    "module",
    "type",
    "func",
    "param",
    "result",
    "local",
    "global",
    "table",
    "memory",
    "elem",
    "data",
    "import",
    "export",
    "start",
    "mut",
    "offset",
    "item",
    "declare",
    "then",
    "else",
    "end",
    "rec",
    "sub",
    "final",
    "struct",
    "array",
    "field",
    "ref",
    "null",
    "tag",
    "do",
    "delegate",
    "catch",
    "catch_ref",
    "catch_all",
    "catch_all_ref",
    "shared",
    "unshared",
    "pagesize",
    "quote",
    "binary",
    "definition",
    "instance",
    "i8",
    "i16",
    "i32",
    "i64",
    "f32",
    "f64",
    "v128",
    "i8x16",
    "i16x8",
    "i32x4",
    "i64x2",
    "f32x4",
    "f64x2",
    "funcref",
    "externref",
    "anyref",
    "eqref",
    "i31ref",
    "structref",
    "arrayref",
    "exnref",
    "nullref",
    "nullfuncref",
    "nullexternref",
    "nullexnref",
    "any",
    "eq",
    "i31",
    "exn",
    "none",
    "nofunc",
    "noextern",
    "noexn",
    "extern",
    "register",
    "invoke",
    "get",
    "either",
    "thread",
    "wait",
    "nan:canonical",
    "nan:arithmetic",
};

bool IsKnownKeyword(std::string_view kw) {
  if (wasm::LookupOpByText(kw)) return true;
  for (std::string_view k : kKeywords) {
    if (k == kw) return true;
  }
  if (kw.starts_with("assert_")) return true;
  if (kw.starts_with("offset=")) return ParseU64(kw.substr(7)).has_value();
  if (kw.starts_with("align=")) return ParseU64(kw.substr(6)).has_value();
  return false;
}

}  // namespace

Error WatParser::Unexpected(const Token& tok) const {
  if (tok.kind == TokenKind::kEof) return Fail(tok, "unexpected end");
  if (tok.kind == TokenKind::kReserved ||
      (tok.kind == TokenKind::kKeyword && !IsKnownKeyword(tok.text))) {
    return Fail(tok, fmt::format("unknown operator {}", tok.text));
  }
  return Fail(tok, fmt::format("unexpected token \"{}\"", tok.text));
}

Status WatParser::ExpectLParen() {
  if (Peek().kind != TokenKind::kLParen) return Unexpected(Peek());
  Next();
  return Ok();
}

Status WatParser::ExpectRParen() {
  if (Peek().kind != TokenKind::kRParen) return Unexpected(Peek());
  Next();
  return Ok();
}

Status WatParser::ExpectKeyword(std::string_view kw) {
  if (!AtKeyword(kw)) return Unexpected(Peek());
  Next();
  return Ok();
}

Result<std::string> WatParser::ParseString(bool utf8) {
  const Token& t = Peek();
  if (t.kind != TokenKind::kString) return Unexpected(t);
  Next();
  WT_TRY_ASSIGN(std::string s, DecodeString(t, filename_));
  if (utf8 && !wasm::IsValidUtf8(
                  std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size()))) {
    return Fail(t, "malformed UTF-8 encoding");
  }
  return s;
}

// ---- identifiers and indices

const char* WatParser::SpaceName(Space s) {
  switch (s) {
    case Space::kType:
      return "type";
    case Space::kFunc:
      return "function";
    case Space::kTable:
      return "table";
    case Space::kMemory:
      return "memory";
    case Space::kGlobal:
      return "global";
    case Space::kTag:
      return "tag";
    case Space::kElem:
      return "elem segment";
    case Space::kData:
      return "data segment";
    case Space::kCount:
      break;
  }
  return "?";
}

static const char* DuplicateName(Space s) {
  switch (s) {
    case Space::kType:
      return "duplicate type";
    case Space::kFunc:
      return "duplicate func";
    case Space::kTable:
      return "duplicate table";
    case Space::kMemory:
      return "duplicate memory";
    case Space::kGlobal:
      return "duplicate global";
    case Space::kTag:
      return "duplicate tag";
    case Space::kElem:
      return "duplicate elem";
    case Space::kData:
      return "duplicate data";
    case Space::kCount:
      break;
  }
  return "duplicate";
}

Result<uint32_t> WatParser::Bind(Space s, const Token* id) {
  IndexSpace& sp = space(s);
  uint32_t index = sp.count;
  if (index == UINT32_MAX) return Fail(id ? *id : Peek(), "too many definitions");
  if (id != nullptr) {
    auto [it, inserted] = sp.ids.emplace(IdName(*id), index);
    if (!inserted) return Fail(*id, fmt::format("{} {}", DuplicateName(s), id->text));
  }
  ++sp.count;
  return index;
}

bool WatParser::AtIndex() const {
  TokenKind k = Peek().kind;
  return k == TokenKind::kNat || k == TokenKind::kId;
}

Result<uint32_t> WatParser::ParseNat32() {
  const Token& t = Peek();
  if (t.kind != TokenKind::kNat) return Unexpected(t);
  Next();
  std::optional<uint32_t> v = ParseU32(t.text);
  if (!v) return Fail(t, "i32 constant out of range");
  return *v;
}

Result<uint64_t> WatParser::ParseNat64() {
  const Token& t = Peek();
  if (t.kind != TokenKind::kNat) return Unexpected(t);
  Next();
  std::optional<uint64_t> v = ParseU64(t.text);
  if (!v) return Fail(t, "i64 constant out of range");
  return *v;
}

Result<uint32_t> WatParser::ParseIndex(Space s) {
  const Token& t = Peek();
  if (t.kind == TokenKind::kNat) return ParseNat32();
  if (t.kind != TokenKind::kId) return Unexpected(t);
  Next();
  const IndexSpace& sp = space(s);
  auto it = sp.ids.find(IdName(t));
  if (it == sp.ids.end()) return Fail(t, fmt::format("unknown {} {}", SpaceName(s), t.text));
  return it->second;
}

// ---- the passes

Result<std::vector<uint8_t>> WatParser::Encode(std::string_view module_id) {
  // Matching parentheses, with an explicit stack.
  match_.assign(toks_.size(), 0);
  {
    std::vector<size_t> open;
    for (size_t i = 0; i < toks_.size(); ++i) {
      if (toks_[i].kind == TokenKind::kLParen) {
        open.push_back(i);
      } else if (toks_[i].kind == TokenKind::kRParen) {
        if (open.empty()) return Unexpected(toks_[i]);
        match_[open.back()] = i;
        open.pop_back();
      } else if (toks_[i].kind == TokenKind::kEof) {
        toks_ = toks_.first(i);
        break;
      }
    }
    if (!open.empty()) return Fail(eof_, "unexpected end (unclosed parenthesis)");
  }

  // Pass 1: fields, their identifiers and index assignment.
  pos_ = 0;
  while (pos_ < toks_.size()) {
    Field f;
    f.begin = pos_;
    WT_TRY(ExpectLParen());
    f.end = match_[f.begin] + 1;
    const Token& kw = Next();
    if (kw.kind != TokenKind::kKeyword) return Unexpected(kw);
    f.keyword = kw.text;
    WT_TRY(CollectField(f));
    fields_.push_back(f);
    pos_ = f.end;
  }

  // Pass 1.5: type definitions (other fields refer to them).
  for (const Field& f : fields_) {
    pos_ = f.begin + 2;
    if (f.keyword == "type") {
      WT_TRY(ParseTypeField(false));
    } else if (f.keyword == "rec") {
      WT_TRY(ParseRecField());
    } else {
      continue;
    }
    WT_TRY(ExpectRParen());
  }
  num_explicit_types_ = static_cast<uint32_t>(types_.size());
  IndexReusableTypes();

  // Pass 2: everything else, in text order.
  for (const Field& f : fields_) {
    if (f.keyword == "type" || f.keyword == "rec") continue;
    pos_ = f.begin + 2;
    WT_TRY(EncodeField(f));
    WT_TRY(ExpectRParen());
  }

  // Assembly.
  BinaryWriter out;
  const uint8_t header[] = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  out.Bytes(header);
  if (!groups_.empty()) {
    BinaryWriter sec;
    sec.U32(static_cast<uint32_t>(groups_.size()));
    for (const RecGroupDef& g : groups_) {
      if (g.explicit_rec) {
        sec.U8(static_cast<uint8_t>(wasm::TypeCode::kRec));
        sec.U32(g.count);
      }
      for (uint32_t i = 0; i < g.count; ++i) WriteSubType(sec, types_[g.first + i].sub);
    }
    out.Section(1, sec);
  }
  auto vec_section = [&out](uint8_t id, const VecBuilder& v) {
    if (v.count > 0) out.Section(id, v.Finish());
  };
  vec_section(2, imports_);
  vec_section(3, funcs_);
  vec_section(4, tables_);
  vec_section(5, memories_);
  vec_section(13, tags_);
  vec_section(6, globals_);
  vec_section(7, exports_);
  if (start_) {
    BinaryWriter sec;
    sec.U32(*start_);
    out.Section(8, sec);
  }
  vec_section(9, elems_);
  if (uses_data_count_) {
    BinaryWriter sec;
    sec.U32(datas_.count);
    out.Section(12, sec);
  }
  vec_section(10, codes_);
  vec_section(11, datas_);

  // The name section: module name, function names, local names.
  BinaryWriter names;
  if (!module_id.empty()) {
    Token id_tok;
    id_tok.kind = TokenKind::kId;
    id_tok.text = module_id;
    BinaryWriter sub;
    sub.Name(IdName(id_tok));
    names.U8(0);
    names.U32(static_cast<uint32_t>(sub.size()));
    names.Append(sub);
  }
  if (!func_names_.empty()) {
    std::sort(func_names_.begin(), func_names_.end());
    BinaryWriter sub;
    sub.U32(static_cast<uint32_t>(func_names_.size()));
    for (const auto& [index, name] : func_names_) {
      sub.U32(index);
      sub.Name(name);
    }
    names.U8(1);
    names.U32(static_cast<uint32_t>(sub.size()));
    names.Append(sub);
  }
  if (!local_names_.empty()) {
    std::sort(local_names_.begin(), local_names_.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    BinaryWriter sub;
    sub.U32(static_cast<uint32_t>(local_names_.size()));
    for (const auto& [func, locals] : local_names_) {
      sub.U32(func);
      sub.U32(static_cast<uint32_t>(locals.size()));
      for (const auto& [index, name] : locals) {
        sub.U32(index);
        sub.Name(name);
      }
    }
    names.U8(2);
    names.U32(static_cast<uint32_t>(sub.size()));
    names.Append(sub);
  }
  if (!names.empty()) {
    BinaryWriter sec;
    sec.Name("name");
    sec.Append(names);
    out.Section(0, sec);
  }
  return std::move(out.bytes());
}

}  // namespace wat_internal

Result<std::vector<uint8_t>> EncodeModuleFields(std::span<const Token> fields,
                                                std::string_view filename,
                                                std::string_view module_id,
                                                const WatOptions& options) {
  wat_internal::WatParser parser(fields, filename, options);
  return parser.Encode(module_id);
}

Result<std::vector<uint8_t>> WatToBinary(std::string_view text, std::string_view filename,
                                         const WatOptions& options) {
  WT_TRY_ASSIGN(std::vector<Token> tokens, Tokenize(text, filename));
  size_t n = tokens.size();
  if (n > 0 && tokens[n - 1].kind == TokenKind::kEof) --n;
  std::span<const Token> all(tokens.data(), n);
  if (n >= 2 && all[0].kind == TokenKind::kLParen && all[1].kind == TokenKind::kKeyword &&
      all[1].text == "module") {
    // Find the module's closing parenthesis.
    size_t depth = 0;
    size_t close = n;
    for (size_t i = 0; i < n; ++i) {
      if (all[i].kind == TokenKind::kLParen) {
        ++depth;
      } else if (all[i].kind == TokenKind::kRParen) {
        if (--depth == 0) {
          close = i;
          break;
        }
      }
    }
    if (close == n) {
      return Error{ErrorKind::kMalformed, "unexpected end (unclosed module)", SIZE_MAX,
                   Location(filename, n > 0 ? all[n - 1] : tokens.back())};
    }
    if (close + 1 < n) {
      return Error{ErrorKind::kMalformed,
                   fmt::format("unexpected token \"{}\" after the module", all[close + 1].text),
                   SIZE_MAX, Location(filename, all[close + 1])};
    }
    size_t first = 2;
    std::string_view id;
    if (first < close && all[first].kind == TokenKind::kId) id = all[first++].text;
    return EncodeModuleFields(all.subspan(first, close - first), filename, id, options);
  }
  return EncodeModuleFields(all, filename, "", options);
}

std::span<const std::string_view> TextKeywords() {
  return wat_internal::kKeywords;
}

}  // namespace wt::text
