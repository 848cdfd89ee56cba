#include "cli/trap_report.h"

#include <cstdio>

#include <fmt/format.h>

#include "cli/app.h"

namespace wt::cli {

int PrintTrap(const std::string& file, const std::string& context, const runtime::Trap& trap,
              const TrapReportOptions&) {
  std::fflush(stdout);
  std::string message = runtime::TrapMessage(trap.code);
  if (!trap.detail.empty()) message += fmt::format(": {}", trap.detail);
  fmt::print(stderr,
             "Error: failed to run main module `{}`\n\nCaused by:\n    0: {}\n    1: wasm trap: "
             "{}\n",
             file, context, message);
  return kExitTrap;
}

}  // namespace wt::cli
