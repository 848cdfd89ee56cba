#include "wast/outcome.h"

#include <fmt/format.h>

namespace wt::wast {

const char* OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPassed:
      return "passed";
    case Outcome::kFailed:
      return "failed";
    case Outcome::kSkipped:
      return "skipped";
  }
  return "?";
}

std::string FormatCounts(const Counts& counts) {
  return fmt::format("{} passed, {} failed, {} skipped", counts.passed, counts.failed,
                     counts.skipped);
}

}  // namespace wt::wast
