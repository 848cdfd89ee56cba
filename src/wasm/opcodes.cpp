#include "wasm/opcodes.h"

#include <array>
#include <string_view>
#include <unordered_map>

namespace wt::wasm {
namespace {

constexpr std::array<OpInfo, kNumOps> kOpInfos = {{
#define WT_OP(prefix, code, name, text, imm, sig, feature) \
  {prefix, code, #name, text, Imm::imm, ParseOpSig(#sig), Feature::feature},
#include "wasm/opcodes.def"
#undef WT_OP
}};

struct DecodeTables {
  // Single-byte opcodes by byte; prefixed opcodes by sub-code (SIMD goes up to 0x113).
  std::array<int16_t, 256> plain;
  std::array<int16_t, 64> gc;
  std::array<int16_t, 64> misc;
  std::array<int16_t, 0x120> simd;
  std::array<int16_t, 0x50> atomic;
  std::unordered_map<std::string_view, Op> by_text;

  DecodeTables() {
    plain.fill(-1);
    gc.fill(-1);
    misc.fill(-1);
    simd.fill(-1);
    atomic.fill(-1);
    for (size_t i = 0; i < kNumOps; ++i) {
      const OpInfo& info = kOpInfos[i];
      auto idx = static_cast<int16_t>(i);
      switch (info.prefix) {
        case 0x00:
          plain[info.code] = idx;
          break;
        case 0xFB:
          gc[info.code] = idx;
          break;
        case 0xFC:
          misc[info.code] = idx;
          break;
        case 0xFD:
          simd[info.code] = idx;
          break;
        case 0xFE:
          atomic[info.code] = idx;
          break;
      }
      by_text.emplace(info.text, static_cast<Op>(i));  // keeps the first
    }
  }
};

const DecodeTables& Tables() {
  static const DecodeTables tables;
  return tables;
}

template <size_t N>
std::optional<Op> Find(const std::array<int16_t, N>& t, uint32_t code) {
  if (code >= N || t[code] < 0) return std::nullopt;
  return static_cast<Op>(t[code]);
}

}  // namespace

const OpInfo& GetOpInfo(Op op) {
  return kOpInfos[static_cast<size_t>(op)];
}

std::optional<Op> LookupOp(uint8_t prefix, uint32_t code) {
  const DecodeTables& t = Tables();
  switch (prefix) {
    case 0x00:
      return Find(t.plain, code);
    case 0xFB:
      return Find(t.gc, code);
    case 0xFC:
      return Find(t.misc, code);
    case 0xFD:
      return Find(t.simd, code);
    case 0xFE:
      return Find(t.atomic, code);
    default:
      return std::nullopt;
  }
}

std::optional<Op> LookupOpByText(std::string_view text) {
  const auto& m = Tables().by_text;
  auto it = m.find(text);
  if (it == m.end()) return std::nullopt;
  return it->second;
}

uint32_t NaturalAlignLog2(Imm imm) {
  switch (imm) {
    case Imm::kMem1:
    case Imm::kMemLane1:
    case Imm::kAtomic1:
      return 0;
    case Imm::kMem2:
    case Imm::kMemLane2:
    case Imm::kAtomic2:
      return 1;
    case Imm::kMem4:
    case Imm::kMemLane4:
    case Imm::kAtomic4:
      return 2;
    case Imm::kMem8:
    case Imm::kMemLane8:
    case Imm::kAtomic8:
      return 3;
    case Imm::kMem16:
      return 4;
    default:
      return 0;
  }
}

uint32_t LaneCount(Imm imm) {
  switch (imm) {
    case Imm::kLaneIdx16:
    case Imm::kMemLane1:
      return 16;
    case Imm::kLaneIdx8:
    case Imm::kMemLane2:
      return 8;
    case Imm::kLaneIdx4:
    case Imm::kMemLane4:
      return 4;
    case Imm::kLaneIdx2:
    case Imm::kMemLane8:
      return 2;
    default:
      return 0;
  }
}

const char* FeatureName(Feature f) {
  switch (f) {
#define WT_FEATURE_NAME(e, s) \
  case Feature::e:            \
    return s;
    WT_FEATURES(WT_FEATURE_NAME)
#undef WT_FEATURE_NAME
    case Feature::kCount:
      break;
  }
  return "?";
}

bool ParseFeatureName(std::string_view name, Feature* out) {
#define WT_FEATURE_PARSE(e, s) \
  if (name == s) {             \
    *out = Feature::e;         \
    return true;               \
  }
  WT_FEATURES(WT_FEATURE_PARSE)
#undef WT_FEATURE_PARSE
  return false;
}

}  // namespace wt::wasm
