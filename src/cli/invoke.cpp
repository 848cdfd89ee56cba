#include "cli/invoke.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "runtime/gc/object.h"
#include "runtime/type_registry.h"

namespace wt::cli {
namespace {

using wasm::HeapKind;
using wasm::ValKind;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

// A signed integer of `bits` width: the two's complement bit pattern, or nullopt.
std::optional<uint64_t> ParseInteger(std::string_view s, unsigned bits) {
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  if (s.empty()) return std::nullopt;
  uint64_t magnitude = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), magnitude, base);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  const uint64_t mask = bits == 64 ? ~0ull : (1ull << bits) - 1;
  if (negative) {
    // Down to -2^(bits-1).
    if (magnitude > (1ull << (bits - 1))) return std::nullopt;
    return (0 - magnitude) & mask;
  }
  if (magnitude > mask) return std::nullopt;
  return magnitude;
}

// A float of type T (float or double), or nullopt.
template <typename T>
std::optional<T> ParseFloat(std::string_view s) {
  bool negative = false;
  std::string_view body = s;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  T value{};
  if (EqualsIgnoreCase(body, "nan")) {
    value = std::numeric_limits<T>::quiet_NaN();
  } else if (EqualsIgnoreCase(body, "inf") || EqualsIgnoreCase(body, "infinity")) {
    value = std::numeric_limits<T>::infinity();
  } else {
    auto fmt = std::chars_format::general;
    if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')) {
      fmt = std::chars_format::hex;
      body.remove_prefix(2);
    }
    // from_chars takes no sign of its own here (one was removed above) and no "nan(...)".
    if (body.empty() || body[0] == '-' || body[0] == '+' ||
        !(std::isdigit(static_cast<unsigned char>(body[0])) || body[0] == '.' ||
          (fmt == std::chars_format::hex && std::isxdigit(static_cast<unsigned char>(body[0]))))) {
      return std::nullopt;
    }
    auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), value, fmt);
    if (ptr != body.data() + body.size()) return std::nullopt;
    if (ec == std::errc::result_out_of_range) {
      // Too large: infinity (as Rust's parse gives); too small: zero.
      double approx = std::strtod(std::string(s).c_str(), nullptr);
      value = std::abs(approx) >= 1 ? std::numeric_limits<T>::infinity() : T(0);
    } else if (ec != std::errc()) {
      return std::nullopt;
    }
  }
  return negative ? -value : value;
}

// [wasmgc] By hierarchy (a concrete type: its canonical id's kind: runtime values carry
// canonical types), as wasmtime prints them.
const char* RefTypeWord(const wasm::ValType& t) {
  switch (runtime::CanonicalHeapTop(t.heap)) {
    case HeapKind::kFunc:
      return "funcref";
    case HeapKind::kExtern:
      return "externref";
    case HeapKind::kExn:
      return "exnref";
    default:
      return "anyref";
  }
}

// Shortest round-trip digits of a finite non-zero value, written out without an exponent.
template <typename T>
std::string PlainDecimal(T value) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(end - buf));
  // sci: [-]D[.DDD]e[+-]XX
  std::string out;
  if (!sci.empty() && sci[0] == '-') {
    out.push_back('-');
    sci.remove_prefix(1);
  }
  size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  int exponent = 0;
  std::string_view exp_text = sci.substr(e + 1);
  if (!exp_text.empty() && exp_text[0] == '+') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);
  // The value is 0.DIGITS * 10^(exponent + 1).
  const int point = exponent + 1;  // digits before the decimal point
  const int n = static_cast<int>(digits.size());
  if (point <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-point), '0');
    out += digits;
  } else if (point >= n) {
    out += digits;
    out.append(static_cast<size_t>(point - n), '0');
  } else {
    out += digits.substr(0, static_cast<size_t>(point));
    out.push_back('.');
    out += digits.substr(static_cast<size_t>(point));
  }
  return out;
}

template <typename T>
std::string FormatFloat(T value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  if (value == 0) return std::signbit(value) ? "-0" : "0";
  return PlainDecimal(value);
}

// An unsigned 128-bit integer (little-endian bytes) in decimal.
std::string U128Decimal(const uint8_t bytes[16]) {
  uint32_t words[4];  // most significant first
  for (int w = 0; w < 4; ++w) {
    uint32_t v = 0;
    for (int b = 3; b >= 0; --b) v = (v << 8) | bytes[(3 - w) * 4 + b];
    words[w] = v;
  }
  std::string digits;
  for (;;) {
    bool zero = true;
    uint64_t rem = 0;
    for (uint32_t& word : words) {
      uint64_t cur = (rem << 32) | word;
      word = static_cast<uint32_t>(cur / 10);
      rem = cur % 10;
      zero = zero && word == 0;
    }
    digits.push_back(static_cast<char>('0' + rem));
    if (zero) break;
  }
  return std::string(digits.rbegin(), digits.rend());
}

