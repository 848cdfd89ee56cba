#include "wast/value_match.h"

#include <cstring>

#include <fmt/format.h>

#include "wasm/heap_subtype.h"

namespace wt::wast {
namespace {

using text::ExpectedKind;
using text::ExpectedValue;
using text::NanPattern;
using text::RefKind;
using text::Value;
using text::ValueKind;
using wasm::HeapKind;
using wasm::ValKind;

ValueKind KindOf(const wasm::ValType& t) {
  switch (t.kind) {
    case ValKind::kI32:
      return ValueKind::kI32;
    case ValKind::kI64:
      return ValueKind::kI64;
    case ValKind::kF32:
      return ValueKind::kF32;
    case ValKind::kF64:
      return ValueKind::kF64;
    case ValKind::kV128:
      return ValueKind::kV128;
    case ValKind::kRef:
    case ValKind::kBot:
      break;
  }
  return ValueKind::kRef;
}

bool MatchesNan32(NanPattern p, uint32_t bits) {
  return p == NanPattern::kCanonical ? IsCanonicalNan32(bits) : IsArithmeticNan32(bits);
}
bool MatchesNan64(NanPattern p, uint64_t bits) {
  return p == NanPattern::kCanonical ? IsCanonicalNan64(bits) : IsArithmeticNan64(bits);
}

template <typename T>
T LoadLane(const std::array<uint8_t, 16>& bytes, size_t lane) {
  T v;
  std::memcpy(&v, bytes.data() + lane * sizeof(T), sizeof(T));
  return v;
}

bool MatchesLanes(const ExpectedValue& e, const ActualValue& a) {
  const bool f32 = e.value.shape == text::V128Shape::kF32x4;
  const size_t lanes = f32 ? 4 : 2;
  const size_t width = 16 / lanes;
  for (size_t i = 0; i < lanes; ++i) {
    NanPattern p = e.lane_nan[i];
    if (p == NanPattern::kNone) {
      if (std::memcmp(e.value.v128.data() + i * width, a.v128.data() + i * width, width) != 0) {
        return false;
      }
    } else if (f32 ? !MatchesNan32(p, LoadLane<uint32_t>(a.v128, i))
                   : !MatchesNan64(p, LoadLane<uint64_t>(a.v128, i))) {
      return false;
    }
  }
  return true;
}

// The hierarchy of an actual reference: the engine's (ActualValue::top), else its declared
// type's (a concrete type index counts as func then).
HeapKind ActualTop(const ActualValue& a) {
  if (a.top != HeapKind::kBot) return a.top;
  if (a.type.heap.kind == HeapKind::kIndex) return HeapKind::kFunc;
  return TopHeapKind(a.type.heap.kind);
}

bool MatchesExact(const Value& v, const ActualValue& a) {
  if (KindOf(a.type) != v.kind) return false;
  switch (v.kind) {
    case ValueKind::kI32:
    case ValueKind::kF32:
      return static_cast<uint32_t>(a.bits) == static_cast<uint32_t>(v.bits);
    case ValueKind::kI64:
    case ValueKind::kF64:
      return a.bits == v.bits;
    case ValueKind::kV128:
      return a.v128 == v.v128;
    case ValueKind::kRef:
      switch (v.ref) {
        case RefKind::kNull:
          return a.ref == RefClass::kNull;
        case RefKind::kExtern:  // the host value N as an externref
          return a.ref == RefClass::kExtern && a.host == v.bits &&
                 ActualTop(a) == HeapKind::kExtern;
        case RefKind::kHost:  // [wasmgc] the host value N as an anyref
          return a.ref == RefClass::kExtern && a.host == v.bits && ActualTop(a) == HeapKind::kAny;
      }
  }
  return false;
}

bool MatchesNonNull(HeapKind want, const ActualValue& a) {
  if (a.ref == RefClass::kNull) return false;
  const HeapKind top = ActualTop(a);
  if (TopHeapKind(want) != top) return false;
  switch (want) {
    case HeapKind::kFunc:
    case HeapKind::kExtern:
    case HeapKind::kAny:
    case HeapKind::kExn:
      return true;  // any non-null reference of the hierarchy
    case HeapKind::kEq:
      if (a.ref == RefClass::kOther) break;
      return a.ref == RefClass::kI31 || a.ref == RefClass::kStruct || a.ref == RefClass::kArray;
    case HeapKind::kI31:
      if (a.ref == RefClass::kOther) break;
      return a.ref == RefClass::kI31;
    case HeapKind::kStruct:
      if (a.ref == RefClass::kOther) break;
      return a.ref == RefClass::kStruct;
    case HeapKind::kArray:
      if (a.ref == RefClass::kOther) break;
      return a.ref == RefClass::kArray;
    default:
      return false;
  }
  // A value the engine could not classify: its declared type must say so.
  return a.type.heap.kind == want;
}

// What a non-null reference holds, without its hierarchy ("ref.i31 5", "ref.struct", ...).
std::string FormatReferent(const ActualValue& a, const std::string& type) {
  switch (a.ref) {
    case RefClass::kNull:
      return fmt::format("ref.null ({})", type);
    case RefClass::kFunc:
      return fmt::format("ref.func ({})", type);
    case RefClass::kExtern:
      return fmt::format("ref.host {}", a.host);
    case RefClass::kI31:
      return fmt::format("ref.i31 {}", static_cast<int64_t>(a.bits));
    case RefClass::kStruct:
      return "ref.struct";
    case RefClass::kArray:
      return "ref.array";
    case RefClass::kExn:
      return "ref.exn";
    case RefClass::kOther:
      return fmt::format("non-null ({})", type);
  }
  return "?";
}

std::string FormatRef(const ActualValue& a) {
  const std::string type = wasm::ValTypeName(a.type);
  if (a.ref == RefClass::kNull || ActualTop(a) != HeapKind::kExtern) return FormatReferent(a, type);
  // The extern hierarchy: a script's host value, or what extern.convert_any made.
  switch (a.ref) {
    case RefClass::kExtern:
      return fmt::format("ref.extern {}", a.host);
    case RefClass::kOther:
      return fmt::format("non-null ({})", type);
    default:
      return fmt::format("ref.extern ({})", FormatReferent(a, type));
  }
}

}  // namespace

HeapKind TopHeapKind(HeapKind kind) {
  return wasm::AbstractTop(kind);
}

bool IsCanonicalNan32(uint32_t bits) {
  return (bits & 0x7fffffffu) == 0x7fc00000u;
}
bool IsArithmeticNan32(uint32_t bits) {
  return (bits & 0x7fc00000u) == 0x7fc00000u;
}
bool IsCanonicalNan64(uint64_t bits) {
  return (bits & 0x7fffffffffffffffull) == 0x7ff8000000000000ull;
}
bool IsArithmeticNan64(uint64_t bits) {
  return (bits & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
}

bool MatchesValue(const ExpectedValue& e, const ActualValue& a) {
  switch (e.kind) {
    case ExpectedKind::kExact:
      return MatchesExact(e.value, a);
    case ExpectedKind::kNan:
      if (KindOf(a.type) != e.value.kind) return false;
      return e.value.kind == ValueKind::kF32 ? MatchesNan32(e.nan, static_cast<uint32_t>(a.bits))
                                             : MatchesNan64(e.nan, a.bits);
    case ExpectedKind::kV128Lanes:
      return a.type.kind == ValKind::kV128 && MatchesLanes(e, a);
    case ExpectedKind::kRefNull:
      return a.type.kind == ValKind::kRef && a.ref == RefClass::kNull;
    case ExpectedKind::kRefNonNull:
      return a.type.kind == ValKind::kRef && MatchesNonNull(e.heap, a);
    case ExpectedKind::kEither:
      for (const ExpectedValue& alt : e.either) {
        if (MatchesValue(alt, a)) return true;
      }
      return false;
  }
  return false;
}

std::optional<std::string> MatchResults(std::span<const ExpectedValue> expected,
                                        std::span<const ActualValue> actual) {
  if (expected.size() != actual.size()) {
    return fmt::format("expected {} result(s), got {}", expected.size(), actual.size());
  }
  for (size_t i = 0; i < expected.size(); ++i) {
    if (!MatchesValue(expected[i], actual[i])) {
      if (expected.size() == 1) return std::string("result mismatch");
      return fmt::format("result {} mismatch", i);
    }
  }
  return std::nullopt;
}

std::string FormatActual(const ActualValue& a) {
  if (a.type.kind == ValKind::kRef || a.type.kind == ValKind::kBot) return FormatRef(a);
  Value v;
  v.kind = KindOf(a.type);
  v.bits = v.kind == ValueKind::kI32 || v.kind == ValueKind::kF32 ? static_cast<uint32_t>(a.bits)
                                                                  : a.bits;
  v.v128 = a.v128;
  v.shape = text::V128Shape::kI32x4;
  return text::FormatValue(v);
}

std::string FormatActuals(std::span<const ActualValue> values) {
  std::string out;
  for (const ActualValue& v : values) {
    if (!out.empty()) out += ", ";
    out += FormatActual(v);
  }
  return out.empty() ? "(no results)" : out;
}

std::string FormatExpecteds(std::span<const ExpectedValue> values) {
  std::string out;
  for (const ExpectedValue& v : values) {
    if (!out.empty()) out += ", ";
    out += text::FormatExpected(v);
  }
  return out.empty() ? "(no results)" : out;
}

bool TrapMessageMatches(std::string_view expected, std::string_view actual) {
  if (actual.empty()) return expected.empty();
  return expected.starts_with(actual) || actual.starts_with(expected);
}

}  // namespace wt::wast
