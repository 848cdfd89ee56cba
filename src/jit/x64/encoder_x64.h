// Private to jit/x64: a direct encoder for the instruction forms the baseline compiler emits
// most (frame-slot loads/stores, register moves, ALU ops, compares, setcc, heap accesses,
// branches and calls to labels). It writes the bytes at asmjit's buffer pointer, bypassing the
// generic x86::Assembler::_emit, and produces exactly the bytes asmjit would (same short and
// accumulator forms, same REX choices, same label links): tests/unit/jit/x64_encoder_test.cpp
// compares every form over a cross product of operands, tests/disas pins whole functions.
// Registers are hardware numbers (0..15); GP and XMM share the numbering.
#pragma once

#include <asmjit/x86.h>

#include <cstdint>
#include <cstring>

namespace wt::jit::x64::enc {

// A memory operand [base + index * 2^scale + disp]; index kNoIndex: none. rsp cannot be an
// index (not encodable); callers never pass it.
inline constexpr uint8_t kNoIndex = 0xFF;
struct MemOp {
  uint8_t base = 0;
  uint8_t index = kNoIndex;
  uint8_t scale = 0;
  int32_t disp = 0;
};
inline constexpr MemOp Base(unsigned base, int32_t disp) {
  return MemOp{static_cast<uint8_t>(base), kNoIndex, 0, disp};
}
inline constexpr MemOp BaseIndex(unsigned base, unsigned index, int32_t disp) {
  return MemOp{static_cast<uint8_t>(base), static_cast<uint8_t>(index), 0, disp};
}

// Mandatory prefixes.
inline constexpr uint8_t kNoPrefix = 0, k66 = 0x66, kF2 = 0xF2, kF3 = 0xF3;

// ALU group-1 extensions (opcode 83/81 /ext; reg-reg form opcode = ext * 8 + 1).
enum Alu : uint8_t { kAdd = 0, kOr = 1, kAnd = 4, kSub = 5, kXor = 6, kCmp = 7 };

// Shift group-2 extensions (C1/D1/D3 /ext).
enum ShiftExt : uint8_t { kRol = 0, kRor = 1, kShl = 4, kShr = 5, kSar = 7 };

namespace detail {

inline bool IsInt8(int64_t v) {
  return v >= -128 && v <= 127;
}

inline uint8_t* Rex(uint8_t* p, bool w, unsigned r, unsigned x, unsigned b, bool force) {
  unsigned rex = (w ? 8u : 0u) | ((r >> 3) << 2) | ((x >> 3) << 1) | (b >> 3);
  if (rex != 0 || force) *p++ = static_cast<uint8_t>(0x40 | rex);
  return p;
}

// 1-byte opcode, or 0x0Fxx.
inline uint8_t* Opcode(uint8_t* p, uint32_t op) {
  if (op > 0xFF) *p++ = static_cast<uint8_t>(op >> 8);
  *p++ = static_cast<uint8_t>(op);
  return p;
}

inline uint8_t* ModRmReg(uint8_t* p, unsigned reg, unsigned rm) {
  *p++ = static_cast<uint8_t>(0xC0 | ((reg & 7) << 3) | (rm & 7));
  return p;
}

inline uint8_t* ModRmMem(uint8_t* p, unsigned reg, const MemOp& m) {
  unsigned b = m.base & 7u;
  int32_t d = m.disp;
  unsigned mod = (d == 0 && b != 5) ? 0u : IsInt8(d) ? 1u : 2u;
  unsigned r = (reg & 7u) << 3;
  if (m.index == kNoIndex) {
    if (b == 4) {
      *p++ = static_cast<uint8_t>((mod << 6) | r | 4);
      *p++ = 0x24;
    } else {
      *p++ = static_cast<uint8_t>((mod << 6) | r | b);
    }
  } else {
    *p++ = static_cast<uint8_t>((mod << 6) | r | 4);
    *p++ = static_cast<uint8_t>((m.scale << 6) | ((m.index & 7u) << 3) | b);
  }
  if (mod == 1) {
    *p++ = static_cast<uint8_t>(d);
  } else if (mod == 2) {
    std::memcpy(p, &d, 4);
    p += 4;
  }
  return p;
}

inline uint8_t* Imm32(uint8_t* p, uint32_t v) {
  std::memcpy(p, &v, 4);
  return p + 4;
}

}  // namespace detail

// Writes instructions at the assembler's cursor. Each method reserves room for one
// instruction (at most 15 bytes; asmjit's own check is the same 16), writes it and advances the
// assembler's pointer and its section's size, as asmjit's writer does. On out-of-memory the
// instruction is dropped and the assembler's error handler is told (as asmjit does).
class Encoder {
 public:
  explicit Encoder(asmjit::x86::Assembler& a) : a_(a) {}

