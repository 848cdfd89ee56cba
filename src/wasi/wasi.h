// WASI preview 1 host: the public API the command line (and tests) use.
//
//   wasi::WasiConfig config;
//   config.args = {"prog.wasm", "x"};
//   config.env = {{"HOME", "/"}};
//   config.preopens = {{"/tmp/data", "/data"}};
//   WT_TRY_ASSIGN(auto ctx, wasi::WasiCtx::Create(std::move(config)));
//   WT_TRY(wasi::DefineWasi(linker, store, *ctx));   // wasi_snapshot_preview1 + wasi_unstable
//   ... instantiate, Invoke(_start) ...
//   if (r.trap && r.trap->code == TrapCode::kExit) status = *ctx->exit_code();
//
// proc_exit unwinds the guest with TrapCode::kExit (not an error: print nothing) and leaves
// the status in WasiCtx::exit_code(). A WasiCtx serves one instance at a time, on one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/runtime.h"
#include "util/result.h"
#include "wasi/fd_table.h"
#include "wasm/types.h"

namespace wt::wasi {

inline constexpr std::string_view kPreview1Module = "wasi_snapshot_preview1";
inline constexpr std::string_view kUnstableModule = "wasi_unstable";

// What a bad guest pointer (out of bounds, or misaligned for its type) does. Either way it is
// detected before the call does anything on the host. (docs/wasi.md, "Guest memory".)
enum class BadPointerPolicy : uint8_t {
  kErrno,  // the call returns EFAULT (out of bounds) / EINVAL (misaligned): the default
  kTrap,   // the call traps: kMemoryOutOfBounds / kHostError (misaligned), as wasmtime >= 12
};

struct PreopenDir {
  std::string host_path;   // opened when the context is created
  std::string guest_path;  // the name fd_prestat_dir_name reports, e.g. "/" or "data"
};

struct WasiConfig {
  std::vector<std::string> args;                         // args[0] is the program name
  std::vector<std::pair<std::string, std::string>> env;  // NAME, VALUE
  std::vector<PreopenDir> preopens;                      // guest fds 3, 4, ... in this order
  // Host descriptors serving as the guest's fds 0, 1, 2 (not closed by the context; -1: none).
  int stdin_fd = 0;
  int stdout_fd = 1;
  int stderr_fd = 2;
  BadPointerPolicy bad_pointers = BadPointerPolicy::kErrno;
};

class WasiCtx {
 public:
  // Opens the preopened directories. Errors (kIo) name a directory that cannot be opened.
  static Result<std::unique_ptr<WasiCtx>> Create(WasiConfig config);
  ~WasiCtx();
  WasiCtx(const WasiCtx&) = delete;
  WasiCtx& operator=(const WasiCtx&) = delete;

  const WasiConfig& config() const { return config_; }
  FdTable& fds() { return fds_; }

  // The status the guest passed to proc_exit, once it has called it.
  std::optional<uint32_t> exit_code() const { return exit_code_; }
  void set_exit_code(uint32_t code) { exit_code_ = code; }

 private:
  explicit WasiCtx(WasiConfig config) : config_(std::move(config)) {}
  WasiConfig config_;
  FdTable fds_;
  std::optional<uint32_t> exit_code_;
};

// One WASI function: its import module and name, host entry point and type.
struct WasiFunction {
  std::string_view module;  // kPreview1Module or kUnstableModule
  std::string_view name;
  runtime::HostFn fn;
  wasm::FuncType type;
};

// Every function of both modules (preview 1 first).
std::span<const WasiFunction> WasiFunctions();
// One of them, or nullptr.
const WasiFunction* FindWasiFunction(std::string_view module, std::string_view name);

// Defines every function of wasi_snapshot_preview1 and wasi_unstable in `linker`, as host
// functions of `store` whose env is `ctx` (which must outlive the store's use of them).
Status DefineWasi(runtime::Linker& linker, runtime::Store& store, WasiCtx& ctx);

}  // namespace wt::wasi
