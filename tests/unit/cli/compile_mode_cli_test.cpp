// [lazy] The CLI's compile options: --compile eager|lazy (run, --invoke, wast; wast also
// cwasm) with WTRUN_COMPILE when the flag is absent, --compile-threads, --allow-precompiled,
// and `wtrun compile`'s -o, --fuel-checks and --interrupt-checks.
#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "cli/run_options.h"
#include "cli/run_support.h"
#include "cli_test_util.h"
#include "runtime/runtime.h"
#include "text/wat.h"
#include "wasm/reader.h"
#include "wast/engine.h"

namespace wt::cli {
namespace {

size_t Lines(const std::string& s) {
  return static_cast<size_t>(std::count(s.begin(), s.end(), '\n'));
}

// Sets (or unsets, for nullopt) WTRUN_COMPILE for the scope, restoring the caller's value.
// No module is loaded while it is set: runtime::LoadModule reads the variable once per process
// (it overrides CompileOptions::mode there), so a value set here would reach every later test.
class ScopedCompileEnv {
 public:
  explicit ScopedCompileEnv(std::optional<std::string> value) {
    if (const char* old = std::getenv("WTRUN_COMPILE")) old_ = old;
    if (value) {
      setenv("WTRUN_COMPILE", value->c_str(), 1);
    } else {
      unsetenv("WTRUN_COMPILE");
    }
  }
  ~ScopedCompileEnv() {
    if (old_) {
      setenv("WTRUN_COMPILE", old_->c_str(), 1);
    } else {
      unsetenv("WTRUN_COMPILE");
    }
  }
  ScopedCompileEnv(const ScopedCompileEnv&) = delete;
  ScopedCompileEnv& operator=(const ScopedCompileEnv&) = delete;

