#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "cli/app.h"
#include "cli_test_util.h"

namespace wt::cli {
namespace {

namespace fs = std::filesystem;

size_t Lines(const std::string& s) {
  return static_cast<size_t>(std::count(s.begin(), s.end(), '\n'));
}

TEST(CliMain, Version) {
  Outcome o = RunMain({"--version"});
  EXPECT_EQ(o.code, 0);
  EXPECT_EQ(o.out, "wtrun " WTRUN_VERSION "\n");
}

TEST(CliMain, UsageErrorsExit2WithOneLine) {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--bogus"},
                                               {},
                                               {"wast"},
                                               {"--wasm", "1.0", "x.wasm"},
                                               {"--features", "+nope", "x.wasm"},
                                               {"--log-level", "loud", "x.wasm"},
                                               {"wast", "--update-expect", "x.wast"},
                                               {"help", "nope"},
                                               {"compile"},
                                               {"run"}}) {
    Outcome o = RunMain(args);
    EXPECT_EQ(o.code, 2) << testing::PrintToString(args);
    EXPECT_EQ(Lines(o.err), 1u) << o.err;
    EXPECT_EQ(o.err.rfind("wtrun: error: ", 0), 0u) << o.err;
  }
}

TEST(CliMain, HelpForEachCommand) {
  for (const char* command : {"run", "compile", "wast"}) {
    Outcome o = RunMain({"help", command});
    EXPECT_EQ(o.code, 0);
    EXPECT_NE(o.out.find(std::string("wtrun ") + command), std::string::npos) << o.out;
  }
  Outcome o = RunMain({"help"});
  EXPECT_EQ(o.code, 0);
  EXPECT_NE(o.out.find("Subcommands"), std::string::npos) << o.out;
}

TEST(CliMain, BadModulesGetOneLineAndExit1) {
  TempDir dir;
  std::string truncated = dir.Write("t.wasm", std::string("\0asm\1\0\0\0\1\5", 10));
  std::string not_magic = dir.Write("n.wasm", std::string("\0asx\1\0\0\0", 8));
  std::string bad_text = dir.Write("b.wat", "(module (func (i32.add");
  std::string invalid = dir.Write("i.wat", "(module (func (result i32) (i64.const 0)))");
  std::string missing = dir.path() + "/missing.wasm";
  for (const std::string& file : {truncated, not_magic, bad_text, invalid, missing, dir.path()}) {
    for (const char* command : {"run", "compile"}) {
      Outcome o = RunMain({command, file});
      EXPECT_EQ(o.code, 1) << command << " " << file;
      EXPECT_EQ(Lines(o.err), 1u) << o.err;
      EXPECT_NE(o.err.find("wtrun: error: "), std::string::npos) << o.err;
    }
  }
  EXPECT_NE(RunMain({"compile", invalid}).err.find("invalid module"), std::string::npos);
  EXPECT_NE(RunMain({"compile", truncated}).err.find("malformed module"), std::string::npos);
}

TEST(CliMain, RunCallsStartOrTheInvokedExport) {
  TempDir dir;
  std::string ok = dir.Write("ok.wat", "(module (func (export \"_start\")))");
  Outcome o = RunMain({ok, "--some-program-flag", "x"});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "");
  Outcome c = RunMain({"--wasm", "2.0", "compile", ok});
  EXPECT_EQ(c.code, 0) << c.err;
  EXPECT_NE(c.out.find("functions: 1"), std::string::npos) << c.out;
  EXPECT_NE(c.out.find("exports:   1"), std::string::npos) << c.out;

  std::string m = dir.Write("m.wat",
                            "(module (func (export \"sub\") (param i64 i64) (result i64)\n"
                            "  (i64.sub (local.get 0) (local.get 1)))\n"
                            "  (func (export \"boom\") (result i32) (unreachable)))");
  o = RunMain({"--invoke", "sub", m, "1", "0x3"});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.out, "-2\n");
  o = RunMain({"run", "--invoke", "sub", m, "-9223372036854775808", "1"});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.out, "9223372036854775807\n");
  o = RunMain({"--invoke", "boom", m});
  EXPECT_EQ(o.code, 134);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "Error: failed to run main module `" + m +
                       "`\n\nCaused by:\n    0: failed to invoke `boom`\n    1: error while "
                       "executing at wasm backtrace:\n           0:     0x37 - m.wat!<wasm "
                       "function 1>\n    2: wasm trap: wasm `unreachable` instruction executed\n");
  o = RunMain({"--invoke", "sub", m, "1", "one"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(Lines(o.err), 1u) << o.err;
  EXPECT_NE(o.err.find("invalid i64 argument 'one'"), std::string::npos) << o.err;

  std::string imports = dir.Write("imp.wat", "(module (import \"wasi\" \"f\" (func)))");
  o = RunMain({imports});
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("unknown import: wasi::f"), std::string::npos) << o.err;
}

