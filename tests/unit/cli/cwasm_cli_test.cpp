// The CLI's .cwasm artifact: `wtrun compile -o`, running an artifact (`wtrun FILE.cwasm`,
// `wtrun run`, --preload) with --allow-precompiled, and the one-line refusals.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <utility>

#include <gtest/gtest.h>

#include "cli/app.h"
#include "cli_test_util.h"
#include "jit/cwasm_format.h"
#include "runtime/cwasm.h"

namespace wt::cli {
namespace {

namespace fs = std::filesystem;

size_t Lines(const std::string& s) {
  return static_cast<size_t>(std::count(s.begin(), s.end(), '\n'));
}

std::vector<uint8_t> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

void WriteAll(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}

constexpr const char* kModule = R"((module
  (memory 1)
  (func (export "grow") (result i32) (drop (memory.grow (i32.const 2))) (memory.size))
  (func $fib (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "fib") (param i32) (result i32) (call $fib (local.get 0)))
  (func (export "spin") (loop $l (br $l)))
  (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))))";

TEST(CliCwasm, CompileWritesAnArtifactThatRuns) {
  TempDir dir;
  std::string m = dir.Write("m.wat", kModule);
  std::string out = dir.path() + "/m.cwasm";
  Outcome o = RunMain({"compile", "-o", out, m});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "");
  std::vector<uint8_t> bytes = ReadAll(out);
  ASSERT_GT(bytes.size(), jit::cwasm::kPageSize);
  EXPECT_TRUE(runtime::IsPrecompiled(bytes));
  EXPECT_FALSE(fs::exists(out + ".tmp" + std::to_string(::getpid())));

  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--allow-precompiled", "--invoke", "fib", out, "20"},
        {"run", "--allow-precompiled", "--invoke", "fib", out, "20"}}) {
    o = RunMain(args);
    EXPECT_EQ(o.code, 0) << o.err;
    EXPECT_EQ(o.out, "6765\n");
  }
  // By content, whatever the name.
  std::string renamed = dir.path() + "/art.wasm";
  fs::copy_file(out, renamed);
  o = RunMain({"--allow-precompiled", "--invoke", "fib", renamed, "10"});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.out, "55\n");
  // A trap from the mapped code, reported with its backtrace.
  o = RunMain({"--allow-precompiled", "--invoke", "div", out, "0"});
  EXPECT_NE(o.code, 0);
  EXPECT_NE(o.err.find("integer divide by zero"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("div"), std::string::npos) << o.err;
  // Without -o: the summary as before.
  o = RunMain({"compile", m});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("valid module"), std::string::npos) << o.out;
}

// The wtrun binary next to the test binary (build/wtrun, build/tests/wtrun_unit_tests).
std::string WtrunBinary() {
  return (fs::read_symlink("/proc/self/exe").parent_path().parent_path() / "wtrun").string();
}

// `command` through the shell: its exit status and its stdout and stderr (2>&1).
std::pair<int, std::string> Shell(const std::string& command) {
  std::string out;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return {-1, ""};
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// Written by one wtrun process and run by others (each with its own address layout: wtrun is a
// position-independent executable and ASLR is on): the code depends on its address only through
// the builtin table filled at load (memory.grow and the trap stubs call builtins).
TEST(CliCwasm, RunsInOtherProcesses) {
  TempDir dir;
  const std::string wtrun = WtrunBinary();
  ASSERT_TRUE(fs::exists(wtrun)) << wtrun;
  std::string m = dir.Write("m.wat", kModule);
  std::string out = dir.path() + "/m.cwasm";
  auto [code, text] = Shell(wtrun + " compile -o " + out + " " + m);
  ASSERT_EQ(code, 0) << text;
  for (int i = 0; i < 3; ++i) {
    auto [c1, fib] = Shell(wtrun + " --allow-precompiled --invoke fib " + out + " 20");
    EXPECT_EQ(c1, 0) << fib;
    EXPECT_EQ(fib, "6765\n");
    auto [c2, grow] = Shell(wtrun + " --allow-precompiled --invoke grow " + out);
    EXPECT_EQ(c2, 0) << grow;
    EXPECT_EQ(grow, "3\n");
    auto [c3, trap] = Shell(wtrun + " --allow-precompiled --invoke div " + out + " 0");
    EXPECT_NE(c3, 0);
    EXPECT_NE(trap.find("wasm trap: integer divide by zero"), std::string::npos) << trap;
  }
  // Another build (here: the test binary) refuses the wtrun binary's artifact.
  Outcome o = RunMain({"--allow-precompiled", "--invoke", "fib", out, "1"});
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find(" was compiled by wtrun "), std::string::npos) << o.err;
}

TEST(CliCwasm, PreloadedArtifact) {
  TempDir dir;
  std::string lib = dir.Write("lib.wat", R"((module
    (func (export "seven") (result i32) (i32.const 7))))");
  std::string main = dir.Write("main.wat", R"((module
    (import "lib" "seven" (func $seven (result i32)))
    (func (export "f") (result i32) (i32.mul (call $seven) (i32.const 6)))))");
  std::string art = dir.path() + "/lib.cwasm";
  ASSERT_EQ(RunMain({"compile", "-o", art, lib}).code, 0);
  Outcome o = RunMain({"--allow-precompiled", "--preload", "lib=" + art, "--invoke", "f", main});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.out, "42\n");
  o = RunMain({"--preload", "lib=" + art, "--invoke", "f", main});
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err, "wtrun: error: " + art +
                       " is a precompiled module (.cwasm): it contains machine code that wtrun "
                       "will run as is; pass --allow-precompiled if you trust it\n");
}

