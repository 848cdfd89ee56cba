// The .wast script parser: tokens -> commands. Iterative over the commands; the only nesting
// it follows is the fixed shape of a command (assertion -> action/module -> constants, with
// `either` one level deep). Text module fields are skipped by counting parentheses.
#include "text/wast_script.h"

#include <cstring>

#include "text/literals.h"

namespace wt::text {
namespace {

using wasm::HeapKind;

struct ShapeInfo {
  std::string_view name;
  V128Shape shape;
  int lanes;
};
constexpr ShapeInfo kShapes[] = {
    {"i8x16", V128Shape::kI8x16, 16}, {"i16x8", V128Shape::kI16x8, 8},
    {"i32x4", V128Shape::kI32x4, 4},  {"i64x2", V128Shape::kI64x2, 2},
    {"f32x4", V128Shape::kF32x4, 4},  {"f64x2", V128Shape::kF64x2, 2},
};

struct HeapName {
  std::string_view name;
  HeapKind kind;
};
constexpr HeapName kHeapNames[] = {
    {"func", HeapKind::kFunc},     {"extern", HeapKind::kExtern},     {"any", HeapKind::kAny},
    {"eq", HeapKind::kEq},         {"i31", HeapKind::kI31},           {"struct", HeapKind::kStruct},
    {"array", HeapKind::kArray},   {"exn", HeapKind::kExn},           {"none", HeapKind::kNone},
    {"nofunc", HeapKind::kNoFunc}, {"noextern", HeapKind::kNoExtern}, {"noexn", HeapKind::kNoExn},
};

// (ref.X) result patterns: any non-null reference of an abstract heap type.
constexpr HeapName kRefPatterns[] = {
    {"ref.func", HeapKind::kFunc},   {"ref.extern", HeapKind::kExtern},
    {"ref.any", HeapKind::kAny},     {"ref.eq", HeapKind::kEq},
    {"ref.i31", HeapKind::kI31},     {"ref.struct", HeapKind::kStruct},
    {"ref.array", HeapKind::kArray}, {"ref.exn", HeapKind::kExn},
};

bool IsNumberToken(const Token& t) {
  return t.kind == TokenKind::kNat || t.kind == TokenKind::kInt || t.kind == TokenKind::kFloat;
}

void StoreLane(std::array<uint8_t, 16>* bytes, int lane, int lane_bytes, uint64_t bits) {
  for (int i = 0; i < lane_bytes; ++i) {
    (*bytes)[static_cast<size_t>(lane * lane_bytes + i)] = static_cast<uint8_t>(bits >> (8 * i));
  }
}

class ScriptParser {
 public:
  ScriptParser(const std::vector<Token>& tokens, std::string_view filename)
      : toks_(tokens), filename_(filename) {}

  Result<std::vector<Command>> Run() {
    std::vector<Command> commands;
    if (IsInlineModule()) {
      // A script that is a bare list of module fields is one text module.
      Command c;
      c.kind = CommandKind::kModule;
      c.line = Peek().line;
      c.column = Peek().column;
      ScriptModule m;
      m.line = c.line;
      m.column = c.column;
      m.fields_begin = 0;
      m.fields_end = static_cast<uint32_t>(toks_.size() - 1);  // up to the kEof token
      c.module = std::move(m);
      commands.push_back(std::move(c));
      return commands;
    }
    // Roughly one command per 40 tokens in the spec tests; avoids most regrowth.
    commands.reserve(toks_.size() / 40 + 4);
    while (Peek().kind != TokenKind::kEof) {
      WT_TRY(ParseCommand(&commands.emplace_back()));
    }
    return commands;
  }

 private:
  // The first form is a module field ("(func", "(memory", ...) rather than a command.
  bool IsInlineModule() const {
    if (Peek().kind != TokenKind::kLParen || Peek(1).kind != TokenKind::kKeyword) return false;
    static constexpr std::string_view kFields[] = {"type",  "rec",    "import", "func",
                                                   "table", "memory", "global", "export",
                                                   "start", "elem",   "data",   "tag"};
    for (std::string_view f : kFields) {
      if (Peek(1).text == f) return true;
    }
    return false;
  }

