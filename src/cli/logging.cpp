#include "cli/logging.h"

#include <cstdlib>
#include <memory>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace wt::cli {
namespace {

bool ParseLevel(std::string_view name, spdlog::level::level_enum* out) {
  for (int i = 0; i < static_cast<int>(std::size(kLogLevels)); ++i) {
    if (name == kLogLevels[i]) {
      *out = static_cast<spdlog::level::level_enum>(i);
      return true;
    }
  }
  if (name == "warning") {
    *out = spdlog::level::warn;
    return true;
  }
  return false;
}

}  // namespace

Status SetUpLogging(std::string_view flag_level) {
  static_assert(spdlog::level::trace == 0 && spdlog::level::off == 6);
  auto level = spdlog::level::warn;
  bool bad_env = false;
  std::string_view env_level;
  if (!flag_level.empty()) {
    if (!ParseLevel(flag_level, &level)) {
      return MakeError(ErrorKind::kUsage,
                       "--log-level: unknown level '{}' (trace, debug, info, warn, error, "
                       "critical, off)",
                       flag_level);
    }
  } else if (const char* env = std::getenv("WTRUN_LOG"); env != nullptr && *env != '\0') {
    env_level = env;
    bad_env = !ParseLevel(env_level, &level);
  }
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_st>();
  auto logger = std::make_shared<spdlog::logger>("wtrun", std::move(sink));
  logger->set_pattern("wtrun: %l: %v");
  logger->set_level(level);
  spdlog::set_default_logger(logger);
  if (bad_env) spdlog::warn("WTRUN_LOG: unknown level '{}', using 'warn'", env_level);
  return Ok();
}

}  // namespace wt::cli
