// SHA-256 (FIPS 180-4): for the .cwasm artifact's content hashes and the cache key. A small
// portable implementation (no dependency); about 200-300 MB/s, so the .cwasm loader hashes
// only its header and tables, not the code or the module bytes (docs/cwasm.md).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace wt::util {

using Sha256Digest = std::array<uint8_t, 32>;

class Sha256 {
 public:
  Sha256();
  void Update(std::span<const uint8_t> data);
  void Update(std::string_view data) {
    Update(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(data.data()), data.size()));
  }
  // The digest of everything given; the object is reset afterwards.
  Sha256Digest Finish();

 private:
  void Block(const uint8_t* p);
  void Reset();

  uint32_t h_[8];
  uint8_t buf_[64];
  size_t buf_len_ = 0;
  uint64_t total_ = 0;
};

Sha256Digest Sha256Of(std::span<const uint8_t> data);
// Lower-case hex of `digest` (64 characters).
std::string Sha256Hex(const Sha256Digest& digest);

}  // namespace wt::util