  const Token& Peek(size_t k = 0) const {
    size_t i = pos_ + k;
    return i < toks_.size() ? toks_[i] : toks_.back();
  }
  const Token& Next() {
    const Token& t = toks_[pos_];
    if (pos_ + 1 < toks_.size()) ++pos_;
    return t;
  }
  static bool IsKeyword(const Token& t, std::string_view kw) {
    return t.kind == TokenKind::kKeyword && t.text == kw;
  }
  bool PeekParenKeyword(std::string_view kw) const {
    return Peek().kind == TokenKind::kLParen && IsKeyword(Peek(1), kw);
  }

  Error ErrorAt(const Token& t, std::string_view message) const {
    Error e = MakeError(ErrorKind::kMalformed, "{}", message);
    e.location = Location(filename_, t);
    return e;
  }
  Error Unexpected(const Token& t) const {
    if (t.kind == TokenKind::kEof) return ErrorAt(t, "unexpected end of script");
    return ErrorAt(t, fmt::format("unexpected token \"{}\"", Shorten(t.text)));
  }
  static std::string_view Shorten(std::string_view s) {
    return s.size() > 40 ? s.substr(0, 40) : s;
  }

  Status Expect(TokenKind kind) {
    if (Peek().kind != kind) return Unexpected(Peek());
    Next();
    return Ok();
  }
  Status ExpectRParen() { return Expect(TokenKind::kRParen); }

  Result<std::string> ParseString() {
    const Token& t = Peek();
    if (t.kind != TokenKind::kString) return Unexpected(t);
    Next();
    return DecodeString(t, filename_);
  }

  // An optional $id: the decoded name (empty when absent); *text gets the token text.
  std::string ParseOptId(std::string_view* text = nullptr) {
    if (Peek().kind != TokenKind::kId) return {};
    const Token& t = Next();
    if (text != nullptr) *text = t.text;
    return IdName(t);
  }

  Status ParseCommand(Command* out) {
    const Token& open = Peek();
    if (open.kind != TokenKind::kLParen) return Unexpected(open);
    const Token& head = Peek(1);
    if (head.kind != TokenKind::kKeyword) return Unexpected(head);
    Command& c = *out;
    c.line = open.line;
    c.column = open.column;
    const std::string_view kw = head.text;
    if (kw == "module") {
      if (IsKeyword(Peek(2), "instance")) {
        pos_ += 3;
        c.kind = CommandKind::kModuleInstance;
        c.id = ParseOptId();
        c.definition = ParseOptId();
        WT_TRY(ExpectRParen());
        return Ok();
      }
      c.kind = CommandKind::kModule;
      WT_TRY_ASSIGN(c.module, ParseModule());
      return Ok();
    }
    if (kw == "invoke" || kw == "get") {
      c.kind = CommandKind::kAction;
      WT_TRY_ASSIGN(c.action, ParseAction());
      return Ok();
    }
    pos_ += 2;
    if (kw == "register") {
      c.kind = CommandKind::kRegister;
      WT_TRY_ASSIGN(c.text, ParseString());
      c.id = ParseOptId();
    } else if (kw == "assert_return") {
      c.kind = CommandKind::kAssertReturn;
      WT_TRY_ASSIGN(c.action, ParseAction());
      while (Peek().kind == TokenKind::kLParen) {
        ExpectedValue e;
        WT_TRY_ASSIGN(e, ParseExpected(/*allow_either=*/true));
        c.expected.push_back(std::move(e));
      }
    } else if (kw == "assert_trap") {
      c.kind = CommandKind::kAssertTrap;
      if (PeekParenKeyword("module")) {
        WT_TRY_ASSIGN(c.module, ParseModule());
      } else {
        WT_TRY_ASSIGN(c.action, ParseAction());
      }
      WT_TRY_ASSIGN(c.text, ParseString());
    } else if (kw == "assert_exhaustion") {
      c.kind = CommandKind::kAssertExhaustion;
      WT_TRY_ASSIGN(c.action, ParseAction());
      WT_TRY_ASSIGN(c.text, ParseString());
    } else if (kw == "assert_exception") {
      c.kind = CommandKind::kAssertException;
      WT_TRY_ASSIGN(c.action, ParseAction());
    } else if (kw == "assert_malformed" || kw == "assert_invalid" || kw == "assert_unlinkable" ||
               kw == "assert_uninstantiable") {
      c.kind = kw == "assert_malformed"    ? CommandKind::kAssertMalformed
               : kw == "assert_invalid"    ? CommandKind::kAssertInvalid
               : kw == "assert_unlinkable" ? CommandKind::kAssertUnlinkable
                                           : CommandKind::kAssertUninstantiable;
      if (!PeekParenKeyword("module")) return Unexpected(Peek());
      WT_TRY_ASSIGN(c.module, ParseModule());
      WT_TRY_ASSIGN(c.text, ParseString());
    } else if (kw == "thread") {
      c.kind = CommandKind::kThread;
      c.id = ParseOptId();
      uint32_t ignored = 0;
      WT_TRY(SkipToClose(open, &ignored));
      return Ok();
    } else if (kw == "wait") {
      c.kind = CommandKind::kWait;
      c.id = ParseOptId();
    } else {
      return ErrorAt(head, fmt::format("unknown command \"{}\"", Shorten(kw)));
    }
    WT_TRY(ExpectRParen());
    return Ok();
  }

