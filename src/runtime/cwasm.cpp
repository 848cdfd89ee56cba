// The .cwasm artifact: writer, checks, mapped loader (docs/cwasm.md; format in
// jit/cwasm_format.h).
#include "runtime/cwasm.h"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "jit/code_memory.h"
#include "jit/cwasm_format.h"
#include "jit/host_isa.h"
#include "runtime/builtin_table.h"
#include "runtime/code_registry.h"
#include "util/mapped_file.h"
#include "util/sha256.h"
#include "wasm/reader.h"
#include "wasm/validator.h"
#include "wasm/validator_types.h"

namespace wt::runtime {
namespace {

using jit::cwasm::CwasmHeader;
using jit::cwasm::kPageSize;
using jit::cwasm::Section;

constexpr size_t kNumSections = static_cast<size_t>(Section::kCount);
static_assert(offsetof(CwasmHeader, sections) == 288, "no implicit padding in the header");

// The builtin table's bytes, and what the loader maps for it (after the code's last page).
constexpr size_t kTableBytes = size_t{kNumBuiltins} * sizeof(void*);
constexpr size_t kTableRegion = (kTableBytes + kPageSize - 1) / kPageSize * kPageSize;

size_t RoundUpPage(size_t n) {
  return (n + kPageSize - 1) / kPageSize * kPageSize;
}

// ---- Build version

// The GNU build id of the main executable (the note ld writes with --build-id), as hex.
std::string MainBuildId() {
  std::string out;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* data) -> int {
        auto* id = static_cast<std::string*>(data);
        for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
          const ElfW(Phdr)& ph = info->dlpi_phdr[i];
          if (ph.p_type != PT_NOTE) continue;
          const auto* p = reinterpret_cast<const uint8_t*>(info->dlpi_addr + ph.p_vaddr);
          const uint8_t* end = p + ph.p_memsz;
          while (p + sizeof(ElfW(Nhdr)) <= end) {
            ElfW(Nhdr) n;
            std::memcpy(&n, p, sizeof(n));
            const uint8_t* name = p + sizeof(n);
            const uint8_t* desc = name + ((n.n_namesz + 3) & ~3u);
            const uint8_t* next = desc + ((n.n_descsz + 3) & ~3u);
            if (next > end) break;
            if (n.n_type == NT_GNU_BUILD_ID && n.n_namesz == 4 &&
                std::memcmp(name, "GNU", 4) == 0) {
              for (uint32_t k = 0; k < n.n_descsz; ++k) *id += fmt::format("{:02x}", desc[k]);
              return 1;
            }
            p = next;
          }
        }
        return 1;  // the first object is the main program: stop there
      },
      &out);
  return out;
}

#if defined(WTRUN_ISA_a64)
// [a64] aarch64 code needs no optional feature yet (jit/a64/masm_a64.h CpuFeatures).
uint32_t CpuBits(const jit::host::CpuFeatures&) {
  return 0;
}
#else
uint32_t CpuBits(const jit::host::CpuFeatures& f) {
  using namespace jit::cwasm;
  uint32_t b = 0;
  if (f.sse41) b |= kCpuSse41;
  if (f.popcnt) b |= kCpuPopcnt;
  if (f.lzcnt) b |= kCpuLzcnt;
  if (f.bmi1) b |= kCpuBmi1;
  if (f.ssse3) b |= kCpuSsse3;
  if (f.sse42) b |= kCpuSse42;
  if (f.avx) b |= kCpuAvx;
  if (f.avx2) b |= kCpuAvx2;
  if (f.fma) b |= kCpuFma;
  return b;
}
#endif

std::string CpuBitList(uint32_t bits) {
  std::string out;
  for (uint32_t i = 0; i < 32; ++i) {
    if (!(bits & (1u << i))) continue;
    if (!out.empty()) out += ", ";
    out += i < jit::cwasm::kNumCpuBits ? std::string(jit::cwasm::kCpuBitNames[i])
                                       : fmt::format("cpu-bit-{}", i);
  }
  return out;
}

std::string FeatureList(uint32_t bits) {
  static constexpr std::string_view kNames[] = {
#define WT_FEATURE_NAME(e, s) s,
      WT_FEATURES(WT_FEATURE_NAME)
#undef WT_FEATURE_NAME
  };
  std::string out;
  for (uint32_t i = 0; i < std::size(kNames); ++i) {
    if (!(bits & (1u << i))) continue;
    if (!out.empty()) out += ", ";
    out += kNames[i];
  }
  return out;
}

// A NUL-padded fixed field as text (printable ASCII only: the field may be garbage).
std::string FieldText(const char* field, size_t size) {
  std::string out;
  for (size_t i = 0; i < size && field[i] != '\0'; ++i) {
    char c = field[i];
    out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  }
  return out;
}

void SetField(char* field, size_t size, std::string_view text) {
  std::memset(field, 0, size);
  std::memcpy(field, text.data(), std::min(text.size(), size - 1));
}

// ---- Writing

