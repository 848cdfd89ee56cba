// DWARF line-number programs (DWARF 5 section 6.2; versions 2-4 differ in the header only).
#include "runtime/debug/dwarf_line.h"

#include <algorithm>
#include <string_view>

namespace wt::runtime::debug {
namespace {

// DW_LNS_*, DW_LNE_*, DW_LNCT_*, DW_FORM_* values used here.
enum : uint8_t {
  kLnsCopy = 1,
  kLnsAdvancePc = 2,
  kLnsAdvanceLine = 3,
  kLnsSetFile = 4,
  kLnsSetColumn = 5,
  kLnsNegateStmt = 6,
  kLnsSetBasicBlock = 7,
  kLnsConstAddPc = 8,
  kLnsFixedAdvancePc = 9,
};
enum : uint8_t { kLneEndSequence = 1, kLneSetAddress = 2, kLneDefineFile = 3 };
enum : uint64_t { kLnctPath = 1, kLnctDirectoryIndex = 2 };
enum : uint64_t {
  kFormBlock2 = 0x03,
  kFormBlock4 = 0x04,
  kFormData2 = 0x05,
  kFormData4 = 0x06,
  kFormData8 = 0x07,
  kFormString = 0x08,
  kFormBlock = 0x09,
  kFormBlock1 = 0x0a,
  kFormData1 = 0x0b,
  kFormFlag = 0x0c,
  kFormSdata = 0x0d,
  kFormStrp = 0x0e,
  kFormUdata = 0x0f,
  kFormData16 = 0x1e,
  kFormLineStrp = 0x1f,
};

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> b) : b_(b) {}
  bool ok() const { return ok_; }
  size_t pos() const { return pos_; }
  size_t size() const { return b_.size(); }
  bool AtEnd() const { return pos_ >= b_.size(); }
  void Fail() {
    ok_ = false;
    pos_ = b_.size();
  }

  uint64_t Fixed(unsigned n) {
    if (n > b_.size() - pos_) {
      Fail();
      return 0;
    }
    uint64_t v = 0;
    for (unsigned i = 0; i < n; ++i) v |= uint64_t{b_[pos_ + i]} << (8 * i);
    pos_ += n;
    return v;
  }
  uint8_t U8() { return static_cast<uint8_t>(Fixed(1)); }
  uint64_t Uleb() {
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
      if (AtEnd() || shift > 63) {
        Fail();
        return 0;
      }
      uint8_t byte = b_[pos_++];
      v |= uint64_t{byte & 0x7fu} << shift;
      if (!(byte & 0x80)) return v;
    }
  }
  int64_t Sleb() {
    uint64_t v = 0;
    unsigned shift = 0;
    uint8_t byte;
    do {
      if (AtEnd() || shift > 63) {
        Fail();
        return 0;
      }
      byte = b_[pos_++];
      v |= uint64_t{byte & 0x7fu} << shift;
      shift += 7;
    } while (byte & 0x80);
    if (shift < 64 && (byte & 0x40)) v |= ~uint64_t{0} << shift;
    return static_cast<int64_t>(v);
  }
  std::string_view CStr() {
    size_t end = pos_;
    while (end < b_.size() && b_[end] != 0) ++end;
    if (end >= b_.size()) {
      Fail();
      return {};
    }
    std::string_view s(reinterpret_cast<const char*>(b_.data()) + pos_, end - pos_);
    pos_ = end + 1;
    return s;
  }
  void Skip(uint64_t n) {
    if (n > b_.size() - pos_) {
      Fail();
      return;
    }
    pos_ += static_cast<size_t>(n);
  }
  void Seek(size_t p) {
    if (p > b_.size())
      Fail();
    else
      pos_ = p;
  }

 private:
  std::span<const uint8_t> b_;
  size_t pos_ = 0;
  bool ok_ = true;
};

std::string_view StrAt(std::span<const uint8_t> sec, uint64_t off) {
  if (off >= sec.size()) return {};
  const char* p = reinterpret_cast<const char*>(sec.data()) + off;
  size_t n = 0;
  while (off + n < sec.size() && p[n] != 0) ++n;
  return std::string_view(p, n);
}