  // Skips tokens up to and including the parenthesis that closes the one already consumed;
  // *close_index gets the index of that closing token.
  Status SkipToClose(const Token& open, uint32_t* close_index) {
    uint32_t depth = 1;
    for (;;) {
      const Token& t = Peek();
      if (t.kind == TokenKind::kEof) return ErrorAt(open, "unclosed parenthesis");
      if (t.kind == TokenKind::kLParen) {
        ++depth;
      } else if (t.kind == TokenKind::kRParen && --depth == 0) {
        *close_index = static_cast<uint32_t>(pos_);
        Next();
        return Ok();
      }
      Next();
    }
  }

  // At "(module": (module definition? $id? (binary|quote)? ...)
  Result<ScriptModule> ParseModule() {
    const Token& open = Next();
    Next();  // module
    ScriptModule m;
    m.line = open.line;
    m.column = open.column;
    if (IsKeyword(Peek(), "definition")) {
      m.definition = true;
      Next();
    }
    m.id = ParseOptId(&m.id_text);
    if (IsKeyword(Peek(), "binary") || IsKeyword(Peek(), "quote")) {
      const bool binary = Peek().text == "binary";
      m.form = binary ? ModuleForm::kBinary : ModuleForm::kQuote;
      Next();
      while (Peek().kind == TokenKind::kString) {
        std::string s;
        WT_TRY_ASSIGN(s, ParseString());
        if (binary) {
          m.bytes.insert(m.bytes.end(), s.begin(), s.end());
        } else {
          m.quote += s;
        }
      }
      WT_TRY(ExpectRParen());
      return m;
    }
    m.form = ModuleForm::kText;
    m.fields_begin = static_cast<uint32_t>(pos_);
    WT_TRY(SkipToClose(open, &m.fields_end));
    return m;
  }

  // At "(invoke" or "(get".
  Result<Action> ParseAction() {
    const Token& open = Peek();
    if (open.kind != TokenKind::kLParen) return Unexpected(open);
    const Token& head = Peek(1);
    Action a;
    if (IsKeyword(head, "invoke")) {
      a.kind = ActionKind::kInvoke;
    } else if (IsKeyword(head, "get")) {
      a.kind = ActionKind::kGet;
    } else {
      return Unexpected(head);
    }
    pos_ += 2;
    a.line = open.line;
    a.column = open.column;
    a.module_id = ParseOptId();
    WT_TRY_ASSIGN(a.name, ParseString());
    if (a.kind == ActionKind::kInvoke) {
      while (Peek().kind == TokenKind::kLParen) {
        const Token& at = Peek();
        ExpectedValue e;
        WT_TRY_ASSIGN(e, ParseConst(/*result=*/false));
        if (e.kind != ExpectedKind::kExact) return ErrorAt(at, "unexpected pattern in argument");
        a.args.push_back(e.value);
      }
    }
    WT_TRY(ExpectRParen());
    return a;
  }