void Append32(std::vector<uint8_t>* out, uint32_t v) {
  uint8_t b[4];
  std::memcpy(b, &v, 4);  // little-endian hosts only (x86_64, aarch64)
  out->insert(out->end(), b, b + 4);
}

// The tables hash: the header with its hash fields zeroed, then the function and type tables
// (the site tables are not hashed: see MappedCode).
util::Sha256Digest TablesHash(std::span<const uint8_t> file, const CwasmHeader& header) {
  CwasmHeader h = header;
  std::memset(h.content_sha256, 0, sizeof(h.content_sha256));
  std::memset(h.tables_sha256, 0, sizeof(h.tables_sha256));
  std::memset(h.decls_sha256, 0, sizeof(h.decls_sha256));
  util::Sha256 sha;
  sha.Update(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&h), sizeof(h)));
  for (Section s : {Section::kFuncCode, Section::kTypeStubs}) {
    const jit::cwasm::SectionEntry& e = h.sections[static_cast<size_t>(s)];
    sha.Update(file.subspan(e.offset, e.size));
  }
  return sha.Finish();
}

// The declarations hash: each section of the module but custom (0), code (10) and data (11),
// as id, size and contents; false for bytes that are not a sequence of sections.
bool DeclsHash(std::span<const uint8_t> wasm, util::Sha256Digest* out) {
  util::Sha256 sha;
  if (wasm.size() < 8) return false;
  size_t i = 8;
  while (i < wasm.size()) {
    const uint8_t id = wasm[i++];
    uint64_t size = 0;
    for (int shift = 0;; shift += 7) {
      if (i >= wasm.size() || shift > 28) return false;
      const uint8_t b = wasm[i++];
      size |= uint64_t{b & 0x7fu} << shift;
      if (!(b & 0x80)) break;
    }
    if (size > wasm.size() - i) return false;
    if (id != 0 && id != 10 && id != 11) {
      uint8_t head[9] = {id};
      std::memcpy(head + 1, &size, 8);
      sha.Update(std::span<const uint8_t>(head, sizeof(head)));
      sha.Update(wasm.subspan(i, size));
    }
    i += size;
  }
  *out = sha.Finish();
  return true;
}

// ---- Reading

Error Invalid(std::string_view name, std::string_view why) {
  return MakeError(ErrorKind::kMalformed, "{} is not a valid .cwasm ({})", name, why);
}

// A checked artifact: its header and sections (spans into the bytes).
struct Parsed {
  CwasmHeader h;
  std::span<const uint8_t> section[kNumSections];
  std::span<const uint8_t> Get(Section s) const { return section[static_cast<size_t>(s)]; }
};

template <typename T>
T ReadAt(std::span<const uint8_t> bytes, size_t i) {
  T v;
  std::memcpy(&v, bytes.data() + i * sizeof(T), sizeof(T));
  return v;
}

Status CheckTables(const Parsed& p, std::string_view name) {
  const CwasmHeader& h = p.h;
  const uint32_t code_end = h.code_size;
  auto func_code = p.Get(Section::kFuncCode);
  if (func_code.size() != size_t{h.num_defined_funcs} * 4)
    return Invalid(name, "function table size");
  for (size_t i = 0; i < h.num_defined_funcs; ++i) {
    if (ReadAt<uint32_t>(func_code, i) >= code_end) return Invalid(name, "function offset");
  }
  auto stubs = p.Get(Section::kTypeStubs);
  if (stubs.size() != size_t{h.num_types} * 8) return Invalid(name, "type table size");
  for (size_t i = 0; i < size_t{h.num_types} * 2; ++i) {
    uint32_t at = ReadAt<uint32_t>(stubs, i);
    if (at != jit::cwasm::kNoStub && at >= code_end) return Invalid(name, "trampoline offset");
  }
  if (p.Get(Section::kFuncRanges).size() % sizeof(jit::FuncRange) != 0)
    return Invalid(name, "function ranges size");
  if (p.Get(Section::kTrapSites).size() % sizeof(jit::TrapSite) != 0)
    return Invalid(name, "trap sites size");
  if (p.Get(Section::kCallSites).size() % sizeof(jit::CallSite) != 0)
    return Invalid(name, "call sites size");
  if (p.Get(Section::kStackMaps).size() % 4 != 0) return Invalid(name, "stack maps size");
  return Ok();
}

