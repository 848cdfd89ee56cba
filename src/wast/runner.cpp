#include "wast/runner.h"

#include <charconv>

#include <fmt/format.h>

#include "runtime/runtime.h"
#include "text/wast_script.h"
#include "wasm/reader.h"
#include "wasm/validator.h"
#include "wast/engine.h"
#include "wast/file_io.h"
#include "wast/value_match.h"

namespace wt::wast {
namespace {

using runtime::LoadedModule;
using runtime::TrapCode;
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

std::string OneLine(std::string s) {
  for (char& ch : s) {
    if (ch == '\n' || ch == '\r') ch = ' ';
  }
  return s;
}

std::string Describe(const Error& e) {
  return OneLine(e.ToString());
}

// "wasm trap: out of bounds memory access" style text for messages.
std::string DescribeTrap(const runtime::Trap& trap) {
  std::string s = fmt::format("trap: {}", runtime::TrapMessage(trap.code));
  if (!trap.detail.empty()) s += fmt::format(" ({})", trap.detail);
  return OneLine(std::move(s));
}

// Runs the commands of one script in order; one handler per command kind.
class ScriptRunner {
 public:
  ScriptRunner(const text::Script& script, const RunOptions& options, FileResult* result)
      : script_(script),
        options_(options),
        result_(result),
        engine_(options.features, options.store_options, options.simd_isa, options.compile_mode,
                options.via_cwasm) {
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
      case CommandKind::kModuleInstance:
        return OnModuleInstance(c);
      case CommandKind::kRegister:
        return OnRegister(c);
      case CommandKind::kAction:
        return OnAction(c);
      case CommandKind::kAssertReturn:
        return OnAssertReturn(c);
      case CommandKind::kAssertTrap:
        return c.module ? OnAssertTrapModule(c) : OnAssertTrap(c);
      case CommandKind::kAssertExhaustion:
        return OnAssertExhaustion(c);
      case CommandKind::kAssertException:
        return OnAssertException(c);  // [exceptions]
      case CommandKind::kAssertMalformed:
        return ExpectError(c, ErrorKind::kMalformed, "a malformed");
      case CommandKind::kAssertInvalid:
        return ExpectError(c, ErrorKind::kInvalid, "an invalid");
      case CommandKind::kAssertUnlinkable:
        return OnAssertUnlinkable(c);
      case CommandKind::kAssertUninstantiable:
        return OnAssertUninstantiable(c);
      case CommandKind::kThread:
      case CommandKind::kWait:
        return Record(c, Outcome::kSkipped, std::string(kNeedsThreads));
    }
    Record(c, Outcome::kFailed, "unknown command kind");
  }

  // ---- Modules

  // Decodes and validates (errors kMalformed / kInvalid).
  Result<wasm::Module> Decode(const ScriptModule& m) {
    WT_TRY_ASSIGN(std::vector<uint8_t> bytes, text::ModuleBinary(script_, m, wat_options_));
    WT_TRY_ASSIGN(wasm::Module module, wasm::ReadModule(std::move(bytes), read_options_));
    WT_TRY(wasm::ValidateModule(module, validate_options_));
    return module;
  }

  // Decodes, validates and compiles (kUnsupported for what the JIT does not do yet).
  Result<std::shared_ptr<const LoadedModule>> Load(const ScriptModule& m) {
    WT_TRY_ASSIGN(wasm::Module module, Decode(m));
    return engine_.Compile(std::move(module));
  }

  // Why a module that should load did not: its decode/validation error, or the missing
  // feature as it is ("unsupported feature: simd").
  static std::string LoadFailure(const Error& e) {
    if (e.kind == ErrorKind::kUnsupported) return OneLine(e.message);
    return fmt::format("expected a valid module, but it is {}: {}", ErrorKindName(e.kind),
                       Describe(e));
  }

  void OnModule(const Command& c) {
    const ScriptModule& m = *c.module;
    auto loaded = Load(m);
    if (!loaded.ok()) {
      std::string why = LoadFailure(loaded.error());
      if (m.definition) {
        engine_.AddFailedDefinition(m.id, why);
      } else {
        engine_.SetCurrent(m.id, nullptr, why);
      }
      return Record(c, Outcome::kFailed, why, "", Describe(loaded.error()));
    }
    if (m.definition) {
      engine_.AddDefinition(m.id, std::move(loaded).value());
      return Record(c, Outcome::kPassed);
    }
    InstantiateAsCurrent(c, m.id, std::move(loaded).value());
  }

