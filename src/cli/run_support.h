// Pieces of `wtrun run` (run_command.cpp): the WASI configuration from the options, the store
// and compile options, and stand-ins for unknown imports.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "cli/options.h"
#include "jit/compiler.h"
#include "runtime/runtime.h"
#include "runtime/store_options.h"
#include "util/result.h"
#include "wasi/wasi.h"
#include "wasm/features.h"

namespace wt::cli {

// args (argv0, else FILE's base name, then `args`), environment (--inherit-env, then --env in
// order, later ones replacing earlier ones of the same NAME) and preopens (--dir).
wasi::WasiConfig MakeWasiConfig(const std::string& file, const std::vector<std::string>& args,
                                const RunCommandOptions& options);

// Fuel, timeout, limits and the pooling allocator (errors: the allocator's, e.g. kUnsupported).
Result<runtime::StoreOptions> MakeStoreOptions(const RunCommandOptions& options);
// Fuel and epoch checks compiled in when --fuel / --timeout ask for them.
jit::CompileOptions MakeCompileOptions(const wasm::Features& features,
                                       const RunCommandOptions& options);

// Host functions standing in for the function imports nothing defines
// (--trap-unknown-imports, --default-values-unknown-imports).
class UnknownImportStubs {
 public:
  enum class Mode { kTrap, kDefaultValues };
  // Defines a stub in `linker` for every function import of `module` that `linker` cannot
  // resolve; returns how many.
  size_t Define(runtime::Linker& linker, runtime::Store& store, const wasm::Module& module,
                Mode mode);
  // For a trap raised by a stub: "unknown import `MODULE::NAME` has not been defined" (the
  // last stub that trapped), else "".
  std::string TrapDetail() const;

  // A stub's env.
  struct Entry {
    UnknownImportStubs* owner = nullptr;
    std::string module, name;
    size_t results = 0;
  };
  void set_trapped(const Entry* entry) { trapped_ = entry; }

 private:
  std::deque<Entry> entries_;  // stable addresses
  const Entry* trapped_ = nullptr;
};

}  // namespace wt::cli