  // A result pattern: a constant, a pattern, or (either result*) when allowed.
  Result<ExpectedValue> ParseExpected(bool allow_either) {
    if (allow_either && PeekParenKeyword("either")) {
      pos_ += 2;
      ExpectedValue e;
      e.kind = ExpectedKind::kEither;
      while (Peek().kind == TokenKind::kLParen) {
        ExpectedValue alt;
        WT_TRY_ASSIGN(alt, ParseExpected(/*allow_either=*/false));
        e.either.push_back(std::move(alt));
      }
      WT_TRY(ExpectRParen());
      return e;
    }
    return ParseConst(/*result=*/true);
  }

  Status ParseScalarInto(const Token& t, ValueKind kind, bool result, ExpectedValue* e) {
    if (result && (kind == ValueKind::kF32 || kind == ValueKind::kF64) &&
        t.kind == TokenKind::kKeyword) {
      if (t.text == "nan:canonical" || t.text == "nan:arithmetic") {
        e->kind = ExpectedKind::kNan;
        e->nan = t.text == "nan:canonical" ? NanPattern::kCanonical : NanPattern::kArithmetic;
        return Ok();
      }
    }
    const bool is_float = kind == ValueKind::kF32 || kind == ValueKind::kF64;
    if (!(t.kind == TokenKind::kNat || t.kind == TokenKind::kInt ||
          (is_float && t.kind == TokenKind::kFloat))) {
      return Unexpected(t);
    }
    std::optional<uint64_t> bits;
    switch (kind) {
      case ValueKind::kI32:
        if (auto v = ParseI32(t.text)) bits = *v;
        break;
      case ValueKind::kI64:
        bits = ParseI64(t.text);
        break;
      case ValueKind::kF32:
        if (auto v = ParseF32Bits(t.text)) bits = *v;
        break;
      case ValueKind::kF64:
        bits = ParseF64Bits(t.text);
        break;
      default:
        break;
    }
    if (!bits) return ErrorAt(t, "constant out of range");
    e->value.bits = *bits;
    return Ok();
  }

  // At "(": one constant (or, when `result`, a result pattern other than either).
  Result<ExpectedValue> ParseConst(bool result) {
    const Token& open = Next();
    const Token& head = Peek();
    if (head.kind != TokenKind::kKeyword) return Unexpected(head);
    Next();
    const std::string_view kw = head.text;
    ExpectedValue e;
    Value& v = e.value;
    if (kw == "i32.const" || kw == "i64.const" || kw == "f32.const" || kw == "f64.const") {
      v.kind = kw[0] == 'i' ? (kw[1] == '3' ? ValueKind::kI32 : ValueKind::kI64)
                            : (kw[1] == '3' ? ValueKind::kF32 : ValueKind::kF64);
      WT_TRY(ParseScalarInto(Next(), v.kind, result, &e));
    } else if (kw == "v128.const") {
      WT_TRY(ParseV128(result, &e));
    } else if (kw == "ref.null") {
      v.kind = ValueKind::kRef;
      v.ref = RefKind::kNull;
      if (Peek().kind == TokenKind::kKeyword) {
        const Token& ht = Next();
        bool found = false;
        for (const HeapName& h : kHeapNames) {
          if (ht.text == h.name) {
            v.heap = wasm::HeapType::Abstract(h.kind);
            found = true;
          }
        }
        if (!found) return ErrorAt(ht, fmt::format("unknown heap type \"{}\"", Shorten(ht.text)));
        if (result) {
          e.kind = ExpectedKind::kRefNull;
          e.heap = v.heap.kind;
          e.has_heap = true;
        }
      } else {
        if (!result) return Unexpected(Peek());
        e.kind = ExpectedKind::kRefNull;
      }
    } else if ((kw == "ref.extern" || kw == "ref.host") && Peek().kind == TokenKind::kNat) {
      const Token& n = Next();
      auto value = ParseU32(n.text);
      if (!value) return ErrorAt(n, "constant out of range");
      v.kind = ValueKind::kRef;
      v.ref = kw == "ref.extern" ? RefKind::kExtern : RefKind::kHost;
      v.bits = *value;
    } else {
      bool found = false;
      if (result) {
        for (const HeapName& p : kRefPatterns) {
          if (kw == p.name) {
            e.kind = ExpectedKind::kRefNonNull;
            e.heap = p.kind;
            v.kind = ValueKind::kRef;
            found = true;
          }
        }
      }
      if (!found) {
        return ErrorAt(head, fmt::format("unexpected constant \"{}\"", Shorten(kw)));
      }
    }
    (void)open;
    WT_TRY(ExpectRParen());
    return e;
  }

