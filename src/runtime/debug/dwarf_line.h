// A DWARF 2-5 `.debug_line` reader: runs every line-number program of the section and keeps
// the rows, so that an address maps to FILE:LINE:COL. For wasm modules the addresses are
// offsets in the code section's contents (symbolize.h converts module offsets).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "util/result.h"

namespace wt::runtime::debug {

struct SourceLoc {
  std::string file;
  uint32_t line = 0;    // 0: unknown
  uint32_t column = 0;  // 0: unknown
};

// The sections a line program may refer to (absent ones empty).
struct DwarfSections {
  std::span<const uint8_t> debug_line;
  std::span<const uint8_t> debug_line_str;  // DWARF 5 DW_FORM_line_strp
  std::span<const uint8_t> debug_str;       // DW_FORM_strp
};

class LineTable {
 public:
  struct Row {
    uint64_t address = 0;
    uint32_t file = 0;  // index into files_
    uint32_t line = 0;
    uint32_t column = 0;
    bool end_sequence = false;
  };

  // Parses every unit of `sections.debug_line`. kMalformed errors for truncated or
  // inconsistent data (units before the bad one are kept only if `partial` is given).
  static Result<LineTable> Parse(const DwarfSections& sections);

  // The row covering `address` (the last row at or below it in a sequence that has not ended).
  std::optional<SourceLoc> Lookup(uint64_t address) const;

  const std::vector<Row>& rows() const { return rows_; }
  const std::vector<std::string>& files() const { return files_; }

 private:
  std::vector<Row> rows_;  // sorted by address (end_sequence rows first among equals)
  std::vector<std::string> files_;
};

}  // namespace wt::runtime::debug
