// fuzz_replay PATH...: runs files (or the files of directories, not their subdirectories)
// through the fuzz targets as the libFuzzer binaries would: a .wasm through "decode", "run"
// and "simd_isa"; any other file through "text" and "wast", and every module it encodes
// through "decode", "run" and "simd_isa". The regression test of tests/fuzz/findings and
// tests/fuzz/seeds (built in every build, without libFuzzer).
//
// fuzz_replay --open FILE: an open finding (findings/open/): succeeds when replaying FILE
// still fails (in a child process: an abort, a crash or an error exit), and fails once it
// passes, to say the finding is fixed and its file belongs in findings/.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "targets.h"
#include "text/wast_script.h"

namespace fs = std::filesystem;

namespace {

void ReplayBinary(const std::string& bytes) {
  auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  wt::fuzz::FuzzDecode(p, bytes.size());
  wt::fuzz::FuzzRun(p, bytes.size());
  wt::fuzz::FuzzSimdIsa(p, bytes.size());
  wt::fuzz::FuzzCwasm(p, bytes.size());
}

void ReplayText(const std::string& source, const std::string& name) {
  wt::fuzz::FuzzText(reinterpret_cast<const uint8_t*>(source.data()), source.size());
  wt::fuzz::FuzzWast(reinterpret_cast<const uint8_t*>(source.data()), source.size());
  auto script = wt::text::ParseScript(source, name);
  if (!script.ok()) return;
  for (const wt::text::Command& command : script->commands) {
    if (!command.module) continue;
    auto bytes = wt::text::ModuleBinary(*script, *command.module);
    if (bytes.ok()) ReplayBinary(std::string(bytes->begin(), bytes->end()));
  }
}

bool ReplayFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "fuzz_replay: cannot read %s\n", path.c_str());
    return false;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  if (path.extension() == ".wasm") {
    ReplayBinary(ss.str());
  } else {
    ReplayText(ss.str(), path.string());
  }
  return true;
}

int ReplayOpen(const fs::path& path) {
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    std::perror("fuzz_replay: fork");
    return 1;
  }
  if (pid == 0) _exit(ReplayFile(path) ? 0 : 1);
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) {
    std::perror("fuzz_replay: waitpid");
    return 1;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    std::fprintf(stderr,
                 "fuzz_replay: the open finding %s passes now: move it from findings/open/ to "
                 "findings/ (tests/fuzz/findings/README.md)\n",
                 path.c_str());
    return 1;
  }
  std::printf("fuzz_replay: the open finding %s still fails, as expected\n", path.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: fuzz_replay PATH... | fuzz_replay --open FILE\n");
    return 2;
  }
  if (std::string_view(argv[1]) == "--open") {
    if (argc != 3) {
      std::fprintf(stderr, "usage: fuzz_replay --open FILE\n");
      return 2;
    }
    return ReplayOpen(argv[2]);
  }
  size_t files = 0;
  for (int i = 1; i < argc; ++i) {
    fs::path arg = argv[i];
    if (!fs::is_directory(arg)) {
      if (!ReplayFile(arg)) return 1;
      ++files;
      continue;
    }
    std::vector<fs::path> paths;
    for (const auto& e : fs::directory_iterator(arg)) {
      if (e.is_regular_file() && e.path().extension() != ".md") paths.push_back(e.path());
    }
    std::sort(paths.begin(), paths.end());
    for (const fs::path& p : paths) {
      if (!ReplayFile(p)) return 1;
      ++files;
    }
  }
  std::printf("fuzz_replay: %zu files replayed, no crash, no disagreement\n", files);
  return 0;
}
