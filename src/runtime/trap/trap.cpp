#include "runtime/trap/trap.h"

namespace wt::runtime {

const char* TrapMessage(TrapCode code) {
  switch (code) {
#define WT_TRAP(name, message, spec) \
  case TrapCode::name:               \
    return message;
#include "runtime/trap/trap_codes.def"
#undef WT_TRAP
    case TrapCode::kCount:
      break;
  }
  return "unknown trap";
}

const char* TrapSpecMessage(TrapCode code) {
  switch (code) {
#define WT_TRAP(name, message, spec) \
  case TrapCode::name:               \
    return spec;
#include "runtime/trap/trap_codes.def"
#undef WT_TRAP
    case TrapCode::kCount:
      break;
  }
  return "unknown trap";
}

}  // namespace wt::runtime
