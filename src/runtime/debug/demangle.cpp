// Demanglers (demangle.h). The Rust v0 printer follows the grammar of Rust RFC 2603; hostile
// input is bounded (recursion depth, output size) and never crashes.
#include "runtime/debug/demangle.h"

#include <cxxabi.h>

#include <cstdlib>
#include <cstring>
#include <vector>

namespace wt::runtime::debug {
namespace {

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// ---- Rust legacy ------------------------------------------------------------------------

// Decodes the `$...$` escapes and `..` of one legacy path component.
bool UnescapeLegacy(std::string_view s, std::string* out) {
  if (s.size() >= 2 && s[0] == '_' && s[1] == '$') s.remove_prefix(1);
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '.') {
      if (i + 1 < s.size() && s[i + 1] == '.') {
        out->append("::");
        i += 2;
      } else {
        out->push_back('-');
        ++i;
      }
      continue;
    }
    if (c != '$') {
      out->push_back(c);
      ++i;
      continue;
    }
    size_t end = s.find('$', i + 1);
    if (end == std::string_view::npos) return false;
    std::string_view esc = s.substr(i + 1, end - i - 1);
    static constexpr struct {
      const char* code;
      char ch;
    } kEscapes[] = {{"SP", '@'}, {"BP", '*'}, {"RF", '&'}, {"LT", '<'},
                    {"GT", '>'}, {"LP", '('}, {"RP", ')'}, {"C", ','}};
    bool done = false;
    for (const auto& e : kEscapes) {
      if (esc == e.code) {
        out->push_back(e.ch);
        done = true;
        break;
      }
    }
    if (!done) {
      if (esc.size() < 2 || esc[0] != 'u') return false;
      unsigned long v = 0;
      for (char h : esc.substr(1)) {
        if (!IsHex(h) || v > 0x10FFFF) return false;
        v = v * 16 + static_cast<unsigned long>(IsDigit(h) ? h - '0' : h - 'a' + 10);
      }
      if (v >= 0x80 || v < 0x20) return false;  // printable ASCII only
      out->push_back(static_cast<char>(v));
    }
    i = end + 1;
  }
  return true;
}

// ---- Rust v0 ----------------------------------------------------------------------------

class V0Printer {
 public:
  explicit V0Printer(std::string_view sym) : s_(sym) {}

  bool Run(std::string* out) {
    if (pos_ < s_.size() && IsDigit(s_[pos_])) {  // encoding version
      while (pos_ < s_.size() && IsDigit(s_[pos_])) ++pos_;
    }
    if (!Path(true)) return false;
    // An instantiating crate and vendor suffixes may follow: not printed.
    *out = std::move(out_);
    return true;
  }

 private:
  static constexpr int kMaxDepth = 100;
  static constexpr size_t kMaxOut = 4096;
  static constexpr uint64_t kMaxSteps = 100000;

  bool Eat(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  char Next() { return pos_ < s_.size() ? s_[pos_++] : '\0'; }
  char Peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  bool Emit(std::string_view t) {
    if (out_.size() + t.size() > kMaxOut) return false;
    out_.append(t);
    return true;
  }

  // <base-62-number>: "_" is 0, digits then "_" are value + 1.
  bool Base62(uint64_t* v) {
    if (Eat('_')) {
      *v = 0;
      return true;
    }
    uint64_t x = 0;
    for (;;) {
      char c = Next();
      if (c == '_') break;
      uint64_t d;
      if (c >= '0' && c <= '9')
        d = static_cast<uint64_t>(c - '0');
      else if (c >= 'a' && c <= 'z')
        d = static_cast<uint64_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'Z')
        d = static_cast<uint64_t>(c - 'A' + 36);
      else
        return false;
      if (x > (UINT64_MAX - d) / 62) return false;
      x = x * 62 + d;
    }
    if (x == UINT64_MAX) return false;
    *v = x + 1;
    return true;
  }
  // [tag <base-62-number>] -> 0 when absent, else value + 1.
  bool OptBase62(char tag, uint64_t* v) {
    *v = 0;
    if (!Eat(tag)) return true;
    uint64_t x;
    if (!Base62(&x) || x == UINT64_MAX) return false;
    *v = x + 1;
    return true;
  }
  bool Decimal(uint64_t* v) {
    if (!IsDigit(Peek())) return false;
    if (Peek() == '0') {
      ++pos_;
      *v = 0;
      return true;
    }
    uint64_t x = 0;
    while (IsDigit(Peek())) {
      if (x > (UINT64_MAX - 9) / 10) return false;
      x = x * 10 + static_cast<uint64_t>(Next() - '0');
    }
    *v = x;
    return true;
  }
  // <undisambiguated-identifier> = ["u"] <decimal-number> ["_"] <bytes>
  bool Ident(std::string_view* name, bool* punycode) {
    *punycode = Eat('u');
    uint64_t len;
    if (!Decimal(&len)) return false;
    Eat('_');
    if (len > s_.size() - pos_) return false;
    *name = s_.substr(pos_, len);
    pos_ += len;
    return true;
  }