 private:
  std::optional<std::string> old_;
};

constexpr CompileChoice kDefaultChoice =
    kCompileEagerByDefault ? CompileChoice::kEager : CompileChoice::kLazy;

TEST(CompileModeOption, FlagThenEnvironmentThenDefault) {
  ScopedCompileEnv none(std::nullopt);
  EXPECT_EQ(*ResolveCompileChoice("eager", false), CompileChoice::kEager);
  EXPECT_EQ(*ResolveCompileChoice("lazy", false), CompileChoice::kLazy);
  EXPECT_EQ(*ResolveCompileChoice("cwasm", true), CompileChoice::kCwasm);
  EXPECT_EQ(*ResolveCompileChoice("", false), kDefaultChoice);
  {
    ScopedCompileEnv empty("");  // set but empty: as unset
    EXPECT_EQ(*ResolveCompileChoice("", true), kDefaultChoice);
  }
  for (const char* env : {"eager", "lazy"}) {
    ScopedCompileEnv e(env);
    CompileChoice want = std::string(env) == "lazy" ? CompileChoice::kLazy : CompileChoice::kEager;
    EXPECT_EQ(*ResolveCompileChoice("", false), want) << env;
    // The flag wins over the variable.
    EXPECT_EQ(*ResolveCompileChoice("eager", false), CompileChoice::kEager) << env;
    EXPECT_EQ(*ResolveCompileChoice("lazy", false), CompileChoice::kLazy) << env;
  }
}

TEST(CompileModeOption, BadValuesNameTheOptionOrTheVariable) {
  ScopedCompileEnv none(std::nullopt);
  auto r = ResolveCompileChoice("fast", false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(r.error().message, "--compile: unknown value 'fast' (expected eager or lazy)");
  r = ResolveCompileChoice("cwasm", false);  // run has no cwasm mode
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "--compile: unknown value 'cwasm' (expected eager or lazy)");
  r = ResolveCompileChoice("Lazy", true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "--compile: unknown value 'Lazy' (expected eager, lazy or cwasm)");
  ScopedCompileEnv bad("cwasm");  // the variable takes eager or lazy only, even for wast
  r = ResolveCompileChoice("", true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "WTRUN_COMPILE: unknown value 'cwasm' (expected eager or lazy)");
  EXPECT_EQ(*ResolveCompileChoice("eager", true), CompileChoice::kEager);  // flag given: unread
}

TEST(CompileModeOption, FinishRunOptionsResolvesModeAndThreads) {
  ScopedCompileEnv none(std::nullopt);
  RunCommandOptions o;
  EXPECT_TRUE(o.compile_eager);  // a default-constructed value: the library's default
  RawRunOptions raw;
  ASSERT_TRUE(FinishRunOptions(raw, &o).ok());
  EXPECT_EQ(o.compile_eager, kCompileEagerByDefault);
  EXPECT_FALSE(o.compile_threads.has_value());
  raw.compile = "lazy";
  raw.compile_threads = "3";
  ASSERT_TRUE(FinishRunOptions(raw, &o).ok());
  EXPECT_FALSE(o.compile_eager);
  EXPECT_EQ(o.compile_threads, 3u);
  raw.compile = "eager";
  ASSERT_TRUE(FinishRunOptions(raw, &o).ok());
  EXPECT_TRUE(o.compile_eager);
  {
    ScopedCompileEnv lazy("lazy");
    RawRunOptions plain;
    ASSERT_TRUE(FinishRunOptions(plain, &o).ok());
    EXPECT_FALSE(o.compile_eager);
  }
  for (const char* threads : {"x", "-1", "257", "2k"}) {
    RawRunOptions bad;
    bad.compile_threads = threads;
    Status s = FinishRunOptions(bad, &o);
    ASSERT_FALSE(s.ok()) << threads;
    EXPECT_EQ(s.error().message.rfind("--compile-threads: ", 0), 0u) << s.error().message;
  }
  RawRunOptions bad;
  bad.compile = "none";
  Status s = FinishRunOptions(bad, &o);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "--compile: unknown value 'none' (expected eager or lazy)");
}

TEST(CompileModeOption, MakeCompileOptionsSetsModeJobsAndBackgroundThreads) {
  const wasm::Features f = wasm::Features::Wasm20();
  RunCommandOptions o;  // eager, no --compile-threads: jobs as before (0: all cores)
  jit::CompileOptions c = MakeCompileOptions(f, o);
  EXPECT_EQ(c.mode, jit::CompileMode::kEager);
  EXPECT_EQ(c.jobs, 0u);
  EXPECT_EQ(c.background_jobs, 0u);
  o.compile_threads = 1;
  c = MakeCompileOptions(f, o);
  EXPECT_EQ(c.jobs, 1u);
  EXPECT_EQ(c.background_jobs, 0u);

  o.compile_eager = false;
  o.compile_threads.reset();
  c = MakeCompileOptions(f, o);
  EXPECT_EQ(c.mode, jit::CompileMode::kLazy);
  EXPECT_EQ(c.jobs, 0u);
  EXPECT_EQ(c.background_jobs, DefaultLazyCompileThreads());
  o.compile_threads = 0;  // lazy: no background compilation
  c = MakeCompileOptions(f, o);
  EXPECT_EQ(c.background_jobs, 0u);
  o.compile_threads = 7;
  c = MakeCompileOptions(f, o);
  EXPECT_EQ(c.background_jobs, 7u);
  EXPECT_EQ(c.jobs, 0u);

  unsigned cores = std::thread::hardware_concurrency();
  uint32_t want = cores <= 1 ? 0 : std::min(cores - 1, 4u);
  EXPECT_EQ(DefaultLazyCompileThreads(), want);
  EXPECT_LE(DefaultLazyCompileThreads(), 4u);
}

TEST(CompileModeCli, BadValueIsAOneLineUsageError) {
  ScopedCompileEnv none(std::nullopt);
  TempDir dir;
  std::string m = dir.Write("m.wat", "(module (func (export \"f\") (result i32) (i32.const 7)))");
  std::string w = dir.Write("w.wast", "(module)\n");
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--compile=fast", m},
                                               {"--compile", "lazier", "--invoke", "f", m},
                                               {"run", "--compile", "cwasm", m},
                                               {"--compile-threads", "many", m},
                                               {"run", "--compile-threads=1000", m},
                                               {"wast", "--compile", "jit", w}}) {
    Outcome o = RunMain(args);
    EXPECT_EQ(o.code, 2) << testing::PrintToString(args);
    EXPECT_EQ(Lines(o.err), 1u) << o.err;
    EXPECT_EQ(o.err.rfind("wtrun: error: ", 0), 0u) << o.err;
    EXPECT_NE(o.err.find("--compile"), std::string::npos) << o.err;
    EXPECT_EQ(o.out, "");
  }
  ScopedCompileEnv bad("sometimes");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--invoke", "f", m}, {"wast", w}}) {
    Outcome o = RunMain(args);
    EXPECT_EQ(o.code, 2) << testing::PrintToString(args);
    EXPECT_EQ(Lines(o.err), 1u) << o.err;
    EXPECT_NE(o.err.find("WTRUN_COMPILE: unknown value 'sometimes'"), std::string::npos) << o.err;
  }
}

TEST(CompileModeCli, EagerRunsAndInvokes) {
  ScopedCompileEnv none(std::nullopt);
  TempDir dir;
  std::string m = dir.Write("m.wat",
                            "(module (func (export \"f\") (param i32) (result i32)"
                            " (i32.mul (local.get 0) (i32.const 6))))");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--compile", "eager", "--invoke", "f", m, "7"},
        {"--compile=eager", "--compile-threads", "1", "--invoke", "f", m, "7"},
        {"run", "--compile", "eager", "--compile-threads=2", "--invoke", "f", m, "7"},
        {"--allow-precompiled", "--compile", "eager", "--invoke", "f", m, "7"}}) {
    Outcome o = RunMain(args);
    EXPECT_EQ(o.code, 0) << testing::PrintToString(args) << o.err;
    EXPECT_EQ(o.out, "42\n");
  }
}