// One attribute of a DWARF 5 directory / file entry: a string for paths, a number otherwise.
bool ReadForm(Reader& r, uint64_t form, bool dwarf64, const DwarfSections& s, std::string* str,
              uint64_t* num) {
  switch (form) {
    case kFormString:
      *str = std::string(r.CStr());
      return r.ok();
    case kFormLineStrp:
    case kFormStrp: {
      uint64_t off = r.Fixed(dwarf64 ? 8 : 4);
      *str = std::string(StrAt(form == kFormLineStrp ? s.debug_line_str : s.debug_str, off));
      return r.ok();
    }
    case kFormUdata:
      *num = r.Uleb();
      return r.ok();
    case kFormSdata:
      *num = static_cast<uint64_t>(r.Sleb());
      return r.ok();
    case kFormData1:
    case kFormFlag:
      *num = r.Fixed(1);
      return r.ok();
    case kFormData2:
      *num = r.Fixed(2);
      return r.ok();
    case kFormData4:
      *num = r.Fixed(4);
      return r.ok();
    case kFormData8:
      *num = r.Fixed(8);
      return r.ok();
    case kFormData16:
      r.Skip(16);
      return r.ok();
    case kFormBlock:
      r.Skip(r.Uleb());
      return r.ok();
    case kFormBlock1:
      r.Skip(r.Fixed(1));
      return r.ok();
    case kFormBlock2:
      r.Skip(r.Fixed(2));
      return r.ok();
    case kFormBlock4:
      r.Skip(r.Fixed(4));
      return r.ok();
    default:
      return false;  // strx forms need .debug_str_offsets: not supported
  }
}

std::string JoinPath(std::string_view dir, std::string_view name) {
  if (name.starts_with('/') || dir.empty()) return std::string(name);
  std::string out(dir);
  if (!out.ends_with('/')) out.push_back('/');
  out.append(name);
  return out;
}

// One entry format list of a DWARF 5 header, then its entries -> paths (with directories).
bool ReadEntries(Reader& r, bool dwarf64, const DwarfSections& s,
                 const std::vector<std::string>* dirs, std::vector<std::string>* out) {
  uint8_t nformats = r.U8();
  std::vector<std::pair<uint64_t, uint64_t>> formats;
  for (uint8_t i = 0; i < nformats && r.ok(); ++i) {
    uint64_t type = r.Uleb();
    uint64_t form = r.Uleb();
    formats.emplace_back(type, form);
  }
  uint64_t count = r.Uleb();
  if (!r.ok() || count > r.size()) return false;
  for (uint64_t i = 0; i < count; ++i) {
    std::string path;
    uint64_t dir = 0;
    for (const auto& [type, form] : formats) {
      std::string str;
      uint64_t num = 0;
      if (!ReadForm(r, form, dwarf64, s, &str, &num)) return false;
      if (type == kLnctPath) path = std::move(str);
      if (type == kLnctDirectoryIndex) dir = num;
    }
    if (dirs != nullptr && dir < dirs->size()) path = JoinPath((*dirs)[dir], path);
    out->push_back(std::move(path));
  }
  return r.ok();
}

}  // namespace

