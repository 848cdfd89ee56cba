// Target "text": the .wast script parser and the text -> binary encoder, checked against the
// binary decoder: every module the encoder produces must decode, encoding is deterministic,
// and `(module binary "...")` of the encoded bytes gives the same bytes back.
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "targets.h"
#include "text/wast_script.h"
#include "text/wat.h"
#include "wasm/reader.h"
#include "wasm/validator.h"

namespace wt::fuzz {
namespace {

constexpr std::string_view kName = "text";

std::string Where(const text::ScriptModule& m) {
  return fmt::format("module at {}:{}", m.line, m.column);
}

// The encoder's output must be a well-formed module; validating it exercises the validator on
// modules that are well-formed by construction.
void CheckDecodes(const std::vector<uint8_t>& bytes, std::string_view where) {
  auto module = wasm::ReadModule(bytes);
  if (!module.ok()) {
    return Fail(kName, fmt::format("{}: the encoder's binary does not decode: {}", where,
                                   module.error().ToString()));
  }
  (void)wasm::ValidateModule(*module);
}

// `(module binary "\xx...")` of `bytes`, parsed as a script, must give `bytes` back.
void CheckBinaryQuote(const std::vector<uint8_t>& bytes, std::string_view where) {
  std::string text = "(module binary \"";
  for (uint8_t b : bytes) text += fmt::format("\\{:02x}", b);
  text += "\")";
  auto script = text::ParseScript(std::move(text), "quoted.wast");
  if (!script.ok() || script->commands.size() != 1 || !script->commands[0].module) {
    return Fail(kName,
                fmt::format("{}: (module binary ...) of the encoded bytes does not parse", where));
  }
  auto again = text::ModuleBinary(*script, *script->commands[0].module);
  if (!again.ok() || *again != bytes) {
    Fail(kName, fmt::format("{}: (module binary ...) does not give the encoded bytes back", where));
  }
}

}  // namespace

int FuzzText(const uint8_t* data, size_t size) {
  std::string source(reinterpret_cast<const char*>(data), size);

  // As a script.
  auto script = text::ParseScript(source, "fuzz.wast");
  if (script.ok()) {
    for (const text::Command& command : script->commands) {
      if (!command.module) continue;
      const text::ScriptModule& m = *command.module;
      auto bytes = text::ModuleBinary(*script, m);
      if (!bytes.ok()) continue;
      if (m.form == text::ModuleForm::kBinary) {
        // Any bytes: only the decoder's robustness is at stake.
        if (auto module = wasm::ReadModule(*bytes); module.ok()) {
          (void)wasm::ValidateModule(*module);
        }
        continue;
      }
      std::string where = Where(m);
      CheckDecodes(*bytes, where);
      auto again = text::ModuleBinary(*script, m);
      if (!again.ok() || *again != *bytes) {
        Fail(kName, fmt::format("{}: encoding twice gives different results", where));
      }
      CheckBinaryQuote(*bytes, where);
    }
  }

  // As a .wat file.
  auto bytes = text::WatToBinary(source, "fuzz.wat");
  if (bytes.ok()) {
    CheckDecodes(*bytes, "the .wat file");
    auto again = text::WatToBinary(source, "fuzz.wat");
    if (!again.ok() || *again != *bytes) {
      Fail(kName, "the .wat file: encoding twice gives different results");
    }
  }
  return 0;
}

}  // namespace wt::fuzz