  // Nesting depth and total work are bounded: backrefs may name a subtree many times, and an
  // impl's path is parsed but not printed, so output size alone bounds neither.
  struct Depth {
    explicit Depth(V0Printer* p) : p(p) {
      ++p->depth_;
      if (++p->steps_ > kMaxSteps) p->depth_ = kMaxDepth + 1;
    }
    ~Depth() { --p->depth_; }
    V0Printer* p;
  };

  // Runs `fn` at the position a backref names, then comes back.
  template <typename Fn>
  bool Backref(Fn fn) {
    size_t start = pos_ - 1;  // at the 'B'
    uint64_t target;
    if (!Base62(&target) || target >= start) return false;
    size_t saved = pos_;
    pos_ = static_cast<size_t>(target);
    bool ok = fn();
    pos_ = saved;
    return ok;
  }

  bool Path(bool value) {
    Depth d(this);
    if (depth_ > kMaxDepth) return false;
    char tag = Next();
    switch (tag) {
      case 'C': {
        uint64_t dis;
        std::string_view name;
        bool puny;
        if (!OptBase62('s', &dis) || !Ident(&name, &puny)) return false;
        return Emit(name);
      }
      case 'N': {
        char ns = Next();
        if (!((ns >= 'a' && ns <= 'z') || (ns >= 'A' && ns <= 'Z'))) return false;
        if (!Path(value)) return false;
        uint64_t dis;
        std::string_view name;
        bool puny;
        if (!OptBase62('s', &dis) || !Ident(&name, &puny)) return false;
        if (ns >= 'A' && ns <= 'Z') {
          if (!Emit("::{")) return false;
          if (!Emit(ns == 'C' ? "closure" : ns == 'S' ? "shim" : std::string_view(&ns, 1)))
            return false;
          if (!name.empty() && (!Emit(":") || !Emit(name))) return false;
          return Emit("#") && Emit(std::to_string(dis)) && Emit("}");
        }
        if (name.empty()) return true;
        return Emit("::") && Emit(name);
      }
      case 'M':
      case 'X':
      case 'Y': {
        if (tag != 'Y') {
          uint64_t dis;
          if (!OptBase62('s', &dis)) return false;
          // The impl's own path (where the impl is) is not printed.
          size_t saved = out_.size();
          if (!Path(false)) return false;
          out_.resize(saved);
        }
        if (!Emit("<") || !Type()) return false;
        if (tag != 'M') {
          if (!Emit(" as ") || !Path(false)) return false;
        }
        return Emit(">");
      }
      case 'I': {
        if (!Path(value)) return false;
        if (value && !Emit("::")) return false;
        if (!Emit("<")) return false;
        for (bool first = true; !Eat('E'); first = false) {
          if (pos_ >= s_.size()) return false;
          if (!first && !Emit(", ")) return false;
          if (!GenericArg()) return false;
        }
        return Emit(">");
      }
      case 'B':
        return Backref([&] { return Path(value); });
      default:
        return false;
    }
  }

  bool GenericArg() {
    if (Eat('L')) {
      uint64_t lt;
      return Base62(&lt) && Emit("'_");
    }
    if (Eat('K')) return Const();
    return Type();
  }

