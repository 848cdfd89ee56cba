// The lexical format of the WebAssembly text format (spec 3.0, "Lexical Format").
//
// One pass over the bytes with a character-class table. A token is the longest run of idchars,
// strings and the reserved punctuation , ; [ ] { } (a ";;" ends the run: it starts a comment);
// the run is then classified as keyword, id, number, string or reserved. Annotations
// `(@id ...)` are scanned with the same code (so their tokens must be well formed) but not
// emitted.
#include "text/lexer.h"

#include <array>
#include <cstring>

namespace wt::text {
namespace {

enum CharClass : uint8_t {
  kIdChar = 1,    // 0-9 A-Z a-z ! # $ % & ' * + - . / : < = > ? @ \ ^ _ ` | ~
  kPunct = 2,     // , ; [ ] { }  (reserved-token characters that are not idchars)
  kStrPlain = 4,  // a byte that stands for itself inside a string (0x20..0x7e except " and \)
  kDigit = 8,
  kHexDigit = 16,
};

constexpr std::array<uint8_t, 256> MakeClassTable() {
  std::array<uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] |= kIdChar | kDigit | kHexDigit;
  for (int c = 'a'; c <= 'z'; ++c) t[c] |= kIdChar;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] |= kIdChar;
  for (int c = 'a'; c <= 'f'; ++c) t[c] |= kHexDigit;
  for (int c = 'A'; c <= 'F'; ++c) t[c] |= kHexDigit;
  for (char c : std::string_view("!#$%&'*+-./:<=>?@\\^_`|~")) t[static_cast<uint8_t>(c)] |= kIdChar;
  for (char c : std::string_view(",;[]{}")) t[static_cast<uint8_t>(c)] |= kPunct;
  for (int c = 0x20; c < 0x7f; ++c) {
    if (c != '"' && c != '\\') t[c] |= kStrPlain;
  }
  return t;
}
constexpr std::array<uint8_t, 256> kClass = MakeClassTable();

