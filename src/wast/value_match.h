// Comparing what an invocation returned with what a script expects (assert_return), and a
// trap's message with an assertion's text (assert_trap, assert_exhaustion). Independent of the
// runtime: the runner converts the runtime's values to ActualValue first.
//
// The rules are the spec's:
// - integers and floats compare by bits (so -0 != +0 and NaN payloads are exact);
// - nan:canonical: the sign is free, the payload is exactly the quiet bit
//   (f32 0x7fc00000 / 0xffc00000); nan:arithmetic: any NaN with the quiet bit set;
// - v128: by bytes, except that f32x4/f64x2 lanes written as NaN patterns match per lane;
// - (ref.null ht): any null reference; (ref.func) / (ref.extern) / (ref.any) / (ref.exn): any
//   non-null reference of that hierarchy; (ref.eq): an i31, struct or array; (ref.i31),
//   (ref.struct), (ref.array): one of those (by the value, not its declared type: an anyref
//   holding a struct matches (ref.struct)); (ref.extern N) / (ref.host N): the host value N in
//   the extern / any hierarchy (extern.convert_any and any.convert_extern are the identity, so
//   one value is either, by the declared type);
// - (either a b ...): any one of the alternatives.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "text/wast_script.h"
#include "wasm/types.h"

namespace wt::wast {

// What a reference value is, as far as a script can tell.
enum class RefClass : uint8_t {
  kNull,
  kFunc,    // a non-null function reference
  kExtern,  // a script's host value N (made by (ref.extern N) or (ref.host N): `host` is N);
            // (ref.extern N) in the extern hierarchy, (ref.host N) in the any hierarchy
  kI31,     // [wasmgc] an i31: `bits` holds its value, sign-extended from 31 bits
  kStruct,  // [wasmgc] a struct
  kArray,   // [wasmgc] an array
  kExn,     // an exception
  kOther,   // any other non-null reference (a host object of unknown origin)
};

// One result of an invocation, with the type the function declares for it.
struct ActualValue {
  wasm::ValType type = wasm::ValType::I32();
  uint64_t bits = 0;               // i32 (zero-extended), i64, f32, f64: the bits; kI31: value
  std::array<uint8_t, 16> v128{};  // v128: little-endian bytes
  RefClass ref = RefClass::kNull;  // refs
  uint64_t host = 0;               // kExtern: the host value N
  // refs: the hierarchy of the declared type (kFunc, kExtern, kAny, kExn); kBot: from
  // `type` (a concrete type then counts as func: set it when `type` may name a struct/array).
  wasm::HeapKind top = wasm::HeapKind::kBot;

  static ActualValue I32(uint32_t v) { return {wasm::ValType::I32(), v, {}, {}, 0}; }
  static ActualValue I64(uint64_t v) { return {wasm::ValType::I64(), v, {}, {}, 0}; }
  static ActualValue F32Bits(uint32_t v) { return {wasm::ValType::F32(), v, {}, {}, 0}; }
  static ActualValue F64Bits(uint64_t v) { return {wasm::ValType::F64(), v, {}, {}, 0}; }
};

// The heap-type hierarchy (its top: func, extern, any, exn) a heap kind belongs to
// (wasm::AbstractTop, wasm/heap_subtype.h).
wasm::HeapKind TopHeapKind(wasm::HeapKind kind);

// NaN patterns on raw bits.
bool IsCanonicalNan32(uint32_t bits);
bool IsArithmeticNan32(uint32_t bits);
bool IsCanonicalNan64(uint64_t bits);
bool IsArithmeticNan64(uint64_t bits);

bool MatchesValue(const text::ExpectedValue& expected, const ActualValue& actual);

// nullopt when every result matches (and the counts agree), else why not.
std::optional<std::string> MatchResults(std::span<const text::ExpectedValue> expected,
                                        std::span<const ActualValue> actual);

// "i32:42", "f32:0x7fc00000 (nan)", "ref.func", "ref.extern 3", ...
std::string FormatActual(const ActualValue& value);
std::string FormatActuals(std::span<const ActualValue> values);
std::string FormatExpecteds(std::span<const text::ExpectedValue> values);

// The reference interpreter's rule for trap and exhaustion messages, loosened both ways: a
// trap matches when the assertion's text starts with our spec message (scripts often add
// detail: "uninitialized element 2") or our message starts with the text.
bool TrapMessageMatches(std::string_view expected, std::string_view actual);

}  // namespace wt::wast
