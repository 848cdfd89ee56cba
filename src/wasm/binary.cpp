#include "wasm/binary.h"

#include <string>

namespace wt::wasm {

Error MalformedAt(size_t offset, std::string_view message) {
  Error e;
  e.kind = ErrorKind::kMalformed;
  e.message = std::string(message);
  e.offset = offset;
  return e;
}

bool IsValidUtf8(std::span<const uint8_t> bytes) {
  size_t i = 0;
  const size_t n = bytes.size();
  while (i < n) {
    uint8_t b0 = bytes[i];
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint8_t lo = 0x80, hi = 0xBF;  // range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      len = 3;
      if (b0 == 0xE0)
        lo = 0xA0;  // no overlongs
      else if (b0 == 0xED)
        hi = 0x9F;  // no surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      len = 4;
      if (b0 == 0xF0)
        lo = 0x90;  // no overlongs
      else if (b0 == 0xF4)
        hi = 0x8F;  // <= U+10FFFF
    } else {
      return false;  // continuation byte, overlong 2-byte lead (C0/C1), or F5..FF
    }
    if (n - i < len) return false;
    if (bytes[i + 1] < lo || bytes[i + 1] > hi) return false;
    for (size_t k = 2; k < len; ++k) {
      if (bytes[i + k] < 0x80 || bytes[i + k] > 0xBF) return false;
    }
    i += len;
  }
  return true;
}

// LEB128 following the spec's grammar: at most ceil(bits/7) bytes; in the last permitted byte
// the bits beyond the value's width must be zero (unsigned) or a sign extension (signed).
Status BinaryReader::ReadUnsigned(unsigned bits, uint64_t* out) {
  uint64_t result = 0;
  unsigned shift = 0;
  int left = static_cast<int>(bits);  // value bits still allowed
  for (;;) {
    if (left <= 0) return Fail("integer representation too long");
    if (pos_ >= size_) return EndError();
    uint8_t b = data_[pos_];
    if (left < 7 && (b & 0x7F) >= (1u << left)) return Fail("integer too large");
    ++pos_;
    result |= static_cast<uint64_t>(b & 0x7F) << shift;
    if ((b & 0x80) == 0) break;
    shift += 7;
    left -= 7;
  }
  *out = result;
  return Ok();
}

Status BinaryReader::ReadSigned(unsigned bits, int64_t* out) {
  uint64_t result = 0;
  unsigned shift = 0;
  int left = static_cast<int>(bits);
  for (;;) {
    if (left <= 0) return Fail("integer representation too long");
    if (pos_ >= size_) return EndError();
    uint8_t b = data_[pos_];
    if (left < 7) {
      // The bits from the sign bit of the value upward must all be equal.
      uint8_t mask = static_cast<uint8_t>((0xFFu << (left - 1)) & 0x7Fu);
      if ((b & mask) != 0 && (b & mask) != mask) return Fail("integer too large");
    }
    ++pos_;
    result |= static_cast<uint64_t>(b & 0x7F) << shift;
    shift += 7;
    if ((b & 0x80) == 0) {
      if (shift < 64 && (b & 0x40)) result |= ~uint64_t{0} << shift;
      break;
    }
    left -= 7;
  }
  *out = static_cast<int64_t>(result);
  return Ok();
}

Result<uint32_t> BinaryReader::Length() {
  size_t at = offset();
  size_t before = remaining();
  WT_TRY_ASSIGN(uint32_t n, U32());
  if (n > before) return MalformedAt(at, "length out of bounds");
  return n;
}

Result<uint32_t> BinaryReader::Count(size_t min_item_bytes) {
  WT_TRY_ASSIGN(uint32_t n, U32());
  if (min_item_bytes != 0 && n > remaining() / min_item_bytes) return EndError();
  return n;
}

Result<std::string_view> BinaryReader::Name() {
  WT_TRY_ASSIGN(uint32_t n, Length());
  size_t at = offset();
  if (n > remaining()) return EndError();
  std::span<const uint8_t> s(data_ + pos_, n);
  if (!IsValidUtf8(s)) return MalformedAt(at, "malformed UTF-8 encoding");
  pos_ += n;
  return std::string_view(reinterpret_cast<const char*>(s.data()), s.size());
}

}  // namespace wt::wasm