  void OnModuleInstance(const Command& c) {
    std::string why;
    auto def = engine_.FindDefinition(c.definition, &why);
    if (def == nullptr) {
      engine_.SetCurrent(c.id, nullptr, why);
      return Record(c, Outcome::kFailed, why);
    }
    InstantiateAsCurrent(c, c.id, std::move(def));
  }

  void InstantiateAsCurrent(const Command& c, const std::string& id,
                            std::shared_ptr<const LoadedModule> module) {
    InstantiateOutcome out = engine_.Instantiate(std::move(module));
    if (out.instance != nullptr) {
      engine_.SetCurrent(id, out.instance);
      return Record(c, Outcome::kPassed);
    }
    std::string why = fmt::format("instantiation failed: {}", Describe(*out.error));
    engine_.SetCurrent(id, nullptr, why);
    Record(c, Outcome::kFailed, why, "", Describe(*out.error));
  }

  void OnRegister(const Command& c) {
    Status s = engine_.Register(c.text, c.id);
    if (!s.ok()) return Record(c, Outcome::kFailed, fmt::format("register: {}", s.error().message));
    Record(c, Outcome::kPassed);
  }

  // ---- Actions

  // Runs the command's action; on an error records the failure and returns nullopt.
  std::optional<ActionResult> RunAction(const Command& c) {
    auto r = engine_.Run(*c.action);
    if (!r.ok()) {
      Record(c, Outcome::kFailed, OneLine(r.error().message));
      return std::nullopt;
    }
    return std::move(r).value();
  }

  void OnAction(const Command& c) {
    auto r = RunAction(c);
    if (!r) return;
    if (r->trap) return Record(c, Outcome::kFailed, DescribeTrap(*r->trap));
    Record(c, Outcome::kPassed);
  }

  void OnAssertReturn(const Command& c) {
    auto r = RunAction(c);
    if (!r) return;
    const std::string expected = FormatExpecteds(c.expected);
    if (r->trap) {
      return Record(c, Outcome::kFailed,
                    fmt::format("expected results, got a {}", DescribeTrap(*r->trap)), expected,
                    "");
    }
    std::optional<std::string> why = MatchResults(c.expected, r->results);
    if (why) return Record(c, Outcome::kFailed, *why, expected, FormatActuals(r->results));
    RecordPass(c, expected, FormatActuals(r->results));
  }

  // assert_trap and assert_exhaustion on an action.
  void ExpectTrap(const Command& c) {
    auto r = RunAction(c);
    if (!r) return;
    if (!r->trap) {
      return Record(c, Outcome::kFailed, "expected a trap, but it returned", c.text,
                    FormatActuals(r->results));
    }
    CheckTrap(c, *r->trap);
  }

  // Passes when the trap's spec message matches the assertion's text.
  void CheckTrap(const Command& c, const runtime::Trap& trap) {
    const std::string actual = runtime::TrapSpecMessage(trap.code);
    if (!TrapMessageMatches(c.text, actual)) {
      return Record(c, Outcome::kFailed, fmt::format("wrong trap: {}", DescribeTrap(trap)), c.text,
                    actual);
    }
    RecordPass(c, c.text, actual);
  }

  void OnAssertTrap(const Command& c) { ExpectTrap(c); }

  // [exceptions] assert_exception: the action must end with an uncaught wasm exception.
  void OnAssertException(const Command& c) {
    auto r = RunAction(c);
    if (!r) return;
    if (!r->trap) {
      return Record(c, Outcome::kFailed, "expected an exception, but it returned", "exception",
                    FormatActuals(r->results));
    }
    if (r->trap->code != runtime::TrapCode::kUncaughtException) {
      return Record(c, Outcome::kFailed,
                    fmt::format("expected an exception, got a {}", DescribeTrap(*r->trap)),
                    "exception", DescribeTrap(*r->trap));
    }
    RecordPass(c, "exception", DescribeTrap(*r->trap));
  }

