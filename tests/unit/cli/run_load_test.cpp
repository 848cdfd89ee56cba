// `wtrun FILE` validates the bodies while compiling them (runtime::LoadModule, unvalidated):
// the errors and their precedence stay those of a separate validation before compiling.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "cli_test_util.h"

namespace wt::cli {
namespace {

namespace fs = std::filesystem;

// `compile` still validates with wasm::ValidateModule: `run` must say the same.
TEST(RunLoad, InvalidModulesSameErrorAsCompile) {
  TempDir dir;
  std::vector<std::string> files = {
      dir.Write("body.wat", "(module (func (export \"_start\")) (func (result i32) i64.const 0))"),
      dir.Write("decl.wat", "(module (func (export \"_start\")) (export \"x\" (func 7)))"),
      dir.Write("dead.wat", "(module (func (export \"_start\") unreachable (local.get 3) drop))"),
      dir.Write("trunc.wasm", std::string("\0asm\1\0\0\0\1\4\1\x60\0\0\3\2\1\0\n\4\1\2\0\1", 24)),
  };
  for (const std::string& f : files) {
    Outcome run = RunMain({"run", f});
    Outcome compile = RunMain({"compile", f});
    EXPECT_EQ(run.code, 1) << f;
    EXPECT_EQ(run.err, compile.err) << f;
    EXPECT_TRUE(run.err.find("invalid module") != std::string::npos ||
                run.err.find("malformed module") != std::string::npos)
        << run.err;
  }
}

TEST(RunLoad, InvalidBodyComesBeforeEntryPointChecks) {
  TempDir dir;
  std::string f =
      dir.Write("i.wat", "(module (func (export \"_start\") (drop (i32.eqz (f32.const 0)))))");
  Outcome o = RunMain({"run", "--invoke", "nope", f});
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("invalid module: type mismatch"), std::string::npos) << o.err;
}

TEST(RunLoad, CompileErrorComesAfterEntryPointChecks) {
  TempDir dir;
  // Atomics validate but the JIT does not support them.
  std::string f = dir.Write("s.wat",
                            "(module (memory 1) (func $f) (func (export \"_start\") (drop "
                            "(i32.atomic.load (i32.const 0)))))");
  Outcome missing = RunMain({"run", "--invoke", "nope", f});
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("no exported function `nope`"), std::string::npos) << missing.err;
  Outcome run = RunMain({"run", f});
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("unsupported feature: threads"), std::string::npos) << run.err;
  // An invalid body anywhere wins over the unsupported one.
  std::string both = dir.Write("b.wat",
                               "(module (memory 1) (func $f) (func (export \"_start\") "
                               "(drop (i32.atomic.load (i32.const 0)))) "
                               "(func (drop (i32.eqz (i64.const 0)))))");
  Outcome o = RunMain({"run", both});
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("invalid module: type mismatch"), std::string::npos) << o.err;
}

TEST(RunLoad, InvalidPreloadIsAnError) {
  TempDir dir;
  std::string main = dir.Write("m.wat", "(module (func (export \"_start\")))");
  std::string pre = dir.Write("p.wat", "(module (func (result i32) i64.const 0))");
  Outcome o = RunMain({"run", "--preload", "p=" + pre, main});
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err, RunMain({"compile", pre}).err);
}

}  // namespace
}  // namespace wt::cli