// The site tables, in full (tens of MB for a large module: not at load; CheckPrecompiled).
Status CheckSiteTables(const Parsed& p, std::string_view name, size_t num_funcs) {
  const uint32_t code_end = p.h.code_size;
  auto ranges = p.Get(Section::kFuncRanges);
  uint32_t last = 0;
  for (size_t i = 0; i < ranges.size() / sizeof(jit::FuncRange); ++i) {
    auto r = ReadAt<jit::FuncRange>(ranges, i);
    if (r.begin < last || r.end < r.begin || r.end > code_end || r.func_index >= num_funcs)
      return Invalid(name, "function ranges");
    last = r.end;
  }
  auto traps = p.Get(Section::kTrapSites);
  last = 0;
  for (size_t i = 0; i < traps.size() / sizeof(jit::TrapSite); ++i) {
    uint32_t off = ReadAt<uint32_t>(traps.subspan(i * sizeof(jit::TrapSite)), 0);
    uint8_t code = traps[i * sizeof(jit::TrapSite) + offsetof(jit::TrapSite, code)];
    if (off < last || off >= code_end || code >= static_cast<uint8_t>(TrapCode::kCount))
      return Invalid(name, "trap sites");
    last = off;
  }
  auto maps = p.Get(Section::kStackMaps);
  auto calls = p.Get(Section::kCallSites);
  for (size_t i = 0; i < calls.size() / sizeof(jit::CallSite); ++i) {
    auto c = ReadAt<jit::CallSite>(calls, i);
    if ((i > 0 && c.return_offset <= last) || c.return_offset > code_end ||
        (c.stack_map != UINT32_MAX && c.stack_map >= maps.size() / 4))
      return Invalid(name, "call sites");
    last = c.return_offset;
  }
  return Ok();
}

Result<Parsed> Parse(std::span<const uint8_t> bytes, std::string_view name,
                     const PrecompiledOptions& options) {
  using namespace jit::cwasm;
  Parsed p;
  if (!HasMagic(bytes.data(), bytes.size())) return Invalid(name, "no .cwasm magic");
  // Fixed for every format version: magic, format version, header size, wtrun version.
  constexpr size_t kVersionEnd = offsetof(CwasmHeader, wtrun_version) + 64;
  if (bytes.size() < kVersionEnd) return Invalid(name, "truncated header");
  std::memset(&p.h, 0, sizeof(p.h));
  std::memcpy(&p.h, bytes.data(), std::min(bytes.size(), sizeof(p.h)));
  const CwasmHeader& h = p.h;
  const std::string theirs = FieldText(h.wtrun_version, sizeof(h.wtrun_version));
  // [a64] Another target's artifact comes from another binary, hence another build id: say
  // which target it is for rather than which build made it (the line the user can act on).
  if (h.format_version == kFormatVersion &&
      bytes.size() >= offsetof(CwasmHeader, target) + sizeof(h.target)) {
    const std::string target = FieldText(h.target, sizeof(h.target));
    if (!target.empty() && target != jit::kHostTarget)
      return MakeError(ErrorKind::kUnsupported,
                       "{} was compiled for {} (this machine is {}): recompile it here with "
                       "'wtrun compile -o'",
                       name, target, jit::kHostTarget);
  }
  if (h.format_version != kFormatVersion || theirs != CwasmBuildVersion()) {
    // The same version string with another format: a damaged header (or a hand-made file).
    std::string format = theirs == CwasmBuildVersion()
                             ? fmt::format(", format {}", h.format_version)
                             : std::string();
    return MakeError(ErrorKind::kUnsupported,
                     "{} was compiled by wtrun {}{} (this is wtrun {}): recompile it with 'wtrun "
                     "compile -o'",
                     name, theirs.empty() ? "(unknown)" : theirs, format, CwasmBuildVersion());
  }
  if (bytes.size() < kPageSize) return Invalid(name, "truncated header");
  if (h.header_size != sizeof(CwasmHeader) || h.num_sections != kNumSections)
    return Invalid(name, "header size");
  const std::string target = FieldText(h.target, sizeof(h.target));
  if (target != jit::kHostTarget) {
    return MakeError(ErrorKind::kUnsupported,
                     "{} was compiled for {} (this machine is {}): recompile it here with "
                     "'wtrun compile -o'",
                     name, target.empty() ? "(unknown)" : target, jit::kHostTarget);
  }
  if (h.file_size != bytes.size())
    return Invalid(name, fmt::format("{} bytes, the header says {}", bytes.size(), h.file_size));
  for (size_t s = 0; s < kNumSections; ++s) {
    const SectionEntry& e = h.sections[s];
    if (e.size == 0) continue;
    if (e.offset % kPageSize != 0 || e.offset < kPageSize || e.offset > bytes.size() ||
        e.size > bytes.size() - e.offset)
      return Invalid(name, fmt::format("section {} out of bounds", s));
    p.section[s] = bytes.subspan(e.offset, e.size);
  }
  for (size_t s = 0; s < kNumSections; ++s) {
    if (h.sections[s].size == 0 && h.sections[s].offset != 0)
      return Invalid(name, fmt::format("section {} out of bounds", s));
  }
  if (TablesHash(bytes, h) != std::to_array(h.tables_sha256))
    return Invalid(name, "the header or tables do not match their hash");
  util::Sha256Digest decls;
  if (!DeclsHash(p.Get(Section::kWasm), &decls) || decls != std::to_array(h.decls_sha256))
    return Invalid(name, "the module's declarations do not match their hash");
  if (h.reserved1 != 0 ||
      std::any_of(std::begin(h.reserved0), std::end(h.reserved0),
                  [](uint8_t b) { return b != 0; }) ||
      h.simd_isa > static_cast<uint8_t>(jit::SimdIsa::kAvx2) || h.consume_fuel > 1 ||
      h.epoch_interruption > 1)
    return Invalid(name, "header fields");
  // Code: [0, builtin_table_offset) from the file, then the table (and padding) up to
  // code_size, at a page boundary.
  if (h.builtin_table_offset != RoundUpPage(h.code_size) ||
      p.Get(Section::kCode).size() != h.builtin_table_offset)
    return Invalid(name, "code size");
  // The machine and the run.
  const jit::host::CpuFeatures host = jit::host::HostCpuFeatures();
  if (uint32_t missing = h.cpu_features & ~CpuBits(host)) {
    return MakeError(ErrorKind::kUnsupported, "{} needs CPU features this machine lacks: {}", name,
                     CpuBitList(missing));
  }
  if (auto allowed = jit::host::CompileFeatures(host, options.simd_isa); allowed.ok()) {
    if (uint32_t above = h.cpu_features & ~CpuBits(*allowed)) {
      return MakeError(ErrorKind::kUnsupported,
                       "{} uses CPU features above the SIMD ISA cap of this run: {}: recompile it "
                       "with 'wtrun compile --simd-isa'",
                       name, CpuBitList(above));
    }
  }
  if (uint32_t extra = h.wasm_features & ~options.features.bits()) {
    return MakeError(ErrorKind::kUnsupported,
                     "{} was compiled with wasm features this run disables ({}): recompile it "
                     "with the same --wasm/--features",
                     name, FeatureList(extra));
  }
  if (options.need_fuel && !h.consume_fuel) {
    return MakeError(ErrorKind::kUnsupported,
                     "{} was compiled without fuel checks: recompile it with 'wtrun compile "
                     "--fuel-checks'",
                     name);
  }
  if (options.need_epoch && !h.epoch_interruption) {
    return MakeError(ErrorKind::kUnsupported,
                     "{} was compiled without interrupt checks: recompile it with 'wtrun "
                     "compile --interrupt-checks'",
                     name);
  }
  WT_TRY(CheckTables(p, name));
  return p;
}

