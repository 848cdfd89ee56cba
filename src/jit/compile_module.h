// CompileModuleWith<Masm>: the ISA-neutral driver behind CompileModule (compiler.h). Compiles
// every defined function and one entry trampoline + host stub per distinct signature into one
// code buffer, then copies it into executable memory.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "jit/baseline_compiler.h"
#include "jit/code_memory.h"
#include "jit/compiler.h"
#include "jit/feature_check.h"

namespace wt::jit {

template <MacroAssembler Masm>
Result<std::unique_ptr<CompiledModule>> CompileModuleWith(Masm& masm, const wasm::Module& module,
                                                          const CompileOptions& options) {
  (void)options;
  WT_TRY(CheckModuleFeatures(module));
  auto num_defined = static_cast<uint32_t>(module.codes.size());
  ModuleEnv env;
  env.module = &module;
  env.consume_fuel = options.consume_fuel;
  env.epoch_interruption = options.epoch_interruption;
  env.func_labels.reserve(num_defined);
  for (uint32_t i = 0; i < num_defined; ++i) env.func_labels.push_back(masm.NewLabel());

  std::vector<TrapSite> traps;
  std::vector<FuncRange> ranges;
  std::vector<CallSite> call_sites;
  std::vector<int32_t> stack_maps;  // [gc]
  ranges.reserve(num_defined);
  {
    BaselineCompiler<Masm> compiler(masm, env);
    compiler.set_call_sites(&call_sites);
    compiler.set_stack_maps(&stack_maps);
    for (uint32_t i = 0; i < num_defined; ++i) {
      masm.AlignCode(16);
      uint32_t begin = masm.Offset();
      uint32_t func_index = module.num_imported_funcs + i;
      WT_TRY(compiler.CompileFunction(func_index, &traps));
      ranges.push_back(FuncRange{begin, masm.Offset(), func_index});
    }
  }

  // Trampolines, shared between equal signatures.
  struct Tramps {
    uint32_t entry;
    uint32_t host_stub;
  };
  std::map<std::string, Tramps> by_sig;
  std::vector<const Tramps*> per_type(module.types.size(), nullptr);
  for (size_t ti = 0; ti < module.types.size(); ++ti) {
    const wasm::FuncType* ft = module.GetFuncType(static_cast<uint32_t>(ti));
    if (!ft) continue;
    std::string key;
    for (const wasm::ValType& t : ft->params) {
      WT_TRY_ASSIGN(JType j, JTypeOf(t));
      key.push_back(static_cast<char>('0' + static_cast<int>(j)));
    }
    key.push_back(':');
    for (const wasm::ValType& t : ft->results) {
      WT_TRY_ASSIGN(JType j, JTypeOf(t));
      key.push_back(static_cast<char>('0' + static_cast<int>(j)));
    }
    auto it = by_sig.find(key);
    if (it == by_sig.end()) {
      Tramps t;
      t.entry = masm.EmitEntryTrampoline(*ft);
      t.host_stub = masm.EmitHostStub(*ft);
      it = by_sig.emplace(std::move(key), t).first;
    }
    per_type[ti] = &it->second;
  }

  WT_TRY_ASSIGN(size_t size, masm.Finish());
  WT_TRY_ASSIGN(std::unique_ptr<ExecutableCode> code, ExecutableCode::Allocate(size));
  WT_TRY(masm.CopyTo(code->writable(), size, reinterpret_cast<uint64_t>(code->writable())));

  auto out = std::make_unique<CompiledModule>();
  const uint8_t* base = code->base();
  out->func_code.reserve(num_defined);
  for (uint32_t i = 0; i < num_defined; ++i)
    out->func_code.push_back(base + masm.LabelOffset(env.func_labels[i]));
  out->entries.assign(module.types.size(), nullptr);
  out->host_stubs.assign(module.types.size(), nullptr);
  for (size_t ti = 0; ti < module.types.size(); ++ti) {
    if (!per_type[ti]) continue;
    out->entries[ti] = reinterpret_cast<EntryFn>(const_cast<uint8_t*>(base + per_type[ti]->entry));
    out->host_stubs[ti] = base + per_type[ti]->host_stub;
  }
  // Sites come in code order (inline ones during a body, its stubs after it); sort if not.
  auto by_offset = [](const TrapSite& a, const TrapSite& b) {
    return a.code_offset < b.code_offset;
  };
  if (!std::is_sorted(traps.begin(), traps.end(), by_offset))
    std::sort(traps.begin(), traps.end(), by_offset);
  code->SetStackMaps(std::move(stack_maps));
  WT_TRY(code->Seal(std::move(ranges), std::move(traps), std::move(call_sites)));
  out->code = std::move(code);
  return out;
}

}  // namespace wt::jit