TEST(CompileModeCli, FlagWinsOverTheVariableInLoadModule) {
  // runtime::LoadModule lets WTRUN_COMPILE override the mode it is given; the CLI unsets the
  // variable when --compile is given, so the flag decides. (LoadModule reads the variable once
  // per process: this checks something when it is the process's first load, as under ctest.)
  TempDir dir;
  std::string m = dir.Write("m.wat", "(module (func (export \"f\") (result i32) (i32.const 7)))");
  std::string w = dir.Write("w.wast",
                            "(module (func (export \"f\") (result i32) (i32.const 7)))\n"
                            "(assert_return (invoke \"f\") (i32.const 7))\n");
  {
    ScopedCompileEnv lazy("lazy");
    Outcome o = RunMain({"--compile", "eager", "--invoke", "f", m});
    EXPECT_EQ(o.code, 0) << o.err;
    EXPECT_EQ(o.out, "7\n");
    EXPECT_EQ(std::getenv("WTRUN_COMPILE"), nullptr);
  }
  {
    ScopedCompileEnv lazy("lazy");
    Outcome o = RunMain({"wast", "--compile", "eager", w});
    EXPECT_EQ(o.code, 0) << o.err << o.out;
    EXPECT_EQ(std::getenv("WTRUN_COMPILE"), nullptr);
  }
  ScopedCompileEnv lazy("lazy");  // no flag: the variable stays (it is the mode)
  EXPECT_EQ(*ResolveCompileChoice("", false), CompileChoice::kLazy);
  Outcome o = RunMain({"--compile-threads", "x", m});  // a usage error: nothing loaded
  EXPECT_EQ(o.code, 2);
  ASSERT_NE(std::getenv("WTRUN_COMPILE"), nullptr);
  EXPECT_STREQ(std::getenv("WTRUN_COMPILE"), "lazy");
}

TEST(CompileModeCli, HintNamesCompileOptionsAfterFile) {
  ScopedCompileEnv none(std::nullopt);
  TempDir dir;
  // Exits with status 1 whatever its arguments: the run fails, so the hint is printed.
  std::string guest = dir.Write("g.wat",
                                "(module (import \"wasi_snapshot_preview1\" \"proc_exit\""
                                " (func $exit (param i32))) (memory (export \"memory\") 1)"
                                " (func (export \"_start\") (call $exit (i32.const 1))))");
  for (const char* opt : {"--compile", "--compile-threads", "--allow-precompiled"}) {
    Outcome o = RunMain({"--compile=eager", guest, opt, "1"});
    EXPECT_EQ(o.code, 1) << opt << o.err;
    EXPECT_NE(o.err.find(std::string("wtrun: hint: ") + opt + " came after FILE"),
              std::string::npos)
        << opt << ": " << o.err;
  }
}

TEST(CompileModeCli, HelpListsTheOptions) {
  Outcome o = RunMain({"help", "run"});
  EXPECT_EQ(o.code, 0);
  for (const char* want :
       {"--compile MODE", "eager (all at load) or lazy (each at its first call)", "$WTRUN_COMPILE",
        "--compile-threads N", "--allow-precompiled", ".cwasm artifact"}) {
    EXPECT_NE(o.out.find(want), std::string::npos) << want << "\n" << o.out;
  }
  EXPECT_NE(o.out.find(kCompileEagerByDefault ? "else eager)" : "else lazy)"), std::string::npos)
      << o.out;
  o = RunMain({"--help"});  // the main command takes the run options too
  EXPECT_NE(o.out.find("--compile-threads"), std::string::npos) << o.out;
  o = RunMain({"help", "wast"});
  EXPECT_EQ(o.code, 0);
  EXPECT_NE(o.out.find("--compile MODE"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("cwasm"), std::string::npos) << o.out;
  o = RunMain({"help", "compile"});
  EXPECT_EQ(o.code, 0);
  for (const char* want : {"-o FILE", "--fuel-checks", "--interrupt-checks"}) {
    EXPECT_NE(o.out.find(want), std::string::npos) << want << "\n" << o.out;
  }
}

TEST(CompileModeCli, CompileModeIsARunOptionBeforeOtherCommands) {
  ScopedCompileEnv none(std::nullopt);
  TempDir dir;
  std::string m = dir.Write("m.wat", "(module)");
  Outcome o = RunMain({"--compile", "eager", "compile", m});
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("--compile before 'compile' is an option of run"), std::string::npos)
      << o.err;
  o = RunMain({"compile", "--compile", "eager", m});  // not an option of compile (always eager)
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(Lines(o.err), 1u) << o.err;
}