// ---- Loading

// Page-aligned bytes: a read-only mapping of the file, or an anonymous copy.
struct Mapping {
  uint8_t* base = nullptr;
  size_t size = 0;    // the bytes
  size_t mapped = 0;  // the mapping
  Mapping() = default;
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping() {
    if (base != nullptr) munmap(base, mapped);
  }
  std::span<const uint8_t> bytes() const { return {base, size}; }
};

// Code and tables of a loaded artifact: the code where the loader put it (mapped from the file
// or copied), the tables in place in the file's mapping. The site tables of a file are not
// checked at load (LoadPrecompiled), so the lookups check what they return: a site with an
// unknown trap code or a function index past the module is not found (async-signal-safe, as
// the base lookups: binary searches within the spans, whatever their contents).
class MappedCode final : public jit::CodeObject {
 public:
  MappedCode(std::unique_ptr<Mapping> file, uint8_t* code, size_t code_size, size_t reserved,
             const Parsed& p, size_t num_funcs)
      : file_(std::move(file)),
        code_(code),
        size_(code_size),
        reserved_(reserved),
        num_funcs_(num_funcs) {
    auto span_of = [&](Section s, auto* out) {
      using T = std::remove_cvref_t<decltype((*out)[0])>;
      std::span<const uint8_t> b = p.Get(s);
      *out = std::span<const T>(reinterpret_cast<const T*>(b.data()), b.size() / sizeof(T));
    };
    span_of(Section::kFuncRanges, &funcs_);
    span_of(Section::kTrapSites, &traps_);
    span_of(Section::kCallSites, &calls_);
    span_of(Section::kStackMaps, &maps_);
  }
  ~MappedCode() override { munmap(code_, reserved_); }

  const uint8_t* base() const override { return code_; }
  size_t size() const override { return size_; }
  std::span<const jit::FuncRange> funcs() const override { return funcs_; }
  std::span<const jit::TrapSite> traps() const override { return traps_; }
  std::span<const jit::CallSite> call_sites() const override { return calls_; }
  std::span<const int32_t> stack_maps() const override { return maps_; }
  const jit::TrapSite* FindTrap(uintptr_t pc) const override {
    const jit::TrapSite* t = CodeObject::FindTrap(pc);
    return t != nullptr && static_cast<uint8_t>(t->code) < static_cast<uint8_t>(TrapCode::kCount)
               ? t
               : nullptr;
  }
  const jit::FuncRange* FindFunc(uintptr_t pc) const override {
    const jit::FuncRange* f = CodeObject::FindFunc(pc);
    return f != nullptr && f->func_index < num_funcs_ ? f : nullptr;
  }

 private:
  std::unique_ptr<Mapping> file_;
  uint8_t* code_;
  size_t size_;
  size_t reserved_;
  size_t num_funcs_;
  std::span<const jit::FuncRange> funcs_;
  std::span<const jit::TrapSite> traps_;
  std::span<const jit::CallSite> calls_;
  std::span<const int32_t> maps_;
};

std::string Errno() {
  return std::strerror(errno);
}

