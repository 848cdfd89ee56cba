// `wtrun run` with WASI through cli::Main: exit statuses, bad option values, preopens,
// the hint for wtrun options after FILE.
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

class Dir {
 public:
  Dir() {
    path_ =
        fs::temp_directory_path() / ("wtrun-run-wasi-test-" + std::to_string(::getpid()) + "-" +
                                     testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~Dir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string Write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
    return (path_ / name).string();
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

// Prints "hi\n", then exits with the status given as its first argument's first digit
// (or returns from _start without an argument).
constexpr const char* kGuest = R"(
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hi\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 3))
    (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $sizes (i32.const 100) (i32.const 104)))
    (if (i32.lt_u (i32.load (i32.const 100)) (i32.const 2)) (then (return)))
    (drop (call $args (i32.const 200) (i32.const 300)))
    ;; argv[1][0] - '0'
    (call $exit (i32.sub (i32.load8_u (i32.load (i32.const 204))) (i32.const 48)))))
)";

TEST(CliRunWasi, ExitStatusIsTheGuests) {
  Dir dir;
  std::string guest = dir.Write("g.wat", kGuest);
  Outcome o = RunMain({guest});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.out, "hi\n");
  EXPECT_EQ(o.err, "");
  o = RunMain({guest, "5"});
  EXPECT_EQ(o.code, 5) << o.err;
  EXPECT_EQ(o.out, "hi\n");
  EXPECT_EQ(o.err, "");
  o = RunMain({guest, "0"});
  EXPECT_EQ(o.code, 0) << o.err;
}

TEST(CliRunWasi, WtrunOptionAfterFileGetsAHintWhenTheGuestFails) {
  Dir dir;
  std::string guest = dir.Write("g.wat", kGuest);
  // argv[1] = "--dir": status '-' - '0' wraps to a large number: refused as >= 126 -> 1.
  Outcome o = RunMain({guest, "--dir", "."});
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("wtrun: hint: --dir came after FILE, so it went to the program"),
            std::string::npos)
      << o.err;
  o = RunMain({guest, "3", "--env=A=1"});
  EXPECT_EQ(o.code, 3);
  EXPECT_NE(o.err.find("hint: --env came after FILE"), std::string::npos) << o.err;
  o = RunMain({guest, "--simd-isa=sse4.1"});
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("wtrun: hint: --simd-isa came after FILE, so it went to the program"),
            std::string::npos)
      << o.err;
  o = RunMain({guest, "0", "--dir", "."});  // success: no hint
  EXPECT_EQ(o.code, 0);
  EXPECT_EQ(o.err, "");
}

TEST(CliRunWasi, BadOptionValuesAreUsageErrors) {
  Dir dir;
  std::string guest = dir.Write("g.wat", kGuest);
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"--fuel", "lots", guest},
                                             {"--fuel=-1", guest},
                                             {"--timeout", "soon", guest},
                                             {"--timeout=1.5s", guest},
                                             {"--max-memory-size", "1Q", guest},
                                             {"--max-wasm-stack=big", guest},
                                             {"--max-table-elements", "x", guest},
                                             {"--max-backtrace", "many", guest},
                                             {"--pool-instances", "4294967296", guest},
                                             {"--pool-memory-size", "1 G", guest},
                                             {"--pool-table-elements", "-5", guest},
                                             {"--profile", "vtune", guest},
                                             {"--preload", "nofile", guest},
                                             {"--env", "=x", guest},
                                             {"--dir", "::/x", guest},
                                             {"run", "--timeout", "1d", guest},
                                             {"--fuel", "1", "--fuel", "2", guest}}) {
    Outcome o = RunMain(args);
    EXPECT_EQ(o.code, 2) << testing::PrintToString(args);
    EXPECT_EQ(Lines(o.err), 1u) << o.err;
    EXPECT_EQ(o.err.rfind("wtrun: error: ", 0), 0u) << o.err;
    EXPECT_EQ(o.out, "");
  }
  Outcome o = RunMain({"--timeout", "soon", guest});
  EXPECT_NE(o.err.find("--timeout: invalid duration 'soon'"), std::string::npos) << o.err;
}

TEST(CliRunWasi, MissingThingsExit1WithOneLine) {
  Dir dir;
  std::string guest = dir.Write("g.wat", kGuest);
  Outcome o = RunMain({"--dir", dir.path() + "/nope", guest});
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(Lines(o.err), 1u) << o.err;
  EXPECT_NE(o.err.find("nope"), std::string::npos) << o.err;
  o = RunMain({"--preload", "lib=" + dir.path() + "/missing.wasm", guest});
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(Lines(o.err), 1u) << o.err;
  EXPECT_NE(o.err.find("missing.wasm"), std::string::npos) << o.err;
  EXPECT_EQ(o.out, "");
}

TEST(CliRunWasi, OptionsAcceptedInBothForms) {
  Dir dir;
  std::string guest = dir.Write("g.wat", kGuest);
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--dir", dir.path(), "--env", "A=1", "--argv0", "x", guest, "4"},
           {"--dir=" + dir.path() + "::/d", "--env=A", "--inherit-env", "--argv0=x", guest, "4"},
           {"run", "--max-memory-size", "64K", "--max-table-elements=10", "--max-wasm-stack", "1M",
            "--no-backtrace", "--max-backtrace=3", guest, "4"}}) {
    Outcome o = RunMain(args);
    EXPECT_EQ(o.code, 4) << testing::PrintToString(args) << o.err;
    EXPECT_EQ(o.out, "hi\n");
  }
}

}  // namespace
}  // namespace wt::cli
