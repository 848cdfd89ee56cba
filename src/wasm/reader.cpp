#include "wasm/reader.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "wasm/reader_impl.h"

namespace wt::wasm {
namespace internal {
namespace {

constexpr uint8_t kCustomId = 0;
constexpr uint8_t kTagId = 13;
constexpr uint8_t kDataCountId = 12;

// Position of a non-custom section in the required order (ids 1..13), 0 for an unknown id.
int SectionRank(uint8_t id) {
  switch (id) {
    case 1:
      return 1;  // type
    case 2:
      return 2;  // import
    case 3:
      return 3;  // function
    case 4:
      return 4;  // table
    case 5:
      return 5;  // memory
    case 13:
      return 6;  // tag
    case 6:
      return 7;  // global
    case 7:
      return 8;  // export
    case 8:
      return 9;  // start
    case 9:
      return 10;  // element
    case 12:
      return 11;  // data count
    case 10:
      return 12;  // code
    case 11:
      return 13;  // data
    default:
      return 0;
  }
}

// Block kinds on the nesting stack of DecodeExpr.
enum BlockKind : uint8_t { kPlain, kIf, kElse, kTry, kTryCatch };

}  // namespace

ModuleReader::ModuleReader(Module* module, const ReadOptions& options)
    : m_(*module),
      options_(options),
      f_(options.features),
      r_(module->bytes),
      code_(std::span<const uint8_t>(), 0, options.features) {}

Status ModuleReader::ReadHeader() {
  r_.set_end_message("unexpected end");
  if (r_.remaining() < 4) return r_.EndError();
  const uint8_t* b = m_.bytes.data();
  if (b[0] != 0x00 || b[1] != 0x61 || b[2] != 0x73 || b[3] != 0x6D) {
    return MalformedAt(0, "magic header not detected");
  }
  if (r_.remaining() < 8) return r_.EndError();
  if (b[4] != 0x01 || b[5] != 0x00 || b[6] != 0x00 || b[7] != 0x00) {
    return MalformedAt(4, "unknown binary version");
  }
  r_.set_pos(8);
  return Ok();
}

Status ModuleReader::Read() {
  WT_TRY(ReadHeader());
  int last_rank = 0;
  uint8_t last_id = 0;
  while (!r_.AtEnd()) {
    r_.set_end_message("unexpected end");
    const size_t id_at = r_.offset();
    WT_TRY_ASSIGN(uint8_t id, r_.U8());
    if (id != kCustomId) {
      int rank = SectionRank(id);
      if (rank == 0 || (id == kTagId && !f_.has(Feature::kExceptions)) ||
          (id == kDataCountId && !f_.has(Feature::kBulk))) {
        return MalformedAt(id_at, "malformed section id");
      }
      if (rank <= last_rank) return MalformedAt(id_at, "unexpected content after last section");
      last_rank = rank;
      last_id = id;
    }
    WT_TRY_ASSIGN(uint32_t size, r_.Length());
    const size_t start = r_.pos();
    if (id == kCustomId) {
      if (size > r_.remaining()) return r_.EndError();
      WT_TRY(ReadCustomSection(start, size));
      m_.customs.back().after_section = last_id;
      r_.set_pos(start + size);
      continue;
    }
    r_.set_end_message(kSectionEnd);
    WT_TRY(ReadSection(id, start, size));
    if (r_.pos() != start + size) return MalformedAt(start, "section size mismatch");
  }
  WT_TRY(FinalChecks());

  std::sort(refs_.begin(), refs_.end());
  refs_.erase(std::unique(refs_.begin(), refs_.end()), refs_.end());
  m_.declared_func_refs = std::move(refs_);

  for (const CustomSection& c : m_.customs) {
    if (c.name != "name") continue;
    Names names;
    Status s = ParseNameSection(m_.Slice(c.contents), c.contents.offset, &names);
    if (s.ok()) {
      m_.names = std::move(names);
    } else {
      spdlog::debug("ignoring malformed name section: {}", s.error().ToString());
    }
    break;  // only the first one counts
  }
  return Ok();
}

Status ModuleReader::ReadSection(uint8_t id, size_t /*start*/, uint32_t /*size*/) {
  switch (id) {
    case 1:
      return ReadTypeSection();
    case 2:
      return ReadImportSection();
    case 3:
      return ReadFunctionSection();
    case 4:
      return ReadTableSection();
    case 5:
      return ReadMemorySection();
    case 6:
      return ReadGlobalSection();
    case 7:
      return ReadExportSection();
    case 8:
      return ReadStartSection();
    case 9:
      return ReadElementSection();
    case 10:
      return ReadCodeSection();
    case 11:
      return ReadDataSection();
    case 12:
      return ReadDataCountSection();
    case 13:
      return ReadTagSection();
    default:
      return r_.Fail("malformed section id");
  }
}

Status ModuleReader::ReadCustomSection(size_t start, uint32_t size) {
  // Custom sections are bounded by their size: a name running past it is malformed.
  BinaryReader sub(std::span<const uint8_t>(m_.bytes).subspan(start, size), start);
  WT_TRY_ASSIGN(uint32_t len, sub.U32());
  if (len > sub.remaining()) return sub.EndError();
  size_t name_at = sub.offset();
  WT_TRY_ASSIGN(std::span<const uint8_t> name, sub.Take(len));
  if (!IsValidUtf8(name)) return MalformedAt(name_at, "malformed UTF-8 encoding");
  CustomSection c;
  c.name.assign(reinterpret_cast<const char*>(name.data()), name.size());
  c.contents.offset = static_cast<uint32_t>(sub.offset());
  c.contents.size = static_cast<uint32_t>(sub.remaining());
  m_.customs.push_back(std::move(c));
  return Ok();
}

Status ModuleReader::FinalChecks() {
  const size_t end = m_.bytes.size();
  if (m_.codes.size() != num_defined_funcs_) {
    return MalformedAt(end, "function and code section have inconsistent lengths");
  }
  if (m_.data_count && *m_.data_count != m_.datas.size()) {
    return MalformedAt(end, "data count and data section have inconsistent lengths");
  }
  if (!m_.data_count && uses_data_index_) return MalformedAt(end, "data count section required");
  return Ok();
}

Status ModuleReader::DecodeExpr(bool in_body) {
  const size_t start = r_.pos();
  code_.Reset(std::span<const uint8_t>(m_.bytes).subspan(start), static_cast<uint32_t>(start));
  blocks_.clear();
  for (;;) {
    if (code_.AtEnd()) return MalformedAt(code_.Offset(), kSectionEnd);
    Status s = code_.Next(&instr_);
    if (!s.ok()) {
      Error e = std::move(s).error();
      if (e.message == "unexpected end") e.message = kSectionEnd;
      return e;
    }
    switch (instr_.op) {
      case Op::Block:
      case Op::Loop:
      case Op::TryTable:
        blocks_.push_back(kPlain);
        break;
      case Op::If:
        blocks_.push_back(kIf);
        break;
      case Op::Try:
        blocks_.push_back(kTry);
        break;
      case Op::Else:
        if (blocks_.empty() || blocks_.back() != kIf) {
          return MalformedAt(instr_.offset, "END opcode expected");
        }
        blocks_.back() = kElse;
        break;
      case Op::Catch:
      case Op::CatchAll:
        if (blocks_.empty() || (blocks_.back() != kTry && blocks_.back() != kTryCatch)) {
          return MalformedAt(instr_.offset, "END opcode expected");
        }
        blocks_.back() = kTryCatch;
        break;
      case Op::Delegate:
        if (blocks_.empty() || blocks_.back() != kTry) {
          return MalformedAt(instr_.offset, "END opcode expected");
        }
        blocks_.pop_back();
        break;
      case Op::End:
        if (blocks_.empty()) {
          r_.set_pos(code_.Offset());
          return Ok();
        }
        blocks_.pop_back();
        break;
      case Op::RefFunc:
        if (!in_body) refs_.push_back(instr_.a);
        break;
      case Op::MemoryInit:
      case Op::DataDrop:
      case Op::ArrayNewData:
      case Op::ArrayInitData:
        if (in_body) uses_data_index_ = true;
        break;
      default:
        break;
    }
  }
}

Status ModuleReader::ReadConstExpr(ConstExpr* out) {
  const size_t start = r_.pos();
  WT_TRY(DecodeExpr(/*in_body=*/false));
  out->range.offset = static_cast<uint32_t>(start);
  out->range.size = static_cast<uint32_t>(r_.pos() - start);
  return Ok();
}

}  // namespace internal

Result<Module> ReadModule(ModuleBytes bytes, const ReadOptions& options) {
  Module m;
  m.bytes = std::move(bytes);
  if (m.bytes.size() > UINT32_MAX) return MalformedAt(0, "module too large");
  internal::ModuleReader reader(&m, options);
  WT_TRY(reader.Read());
  return m;
}

}  // namespace wt::wasm
