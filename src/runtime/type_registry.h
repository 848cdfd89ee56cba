// Canonical type identity ([wasm3] R): process-wide, iso-recursive.
//
// Every type of a module gets a canonical id (LoadedModule::type_ids). Types are defined in
// recursion groups; two groups are the same when they are structurally equal with their
// references to types of earlier groups compared by canonical id and their references inside
// the group by position (the spec's iso-recursive equivalence). Equal groups get the same
// consecutive ids, in every module and store, so call_indirect's id comparison and import
// matching see equal types as equal. Ids are never 0 (a zeroed FuncRef matches no type).
//
// Canonical value types: a value type whose concrete heap types (HeapKind::kIndex) hold
// canonical ids instead of module type indices. The runtime objects made by instantiation
// (globals, tables) carry canonical types, so the linker compares types across modules.
#pragma once

#include <cstdint>
#include <vector>

#include "wasm/module.h"
#include "wasm/types.h"

namespace wt::runtime {

// Canonical ids of `m`'s types, by type index (the module must be valid: a reference to a
// later group, which validation refuses, gets an id nothing else shares).
std::vector<uint32_t> CanonicalTypeIds(const wasm::Module& m);

// `t` of a module with canonical ids `ids` as a canonical value type.
wasm::ValType CanonicalValType(const std::vector<uint32_t>& ids, wasm::ValType t);

// The composite kind of a canonical id.
wasm::CompositeKind CanonicalKind(uint32_t id);

// [wasmgc] The composite type of a canonical id, its concrete heap types holding canonical
// ids (the reference stays valid for the life of the process).
const wasm::CompositeType& CanonicalCompositeType(uint32_t id);
// [wasmgc] The declared supertype's canonical id, or 0 (none).
uint32_t CanonicalSuper(uint32_t id);

// Whether canonical type `sub` is `super` or declares it as a (transitive) supertype.
bool CanonicalTypeMatches(uint32_t sub, uint32_t super);

// Value subtyping between canonical value types (the spec's matching, used for imports;
// wasm/heap_subtype.h, the validator's relation over canonical ids).
bool CanonicalValTypeMatches(const wasm::ValType& sub, const wasm::ValType& super);
// [wasmgc] The top of a canonical heap type's hierarchy (kAny, kFunc, kExtern, kExn).
wasm::HeapKind CanonicalHeapTop(const wasm::HeapType& t);

}  // namespace wt::runtime