inline bool Is(uint8_t c, uint8_t cls) {
  return (kClass[c] & cls) != 0;
}
inline bool IsDigit(char c) {
  return Is(static_cast<uint8_t>(c), kDigit);
}
inline bool IsHexDigit(char c) {
  return Is(static_cast<uint8_t>(c), kHexDigit);
}
inline int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// Length of the well-formed UTF-8 sequence at p (a byte >= 0x80), or 0 when malformed.
size_t Utf8SequenceLength(const char* p, const char* end) {
  const auto b0 = static_cast<uint8_t>(p[0]);
  size_t n;
  uint32_t min;
  uint32_t cp;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    n = 2, min = 0x80, cp = b0 & 0x1f;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    n = 3, min = 0x800, cp = b0 & 0x0f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    n = 4, min = 0x10000, cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (static_cast<size_t>(end - p) < n) return 0;
  for (size_t i = 1; i < n; ++i) {
    const auto b = static_cast<uint8_t>(p[i]);
    if ((b & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) return 0;
  return n;
}

bool IsValidUtf8(std::string_view s) {
  const char* p = s.data();
  const char* end = p + s.size();
  while (p < end) {
    if (static_cast<uint8_t>(*p) < 0x80) {
      ++p;
      continue;
    }
    size_t n = Utf8SequenceLength(p, end);
    if (n == 0) return false;
    p += n;
  }
  return true;
}

void AppendUtf8(std::string* out, uint32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

// Scans a string literal starting at the opening quote `p`. On success returns nullptr and
// sets *end_out past the closing quote; on failure returns the message and sets *end_out to
// the offending position. When `out` is non-null the decoded bytes are appended to it.
const char* ScanString(const char* p, const char* end, const char** end_out, std::string* out) {
  ++p;  // opening quote
  for (;;) {
    const char* run = p;
    while (p < end && Is(static_cast<uint8_t>(*p), kStrPlain)) ++p;
    if (out != nullptr && p > run) out->append(run, p);
    if (p >= end) {
      *end_out = p;
      return "unclosed string";
    }
    const auto c = static_cast<uint8_t>(*p);
    if (c == '"') {
      *end_out = p + 1;
      return nullptr;
    }
    if (c == '\\') {
      const char* esc = p;
      if (p + 1 >= end) {
        *end_out = p;
        return "unclosed string";
      }
      char e = p[1];
      char decoded = 0;
      switch (e) {
        case 't':
          decoded = '\t';
          break;
        case 'n':
          decoded = '\n';
          break;
        case 'r':
          decoded = '\r';
          break;
        case '"':
          decoded = '"';
          break;
        case '\'':
          decoded = '\'';
          break;
        case '\\':
          decoded = '\\';
          break;
        case 'u': {
          const char* q = p + 2;
          if (q >= end || *q != '{') {
            *end_out = esc;
            return "illegal escape";
          }
          ++q;
          uint32_t cp = 0;
          bool any = false;
          bool prev_digit = false;
          while (q < end && *q != '}') {
            if (IsHexDigit(*q)) {
              if (cp < 0x1000000) cp = cp * 16 + static_cast<uint32_t>(HexValue(*q));
              any = prev_digit = true;
            } else if (*q == '_' && prev_digit && q + 1 < end && IsHexDigit(q[1])) {
              prev_digit = false;
            } else {
              break;
            }
            ++q;
          }
          if (!any || q >= end || *q != '}' || cp >= 0x110000 || (cp >= 0xd800 && cp < 0xe000)) {
            *end_out = esc;
            return "illegal escape";
          }
          if (out != nullptr) AppendUtf8(out, cp);
          p = q + 1;
          continue;
        }
        default:
          if (IsHexDigit(e) && p + 2 < end && IsHexDigit(p[2])) {
            if (out != nullptr)
              out->push_back(static_cast<char>(HexValue(e) * 16 + HexValue(p[2])));
            p += 3;
            continue;
          }
          *end_out = esc;
          return "illegal escape";
      }
      if (out != nullptr) out->push_back(decoded);
      p += 2;
      continue;
    }
    if (c >= 0x80) {
      size_t n = Utf8SequenceLength(p, end);
      if (n == 0) {
        *end_out = p;
        return "malformed UTF-8 encoding";
      }
      if (out != nullptr) out->append(p, n);
      p += n;
      continue;
    }
    *end_out = p;
    return c == '\n' ? "unclosed string" : "illegal character";
  }
}

// num ::= digit ('_'? digit)*   (hex: hexdigit ('_'? hexdigit)*). Returns the end or nullptr.
const char* ScanDigits(const char* p, const char* end, bool hex) {
  auto ok = [hex](char c) { return hex ? IsHexDigit(c) : IsDigit(c); };
  if (p >= end || !ok(*p)) return nullptr;
  ++p;
  while (p < end) {
    if (ok(*p)) {
      ++p;
    } else if (*p == '_' && p + 1 < end && ok(p[1])) {
      p += 2;
    } else {
      break;
    }
  }
  return p;
}

// Classifies a run of idchars that is not an id: number kinds, keyword, or reserved.
TokenKind ClassifyWord(std::string_view w) {
  const char* p = w.data();
  const char* end = p + w.size();
  bool sign = false;
  if (*p == '+' || *p == '-') {
    sign = true;
    ++p;
  }
  if (p < end && !IsDigit(*p)) {
    std::string_view rest(p, static_cast<size_t>(end - p));
    if (rest == "inf" || rest == "nan") return TokenKind::kFloat;
    if (rest.size() > 6 && rest.substr(0, 6) == "nan:0x") {
      if (ScanDigits(p + 6, end, true) == end) return TokenKind::kFloat;
    }
    if (!sign && w[0] >= 'a' && w[0] <= 'z') return TokenKind::kKeyword;
    return TokenKind::kReserved;
  }
  bool hex = end - p > 2 && p[0] == '0' && p[1] == 'x';
  if (hex) p += 2;
  p = ScanDigits(p, end, hex);
  if (p == nullptr) return TokenKind::kReserved;
  if (p == end) return sign ? TokenKind::kInt : TokenKind::kNat;
  if (*p == '.') {
    ++p;
    if (p < end && (hex ? IsHexDigit(*p) : IsDigit(*p))) {
      p = ScanDigits(p, end, hex);
      if (p == nullptr) return TokenKind::kReserved;
    }
    if (p == end) return TokenKind::kFloat;
  }
  if (hex ? (*p == 'p' || *p == 'P') : (*p == 'e' || *p == 'E')) {
    ++p;
    if (p < end && (*p == '+' || *p == '-')) ++p;
    p = ScanDigits(p, end, false);
    if (p == end) return TokenKind::kFloat;
  }
  return TokenKind::kReserved;
}

class Lexer {
 public:
  Lexer(std::string_view source, std::string_view filename)
      : begin_(source.data()),
        p_(source.data()),
        end_(source.data() + source.size()),
        line_start_(source.data()),
        filename_(filename) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> tokens;
    tokens.reserve(static_cast<size_t>(end_ - begin_) / 5 + 16);
    uint32_t annot_depth = 0;  // > 0 while inside an annotation
    uint32_t annot_line = 0;
    uint32_t annot_column = 0;
    while (p_ < end_) {
      const auto c = static_cast<uint8_t>(*p_);
      switch (c) {
        case ' ':
        case '\t':
          ++p_;
          continue;
        case '\n':
          ++p_;
          NewLine();
          continue;
        case '\r':
          ++p_;
          if (p_ == end_ || *p_ != '\n') NewLine();
          continue;
        case '(':
          if (p_ + 1 < end_ && p_[1] == ';') {
            WT_TRY(SkipBlockComment());
            continue;
          }
          if (p_ + 1 < end_ && p_[1] == '@' && annot_depth == 0) {
            annot_line = line_;
            annot_column = Column(p_);
            WT_TRY(CheckAnnotationId(p_ + 2));
            annot_depth = 1;
            p_ += 2;
            continue;
          }
          if (annot_depth > 0) {
            ++annot_depth;
          } else {
            tokens.push_back(Token{TokenKind::kLParen, std::string_view(p_, 1), line_, Column(p_)});
          }
          ++p_;
          continue;
        case ')':
          if (annot_depth > 0) {
            --annot_depth;
          } else {
            tokens.push_back(Token{TokenKind::kRParen, std::string_view(p_, 1), line_, Column(p_)});
          }
          ++p_;
          continue;
        case ';':
          if (p_ + 1 < end_ && p_[1] == ';') {
            WT_TRY(SkipLineComment());
            continue;
          }
          break;
        default:
          break;
      }
      if (Is(c, kIdChar | kPunct) || c == '"') {
        Token token;
        WT_TRY_ASSIGN(token, ScanToken(annot_depth > 0));
        if (annot_depth == 0) tokens.push_back(token);
        continue;
      }
      if (c >= 0x80 && Utf8SequenceLength(p_, end_) == 0)
        return ErrorAt(p_, "malformed UTF-8 encoding");
      return ErrorAt(p_, "illegal character");
    }
    if (annot_depth > 0) return ErrorAtLineColumn(annot_line, annot_column, "unclosed annotation");
    tokens.push_back(Token{TokenKind::kEof, std::string_view(end_, 0), line_, Column(end_)});
    return tokens;
  }

 private:
  void NewLine() {
    ++line_;
    line_start_ = p_;
  }
  uint32_t Column(const char* pos) const { return static_cast<uint32_t>(pos - line_start_) + 1; }

  Error ErrorAtLineColumn(uint32_t line, uint32_t column, const char* message) const {
    Error e = MakeError(ErrorKind::kMalformed, "{}", message);
    e.location = fmt::format("{}:{}:{}", filename_, line, column);
    return e;
  }
  Error ErrorAt(const char* pos, const char* message) const {
    return ErrorAtLineColumn(line_, Column(pos), message);
  }

  Status SkipLineComment() {
    p_ += 2;
    while (p_ < end_) {
      const auto c = static_cast<uint8_t>(*p_);
      if (c == '\n' || c == '\r') return Ok();  // the main loop counts the newline
      if (c < 0x80) {
        ++p_;
        continue;
      }
      size_t n = Utf8SequenceLength(p_, end_);
      if (n == 0) return ErrorAt(p_, "malformed UTF-8 encoding");
      p_ += n;
    }
    return Ok();
  }

  Status SkipBlockComment() {
    const uint32_t start_line = line_;
    const uint32_t start_column = Column(p_);
    p_ += 2;
    uint32_t depth = 1;
    while (p_ < end_) {
      const auto c = static_cast<uint8_t>(*p_);
      if (c == ';') {
        if (p_ + 1 < end_ && p_[1] == ')') {
          p_ += 2;
          if (--depth == 0) return Ok();
          continue;
        }
        ++p_;
      } else if (c == '(') {
        if (p_ + 1 < end_ && p_[1] == ';') {
          p_ += 2;
          ++depth;
          continue;
        }
        ++p_;
      } else if (c == '\n') {
        ++p_;
        NewLine();
      } else if (c == '\r') {
        ++p_;
        if (p_ == end_ || *p_ != '\n') NewLine();
      } else if (c < 0x80) {
        ++p_;
      } else {
        size_t n = Utf8SequenceLength(p_, end_);
        if (n == 0) return ErrorAt(p_, "malformed UTF-8 encoding");
        p_ += n;
      }
    }
    return ErrorAtLineColumn(start_line, start_column, "unclosed comment");
  }

  // `q` points just after "(@": annotid ::= idchar+ | name (non-empty UTF-8 string).
  Status CheckAnnotationId(const char* q) {
    if (q < end_ && Is(static_cast<uint8_t>(*q), kIdChar)) return Ok();
    if (q < end_ && *q == '"') {
      std::string name;
      const char* str_end = nullptr;
      if (ScanString(q, end_, &str_end, &name) != nullptr || name.empty()) {
        return ErrorAt(p_, "empty annotation id");
      }
      if (!IsValidUtf8(name)) return ErrorAt(q, "malformed UTF-8");
      return Ok();
    }
    return ErrorAt(p_, "empty annotation id");
  }

  // Scans the token run at p_ (an idchar, punctuation or a quote).
  Result<Token> ScanToken(bool in_annotation) {
    const char* start = p_;
    const char* q = p_;
    bool only_idchars = true;
    int strings = 0;
    while (q < end_) {
      const auto c = static_cast<uint8_t>(*q);
      if (Is(c, kIdChar)) {
        ++q;
      } else if (c == '"') {
        const char* str_end = nullptr;
        if (const char* msg = ScanString(q, end_, &str_end, nullptr)) {
          // `$` followed by a broken string: no identifier was formed.
          if (!in_annotation && q == start + 1 && *start == '$') msg = "empty identifier";
          return ErrorAt(str_end, msg);
        }
        q = str_end;
        only_idchars = false;
        ++strings;
      } else if (c == ';') {
        if (q + 1 < end_ && q[1] == ';') break;
        ++q;
        only_idchars = false;
      } else if (Is(c, kPunct)) {
        ++q;
        only_idchars = false;
      } else {
        break;
      }
    }
    p_ = q;
    std::string_view text(start, static_cast<size_t>(q - start));
    Token token{TokenKind::kReserved, text, line_, Column(start)};
    const char first = *start;
    if (first == '"') {
      // A single string and nothing else (anything after it would not end with a quote).
      if (strings == 1 && text.back() == '"') {
        token.kind = TokenKind::kString;
      }
    } else if (first == '$') {
      if (text.size() > 1 && only_idchars) {
        token.kind = TokenKind::kId;
      } else if (text.size() == 1) {
        if (!in_annotation) return ErrorAt(start, "empty identifier");
      } else if (strings == 1 && start[1] == '"' && text.back() == '"') {
        std::string name;
        const char* str_end = nullptr;
        (void)ScanString(start + 1, end_, &str_end, &name);
        if (name.empty()) {
          if (!in_annotation) return ErrorAt(start, "empty identifier");
        } else if (!IsValidUtf8(name)) {
          if (!in_annotation) return ErrorAt(start, "malformed UTF-8");
        } else {
          token.kind = TokenKind::kId;
        }
      }
    } else if (only_idchars) {
      token.kind = ClassifyWord(text);
    }
    return token;
  }

  const char* begin_;
  const char* p_;
  const char* end_;
  const char* line_start_;
  uint32_t line_ = 1;
  std::string_view filename_;
};

}  // namespace

Result<std::vector<Token>> Tokenize(std::string_view source, std::string_view filename) {
  if (source.size() >= UINT32_MAX) {
    return MakeError(ErrorKind::kMalformed, "{}: source too large", filename);
  }
  return Lexer(source, filename).Run();
}

Result<std::string> DecodeString(const Token& token, std::string_view filename) {
  std::string_view text = token.text;
  std::string out;
  const char* str_end = nullptr;
  const char* msg = nullptr;
  if (text.empty() || text[0] != '"') {
    msg = "expected a string";
  } else {
    out.reserve(text.size());
    msg = ScanString(text.data(), text.data() + text.size(), &str_end, &out);
    if (msg == nullptr && str_end != text.data() + text.size()) msg = "malformed string";
  }
  if (msg != nullptr) {
    Error e = MakeError(ErrorKind::kMalformed, "{}", msg);
    e.location = Location(filename, token);
    return e;
  }
  return out;
}

std::string IdName(const Token& token) {
  std::string_view text = token.text;
  if (text.size() >= 3 && text[0] == '$' && text[1] == '"') {
    std::string out;
    const char* str_end = nullptr;
    (void)ScanString(text.data() + 1, text.data() + text.size(), &str_end, &out);
    return out;
  }
  if (!text.empty() && text[0] == '$') text.remove_prefix(1);
  return std::string(text);
}

std::string Location(std::string_view filename, const Token& token) {
  return fmt::format("{}:{}:{}", filename, token.line, token.column);
}

}  // namespace wt::text
