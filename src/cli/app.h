// The command line: `wtrun [FILE [ARGS...]]` (run, the default), `run`, `compile`, `wast`,
// `help`. Parsing with CLI11; this is the one place where exceptions are caught.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace wt::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitSkipped = 77;  // ctest's SKIP_RETURN_CODE for a missing suite folder
inline constexpr int kExitTrap = 134;    // wasm code trapped (128 + SIGABRT, as wasmtime)

// `run` takes the program's arguments verbatim after FILE (`wtrun prog.wasm -x --y`), which
// CLI11 cannot express, so FILE and what follows are split off before CLI11 parses the rest.
// A first positional that is not a command name means `run` (the default command), and is
// given to CLI11 as "run".
struct SplitArgs {
  std::vector<std::string> cli;  // for CLI11
  std::optional<std::string> run_file;
  std::vector<std::string> program_args;
};
SplitArgs SplitRunArguments(const std::vector<std::string>& args);

int Main(int argc, char** argv);
// `args` excludes the program name.
int Main(const std::vector<std::string>& args);

}  // namespace wt::cli
