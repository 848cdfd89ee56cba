#include "wasm/code_reader.h"

#include <fmt/format.h>

#include <iterator>
#include <vector>

#include "wasm/binary.h"

namespace wt::wasm {
namespace {

// The abstract heap type a single byte stands for (as a heap type or as the shorthand
// reference type `(ref null ht)`), if any, and whether `f` enables it.
bool AbstractHeap(uint8_t b, const Features& f, HeapKind* out) {
  Feature need = Feature::kMvp;
  HeapKind k;
  switch (static_cast<TypeCode>(b)) {
    case TypeCode::kFunc:
      k = HeapKind::kFunc;
      break;
    case TypeCode::kExtern:
      k = HeapKind::kExtern;
      need = Feature::kRefTypes;
      break;
    case TypeCode::kAny:
      k = HeapKind::kAny;
      need = Feature::kGc;
      break;
    case TypeCode::kEq:
      k = HeapKind::kEq;
      need = Feature::kGc;
      break;
    case TypeCode::kI31:
      k = HeapKind::kI31;
      need = Feature::kGc;
      break;
    case TypeCode::kStruct:
      k = HeapKind::kStruct;
      need = Feature::kGc;
      break;
    case TypeCode::kArray:
      k = HeapKind::kArray;
      need = Feature::kGc;
      break;
    case TypeCode::kNone:
      k = HeapKind::kNone;
      need = Feature::kGc;
      break;
    case TypeCode::kNoFunc:
      k = HeapKind::kNoFunc;
      need = Feature::kGc;
      break;
    case TypeCode::kNoExtern:
      k = HeapKind::kNoExtern;
      need = Feature::kGc;
      break;
    case TypeCode::kExn:
      k = HeapKind::kExn;
      need = Feature::kExceptions;
      break;
    case TypeCode::kNoExn:
      k = HeapKind::kNoExn;
      need = Feature::kExceptions;
      break;
    default:
      return false;
  }
  if (need != Feature::kMvp && !f.has(need)) return false;
  *out = k;
  return true;
}

bool IsAbstractHeapByte(int b) {
  switch (b) {
    case 0x70:
    case 0x6F:
    case 0x6E:
    case 0x6D:
    case 0x6C:
    case 0x6B:
    case 0x6A:
    case 0x71:
    case 0x72:
    case 0x73:
    case 0x69:
    case 0x74:
      return true;
    default:
      return false;
  }
}

// Bytes that start a value type (used to tell a value block type from a type index).
bool IsValTypeByte(int b) {
  return (b >= 0x7B && b <= 0x7F) || b == 0x63 || b == 0x64 || IsAbstractHeapByte(b);
}

template <typename T, typename F>
Result<T> DecodeAt(std::span<const uint8_t> bytes, size_t* pos, F read) {
  BinaryReader r(bytes);
  if (*pos > bytes.size()) return r.EndError();
  r.set_pos(*pos);
  Result<T> res = read(r);
  if (res.ok()) *pos = r.pos();
  return res;
}

// Decoding facts per opcode, computed at compile time from opcodes.def.
struct OpDecode {
  uint16_t op = 0;
  Imm imm = Imm::kNone;
  Feature feature = Feature::kMvp;
  bool valid = false;
};

struct DecodeTable {
  OpDecode plain[256];
  OpDecode gc[64];        // 0xFB
  OpDecode misc[64];      // 0xFC
  OpDecode simd[0x120];   // 0xFD
  OpDecode atomic[0x50];  // 0xFE (threads)
};

constexpr void Put(DecodeTable& t, uint8_t prefix, uint32_t code, uint16_t op, Imm imm,
                   Feature feature) {
  OpDecode d{op, imm, feature, true};
  switch (prefix) {
    case 0x00:
      t.plain[code] = d;
      break;
    case 0xFB:
      t.gc[code] = d;
      break;
    case 0xFC:
      t.misc[code] = d;
      break;
    case 0xFD:
      t.simd[code] = d;
      break;
    case 0xFE:
      t.atomic[code] = d;
      break;
    default:
      break;
  }
}

constexpr DecodeTable MakeDecodeTable() {
  DecodeTable t{};
  uint16_t i = 0;
#define WT_OP(prefix, code, name, text, imm, sig, feature) \
  Put(t, prefix, code, i++, Imm::imm, Feature::feature);
#include "wasm/opcodes.def"
#undef WT_OP
  return t;
}

constexpr DecodeTable kDecode = MakeDecodeTable();

const OpDecode* FindPrefixed(uint8_t prefix, uint32_t code) {
  switch (prefix) {
    case 0xFB:
      return code < std::size(kDecode.gc) ? &kDecode.gc[code] : nullptr;
    case 0xFC:
      return code < std::size(kDecode.misc) ? &kDecode.misc[code] : nullptr;
    case 0xFD:
      return code < std::size(kDecode.simd) ? &kDecode.simd[code] : nullptr;
    case 0xFE:
      return code < std::size(kDecode.atomic) ? &kDecode.atomic[code] : nullptr;
    default:
      return nullptr;
  }
}

std::string IllegalOpcode(uint8_t prefix, uint32_t code) {
  if (prefix == 0) return fmt::format("illegal opcode {:02x}", code);
  return fmt::format("illegal opcode {:02x} {}", prefix, code);
}

}  // namespace

Result<HeapType> ReadHeapType(BinaryReader& r, const Features& f) {
  size_t at = r.offset();
  int b = r.Peek();
  if (b < 0) return r.EndError();
  if (IsAbstractHeapByte(b)) {
    HeapKind k;
    if (!AbstractHeap(static_cast<uint8_t>(b), f, &k)) return r.FailAt(at, "malformed heap type");
    r.set_pos(r.pos() + 1);
    return HeapType::Abstract(k);
  }
  WT_TRY_ASSIGN(int64_t idx, r.S33());
  if (idx < 0 || !f.has(Feature::kFuncRefs)) return r.FailAt(at, "malformed heap type");
  return HeapType::Index(static_cast<uint32_t>(idx));
}

Result<ValType> ReadRefType(BinaryReader& r, const Features& f) {
  size_t at = r.offset();
  WT_TRY_ASSIGN(uint8_t b, r.U8());
  if (b == static_cast<uint8_t>(TypeCode::kRef) || b == static_cast<uint8_t>(TypeCode::kRefNull)) {
    if (!f.has(Feature::kFuncRefs)) return r.FailAt(at, "malformed reference type");
    WT_TRY_ASSIGN(HeapType ht, ReadHeapType(r, f));
    return ValType::Ref(ht, b == static_cast<uint8_t>(TypeCode::kRefNull));
  }
  HeapKind k;
  if (AbstractHeap(b, f, &k)) return ValType::Ref(HeapType::Abstract(k), true);
  return r.FailAt(at, "malformed reference type");
}

Result<ValType> ReadValType(BinaryReader& r, const Features& f) {
  size_t at = r.offset();
  int b = r.Peek();
  if (b < 0) return r.EndError();
  switch (b) {
    case 0x7F:
      r.set_pos(r.pos() + 1);
      return ValType::I32();
    case 0x7E:
      r.set_pos(r.pos() + 1);
      return ValType::I64();
    case 0x7D:
      r.set_pos(r.pos() + 1);
      return ValType::F32();
    case 0x7C:
      r.set_pos(r.pos() + 1);
      return ValType::F64();
    case 0x7B:
      if (!f.has(Feature::kSimd)) break;
      r.set_pos(r.pos() + 1);
      return ValType::V128();
    default:
      if (b == 0x63 || b == 0x64 || IsAbstractHeapByte(b)) {
        if (!f.has(Feature::kRefTypes)) break;
        Result<ValType> rt = ReadRefType(r, f);
        if (!rt.ok()) {
          // Report a bad leading byte as a malformed value type; keep heap type errors.
          if (rt.error().offset == at) return r.FailAt(at, "malformed value type");
        }
        return rt;
      }
      break;
  }
  return r.FailAt(at, "malformed value type");
}

LocalDeclReader::LocalDeclReader(const Module& m, const Code& code, const Features& f)
    : f_(f), remaining_(code.num_local_decls) {
  if (code.whole.end() <= m.bytes.size() && code.whole.end() >= code.whole.offset)
    r_ = BinaryReader(m.Slice(code.whole), code.whole.offset);
  if (remaining_ == 0) return;
  // The vector's length (== num_local_decls for a Code from the reader).
  Result<uint32_t> n = r_.U32();
  if (!n.ok() || *n != remaining_) r_.set_pos(r_.size());  // Next reports the end
}

Status LocalDeclReader::Next(LocalDecl* out) {
  WT_TRY_ASSIGN(out->count, r_.U32());
  WT_TRY_ASSIGN(out->type, ReadValType(r_, f_));
  --remaining_;
  return Ok();
}

Result<std::vector<LocalDecl>> DecodeLocalDecls(const Module& m, const Code& code,
                                                const Features& f) {
  std::vector<LocalDecl> out(code.num_local_decls);
  LocalDeclReader r(m, code, f);
  for (LocalDecl& d : out) WT_TRY(r.Next(&d));
  return out;
}

Result<BlockType> ReadBlockType(BinaryReader& r, const Features& f) {
  size_t at = r.offset();
  int b = r.Peek();
  if (b < 0) return r.EndError();
  BlockType bt;
  if (b == static_cast<int>(TypeCode::kEmptyBlock)) {
    r.set_pos(r.pos() + 1);
    return bt;
  }
  if (IsValTypeByte(b)) {
    WT_TRY_ASSIGN(bt.value, ReadValType(r, f));
    bt.kind = BlockType::Kind::kValue;
    return bt;
  }
  WT_TRY_ASSIGN(int64_t idx, r.S33());
  if (idx < 0 || !f.has(Feature::kMultiValue)) return r.FailAt(at, "malformed block type");
  bt.kind = BlockType::Kind::kIndex;
  bt.index = static_cast<uint32_t>(idx);
  return bt;
}

Result<ValType> DecodeValType(std::span<const uint8_t> bytes, size_t* pos, const Features& f) {
  return DecodeAt<ValType>(bytes, pos, [&](BinaryReader& r) { return ReadValType(r, f); });
}
Result<ValType> DecodeRefType(std::span<const uint8_t> bytes, size_t* pos, const Features& f) {
  return DecodeAt<ValType>(bytes, pos, [&](BinaryReader& r) { return ReadRefType(r, f); });
}
Result<HeapType> DecodeHeapType(std::span<const uint8_t> bytes, size_t* pos, const Features& f) {
  return DecodeAt<HeapType>(bytes, pos, [&](BinaryReader& r) { return ReadHeapType(r, f); });
}

namespace {

Result<uint32_t> ZeroByte(BinaryReader& r) {
  size_t at = r.offset();
  WT_TRY_ASSIGN(uint8_t b, r.U8());
  if (b != 0) return r.FailAt(at, "zero byte expected");
  return 0u;
}
// A memory index: a u32 with multi-memory, else a reserved zero byte.
Result<uint32_t> MemIdx(BinaryReader& r, const Features& features) {
  if (features.has(Feature::kMultiMemory)) return r.U32();
  return ZeroByte(r);
}
Status ReadMemArg(BinaryReader& r, const Features& features, MemArg* m) {
  size_t at = r.offset();
  WT_TRY_ASSIGN(uint32_t flags, r.U32());
  m->memory = 0;
  if (features.has(Feature::kMultiMemory)) {
    if (flags >= 0x80) return r.FailAt(at, "malformed memop flags");
    if (flags & 0x40) {
      WT_TRY_ASSIGN(m->memory, r.U32());
      flags &= 0x3F;
    }
  } else if (flags >= 32) {
    // Wasm 2.0: an alignment exponent of 32 or more cannot be represented.
    return r.FailAt(at, "malformed memop flags");
  }
  m->align_log2 = flags;
  if (features.has(Feature::kMemory64)) {
    WT_TRY_ASSIGN(m->offset, r.U64());
  } else {
    WT_TRY_ASSIGN(m->offset, r.U32());
  }
  return Ok();
}

constexpr FastDecode::Kind FastKind(Imm imm) {
  switch (imm) {
    case Imm::kNone:
      return FastDecode::kNone;
    case Imm::kLabel:
    case Imm::kFunc:
    case Imm::kType:
    case Imm::kLocal:
    case Imm::kGlobal:
    case Imm::kTable:
    case Imm::kTag:
    case Imm::kData:
    case Imm::kElem:
      return FastDecode::kIndex;
    case Imm::kI32:
      return FastDecode::kI32;
    case Imm::kI64:
      return FastDecode::kI64;
    case Imm::kMem1:
    case Imm::kMem2:
    case Imm::kMem4:
    case Imm::kMem8:
    case Imm::kMem16:
      return FastDecode::kMem;
    case Imm::kF32:
      return FastDecode::kF32;
    case Imm::kF64:
      return FastDecode::kF64;
    case Imm::kBlockType:
      return FastDecode::kBlock;
    default:
      return FastDecode::kSlow;
  }
}

struct FastTable {
  FastDecode e[256];
};

constexpr FastTable MakeFastTable() {
  FastTable t{};
  for (int b = 0; b < 256; ++b) {
    const OpDecode& d = kDecode.plain[b];
    if (!d.valid || (b >= 0xFB && b <= 0xFE)) continue;
    t.e[b] = FastDecode{d.op, FastKind(d.imm), d.feature};
  }
  return t;
}

constexpr FastTable kFastTable = MakeFastTable();

}  // namespace

// The inline decoder's table (code_reader.h).
const FastDecode kFastDecode[256] = {
#define WT_FAST_ROW(i) kFastTable.e[i]
#define WT_FAST_8(i)                                                                              \
  WT_FAST_ROW(i), WT_FAST_ROW(i + 1), WT_FAST_ROW(i + 2), WT_FAST_ROW(i + 3), WT_FAST_ROW(i + 4), \
      WT_FAST_ROW(i + 5), WT_FAST_ROW(i + 6), WT_FAST_ROW(i + 7)
#define WT_FAST_64(i)                                                                      \
  WT_FAST_8(i), WT_FAST_8(i + 8), WT_FAST_8(i + 16), WT_FAST_8(i + 24), WT_FAST_8(i + 32), \
      WT_FAST_8(i + 40), WT_FAST_8(i + 48), WT_FAST_8(i + 56)
    WT_FAST_64(0),
    WT_FAST_64(64),
    WT_FAST_64(128),
    WT_FAST_64(192),
#undef WT_FAST_64
#undef WT_FAST_8
#undef WT_FAST_ROW
};

Status CodeReader::Decode(BinaryReader& rd, Instr* in) {
  const Features& features = features_;
  const size_t at = rd.offset();
  in->offset = static_cast<uint32_t>(at);
  uint8_t b;
  if (!rd.ReadByte(&b)) return rd.EndError();
  const OpDecode* d;
  uint8_t prefix = 0;
  uint32_t code = b;
  if (b >= 0xFB && b <= 0xFE) {  // prefixed: GC, misc, SIMD, atomics
    prefix = b;
    WT_TRY_ASSIGN(code, rd.U32());
    d = FindPrefixed(prefix, code);
  } else {
    d = &kDecode.plain[b];
  }
  if (d == nullptr || !d->valid || (d->feature != Feature::kMvp && !features.has(d->feature))) {
    return rd.FailAt(at, IllegalOpcode(prefix, code));
  }
  in->op = static_cast<Op>(d->op);

  switch (d->imm) {
    case Imm::kNone:
      break;
    case Imm::kBlockType: {
      WT_TRY_ASSIGN(in->block, ReadBlockType(rd, features));
      break;
    }
    case Imm::kLabel:
    case Imm::kFunc:
    case Imm::kType:
    case Imm::kLocal:
    case Imm::kGlobal:
    case Imm::kTable:
    case Imm::kTag:
    case Imm::kData:
    case Imm::kElem: {
      WT_TRY_ASSIGN(in->a, rd.U32());
      break;
    }
    case Imm::kBrTable: {
      WT_TRY_ASSIGN(uint32_t n, rd.U32());
      // n labels plus the default, one by one: a count beyond the remaining bytes fails at
      // the end of input without reserving more than the input could hold.
      targets_.clear();
      targets_.reserve(rd.ReserveHint(uint64_t{n} + 1));
      for (uint64_t i = 0; i <= n; ++i) {
        WT_TRY_ASSIGN(uint32_t t, rd.U32());
        targets_.push_back(t);
      }
      in->targets = std::span<const uint32_t>(targets_.data(), targets_.size());
      break;
    }
    case Imm::kCallIndirect: {
      WT_TRY_ASSIGN(in->a, rd.U32());
      if (features.has(Feature::kRefTypes)) {
        WT_TRY_ASSIGN(in->b, rd.U32());
      } else {
        WT_TRY_ASSIGN(in->b, ZeroByte(rd));
      }
      break;
    }
    case Imm::kMem1:
    case Imm::kMem2:
    case Imm::kMem4:
    case Imm::kMem8:
    case Imm::kMem16:
    case Imm::kAtomic1:
    case Imm::kAtomic2:
    case Imm::kAtomic4:
    case Imm::kAtomic8:
      WT_TRY(ReadMemArg(rd, features, &in->mem));
      break;
    case Imm::kFence:
      WT_TRY(ZeroByte(rd));
      break;
    case Imm::kMemLane1:
    case Imm::kMemLane2:
    case Imm::kMemLane4:
    case Imm::kMemLane8: {
      WT_TRY(ReadMemArg(rd, features, &in->mem));
      WT_TRY_ASSIGN(in->lane, rd.U8());
      break;
    }
    case Imm::kMemIdx: {
      WT_TRY_ASSIGN(in->a, MemIdx(rd, features));
      break;
    }
    case Imm::kI32: {
      WT_TRY_ASSIGN(int32_t v, rd.S32());
      in->value = static_cast<uint64_t>(static_cast<int64_t>(v));
      break;
    }
    case Imm::kI64: {
      WT_TRY_ASSIGN(int64_t v, rd.S64());
      in->value = static_cast<uint64_t>(v);
      break;
    }
    case Imm::kF32: {
      WT_TRY_ASSIGN(uint32_t v, rd.F32Bits());
      in->value = v;
      break;
    }
    case Imm::kF64: {
      WT_TRY_ASSIGN(in->value, rd.F64Bits());
      break;
    }
    case Imm::kV128:
    case Imm::kShuffle:
      WT_TRY(rd.Bytes(in->v128, 16));
      break;
    case Imm::kLaneIdx16:
    case Imm::kLaneIdx8:
    case Imm::kLaneIdx4:
    case Imm::kLaneIdx2: {
      WT_TRY_ASSIGN(in->lane, rd.U8());
      break;
    }
    case Imm::kSelectT: {
      WT_TRY_ASSIGN(uint32_t n, rd.U32());
      types_.clear();
      types_.reserve(rd.ReserveHint(n));
      for (uint32_t i = 0; i < n; ++i) {
        WT_TRY_ASSIGN(ValType t, ReadValType(rd, features));
        types_.push_back(t);
      }
      in->types = std::span<const ValType>(types_.data(), types_.size());
      break;
    }
    case Imm::kHeapType:
    case Imm::kRefHeap: {
      WT_TRY_ASSIGN(in->heap1, ReadHeapType(rd, features));
      break;
    }
    case Imm::kBrOnCast: {
      size_t fat = rd.offset();
      WT_TRY_ASSIGN(in->cast_flags, rd.U8());
      if (in->cast_flags > 3) return rd.FailAt(fat, "malformed br_on_cast flags");
      WT_TRY_ASSIGN(in->a, rd.U32());
      WT_TRY_ASSIGN(in->heap1, ReadHeapType(rd, features));
      WT_TRY_ASSIGN(in->heap2, ReadHeapType(rd, features));
      break;
    }
    case Imm::kTypeField:
    case Imm::kTypeData:
    case Imm::kTypeElem:
    case Imm::kTypeType:
    case Imm::kTypeSize:
    case Imm::kElemTable:
    case Imm::kTableTable: {
      WT_TRY_ASSIGN(in->a, rd.U32());
      WT_TRY_ASSIGN(in->b, rd.U32());
      break;
    }
    case Imm::kDataMem: {
      WT_TRY_ASSIGN(in->a, rd.U32());
      WT_TRY_ASSIGN(in->b, MemIdx(rd, features));
      break;
    }
    case Imm::kMemMem: {
      WT_TRY_ASSIGN(in->a, MemIdx(rd, features));
      WT_TRY_ASSIGN(in->b, MemIdx(rd, features));
      break;
    }
    case Imm::kTryTable: {
      WT_TRY_ASSIGN(in->block, ReadBlockType(rd, features));
      WT_TRY_ASSIGN(uint32_t n, rd.U32());
      catches_.clear();
      catches_.reserve(rd.ReserveHint(n, 2));
      for (uint32_t i = 0; i < n; ++i) {
        CatchClause& c = catches_.emplace_back();
        size_t kat = rd.offset();
        WT_TRY_ASSIGN(uint8_t kind, rd.U8());
        if (kind > 3) return rd.FailAt(kat, "malformed catch clause");
        c.kind = static_cast<CatchClause::Kind>(kind);
        c.tag = 0;
        if (kind <= 1) {
          WT_TRY_ASSIGN(c.tag, rd.U32());
        }
        WT_TRY_ASSIGN(c.label, rd.U32());
      }
      in->catches = std::span<const CatchClause>(catches_.data(), catches_.size());
      break;
    }
  }
  return Ok();
}

CodeReader::CodeReader(std::span<const uint8_t> code, uint32_t base_offset,
                       const Features& features)
    : features_(features) {
  features_.set(Feature::kMvp);
  mem_flags_limit_ = features.has(Feature::kMultiMemory) ? 0x40 : 32;
  Reset(code, base_offset);
}

Status CodeReader::NextSlow(Instr* out) {
  BinaryReader r(std::span<const uint8_t>(begin_, static_cast<size_t>(end_ - begin_)), base_);
  r.set_pos(static_cast<size_t>(cur_ - begin_));
  Status st = Decode(r, out);
  if (st.ok()) cur_ = begin_ + r.pos();
  return st;
}

}  // namespace wt::wasm