  static const char* BasicType(char c) {
    switch (c) {
      case 'a':
        return "i8";
      case 'b':
        return "bool";
      case 'c':
        return "char";
      case 'd':
        return "f64";
      case 'e':
        return "str";
      case 'f':
        return "f32";
      case 'h':
        return "u8";
      case 'i':
        return "isize";
      case 'j':
        return "usize";
      case 'l':
        return "i32";
      case 'm':
        return "u32";
      case 'n':
        return "i128";
      case 'o':
        return "u128";
      case 's':
        return "i16";
      case 't':
        return "u16";
      case 'u':
        return "()";
      case 'v':
        return "...";
      case 'x':
        return "i64";
      case 'y':
        return "u64";
      case 'z':
        return "!";
      case 'p':
        return "_";
      default:
        return nullptr;
    }
  }

  bool Type() {
    Depth d(this);
    if (depth_ > kMaxDepth) return false;
    char c = Peek();
    if (const char* basic = BasicType(c)) {
      ++pos_;
      return Emit(basic);
    }
    switch (c) {
      case 'R':
      case 'Q': {
        ++pos_;
        if (!Emit(c == 'R' ? "&" : "&mut ")) return false;
        if (Eat('L')) {
          uint64_t lt;
          if (!Base62(&lt)) return false;
        }
        return Type();
      }
      case 'P':
      case 'O':
        ++pos_;
        return Emit(c == 'P' ? "*const " : "*mut ") && Type();
      case 'A':
        ++pos_;
        return Emit("[") && Type() && Emit("; ") && Const() && Emit("]");
      case 'S':
        ++pos_;
        return Emit("[") && Type() && Emit("]");
      case 'T': {
        ++pos_;
        if (!Emit("(")) return false;
        int n = 0;
        for (; !Eat('E'); ++n) {
          if (pos_ >= s_.size()) return false;
          if (n > 0 && !Emit(", ")) return false;
          if (!Type()) return false;
        }
        return Emit(n == 1 ? ",)" : ")");
      }
      case 'F':
        ++pos_;
        return FnSig();
      case 'D': {
        ++pos_;
        uint64_t binder;
        if (!OptBase62('G', &binder) || !Emit("dyn ")) return false;
        for (bool first = true; !Eat('E'); first = false) {
          if (pos_ >= s_.size()) return false;
          if (!first && !Emit(" + ")) return false;
          if (!DynTrait()) return false;
        }
        if (!Eat('L')) return false;
        uint64_t lt;
        return Base62(&lt);
      }
      case 'B':
        ++pos_;
        return Backref([&] { return Type(); });
      default:
        return Path(false);
    }
  }

  bool FnSig() {
    uint64_t binder;
    if (!OptBase62('G', &binder)) return false;
    if (Eat('U') && !Emit("unsafe ")) return false;
    if (Eat('K')) {
      if (Eat('C')) {
        if (!Emit("extern \"C\" ")) return false;
      } else {
        std::string_view abi;
        bool puny;
        if (!Ident(&abi, &puny)) return false;
        std::string a(abi);
        for (char& ch : a)
          if (ch == '_') ch = '-';
        if (!Emit("extern \"") || !Emit(a) || !Emit("\" ")) return false;
      }
    }
    if (!Emit("fn(")) return false;
    for (bool first = true; !Eat('E'); first = false) {
      if (pos_ >= s_.size()) return false;
      if (!first && !Emit(", ")) return false;
      if (!Type()) return false;
    }
    if (!Emit(")")) return false;
    if (Eat('u')) return true;  // returns ()
    return Emit(" -> ") && Type();
  }

  bool DynTrait() {
    // <path> {"p" <undisambiguated-identifier> <type>}: the path may end with generic args;
    // associated type bindings are appended inside the same angle brackets.
    size_t before = out_.size();
    if (!Path(false)) return false;
    bool open = false;
    while (Eat('p')) {
      std::string_view name;
      bool puny;
      if (!Ident(&name, &puny)) return false;
      if (!open) {
        if (out_.size() > before && out_.back() == '>') {
          out_.pop_back();
          if (!Emit(", ")) return false;
        } else if (!Emit("<")) {
          return false;
        }
        open = true;
      } else if (!Emit(", ")) {
        return false;
      }
      if (!Emit(name) || !Emit(" = ") || !Type()) return false;
    }
    return !open || Emit(">");
  }

