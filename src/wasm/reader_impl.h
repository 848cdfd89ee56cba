// Internal to the binary reader (reader.cpp, reader_sections.cpp, reader_names.cpp).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "util/result.h"
#include "wasm/binary.h"
#include "wasm/code_reader.h"
#include "wasm/module.h"
#include "wasm/reader.h"

namespace wt::wasm::internal {

inline constexpr const char* kSectionEnd = "unexpected end of section or function";

// Decodes one module. Sections are read from a cursor over the whole module (the contents of
// a section may run past its declared size; the size is checked afterwards, "section size
// mismatch"), which reproduces the spec interpreter's choice among error messages.
class ModuleReader {
 public:
  ModuleReader(Module* module, const ReadOptions& options);
  Status Read();

 private:
  // reader.cpp
  Status ReadHeader();
  Status ReadSection(uint8_t id, size_t start, uint32_t size);
  Status ReadCustomSection(size_t start, uint32_t size);
  Status FinalChecks();
  // Decodes instructions from the cursor up to and including the `end` that closes depth 0.
  // `in_body`: a function body (tracks data index uses) rather than a constant expression
  // (collects ref.func indices).
  Status DecodeExpr(bool in_body);
  Status ReadConstExpr(ConstExpr* out);

  // reader_sections.cpp
  Status ReadTypeSection();
  Status ReadSubType(uint32_t rec_group);
  Status ReadFieldType(FieldType* out);
  Status ReadValTypes(std::vector<ValType>* out);
  Status ReadImportSection();
  Status ReadFunctionSection();
  Status ReadTableSection();
  Status ReadMemorySection();
  Status ReadGlobalSection();
  Status ReadExportSection();
  Status ReadStartSection();
  Status ReadElementSection();
  Status ReadDataCountSection();
  Status ReadCodeSection();
  Status ReadDataSection();
  Status ReadTagSection();

  // `shared` and `page_size_log2` are null for tables (which have neither).
  Status ReadLimits(bool is_memory, Limits* limits, AddrType* addr, bool* shared,
                    uint8_t* page_size_log2);
  Status ReadTableType(TableType* out);
  Status ReadMemoryType(MemoryType* out);
  Status ReadGlobalType(GlobalType* out);
  Status ReadTagType(TagType* out);
  Result<bool> ReadMutability();

  Module& m_;
  ReadOptions options_;
  Features f_;
  BinaryReader r_;
  CodeReader code_;
  Instr instr_;
  std::vector<uint8_t> blocks_;  // open block kinds while decoding an expression
  std::vector<uint32_t> refs_;   // ref.func indices outside function bodies, and exports
  bool uses_data_index_ = false;
  bool has_function_section_ = false;
  uint32_t num_defined_funcs_ = 0;
};

// Parses the `name` custom section's contents into `out`. Errors are reported for logging
// only: the caller ignores a malformed name section.
Status ParseNameSection(std::span<const uint8_t> contents, size_t base_offset, Names* out);

}  // namespace wt::wasm::internal