  // --- Generic forms ------------------------------------------------------------------
  // [prefix] [REX] op ModRM(11, reg, rm). `byte_regs`: some operand is an 8-bit register
  // among 4..7 (spl..dil), which needs a REX prefix even without extension bits.
  void RR(uint8_t prefix, uint32_t op, bool w, unsigned reg, unsigned rm, bool force_rex = false) {
    uint8_t* p = Begin();
    if (p == nullptr) return;
    if (prefix) *p++ = prefix;
    p = detail::Rex(p, w, reg, 0, rm, force_rex);
    p = detail::Opcode(p, op);
    p = detail::ModRmReg(p, reg, rm);
    End(p);
  }
  // [prefix] [REX] op ModRM/SIB/disp for `reg` and memory `m`.
  void RM(uint8_t prefix, uint32_t op, bool w, unsigned reg, const MemOp& m,
          bool force_rex = false) {
    uint8_t* p = Begin();
    if (p == nullptr) return;
    if (prefix) *p++ = prefix;
    unsigned x = m.index == kNoIndex ? 0u : m.index;
    p = detail::Rex(p, w, reg, x, m.base, force_rex);
    p = detail::Opcode(p, op);
    p = detail::ModRmMem(p, reg, m);
    End(p);
  }

  // --- Integer ------------------------------------------------------------------------
  // mov r, r (89 /r: the source in ModRM.reg).
  void MovRR(bool w, unsigned dst, unsigned src) { RR(kNoPrefix, 0x89, w, src, dst); }
  void MovRM(bool w, unsigned dst, const MemOp& m) { RM(kNoPrefix, 0x8B, w, dst, m); }
  void MovMR(bool w, const MemOp& m, unsigned src) { RM(kNoPrefix, 0x89, w, src, m); }
  // op r, r for the ALU group (01 09 21 29 31 39 /r).
  void AluRR(Alu alu, bool w, unsigned dst, unsigned src) {
    RR(kNoPrefix, static_cast<uint32_t>(alu) * 8 + 1, w, src, dst);
  }
  void TestRR(bool w, unsigned a, unsigned b) { RR(kNoPrefix, 0x85, w, b, a); }
  // op r, imm: 83 /ext ib when imm fits in 8 bits; else the accumulator form (05 25 ...) for
  // eax/rax, else 81 /ext id.
  void AluRI(Alu alu, bool w, unsigned r, int32_t imm) {
    uint8_t* p = Begin();
    if (p == nullptr) return;
    p = detail::Rex(p, w, 0, 0, r, false);
    if (detail::IsInt8(imm)) {
      *p++ = 0x83;
      p = detail::ModRmReg(p, alu, r);
      *p++ = static_cast<uint8_t>(imm);
    } else {
      if (r == 0) {
        *p++ = static_cast<uint8_t>(alu * 8 + 5);
      } else {
        *p++ = 0x81;
        p = detail::ModRmReg(p, alu, r);
      }
      p = detail::Imm32(p, static_cast<uint32_t>(imm));
    }
    End(p);
  }
  // shl/shr/sar/rol/ror r, imm (D1 /ext for 1, else C1 /ext ib).
  void ShiftRI(ShiftExt ext, bool w, unsigned r, uint8_t imm) {
    uint8_t* p = Begin();
    if (p == nullptr) return;
    p = detail::Rex(p, w, 0, 0, r, false);
    if (imm == 1) {
      *p++ = 0xD1;
      p = detail::ModRmReg(p, ext, r);
    } else {
      *p++ = 0xC1;
      p = detail::ModRmReg(p, ext, r);
      *p++ = imm;
    }
    End(p);
  }
  // shl/shr/sar/rol/ror r, cl (D3 /ext).
  void ShiftRCl(ShiftExt ext, bool w, unsigned r) { RR(kNoPrefix, 0xD3, w, ext, r); }
  // xchg r64, r64: 90+r when either is rax, else 87 /r (the second operand in ModRM.reg).
  void Xchg(unsigned a, unsigned b) {
    if (a != 0 && b != 0) return RR(kNoPrefix, 0x87, true, b, a);
    unsigned r = a == 0 ? b : a;
    uint8_t* p = Begin();
    if (p == nullptr) return;
    p = detail::Rex(p, true, 0, 0, r, false);
    *p++ = static_cast<uint8_t>(0x90 + (r & 7));
    End(p);
  }
  // A one-byte instruction with an optional REX.W (cdq/cqo 99, ret C3, ...).
  void Raw1(bool w, uint8_t op) {
    uint8_t* p = Begin();
    if (p == nullptr) return;
    if (w) *p++ = 0x48;
    *p++ = op;
    End(p);
  }
  // neg r (F7 /3).
  void NegR(bool w, unsigned r) { RR(kNoPrefix, 0xF7, w, 3, r); }
  // imul r, r (0F AF /r).
  void ImulRR(bool w, unsigned dst, unsigned src) { RR(kNoPrefix, 0x0FAF, w, dst, src); }
  // imul r, r, imm (6B /r ib or 69 /r id).
  void ImulRRI(bool w, unsigned dst, unsigned src, int32_t imm) {
    uint8_t* p = Begin();
    if (p == nullptr) return;
    p = detail::Rex(p, w, dst, 0, src, false);
    bool i8 = detail::IsInt8(imm);
    *p++ = i8 ? 0x6B : 0x69;
    p = detail::ModRmReg(p, dst, src);
    if (i8)
      *p++ = static_cast<uint8_t>(imm);
    else
      p = detail::Imm32(p, static_cast<uint32_t>(imm));
    End(p);
  }
  // mov r32, imm32 (B8+r id).
  void MovRI32(unsigned r, uint32_t imm) {
    uint8_t* p = Begin();
    if (p == nullptr) return;
    p = detail::Rex(p, false, 0, 0, r, false);
    *p++ = static_cast<uint8_t>(0xB8 + (r & 7));
    p = detail::Imm32(p, imm);
    End(p);
  }
  // mov r64, simm32 (REX.W C7 /0 id).
  void MovRI64Sx(unsigned r, int32_t imm) {
    uint8_t* p = Begin();
    if (p == nullptr) return;
    p = detail::Rex(p, true, 0, 0, r, false);
    *p++ = 0xC7;
    p = detail::ModRmReg(p, 0, r);
    p = detail::Imm32(p, static_cast<uint32_t>(imm));
    End(p);
  }
  // movabs r64, imm64 (REX.W B8+r io).
  void MovAbs(unsigned r, uint64_t imm) {
    uint8_t* p = Begin();
    if (p == nullptr) return;
    p = detail::Rex(p, true, 0, 0, r, false);
    *p++ = static_cast<uint8_t>(0xB8 + (r & 7));
    std::memcpy(p, &imm, 8);
    End(p + 8);
  }
  // mov dword/qword [m], simm32 (C7 /0 id).
  void MovMI(bool w, const MemOp& m, int32_t imm) {
    uint8_t* p = Begin();
    if (p == nullptr) return;
    p = detail::Rex(p, w, 0, m.index == kNoIndex ? 0u : m.index, m.base, false);
    *p++ = 0xC7;
    p = detail::ModRmMem(p, 0, m);
    p = detail::Imm32(p, static_cast<uint32_t>(imm));
    End(p);
  }
  // setcc r8 (0F 90+cc /0); movzx r32, r8 (0F B6 /r).
  void Setcc(unsigned cc, unsigned r) { RR(kNoPrefix, 0x0F90 + cc, false, 0, r, ByteReg(r)); }
  void MovzxR32R8(unsigned dst, unsigned src) {
    RR(kNoPrefix, 0x0FB6, false, dst, src, ByteReg(src));
  }
  static bool ByteReg(unsigned r) { return r >= 4 && r <= 7; }