  // After "v128.const": shape and lanes.
  Status ParseV128(bool result, ExpectedValue* e) {
    Value& v = e->value;
    v.kind = ValueKind::kV128;
    const Token& shape_tok = Next();
    const ShapeInfo* info = nullptr;
    for (const ShapeInfo& s : kShapes) {
      if (shape_tok.kind == TokenKind::kKeyword && shape_tok.text == s.name) info = &s;
    }
    if (info == nullptr) return ErrorAt(shape_tok, "unknown vector shape");
    v.shape = info->shape;
    const int lane_bytes = 16 / info->lanes;
    bool any_pattern = false;
    for (int lane = 0; lane < info->lanes; ++lane) {
      const Token& t = Next();
      std::optional<uint64_t> bits;
      switch (info->shape) {
        case V128Shape::kI8x16:
          if (t.kind != TokenKind::kNat && t.kind != TokenKind::kInt) return Unexpected(t);
          if (auto x = ParseI8(t.text)) bits = *x;
          break;
        case V128Shape::kI16x8:
          if (t.kind != TokenKind::kNat && t.kind != TokenKind::kInt) return Unexpected(t);
          if (auto x = ParseI16(t.text)) bits = *x;
          break;
        case V128Shape::kI32x4:
          if (t.kind != TokenKind::kNat && t.kind != TokenKind::kInt) return Unexpected(t);
          if (auto x = ParseI32(t.text)) bits = *x;
          break;
        case V128Shape::kI64x2:
          if (t.kind != TokenKind::kNat && t.kind != TokenKind::kInt) return Unexpected(t);
          bits = ParseI64(t.text);
          break;
        case V128Shape::kF32x4:
        case V128Shape::kF64x2: {
          if (result && t.kind == TokenKind::kKeyword &&
              (t.text == "nan:canonical" || t.text == "nan:arithmetic")) {
            e->lane_nan[static_cast<size_t>(lane)] =
                t.text == "nan:canonical" ? NanPattern::kCanonical : NanPattern::kArithmetic;
            any_pattern = true;
            bits = 0;
            break;
          }
          if (!IsNumberToken(t)) return Unexpected(t);
          if (info->shape == V128Shape::kF32x4) {
            if (auto x = ParseF32Bits(t.text)) bits = *x;
          } else {
            bits = ParseF64Bits(t.text);
          }
          break;
        }
      }
      if (!bits) return ErrorAt(t, "constant out of range");
      StoreLane(&v.v128, lane, lane_bytes, *bits);
    }
    if (any_pattern) e->kind = ExpectedKind::kV128Lanes;
    return Ok();
  }

