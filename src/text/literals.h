// Numeric literal conversion for the text format: integers with '_' separators and hex, and
// floats in every form (decimal, hex, inf, nan, nan:0x...) rounded exactly as the spec says.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace wt::text {

// iN literals accept both the signed range and the unsigned range (as in `i32.const
// 0xffffffff` and `i32.const -1`). Return nullopt when malformed or out of range.
std::optional<uint32_t> ParseI32(std::string_view text);
std::optional<uint64_t> ParseI64(std::string_view text);
// Unsigned only (indices, alignment, offsets, lane indices).
std::optional<uint32_t> ParseU32(std::string_view text);
std::optional<uint64_t> ParseU64(std::string_view text);
// Floats: the IEEE bit pattern; nullopt when malformed or out of range (a finite literal that
// rounds to infinity, or a nan payload that is zero or too wide).
std::optional<uint32_t> ParseF32Bits(std::string_view text);
std::optional<uint64_t> ParseF64Bits(std::string_view text);
// i8 / i16 lanes of v128.const (signed or unsigned range).
std::optional<uint8_t> ParseI8(std::string_view text);
std::optional<uint16_t> ParseI16(std::string_view text);

}  // namespace wt::text
