// x86_64 SIMD: the constant pool and v128 constants (LoadConstV128, StoreConstV128).
//
// One pool per Masm (per chunk): 16-byte entries, deduplicated, emitted by Finish() after all
// the code (trampolines included), 16-aligned behind one label, so it lies outside every
// function's range. Chunks are laid out at 16-byte boundaries, so the entries stay aligned for
// SSE's legacy m128 operands. References are [rip + pool + 16*i]; they are always emitted
// through asmjit (links of any form, e.g. a RIP operand followed by an imm8), and the label is
// bound by asmjit's bind, which resolves every one of them: nothing is left for ExternalLinks.
#include <cstring>

#include "jit/x64/masm_x64_simd.h"

namespace wt::jit::x64 {

using namespace asmjit;

x86::Mem Masm::Impl::Const(V128 v) {
  if (!pool_label.isValid()) pool_label = a.newLabel();
  auto [it, inserted] = pool_index.try_emplace(v, static_cast<uint32_t>(pool.size()));
  if (inserted) pool.push_back(v);
  return x86::xmmword_ptr(pool_label, static_cast<int32_t>(16 * it->second));
}

void Masm::Impl::EmitConstPool() {
  if (pool.empty()) return;
  a.align(AlignMode::kData, 16);  // int3 padding
  a.bind(pool_label);
  for (const V128& v : pool) {
    uint8_t bytes[16];
    std::memcpy(bytes, &v.lo, 8);
    std::memcpy(bytes + 8, &v.hi, 8);
    a.embed(bytes, sizeof bytes);
  }
}

namespace {

constexpr bool IsZero(V128 v) {
  return v.lo == 0 && v.hi == 0;
}
constexpr bool IsOnes(V128 v) {
  return v.lo == ~uint64_t{0} && v.hi == ~uint64_t{0};
}

}  // namespace

void Masm::LoadConstV128(Reg dst, V128 v) {
  simd::Vx x(*impl_);
  if (IsZero(v)) return x.Zero(dst);
  if (IsOnes(v)) return x.Ones(dst);
  x86::Mem m = impl_->Const(v);
  if (x.avx)
    impl_->a.vmovdqa(X(dst), m);
  else
    impl_->a.movdqa(X(dst), m);
}

void Masm::StoreConstV128(Mem dst, V128 v) {
  // Through xmm15 (pxor / pcmpeqd / a pool load, then one 16-byte store): smaller than two
  // 8-byte immediate stores, and a later 16-byte load of the slot can be store-forwarded.
  LoadConstV128(reg::xmm15, v);
  Store(JType::kV128, dst, reg::xmm15);
}

}  // namespace wt::jit::x64