Result<LineTable> LineTable::Parse(const DwarfSections& s) {
  LineTable t;
  Reader r(s.debug_line);
  while (!r.AtEnd()) {
    size_t unit_start = r.pos();
    uint64_t unit_length = r.Fixed(4);
    bool dwarf64 = false;
    if (unit_length == 0xffffffffu) {
      dwarf64 = true;
      unit_length = r.Fixed(8);
    }
    if (!r.ok() || unit_length > r.size() - r.pos())
      return MakeError(ErrorKind::kMalformed, ".debug_line: unit at {} overruns the section",
                       unit_start);
    size_t unit_end = r.pos() + static_cast<size_t>(unit_length);
    auto version = static_cast<uint16_t>(r.Fixed(2));
    if (version < 2 || version > 5)
      return MakeError(ErrorKind::kMalformed, ".debug_line: unsupported version {}", version);
    uint8_t address_size = 8;
    if (version >= 5) {
      address_size = r.U8();
      r.U8();  // segment selector size
    }
    uint64_t header_length = r.Fixed(dwarf64 ? 8 : 4);
    size_t program_start =
        r.pos() + static_cast<size_t>(std::min<uint64_t>(header_length, unit_end));
    uint8_t min_inst = r.U8();
    if (version >= 4) r.U8();  // maximum operations per instruction (VLIW only)
    bool default_is_stmt = r.U8() != 0;
    (void)default_is_stmt;
    auto line_base = static_cast<int8_t>(r.U8());
    uint8_t line_range = r.U8();
    uint8_t opcode_base = r.U8();
    std::vector<uint8_t> std_lengths;
    for (int i = 1; i < opcode_base && r.ok(); ++i) std_lengths.push_back(r.U8());
    if (!r.ok() || line_range == 0 || program_start > unit_end)
      return MakeError(ErrorKind::kMalformed, ".debug_line: bad header at {}", unit_start);

    // File names of this unit, as indices into t.files_. DWARF 5 numbers files from 0,
    // earlier versions from 1.
    std::vector<std::string> dirs, files;
    if (version >= 5) {
      if (!ReadEntries(r, dwarf64, s, nullptr, &dirs) || !ReadEntries(r, dwarf64, s, &dirs, &files))
        return MakeError(ErrorKind::kMalformed, ".debug_line: bad file table at {}", unit_start);
    } else {
      dirs.emplace_back();  // directory 0: the compilation directory (not recorded here)
      for (;;) {
        std::string_view d = r.CStr();
        if (!r.ok() || d.empty()) break;
        dirs.emplace_back(d);
      }
      files.emplace_back();  // file 0 is not used before DWARF 5
      for (;;) {
        std::string_view f = r.CStr();
        if (!r.ok() || f.empty()) break;
        uint64_t dir = r.Uleb();
        r.Uleb();  // mtime
        r.Uleb();  // length
        files.push_back(dir < dirs.size() ? JoinPath(dirs[dir], f) : std::string(f));
      }
      if (!r.ok())
        return MakeError(ErrorKind::kMalformed, ".debug_line: bad file table at {}", unit_start);
    }
    auto file_base = static_cast<uint32_t>(t.files_.size());
    for (std::string& f : files) t.files_.push_back(std::move(f));
    auto num_files = static_cast<uint32_t>(t.files_.size()) - file_base;

    // The line-number program.
    r.Seek(program_start);
    uint64_t address = 0;
    uint32_t file = 1, line = 1, column = 0;
    auto file_index = [&](uint32_t f) { return f < num_files ? file_base + f : UINT32_MAX; };
    auto reset = [&] {
      address = 0;
      file = 1;
      line = 1;
      column = 0;
    };
    std::vector<Row> seq;
    auto emit = [&](bool end) {
      seq.push_back(Row{address, file_index(file), line, column, end});
      if (end) {
        // Sequences of functions the linker dropped start at 0 (or a -1/-2 tombstone).
        if (!seq.empty() && seq.front().address != 0 && seq.front().address < 0xfffffff0u)
          t.rows_.insert(t.rows_.end(), seq.begin(), seq.end());
        seq.clear();
        reset();
      }
    };
    while (r.ok() && r.pos() < unit_end) {
      uint8_t op = r.U8();
      if (op >= opcode_base) {
        uint32_t adj = op - opcode_base;
        address += uint64_t{adj / line_range} * min_inst;
        line = static_cast<uint32_t>(static_cast<int64_t>(line) + line_base + adj % line_range);
        emit(false);
        continue;
      }
      switch (op) {
        case 0: {
          uint64_t len = r.Uleb();
          size_t start = r.pos();
          if (len == 0 || len > unit_end - start) {
            r.Fail();
            break;
          }
          uint8_t sub = r.U8();
          if (sub == kLneEndSequence) {
            emit(true);
          } else if (sub == kLneSetAddress) {
            unsigned n = static_cast<unsigned>(len - 1);
            address = n <= 8 ? r.Fixed(n) : 0;
            (void)address_size;
          } else if (sub == kLneDefineFile) {
            // Pre-DWARF 5 inline file definitions: appended to this unit's table.
            std::string_view f = r.CStr();
            t.files_.emplace_back(f);
            ++num_files;
          }
          r.Seek(start + static_cast<size_t>(len));
          break;
        }
        case kLnsCopy:
          emit(false);
          break;
        case kLnsAdvancePc:
          address += r.Uleb() * min_inst;
          break;
        case kLnsAdvanceLine:
          line = static_cast<uint32_t>(static_cast<int64_t>(line) + r.Sleb());
          break;
        case kLnsSetFile:
          file = static_cast<uint32_t>(r.Uleb());
          break;
        case kLnsSetColumn:
          column = static_cast<uint32_t>(r.Uleb());
          break;
        case kLnsNegateStmt:
        case kLnsSetBasicBlock:
          break;
        case kLnsConstAddPc:
          address += uint64_t{(255u - opcode_base) / line_range} * min_inst;
          break;
        case kLnsFixedAdvancePc:
          address += r.Fixed(2);
          break;
        default:
          // Other standard opcodes: skip their ULEB operands.
          for (uint8_t i = 0; i < std_lengths[op - 1]; ++i) r.Uleb();
          break;
      }
    }
    if (!r.ok())
      return MakeError(ErrorKind::kMalformed, ".debug_line: bad line program at {}", unit_start);
    r.Seek(unit_end);
  }
  std::stable_sort(t.rows_.begin(), t.rows_.end(), [](const Row& a, const Row& b) {
    if (a.address != b.address) return a.address < b.address;
    return a.end_sequence && !b.end_sequence;
  });
  return t;
}

std::optional<SourceLoc> LineTable::Lookup(uint64_t address) const {
  auto it = std::upper_bound(rows_.begin(), rows_.end(), address,
                             [](uint64_t a, const Row& r) { return a < r.address; });
  if (it == rows_.begin()) return std::nullopt;
  const Row& row = *(it - 1);
  if (row.end_sequence || row.file >= files_.size() || row.line == 0) return std::nullopt;
  return SourceLoc{files_[row.file], row.line, row.column};
}

}  // namespace wt::runtime::debug
