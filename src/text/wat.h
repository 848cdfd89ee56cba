// The WebAssembly text format -> the binary format. The output then goes through the same
// decoder and validator as a .wasm file.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "text/lexer.h"
#include "util/result.h"
#include "wasm/features.h"

namespace wt::text {

struct WatOptions {
  wasm::Features features = wasm::Features::Wasm30();
};

// Encodes one module from its fields: `fields` are the tokens after "(module $id?" up to, not
// including, the module's closing parenthesis (no kEof token). `module_id` ("$name" or empty)
// goes into the name section. Errors are kMalformed with "file:line:column: reason".
Result<std::vector<uint8_t>> EncodeModuleFields(std::span<const Token> fields,
                                                std::string_view filename,
                                                std::string_view module_id,
                                                const WatOptions& options = {});

// A .wat file or the text of `(module quote ...)`: either a single "(module $id? ...)" or a
// sequence of bare module fields.
Result<std::vector<uint8_t>> WatToBinary(std::string_view text, std::string_view filename,
                                         const WatOptions& options = {});

// The keywords of the text and script formats other than instruction mnemonics (those are in
// wasm/opcodes.h), as the parser knows them; it also takes any "assert_*" and the memarg
// forms "offset=N" and "align=N".
std::span<const std::string_view> TextKeywords();

}  // namespace wt::text
