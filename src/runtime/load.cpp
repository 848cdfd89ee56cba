// LoadModule: decode, validate, compute canonical type ids, compile, register the code.
#include "jit/lazy.h"
#include "runtime/code_registry.h"
#include "runtime/instance_data.h"
#include "wasm/reader.h"
#include "wasm/validator.h"

namespace wt::runtime {
namespace {

// Canonical ids for the module's function types. Wasm 2.0 function types (final, no
// supertype, alone in their rec group, self-contained) intern structurally. A Wasm 3.0 type
// naming other types interns with those indices replaced by their canonical ids when they are
// earlier function types; other 3.0 types (rec groups, subtyping) get an id of their own for
// now (exact iso-recursive canonicalization across modules comes with the GC work).
std::vector<uint32_t> ComputeTypeIds(const wasm::Module& m) {
  std::vector<uint32_t> ids(m.types.size(), 0);
  for (uint32_t i = 0; i < m.types.size(); ++i) {
    const wasm::FuncType* ft = m.GetFuncType(i);
    if (!ft) continue;
    bool self_contained = true, keyable = true;
    wasm::FuncType key = *ft;
    auto fix = [&](wasm::ValType& v) {
      if (!v.is_ref() || !v.heap.is_index()) return;
      self_contained = false;
      uint32_t t = v.heap.index;
      if (t >= i || m.types[t].rec_group == m.types[i].rec_group || ids[t] == 0) {
        keyable = false;
        return;
      }
      v.heap.index = ids[t] | 0x80000000u;
    };
    for (auto& v : key.params) fix(v);
    for (auto& v : key.results) fix(v);
    const wasm::SubType& st = m.types[i];
    bool plain = st.final && st.supers.empty() &&
                 (st.rec_group >= m.rec_groups.size() || m.rec_groups[st.rec_group].count == 1);
    if (!plain) {
      ids[i] = NewFuncTypeId(*ft);
    } else if (self_contained) {
      ids[i] = InternFuncType(*ft);
    } else if (keyable) {
      ids[i] = InternFuncTypeKey(key, *ft);
    } else {
      ids[i] = NewFuncTypeId(*ft);
    }
  }
  return ids;
}

}  // namespace

LoadedModule::~LoadedModule() {
  if (code && code->code) UnregisterCode(code->code.get());
}

Result<std::shared_ptr<LoadedModule>> LoadModule(std::vector<uint8_t> bytes,
                                                 const wasm::Features& features) {
  wasm::ReadOptions ro;
  ro.features = features;
  // The validator decodes every body anyway and reports malformed code as kMalformed, so the
  // reader's separate syntax walk over the bodies is skipped here (only the order between a
  // malformed and an invalid body can differ; `wtrun wast` keeps the spec's order).
  ro.check_code_syntax = false;
  WT_TRY_ASSIGN(wasm::Module m, wasm::ReadModule(std::move(bytes), ro));
  return LoadModule(std::move(m), features, false);
}

Result<std::shared_ptr<LoadedModule>> LoadModule(wasm::Module module,
                                                 const wasm::Features& features, bool validated) {
  jit::CompileOptions co;
  co.features = features;
  return LoadModule(std::move(module), co, validated);
}

Result<std::shared_ptr<LoadedModule>> LoadModule(wasm::Module module,
                                                 const jit::CompileOptions& options,
                                                 bool validated) {
  return LoadModule(std::make_shared<const wasm::Module>(std::move(module)), options, validated);
}

Result<std::shared_ptr<LoadedModule>> LoadModule(std::shared_ptr<const wasm::Module> m,
                                                 const jit::CompileOptions& options,
                                                 bool validated) {
  const wasm::Features& features = options.features;
  // Not yet validated: the declarations here, each body by the JIT worker that compiles it
  // (CompileOptions::validate_bodies), so validation runs in parallel too.
  wasm::TypeContext types;
  jit::CompileOptions co = options;
  if (!validated) {
    wasm::ValidateOptions vo;
    vo.features = features;
    WT_TRY(wasm::ValidateModuleDecls(*m, vo, &types));
    co.validate_bodies = &types;
  }
  auto lm = std::make_shared<LoadedModule>();
  lm->type_ids = ComputeTypeIds(*m);
  lm->module = m;
  if (co.mode == jit::CompileMode::kLazy) {
    // [lazy] Every body validated now (validation errors stay load errors), none compiled.
    if (co.validate_bodies) {
      WT_TRY(wasm::ValidateBodies(*m, types, features, co.jobs));
      co.validate_bodies = nullptr;
    }
    lm->code = std::make_unique<jit::CompiledModule>();
    WT_TRY(jit::LazyModule::Create(m, co, lm->code.get()));
  } else {
    WT_TRY_ASSIGN(lm->code, jit::CompileModule(*lm->module, co));
  }
  if (lm->code->code) RegisterCode(lm->code->code.get(), lm->module);
  return lm;
}

}  // namespace wt::runtime