  bool Const() {
    Depth d(this);
    if (depth_ > kMaxDepth) return false;
    if (Eat('p')) return Emit("_");
    if (Eat('B')) return Backref([&] { return Const(); });
    char ty = Next();
    bool neg = false;
    if (ty == 'a' || ty == 's' || ty == 'l' || ty == 'x' || ty == 'n' || ty == 'i') neg = Eat('n');
    uint64_t v = 0;
    size_t digits = 0;
    for (;;) {
      char c = Next();
      if (c == '_') break;
      if (!IsHex(c)) return false;
      if (++digits > 16) return false;  // wider constants are not printed
      v = v * 16 + static_cast<uint64_t>(IsDigit(c) ? c - '0' : c - 'a' + 10);
    }
    switch (ty) {
      case 'b':
        return Emit(v == 0 ? "false" : "true");
      case 'c':
        if (v >= 0x20 && v < 0x7f) {
          char ch = static_cast<char>(v);
          return Emit("'") && Emit(std::string_view(&ch, 1)) && Emit("'");
        }
        return Emit("'\\u{") && Emit(std::to_string(v)) && Emit("}'");
      default:
        if (!BasicType(ty) || ty == 'e' || ty == 'u' || ty == 'z' || ty == 'v' || ty == 'd' ||
            ty == 'f')
          return false;
        return Emit(neg ? "-" : "") && Emit(std::to_string(v));
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
  int depth_ = 0;
  uint64_t steps_ = 0;
  std::string out_;
};

}  // namespace

std::optional<std::string> DemangleRustLegacy(std::string_view name) {
  if (name.starts_with("__ZN")) name.remove_prefix(1);
  if (!name.starts_with("_ZN")) return std::nullopt;
  size_t pos = 3;
  std::vector<std::string_view> parts;
  while (pos < name.size() && name[pos] != 'E') {
    size_t len = 0, digits = 0;
    while (pos < name.size() && IsDigit(name[pos])) {
      if (++digits > 6) return std::nullopt;
      len = len * 10 + static_cast<size_t>(name[pos++] - '0');
    }
    if (digits == 0 || len == 0 || len > name.size() - pos) return std::nullopt;
    parts.push_back(name.substr(pos, len));
    pos += len;
  }
  if (pos >= name.size() || parts.size() < 2) return std::nullopt;
  // The last component is the hash: "h" + 16 hex digits.
  std::string_view hash = parts.back();
  if (hash.size() != 17 || hash[0] != 'h') return std::nullopt;
  for (char c : hash.substr(1))
    if (!IsHex(c)) return std::nullopt;
  parts.pop_back();
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += "::";
    if (!UnescapeLegacy(parts[i], &out)) return std::nullopt;
  }
  return out;
}

std::optional<std::string> DemangleRustV0(std::string_view name) {
  if (name.starts_with("__R"))
    name.remove_prefix(3);
  else if (name.starts_with("_R"))
    name.remove_prefix(2);
  else
    return std::nullopt;
  // A vendor suffix (".llvm.123") is not part of the encoding.
  if (size_t dot = name.find('.'); dot != std::string_view::npos) name = name.substr(0, dot);
  if (name.empty() || !(IsDigit(name[0]) || (name[0] >= 'A' && name[0] <= 'Z')))
    return std::nullopt;
  std::string out;
  if (!V0Printer(name).Run(&out)) return std::nullopt;
  return out;
}

std::optional<std::string> DemangleCxx(std::string_view name) {
  if (!name.starts_with("_Z")) return std::nullopt;
  std::string z(name);
  int status = 0;
  char* d = abi::__cxa_demangle(z.c_str(), nullptr, nullptr, &status);
  if (status != 0 || d == nullptr) {
    std::free(d);
    return std::nullopt;
  }
  std::string out(d);
  std::free(d);
  return out;
}

std::string Demangle(std::string_view name) {
  if (auto r = DemangleRustLegacy(name)) return *r;
  if (auto r = DemangleRustV0(name)) return *r;
  if (auto r = DemangleCxx(name)) return *r;
  return std::string(name);
}

}  // namespace wt::runtime::debug
