// What the JIT refuses, and with which message: the threads proposal, the legacy exception
// opcodes and custom page sizes decode and validate (3.0 preset) but are not compiled yet.
#include "jit/feature_check.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "jit/compiler.h"
#include "runtime/runtime.h"
#include "text/wat.h"
#include "wasm/reader.h"
#include "wasm/validator.h"

namespace wt::jit {
namespace {

// The error of decoding, validating and compiling `wat` with the 3.0 preset, as the CLI and
// the wast runner do; "ok" when it loads.
std::string LoadError(std::string_view wat) {
  auto bytes = text::WatToBinary(wat, "feature.wat");
  if (!bytes.ok()) return "text: " + bytes.error().message;
  auto loaded = runtime::LoadModule(std::move(*bytes), wasm::Features::Wasm30());
  if (loaded.ok()) return "ok";
  return loaded.error().message;
}

// The same through jit::CompileModule on a module validated first.
Error CompileError(std::string_view wat) {
  auto bytes = text::WatToBinary(wat, "feature.wat");
  if (!bytes.ok()) return bytes.error();
  auto m = wasm::ReadModule(std::move(*bytes));
  if (!m.ok()) return m.error();
  if (Status v = wasm::ValidateModule(*m); !v.ok()) return v.error();
  auto c = CompileModule(*m);
  EXPECT_FALSE(c.ok());
  return c.ok() ? Error{} : c.error();
}

TEST(FeatureCheck, SharedMemoryIsThreads) {
  // Before: "malformed limits flags" from the reader.
  EXPECT_EQ(LoadError("(module (memory 1 1 shared))"), "unsupported feature: threads");
  Error e = CompileError("(module (memory 1 1 shared))");
  EXPECT_EQ(e.kind, ErrorKind::kUnsupported);
  EXPECT_EQ(e.message, "unsupported feature: threads");
}

TEST(FeatureCheck, AtomicsAreThreads) {
  // On an unshared memory the module passes the module-level checks; the instruction is
  // refused when compiled. Before: "illegal opcode fe".
  const char* wat = R"((module (memory 1)
    (func (export "f") (result i32) (i32.atomic.load (i32.const 0)))))";
  EXPECT_EQ(LoadError(wat), "unsupported feature: threads");
  Error e = CompileError(wat);
  EXPECT_EQ(e.kind, ErrorKind::kUnsupported);
  EXPECT_EQ(e.message, "unsupported feature: threads");
  EXPECT_EQ(LoadError("(module (func atomic.fence))"), "unsupported feature: threads");
}

TEST(FeatureCheck, LegacyExceptions) {
  // Without tags: refused at the instruction. Before: "illegal opcode 06".
  EXPECT_EQ(LoadError("(module (func (try (do nop) (catch_all))))"),
            "unsupported feature: legacy exceptions");
  EXPECT_EQ(CompileError("(module (func try nop delegate 0))").message,
            "unsupported feature: legacy exceptions");
  // With tags (as LLVM emits for C++ exceptions): the module-level check names what the code
  // needs.
  EXPECT_EQ(LoadError(R"((module (tag $e (param i32))
    (func (try (do (throw $e (i32.const 1))) (catch $e drop)))))"),
            "unsupported feature: legacy exceptions");
  // The 3.0 exception instructions stay "exceptions".
  EXPECT_EQ(LoadError(R"((module (tag $e)
    (func (block $h (try_table (catch_all $h) (throw $e))))))"),
            "unsupported feature: exceptions");
}

TEST(FeatureCheck, CustomPageSizes) {
  // 1-byte pages decode and validate, the JIT refuses them at the module check. Before:
  // "malformed limits flags" from the reader.
  EXPECT_EQ(LoadError("(module (memory 1 (pagesize 1)))"),
            "unsupported feature: custom page sizes");
  EXPECT_EQ(LoadError(R"((module (import "m" "mem" (memory 0 (pagesize 1)))))"),
            "unsupported feature: custom page sizes");
  Error e = CompileError("(module (memory 1 (pagesize 1)))");
  EXPECT_EQ(e.kind, ErrorKind::kUnsupported);
  EXPECT_EQ(e.message, "unsupported feature: custom page sizes");
  // 64 KiB given explicitly is the default page size: compiled.
  EXPECT_EQ(LoadError(R"((module (memory 1 (pagesize 65536))
    (func (export "size") (result i32) memory.size)))"),
            "ok");
}

TEST(FeatureCheck, MessageNames) {
  EXPECT_EQ(UnsupportedFeatureError(wasm::Feature::kCustomPageSizes).message,
            "unsupported feature: custom page sizes");
  EXPECT_EQ(UnsupportedFeatureError(wasm::Feature::kThreads).message,
            "unsupported feature: threads");
  EXPECT_EQ(UnsupportedFeatureError(wasm::Feature::kLegacyExceptions).message,
            "unsupported feature: legacy exceptions");
  EXPECT_EQ(UnsupportedFeatureError(wasm::Feature::kSimd).message, "unsupported feature: simd");
  EXPECT_EQ(UnsupportedFeatureError(wasm::Feature::kSimd).kind, ErrorKind::kUnsupported);
}

}  // namespace
}  // namespace wt::jit
