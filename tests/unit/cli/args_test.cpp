#include <gtest/gtest.h>

#include "cli/app.h"
#include "cli/options.h"

namespace wt::cli {
namespace {

using Args = std::vector<std::string>;

TEST(SplitRunArguments, BareFileMeansRun) {
  SplitArgs s = SplitRunArguments({"--wasm", "2.0", "prog.wasm", "-x", "--help", "y"});
  EXPECT_EQ(s.cli, (Args{"--wasm", "2.0", "run"}));
  ASSERT_TRUE(s.run_file.has_value());
  EXPECT_EQ(*s.run_file, "prog.wasm");
  EXPECT_EQ(s.program_args, (Args{"-x", "--help", "y"}));
}

TEST(SplitRunArguments, ExplicitRun) {
  SplitArgs s = SplitRunArguments({"run", "--log-level=debug", "p.wat", "a"});
  EXPECT_EQ(s.cli, (Args{"run", "--log-level=debug"}));
  EXPECT_EQ(s.run_file.value_or(""), "p.wat");
  EXPECT_EQ(s.program_args, (Args{"a"}));
}

TEST(SplitRunArguments, InvokeTakesAValueBeforeTheFile) {
  SplitArgs s = SplitRunArguments({"--invoke", "add", "m.wat", "-1", "--x"});
  EXPECT_EQ(s.cli, (Args{"--invoke", "add", "run"}));
  EXPECT_EQ(s.run_file.value_or(""), "m.wat");
  EXPECT_EQ(s.program_args, (Args{"-1", "--x"}));
  s = SplitRunArguments({"run", "--invoke", "run", "m.wat", "0x10"});
  EXPECT_EQ(s.cli, (Args{"run", "--invoke", "run"}));
  EXPECT_EQ(s.run_file.value_or(""), "m.wat");
  EXPECT_EQ(s.program_args, (Args{"0x10"}));
  s = SplitRunArguments({"--invoke=f", "m.wat"});
  EXPECT_EQ(s.cli, (Args{"--invoke=f", "run"}));
  EXPECT_EQ(s.run_file.value_or(""), "m.wat");
}

TEST(SplitRunArguments, DoubleDashFile) {
  SplitArgs s = SplitRunArguments({"--", "-odd.wasm", "x"});
  EXPECT_EQ(s.cli, (Args{"run"}));
  EXPECT_EQ(s.run_file.value_or(""), "-odd.wasm");
  EXPECT_EQ(s.program_args, (Args{"x"}));
}

TEST(SplitRunArguments, OtherCommandsGoToCli11Whole) {
  SplitArgs s = SplitRunArguments({"--wasm", "2.0", "wast", "-v", "a.wast", "b.wast"});
  EXPECT_EQ(s.cli, (Args{"--wasm", "2.0", "wast", "-v", "a.wast", "b.wast"}));
  EXPECT_FALSE(s.run_file.has_value());
  s = SplitRunArguments({"--version"});
  EXPECT_EQ(s.cli, (Args{"--version"}));
  EXPECT_FALSE(s.run_file.has_value());
  s = SplitRunArguments({"run"});
  EXPECT_EQ(s.cli, (Args{"run"}));
  EXPECT_FALSE(s.run_file.has_value());
}

TEST(ResolveFeatures, PresetsAndChanges) {
  auto f20 = ResolveFeatures("2.0", "");
  ASSERT_TRUE(f20.ok());
  EXPECT_EQ(f20->bits(), wasm::Features::Wasm20().bits());
  auto f30 = ResolveFeatures("3.0", "-gc,+threads,tail-call");
  ASSERT_TRUE(f30.ok());
  EXPECT_FALSE(f30->has(wasm::Feature::kGc));
  EXPECT_TRUE(f30->has(wasm::Feature::kThreads));
  EXPECT_TRUE(f30->has(wasm::Feature::kTailCall));
  auto f = ResolveFeatures("2.0", "+tail-call");
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->has(wasm::Feature::kTailCall));
  EXPECT_FALSE(f->has(wasm::Feature::kGc));
}

TEST(ResolveFeatures, Errors) {
  auto bad_preset = ResolveFeatures("1.0", "");
  ASSERT_FALSE(bad_preset.ok());
  EXPECT_EQ(bad_preset.error().kind, ErrorKind::kUsage);
  auto bad_name = ResolveFeatures("3.0", "+warp-drive");
  ASSERT_FALSE(bad_name.ok());
  EXPECT_EQ(bad_name.error().kind, ErrorKind::kUsage);
  EXPECT_NE(bad_name.error().message.find("warp-drive"), std::string::npos);
}

}  // namespace
}  // namespace wt::cli
