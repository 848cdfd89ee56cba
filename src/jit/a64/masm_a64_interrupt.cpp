// aarch64 MacroAssembler: fuel charges and epoch checks (emitted only for modules compiled with
// CompileOptions::consume_fuel / epoch_interruption; see docs/traps-limits.md). Same semantics
// as the x64 versions (masm_x64_interrupt.cpp); only Masm scratch registers are used.
#include <cstring>

#include "jit/a64/masm_a64_impl.h"
#include "runtime/vmctx.h"

namespace wt::jit::a64 {

namespace aj = asmjit::a64;

// ldr x16, [x28, #store_ctx]
// ldr x17, [x16, #fuel_consumed]
// movz x15, #cost_lo; movk x15, #cost_hi, lsl #16     ; patched by PatchFuelCost
// adds x17, x17, x15
// str x17, [x16, #fuel_consumed]
// b.gt out_of_fuel
uint32_t Masm::ChargeFuel(Label out_of_fuel) {
  auto& a = impl_->a;
  a.ldr(aj::x16, aj::ptr(aj::x28, runtime::kVMCtxStoreCtx));
  a.ldr(aj::x17, aj::ptr(aj::x16, runtime::kStoreCtxFuelConsumed));
  uint32_t handle = Offset();
  impl_->Emit(0xD2800000u | 15u);               // movz x15, #0
  impl_->Emit(0xF2800000u | (1u << 21) | 15u);  // movk x15, #0, lsl #16
  a.adds(aj::x17, aj::x17, aj::x15);
  a.str(aj::x17, aj::ptr(aj::x16, runtime::kStoreCtxFuelConsumed));
  // fuel_consumed starts at -budget and never gets near INT64_MAX (it traps once > 0), so the
  // signed "greater" after the adds is "result > 0".
  impl_->BranchCond(aj::CondCode::kGT, AL(out_of_fuel));
  return handle;
}

void Masm::PatchFuelCost(uint32_t handle, uint32_t cost) {
  if (cost > static_cast<uint32_t>(INT32_MAX)) cost = INT32_MAX;
  uint8_t* p = impl_->a.bufferData() + handle;
  for (uint32_t i = 0; i < 2; ++i) {
    uint32_t w;
    std::memcpy(&w, p + 4 * i, 4);
    w = (w & ~(0xFFFFu << 5)) | (((cost >> (16 * i)) & 0xFFFFu) << 5);
    std::memcpy(p + 4 * i, &w, 4);
  }
}

// Scratch only (the `tmp` register is not needed: x15..x17 are the Masm's):
// ldr x16, [x28, #store_ctx]; ldr x17, [x16, #epoch_counter]; ldr x17, [x17]
// ldr x16, [x16, #epoch_deadline]; cmp x17, x16; b.hs interrupt
void Masm::CheckEpoch(Reg /*tmp*/, Label interrupt) {
  auto& a = impl_->a;
  a.ldr(aj::x16, aj::ptr(aj::x28, runtime::kVMCtxStoreCtx));
  a.ldr(aj::x17, aj::ptr(aj::x16, runtime::kStoreCtxEpochCounter));
  a.ldr(aj::x17, aj::ptr(aj::x17));
  a.ldr(aj::x16, aj::ptr(aj::x16, runtime::kStoreCtxEpochDeadline));
  a.cmp(aj::x17, aj::x16);
  impl_->BranchCond(aj::CondCode::kHS, AL(interrupt));
}

}  // namespace wt::jit::a64
