#include "runtime/debug/symbolize.h"

#include <fmt/format.h>

#include "runtime/debug/demangle.h"
#include "wasm/module.h"

namespace wt::runtime::debug {
namespace {

bool ReadLeb(std::span<const uint8_t> b, size_t* pos, uint64_t* out) {
  uint64_t v = 0;
  for (unsigned shift = 0; shift < 64; shift += 7) {
    if (*pos >= b.size()) return false;
    uint8_t byte = b[(*pos)++];
    v |= uint64_t{byte & 0x7fu} << shift;
    if (!(byte & 0x80)) {
      *out = v;
      return true;
    }
  }
  return false;
}

std::span<const uint8_t> Custom(const wasm::Module& m, std::string_view name) {
  for (const wasm::CustomSection& c : m.customs)
    if (c.name == name) return m.Slice(c.contents);
  return {};
}

}  // namespace

uint32_t CodeSectionStart(const wasm::Module& module) {
  std::span<const uint8_t> b = module.bytes;
  size_t pos = 8;  // magic + version
  while (pos < b.size()) {
    uint8_t id = b[pos++];
    uint64_t size;
    if (!ReadLeb(b, &pos, &size) || size > b.size() - pos) return 0;
    if (id == 10) return static_cast<uint32_t>(pos);
    pos += static_cast<size_t>(size);
  }
  return 0;
}

ModuleSymbols::ModuleSymbols(const wasm::Module& module) : module_(module) {
  DwarfSections s;
  s.debug_line = Custom(module, ".debug_line");
  if (s.debug_line.empty()) return;
  code_start_ = CodeSectionStart(module);
  if (code_start_ == 0) return;
  s.debug_line_str = Custom(module, ".debug_line_str");
  s.debug_str = Custom(module, ".debug_str");
  auto table = LineTable::Parse(s);
  if (table.ok()) lines_ = std::make_unique<LineTable>(std::move(*table));
}

std::string ModuleSymbols::FuncName(uint32_t func_index) const {
  auto it = module_.names.functions.names.find(func_index);
  if (it != module_.names.functions.names.end() && !it->second.empty()) return Demangle(it->second);
  return fmt::format("<wasm function {}>", func_index);
}

std::optional<SourceLoc> ModuleSymbols::Lookup(uint32_t offset) const {
  if (!lines_ || offset < code_start_) return std::nullopt;
  return lines_->Lookup(offset - code_start_);
}

}  // namespace wt::runtime::debug
