// What the JIT refuses, and with which message: the threads proposal, the legacy exception
// opcodes and custom page sizes decode and validate (3.0 preset) but are not compiled yet.
#include "jit/feature_check.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "jit/compiler.h"
#if defined(WTRUN_ISA_x64)
#include "jit/x64/masm_x64.h"
#endif
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
  // [exceptions] The legacy instructions and the 3.0 ones compile (docs/exceptions.md).
  // Before: "unsupported feature: legacy exceptions" / "unsupported feature: exceptions".
  EXPECT_EQ(LoadError("(module (func (try (do nop) (catch_all))))"), "ok");
  EXPECT_EQ(LoadError("(module (func try nop delegate 0))"), "ok");
  EXPECT_EQ(LoadError(R"((module (tag $e (param i32))
    (func (try (do (throw $e (i32.const 1))) (catch $e drop)))))"),
            "ok");
  EXPECT_EQ(LoadError(R"((module (tag $e)
    (func (block $h (try_table (catch_all $h) (throw $e))))))"),
            "ok");
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

TEST(FeatureCheck, V128ValuesCompile) {
  // v128 params, results, locals and globals are JIT values (kV128).
  EXPECT_EQ(LoadError(R"((module (global (mut v128) (v128.const i64x2 1 2))
    (func (export "f") (param i32 v128) (result v128 i32) (local v128)
      (local.get 1) (local.get 0))))"),
            "ok");
  auto j = JTypeOf(wasm::ValType::V128());
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(*j, JType::kV128);
  // Still refused: what is beyond Wasm 2.0 + relaxed SIMD.
  EXPECT_EQ(LoadError("(module (memory 1 1 shared))"), "unsupported feature: threads");
}

// The --simd-isa values (parsed on every host; the cap itself is the x64 Masm's).
TEST(FeatureCheck, ParseSimdIsa) {
  SimdIsa isa = SimdIsa::kAuto;
  EXPECT_TRUE(ParseSimdIsa("sse4.1", &isa));
  EXPECT_EQ(isa, SimdIsa::kSse41);
  EXPECT_TRUE(ParseSimdIsa("sse4.2", &isa));
  EXPECT_EQ(isa, SimdIsa::kSse42);
  EXPECT_TRUE(ParseSimdIsa("avx", &isa));
  EXPECT_EQ(isa, SimdIsa::kAvx);
  EXPECT_TRUE(ParseSimdIsa("avx2", &isa));
  EXPECT_EQ(isa, SimdIsa::kAvx2);
  EXPECT_TRUE(ParseSimdIsa("auto", &isa));
  EXPECT_EQ(isa, SimdIsa::kAuto);
  EXPECT_FALSE(ParseSimdIsa("avx512", &isa));
  EXPECT_FALSE(ParseSimdIsa("", &isa));
}

// [a64] The x86 CPU features and their cap (the x64 Masm is not built on aarch64 hosts).
#if defined(WTRUN_ISA_x64)
x64::CpuFeatures AllFeatures() {
  x64::CpuFeatures f;
  f.sse41 = f.popcnt = f.lzcnt = f.bmi1 = true;
  f.ssse3 = f.sse42 = f.avx = f.avx2 = f.fma = true;
  return f;
}

TEST(FeatureCheck, HostCpuFeatureChain) {
  x64::CpuFeatures f = x64::HostCpuFeatures();
  if (f.avx) {
    EXPECT_TRUE(f.sse42);
    EXPECT_TRUE(f.ssse3);
  }
  EXPECT_TRUE(!f.avx2 || f.avx);
  EXPECT_TRUE(!f.fma || f.avx2);
  EXPECT_TRUE(!f.sse42 || f.ssse3);
  EXPECT_TRUE(!f.ssse3 || f.sse41);
}

TEST(FeatureCheck, SimdIsaCap) {
  using x64::ApplySimdIsa;
  x64::CpuFeatures all = AllFeatures();
  auto check = [](const x64::CpuFeatures& f, bool sse42, bool avx, bool avx2, bool fma) {
    EXPECT_TRUE(f.sse41);
    EXPECT_TRUE(f.ssse3);
    EXPECT_EQ(f.sse42, sse42);
    EXPECT_EQ(f.avx, avx);
    EXPECT_EQ(f.avx2, avx2);
    EXPECT_EQ(f.fma, fma);
    // Scalar features are never capped.
    EXPECT_TRUE(f.popcnt);
    EXPECT_TRUE(f.lzcnt);
    EXPECT_TRUE(f.bmi1);
  };
  check(ApplySimdIsa(all, SimdIsa::kAuto), true, true, true, true);
  check(ApplySimdIsa(all, SimdIsa::kAvx2), true, true, true, true);
  check(ApplySimdIsa(all, SimdIsa::kAvx), true, true, false, false);
  check(ApplySimdIsa(all, SimdIsa::kSse42), true, false, false, false);
  check(ApplySimdIsa(all, SimdIsa::kSse41), false, false, false, false);
  // A cap above the host changes nothing.
  x64::CpuFeatures sse = ApplySimdIsa(all, SimdIsa::kSse42);
  check(ApplySimdIsa(sse, SimdIsa::kAvx2), true, false, false, false);

  SimdIsa isa = SimdIsa::kAuto;
  // An explicit cap wins over the environment.
  ASSERT_TRUE(x64::EffectiveSimdIsa(SimdIsa::kSse42, &isa));
  EXPECT_EQ(isa, SimdIsa::kSse42);
}

TEST(FeatureCheck, UnsupportedCpu) {
  x64::CpuFeatures f = AllFeatures();
  f.ssse3 = false;
  auto r = x64::CompileFeatures(f, SimdIsa::kSse41);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUnsupported);
  EXPECT_EQ(r.error().message, "unsupported cpu: the JIT needs SSE4.1 and SSSE3 (missing: ssse3)");
  f.sse41 = false;
  r = x64::CompileFeatures(f, SimdIsa::kSse41);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "unsupported cpu: the JIT needs SSE4.1 and SSSE3 (missing: sse4.1, ssse3)");
  f = AllFeatures();
  f.sse41 = false;
  r = x64::CompileFeatures(f, SimdIsa::kSse41);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "unsupported cpu: the JIT needs SSE4.1 and SSSE3 (missing: sse4.1)");
  f = AllFeatures();
  f.popcnt = false;
  r = x64::CompileFeatures(f, SimdIsa::kSse41);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "unsupported cpu: the JIT needs POPCNT");
  // A CPU with everything, capped.
  r = x64::CompileFeatures(AllFeatures(), SimdIsa::kAvx);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->avx);
  EXPECT_FALSE(r->avx2);
}

#endif  // WTRUN_ISA_x64

}  // namespace
}  // namespace wt::jit
