// spdlog set-up: the default logger writes to stderr at the level given by --log-level, else
// by the WTRUN_LOG environment variable, else "warn".
#pragma once

#include <string_view>

#include "util/result.h"

namespace wt::cli {

inline constexpr const char* kLogLevels[] = {"trace", "debug",    "info", "warn",
                                             "error", "critical", "off"};

// Errors (kUsage) for an unknown --log-level; an unknown WTRUN_LOG only warns.
Status SetUpLogging(std::string_view flag_level);

}  // namespace wt::cli