// Places the code: from `fd` when it is not -1 (mapped, no copy), else copied from `p`; then
// the builtin table after it. Returns the reservation's base.
Result<uint8_t*> PlaceCode(const Parsed& p, int fd, std::string_view name) {
  const CwasmHeader& h = p.h;
  const size_t reserved = h.builtin_table_offset + kTableRegion;
  void* r = mmap(nullptr, reserved, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (r == MAP_FAILED)
    return MakeError(ErrorKind::kUnsupported, "{}: cannot map {} bytes of code: {}", name, reserved,
                     Errno());
  auto* base = static_cast<uint8_t*>(r);
  auto fail = [&](std::string_view what) {
    Error e = MakeError(ErrorKind::kUnsupported, "{}: cannot {}: {}", name, what, Errno());
    munmap(base, reserved);
    return e;
  };
  const size_t code_bytes = h.builtin_table_offset;
  bool placed = code_bytes == 0;
  if (!placed && fd >= 0) {
    // Fails on a noexec mount (EPERM): copied below then.
    void* c = mmap(base, code_bytes, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, fd,
                   static_cast<off_t>(h.sections[static_cast<size_t>(Section::kCode)].offset));
    placed = c != MAP_FAILED;
  }
  if (!placed) {
    if (mprotect(base, code_bytes, PROT_READ | PROT_WRITE) != 0) return fail("map the code");
    std::span<const uint8_t> code = p.Get(Section::kCode);
    std::memcpy(base, code.data(), code.size());
    if (mprotect(base, code_bytes, PROT_READ | PROT_EXEC) != 0) return fail("map the code");
    // [a64] Copied through the data side (a file mapping read+execute needs nothing: the
    // kernel keeps the instruction cache coherent for executable file pages it maps).
    jit::FlushInstructionCache(base, code.size());
    (void)jit::SyncCoresAfterCodeWrite();
  }
  uint8_t* table = base + code_bytes;
  const size_t table_region = reserved - code_bytes;
  if (mprotect(table, table_region, PROT_READ | PROT_WRITE) != 0)
    return fail("map the builtin table");
  FillBuiltinTable(reinterpret_cast<const void**>(table));
  if (mprotect(table, table_region, PROT_READ) != 0) return fail("map the builtin table");
  return base;
}

// `check_sites`: also check the site tables in full (CheckSiteTables).
Result<std::shared_ptr<LoadedModule>> Load(std::unique_ptr<Mapping> file, int fd,
                                           std::string_view name, const PrecompiledOptions& options,
                                           bool check_sites) {
  const auto start = std::chrono::steady_clock::now();
  auto ms = [&] {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
  };
  WT_TRY_ASSIGN(Parsed p, Parse(file->bytes(), name, options));
  const CwasmHeader& h = p.h;
  spdlog::debug("{}: header and tables checked at {:.2f} ms", name, ms());
  // The module, decoded again (declarations, data, names; the bodies are not looked at).
  std::span<const uint8_t> wasm_bytes = p.Get(Section::kWasm);
  wasm::ModuleBytes module_bytes;
  // From a file: the section mapped on its own (it starts on a page), no copy.
  if (fd >= 0 && !wasm_bytes.empty()) {
    auto range = util::MappedFile::MapRange(std::string(name), fd,
                                            static_cast<uint64_t>(wasm_bytes.data() - file->base),
                                            wasm_bytes.size());
    if (range.ok()) module_bytes = wasm::ModuleBytes(std::move(range).value());
  }
  std::vector<uint8_t> bytes;
  // Otherwise copied from the mapping in 4 MiB pieces, each piece's pages dropped from the
  // mapping after it (they stay in the page cache): no zero-fill pass, no second copy in RSS.
  if (module_bytes.size() == 0) bytes.reserve(wasm_bytes.size());
  constexpr size_t kPiece = size_t{4} << 20;
  for (size_t at = 0; module_bytes.size() == 0 && at < wasm_bytes.size(); at += kPiece) {
    std::span<const uint8_t> piece =
        wasm_bytes.subspan(at, std::min(kPiece, wasm_bytes.size() - at));
    bytes.insert(bytes.end(), piece.begin(), piece.end());
    if (fd >= 0) {
      // The file mapping is page-aligned and the section starts on a page.
      auto* first = const_cast<uint8_t*>(piece.data());
      madvise(first, RoundUpPage(piece.size()), MADV_DONTNEED);
    }
  }
  wasm::ReadOptions ro;
  ro.features = wasm::Features(h.wasm_features);
  ro.check_code_syntax = false;
  spdlog::debug("{}: module bytes read at {:.2f} ms", name, ms());
  if (module_bytes.size() == 0) module_bytes = std::move(bytes);
  auto m = wasm::ReadModule(std::move(module_bytes), ro);
  if (!m.ok()) return Invalid(name, fmt::format("its module: {}", m.error().ToString()));
  auto module = std::make_shared<const wasm::Module>(std::move(m).value());
  spdlog::debug("{}: module decoded at {:.2f} ms", name, ms());
  {
    // The declarations match their hash; the data section's segment headers are checked here
    // (cheap: no bodies), so a damaged one is refused rather than instantiated.
    wasm::ValidateOptions vo;
    vo.features = ro.features;
    wasm::TypeContext types;
    if (Status s = wasm::ValidateModuleDecls(*module, vo, &types); !s.ok())
      return Invalid(name, fmt::format("its module: {}", s.error().ToString()));
  }
  const uint32_t num_defined =
      static_cast<uint32_t>(module->funcs.size() - module->num_imported_funcs);
  if (module->types.size() != h.num_types || num_defined != h.num_defined_funcs)
    return Invalid(name, "its module does not match its code");
  if (check_sites) WT_TRY(CheckSiteTables(p, name, module->funcs.size()));

  spdlog::debug("{}: declarations validated at {:.2f} ms", name, ms());
  WT_TRY_ASSIGN(uint8_t * code, PlaceCode(p, fd, name));
  auto lm = std::make_shared<LoadedModule>();
  lm->module = module;
  lm->type_ids = ComputeTypeIds(*module);
  lm->code = std::make_unique<jit::CompiledModule>();
  jit::CompiledModule& cm = *lm->code;
  cm.builtin_table_offset = h.builtin_table_offset;
  std::span<const uint8_t> func_code = p.Get(Section::kFuncCode);
  cm.func_code.resize(num_defined);
  for (uint32_t i = 0; i < num_defined; ++i)
    cm.func_code[i] = code + ReadAt<uint32_t>(func_code, i);
  std::span<const uint8_t> stubs = p.Get(Section::kTypeStubs);
  cm.entries.assign(h.num_types, nullptr);
  cm.host_stubs.assign(h.num_types, nullptr);
  for (uint32_t t = 0; t < h.num_types; ++t) {
    uint32_t entry = ReadAt<uint32_t>(stubs, 2 * size_t{t});
    uint32_t host = ReadAt<uint32_t>(stubs, 2 * size_t{t} + 1);
    if (entry != jit::cwasm::kNoStub) cm.entries[t] = reinterpret_cast<jit::EntryFn>(code + entry);
    if (host != jit::cwasm::kNoStub) cm.host_stubs[t] = code + host;
  }
  const size_t code_size = h.code_size;
  cm.code =
      std::make_unique<MappedCode>(std::move(file), code, code_size,
                                   h.builtin_table_offset + kTableRegion, p, module->funcs.size());
  RegisterCode(cm.code.get(), module);
  spdlog::debug("{}: code placed and registered at {:.2f} ms", name, ms());
  return lm;
}

}  // namespace

