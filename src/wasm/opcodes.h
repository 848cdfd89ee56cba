// Opcode enumeration and per-opcode facts, all generated from opcodes.def.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "wasm/features.h"

namespace wt::wasm {

// What follows an opcode in the binary format.
enum class Imm : uint8_t {
  kNone,
  kBlockType,     // blocktype
  kLabel,         // labelidx
  kBrTable,       // vec(labelidx) labelidx
  kFunc,          // funcidx
  kCallIndirect,  // typeidx tableidx
  kType,          // typeidx
  kLocal,         // localidx
  kGlobal,        // globalidx
  kTable,         // tableidx
  kMem1,          // memarg, natural alignment 1 byte
  kMem2,
  kMem4,
  kMem8,
  kMem16,
  kMemLane1,  // memarg laneidx
  kMemLane2,
  kMemLane4,
  kMemLane8,
  kMemIdx,     // memidx (memory.size/grow/fill)
  kI32,        // i32 (sleb32)
  kI64,        // i64 (sleb64)
  kF32,        // 4 bytes
  kF64,        // 8 bytes
  kV128,       // 16 bytes
  kLaneIdx16,  // laneidx < 16
  kLaneIdx8,
  kLaneIdx4,
  kLaneIdx2,
  kShuffle,     // 16 laneidx < 32
  kSelectT,     // vec(valtype)
  kHeapType,    // heaptype
  kRefHeap,     // heaptype (ref.test / ref.cast; nullability in the opcode)
  kBrOnCast,    // castflags labelidx heaptype heaptype
  kTypeField,   // typeidx fieldidx
  kTypeData,    // typeidx dataidx
  kTypeElem,    // typeidx elemidx
  kTypeType,    // typeidx typeidx
  kTypeSize,    // typeidx u32
  kDataMem,     // dataidx memidx
  kData,        // dataidx
  kMemMem,      // memidx memidx
  kElemTable,   // elemidx tableidx
  kElem,        // elemidx
  kTableTable,  // tableidx tableidx
  kTag,         // tagidx
  kTryTable,    // blocktype vec(catch)
  kAtomic1,     // memarg of an atomic access: the alignment must equal the natural one (1 byte)
  kAtomic2,
  kAtomic4,
  kAtomic8,
  kFence,  // atomic.fence: one reserved zero byte
};

enum class Op : uint16_t {
#define WT_OP(prefix, code, name, text, imm, sig, feature) name,
#include "wasm/opcodes.def"
#undef WT_OP
  kCount
};

inline constexpr size_t kNumOps = static_cast<size_t>(Op::kCount);

// Operand/result kinds of a fixed signature ('a' = the memory's address type).
enum class SigKind : uint8_t { kI32, kI64, kF32, kF64, kV128, kAddr };

struct OpSig {
  bool special = true;  // typed by hand in the validator
  uint8_t num_params = 0;
  uint8_t num_results = 0;
  SigKind params[3]{};
  SigKind results[1]{};
};

// Parses an opcodes.def signature "results_params" (letters i l f d v a, 'n' for none; "x":
// typed by hand) at compile time.
constexpr OpSig ParseOpSig(std::string_view s) {
  auto kind = [](char c) {
    switch (c) {
      case 'i':
        return SigKind::kI32;
      case 'l':
        return SigKind::kI64;
      case 'f':
        return SigKind::kF32;
      case 'd':
        return SigKind::kF64;
      case 'v':
        return SigKind::kV128;
      default:
        return SigKind::kAddr;
    }
  };
  OpSig sig;
  if (s == "x") return sig;
  sig.special = false;
  size_t us = s.find('_');
  for (size_t i = 0; i < us; ++i) {
    if (s[i] != 'n') sig.results[sig.num_results++] = kind(s[i]);
  }
  for (size_t i = us + 1; i < s.size(); ++i) {
    if (s[i] != 'n') sig.params[sig.num_params++] = kind(s[i]);
  }
  return sig;
}

struct OpInfo {
  uint8_t prefix;
  uint32_t code;
  const char* name;  // C++ enumerator name, e.g. "I32Add"
  const char* text;  // text mnemonic, e.g. "i32.add"
  Imm imm;
  OpSig sig;
  Feature feature;
};

const OpInfo& GetOpInfo(Op op);
inline const char* OpText(Op op) {
  return GetOpInfo(op).text;
}

// Decoding: the opcode with this prefix (0 for none) and code, if any.
std::optional<Op> LookupOp(uint8_t prefix, uint32_t code);
// Text: the first opcode whose mnemonic is `text`.
std::optional<Op> LookupOpByText(std::string_view text);

// Natural alignment (log2 bytes) of a memory opcode's access (kMem*, kMemLane*, kAtomic*); 0
// for others.
uint32_t NaturalAlignLog2(Imm imm);
// An atomic memory access (kAtomic*): its alignment must be exactly the natural one.
constexpr bool IsAtomicMemImm(Imm imm) {
  return imm == Imm::kAtomic1 || imm == Imm::kAtomic2 || imm == Imm::kAtomic4 ||
         imm == Imm::kAtomic8;
}
// Lane count bound for a kLaneIdx*/kMemLane* immediate; 0 for others.
uint32_t LaneCount(Imm imm);

}  // namespace wt::wasm
