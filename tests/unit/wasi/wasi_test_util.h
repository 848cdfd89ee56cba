// Helpers for the WASI tests: a fake guest (a VMContext whose memory 0 is a buffer owned by
// the test) that calls the WASI host functions directly, and a scratch directory.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/interrupt.h"
#include "runtime/trap/trap.h"
#include "runtime/vmctx.h"
#include "wasi/abi.h"
#include "wasi/errno.h"
#include "wasi/wasi.h"

namespace wt::wasi::testing {

// A temporary directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "wtrun-wasi-XXXXXX").string();
    char* p = ::mkdtemp(tmpl.data());
    EXPECT_NE(p, nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    // Make everything writable again (tests may chmod), then remove.
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string operator/(std::string_view rel) const { return path_ + "/" + std::string(rel); }

  void WriteFile(std::string_view rel, std::string_view content) const {
    std::ofstream f(*this / rel, std::ios::binary);
    f << content;
  }
  std::string ReadFile(std::string_view rel) const {
    std::ifstream f(*this / rel, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
  }
  void Mkdir(std::string_view rel) const { ASSERT_EQ(::mkdir((*this / rel).c_str(), 0777), 0); }
  bool Exists(std::string_view rel) const {
    struct stat st;
    return ::lstat((*this / rel).c_str(), &st) == 0;
  }

 private:
  std::string path_;
};

// What a WASI call did: an errno, or a trap.
struct Outcome {
  bool trapped = false;
  runtime::TrapCode trap = runtime::TrapCode::kUnreachable;
  Errno err = Errno::kSuccess;

  bool ok() const { return !trapped && err == Errno::kSuccess; }
};
inline std::ostream& operator<<(std::ostream& os, const Outcome& o) {
  if (o.trapped) return os << "trap(" << runtime::TrapMessage(o.trap) << ")";
  return os << "errno " << ErrnoName(o.err);
}
inline bool operator==(const Outcome& o, Errno e) {
  return !o.trapped && o.err == e;
}

// A guest: linear memory (64 KiB by default) + a WASI context.
class Guest {
 public:
  explicit Guest(WasiConfig config = {}, size_t mem_size = 65536) : mem_(mem_size, 0) {
    data_.base = mem_.data();
    data_.size_bytes = mem_.size();
    mems_[0] = &data_;
    vm_.mem0_base = mem_.data();
    vm_.memories = mems_;
    auto ctx = WasiCtx::Create(std::move(config));
    EXPECT_TRUE(ctx.ok()) << (ctx.ok() ? "" : ctx.error().ToString());
    if (ctx.ok()) ctx_ = std::move(*ctx);
  }

  WasiCtx& ctx() { return *ctx_; }
  // Gives the guest's store a --timeout deadline `in` from now, as a store with
  // StoreOptions::timeout has (a host call made without one sees no store at all).
  void SetTimeout(std::chrono::nanoseconds in) {
    store_ctx_.epoch_counter = runtime::EpochCounter();
    store_ctx_.epoch_deadline = runtime::EpochOf(std::chrono::steady_clock::now() + in);
    vm_.store_ctx = &store_ctx_;
  }
  uint8_t* mem() { return mem_.data(); }
  uint32_t mem_size() const { return static_cast<uint32_t>(mem_.size()); }
  runtime::VMContext* vmctx() { return &vm_; }

  // Calls `module`.`name` with `args` (each an i32 or i64 per the function's type).
  Outcome CallIn(std::string_view module, std::string_view name,
                 std::initializer_list<uint64_t> args) {
    return CallArgs(module, name, std::vector<uint64_t>(args));
  }
  Outcome CallArgs(std::string_view module, std::string_view name,
                   const std::vector<uint64_t>& args) {
    const WasiFunction* f = FindWasiFunction(module, name);
    EXPECT_NE(f, nullptr) << name;
    if (f == nullptr) return Outcome{true, runtime::TrapCode::kHostError, Errno::kSuccess};
    EXPECT_EQ(args.size(), f->type.params.size()) << name;
    std::vector<runtime::ValueSlot> slots(std::max<size_t>(args.size(), 1));
    size_t i = 0;
    for (uint64_t a : args) {
      if (f->type.params[i].kind == wasm::ValKind::kI32) {
        slots[i].i64 = 0xDEADBEEF00000000ull | static_cast<uint32_t>(a);  // junk above i32
      } else {
        slots[i].i64 = a;
      }
      ++i;
    }
    uint32_t rc = f->fn(ctx_.get(), &vm_, slots.data());
    Outcome o;
    if (rc != 0) {
      o.trapped = true;
      o.trap = static_cast<runtime::TrapCode>(rc - 1);
    } else if (!f->type.results.empty()) {
      o.err = static_cast<Errno>(slots[0].i32);
    }
    return o;
  }
  Outcome Call(std::string_view name, std::initializer_list<uint64_t> args) {
    return CallIn(kPreview1Module, name, args);
  }

  // Memory helpers.
  void Put(uint32_t at, std::string_view bytes) {
    std::memcpy(mem() + at, bytes.data(), bytes.size());
  }
  std::string Get(uint32_t at, uint32_t len) {
    return std::string(reinterpret_cast<char*>(mem() + at), len);
  }
  template <typename T>
  void PutT(uint32_t at, T v) {
    std::memcpy(mem() + at, &v, sizeof(T));
  }
  template <typename T>
  T GetT(uint32_t at) {
    T v;
    std::memcpy(&v, mem() + at, sizeof(T));
    return v;
  }
  uint32_t U32(uint32_t at) { return GetT<uint32_t>(at); }
  uint64_t U64(uint32_t at) { return GetT<uint64_t>(at); }

  // Places `s` at `at` and returns its length (for path arguments).
  uint32_t Str(uint32_t at, std::string_view s) {
    Put(at, s);
    return static_cast<uint32_t>(s.size());
  }

  // path_open(dirfd, lookup, path, oflags, base, inheriting, fdflags) -> the new fd in *fd.
  Outcome Open(uint32_t dirfd, std::string_view path, uint32_t oflags = 0,
               uint64_t base = rights::kAll, uint32_t fdflags = 0, uint32_t lookup = 0,
               uint32_t* fd = nullptr, uint64_t inheriting = rights::kAll) {
    uint32_t len = Str(kPathArea, path);
    Outcome o = Call("path_open",
                     {dirfd, lookup, kPathArea, len, oflags, base, inheriting, fdflags, kOutArea});
    if (fd != nullptr) *fd = U32(kOutArea);
    return o;
  }
  // fd_write of one buffer; *n gets the count.
  Outcome Write(uint32_t fd, std::string_view data, uint32_t* n = nullptr) {
    Put(kDataArea, data);
    PutT<uint32_t>(kIovArea, kDataArea);
    PutT<uint32_t>(kIovArea + 4, static_cast<uint32_t>(data.size()));
    Outcome o = Call("fd_write", {fd, kIovArea, 1, kOutArea});
    if (n != nullptr) *n = U32(kOutArea);
    return o;
  }
  // fd_read into one buffer of `cap` bytes; returns what was read in *out.
  Outcome Read(uint32_t fd, uint32_t cap, std::string* out) {
    PutT<uint32_t>(kIovArea, kDataArea);
    PutT<uint32_t>(kIovArea + 4, cap);
    Outcome o = Call("fd_read", {fd, kIovArea, 1, kOutArea});
    if (o.ok()) *out = Get(kDataArea, U32(kOutArea));
    return o;
  }
  // path_* operations taking (fd, path).
  Outcome PathOp(std::string_view fn, uint32_t dirfd, std::string_view path) {
    uint32_t len = Str(kPathArea, path);
    return Call(fn, {dirfd, kPathArea, len});
  }
  // path_filestat_get -> filetype in *type.
  Outcome Stat(uint32_t dirfd, std::string_view path, uint32_t lookup = 0,
               Filetype* type = nullptr) {
    uint32_t len = Str(kPathArea, path);
    Outcome o = Call("path_filestat_get", {dirfd, lookup, kPathArea, len, kStatArea});
    if (type != nullptr) *type = static_cast<Filetype>(mem()[kStatArea + 16]);
    return o;
  }
  Outcome Symlink(std::string_view target, uint32_t dirfd, std::string_view name) {
    uint32_t tlen = Str(kPathArea, target);
    uint32_t nlen = Str(kPath2Area, name);
    return Call("path_symlink", {kPathArea, tlen, dirfd, kPath2Area, nlen});
  }

  // Scratch areas inside the 64 KiB memory.
  static constexpr uint32_t kPathArea = 0x1000;
  static constexpr uint32_t kPath2Area = 0x2000;
  static constexpr uint32_t kIovArea = 0x3000;
  static constexpr uint32_t kOutArea = 0x3100;
  static constexpr uint32_t kStatArea = 0x3200;
  static constexpr uint32_t kDataArea = 0x4000;  // up to 0x8000

 private:
  std::vector<uint8_t> mem_;
  runtime::MemoryData data_{};
  runtime::MemoryData* mems_[1] = {nullptr};
  runtime::VMContext vm_{};
  runtime::VMStoreContext store_ctx_{};
  std::unique_ptr<WasiCtx> ctx_;
};

// A guest with `dir` preopened as "/" (fd 3), stdio from the host.
inline WasiConfig PreopenConfig(const TempDir& dir, std::string guest = "/") {
  WasiConfig c;
  c.args = {"prog"};
  c.preopens.push_back({dir.path(), std::move(guest)});
  return c;
}

inline constexpr uint32_t kPreopenFd = 3;

// prefix + decimal n (without std::string operator+, which trips a GCC 12 -Wrestrict bug).
inline std::string Numbered(const char* prefix, int n) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%s%d", prefix, n);
  return buf;
}

}  // namespace wt::wasi::testing
