// [wasmgc] The runtime half of casts and indirect calls (gc_casts.h).
#include "runtime/gc/gc_casts.h"

#include "runtime/type_registry.h"

const wt::runtime::FuncRef* wt_gc_func_subtype(wt::runtime::VMContext* vmctx,
                                               const wt::runtime::FuncRef* f,
                                               uint64_t type_index) noexcept {
  const uint32_t expected = vmctx->type_ids[type_index];
  return wt::runtime::CanonicalTypeMatches(f->type_id, expected) ? f : nullptr;
}
