// Tokens of the WebAssembly text format (and the .wast script format, which shares them).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace wt::text {

enum class TokenKind : uint8_t {
  kLParen,
  kRParen,
  kKeyword,   // starts with a lowercase letter: module, i32.add, offset=4, nan:canonical, ...
  kId,        // $name or $"name"  (text includes the '$')
  kNat,       // unsigned integer literal (decimal or 0x hex, '_' separators)
  kInt,       // signed integer literal (+ or -)
  kFloat,     // float literal incl. inf, nan, nan:0x..., hex floats (signed or not); a plain
              // integer literal is kNat/kInt, so float contexts accept those too
  kString,    // "..." (text includes the quotes; decode with DecodeString)
  kReserved,  // anything else that is a token by the lexical grammar
  kEof,
};

struct Token {
  TokenKind kind = TokenKind::kEof;
  std::string_view text;  // view into the source
  uint32_t line = 1;      // 1-based
  uint32_t column = 1;    // 1-based, in bytes
};

// Splits `source` into tokens. Whitespace, line and block comments (nested) and annotations
// `(@name ...)` are dropped. The final token is kEof. Errors (kMalformed) carry
// "file:line:column".
Result<std::vector<Token>> Tokenize(std::string_view source, std::string_view filename);

// Decodes a string token's escapes into bytes (the result may be any bytes, not only UTF-8).
Result<std::string> DecodeString(const Token& token, std::string_view filename);

// The name of a kId token without the '$', with a quoted id `$"..."` decoded (the lexer
// has checked that it is non-empty UTF-8). `$abc` and `$"abc"` give the same name.
std::string IdName(const Token& token);

// "file:line:column" for a token.
std::string Location(std::string_view filename, const Token& token);

}  // namespace wt::text
