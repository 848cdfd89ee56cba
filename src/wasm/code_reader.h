// Instruction decoding, shared by the reader's syntax check, the validator and the compiler:
// one instruction at a time, allocation-free after warm-up (immediates with a variable number
// of items live in buffers owned by the CodeReader and reused).
#pragma once

#include <cstdint>
#include <span>

#include "util/result.h"
#include "wasm/features.h"
#include "wasm/opcodes.h"
#include "wasm/types.h"

namespace wt::wasm {

class BinaryReader;

struct BlockType {
  enum class Kind : uint8_t { kEmpty, kValue, kIndex };
  Kind kind = Kind::kEmpty;
  ValType value{};     // kValue
  uint32_t index = 0;  // kIndex: a type index
};

struct MemArg {
  uint32_t align_log2 = 0;
  uint32_t memory = 0;
  uint64_t offset = 0;
};

struct CatchClause {
  enum class Kind : uint8_t { kCatch = 0, kCatchRef = 1, kCatchAll = 2, kCatchAllRef = 3 };
  Kind kind = Kind::kCatch;
  uint32_t tag = 0;  // kCatch / kCatchRef
  uint32_t label = 0;
};

struct Instr {
  Op op = Op::Nop;
  uint32_t offset = 0;  // byte offset of the opcode in the module (or the given base)

  // Index immediates, in encoding order: kLabel/kFunc/kType/kLocal/kGlobal/kTable/kTag/kData/
  // kElem/kMemIdx use a; kCallIndirect (type a, table b); kTypeField (type a, field b);
  // kTypeData / kTypeElem / kTypeType / kTypeSize (a, b); kDataMem (data a, mem b);
  // kMemMem (dst a, src b); kElemTable (elem a, table b); kTableTable (dst a, src b);
  // kBrOnCast (label a).
  uint32_t a = 0;
  uint32_t b = 0;
  MemArg mem;              // kMem*, kMemLane*
  uint8_t lane = 0;        // kMemLane*, kLaneIdx*
  BlockType block;         // kBlockType, kTryTable
  HeapType heap1{};        // kHeapType, kRefHeap, kBrOnCast (source)
  HeapType heap2{};        // kBrOnCast (target)
  uint8_t cast_flags = 0;  // kBrOnCast: bit0 source nullable, bit1 target nullable
  uint64_t value = 0;      // kI32 (sign-extended to 64 bits), kI64, kF32/kF64 (raw bits)
  uint8_t v128[16]{};      // kV128 bytes, kShuffle lane indices

  // Variable-length immediates: views into the CodeReader's buffers, valid until the next
  // Next() call.
  std::span<const uint32_t> targets;     // kBrTable: labels, then the default label last
  std::span<const ValType> types;        // kSelectT
  std::span<const CatchClause> catches;  // kTryTable
};

class CodeReader {
 public:
  // `code` is the instruction bytes; `base_offset` is their offset in the module, so that
  // Instr::offset and error offsets are module offsets.
  CodeReader(std::span<const uint8_t> code, uint32_t base_offset, const Features& features);
  ~CodeReader();
  CodeReader(const CodeReader&) = delete;
  CodeReader& operator=(const CodeReader&) = delete;

  // Restarts on other bytes, keeping the buffers (no allocation after warm-up).
  void Reset(std::span<const uint8_t> code, uint32_t base_offset);

  bool AtEnd() const;
  uint32_t Offset() const;  // module offset of the next byte
  // Decodes the next instruction. Errors are kMalformed (unknown opcode, truncated
  // immediate, overlong LEB128, ...).
  Status Next(Instr* out);

 private:
  struct Impl;
  Impl* impl_;
};

// Value type decoding shared with the section reader: reads a valtype / reftype / heaptype
// from bytes[*pos...], advancing *pos. Errors are kMalformed.
Result<ValType> DecodeValType(std::span<const uint8_t> bytes, size_t* pos, const Features& f);
Result<ValType> DecodeRefType(std::span<const uint8_t> bytes, size_t* pos, const Features& f);
Result<HeapType> DecodeHeapType(std::span<const uint8_t> bytes, size_t* pos, const Features& f);

// The same over a BinaryReader (binary.h), for the section reader.
Result<ValType> ReadValType(BinaryReader& r, const Features& f);
Result<ValType> ReadRefType(BinaryReader& r, const Features& f);
Result<HeapType> ReadHeapType(BinaryReader& r, const Features& f);
Result<BlockType> ReadBlockType(BinaryReader& r, const Features& f);

}  // namespace wt::wasm
