// Numeric literals of the text format.
//
// Integers: digits with '_' between them, decimal or 0x hex, an optional sign.
// Floats: hex literals are rounded here with integer arithmetic (exact binary digits, round to
// nearest even); decimal literals go through std::from_chars, which rounds correctly, after
// the '_' separators are removed and the exponent is brought into a sane range.
#include "text/literals.h"

#include <charconv>
#include <cstring>
#include <string>
#include <system_error>

namespace wt::text {
namespace {

bool IsDigitOf(char c, bool hex) {
  if (c >= '0' && c <= '9') return true;
  return hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
}

unsigned DigitValue(char c) {
  if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
  return static_cast<unsigned>(c - 'A' + 10);
}

// Scans `digit ('_'? digit)*` at the start of s; returns the length, 0 when there is none.
size_t ScanNum(std::string_view s, bool hex) {
  if (s.empty() || !IsDigitOf(s[0], hex)) return 0;
  size_t i = 1;
  while (i < s.size()) {
    if (IsDigitOf(s[i], hex)) {
      ++i;
    } else if (s[i] == '_' && i + 1 < s.size() && IsDigitOf(s[i + 1], hex)) {
      i += 2;
    } else {
      break;
    }
  }
  return i;
}

// Parses an unsigned num or 0x hexnum (the whole of s) into a value <= max.
std::optional<uint64_t> ParseUnsigned(std::string_view s, uint64_t max) {
  bool hex = false;
  if (s.size() > 2 && s[0] == '0' && s[1] == 'x') {
    hex = true;
    s.remove_prefix(2);
  }
  if (s.empty() || ScanNum(s, hex) != s.size()) return std::nullopt;
  const uint64_t base = hex ? 16 : 10;
  uint64_t v = 0;
  for (char c : s) {
    if (c == '_') continue;
    const uint64_t d = DigitValue(c);
    if (v > (max - d) / base) return std::nullopt;
    v = v * base + d;
  }
  return v;
}

// An N-bit integer (N = 8..64) in either the signed or the unsigned range; the result is the
// two's complement bit pattern in the low N bits.
std::optional<uint64_t> ParseIntN(std::string_view s, unsigned bits) {
  const uint64_t umax = bits == 64 ? UINT64_MAX : (uint64_t{1} << bits) - 1;
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (!negative) return ParseUnsigned(s, umax);
  auto magnitude = ParseUnsigned(s, uint64_t{1} << (bits - 1));
  if (!magnitude) return std::nullopt;
  return (uint64_t{0} - *magnitude) & umax;
}

// IEEE binary format parameters.
struct FloatFormat {
  int mant_bits;  // explicit mantissa bits (23 / 52)
  int exp_bits;   // 8 / 11
  int bias() const { return (1 << (exp_bits - 1)) - 1; }
  uint64_t sign_bit() const { return uint64_t{1} << (mant_bits + exp_bits); }
  uint64_t exp_mask() const { return ((uint64_t{1} << exp_bits) - 1) << mant_bits; }
  uint64_t mant_mask() const { return (uint64_t{1} << mant_bits) - 1; }
};
constexpr FloatFormat kF32Format{23, 8};
constexpr FloatFormat kF64Format{52, 11};

// Decimal exponent digits with saturation (the value only matters up to far beyond any
// representable range).
constexpr int64_t kExpClamp = int64_t{1} << 40;

std::optional<int64_t> ParseExponent(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty() || ScanNum(s, false) != s.size()) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c == '_') continue;
    v = v * 10 + (c - '0');
    if (v > kExpClamp) v = kExpClamp;
  }
  return negative ? -v : v;
}

// Splits the magnitude `mag` (no sign) of a num/hexnum float into its integer digits, fraction
// digits (either may be empty, but not the integer part) and exponent text (after p/e).
struct FloatParts {
  std::string_view int_digits;
  std::string_view frac_digits;
  int64_t exponent = 0;
};

