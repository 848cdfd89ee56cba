// A bounds-checked cursor over Wasm binary bytes: fixed-size reads, LEB128 with the spec's
// limits, and UTF-8 validated names. Every read returns a Result/Status; errors are kMalformed
// and carry the module offset of the offending byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "util/result.h"

namespace wt::wasm {

// True if `bytes` is well-formed UTF-8 exactly as the Wasm spec defines it (no overlong
// encodings, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::span<const uint8_t> bytes);

// A kMalformed error at a module offset.
Error MalformedAt(size_t offset, std::string_view message);

class BinaryReader {
 public:
  BinaryReader() = default;
  // `bytes` are the bytes to read; `base_offset` is the module offset of bytes[0].
  explicit BinaryReader(std::span<const uint8_t> bytes, size_t base_offset = 0)
      : data_(bytes.data()), size_(bytes.size()), base_(base_offset) {}

  size_t pos() const { return pos_; }             // relative to the start of the span
  size_t offset() const { return base_ + pos_; }  // module offset of the next byte
  size_t base_offset() const { return base_; }
  size_t size() const { return size_; }
  size_t remaining() const { return size_ - pos_; }
  bool AtEnd() const { return pos_ >= size_; }
  std::span<const uint8_t> bytes() const { return {data_, size_}; }
  // Moves the cursor; `pos` must be <= size().
  void set_pos(size_t pos) { pos_ = pos; }

  // The next byte without consuming it, or -1 at the end.
  int Peek() const { return pos_ < size_ ? data_[pos_] : -1; }

  // Errors at the current position (or a given module offset).
  Error Fail(std::string_view message) const { return MalformedAt(offset(), message); }
  Error FailAt(size_t module_offset, std::string_view message) const {
    return MalformedAt(module_offset, message);
  }
  Error EndError() const { return MalformedAt(base_ + size_, end_message_); }

  // The message reported when a read runs past the end ("unexpected end" by default; the
  // section reader uses "unexpected end of section or function" for section contents).
  void set_end_message(const char* message) { end_message_ = message; }

  Result<uint8_t> U8() {
    if (pos_ >= size_) return EndError();
    return data_[pos_++];
  }
  // Hot-path form of U8: false at the end (the caller reports EndError()).
  bool ReadByte(uint8_t* out) {
    if (pos_ >= size_) return false;
    *out = data_[pos_++];
    return true;
  }

  Result<uint32_t> U32() {
    // Fast path: one byte.
    if (pos_ < size_ && data_[pos_] < 0x80) return static_cast<uint32_t>(data_[pos_++]);
    uint64_t v = 0;
    WT_TRY(ReadUnsigned(32, &v));
    return static_cast<uint32_t>(v);
  }
  Result<uint64_t> U64() {
    uint64_t v = 0;
    WT_TRY(ReadUnsigned(64, &v));
    return v;
  }
  Result<int32_t> S32() {
    // Fast path: one byte, sign-extended from bit 6.
    if (pos_ < size_ && data_[pos_] < 0x80) {
      uint8_t b = data_[pos_++];
      return static_cast<int32_t>(b & 0x40 ? static_cast<int32_t>(b) - 0x80 : b);
    }
    int64_t v = 0;
    WT_TRY(ReadSigned(32, &v));
    return static_cast<int32_t>(v);
  }
  Result<int64_t> S33() {
    int64_t v = 0;
    WT_TRY(ReadSigned(33, &v));
    return v;
  }
  Result<int64_t> S64() {
    int64_t v = 0;
    WT_TRY(ReadSigned(64, &v));
    return v;
  }

  Result<uint32_t> F32Bits() {
    if (remaining() < 4) return EndError();
    uint32_t v;
    std::memcpy(&v, data_ + pos_, 4);  // little-endian hosts only (x86-64, AArch64)
    pos_ += 4;
    return v;
  }
  Result<uint64_t> F64Bits() {
    if (remaining() < 8) return EndError();
    uint64_t v;
    std::memcpy(&v, data_ + pos_, 8);
    pos_ += 8;
    return v;
  }
  Status Bytes(uint8_t* out, size_t n) {
    if (remaining() < n) return EndError();
    std::memcpy(out, data_ + pos_, n);
    pos_ += n;
    return Ok();
  }
  // Consumes n bytes and returns a view of them.
  Result<std::span<const uint8_t>> Take(size_t n) {
    if (remaining() < n) return EndError();
    std::span<const uint8_t> s(data_ + pos_, n);
    pos_ += n;
    return s;
  }
  Status Skip(size_t n) {
    if (remaining() < n) return EndError();
    pos_ += n;
    return Ok();
  }

  // A u32 length of a byte sequence that follows. As in the spec interpreter, a length beyond
  // the bytes remaining from the start of its own encoding is "length out of bounds"; one
  // that only overlaps its own encoding fails later, at the end of input.
  Result<uint32_t> Length();
  // How many items of a vector of `n` to reserve: never more than could fit in the remaining
  // bytes at `min_item_bytes` each. Readers then read items one by one, so a hostile count
  // fails at the end of input after at most remaining() items.
  // Capped at kMaxReserve, so that a large item type cannot multiply a hostile count.
  static constexpr size_t kMaxReserve = size_t{1} << 16;
  size_t ReserveHint(uint64_t n, size_t min_item_bytes = 1) const {
    size_t fit = remaining() / (min_item_bytes ? min_item_bytes : 1);
    if (fit > kMaxReserve) fit = kMaxReserve;
    return n < fit ? static_cast<size_t>(n) : fit;
  }
  // A u32 vector count, checked so that count * min_item_bytes fits in the remaining bytes
  // (so a caller may reserve `count` items); otherwise the end-of-input error.
  Result<uint32_t> Count(size_t min_item_bytes = 1);
  // A length-prefixed UTF-8 name ("malformed UTF-8 encoding" if it is not valid UTF-8).
  Result<std::string_view> Name();

 private:
  Status ReadUnsigned(unsigned bits, uint64_t* out);
  Status ReadSigned(unsigned bits, int64_t* out);

  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t pos_ = 0;
  size_t base_ = 0;
  const char* end_message_ = "unexpected end";
};

}  // namespace wt::wasm