  void OnAssertExhaustion(const Command& c) { ExpectTrap(c); }

  // Loads a module that must load; records the failure otherwise.
  std::shared_ptr<const LoadedModule> LoadOrRecord(const Command& c) {
    auto loaded = Load(*c.module);
    if (!loaded.ok()) {
      Record(c, Outcome::kFailed, LoadFailure(loaded.error()), c.text, Describe(loaded.error()));
      return nullptr;
    }
    return std::move(loaded).value();
  }

  // assert_trap on a module: instantiation must fail with a trap (in a segment or the start
  // function) whose message matches.
  void OnAssertTrapModule(const Command& c) {
    auto module = LoadOrRecord(c);
    if (module == nullptr) return;
    InstantiateOutcome out = engine_.Instantiate(std::move(module));
    if (out.instance != nullptr) {
      return Record(c, Outcome::kFailed, "expected a trap, but it instantiated", c.text, "");
    }
    if (!out.trap) {
      return Record(c, Outcome::kFailed,
                    fmt::format("expected a trap, but {}", Describe(*out.error)), c.text,
                    Describe(*out.error));
    }
    CheckTrap(c, *out.trap);
  }

  void OnAssertUninstantiable(const Command& c) {
    auto module = LoadOrRecord(c);
    if (module == nullptr) return;
    InstantiateOutcome out = engine_.Instantiate(std::move(module));
    if (out.instance != nullptr) {
      return Record(c, Outcome::kFailed, "expected an uninstantiable module, but it instantiated",
                    c.text, "");
    }
    if (out.error->kind != ErrorKind::kUninstantiable) {
      return Record(c, Outcome::kFailed,
                    fmt::format("expected an uninstantiable module, but it is {}: {}",
                                ErrorKindName(out.error->kind), Describe(*out.error)),
                    c.text, Describe(*out.error));
    }
    if (out.trap) return CheckTrap(c, *out.trap);
    RecordPass(c, c.text, Describe(*out.error));
  }

  void OnAssertUnlinkable(const Command& c) {
    auto module = LoadOrRecord(c);
    if (module == nullptr) return;
    InstantiateOutcome out = engine_.Instantiate(std::move(module));
    if (out.instance != nullptr) {
      return Record(c, Outcome::kFailed, "expected an unlinkable module, but it instantiated",
                    c.text, "");
    }
    if (out.error->kind != ErrorKind::kUnlinkable) {
      return Record(c, Outcome::kFailed,
                    fmt::format("expected an unlinkable module, but it is {}: {}",
                                ErrorKindName(out.error->kind), Describe(*out.error)),
                    c.text, Describe(*out.error));
    }
    RecordPass(c, c.text, Describe(*out.error));
  }

  // ---- assert_malformed / assert_invalid

  // Passes when loading the module fails with `want`; the message text is recorded, not
  // compared.
  void ExpectError(const Command& c, ErrorKind want, std::string_view want_name) {
    auto decoded = Decode(*c.module);
    if (!decoded.ok() && decoded.error().kind == want) {
      return RecordPass(c, c.text, Describe(decoded.error()));
    }
    if (decoded.ok()) {
      return Record(c, Outcome::kFailed,
                    fmt::format("expected {} module, but it decodes and validates", want_name),
                    c.text, "");
    }
    std::string actual = Describe(decoded.error());
    Record(c, Outcome::kFailed,
           fmt::format("expected {} module, but it is {}: {}", want_name,
                       ErrorKindName(decoded.error().kind), actual),
           c.text, actual);
  }

  // ---- Records

  // "invoke" / "get" for a bare action, else the command's keyword.
  static std::string_view KindName(const Command& c) {
    if (c.kind == CommandKind::kAction && c.action) {
      return c.action->kind == text::ActionKind::kInvoke ? "invoke" : "get";
    }
    return text::CommandKindName(c.kind);
  }

  // A pass, keeping what was expected and what happened when every record is kept.
  void RecordPass(const Command& c, const std::string& expected, const std::string& actual) {
    if (options_.keep_all_records) return Record(c, Outcome::kPassed, "", expected, actual);
    Record(c, Outcome::kPassed);
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
  Engine engine_;
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
