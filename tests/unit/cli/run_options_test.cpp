// `run` option values: sizes, durations, counts, the checks of FinishRunOptions, the split of
// wtrun's options from the program's, and the hint for wtrun options given after FILE.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "cli/app.h"
#include "cli/run_options.h"
#include "cli/run_support.h"

namespace wt::cli {
namespace {

using Args = std::vector<std::string>;
using namespace std::chrono_literals;

TEST(RunOptions, ByteSizes) {
  EXPECT_EQ(ParseByteSize("0").value(), 0u);
  EXPECT_EQ(ParseByteSize("65536").value(), 65536u);
  EXPECT_EQ(ParseByteSize("64K").value(), 64u << 10);
  EXPECT_EQ(ParseByteSize("64k").value(), 64u << 10);
  EXPECT_EQ(ParseByteSize("64KiB").value(), 64u << 10);
  EXPECT_EQ(ParseByteSize("64KB").value(), 64u << 10);
  EXPECT_EQ(ParseByteSize("2M").value(), 2u << 20);
  EXPECT_EQ(ParseByteSize("4GiB").value(), 4ull << 30);
  EXPECT_EQ(ParseByteSize("1T").value(), 1ull << 40);
  EXPECT_EQ(ParseByteSize("10B").value(), 10u);
  for (const char* bad : {"", "K", "-1", "1.5M", "12Q", "1 K", "0x10", "1KiBB", "1ib",
                          "99999999999999999999", "17179869184G"}) {
    auto r = ParseByteSize(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::kUsage);
  }
}

TEST(RunOptions, Durations) {
  EXPECT_EQ(ParseDuration("500ms").value(), 500ms);
  EXPECT_EQ(ParseDuration("2s").value(), 2s);
  EXPECT_EQ(ParseDuration("2").value(), 2s);
  EXPECT_EQ(ParseDuration("1m").value(), 60s);
  EXPECT_EQ(ParseDuration("1h").value(), 3600s);
  EXPECT_EQ(ParseDuration("7us").value(), 7us);
  EXPECT_EQ(ParseDuration("9ns").value(), 9ns);
  EXPECT_EQ(ParseDuration("0s").value(), 0ns);
  for (const char* bad : {"", "s", "-1s", "1.5s", "2 s", "5min", "3d", "10000000000000h"}) {
    auto r = ParseDuration(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::kUsage);
  }
}

TEST(RunOptions, Counts) {
  EXPECT_EQ(ParseCount("0").value(), 0u);
  EXPECT_EQ(ParseCount("18446744073709551615").value(), UINT64_MAX);
  EXPECT_EQ(ParseCount("4294967295", UINT32_MAX).value(), UINT32_MAX);
  EXPECT_FALSE(ParseCount("4294967296", UINT32_MAX).ok());
  EXPECT_FALSE(ParseCount("18446744073709551616").ok());
  EXPECT_FALSE(ParseCount("1K").ok());
  EXPECT_FALSE(ParseCount("").ok());
  EXPECT_FALSE(ParseCount("-3").ok());
}

TEST(RunOptions, FinishFillsEveryField) {
  RawRunOptions raw;
  raw.max_backtrace = "5";
  raw.fuel = "1000";
  raw.timeout = "250ms";
  raw.max_wasm_stack = "512K";
  raw.max_memory_size = "1M";
  raw.max_table_elements = "100";
  raw.pool_instances = "3";
  raw.pool_memory_size = "1G";
  raw.pool_table_elements = "50";
  RunCommandOptions o;
  o.dirs = {"a", "b::/c"};
  o.envs = {"A", "B=1", "C="};
  o.preloads = {"lib=x.wasm"};
  o.profile = "perfmap";
  ASSERT_TRUE(FinishRunOptions(raw, &o).ok());
  EXPECT_EQ(o.max_backtrace, 5u);
  EXPECT_EQ(o.fuel, 1000u);
  EXPECT_EQ(o.timeout, "250ms");
  EXPECT_EQ(o.max_wasm_stack, 512u << 10);
  EXPECT_EQ(o.max_memory_size, 1u << 20);
  EXPECT_EQ(o.max_table_elements, 100u);
  EXPECT_EQ(o.pool_instances, 3u);
  EXPECT_EQ(o.pool_memory_size, 1ull << 30);
  EXPECT_EQ(o.pool_table_elements, 50u);

  o.pooling = false;
  o.pool_instances.reset();
  o.pool_memory_size.reset();
  o.pool_table_elements.reset();
  auto store = MakeStoreOptions(o);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(store->fuel, 1000u);
  EXPECT_EQ(store->timeout, std::chrono::nanoseconds(250ms));
  EXPECT_EQ(store->limits.max_wasm_stack, 512u << 10);
  EXPECT_EQ(store->limits.max_memory_bytes, 1u << 20);
  EXPECT_EQ(store->limits.max_table_elements, 100u);
  EXPECT_EQ(store->allocator, nullptr);
  jit::CompileOptions c = MakeCompileOptions(wasm::Features::Wasm20(), o);
  EXPECT_TRUE(c.consume_fuel);
  EXPECT_TRUE(c.epoch_interruption);
  RunCommandOptions plain;
  c = MakeCompileOptions(wasm::Features::Wasm20(), plain);
  EXPECT_FALSE(c.consume_fuel);
  EXPECT_FALSE(c.epoch_interruption);
}

TEST(RunOptions, FinishErrorsNameTheOption) {
  struct Case {
    std::string RawRunOptions::*field;
    const char* value;
    const char* option;
  };
  for (const Case& c : {Case{&RawRunOptions::fuel, "lots", "--fuel"},
                        Case{&RawRunOptions::timeout, "soon", "--timeout"},
                        Case{&RawRunOptions::max_backtrace, "4294967296", "--max-backtrace"},
                        Case{&RawRunOptions::max_wasm_stack, "1X", "--max-wasm-stack"},
                        Case{&RawRunOptions::max_memory_size, "-1", "--max-memory-size"},
                        Case{&RawRunOptions::max_table_elements, "1e3", "--max-table-elements"},
                        Case{&RawRunOptions::pool_instances, "4294967296", "--pool-instances"},
                        Case{&RawRunOptions::pool_memory_size, "big", "--pool-memory-size"},
                        Case{&RawRunOptions::pool_table_elements, "x", "--pool-table-elements"}}) {
    RawRunOptions raw;
    raw.*c.field = c.value;
    RunCommandOptions o;
    Status s = FinishRunOptions(raw, &o);
    ASSERT_FALSE(s.ok()) << c.option;
    EXPECT_EQ(s.error().kind, ErrorKind::kUsage);
    EXPECT_EQ(s.error().message.rfind(std::string(c.option) + ": ", 0), 0u) << s.error().message;
  }
  auto bad = [](RunCommandOptions o) { return !FinishRunOptions({}, &o).ok(); };
  RunCommandOptions o;
  o.dirs = {""};
  EXPECT_TRUE(bad(o));
  o.dirs = {"::/x"};
  EXPECT_TRUE(bad(o));
  o.dirs = {"host::"};
  EXPECT_TRUE(bad(o));
  o = {};
  o.envs = {"=x"};
  EXPECT_TRUE(bad(o));
  o = {};
  o.preloads = {"lib"};
  EXPECT_TRUE(bad(o));
  o.preloads = {"=x.wasm"};
  EXPECT_TRUE(bad(o));
  o.preloads = {"lib="};
  EXPECT_TRUE(bad(o));
  o = {};
  o.profile = "vtune";
  EXPECT_TRUE(bad(o));
}

TEST(RunOptions, WasiConfig) {
  RunCommandOptions o;
  o.dirs = {"/tmp", "/var::/data"};
  o.envs = {"A=1", "B=x=y", "A=2", "WTRUN_TEST_SURELY_UNSET_VAR"};
  wasi::WasiConfig c = MakeWasiConfig("/some/path/prog.wasm", {"x", "-y"}, o);
  EXPECT_EQ(c.args, (Args{"prog.wasm", "x", "-y"}));
  ASSERT_EQ(c.env.size(), 2u);
  EXPECT_EQ(c.env[0], (std::pair<std::string, std::string>{"A", "2"}));
  EXPECT_EQ(c.env[1], (std::pair<std::string, std::string>{"B", "x=y"}));
  ASSERT_EQ(c.preopens.size(), 2u);
  EXPECT_EQ(c.preopens[0].host_path, "/tmp");
  EXPECT_EQ(c.preopens[0].guest_path, "/tmp");
  EXPECT_EQ(c.preopens[1].host_path, "/var");
  EXPECT_EQ(c.preopens[1].guest_path, "/data");
  o.argv0 = "name";
  EXPECT_EQ(MakeWasiConfig("p.wasm", {}, o).args, (Args{"name"}));
  setenv("WTRUN_TEST_FROM_HOST", "h", 1);
  o.envs = {"WTRUN_TEST_FROM_HOST"};
  c = MakeWasiConfig("p.wasm", {}, o);
  ASSERT_EQ(c.env.size(), 1u);
  EXPECT_EQ(c.env[0].second, "h");
  o.inherit_env = true;
  o.envs = {"WTRUN_TEST_FROM_HOST=flag"};
  c = MakeWasiConfig("p.wasm", {}, o);
  auto it = std::find_if(c.env.begin(), c.env.end(),
                         [](const auto& e) { return e.first == "WTRUN_TEST_FROM_HOST"; });
  ASSERT_NE(it, c.env.end());
  EXPECT_EQ(it->second, "flag");
  EXPECT_GT(c.env.size(), 1u);
  unsetenv("WTRUN_TEST_FROM_HOST");
}

TEST(RunOptions, SplitKnowsWhichOptionsTakeValues) {
  SplitArgs s =
      SplitRunArguments({"--dir", "d", "--env", "A=1", "--inherit-env", "--fuel", "9", "--timeout",
                         "2s", "--preload", "l=x.wat", "--argv0", "a0", "--pooling",
                         "--pool-memory-size", "1G", "p.wasm", "--dir", "x"});
  EXPECT_EQ(s.cli, (Args{"--dir", "d", "--env", "A=1", "--inherit-env", "--fuel", "9", "--timeout",
                         "2s", "--preload", "l=x.wat", "--argv0", "a0", "--pooling",
                         "--pool-memory-size", "1G", "run"}));
  EXPECT_EQ(s.run_file.value_or(""), "p.wasm");
  EXPECT_EQ(s.program_args, (Args{"--dir", "x"}));
  s = SplitRunArguments(
      {"run", "--dir=.", "--max-memory-size", "1M", "--trap-unknown-imports", "m.wat", "1"});
  EXPECT_EQ(s.cli, (Args{"run", "--dir=.", "--max-memory-size", "1M", "--trap-unknown-imports"}));
  EXPECT_EQ(s.run_file.value_or(""), "m.wat");
  EXPECT_EQ(s.program_args, (Args{"1"}));
}

TEST(RunOptions, MisplacedOptions) {
  EXPECT_EQ(MisplacedRunOption({"a", "--dir", "."}).value_or(""), "--dir");
  EXPECT_EQ(MisplacedRunOption({"--env=A=1"}).value_or(""), "--env");
  EXPECT_EQ(MisplacedRunOption({"--inherit-env"}).value_or(""), "--inherit-env");
  EXPECT_EQ(MisplacedRunOption({"x", "--simd-isa", "sse4.1"}).value_or(""), "--simd-isa");
  EXPECT_EQ(MisplacedRunOption({"--simd-isa=avx"}).value_or(""), "--simd-isa");
  EXPECT_FALSE(MisplacedRunOption({"-d", "--directory", "dir", "--", "x"}).has_value());
  EXPECT_FALSE(MisplacedRunOption({}).has_value());
}

}  // namespace
}  // namespace wt::cli
