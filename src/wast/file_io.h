// Whole-file reads with errors as values (kIo, "PATH: reason").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/result.h"

namespace wt::wast {

Result<std::vector<uint8_t>> ReadFileBytes(const std::string& path);
Result<std::string> ReadTextFile(const std::string& path);

}  // namespace wt::wast