std::string_view CwasmBuildVersion() {
  static const std::string version = [] {
    std::string id = MainBuildId();
    if (id.size() > 16) id.resize(16);
    return fmt::format("{}+{}", WTRUN_VERSION, id.empty() ? "nobuildid" : id);
  }();
  return version;
}

bool IsPrecompiled(std::span<const uint8_t> bytes) {
  return jit::cwasm::HasMagic(bytes.data(), bytes.size());
}

Result<std::vector<uint8_t>> SerializeModule(const LoadedModule& module,
                                             const jit::CompileOptions& options) {
  using namespace jit::cwasm;
  const jit::CompiledModule* cm = module.code.get();
  if (cm == nullptr || !cm->code || !module.module)
    return MakeError(ErrorKind::kUnsupported, "cannot write a .cwasm: the module has no code");
  if (cm->lazy)
    return MakeError(ErrorKind::kUnsupported,
                     "cannot write a .cwasm: the module was compiled lazily");
  const jit::CodeObject& code = *cm->code;
  const wasm::Module& m = *module.module;
  const uint32_t table_off = cm->builtin_table_offset;
  if (table_off == UINT32_MAX)
    return MakeError(ErrorKind::kUnsupported,
                     "cannot write a .cwasm: code is not position-independent");
  // ExecutableCode::AllocateWithBuiltinTable: the table at the first page boundary after the
  // code (outside [base, base + size)).
  if (table_off != RoundUpPage(code.size()))
    return MakeError(ErrorKind::kUnsupported, "cannot write a .cwasm: unexpected code layout");
  WT_TRY_ASSIGN(jit::host::CpuFeatures cpu,
                jit::host::CompileFeatures(jit::host::HostCpuFeatures(), options.simd_isa));
  const uint8_t* base = code.base();
  auto offset_of = [&](const void* p) -> Result<uint32_t> {
    auto a = reinterpret_cast<uintptr_t>(p), b = reinterpret_cast<uintptr_t>(base);
    if (a < b || a - b >= code.size())
      return MakeError(ErrorKind::kUnsupported, "cannot write a .cwasm: code outside the module");
    return static_cast<uint32_t>(a - b);
  };
  const uint32_t num_defined = static_cast<uint32_t>(m.funcs.size() - m.num_imported_funcs);
  if (cm->func_code.size() != num_defined || cm->entries.size() != m.types.size() ||
      cm->host_stubs.size() != m.types.size())
    return MakeError(ErrorKind::kUnsupported, "cannot write a .cwasm: inconsistent tables");

  CwasmHeader h;
  std::memset(&h, 0, sizeof(h));
  std::memcpy(h.magic, kMagic, sizeof(kMagic));
  h.format_version = kFormatVersion;
  h.header_size = sizeof(CwasmHeader);
  SetField(h.wtrun_version, sizeof(h.wtrun_version), CwasmBuildVersion());
  SetField(h.target, sizeof(h.target), jit::kHostTarget);
  h.cpu_features = CpuBits(cpu);
  h.wasm_features = options.features.bits();
  h.consume_fuel = options.consume_fuel ? 1 : 0;
  h.epoch_interruption = options.epoch_interruption ? 1 : 0;
  h.simd_isa = static_cast<uint8_t>(options.simd_isa);
  h.num_types = static_cast<uint32_t>(m.types.size());
  h.num_defined_funcs = num_defined;
  h.code_size = static_cast<uint32_t>(code.size());
  h.builtin_table_offset = table_off;
  h.num_sections = kNumSections;
  const std::span<const uint8_t> wasm_bytes(m.bytes.data(), m.bytes.size());
  const util::Sha256Digest module_hash = util::Sha256Of(wasm_bytes);
  std::memcpy(h.module_sha256, module_hash.data(), 32);
  util::Sha256Digest decls;
  if (!DeclsHash(wasm_bytes, &decls))
    return MakeError(ErrorKind::kUnsupported, "cannot write a .cwasm: unexpected module bytes");
  std::memcpy(h.decls_sha256, decls.data(), 32);

  std::vector<uint8_t> out(kPageSize, 0);
  auto begin = [&](Section s) {
    out.resize(RoundUpPage(out.size()), 0);
    h.sections[static_cast<size_t>(s)].offset = out.size();
  };
  auto end = [&](Section s) {
    SectionEntry& e = h.sections[static_cast<size_t>(s)];
    e.size = out.size() - e.offset;
    if (e.size == 0) e.offset = 0;
  };
  out.reserve(kPageSize * 16 + wasm_bytes.size() + table_off +
              code.traps().size() * sizeof(jit::TrapSite) +
              code.call_sites().size() * sizeof(jit::CallSite) +
              code.funcs().size() * sizeof(jit::FuncRange) + num_defined * 4 + m.types.size() * 8 +
              code.stack_maps().size() * 4);
  begin(Section::kWasm);
  out.insert(out.end(), wasm_bytes.begin(), wasm_bytes.end());
  end(Section::kWasm);
  begin(Section::kCode);
  out.insert(out.end(), base, base + table_off);
  end(Section::kCode);
  begin(Section::kFuncCode);
  for (const void* f : cm->func_code) {
    WT_TRY_ASSIGN(uint32_t off, offset_of(f));
    Append32(&out, off);
  }
  end(Section::kFuncCode);
  begin(Section::kTypeStubs);
  for (size_t t = 0; t < m.types.size(); ++t) {
    uint32_t entry = kNoStub, host = kNoStub;
    if (cm->entries[t] != nullptr) {
      WT_TRY_ASSIGN(entry, offset_of(reinterpret_cast<const void*>(cm->entries[t])));
    }
    if (cm->host_stubs[t] != nullptr) {
      WT_TRY_ASSIGN(host, offset_of(cm->host_stubs[t]));
    }
    Append32(&out, entry);
    Append32(&out, host);
  }
  end(Section::kTypeStubs);
  begin(Section::kFuncRanges);
  for (const jit::FuncRange& r : code.funcs()) {
    Append32(&out, r.begin);
    Append32(&out, r.end);
    Append32(&out, r.func_index);
  }
  end(Section::kFuncRanges);
  begin(Section::kTrapSites);
  for (const jit::TrapSite& t : code.traps()) {
    Append32(&out, t.code_offset);
    Append32(&out, static_cast<uint32_t>(static_cast<uint8_t>(t.code)));  // + zero padding
    Append32(&out, t.wasm_offset);
  }
  end(Section::kTrapSites);
  begin(Section::kCallSites);
  for (const jit::CallSite& c : code.call_sites()) {
    Append32(&out, c.return_offset);
    Append32(&out, c.wasm_offset);
    Append32(&out, c.stack_map);
  }
  end(Section::kCallSites);
  begin(Section::kStackMaps);
  for (int32_t v : code.stack_maps()) Append32(&out, static_cast<uint32_t>(v));
  end(Section::kStackMaps);
  h.file_size = out.size();
  std::memcpy(out.data(), &h, sizeof(h));
  const util::Sha256Digest tables = TablesHash(out, h);
  std::memcpy(h.tables_sha256, tables.data(), 32);
  const util::Sha256Digest content =
      util::Sha256Of(std::span<const uint8_t>(out).subspan(kPageSize));
  std::memcpy(h.content_sha256, content.data(), 32);
  std::memcpy(out.data(), &h, sizeof(h));
  return out;
}

