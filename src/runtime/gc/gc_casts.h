// [wasmgc] The runtime half of casts and indirect calls to function types with subtypes
// (jit/compiler_gc_casts.h). Called from JIT code through the builtin table (System V /
// AAPCS64 C calling convention); never traps, never allocates, never collects.
#pragma once

#include <cstdint>

#include "runtime/vmctx.h"

extern "C" {
// Whether function `f` (not null) has a type that matches module type `type_index` of the
// calling instance (canonical subtyping, runtime/type_registry.h): `f` if it does, else null.
// JIT code calls it only once the canonical ids differ and the target type is not final.
const wt::runtime::FuncRef* wt_gc_func_subtype(wt::runtime::VMContext* vmctx,
                                               const wt::runtime::FuncRef* f,
                                               uint64_t type_index) noexcept;
}
