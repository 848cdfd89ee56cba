// The runtime side of one script run: a Store with the `spectest` module, a Linker that also
// holds every `register`ed instance, the named and the current instances, the module
// definitions, and actions (invoke / get) with values converted both ways.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "jit/compiler.h"
#include "runtime/runtime.h"
#include "text/wast_script.h"
#include "util/result.h"
#include "wasm/features.h"
#include "wast/value_match.h"

namespace wt::wast {

// What an action did: results, or a trap. (Errors such as an unknown export are the
// Result's.)
struct ActionResult {
  std::vector<ActualValue> results;
  std::optional<runtime::Trap> trap;
};

// How an instantiation went.
struct InstantiateOutcome {
  runtime::Instance* instance = nullptr;  // on success
  std::optional<Error> error;             // kUnlinkable, kUninstantiable, ...
  std::optional<runtime::Trap> trap;      // the trap of a kUninstantiable error, if any
};

class Engine {
 public:
  explicit Engine(const wasm::Features& features);
  // [pool] With the store's options (an instance allocator, limits); [simd] modules compiled
  // with the vector ISA capped at `simd_isa`; [lazy] and compiled in `compile_mode`, or
  // (`via_cwasm`) eagerly and then round-tripped through an in-memory .cwasm artifact.
  Engine(const wasm::Features& features, const runtime::StoreOptions& store_options,
         jit::SimdIsa simd_isa = jit::SimdIsa::kAuto,
         jit::CompileMode compile_mode = jit::CompileMode::kEager, bool via_cwasm = false);
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Compiles a decoded and validated module. Errors: kUnsupported (a feature the JIT does not
  // implement yet), kInvalid / kMalformed should the runtime disagree.
  Result<std::shared_ptr<const runtime::LoadedModule>> Compile(wasm::Module module);

  InstantiateOutcome Instantiate(std::shared_ptr<const runtime::LoadedModule> module);

  // Module definitions: `(module definition $id ...)`; "" looks up the last one.
  void AddDefinition(const std::string& id, std::shared_ptr<const runtime::LoadedModule> module);
  // nullptr with `why` set when there is none (or it failed to compile).
  std::shared_ptr<const runtime::LoadedModule> FindDefinition(const std::string& id,
                                                              std::string* why) const;
  // A definition that failed to compile: later uses name the reason.
  void AddFailedDefinition(const std::string& id, std::string reason);

  // Sets the current instance (and names it when `id` is not empty). A null instance means
  // that module failed: actions on it fail with `failure`.
  void SetCurrent(const std::string& id, runtime::Instance* instance, std::string failure = {});
  // The named instance ("" = the current one), or nullptr with `why` set.
  runtime::Instance* FindInstance(const std::string& id, std::string* why) const;

  // `(register "name" $id?)`.
  Status Register(const std::string& as, const std::string& id);

  // Runs an invoke or get. Errors: no such module/export, bad arguments.
  Result<ActionResult> Run(const text::Action& action);

  // Conversions between script values and runtime values (public for tests).
  Result<runtime::Value> ToRuntime(const text::Value& v, const wasm::ValType& type);
  ActualValue FromRuntime(const runtime::Value& v) const;
  // What a non-null reference of hierarchy `top` is ([wasmgc] by its GcHeader's kind; an i31's
  // value to *i31, a script host value's N to *host).
  RefClass Classify(const void* ref, wasm::HeapKind top, uint64_t* i31, uint64_t* host) const;

  runtime::Store& store() { return store_; }

 private:
  struct Named {
    runtime::Instance* instance = nullptr;
    std::string failure;  // when instance is null
  };
  struct Definition {
    std::shared_ptr<const runtime::LoadedModule> module;  // null if it failed to compile
    std::string failure;
  };

  wasm::Features features_;
  jit::SimdIsa simd_isa_ = jit::SimdIsa::kAuto;
  jit::CompileMode compile_mode_ = jit::CompileMode::kEager;
  bool via_cwasm_ = false;
  runtime::Store store_;
  runtime::Linker linker_;
  Named current_;
  bool have_current_ = false;
  std::unordered_map<std::string, Named> instances_;
  std::unordered_map<std::string, Definition> definitions_;
  Definition last_definition_;
  bool have_definition_ = false;
};

}  // namespace wt::wast
