// End to end with small WAT modules: WASI functions called from JIT-compiled wasm.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "runtime/runtime.h"
#include "text/wat.h"
#include "wasi_test_util.h"

namespace wt::wasi {
namespace {

class WasiE2ETest : public ::testing::Test {
 protected:
  WasiE2ETest() { EXPECT_EQ(::pipe(out_), 0); }
  ~WasiE2ETest() override {
    ::close(out_[0]);
    ::close(out_[1]);
  }

  // Instantiates `wat` with WASI (stdout = the pipe) and calls `_start`.
  runtime::InvokeResult Run(std::string_view wat, WasiConfig config = {}) {
    config.stdout_fd = out_[1];
    auto ctx = WasiCtx::Create(std::move(config));
    EXPECT_TRUE(ctx.ok());
    ctx_ = std::move(*ctx);
    EXPECT_TRUE(DefineWasi(linker_, store_, *ctx_).ok());
    auto bytes = text::WatToBinary(wat, "test.wat");
    EXPECT_TRUE(bytes.ok()) << bytes.error().ToString();
    auto loaded = runtime::LoadModule(std::move(*bytes), wasm::Features::Wasm20());
    EXPECT_TRUE(loaded.ok()) << loaded.error().ToString();
    auto inst = linker_.Instantiate(store_, *loaded);
    EXPECT_TRUE(inst.ok()) << inst.error().ToString();
    auto r = runtime::Invoke(store_, *(*inst)->GetFunc("_start"), {});
    EXPECT_TRUE(r.ok());
    return std::move(*r);
  }
  std::string Output() {
    ::close(out_[1]);
    out_[1] = ::open("/dev/null", O_WRONLY);
    std::string s;
    char buf[256];
    ssize_t n;
    while ((n = ::read(out_[0], buf, sizeof(buf))) > 0) s.append(buf, static_cast<size_t>(n));
    return s;
  }

  int out_[2];
  testing::TempDir dir_;
  runtime::Store store_;
  runtime::Linker linker_;
  std::unique_ptr<WasiCtx> ctx_;
};

TEST_F(WasiE2ETest, HelloWorld) {
  auto r = Run(R"((module
    (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 8) "hello, world\n")
    (func (export "_start")
      (i32.store (i32.const 0) (i32.const 8))
      (i32.store (i32.const 4) (i32.const 13))
      (if (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 100))
        (then unreachable)))))");
  EXPECT_FALSE(r.trap.has_value());
  EXPECT_EQ(Output(), "hello, world\n");
}

TEST_F(WasiE2ETest, ProcExitUnwindsAndKeepsTheStatus) {
  auto r = Run(R"((module
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (memory 1)
    (data (i32.const 8) "not reached")
    (func $deep (param i32)
      (if (local.get 0) (then (call $deep (i32.sub (local.get 0) (i32.const 1))) (return)))
      (call $exit (i32.const 7)))
    (func (export "_start")
      (call $deep (i32.const 100))
      (i32.store (i32.const 0) (i32.const 8))
      (i32.store (i32.const 4) (i32.const 11))
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 100))))))");
  ASSERT_TRUE(r.trap.has_value());
  EXPECT_EQ(r.trap->code, runtime::TrapCode::kExit);
  EXPECT_EQ(ctx_->exit_code(), std::optional<uint32_t>(7));
  EXPECT_EQ(Output(), "");
}

TEST_F(WasiE2ETest, ArgsAndI64ParamsThroughTheHostStub) {
  testing::TempDir dir;
  WasiConfig c = testing::PreopenConfig(dir);
  c.args = {"prog", "abc"};
  // Prints argv[1]; opens a file (two i64 rights parameters), seeks it to an offset above
  // 2^32 (an i64 parameter) and prints "!" if the new offset comes back exact.
  auto r = Run(R"((module
    (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "path_open"
      (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
    (memory 1)
    (data (i32.const 300) "file!")
    (func (export "_start")
      (drop (call $args_get (i32.const 0) (i32.const 64)))
      (i32.store (i32.const 16) (i32.load (i32.const 4)))
      (i32.store (i32.const 20) (i32.const 3))
      (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 32)))
      (if (call $path_open (i32.const 3) (i32.const 0) (i32.const 300) (i32.const 4)
                           (i32.const 1) (i64.const 0x1fffffff) (i64.const 0) (i32.const 0)
                           (i32.const 48))
        (then unreachable))
      (if (call $fd_seek (i32.load (i32.const 48)) (i64.const 0x100000005) (i32.const 0)
                         (i32.const 40))
        (then unreachable))
      (if (i64.eq (i64.load (i32.const 40)) (i64.const 0x100000005))
        (then
          (i32.store (i32.const 16) (i32.const 304))
          (i32.store (i32.const 20) (i32.const 1))
          (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 32))))))))",
               c);
  EXPECT_FALSE(r.trap.has_value());
  EXPECT_EQ(Output(), "abc!");
  EXPECT_TRUE(dir.Exists("file"));
}

TEST_F(WasiE2ETest, BadPointerFromWasmIsEfault) {
  // path_open with the path pointer outside memory (the case of issue 13): errno 21 comes
  // back to the guest, which stores it at 0 and returns normally.
  auto r = Run(R"((module
    (import "wasi_snapshot_preview1" "path_open"
      (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (func (export "_start")
      (i32.store (i32.const 0)
        (call $path_open (i32.const 3) (i32.const 0) (i32.const 70000) (i32.const 4)
                         (i32.const 1) (i64.const 0x1fffffff) (i64.const 0) (i32.const 0)
                         (i32.const 48)))
      (if (i32.ne (i32.load (i32.const 0)) (i32.const 21)) (then unreachable)))))",
               testing::PreopenConfig(dir_));
  EXPECT_FALSE(r.trap.has_value()) << runtime::TrapMessage(r.trap->code);
}

TEST_F(WasiE2ETest, BadPointerFromWasmTrapsUnderTheTrapPolicy) {
  WasiConfig c;
  c.bad_pointers = BadPointerPolicy::kTrap;
  auto r = Run(R"((module
    (import "wasi_snapshot_preview1" "random_get" (func $random (param i32 i32) (result i32)))
    (memory 1)
    (func (export "_start") (drop (call $random (i32.const 65530) (i32.const 7))))))",
               c);
  ASSERT_TRUE(r.trap.has_value());
  EXPECT_EQ(r.trap->code, runtime::TrapCode::kMemoryOutOfBounds);
}

TEST_F(WasiE2ETest, WasiUnstableModule) {
  auto r = Run(R"((module
    (import "wasi_unstable" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (memory 1)
    (data (i32.const 8) "old")
    (func (export "_start")
      (i32.store (i32.const 0) (i32.const 8))
      (i32.store (i32.const 4) (i32.const 3))
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 100))))))");
  EXPECT_FALSE(r.trap.has_value());
  EXPECT_EQ(Output(), "old");
}

}  // namespace
}  // namespace wt::wasi
