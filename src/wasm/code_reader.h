// Instruction decoding, shared by the reader's syntax check, the validator and the compiler:
// one instruction at a time, allocation-free after warm-up (immediates with a variable number
// of items live in buffers owned by the CodeReader and reused).
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "util/result.h"
#include "wasm/binary.h"
#include "wasm/features.h"
#include "wasm/module.h"
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

// How CodeReader::Next decodes a one-byte opcode inline (the common cases); everything else
// (prefixed opcodes, long immediates, errors) goes to the out-of-line NextSlow.
struct FastDecode {
  enum Kind : uint8_t {
    kSlow,   // NextSlow
    kNone,   // no immediate
    kIndex,  // one u32 index in Instr::a (one byte inline)
    kI32,    // i32.const (one byte inline)
    kI64,    // i64.const (one byte inline)
    kMem,    // memarg (flags and offset one byte each inline)
    kF32,
    kF64,
    kBlock,  // blocktype: empty or a numeric value type inline
  };
  uint16_t op = 0;
  Kind kind = kSlow;
  Feature feature = Feature::kMvp;
};
extern const FastDecode kFastDecode[256];

class CodeReader {
 public:
  // `code` is the instruction bytes; `base_offset` is their offset in the module, so that
  // Instr::offset and error offsets are module offsets.
  CodeReader(std::span<const uint8_t> code, uint32_t base_offset, const Features& features);
  CodeReader(const CodeReader&) = delete;
  CodeReader& operator=(const CodeReader&) = delete;

  // Restarts on other bytes, keeping the buffers (no allocation after warm-up).
  void Reset(std::span<const uint8_t> code, uint32_t base_offset) {
    begin_ = code.data();
    cur_ = begin_;
    end_ = begin_ + code.size();
    base_ = base_offset;
  }

  bool AtEnd() const { return cur_ >= end_; }
  // Module offset of the next byte.
  uint32_t Offset() const { return base_ + static_cast<uint32_t>(cur_ - begin_); }
  // Decodes the next instruction. Errors are kMalformed (unknown opcode, truncated
  // immediate, overlong LEB128, ...). The common instructions are decoded inline.
  [[gnu::always_inline]] Status Next(Instr* out) {
    const uint8_t* p = cur_;
    const size_t left = static_cast<size_t>(end_ - p);
    if (left != 0) [[likely]] {
      const FastDecode& d = kFastDecode[p[0]];
      if (features_.has(d.feature)) {
        switch (d.kind) {
          case FastDecode::kNone:
            return Done(out, d, 1);
          case FastDecode::kIndex:
            if (left >= 2 && p[1] < 0x80) {
              out->a = p[1];
              return Done(out, d, 2);
            }
            if (left >= 3 && p[2] < 0x80) {  // two bytes: 14 bits, always in range
              out->a = (p[1] & 0x7Fu) | (static_cast<uint32_t>(p[2]) << 7);
              return Done(out, d, 3);
            }
            if (left >= 4 && p[3] < 0x80) {  // three bytes (calls in big modules): 21 bits
              out->a = (p[1] & 0x7Fu) | ((p[2] & 0x7Fu) << 7) | (static_cast<uint32_t>(p[3]) << 14);
              return Done(out, d, 4);
            }
            break;
          case FastDecode::kI32:
          case FastDecode::kI64:
            if (left >= 2 && p[1] < 0x80) {  // sign-extended from bit 6
              out->value = static_cast<uint64_t>(
                  static_cast<int64_t>(p[1] & 0x40 ? static_cast<int32_t>(p[1]) - 0x80 : p[1]));
              return Done(out, d, 2);
            }
            if (left >= 3 && p[2] < 0x80) {  // two bytes: sign-extended from bit 13
              int32_t v = static_cast<int32_t>((p[1] & 0x7Fu) | (static_cast<uint32_t>(p[2]) << 7));
              if (v & 0x2000) v -= 0x4000;
              out->value = static_cast<uint64_t>(static_cast<int64_t>(v));
              return Done(out, d, 3);
            }
            if (left >= 4 && p[3] < 0x80) {  // three bytes: sign-extended from bit 20
              int32_t v = static_cast<int32_t>((p[1] & 0x7Fu) | ((p[2] & 0x7Fu) << 7) |
                                               (static_cast<uint32_t>(p[3]) << 14));
              if (v & 0x100000) v -= 0x200000;
              out->value = static_cast<uint64_t>(static_cast<int64_t>(v));
              return Done(out, d, 4);
            }
            break;
          case FastDecode::kMem:
            if (left >= 3 && p[1] < mem_flags_limit_ && p[2] < 0x80) {
              out->mem.align_log2 = p[1];
              out->mem.memory = 0;
              out->mem.offset = p[2];
              return Done(out, d, 3);
            }
            if (left >= 4 && p[1] < mem_flags_limit_ && p[2] >= 0x80 && p[3] < 0x80) {
              out->mem.align_log2 = p[1];
              out->mem.memory = 0;
              out->mem.offset = (p[2] & 0x7Fu) | (static_cast<uint32_t>(p[3]) << 7);
              return Done(out, d, 4);
            }
            break;
          case FastDecode::kF32:
            if (left >= 5) {
              uint32_t v;
              std::memcpy(&v, p + 1, 4);  // little-endian hosts only (x86-64, AArch64)
              out->value = v;
              return Done(out, d, 5);
            }
            break;
          case FastDecode::kF64:
            if (left >= 9) {
              std::memcpy(&out->value, p + 1, 8);
              return Done(out, d, 9);
            }
            break;
          case FastDecode::kBlock:
            if (left < 2) break;
            if (p[1] == 0x40) {
              out->block = BlockType{};
              return Done(out, d, 2);
            }
            if (p[1] >= 0x7C && p[1] <= 0x7F) {
              out->block = BlockType{BlockType::Kind::kValue, kNumTypes[p[1] - 0x7C], 0};
              return Done(out, d, 2);
            }
            break;
          case FastDecode::kSlow:
            break;
        }
      }
    }
    return NextSlow(out);
  }

