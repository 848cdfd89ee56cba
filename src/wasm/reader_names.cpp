// The `name` custom section: module name (subsection 0), function names (1) and local names
// (2). Other subsections are skipped. The caller ignores a malformed name section.
#include "wasm/reader_impl.h"

namespace wt::wasm::internal {
namespace {

// namemap ::= vec(idx name), indices strictly increasing.
Status ReadNameMap(BinaryReader& r, NameMap* out) {
  WT_TRY_ASSIGN(uint32_t n, r.Count(2));
  bool first = true;
  uint32_t last = 0;
  for (uint32_t i = 0; i < n; ++i) {
    const size_t at = r.offset();
    WT_TRY_ASSIGN(uint32_t idx, r.U32());
    if (!first && idx <= last) return MalformedAt(at, "name map indices out of order");
    first = false;
    last = idx;
    WT_TRY_ASSIGN(std::string_view name, r.Name());
    out->names.emplace(idx, std::string(name));
  }
  return Ok();
}

}  // namespace

Status ParseNameSection(std::span<const uint8_t> contents, size_t base_offset, Names* out) {
  BinaryReader r(contents, base_offset);
  int last_id = -1;
  while (!r.AtEnd()) {
    const size_t at = r.offset();
    WT_TRY_ASSIGN(uint8_t id, r.U8());
    if (static_cast<int>(id) <= last_id) return MalformedAt(at, "name subsection out of order");
    last_id = id;
    WT_TRY_ASSIGN(uint32_t size, r.Length());
    if (size > r.remaining()) return r.EndError();
    BinaryReader sub(contents.subspan(r.pos(), size), r.offset());
    r.set_pos(r.pos() + size);
    switch (id) {
      case 0: {
        WT_TRY_ASSIGN(std::string_view name, sub.Name());
        out->module = std::string(name);
        break;
      }
      case 1:
        WT_TRY(ReadNameMap(sub, &out->functions));
        break;
      case 2: {
        WT_TRY_ASSIGN(uint32_t n, sub.Count(2));
        bool first = true;
        uint32_t last = 0;
        for (uint32_t i = 0; i < n; ++i) {
          const size_t fat = sub.offset();
          WT_TRY_ASSIGN(uint32_t func, sub.U32());
          if (!first && func <= last) return MalformedAt(fat, "name map indices out of order");
          first = false;
          last = func;
          WT_TRY(ReadNameMap(sub, &out->locals[func]));
        }
        break;
      }
      default:
        continue;  // other subsections (labels, types, ...) are skipped
    }
    if (!sub.AtEnd()) return MalformedAt(sub.offset(), "name subsection size mismatch");
  }
  return Ok();
}

}  // namespace wt::wasm::internal