Status CheckPrecompiled(std::span<const uint8_t> bytes, std::string_view name,
                        const PrecompiledOptions& options) {
  WT_TRY(LoadPrecompiledBytes(bytes, name, options));
  return Ok();
}

Status VerifyPrecompiledContent(std::span<const uint8_t> bytes, std::string_view name) {
  if (bytes.size() < kPageSize || !IsPrecompiled(bytes)) return Invalid(name, "truncated header");
  CwasmHeader h;
  std::memcpy(&h, bytes.data(), sizeof(h));
  if (util::Sha256Of(bytes.subspan(kPageSize)) != std::to_array(h.content_sha256))
    return Invalid(name, "the content does not match its hash");
  const jit::cwasm::SectionEntry& e = h.sections[static_cast<size_t>(Section::kWasm)];
  if (e.offset < kPageSize || e.offset > bytes.size() || e.size > bytes.size() - e.offset)
    return Invalid(name, "section 0 out of bounds");
  if (util::Sha256Of(bytes.subspan(e.offset, e.size)) != std::to_array(h.module_sha256))
    return Invalid(name, "the module does not match its hash");
  return Ok();
}

bool ResealForTesting(std::span<uint8_t> bytes) {
  if (bytes.size() < sizeof(CwasmHeader)) return false;
  CwasmHeader h;
  std::memcpy(&h, bytes.data(), sizeof(h));
  SetField(h.wtrun_version, sizeof(h.wtrun_version), CwasmBuildVersion());
  bool in_bounds = true;
  for (const jit::cwasm::SectionEntry& e : h.sections)
    in_bounds = in_bounds && e.offset <= bytes.size() && e.size <= bytes.size() - e.offset;
  if (in_bounds) {
    const jit::cwasm::SectionEntry& w = h.sections[static_cast<size_t>(Section::kWasm)];
    util::Sha256Digest decls;
    if (DeclsHash(bytes.subspan(w.offset, w.size), &decls))
      std::memcpy(h.decls_sha256, decls.data(), 32);
    util::Sha256Digest tables = TablesHash(bytes, h);
    std::memcpy(h.tables_sha256, tables.data(), 32);
  }
  std::memcpy(bytes.data(), &h, sizeof(h));
  return true;
}

