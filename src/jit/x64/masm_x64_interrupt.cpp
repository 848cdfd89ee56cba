// x86_64 MacroAssembler: fuel charges and epoch checks (emitted only for modules compiled with
// CompileOptions::consume_fuel / epoch_interruption; see docs/traps-limits.md).
#include <cstring>

#include "jit/x64/masm_x64.h"
#include "jit/x64/masm_x64_impl.h"
#include "runtime/vmctx.h"

namespace wt::jit::x64 {

using namespace asmjit;

uint32_t Masm::ChargeFuel(Label out_of_fuel) {
  auto& a = impl_->a;
  a.mov(x86::r11, x86::qword_ptr(x86::r15, runtime::kVMCtxStoreCtx));
  // add qword [r11 + disp8], imm32 in its long form (REX.W+B 81 /0 disp8 id), so the cost can
  // be patched once the block's length is known.
  static_assert(runtime::kStoreCtxFuelConsumed >= 0 && runtime::kStoreCtxFuelConsumed < 128);
  const uint8_t add[] = {0x49, 0x81, 0x43, static_cast<uint8_t>(runtime::kStoreCtxFuelConsumed),
                         0,    0,    0,    0};
  uint32_t handle = Offset() + 4;
  a.embed(add, sizeof(add));
  // fuel_consumed starts at -budget and never gets near INT64_MAX (it traps once > 0), so the
  // signed "greater" after the add is "result > 0".
  a.jg(AL(out_of_fuel));
  return handle;
}

void Masm::PatchFuelCost(uint32_t handle, uint32_t cost) {
  if (cost > static_cast<uint32_t>(INT32_MAX)) cost = INT32_MAX;
  std::memcpy(impl_->a.bufferData() + handle, &cost, 4);
}

void Masm::CheckEpoch(Reg tmp, Label interrupt) {
  auto& a = impl_->a;
  // Borrow the memory base when no register is free: it is reloaded from the VMContext before
  // the branch (mov does not change the flags).
  x86::Gp ctx = tmp.valid() ? Gq(tmp) : x86::Gp(x86::r14);
  a.mov(ctx, x86::qword_ptr(x86::r15, runtime::kVMCtxStoreCtx));
  a.mov(x86::r11, x86::qword_ptr(ctx, runtime::kStoreCtxEpochCounter));
  a.mov(x86::r11, x86::qword_ptr(x86::r11));
  a.cmp(x86::r11, x86::qword_ptr(ctx, runtime::kStoreCtxEpochDeadline));
  if (!tmp.valid()) a.mov(x86::r14, x86::qword_ptr(x86::r15, runtime::kVMCtxMem0Base));
  a.jae(AL(interrupt));
}

}  // namespace wt::jit::x64