std::optional<FloatParts> SplitFloat(std::string_view mag, bool hex) {
  FloatParts parts;
  size_t n = ScanNum(mag, hex);
  if (n == 0) return std::nullopt;
  parts.int_digits = mag.substr(0, n);
  mag.remove_prefix(n);
  if (!mag.empty() && mag[0] == '.') {
    mag.remove_prefix(1);
    n = ScanNum(mag, hex);
    parts.frac_digits = mag.substr(0, n);
    mag.remove_prefix(n);
  }
  if (!mag.empty()) {
    const char e = mag[0];
    if (hex ? (e != 'p' && e != 'P') : (e != 'e' && e != 'E')) return std::nullopt;
    auto exp = ParseExponent(mag.substr(1));
    if (!exp) return std::nullopt;
    parts.exponent = *exp;
  }
  return parts;
}

// Rounds mant * 2^e2 (plus a non-zero tail below mant's last bit when `sticky`) to the format.
// nullopt when the result overflows.
std::optional<uint64_t> RoundBinary(uint64_t mant, bool sticky, int64_t e2, const FloatFormat& f) {
  if (mant == 0) return uint64_t{0};
  const int msb = 63 - __builtin_clzll(mant);
  const int64_t exponent = msb + e2;  // value in [2^exponent, 2^(exponent+1))
  const int64_t emin = 1 - f.bias();
  const int64_t emax = f.bias();
  if (exponent > emax) return std::nullopt;
  // Position of the last kept bit: normal numbers keep mant_bits+1 bits, subnormals stop at
  // 2^(emin - mant_bits).
  int64_t low = exponent - f.mant_bits;
  if (low < emin - f.mant_bits) low = emin - f.mant_bits;
  const int64_t shift = low - e2;
  uint64_t q;
  if (shift <= 0) {
    q = mant << (-shift);  // exact: mant has at most mant_bits+1 bits here, and no tail
  } else if (shift >= 63) {
    q = 0;  // below half of the smallest kept bit (mant < 2^62)
  } else {
    q = mant >> shift;
    const uint64_t rem = mant & ((uint64_t{1} << shift) - 1);
    const uint64_t half = uint64_t{1} << (shift - 1);
    if (rem > half || (rem == half && (sticky || (q & 1) != 0))) ++q;
  }
  if (q == 0) return uint64_t{0};
  if (q >> (f.mant_bits + 1)) {  // rounding carried into a new bit
    q >>= 1;
    ++low;
  }
  if (q < (uint64_t{1} << f.mant_bits)) return q;  // subnormal (low == emin - mant_bits)
  const int64_t biased = low + f.mant_bits + f.bias();
  if (biased >= (int64_t{1} << f.exp_bits) - 1) return std::nullopt;
  return (static_cast<uint64_t>(biased) << f.mant_bits) | (q & f.mant_mask());
}

std::optional<uint64_t> ParseHexFloatMagnitude(std::string_view mag, const FloatFormat& f) {
  auto parts = SplitFloat(mag, true);
  if (!parts) return std::nullopt;
  // Gather up to 62 significant bits; later non-zero digits only set `sticky`.
  uint64_t mant = 0;
  bool sticky = false;
  int64_t e2 = parts->exponent;
  auto feed = [&](std::string_view digits, bool fraction) {
    for (char c : digits) {
      if (c == '_') continue;
      const unsigned d = DigitValue(c);
      if (mant < (uint64_t{1} << 58)) {
        mant = mant * 16 + d;
        if (fraction) e2 -= 4;
      } else {
        if (d != 0) sticky = true;
        if (!fraction) e2 += 4;
      }
    }
  };
  feed(parts->int_digits, false);
  feed(parts->frac_digits, true);
  return RoundBinary(mant, sticky, e2, f);
}