 private:
  static constexpr ValType kNumTypes[4] = {ValType::F64(), ValType::F32(), ValType::I64(),
                                           ValType::I32()};
  Status Done(Instr* out, const FastDecode& d, size_t n) {
    out->offset = Offset();
    out->op = static_cast<Op>(d.op);
    cur_ += n;
    return Ok();
  }
  [[gnu::noinline]] Status NextSlow(Instr* out);
  Status Decode(BinaryReader& r, Instr* in);

  const uint8_t* begin_ = nullptr;
  const uint8_t* cur_ = nullptr;
  const uint8_t* end_ = nullptr;
  uint32_t base_ = 0;
  Features features_;             // with kMvp set (the fast path tests every opcode's feature)
  uint8_t mem_flags_limit_ = 32;  // memarg flags decoded inline: below this
  std::vector<uint32_t> targets_;
  std::vector<ValType> types_;
  std::vector<CatchClause> catches_;
};

// Value type decoding shared with the section reader: reads a valtype / reftype / heaptype
// from bytes[*pos...], advancing *pos. Errors are kMalformed.
Result<ValType> DecodeValType(std::span<const uint8_t> bytes, size_t* pos, const Features& f);
Result<ValType> DecodeRefType(std::span<const uint8_t> bytes, size_t* pos, const Features& f);
Result<HeapType> DecodeHeapType(std::span<const uint8_t> bytes, size_t* pos, const Features& f);

// A body's local declarations, decoded from the module bytes (wasm::Code keeps only their
// count; the reader checked them). `f`: the features the module was read with (or more).
//   LocalDeclReader lr(module, code, f);
//   for (LocalDecl d; lr.remaining() > 0;) { WT_TRY(lr.Next(&d)); ... }
class LocalDeclReader {
 public:
  LocalDeclReader(const Module& m, const Code& code, const Features& f);
  uint32_t remaining() const { return remaining_; }
  // The next declaration; requires remaining() > 0. Malformed bytes (a hand-built Code) give
  // an error.
  Status Next(LocalDecl* out);

 private:
  BinaryReader r_;
  Features f_;
  uint32_t remaining_ = 0;
};

// The same over a BinaryReader (binary.h), for the section reader.
Result<ValType> ReadValType(BinaryReader& r, const Features& f);
Result<ValType> ReadRefType(BinaryReader& r, const Features& f);
Result<HeapType> ReadHeapType(BinaryReader& r, const Features& f);
Result<BlockType> ReadBlockType(BinaryReader& r, const Features& f);

}  // namespace wt::wasm
