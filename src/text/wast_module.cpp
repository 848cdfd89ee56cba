// The binary of a script module. Kept apart from the parser so that code which only parses
// scripts does not pull in the text-format encoder.
#include "text/wast_script.h"

namespace wt::text {

Result<std::vector<uint8_t>> ModuleBinary(const Script& script, const ScriptModule& module,
                                          const WatOptions& options) {
  switch (module.form) {
    case ModuleForm::kBinary:
      return module.bytes;
    case ModuleForm::kQuote:
      return WatToBinary(module.quote, script.filename, options);
    case ModuleForm::kText:
      return EncodeModuleFields(script.ModuleFields(module), script.filename, module.id_text,
                                options);
  }
  return MakeError(ErrorKind::kMalformed, "unknown module form");
}

}  // namespace wt::text