template <typename T>
std::optional<uint64_t> ParseDecimalMagnitude(std::string_view mag) {
  auto parts = SplitFloat(mag, false);
  if (!parts) return std::nullopt;
  // The significant digits without '_' and leading zeros, and the decimal exponent of the
  // first one.
  std::string digits;
  digits.reserve(parts->int_digits.size() + parts->frac_digits.size());
  int64_t point = 0;  // number of digits before the decimal point, counted in `digits`
  for (char c : parts->int_digits) {
    if (c == '_' || (c == '0' && digits.empty())) continue;
    digits.push_back(c);
  }
  point = static_cast<int64_t>(digits.size());
  for (char c : parts->frac_digits) {
    if (c == '_') continue;
    if (c == '0' && digits.empty()) {
      --point;
      continue;
    }
    digits.push_back(c);
  }
  if (digits.empty()) return uint64_t{0};
  // value = 0.d1d2d3... * 10^(point + exponent)
  const int64_t sci = point + parts->exponent - 1;  // exponent of the first digit
  if (sci > 400) return std::nullopt;               // beyond any finite value
  if (sci < -400) return uint64_t{0};               // below half the smallest subnormal
  const std::string text = "0." + digits + "e" + std::to_string(point + parts->exponent);
  T value{};
  auto [ptr, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::general);
  if (ptr != text.data() + text.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    if (sci > 0) return std::nullopt;  // overflow to infinity
    return uint64_t{0};                // underflow to zero
  }
  if (ec != std::errc()) return std::nullopt;
  if constexpr (sizeof(T) == 4) {
    uint32_t bits;
    std::memcpy(&bits, &value, 4);
    if ((bits & 0x7f800000u) == 0x7f800000u) return std::nullopt;
    return bits;
  } else {
    uint64_t bits;
    std::memcpy(&bits, &value, 8);
    if ((bits & kF64Format.exp_mask()) == kF64Format.exp_mask()) return std::nullopt;
    return bits;
  }
}

template <typename T>
std::optional<uint64_t> ParseFloat(std::string_view s, const FloatFormat& f) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  std::optional<uint64_t> bits;
  if (s == "inf") {
    bits = f.exp_mask();
  } else if (s == "nan") {
    bits = f.exp_mask() | (uint64_t{1} << (f.mant_bits - 1));
  } else if (s.size() > 6 && s.substr(0, 6) == "nan:0x") {
    auto payload = ParseUnsigned(s.substr(4), f.mant_mask());
    if (!payload || *payload == 0) return std::nullopt;
    bits = f.exp_mask() | *payload;
  } else if (s.size() > 2 && s[0] == '0' && s[1] == 'x') {
    bits = ParseHexFloatMagnitude(s.substr(2), f);
  } else {
    bits = ParseDecimalMagnitude<T>(s);
  }
  if (!bits) return std::nullopt;
  return negative ? (*bits | f.sign_bit()) : *bits;
}

}  // namespace

std::optional<uint32_t> ParseI32(std::string_view text) {
  auto v = ParseIntN(text, 32);
  if (!v) return std::nullopt;
  return static_cast<uint32_t>(*v);
}

std::optional<uint64_t> ParseI64(std::string_view text) {
  return ParseIntN(text, 64);
}

std::optional<uint32_t> ParseU32(std::string_view text) {
  auto v = ParseUnsigned(text, UINT32_MAX);
  if (!v) return std::nullopt;
  return static_cast<uint32_t>(*v);
}

std::optional<uint64_t> ParseU64(std::string_view text) {
  return ParseUnsigned(text, UINT64_MAX);
}

std::optional<uint32_t> ParseF32Bits(std::string_view text) {
  auto v = ParseFloat<float>(text, kF32Format);
  if (!v) return std::nullopt;
  return static_cast<uint32_t>(*v);
}

std::optional<uint64_t> ParseF64Bits(std::string_view text) {
  return ParseFloat<double>(text, kF64Format);
}

std::optional<uint8_t> ParseI8(std::string_view text) {
  auto v = ParseIntN(text, 8);
  if (!v) return std::nullopt;
  return static_cast<uint8_t>(*v);
}

std::optional<uint16_t> ParseI16(std::string_view text) {
  auto v = ParseIntN(text, 16);
  if (!v) return std::nullopt;
  return static_cast<uint16_t>(*v);
}

}  // namespace wt::text
