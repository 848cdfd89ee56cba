// The import tables of wasi_snapshot_preview1 and wasi_unstable, the adapter from the host
// function ABI (vmctx.h) to the implementations in host.h, and DefineWasi.
//
// Each function's wasm type is derived from its C++ signature (u32 -> i32, u64 -> i64, result
// i32 errno), so a table entry cannot disagree with the implementation.
#include <utility>
#include <vector>

#include "runtime/interrupt.h"
#include "runtime/trap/trap.h"
#include "wasi/host.h"

namespace wt::wasi {
namespace {

using host::Call;
using runtime::TrapCode;
using runtime::ValueSlot;
using runtime::VMContext;

template <typename T>
struct Param;
template <>
struct Param<uint32_t> {
  static wasm::ValType Type() { return wasm::ValType::I32(); }
  static uint32_t Get(const ValueSlot& s) { return s.i32; }
};
template <>
struct Param<uint64_t> {
  static wasm::ValType Type() { return wasm::ValType::I64(); }
  static uint64_t Get(const ValueSlot& s) { return s.i64; }
};

constexpr uint32_t TrapResult(TrapCode code) {
  return 1 + static_cast<uint32_t>(code);
}

// The call's view of the caller: its memory 0 and its store's --timeout deadline.
Call MakeCall(WasiCtx& ctx, const VMContext* caller) {
  Call call{ctx, GuestMemory::Of(caller)};
  if (caller != nullptr && caller->store_ctx != nullptr &&
      caller->store_ctx->epoch_deadline != runtime::kNoEpochDeadline) {
    call.deadline = runtime::EpochTime(caller->store_ctx->epoch_deadline);
  }
  return call;
}

// Stores the errno result, or traps: "interrupt" when the deadline stopped a wait, or for a
// bad guest pointer when the context's policy says so.
uint32_t Finish(const WasiCtx& ctx, const Call& call, Errno e, ValueSlot* args) {
  const GuestMemory& mem = call.mem;
  if (call.interrupted) return TrapResult(TrapCode::kInterrupt);
  if (!mem.ok()) {
    bool oob = mem.fault() == GuestFault::kOutOfBounds;
    if (ctx.config().bad_pointers == BadPointerPolicy::kTrap) {
      return TrapResult(oob ? TrapCode::kMemoryOutOfBounds : TrapCode::kHostError);
    }
    e = oob ? Errno::kFault : Errno::kInval;
  }
  args[0].i32 = static_cast<uint32_t>(e);
  return 0;
}

template <auto Fn>
struct Adapter;

template <typename... A, Errno (*Fn)(Call&, A...)>
struct Adapter<Fn> {
  static uint32_t Invoke(void* env, VMContext* caller, ValueSlot* args) noexcept {
    return Dispatch(env, caller, args, std::index_sequence_for<A...>{});
  }
  static wasm::FuncType Type() {
    return wasm::FuncType{{Param<A>::Type()...}, {wasm::ValType::I32()}};
  }

