#include "wast/expectations.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "wast/file_io.h"

namespace wt::wast {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Splits off the next whitespace-delimited word of *s.
std::string_view NextWord(std::string_view* s) {
  *s = Trim(*s);
  size_t end = 0;
  while (end < s->size() && !IsSpace((*s)[end])) ++end;
  std::string_view word = s->substr(0, end);
  s->remove_prefix(end);
  return word;
}

bool ParseCount(std::string_view word, uint64_t* out) {
  if (word.empty()) return false;
  auto [ptr, ec] = std::from_chars(word.data(), word.data() + word.size(), *out);
  return ec == std::errc() && ptr == word.data() + word.size();
}

std::string Describe(const Counts& got, const Counts& want) {
  if (got.failed != want.failed) {
    return got.failed < want.failed ? "better than expected" : "worse than expected";
  }
  return got.passed > want.passed ? "better than expected" : "worse than expected";
}

}  // namespace

std::string SuggestReason(const FileResult& result) {
  static constexpr std::string_view kUnsupported = "unsupported feature: ";
  std::vector<std::string> features;
  for (const CommandRecord& r : result.records) {
    if (r.outcome != Outcome::kFailed) continue;
    size_t at = r.message.find(kUnsupported);
    if (at == std::string::npos) continue;
    size_t begin = at + kUnsupported.size();
    size_t end = begin;
    while (end < r.message.size() &&
           (std::isalnum(static_cast<unsigned char>(r.message[end])) || r.message[end] == '-' ||
            r.message[end] == '_' || r.message[end] == '.')) {
      ++end;
    }
    std::string feature = r.message.substr(begin, end - begin);
    if (feature.empty()) continue;
    if (std::find(features.begin(), features.end(), feature) == features.end()) {
      features.push_back(std::move(feature));
    }
  }
  if (features.empty()) return "TODO: reason";
  std::string out(kUnsupported);
  for (size_t i = 0; i < features.size(); ++i) {
    if (i > 0) out += ", ";
    out += features[i];
  }
  return out;
}

const Expectation* Expectations::Find(std::string_view file) const {
  for (const Expectation& e : entries) {
    if (e.file == file) return &e;
  }
  return nullptr;
}

Result<Expectations> ParseExpectations(std::string_view text, std::string_view filename) {
  Expectations result;
  std::unordered_map<std::string, uint32_t> seen;
  uint32_t line_no = 0;
  bool in_header = true;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view raw = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#') {
      if (in_header) {
        result.header.append(raw);
        result.header.push_back('\n');
      }
      continue;
    }
    in_header = false;
    auto error = [&](std::string_view what) {
      Error e = MakeError(ErrorKind::kMalformed, "{}", what);
      e.location = fmt::format("{}:{}", filename, line_no);
      return e;
    };
    Expectation e;
    e.line = line_no;
    e.file = std::string(NextWord(&line));
    if (!ParseCount(NextWord(&line), &e.counts.passed) ||
        !ParseCount(NextWord(&line), &e.counts.failed) ||
        !ParseCount(NextWord(&line), &e.counts.skipped)) {
      return error("expected `FILE PASSED FAILED SKIPPED REASON`");
    }
    e.reason = std::string(Trim(line));
    if (e.reason.empty()) return error(fmt::format("{}: a reason is required", e.file));
    auto [it, inserted] = seen.emplace(e.file, line_no);
    if (!inserted) {
      return error(fmt::format("{} is listed twice (first on line {})", e.file, it->second));
    }
    result.entries.push_back(std::move(e));
  }
  return result;
}

Result<Expectations> LoadExpectations(const std::string& path) {
  WT_TRY_ASSIGN(std::string text, ReadTextFile(path));
  return ParseExpectations(text, path);
}

std::string ExpectationKey(std::string_view path) {
  size_t slash = path.find_last_of('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::vector<std::string> CheckExpectations(const Expectations& expectations,
                                           std::span<const FileResult> results,
                                           std::string_view expect_path) {
  std::vector<std::string> problems;
  std::unordered_map<std::string_view, const Expectation*> listed;
  for (const Expectation& e : expectations.entries) listed.emplace(e.file, &e);
  std::unordered_map<std::string, bool> ran;
  for (const FileResult& r : results) {
    std::string key = ExpectationKey(r.path);
    auto it = listed.find(key);
    ran[key] = true;
    if (it == listed.end()) {
      if (r.counts.failed != 0) {
        problems.push_back(fmt::format("{}: {}, but it is not listed in {}", r.path,
                                       FormatCounts(r.counts), expect_path));
      }
      continue;
    }
    const Expectation& e = *it->second;
    if (r.counts != e.counts) {
      problems.push_back(fmt::format("{}: {}, {} ({} on line {}: {} — {})", r.path,
                                     FormatCounts(r.counts), Describe(r.counts, e.counts),
                                     expect_path, e.line, FormatCounts(e.counts), e.reason));
    }
  }
  for (const Expectation& e : expectations.entries) {
    if (!ran.contains(e.file)) {
      problems.push_back(
          fmt::format("{}: listed in {} on line {} but not run", e.file, expect_path, e.line));
    }
  }
  return problems;
}

std::string FormatExpectations(const Expectations& old, std::span<const FileResult> results) {
  std::map<std::string, Expectation> entries;  // sorted by file name
  for (const Expectation& e : old.entries) entries[e.file] = e;
  for (const FileResult& r : results) {
    std::string key = ExpectationKey(r.path);
    auto it = entries.find(key);
    if (r.counts.failed == 0) {
      if (it != entries.end()) entries.erase(it);
      continue;
    }
    Expectation& e = entries[key];
    e.file = key;
    e.counts = r.counts;
    if (e.reason.empty()) e.reason = SuggestReason(r);
  }
  size_t width = 0;
  for (const auto& [name, e] : entries) width = std::max(width, name.size());
  std::string out = old.header;
  for (const auto& [name, e] : entries) {
    out += fmt::format("{:<{}} {:>5} {:>5} {:>5}  {}\n", name, width, e.counts.passed,
                       e.counts.failed, e.counts.skipped, e.reason);
  }
  return out;
}

}  // namespace wt::wast
