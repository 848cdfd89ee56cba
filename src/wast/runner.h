// The .wast script runner: runs every command of a script in order, one handler per command
// kind. Until execution exists, it judges module well-formedness and validity
// (module, assert_malformed, assert_invalid) and reports every command that needs to run code
// as skipped ("needs execution").
#pragma once

#include <string>
#include <string_view>

#include "wasm/features.h"
#include "wast/outcome.h"

namespace wt::wast {

struct RunOptions {
  wasm::Features features = wasm::Features::Wasm30();
  // Keep a record for every command (for --json), not only for failures.
  bool keep_all_records = false;
};

// Reads and runs one script. A file that cannot be read or parsed gives one failed record
// (kind "file" or "script", at the error's line).
FileResult RunScriptFile(const std::string& path, const RunOptions& options);
// Runs a script given as text; `path` names it in messages.
FileResult RunScriptSource(std::string source, const std::string& path, const RunOptions& options);

}  // namespace wt::wast