 private:
  template <size_t... I>
  static uint32_t Dispatch(void* env, VMContext* caller, ValueSlot* args,
                           std::index_sequence<I...>) {
    auto& ctx = *static_cast<WasiCtx*>(env);
    Call call = MakeCall(ctx, caller);
    // The parameters are read before the result overwrites args[0].
    Errno e = Fn(call, Param<A>::Get(args[I])...);
    return Finish(ctx, call, e, args);
  }
};

// proc_exit(code): records the status and unwinds the guest (not an error).
uint32_t ProcExit(void* env, VMContext* /*caller*/, ValueSlot* args) noexcept {
  static_cast<WasiCtx*>(env)->set_exit_code(args[0].i32);
  return TrapResult(TrapCode::kExit);
}

template <auto Fn>
WasiFunction Entry(std::string_view module, std::string_view name) {
  return WasiFunction{module, name, &Adapter<Fn>::Invoke, Adapter<Fn>::Type()};
}

// Functions whose signature and meaning are the same in both modules.
#define WT_WASI_COMMON(X)                                  \
  X("args_get", host::ArgsGet)                             \
  X("args_sizes_get", host::ArgsSizesGet)                  \
  X("environ_get", host::EnvironGet)                       \
  X("environ_sizes_get", host::EnvironSizesGet)            \
  X("clock_res_get", host::ClockResGet)                    \
  X("clock_time_get", host::ClockTimeGet)                  \
  X("fd_advise", host::FdAdvise)                           \
  X("fd_allocate", host::FdAllocate)                       \
  X("fd_close", host::FdClose)                             \
  X("fd_datasync", host::FdDatasync)                       \
  X("fd_fdstat_get", host::FdFdstatGet)                    \
  X("fd_fdstat_set_flags", host::FdFdstatSetFlags)         \
  X("fd_fdstat_set_rights", host::FdFdstatSetRights)       \
  X("fd_filestat_set_size", host::FdFilestatSetSize)       \
  X("fd_filestat_set_times", host::FdFilestatSetTimes)     \
  X("fd_pread", host::FdPread)                             \
  X("fd_prestat_get", host::FdPrestatGet)                  \
  X("fd_prestat_dir_name", host::FdPrestatDirName)         \
  X("fd_pwrite", host::FdPwrite)                           \
  X("fd_read", host::FdRead)                               \
  X("fd_readdir", host::FdReaddir)                         \
  X("fd_renumber", host::FdRenumber)                       \
  X("fd_sync", host::FdSync)                               \
  X("fd_tell", host::FdTell)                               \
  X("fd_write", host::FdWrite)                             \
  X("path_create_directory", host::PathCreateDirectory)    \
  X("path_filestat_set_times", host::PathFilestatSetTimes) \
  X("path_link", host::PathLink)                           \
  X("path_open", host::PathOpen)                           \
  X("path_readlink", host::PathReadlink)                   \
  X("path_remove_directory", host::PathRemoveDirectory)    \
  X("path_rename", host::PathRename)                       \
  X("path_symlink", host::PathSymlink)                     \
  X("path_unlink_file", host::PathUnlinkFile)              \
  X("proc_raise", host::ProcRaise)                         \
  X("sched_yield", host::SchedYield)                       \
  X("random_get", host::RandomGet)                         \
  X("sock_recv", host::SockRecv)                           \
  X("sock_send", host::SockSend)                           \
  X("sock_shutdown", host::SockShutdown)

std::vector<WasiFunction> BuildTable() {
  std::vector<WasiFunction> t;
  auto exit_type = wasm::FuncType{{wasm::ValType::I32()}, {}};
  // wasi_snapshot_preview1
#define WT_P1(name, fn) t.push_back(Entry<&fn>(kPreview1Module, name));
  WT_WASI_COMMON(WT_P1)
  WT_P1("fd_seek", host::FdSeek)
  WT_P1("fd_filestat_get", host::FdFilestatGet)
  WT_P1("path_filestat_get", host::PathFilestatGet)
  WT_P1("poll_oneoff", host::PollOneoff)
  WT_P1("sock_accept", host::SockAccept)
#undef WT_P1
  t.push_back(WasiFunction{kPreview1Module, "proc_exit", &ProcExit, exit_type});
  // wasi_unstable: the same functions, with its own whence numbering, filestat layout
  // (u32 nlink) and clock subscription layout; it has no sock_accept.
#define WT_P0(name, fn) t.push_back(Entry<&fn>(kUnstableModule, name));
  WT_WASI_COMMON(WT_P0)
  WT_P0("fd_seek", host::FdSeekUnstable)
  WT_P0("fd_filestat_get", host::FdFilestatGetUnstable)
  WT_P0("path_filestat_get", host::PathFilestatGetUnstable)
  WT_P0("poll_oneoff", host::PollOneoffUnstable)
#undef WT_P0
  t.push_back(WasiFunction{kUnstableModule, "proc_exit", &ProcExit, exit_type});
  return t;
}

}  // namespace

std::span<const WasiFunction> WasiFunctions() {
  static const std::vector<WasiFunction>* table = new std::vector<WasiFunction>(BuildTable());
  return *table;
}

const WasiFunction* FindWasiFunction(std::string_view module, std::string_view name) {
  for (const WasiFunction& f : WasiFunctions()) {
    if (f.module == module && f.name == name) return &f;
  }
  return nullptr;
}

Status DefineWasi(runtime::Linker& linker, runtime::Store& store, WasiCtx& ctx) {
  for (const WasiFunction& f : WasiFunctions()) {
    runtime::Func* fn = store.NewHostFunc(f.type, f.fn, &ctx);
    if (fn == nullptr) {
      return MakeError(ErrorKind::kUnsupported, "cannot create the host function {}::{}", f.module,
                       f.name);
    }
    linker.Define(f.module, f.name, runtime::Extern(fn));
  }
  return Ok();
}

}  // namespace wt::wasi
