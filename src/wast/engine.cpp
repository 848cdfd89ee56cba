#include "wast/engine.h"

#include <algorithm>

#include <fmt/format.h>

#include "runtime/cwasm.h"
#include "runtime/gc/object.h"
#include "runtime/type_registry.h"

namespace wt::wast {
namespace {

using text::RefKind;
using text::ValueKind;
using wasm::HeapKind;
using wasm::ValKind;

std::string ModuleName(const std::string& id) {
  return id.empty() ? std::string("the current module") : fmt::format("module ${}", id);
}

// The value kind a parameter type takes in a script.
ValueKind ScriptKind(const wasm::ValType& t) {
  switch (t.kind) {
    case ValKind::kI32:
      return ValueKind::kI32;
    case ValKind::kI64:
      return ValueKind::kI64;
    case ValKind::kF32:
      return ValueKind::kF32;
    case ValKind::kF64:
      return ValueKind::kF64;
    case ValKind::kV128:
      return ValueKind::kV128;
    default:
      return ValueKind::kRef;
  }
}

// The hierarchy of a runtime value's type (canonical: the runtime's function, global and table
// types hold canonical ids in their concrete heap types).
HeapKind TopOf(const wasm::ValType& t) {
  return runtime::CanonicalHeapTop(t.heap);
}

}  // namespace

Engine::Engine(const wasm::Features& features) : features_(features) {
  runtime::DefineSpectest(linker_, store_, nullptr);
}

Engine::Engine(const wasm::Features& features, const runtime::StoreOptions& store_options,
               jit::SimdIsa simd_isa, jit::CompileMode compile_mode, bool via_cwasm)
    : features_(features),
      simd_isa_(simd_isa),
      compile_mode_(compile_mode),
      via_cwasm_(via_cwasm),
      store_(store_options) {
  runtime::DefineSpectest(linker_, store_, nullptr);
}

Result<std::shared_ptr<const runtime::LoadedModule>> Engine::Compile(wasm::Module module) {
  // [limits] Fuel and epoch checks compiled in when the store has a budget / a timeout.
  jit::CompileOptions options;
  options.features = features_;
  options.simd_isa = simd_isa_;  // [simd] --simd-isa
  // [lazy] --compile; cwasm: compiled eagerly, then serialized and loaded back.
  options.mode = via_cwasm_ ? jit::CompileMode::kEager : compile_mode_;
  options.consume_fuel = store_.options().fuel.has_value();
  options.epoch_interruption = store_.options().timeout.has_value();
  WT_TRY_ASSIGN(std::shared_ptr<runtime::LoadedModule> loaded,
                runtime::LoadModule(std::move(module), options, /*validated=*/true));
  if (via_cwasm_) {
    WT_TRY_ASSIGN(loaded, runtime::RoundTripPrecompiled(*loaded, options));
  }
  return std::shared_ptr<const runtime::LoadedModule>(std::move(loaded));
}

InstantiateOutcome Engine::Instantiate(std::shared_ptr<const runtime::LoadedModule> module) {
  InstantiateOutcome out;
  runtime::Trap trap;
  trap.code = runtime::TrapCode::kCount;  // "none" until the runtime fills it in
  store_.ResetLimits();  // [limits] the start function has the whole --fuel and --timeout
  auto inst = linker_.Instantiate(store_, std::move(module), &trap);
  if (inst.ok()) {
    out.instance = *inst;
    return out;
  }
  out.error = std::move(inst).error();
  if (out.error->kind == ErrorKind::kUninstantiable && trap.code != runtime::TrapCode::kCount) {
    out.trap = std::move(trap);
  }
  return out;
}

void Engine::AddDefinition(const std::string& id,
                           std::shared_ptr<const runtime::LoadedModule> module) {
  Definition d{std::move(module), {}};
  if (!id.empty()) definitions_[id] = d;
  last_definition_ = std::move(d);
  have_definition_ = true;
}

void Engine::AddFailedDefinition(const std::string& id, std::string reason) {
  Definition d{nullptr, std::move(reason)};
  if (!id.empty()) definitions_[id] = d;
  last_definition_ = std::move(d);
  have_definition_ = true;
}

std::shared_ptr<const runtime::LoadedModule> Engine::FindDefinition(const std::string& id,
                                                                    std::string* why) const {
  const Definition* d = nullptr;
  if (id.empty()) {
    if (!have_definition_) {
      *why = "no module definition before this command";
      return nullptr;
    }
    d = &last_definition_;
  } else {
    auto it = definitions_.find(id);
    if (it == definitions_.end()) {
      *why = fmt::format("unknown module definition ${}", id);
      return nullptr;
    }
    d = &it->second;
  }
  if (d->module == nullptr) {
    *why = fmt::format("module definition{}{} failed: {}", id.empty() ? "" : " $", id, d->failure);
  }
  return d->module;
}

void Engine::SetCurrent(const std::string& id, runtime::Instance* instance, std::string failure) {
  Named n{instance, std::move(failure)};
  if (!id.empty()) instances_[id] = n;
  current_ = std::move(n);
  have_current_ = true;
}

runtime::Instance* Engine::FindInstance(const std::string& id, std::string* why) const {
  const Named* n = nullptr;
  if (id.empty()) {
    if (!have_current_) {
      *why = "no module before this command";
      return nullptr;
    }
    n = &current_;
  } else {
    auto it = instances_.find(id);
    if (it == instances_.end()) {
      *why = fmt::format("unknown module ${}", id);
      return nullptr;
    }
    n = &it->second;
  }
  if (n->instance == nullptr) {
    *why = fmt::format("{} failed to instantiate: {}", ModuleName(id), n->failure);
  }
  return n->instance;
}

Status Engine::Register(const std::string& as, const std::string& id) {
  std::string why;
  runtime::Instance* inst = FindInstance(id, &why);
  if (inst == nullptr) return MakeError(ErrorKind::kUsage, "{}", why);
  linker_.DefineInstance(as, *inst);
  return Ok();
}

Result<runtime::Value> Engine::ToRuntime(const text::Value& v, const wasm::ValType& type) {
  if (ScriptKind(type) != v.kind) {
    return MakeError(ErrorKind::kUsage, "{} given for a parameter of type {}", text::FormatValue(v),
                     wasm::ValTypeName(type));
  }
  switch (v.kind) {
    case ValueKind::kI32:
      return runtime::Value::I32(v.i32());
    case ValueKind::kI64:
      return runtime::Value::I64(v.i64());
    case ValueKind::kF32:
      return runtime::Value::F32Bits(v.i32());
    case ValueKind::kF64:
      return runtime::Value::F64Bits(v.i64());
    case ValueKind::kV128:
      return runtime::Value::V128(v.v128.data());
    case ValueKind::kRef:
      break;
  }
  switch (v.ref) {
    case RefKind::kNull:
      if (!type.nullable || TopHeapKind(v.heap.kind) != TopOf(type)) break;
      return runtime::Value::Null(type);
    case RefKind::kExtern:
      if (TopOf(type) != HeapKind::kExtern) break;
      return runtime::Value::Ref(type, store_.HostRef(v.bits));
    case RefKind::kHost:  // [wasmgc] the same host object as an anyref (the conversions are
                          // the identity: any.convert_extern (ref.extern N) is (ref.host N))
      if (TopOf(type) != HeapKind::kAny) break;
      return runtime::Value::Ref(type, store_.HostRef(v.bits));
  }
  return MakeError(ErrorKind::kUsage, "{} given for a parameter of type {}", text::FormatValue(v),
                   wasm::ValTypeName(type));
}

RefClass Engine::Classify(const void* ref, HeapKind top, uint64_t* i31, uint64_t* host) const {
  if (ref == nullptr) return RefClass::kNull;
  if (top == HeapKind::kFunc) return RefClass::kFunc;  // a FuncRef: no GcHeader
  if (runtime::gc::IsI31(ref)) {
    // [wasmgc] (v << 1) | 1: the value sign-extended from 31 bits.
    *i31 = static_cast<uint64_t>(static_cast<int64_t>(
        static_cast<int32_t>(static_cast<uint32_t>(reinterpret_cast<uintptr_t>(ref))) >> 1));
    return RefClass::kI31;
  }
  if (auto n = store_.HostRefIndex(ref)) {
    *host = *n;
    return RefClass::kExtern;
  }
  // Outside the func hierarchy every other reference points to a GcHeader (gc/object.h).
  switch (static_cast<const runtime::gc::GcHeader*>(ref)->kind) {
    case runtime::gc::GcKind::kStruct:
      return RefClass::kStruct;
    case runtime::gc::GcKind::kArray:
      return RefClass::kArray;
    case runtime::gc::GcKind::kException:
      return RefClass::kExn;
    default:
      return RefClass::kOther;
  }
}

ActualValue Engine::FromRuntime(const runtime::Value& v) const {
  ActualValue a;
  a.type = v.type;
  switch (v.type.kind) {
    case ValKind::kI32:
    case ValKind::kF32:
      a.bits = v.bits.i32;
      break;
    case ValKind::kI64:
    case ValKind::kF64:
      a.bits = v.bits.i64;
      break;
    case ValKind::kV128:
      std::copy(std::begin(v.bits.v128), std::end(v.bits.v128), a.v128.begin());
      break;
    case ValKind::kRef:
    case ValKind::kBot:
      a.top = TopOf(v.type);
      a.ref = Classify(v.bits.ref, a.top, &a.bits, &a.host);
      break;
  }
  return a;
}

Result<ActionResult> Engine::Run(const text::Action& action) {
  std::string why;
  runtime::Instance* inst = FindInstance(action.module_id, &why);
  if (inst == nullptr) return MakeError(ErrorKind::kUsage, "{}", why);
  ActionResult out;
  if (action.kind == text::ActionKind::kGet) {
    runtime::Global* g = inst->GetGlobal(action.name);
    if (g == nullptr) {
      return MakeError(ErrorKind::kUsage, "{} has no global export \"{}\"",
                       ModuleName(action.module_id), action.name);
    }
    out.results.push_back(FromRuntime(g->Get()));
    return out;
  }
  runtime::Func* f = inst->GetFunc(action.name);
  if (f == nullptr) {
    return MakeError(ErrorKind::kUsage, "{} has no function export \"{}\"",
                     ModuleName(action.module_id), action.name);
  }
  const wasm::FuncType& type = f->type();
  if (type.params.size() != action.args.size()) {
    return MakeError(ErrorKind::kUsage, "\"{}\" takes {} argument(s), {} given", action.name,
                     type.params.size(), action.args.size());
  }
  std::vector<runtime::Value> args;
  args.reserve(action.args.size());
  for (size_t i = 0; i < action.args.size(); ++i) {
    auto arg = ToRuntime(action.args[i], type.params[i]);
    if (!arg.ok()) {
      return MakeError(ErrorKind::kUsage, "argument {}: {}", i, arg.error().message);
    }
    args.push_back(*arg);
  }
  store_.ResetLimits();  // [limits] the whole --fuel and --timeout for this command
  WT_TRY_ASSIGN(runtime::InvokeResult r, runtime::Invoke(store_, *f, args));
  if (r.trap) {
    out.trap = std::move(r.trap);
    return out;
  }
  out.results.reserve(r.results.size());
  for (const runtime::Value& v : r.results) out.results.push_back(FromRuntime(v));
  return out;
}

}  // namespace wt::wast
