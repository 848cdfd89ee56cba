// [pool] Module memory images (see image.h).
#include "runtime/pool/image.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <optional>

namespace wt::runtime::pool {
namespace {

constexpr uint64_t kOsPage = 4096;

// The value of a constant expression that is exactly `i32.const N end`, else nullopt.
std::optional<uint32_t> ConstI32(std::span<const uint8_t> e) {
  if (e.size() < 3 || e[0] != 0x41 || e.back() != 0x0b) return std::nullopt;
  uint64_t result = 0;
  unsigned shift = 0;
  size_t i = 1;
  uint8_t b = 0;
  do {
    if (i >= e.size() - 1 || shift >= 35) return std::nullopt;
    b = e[i++];
    result |= uint64_t{b & 0x7fu} << shift;
    shift += 7;
  } while (b & 0x80);
  if (i != e.size() - 1) return std::nullopt;
  if (shift < 64 && (b & 0x40)) result |= ~uint64_t{0} << shift;  // sign-extend
  return static_cast<uint32_t>(result);
}

bool WriteAll(int fd, const uint8_t* p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

}  // namespace

MemoryImage::~MemoryImage() {
  if (memfd >= 0) close(memfd);
}

std::shared_ptr<ModuleImage> BuildModuleImage(const LoadedModule& loaded, bool with_memfd) {
  auto image = std::make_shared<ModuleImage>();
  const wasm::Module& m = *loaded.module;
  size_t num_defined = m.memories.size() - m.num_imported_memories;
  std::vector<uint64_t> ends(num_defined, 0);
  for (const wasm::DataSegment& s : m.datas) {
    if (s.mode != wasm::SegmentMode::kActive) continue;
    if (s.memory_index < m.num_imported_memories) return image;
    const wasm::MemoryType& t = m.memories[s.memory_index].type;
    if (t.addr != wasm::AddrType::kI32) return image;
    std::optional<uint32_t> off = ConstI32(m.Slice(s.offset.range));
    if (!off) return image;
    uint64_t end = uint64_t{*off} + s.init.size;
    if (end > (t.limits.min << t.page_size_log2)) return image;
    uint64_t& e = ends[s.memory_index - m.num_imported_memories];
    e = std::max(e, end);
  }
  for (size_t i = 0; i < num_defined; ++i) {
    auto mi = std::make_unique<MemoryImage>();
    mi->len = (ends[i] + kOsPage - 1) & ~(kOsPage - 1);
    mi->bytes.assign(mi->len, 0);
    image->memories.push_back(std::move(mi));
  }
  for (const wasm::DataSegment& s : m.datas) {
    if (s.mode != wasm::SegmentMode::kActive) continue;
    std::span<const uint8_t> bytes = m.Slice(s.init);
    if (bytes.empty()) continue;
    uint32_t off = *ConstI32(m.Slice(s.offset.range));
    MemoryImage& mi = *image->memories[s.memory_index - m.num_imported_memories];
    std::memcpy(mi.bytes.data() + off, bytes.data(), bytes.size());
  }
  if (with_memfd) {
    for (auto& mi : image->memories) {
      if (mi->len == 0) continue;
      mi->memfd = memfd_create("wtrun-image", MFD_CLOEXEC);
      if (mi->memfd < 0 || !WriteAll(mi->memfd, mi->bytes.data(), mi->len)) return image;
      std::vector<uint8_t>().swap(mi->bytes);  // the mapping reads the memfd
    }
  }
  image->eligible = true;
  return image;
}

}  // namespace wt::runtime::pool
