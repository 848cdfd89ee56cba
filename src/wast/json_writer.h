// Writes wast results as JSON for CI scripts: a top-level array with one object per command,
// one object per line:
//   {"file": "...", "line": 12, "kind": "assert_invalid", "result": "failed",
//    "message": "...", "expected": "...", "actual": "..."}
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "util/result.h"
#include "wast/outcome.h"

namespace wt::wast {

// Appends `text` as a JSON string literal (with quotes). Control characters are escaped and
// bytes that are not valid UTF-8 become U+FFFD, so the output is always valid JSON.
void AppendJsonString(std::string_view text, std::string* out);

// The whole document for `files` (records in file order, then line order).
std::string RecordsToJson(std::span<const FileResult> files);

// Writes RecordsToJson(files) to `path` ("-" means stdout). Errors are kIo.
Status WriteJsonFile(const std::string& path, std::span<const FileResult> files);

}  // namespace wt::wast
