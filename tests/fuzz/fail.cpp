#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <string_view>

#include "targets.h"

namespace wt::fuzz {
namespace {

// Open findings (tests/fuzz/findings/open/, see its README): a part of the disagreement's text
// each. Delete a line with the fix that closes it. (None open.)
constexpr std::initializer_list<std::string_view> kOpenFindings = {};

bool Tolerated(std::string_view what) {
  const char* env = std::getenv("WTRUN_FUZZ_TOLERATE_OPEN");
  if (env == nullptr || std::strcmp(env, "1") != 0) return false;
  for (std::string_view known : kOpenFindings) {
    if (what.find(known) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

void Fail(std::string_view target, std::string_view what) {
  if (Tolerated(what)) return;
  std::fprintf(stderr, "fuzz %.*s: disagreement: %.*s\n", static_cast<int>(target.size()),
               target.data(), static_cast<int>(what.size()), what.data());
  std::fflush(stderr);
  std::abort();
}

}  // namespace wt::fuzz
