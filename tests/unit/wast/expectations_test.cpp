#include "wast/expectations.h"

#include <gtest/gtest.h>

namespace wt::wast {
namespace {

FileResult MakeResult(std::string path, uint64_t passed, uint64_t failed, uint64_t skipped) {
  FileResult r;
  r.path = std::move(path);
  r.counts = Counts{passed, failed, skipped};
  return r;
}

TEST(Expectations, ParsesEntriesCommentsAndHeader) {
  auto e = ParseExpectations(
      "# header line\n\n# more\nbinary.wast 10 2 3 text: (module binary) forms\n"
      "  # indented comment\nsimd_const.wast\t1 0 5  needs simd\n",
      "expect.txt");
  ASSERT_TRUE(e.ok()) << e.error().ToString();
  EXPECT_EQ(e->header, "# header line\n\n# more\n");
  ASSERT_EQ(e->entries.size(), 2u);
  EXPECT_EQ(e->entries[0].file, "binary.wast");
  EXPECT_EQ(e->entries[0].counts, (Counts{10, 2, 3}));
  EXPECT_EQ(e->entries[0].reason, "text: (module binary) forms");
  EXPECT_EQ(e->entries[0].line, 4u);
  EXPECT_EQ(e->entries[1].reason, "needs simd");
  EXPECT_NE(e->Find("simd_const.wast"), nullptr);
  EXPECT_EQ(e->Find("nope.wast"), nullptr);
}

TEST(Expectations, RejectsBadLines) {
  auto missing_reason = ParseExpectations("a.wast 1 2 3\n", "x.txt");
  ASSERT_FALSE(missing_reason.ok());
  EXPECT_EQ(missing_reason.error().location, "x.txt:1");
  EXPECT_FALSE(ParseExpectations("a.wast 1 2\n", "x.txt").ok());
  EXPECT_FALSE(ParseExpectations("a.wast 1 -2 3 why\n", "x.txt").ok());
  EXPECT_FALSE(ParseExpectations("a.wast 1 2x 3 why\n", "x.txt").ok());
  auto twice = ParseExpectations("a.wast 1 2 3 why\na.wast 1 2 3 why\n", "x.txt");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().location, "x.txt:2");
}

TEST(Expectations, ExactMatchPasses) {
  auto e = ParseExpectations("a.wast 5 1 2 why\n", "x.txt");
  ASSERT_TRUE(e.ok());
  std::vector<FileResult> results = {MakeResult("/suite/a.wast", 5, 1, 2),
                                     MakeResult("/suite/b.wast", 7, 0, 9)};
  EXPECT_TRUE(CheckExpectations(*e, results, "x.txt").empty());
}

TEST(Expectations, BetterWorseUnlistedAndStaleAllFail) {
  auto e = ParseExpectations("a.wast 5 1 2 why\nb.wast 5 1 2 why\ngone.wast 1 1 1 why\n", "x.txt");
  ASSERT_TRUE(e.ok());
  std::vector<FileResult> results = {MakeResult("a.wast", 6, 0, 2),   // better
                                     MakeResult("b.wast", 4, 2, 2),   // worse
                                     MakeResult("c.wast", 1, 1, 0)};  // unlisted failure
  auto problems = CheckExpectations(*e, results, "x.txt");
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_NE(problems[0].find("better than expected"), std::string::npos) << problems[0];
  EXPECT_NE(problems[1].find("worse than expected"), std::string::npos) << problems[1];
  EXPECT_NE(problems[2].find("not listed"), std::string::npos) << problems[2];
  EXPECT_NE(problems[3].find("gone.wast"), std::string::npos) << problems[3];
}

TEST(Expectations, FormatKeepsReasonsAndDropsPassingFiles) {
  auto e = ParseExpectations("# head\na.wast 5 1 2 first reason\nb.wast 5 1 2 second\n", "x.txt");
  ASSERT_TRUE(e.ok());
  std::vector<FileResult> results = {MakeResult("d/a.wast", 6, 0, 2),
                                     MakeResult("d/b.wast", 4, 2, 2),
                                     MakeResult("d/c.wast", 1, 1, 0)};
  std::string text = FormatExpectations(*e, results);
  auto again = ParseExpectations(text, "y.txt");
  ASSERT_TRUE(again.ok()) << text;
  EXPECT_EQ(again->header, "# head\n");
  ASSERT_EQ(again->entries.size(), 2u) << text;
  EXPECT_EQ(again->entries[0].file, "b.wast");
  EXPECT_EQ(again->entries[0].reason, "second");
  EXPECT_EQ(again->entries[0].counts, (Counts{4, 2, 2}));
  EXPECT_EQ(again->entries[1].file, "c.wast");
  EXPECT_EQ(again->entries[1].reason, "TODO: reason");
  EXPECT_TRUE(CheckExpectations(*again, results, "y.txt").empty());
}

TEST(Expectations, SuggestedReasonNamesTheUnsupportedFeatures) {
  FileResult r = MakeResult("d/simd_x.wast", 3, 3, 0);
  EXPECT_EQ(SuggestReason(r), "TODO: reason");
  r.records.push_back({1, "module", Outcome::kFailed, "unsupported feature: simd", "", ""});
  r.records.push_back({2, "assert_return", Outcome::kFailed,
                       "the current module failed to instantiate: unsupported feature: simd", "",
                       ""});
  r.records.push_back(
      {3, "module", Outcome::kFailed, "unsupported feature: tail-call (x)", "", ""});
  r.records.push_back({4, "module", Outcome::kPassed, "unsupported feature: gc", "", ""});
  EXPECT_EQ(SuggestReason(r), "unsupported feature: simd, tail-call");
  auto e = ParseExpectations("", "x.txt");
  ASSERT_TRUE(e.ok());
  std::vector<FileResult> results = {r};
  EXPECT_NE(FormatExpectations(*e, results).find("simd_x.wast"), std::string::npos);
  EXPECT_NE(FormatExpectations(*e, results).find("  unsupported feature: simd, tail-call\n"),
            std::string::npos);
}

TEST(Expectations, KeyIsTheFileName) {
  EXPECT_EQ(ExpectationKey("/a/b/c.wast"), "c.wast");
  EXPECT_EQ(ExpectationKey("c.wast"), "c.wast");
}

}  // namespace
}  // namespace wt::wast
