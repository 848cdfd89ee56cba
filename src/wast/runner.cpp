#include "wast/runner.h"

#include <charconv>

#include <fmt/format.h>

#include "text/wast_script.h"
#include "wasm/reader.h"
#include "wasm/validator.h"
#include "wast/file_io.h"

namespace wt::wast {
namespace {

using text::Command;
using text::CommandKind;
using text::ScriptModule;

// The line of a "file:line:column" location, or 0.
uint32_t LineOf(std::string_view location) {
  size_t last = location.rfind(':');
  if (last == std::string_view::npos || last == 0) return 0;
  size_t prev = location.rfind(':', last - 1);
  if (prev == std::string_view::npos) return 0;
  std::string_view digits = location.substr(prev + 1, last - prev - 1);
  uint32_t line = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), line);
  return ec == std::errc() && ptr == digits.data() + digits.size() ? line : 0;
}

FileResult SingleFailure(const std::string& path, uint32_t line, std::string_view kind,
                         std::string message) {
  FileResult result;
  result.path = path;
  result.counts.Add(Outcome::kFailed);
  result.records.push_back({line, kind, Outcome::kFailed, std::move(message), "", ""});
  return result;
}

// Runs the commands of one script in order; one handler per command kind.
class ScriptRunner {
 public:
  ScriptRunner(const text::Script& script, const RunOptions& options, FileResult* result)
      : script_(script), options_(options), result_(result) {
    wat_options_.features = options.features;
    read_options_.features = options.features;
    validate_options_.features = options.features;
  }

  void Run() {
    for (const Command& command : script_.commands) Dispatch(command);
  }

 private:
  void Dispatch(const Command& c) {
    switch (c.kind) {
      case CommandKind::kModule:
        return OnModule(c);
      case CommandKind::kAssertMalformed:
        return OnAssertMalformed(c);
      case CommandKind::kAssertInvalid:
        return OnAssertInvalid(c);
      case CommandKind::kModuleInstance:
      case CommandKind::kRegister:
      case CommandKind::kAction:
      case CommandKind::kAssertReturn:
      case CommandKind::kAssertTrap:
      case CommandKind::kAssertExhaustion:
      case CommandKind::kAssertException:
      case CommandKind::kAssertUnlinkable:
      case CommandKind::kAssertUninstantiable:
      case CommandKind::kThread:
      case CommandKind::kWait:
        return OnNeedsExecution(c);
    }
    Record(c, Outcome::kFailed, "unknown command kind");
  }

  // A module passes when it decodes and validates. (Instantiating it needs execution; the
  // commands that use its instance are skipped.)
  void OnModule(const Command& c) {
    Status status = CheckModule(*c.module);
    if (status.ok()) return Record(c, Outcome::kPassed);
    Record(c, Outcome::kFailed,
           fmt::format("expected a valid module, but it is {}", ErrorKindName(status.error().kind)),
           "", Describe(status.error()));
  }

  void OnAssertMalformed(const Command& c) { ExpectError(c, ErrorKind::kMalformed, "a malformed"); }
  void OnAssertInvalid(const Command& c) { ExpectError(c, ErrorKind::kInvalid, "an invalid"); }

  void OnNeedsExecution(const Command& c) {
    Record(c, Outcome::kSkipped, std::string(kNeedsExecution));
  }

  // Passes when loading the module fails with `want`; the message text is recorded, not
  // compared.
  void ExpectError(const Command& c, ErrorKind want, std::string_view want_name) {
    Status status = CheckModule(*c.module);
    if (!status.ok() && status.error().kind == want) {
      if (options_.keep_all_records) {
        Record(c, Outcome::kPassed, "", c.text, Describe(status.error()));
      } else {
        Record(c, Outcome::kPassed);
      }
      return;
    }
    if (status.ok()) {
      return Record(c, Outcome::kFailed,
                    fmt::format("expected {} module, but it decodes and validates", want_name),
                    c.text, "");
    }
    std::string actual = Describe(status.error());
    Record(c, Outcome::kFailed,
           fmt::format("expected {} module, but it is {}: {}", want_name,
                       ErrorKindName(status.error().kind), actual),
           c.text, actual);
  }

  Status CheckModule(const ScriptModule& m) {
    WT_TRY_ASSIGN(std::vector<uint8_t> bytes, text::ModuleBinary(script_, m, wat_options_));
    WT_TRY_ASSIGN(wasm::Module module, wasm::ReadModule(std::move(bytes), read_options_));
    return wasm::ValidateModule(module, validate_options_);
  }

  // "invoke" / "get" for a bare action, else the command's keyword.
  static std::string_view KindName(const Command& c) {
    if (c.kind == CommandKind::kAction && c.action) {
      return c.action->kind == text::ActionKind::kInvoke ? "invoke" : "get";
    }
    return text::CommandKindName(c.kind);
  }

  static std::string Describe(const Error& e) {
    std::string s = e.ToString();
    for (char& ch : s) {
      if (ch == '\n' || ch == '\r') ch = ' ';
    }
    return s;
  }

  void Record(const Command& c, Outcome outcome, std::string message = {},
              std::string expected = {}, std::string actual = {}) {
    result_->counts.Add(outcome);
    if (outcome != Outcome::kFailed && !options_.keep_all_records) return;
    result_->records.push_back(
        {c.line, KindName(c), outcome, std::move(message), std::move(expected), std::move(actual)});
  }

  const text::Script& script_;
  const RunOptions& options_;
  FileResult* result_;
  text::WatOptions wat_options_;
  wasm::ReadOptions read_options_;
  wasm::ValidateOptions validate_options_;
};

}  // namespace

FileResult RunScriptFile(const std::string& path, const RunOptions& options) {
  auto text = ReadTextFile(path);
  if (!text.ok()) return SingleFailure(path, 0, "file", text.error().message);
  return RunScriptSource(std::move(text).value(), path, options);
}

FileResult RunScriptSource(std::string source, const std::string& path, const RunOptions& options) {
  auto script = text::ParseScript(std::move(source), path);
  if (!script.ok()) {
    return SingleFailure(path, LineOf(script.error().location), "script",
                         script.error().ToString());
  }
  FileResult result;
  result.path = path;
  ScriptRunner runner(*script, options, &result);
  runner.Run();
  return result;
}

}  // namespace wt::wast