  // --- Control ------------------------------------------------------------------------
  // jcc/jmp/call to a label, as asmjit encodes them: a bound label gets the short form when
  // the displacement fits in 8 bits (jcc, jmp), else the near form; an unbound label gets the
  // near form and a link resolved when it is bound.
  void Jcc(unsigned cc, uint32_t label) { Branch(0x70 + cc, 0x0F80 + cc, label); }
  void Jmp(uint32_t label) { Branch(0xEB, 0xE9, label); }
  void Call(uint32_t label) { Branch(0, 0xE8, label); }
  // call qword ptr [rip + label + disp] (FF /2, ModRM 00 010 101, disp32), as asmjit encodes
  // it: a bound label gets its displacement, an unbound one a zero placeholder and a link
  // (rel = disp - 4) resolved when it is bound or by the code's placement (the builtin table).
  void CallRipLabel(uint32_t label_id, int32_t disp) {
    asmjit::CodeHolder* code = a_.code();
    asmjit::LabelEntry* le = code->labelEntry(label_id);
    uint8_t* p = Begin();
    if (p == nullptr) return;
    if (le == nullptr) {
      a_.reportError(asmjit::DebugUtils::errored(asmjit::kErrorInvalidLabel));
      return;
    }
    *p++ = 0xFF;
    *p++ = 0x15;
    auto at = static_cast<uint64_t>(p - a_._bufferData);
    if (le->isBoundTo(a_._section)) {
      auto rel32 = static_cast<uint32_t>(
          (le->offset() + static_cast<uint64_t>(int64_t{disp}) - at - 4) & 0xFFFFFFFFu);
      End(detail::Imm32(p, rel32));
      return;
    }
    asmjit::OffsetFormat of;
    of.resetToSimpleValue(asmjit::OffsetType::kSignedOffset, 4);
    if (code->newLabelLink(le, a_._section->id(), static_cast<size_t>(at), disp - 4, of) ==
        nullptr) {
      a_.reportError(asmjit::DebugUtils::errored(asmjit::kErrorOutOfMemory));
      return;
    }
    End(detail::Imm32(p, 0));
  }
  // Returns whether the last Jcc/Jmp/Call targeted a label that was not bound yet.
  bool last_target_unbound() const { return last_unbound_; }