TEST(CompileModeCli, WastTakesTheMode) {
  ScopedCompileEnv none(std::nullopt);
  TempDir dir;
  std::string w = dir.Write("w.wast",
                            "(module (func (export \"f\") (result i32) (i32.const 7)))\n"
                            "(assert_return (invoke \"f\") (i32.const 7))\n");
  Outcome o = RunMain({"wast", "--compile", "eager", w});
  EXPECT_EQ(o.code, 0) << o.err << o.out;
  EXPECT_NE(o.out.find("2 passed, 0 failed"), std::string::npos) << o.out;
  // --compile cwasm: every module through an in-memory artifact; a trap from the loaded code.
  std::string t =
      dir.Write("t.wast",
                "(module (func (export \"d\") (param i32) (result i32)"
                " (i32.div_u (i32.const 7) (local.get 0))))\n"
                "(assert_return (invoke \"d\" (i32.const 7)) (i32.const 1))\n"
                "(assert_trap (invoke \"d\" (i32.const 0)) \"integer divide by zero\")\n");
  o = RunMain({"wast", "--compile", "cwasm", w, t});
  EXPECT_EQ(o.code, 0) << o.err << o.out;
  EXPECT_NE(o.out.find("5 passed, 0 failed"), std::string::npos) << o.out;
}

TEST(CompileModeWast, EngineCompilesInTheGivenMode) {
  // wast::RunOptions::compile_mode reaches runtime::LoadModule through wast::Engine: a lazily
  // loaded module has a LazyModule, an eagerly loaded one has none.
  auto bytes = text::WatToBinary("(module (func (export \"f\") (result i32) (i32.const 7)))", "m");
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  for (jit::CompileMode mode : {jit::CompileMode::kEager, jit::CompileMode::kLazy}) {
    auto module = wasm::ReadModule(*bytes);
    ASSERT_TRUE(module.ok());
    wast::Engine engine(wasm::Features::Wasm30(), runtime::StoreOptions{}, jit::SimdIsa::kAuto,
                        mode);
    auto loaded = engine.Compile(std::move(module).value());
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    EXPECT_EQ((*loaded)->code->lazy != nullptr, mode == jit::CompileMode::kLazy);
  }
  // via_cwasm: eager code loaded back from an artifact (even with the lazy mode given).
  auto module = wasm::ReadModule(*bytes);
  ASSERT_TRUE(module.ok());
  wast::Engine engine(wasm::Features::Wasm30(), runtime::StoreOptions{}, jit::SimdIsa::kAuto,
                      jit::CompileMode::kLazy, /*via_cwasm=*/true);
  auto loaded = engine.Compile(std::move(module).value());
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ((*loaded)->code->lazy, nullptr);
  ASSERT_NE((*loaded)->code->code, nullptr);
  EXPECT_NE((*loaded)->code->builtin_table_offset, UINT32_MAX);
}

TEST(CompileModeCli, LazyRunsInvokesAndWast) {
  ScopedCompileEnv none(std::nullopt);
  TempDir dir;
  std::string m = dir.Write("m.wat",
                            "(module (func $sq (param i32) (result i32)"
                            " (i32.mul (local.get 0) (local.get 0)))"
                            " (func (export \"f\") (param i32) (result i32)"
                            " (call $sq (i32.add (local.get 0) (i32.const 1)))))");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--compile", "lazy", "--invoke", "f", m, "6"},
        {"--compile=lazy", "--compile-threads", "0", "--invoke", "f", m, "6"},
        {"run", "--compile", "lazy", "--compile-threads=2", "--invoke", "f", m, "6"}}) {
    Outcome o = RunMain(args);
    EXPECT_EQ(o.code, 0) << testing::PrintToString(args) << o.err;
    EXPECT_EQ(o.out, "49\n");
  }
  std::string w = dir.Write("w.wast",
                            "(module (func $sq (param i32) (result i32)"
                            " (i32.mul (local.get 0) (local.get 0)))"
                            " (func (export \"f\") (param i32) (result i32)"
                            " (call $sq (local.get 0))))\n"
                            "(assert_return (invoke \"f\" (i32.const 9)) (i32.const 81))\n"
                            "(assert_return (invoke \"f\" (i32.const -3)) (i32.const 9))\n");
  Outcome o = RunMain({"wast", "--compile", "lazy", w});
  EXPECT_EQ(o.code, 0) << o.err << o.out;
  EXPECT_NE(o.out.find("3 passed, 0 failed"), std::string::npos) << o.out;
}

}  // namespace
}  // namespace wt::cli