TEST(CliCwasm, Refusals) {
  TempDir dir;
  std::string m = dir.Write("m.wat", kModule);
  std::string out = dir.path() + "/m.cwasm";
  ASSERT_EQ(RunMain({"compile", "-o", out, m}).code, 0);
  auto expect_error = [](const std::vector<std::string>& args, const std::string& message) {
    Outcome o = RunMain(args);
    EXPECT_EQ(o.code, 1) << testing::PrintToString(args);
    EXPECT_EQ(Lines(o.err), 1u) << o.err;
    EXPECT_EQ(o.err, "wtrun: error: " + message + "\n") << testing::PrintToString(args);
    EXPECT_EQ(o.out, "");
  };
  expect_error({"--invoke", "fib", out, "1"},
               out +
                   " is a precompiled module (.cwasm): it contains machine code that wtrun "
                   "will run as is; pass --allow-precompiled if you trust it");
  expect_error({"--allow-precompiled", "--fuel", "1000", "--invoke", "fib", out, "1"},
               out +
                   " was compiled without fuel checks: recompile it with 'wtrun compile "
                   "--fuel-checks'");
  expect_error({"--allow-precompiled", "--timeout", "1s", "--invoke", "fib", out, "1"},
               out +
                   " was compiled without interrupt checks: recompile it with 'wtrun compile "
                   "--interrupt-checks'");
  expect_error({"compile", out},
               out +
                   " is a precompiled module (.cwasm): this command takes a .wasm or .wat "
                   "module");
  // Another build.
  std::vector<uint8_t> bytes = ReadAll(out);
  std::vector<uint8_t> other = bytes;
  jit::cwasm::CwasmHeader h;
  std::memcpy(&h, other.data(), sizeof(h));
  std::memset(h.wtrun_version, 0, sizeof(h.wtrun_version));
  std::memcpy(h.wtrun_version, "0.0.1+feedface", 14);
  std::memcpy(other.data(), &h, sizeof(h));
  std::string old = dir.path() + "/old.cwasm";
  WriteAll(old, other);
  expect_error({"--allow-precompiled", "--invoke", "fib", old, "1"},
               old + " was compiled by wtrun 0.0.1+feedface (this is wtrun " +
                   std::string(runtime::CwasmBuildVersion()) +
                   "): recompile it with 'wtrun compile -o'");
  // Damaged and truncated.
  std::vector<uint8_t> damaged = bytes;
  damaged[h.sections[static_cast<size_t>(jit::cwasm::Section::kFuncCode)].offset] ^= 0x10;
  std::string bad = dir.path() + "/bad.cwasm";
  WriteAll(bad, damaged);
  expect_error({"--allow-precompiled", "--invoke", "fib", bad, "1"},
               bad + " is not a valid .cwasm (the header or tables do not match their hash)");
  bytes.resize(bytes.size() - 100);
  WriteAll(bad, bytes);
  Outcome o = RunMain({"--allow-precompiled", "--invoke", "fib", bad, "1"});
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err.rfind("wtrun: error: " + bad + " is not a valid .cwasm (", 0), 0u) << o.err;

  // With the checks compiled in, --fuel and --timeout are accepted.
  std::string checked = dir.path() + "/checked.cwasm";
  o = RunMain({"compile", "--fuel-checks", "--interrupt-checks", "-o", checked, m});
  ASSERT_EQ(o.code, 0) << o.err;
  o = RunMain({"--allow-precompiled", "--fuel", "100000", "--invoke", "fib", checked, "10"});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.out, "55\n");
  o = RunMain({"--allow-precompiled", "--fuel", "1000", "--invoke", "spin", checked});
  EXPECT_NE(o.code, 0);
  EXPECT_NE(o.err.find("all fuel consumed"), std::string::npos) << o.err;
  o = RunMain({"--allow-precompiled", "--timeout", "50ms", "--invoke", "spin", checked});
  EXPECT_NE(o.code, 0);
  EXPECT_NE(o.err.find("interrupt"), std::string::npos) << o.err;
}

TEST(CliCwasm, CompileErrorsAreOneLine) {
  TempDir dir;
  std::string m = dir.Write("m.wat", kModule);
  Outcome o = RunMain({"compile", "-o", dir.path() + "/no/such/dir/m.cwasm", m});
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(Lines(o.err), 1u) << o.err;
  EXPECT_NE(o.err.find("cannot write " + dir.path() + "/no/such/dir/m.cwasm"), std::string::npos)
      << o.err;
  std::string bad = dir.Write("bad.wat", "(module (func (result i32)))");
  o = RunMain({"compile", "-o", dir.path() + "/x.cwasm", bad});
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("invalid module"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(dir.path() + "/x.cwasm"));
}

}  // namespace
}  // namespace wt::cli
