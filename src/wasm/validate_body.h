// Internal: one body's validation walk with a caller-owned CodeReader (reused across bodies:
// no allocation per body). ValidateFunctionBody and ValidateBodies both use it, so the
// parallel walk reports exactly what the serial one does.
#pragma once

#include <cstdint>

#include "util/result.h"
#include "wasm/code_reader.h"
#include "wasm/func_validator.h"

namespace wt::wasm::internal {

Status ValidateBodyWith(FuncValidator& v, CodeReader& reader, uint32_t code_index);

}  // namespace wt::wasm::internal
