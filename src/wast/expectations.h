// Expectations files: for each spec-suite file that does not fully pass yet, the exact counts
// it is expected to reach and why it falls short. Format, one entry per line:
//
//   # comment
//   FILE PASSED FAILED SKIPPED REASON...
//
// FILE is the script's file name (no folder); REASON (required) is the rest of the line, e.g.
// the missing feature. A run fails when a listed file gets other counts than listed (worse, or
// better: the list only shrinks), when an unlisted file has failures, or when a listed file is
// not run at all.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"
#include "wast/outcome.h"

namespace wt::wast {

struct Expectation {
  std::string file;
  Counts counts;
  std::string reason;
  uint32_t line = 0;  // in the expectations file
};

struct Expectations {
  std::string header;  // the comment lines before the first entry, kept when rewriting
  std::vector<Expectation> entries;

  const Expectation* Find(std::string_view file) const;
};

// Errors are kMalformed with "filename:line" locations.
Result<Expectations> ParseExpectations(std::string_view text, std::string_view filename);
// Reads and parses a file (kIo when it cannot be read).
Result<Expectations> LoadExpectations(const std::string& path);

// The key a result is matched under: the file name of its path.
std::string ExpectationKey(std::string_view path);

// One line per problem; empty when every expectation holds. `expect_path` is named in the
// messages.
std::vector<std::string> CheckExpectations(const Expectations& expectations,
                                           std::span<const FileResult> results,
                                           std::string_view expect_path);

// The reason proposed for a new entry: the features its failures name ("unsupported feature:
// simd, gc", from the JIT's kUnsupported errors), else "TODO: reason".
std::string SuggestReason(const FileResult& result);

// The expectations file text that `results` would satisfy: the old header, then one entry per
// file that has failures (reasons carried over from `old`; new entries get SuggestReason).
// Entries of `old` for files not in `results` are kept as they are.
std::string FormatExpectations(const Expectations& old, std::span<const FileResult> results);

}  // namespace wt::wast
