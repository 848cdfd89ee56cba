// FuncValidator: the threads proposal's atomic memory accesses (opcode prefix 0xFE). Their
// operands and results are fixed signatures (opcodes.def), typed by StepSig like plain loads
// and stores; only the memarg rule differs: the alignment must be exactly the natural one.
#include "wasm/func_validator.h"

namespace wt::wasm {

Status FuncValidator::CheckAtomicMemArg(const Instr& in, AddrType* addr) {
  WT_TRY(CheckMemory(in.mem.memory, addr));
  if (in.mem.align_log2 != NaturalAlignLog2(GetOpInfo(in.op).imm)) {
    return Invalid("alignment must be exactly natural");
  }
  if (*addr == AddrType::kI32 && in.mem.offset > UINT32_MAX) {
    return Invalid("offset out of range");
  }
  return Ok();
}

}  // namespace wt::wasm
