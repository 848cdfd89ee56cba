// Private to jit/x64: the asmjit state behind x64::Masm and operand helpers.
#pragma once

#include <asmjit/x86.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "jit/x64/encoder_x64.h"
#include "jit/x64/masm_x64.h"

namespace wt::jit::x64 {

inline asmjit::x86::Gp Gq(Reg r) {
  return asmjit::x86::gpq(r.hw());
}
inline asmjit::x86::Gp Gd(Reg r) {
  return asmjit::x86::gpd(r.hw());
}
inline asmjit::x86::Gp G(JType t, Reg r) {
  return Is64(t) ? Gq(r) : Gd(r);
}
inline asmjit::x86::Xmm X(Reg r) {
  return asmjit::x86::xmm(r.hw());
}
inline asmjit::x86::Mem M32(Mem m) {
  return asmjit::x86::dword_ptr(Gq(m.base), m.offset);
}
inline asmjit::x86::Mem M64(Mem m) {
  return asmjit::x86::qword_ptr(Gq(m.base), m.offset);
}
inline asmjit::Label AL(Label l) {
  return asmjit::Label(l.id);
}

// The x86 condition code of an integer comparison.
inline asmjit::x86::CondCode CC(Cond c) {
  switch (c) {
    case Cond::kEq:
      return asmjit::x86::CondCode::kE;
    case Cond::kNe:
      return asmjit::x86::CondCode::kNE;
    case Cond::kLtS:
      return asmjit::x86::CondCode::kL;
    case Cond::kLtU:
      return asmjit::x86::CondCode::kB;
    case Cond::kGtS:
      return asmjit::x86::CondCode::kG;
    case Cond::kGtU:
      return asmjit::x86::CondCode::kA;
    case Cond::kLeS:
      return asmjit::x86::CondCode::kLE;
    case Cond::kLeU:
      return asmjit::x86::CondCode::kBE;
    case Cond::kGeS:
      return asmjit::x86::CondCode::kGE;
    case Cond::kGeU:
      return asmjit::x86::CondCode::kAE;
  }
  return asmjit::x86::CondCode::kE;
}

struct Masm::Impl : public asmjit::ErrorHandler {
  explicit Impl(const CpuFeatures& features);

  void handleError(asmjit::Error err, const char* message, asmjit::BaseEmitter* origin) override;
  void Fail(const char* what) {
    if (error.empty()) error = what;
  }

  void LoadConst(JType t, Reg dst, uint64_t bits);
  void MovImm64(const asmjit::x86::Gp& dst, uint64_t bits);
  void MovImm64(unsigned dst, uint64_t bits);  // direct encoder (fast)
  // xmm15 <- a 32/64-bit constant (through r11).
  void LoadFpScratch(bool f64, uint64_t bits) {
    if (fast) {
      if (f64) {
        MovImm64(11u, bits);
        e.RR(enc::k66, 0x0F6E, true, 15, 11);  // movq xmm15, r11
      } else {
        e.MovRI32(11, static_cast<uint32_t>(bits));
        e.RR(enc::k66, 0x0F6E, false, 15, 11);  // movd xmm15, r11d
      }
      return;
    }
    if (f64) {
      MovImm64(asmjit::x86::r11, bits);
      a.movq(asmjit::x86::xmm15, asmjit::x86::r11);
    } else {
      a.mov(asmjit::x86::r11d, static_cast<uint32_t>(bits));
      a.movd(asmjit::x86::xmm15, asmjit::x86::r11d);
    }
  }
  asmjit::x86::Mem HeapOperand(Reg addr, uint64_t offset);

  // --- SIMD constant pool (masm_x64_simd_pool.cpp) ---
  // A 16-byte aligned [rip + pool + 16*i] operand holding `v` (deduplicated). The pool is
  // emitted by Finish() after all the code, outside every function's range.
  asmjit::x86::Mem Const(V128 v);
  void EmitConstPool();
  struct V128Hash {
    size_t operator()(const V128& v) const {
      return static_cast<size_t>(v.lo * 0x9E3779B97F4A7C15ull ^ v.hi);
    }
  };
  std::vector<V128> pool;
  std::unordered_map<V128, uint32_t, V128Hash> pool_index;
  asmjit::Label pool_label;

  CpuFeatures cpu;
  asmjit::CodeHolder code;
  asmjit::x86::Assembler a;
  // The direct encoder (encoder_x64.h) for the common forms; `fast` is false when the
  // process-wide switch (Masm::SetDirectEncoding) was off at construction, and then every
  // instruction goes through asmjit's x86::Assembler (the reference the encoder must match).
  enc::Encoder e{a};
  bool fast = true;
  // [lazy] Builtin calls through the builtin table (runtime/builtin_table.h): `call qword ptr
  // [rip + builtin_table + 8 * id]`. The label is created on first use and never bound here
  // (Masm::BuiltinTableLabelId, ExternalLinks).
  void CallBuiltinId(uint32_t id);
  asmjit::Label builtin_table;
  // A CallBuiltin of an address that is not in the table (called by absolute address): the
  // code is not position-independent (Masm::PositionIndependent).
  bool absolute_builtin = false;
  // Labels that a CallLabel used while they were unbound (candidates for ExternalLinks).
  std::vector<uint32_t> call_targets;
  std::string error;
};

}  // namespace wt::jit::x64
