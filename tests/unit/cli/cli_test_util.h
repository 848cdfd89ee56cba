// Shared by the CLI tests: run cli::Main with captured stdout and stderr.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli/app.h"

namespace wt::cli {

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

inline Outcome RunMain(const std::vector<std::string>& args) {
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  int code = Main(args);
  std::fflush(stdout);
  std::fflush(stderr);
  return Outcome{code, testing::internal::GetCapturedStdout(),
                 testing::internal::GetCapturedStderr()};
}

}  // namespace wt::cli