  // Binds `label` at the cursor and patches its links, as CodeHolder::bindLabel does, when
  // every link is a plain 32-bit signed displacement in this section (what Jcc/Jmp/Call and
  // asmjit's own near jumps make). Returns false, changing nothing, otherwise (asmjit binds).
  bool Bind(uint32_t label_id) {
    asmjit::CodeHolder* code = a_.code();
    asmjit::LabelEntry* le = code->labelEntry(label_id);
    if (le == nullptr || le->isBound()) return false;
    uint32_t section = a_._section->id();
    for (const asmjit::LabelLink* k = le->_links; k != nullptr; k = k->next) {
      const asmjit::OffsetFormat& f = k->format;
      if (k->relocId != asmjit::Globals::kInvalidId || k->sectionId != section ||
          f.type() != asmjit::OffsetType::kSignedOffset || f.valueSize() != 4 ||
          f.regionSize() != 4 || f.valueOffset() != 0 || f.immBitCount() != 32 ||
          f.immBitShift() != 0 || f.immDiscardLsb() != 0)
        return false;
    }
    auto to = static_cast<int64_t>(a_._bufferPtr - a_._bufferData);
    if (to > INT32_MAX) return false;  // every displacement then fits in 32 bits
    le->_section = a_._section;
    le->_offset = static_cast<uint64_t>(to);
    asmjit::LabelLink* k = le->_links;
    le->_links = nullptr;
    while (k != nullptr) {
      asmjit::LabelLink* next = k->next;
      auto disp =
          static_cast<int32_t>(to - static_cast<int64_t>(k->offset) + static_cast<int64_t>(k->rel));
      std::memcpy(a_._bufferData + k->offset, &disp, 4);
      code->_unresolvedLinkCount--;
      code->_allocator.release(k, sizeof(asmjit::LabelLink));
      k = next;
    }
    return true;
  }