Result<std::shared_ptr<LoadedModule>> LoadPrecompiled(const std::string& path,
                                                      const PrecompiledOptions& options) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return MakeError(ErrorKind::kIo, "{}: {}", path, Errno());
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return MakeError(ErrorKind::kIo, "{}: not a regular file", path);
  }
  auto file = std::make_unique<Mapping>();
  file->size = static_cast<size_t>(st.st_size);
  file->mapped = RoundUpPage(std::max<size_t>(file->size, 1));
  void* p = mmap(nullptr, file->mapped, PROT_READ, MAP_PRIVATE, fd, 0);
  if (p == MAP_FAILED) {
    Error e = MakeError(ErrorKind::kIo, "{}: cannot map: {}", path, Errno());
    close(fd);
    return e;
  }
  file->base = static_cast<uint8_t*>(p);
  // WTRUN_CWASM_VERIFY=1: also the content hash and the site tables (reads the whole file).
  const char* verify_env = std::getenv("WTRUN_CWASM_VERIFY");
  const bool verify = verify_env != nullptr && std::strcmp(verify_env, "1") == 0;
  if (verify) {
    if (Status s = VerifyPrecompiledContent(file->bytes(), path); !s.ok()) {
      close(fd);
      return std::move(s).error();
    }
  }
  auto r = Load(std::move(file), fd, path, options, /*check_sites=*/verify);
  close(fd);  // the mappings stay
  return r;
}

Result<std::shared_ptr<LoadedModule>> LoadPrecompiledBytes(std::span<const uint8_t> bytes,
                                                           std::string_view name,
                                                           const PrecompiledOptions& options) {
  // A page-aligned copy: the tables are used in place.
  auto copy = std::make_unique<Mapping>();
  copy->size = bytes.size();
  copy->mapped = RoundUpPage(std::max<size_t>(bytes.size(), 1));
  void* p = mmap(nullptr, copy->mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return MakeError(ErrorKind::kUnsupported, "{}: cannot map {} bytes: {}", name, copy->mapped,
                     Errno());
  copy->base = static_cast<uint8_t*>(p);
  if (!bytes.empty()) std::memcpy(copy->base, bytes.data(), bytes.size());
  mprotect(copy->base, copy->mapped, PROT_READ);
  return Load(std::move(copy), -1, name, options, /*check_sites=*/true);
}

Result<std::shared_ptr<LoadedModule>> RoundTripPrecompiled(const LoadedModule& module,
                                                           const jit::CompileOptions& options) {
  WT_TRY_ASSIGN(std::vector<uint8_t> bytes, SerializeModule(module, options));
  PrecompiledOptions po;
  po.features = options.features;
  po.simd_isa = options.simd_isa;
  po.need_fuel = options.consume_fuel;
  po.need_epoch = options.epoch_interruption;
  return LoadPrecompiledBytes(bytes, "(in memory)", po);
}

}  // namespace wt::runtime