TEST(CliMain, WastCountsAndExitStatus) {
  TempDir dir;
  std::string good =
      dir.Write("good.wast",
                "(module (tag $e) (func (export \"f\"))\n"
                "  (func (export \"g\") (throw $e)))\n(assert_return (invoke \"f\"))\n"
                "(assert_exception (invoke \"g\"))\n"
                "(assert_invalid (module (func (result i32))) \"type mismatch\")\n");
  std::string bad = dir.Write("bad.wast", "(assert_invalid (module) \"type mismatch\")\n");
  Outcome o = RunMain({"wast", good});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.out, good + ": 4 passed, 0 failed, 0 skipped\n4 passed, 0 failed, 0 skipped\n");
  o = RunMain({"wast", "-v", good, bad});
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.out.find(bad + ":1: assert_invalid: "), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("\n4 passed, 1 failed, 0 skipped\n"), std::string::npos) << o.out;

  std::string json = dir.path() + "/out.json";
  o = RunMain({"wast", "--json", json, good, bad});
  EXPECT_EQ(o.code, 1);
  std::ifstream in(json);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(std::count(text.begin(), text.end(), '{'), 5) << text;
  // [exceptions] assert_exception runs (it was skipped, "needs exceptions").
  EXPECT_EQ(text.find("needs exceptions"), std::string::npos) << text;
  EXPECT_NE(text.find("assert_exception"), std::string::npos) << text;
}

TEST(CliMain, WastExpectations) {
  TempDir suite;
  suite.Write("a.wast", "(module)\n(assert_invalid (module) \"type mismatch\")\n");
  suite.Write("b.wast", "(module)\n");
  TempDir other("-expect");
  std::string expect = other.Write("expect.txt", "# header\na.wast 1 1 0 a known gap\n");
  std::vector<std::string> args = {"wast", "--expect", expect, "--dir", suite.path()};
  Outcome o = RunMain(args);
  EXPECT_EQ(o.code, 0) << o.err;

  // Better than listed fails too.
  other.Write("expect.txt", "a.wast 0 2 0 a known gap\n");
  o = RunMain(args);
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("better than expected"), std::string::npos) << o.err;

  // An unlisted failing file fails.
  other.Write("expect.txt", "# nothing listed\n");
  o = RunMain(args);
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("not listed"), std::string::npos) << o.err;

  // --update-expect writes a file that then holds.
  args.push_back("--update-expect");
  o = RunMain(args);
  EXPECT_EQ(o.code, 0) << o.err;
  args.pop_back();
  o = RunMain(args);
  EXPECT_EQ(o.code, 0) << o.err;

  // A missing folder: an error, or a skip (77) when asked.
  std::string gone = suite.path() + "/gone";
  EXPECT_EQ(RunMain({"wast", "--dir", gone}).code, 1);
  o = RunMain({"wast", "--skip-missing-dir", "--dir", gone});
  EXPECT_EQ(o.code, 77);
  EXPECT_NE(o.out.find("not found: skipped"), std::string::npos);
}

}  // namespace
}  // namespace wt::cli
