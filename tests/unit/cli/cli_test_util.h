// Shared by the CLI tests: run cli::Main with captured stdout and stderr.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

#include <gtest/gtest.h>

#include "cli/app.h"

namespace wt::cli {

// A fresh directory per test (named after the process, the test and `tag`), removed at the end.
class TempDir {
 public:
  explicit TempDir(const std::string& tag = "") {
    const auto* info = testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("wtrun-cli-test-" + std::to_string(::getpid()) + "-" + info->test_suite_name() + "." +
             info->name() + tag);
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string Write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
    return (path_ / name).string();
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

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
