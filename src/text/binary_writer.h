// A growable byte buffer with the binary format's primitive encodings (LEB128, little-endian
// floats, names) and section framing. Used by the text front end to build modules.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace wt::text {

class BinaryWriter {
 public:
  std::vector<uint8_t>& bytes() { return bytes_; }
  const std::vector<uint8_t>& bytes() const { return bytes_; }
  size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  void clear() { bytes_.clear(); }

  void U8(uint8_t b) { bytes_.push_back(b); }
  void Bytes(std::span<const uint8_t> b) { bytes_.insert(bytes_.end(), b.begin(), b.end()); }
  void Append(const BinaryWriter& w) { Bytes(w.bytes_); }

  // Unsigned LEB128, minimal length.
  void U64(uint64_t v) {
    do {
      uint8_t b = v & 0x7F;
      v >>= 7;
      if (v != 0) b |= 0x80;
      bytes_.push_back(b);
    } while (v != 0);
  }
  void U32(uint32_t v) { U64(v); }

  // Signed LEB128, minimal length.
  void S64(int64_t v) {
    bool more = true;
    while (more) {
      uint8_t b = v & 0x7F;
      v >>= 7;  // arithmetic shift
      if ((v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0)) {
        more = false;
      } else {
        b |= 0x80;
      }
      bytes_.push_back(b);
    }
  }
  void S32(int32_t v) { S64(v); }

  // Fixed-width little-endian.
  void Fixed32(uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void Fixed64(uint64_t v) {
    for (int i = 0; i < 8; ++i) bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }

  // A name or byte vector: length then bytes.
  void Name(std::string_view s) {
    U32(static_cast<uint32_t>(s.size()));
    bytes_.insert(bytes_.end(), s.begin(), s.end());
  }

  // id, size, contents.
  void Section(uint8_t id, const BinaryWriter& contents) {
    U8(id);
    U32(static_cast<uint32_t>(contents.size()));
    Append(contents);
  }

 private:
  std::vector<uint8_t> bytes_;
};

// A vector section under construction: an element count and the encoded elements.
struct VecBuilder {
  uint32_t count = 0;
  BinaryWriter body;

  // The section contents: count then elements.
  BinaryWriter Finish() const {
    BinaryWriter w;
    w.U32(count);
    w.Append(body);
    return w;
  }
};

}  // namespace wt::text