// An unsigned 128-bit integer, decimal or 0x-hex (no sign), as little-endian bytes.
std::optional<std::array<uint8_t, 16>> ParseU128(std::string_view s) {
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  if (s.empty()) return std::nullopt;
  std::array<uint8_t, 16> bytes{};
  for (char c : s) {
    unsigned digit;
    if (c >= '0' && c <= '9') {
      digit = static_cast<unsigned>(c - '0');
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      digit = static_cast<unsigned>(c - 'a' + 10);
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      digit = static_cast<unsigned>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
    // bytes = bytes * base + digit; a carry out of the top byte is an overflow.
    unsigned carry = digit;
    for (uint8_t& b : bytes) {
      unsigned cur = b * static_cast<unsigned>(base) + carry;
      b = static_cast<uint8_t>(cur);
      carry = cur >> 8;
    }
    if (carry != 0) return std::nullopt;
  }
  return bytes;
}

}  // namespace

Result<runtime::Value> ParseInvokeArg(std::string_view text, const wasm::ValType& type) {
  auto bad = [&](std::string_view what) {
    return MakeError(ErrorKind::kUsage, "invalid {} argument '{}'", what, text);
  };
  switch (type.kind) {
    case ValKind::kI32:
      if (auto v = ParseInteger(text, 32)) return runtime::Value::I32(static_cast<uint32_t>(*v));
      return bad("i32");
    case ValKind::kI64:
      if (auto v = ParseInteger(text, 64)) return runtime::Value::I64(*v);
      return bad("i64");
    case ValKind::kF32:
      if (auto v = ParseFloat<float>(text)) return runtime::Value::F32(*v);
      return bad("f32");
    case ValKind::kF64:
      if (auto v = ParseFloat<double>(text)) return runtime::Value::F64(*v);
      return bad("f64");
    case ValKind::kV128:
      if (auto v = ParseU128(text)) return runtime::Value::V128(v->data());
      return bad("v128");
    case ValKind::kRef: {
      if (text == "null" && type.nullable) return runtime::Value::Null(type);
      // [wasmgc] An integer for a parameter that takes i31 references (anyref, eqref, i31ref,
      // nullable or not): the i31 reference to it, as `ref.i31` makes (any 31-bit value,
      // signed or unsigned: "-1" and "2147483647" are the same reference).
      const bool takes_i31 = !type.heap.is_index() &&
                             (type.heap.kind == HeapKind::kAny || type.heap.kind == HeapKind::kEq ||
                              type.heap.kind == HeapKind::kI31);
      if (takes_i31 && text != "null") {
        auto v = ParseInteger(text, 32);
        const auto as_signed = static_cast<int32_t>(v.value_or(0));
        if (!v || (*v > 0x7fffffffu && as_signed < -(int32_t{1} << 30))) {
          return MakeError(ErrorKind::kUsage,
                           "invalid {} argument '{}': give {}an i31 value (an integer from "
                           "-1073741824 to 2147483647)",
                           wasm::ValTypeName(type), text, type.nullable ? "`null` or " : "");
        }
        const uintptr_t word = ((static_cast<uintptr_t>(*v) & 0x7fffffffu) << 1) | 1u;
        return runtime::Value::Ref(type, reinterpret_cast<void*>(word));
      }
      if (!type.nullable) {  // [wasm3] R: typed references such as (ref func), (ref $t)
        return MakeError(ErrorKind::kUsage,
                         "invalid {} argument '{}': a non-null reference cannot be given on the "
                         "command line",
                         wasm::ValTypeName(type), text);
      }
      return MakeError(ErrorKind::kUsage,
                       "invalid {} argument '{}': only `null` can be given for a reference",
                       wasm::ValTypeName(type), text);
    }
    case ValKind::kBot:
      break;
  }
  return bad(wasm::ValTypeName(type));
}

std::string FormatF32(float value) {
  return FormatFloat(value);
}
std::string FormatF64(double value) {
  return FormatFloat(value);
}

std::string FormatInvokeResult(const runtime::Value& v) {
  switch (v.type.kind) {
    case ValKind::kI32:
      return fmt::format("{}", static_cast<int32_t>(v.i32()));
    case ValKind::kI64:
      return fmt::format("{}", static_cast<int64_t>(v.i64()));
    case ValKind::kF32:
      return FormatF32(v.f32());
    case ValKind::kF64:
      return FormatF64(v.f64());
    case ValKind::kV128:
      return U128Decimal(v.bits.v128);
    case ValKind::kRef:
      if (v.ref() == nullptr) return fmt::format("<null {}>", RefTypeWord(v.type));
      if (runtime::CanonicalHeapTop(v.type.heap) == HeapKind::kAny) {
        // [wasmgc] What an anyref holds: an i31 with its value (signed, as i31.get_s reads
        // it), a struct, an array; a host value (any.convert_extern) stays "<anyref>".
        if (runtime::gc::IsI31(v.ref())) {
          const auto word = static_cast<uint32_t>(reinterpret_cast<uintptr_t>(v.ref()));
          return fmt::format("<i31ref {}>", static_cast<int32_t>(word) >> 1);
        }
        switch (static_cast<const runtime::gc::GcHeader*>(v.ref())->kind) {
          case runtime::gc::GcKind::kStruct:
            return "<structref>";
          case runtime::gc::GcKind::kArray:
            return "<arrayref>";
          default:
            break;
        }
      }
      return fmt::format("<{}>", RefTypeWord(v.type));
    case ValKind::kBot:
      break;
  }
  return "?";
}

}  // namespace wt::cli