  const std::vector<Token>& toks_;
  std::string_view filename_;
  size_t pos_ = 0;
};

std::string FormatV128(const Value& v) {
  static constexpr const char* kShapeNames[] = {"i8x16", "i16x8", "i32x4",
                                                "i64x2", "f32x4", "f64x2"};
  const auto shape = static_cast<size_t>(v.shape);
  const int lanes = kShapes[shape].lanes;
  const int lane_bytes = 16 / lanes;
  std::string out = fmt::format("v128 {}:", kShapeNames[shape]);
  for (int lane = 0; lane < lanes; ++lane) {
    uint64_t bits = 0;
    for (int i = 0; i < lane_bytes; ++i) {
      bits |= uint64_t{v.v128[static_cast<size_t>(lane * lane_bytes + i)]} << (8 * i);
    }
    if (v.shape == V128Shape::kF32x4 || v.shape == V128Shape::kF64x2) {
      out += fmt::format(" 0x{:0{}x}", bits, lane_bytes * 2);
    } else {
      out += fmt::format(" {}", bits);
    }
  }
  return out;
}

}  // namespace

std::string FormatValue(const Value& v) {
  switch (v.kind) {
    case ValueKind::kI32:
      return fmt::format("i32:{}", v.i32());
    case ValueKind::kI64:
      return fmt::format("i64:{}", v.i64());
    case ValueKind::kF32: {
      float f;
      const uint32_t bits = v.i32();
      std::memcpy(&f, &bits, 4);
      return fmt::format("f32:0x{:08x} ({})", bits, f);
    }
    case ValueKind::kF64: {
      double d;
      std::memcpy(&d, &v.bits, 8);
      return fmt::format("f64:0x{:016x} ({})", v.bits, d);
    }
    case ValueKind::kV128:
      return FormatV128(v);
    case ValueKind::kRef:
      switch (v.ref) {
        case RefKind::kNull:
          return fmt::format("ref.null {}", wasm::HeapTypeName(v.heap));
        case RefKind::kExtern:
          return fmt::format("ref.extern {}", v.bits);
        case RefKind::kHost:
          return fmt::format("ref.host {}", v.bits);
      }
  }
  return "?";
}

std::string FormatExpected(const ExpectedValue& e) {
  auto nan_name = [](NanPattern p) {
    return p == NanPattern::kCanonical ? "nan:canonical" : "nan:arithmetic";
  };
  switch (e.kind) {
    case ExpectedKind::kExact:
      return FormatValue(e.value);
    case ExpectedKind::kNan:
      return fmt::format("{}:{}", e.value.kind == ValueKind::kF32 ? "f32" : "f64", nan_name(e.nan));
    case ExpectedKind::kV128Lanes: {
      std::string out = FormatV128(e.value);
      for (size_t i = 0; i < e.lane_nan.size(); ++i) {
        if (e.lane_nan[i] != NanPattern::kNone)
          out += fmt::format(" [lane {}: {}]", i, nan_name(e.lane_nan[i]));
      }
      return out;
    }
    case ExpectedKind::kRefNull:
      if (!e.has_heap) return "ref.null";
      return fmt::format("ref.null {}", wasm::HeapTypeName(wasm::HeapType::Abstract(e.heap)));
    case ExpectedKind::kRefNonNull:
      return fmt::format("(ref {})", wasm::HeapTypeName(wasm::HeapType::Abstract(e.heap)));
    case ExpectedKind::kEither: {
      std::string out = "either(";
      for (size_t i = 0; i < e.either.size(); ++i) {
        if (i > 0) out += " | ";
        out += FormatExpected(e.either[i]);
      }
      return out + ")";
    }
  }
  return "?";
}

const char* CommandKindName(CommandKind kind) {
  switch (kind) {
    case CommandKind::kModule:
      return "module";
    case CommandKind::kModuleInstance:
      return "module instance";
    case CommandKind::kRegister:
      return "register";
    case CommandKind::kAction:
      return "action";
    case CommandKind::kAssertReturn:
      return "assert_return";
    case CommandKind::kAssertTrap:
      return "assert_trap";
    case CommandKind::kAssertExhaustion:
      return "assert_exhaustion";
    case CommandKind::kAssertException:
      return "assert_exception";
    case CommandKind::kAssertMalformed:
      return "assert_malformed";
    case CommandKind::kAssertInvalid:
      return "assert_invalid";
    case CommandKind::kAssertUnlinkable:
      return "assert_unlinkable";
    case CommandKind::kAssertUninstantiable:
      return "assert_uninstantiable";
    case CommandKind::kThread:
      return "thread";
    case CommandKind::kWait:
      return "wait";
  }
  return "command";
}

Result<Script> ParseScript(std::string source, std::string_view filename) {
  Script script;
  script.filename = std::string(filename);
  script.source = std::make_unique<const std::string>(std::move(source));
  WT_TRY_ASSIGN(script.tokens, Tokenize(*script.source, script.filename));
  WT_TRY_ASSIGN(script.commands, ScriptParser(script.tokens, script.filename).Run());
  return script;
}

}  // namespace wt::text
