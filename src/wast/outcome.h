// Results of running .wast scripts: one record per command, counters per file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wt::wast {

enum class Outcome : uint8_t { kPassed, kFailed, kSkipped };

const char* OutcomeName(Outcome outcome);  // "passed", "failed", "skipped"

struct Counts {
  uint64_t passed = 0;
  uint64_t failed = 0;
  uint64_t skipped = 0;

  void Add(Outcome outcome) {
    switch (outcome) {
      case Outcome::kPassed:
        ++passed;
        break;
      case Outcome::kFailed:
        ++failed;
        break;
      case Outcome::kSkipped:
        ++skipped;
        break;
    }
  }
  Counts& operator+=(const Counts& o) {
    passed += o.passed;
    failed += o.failed;
    skipped += o.skipped;
    return *this;
  }
  uint64_t total() const { return passed + failed + skipped; }
  friend bool operator==(const Counts&, const Counts&) = default;
};

// "N passed, M failed, K skipped".
std::string FormatCounts(const Counts& counts);

// Why a command is skipped: it needs a feature wtrun does not run yet.
inline constexpr std::string_view kNeedsExceptions = "needs exceptions";
inline constexpr std::string_view kNeedsThreads = "needs threads";

struct CommandRecord {
  uint32_t line = 0;      // 1-based line of the command in the script (0: the script itself)
  std::string_view kind;  // "module", "assert_invalid", ... (static storage)
  Outcome outcome = Outcome::kPassed;
  std::string message;   // why it failed or was skipped; empty when it passed
  std::string expected;  // what the script expects (e.g. the assertion's message text)
  std::string actual;    // what happened (e.g. our error message), or empty
};

struct FileResult {
  std::string path;
  Counts counts;
  // Failures always; passes and skips too when RunOptions::keep_all_records is set.
  std::vector<CommandRecord> records;
};

}  // namespace wt::wast