  // --- Buffer -------------------------------------------------------------------------
  // Room for one instruction at the cursor, or nullptr (error reported).
  uint8_t* Begin() {
    if (static_cast<size_t>(a_._bufferEnd - a_._bufferPtr) < 16) [[unlikely]]
      return Grow();
    return a_._bufferPtr;
  }
  void End(uint8_t* p) {
    a_._bufferPtr = p;
    asmjit::CodeBuffer& buf = a_._section->_buffer;
    auto size = static_cast<size_t>(p - a_._bufferData);
    if (size > buf._size) buf._size = size;
  }

 private:
  uint8_t* Grow() {
    asmjit::Error err = a_.code()->growBuffer(&a_._section->_buffer, 16);
    if (err != asmjit::kErrorOk) {
      a_.reportError(err);
      return nullptr;
    }
    return a_._bufferPtr;
  }

  void Branch(uint32_t op8, uint32_t op32, uint32_t label_id) {
    asmjit::CodeHolder* code = a_.code();
    asmjit::LabelEntry* le = code->labelEntry(label_id);
    uint8_t* p = Begin();
    if (p == nullptr) return;
    if (le == nullptr) {
      a_.reportError(asmjit::DebugUtils::errored(asmjit::kErrorInvalidLabel));
      return;
    }
    auto ip = static_cast<uint64_t>(p - a_._bufferData);
    uint32_t size32 = op32 > 0xFF ? 6u : 5u;
    if (le->isBoundTo(a_._section)) {
      last_unbound_ = false;
      auto rel32 = static_cast<uint32_t>((le->offset() - ip - size32) & 0xFFFFFFFFu);
      auto rel8 = static_cast<int32_t>(rel32 + size32 - 2);
      if (op8 != 0 && detail::IsInt8(rel8)) {
        *p++ = static_cast<uint8_t>(op8);
        *p++ = static_cast<uint8_t>(rel8);
      } else {
        p = detail::Opcode(p, op32);
        p = detail::Imm32(p, rel32);
      }
      End(p);
      return;
    }
    last_unbound_ = true;
    p = detail::Opcode(p, op32);
    asmjit::OffsetFormat of;
    of.resetToSimpleValue(asmjit::OffsetType::kSignedOffset, 4);
    if (code->newLabelLink(le, a_._section->id(), static_cast<size_t>(p - a_._bufferData), -4,
                           of) == nullptr) {
      a_.reportError(asmjit::DebugUtils::errored(asmjit::kErrorOutOfMemory));
      return;
    }
    p = detail::Imm32(p, 0);
    End(p);
  }

  asmjit::x86::Assembler& a_;
  bool last_unbound_ = false;
};

}  // namespace wt::jit::x64::enc
