// Names and source lines for wasm frames: function names from the name section (demangled),
// FILE:LINE:COL from DWARF .debug_line in the module's custom sections.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "runtime/debug/dwarf_line.h"

namespace wt::wasm {
struct Module;
}

namespace wt::runtime::debug {

class ModuleSymbols {
 public:
  // Reads the module's DWARF (if any) once; the module must outlive this object.
  explicit ModuleSymbols(const wasm::Module& module);

  // The demangled name-section name of `func_index`, or "<wasm function N>".
  std::string FuncName(uint32_t func_index) const;
  // The source location of the instruction at module byte offset `offset`, if DWARF says.
  std::optional<SourceLoc> Lookup(uint32_t offset) const;

  bool has_dwarf() const { return lines_ != nullptr; }
  // Module offset of the code section's contents (DWARF addresses are relative to it);
  // 0 when the module has no code section.
  uint32_t code_start() const { return code_start_; }

 private:
  const wasm::Module& module_;
  uint32_t code_start_ = 0;
  std::unique_ptr<LineTable> lines_;
};

// Module offset of the code section's contents (after its id and size), or 0.
uint32_t CodeSectionStart(const wasm::Module& module);

}  // namespace wt::runtime::debug
