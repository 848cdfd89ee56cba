// Target "decode": the binary reader and the validator on arbitrary bytes, with the Wasm 2.0
// and 3.0 presets, each with the reader's code-syntax pass on and off: the two modes must agree
// on validity, and a module valid under 2.0 must be valid under 3.0.
#include <string>
#include <vector>

#include "targets.h"
#include "wasm/reader.h"
#include "wasm/validator.h"

namespace wt::fuzz {
namespace {

// Decode and validate; true when the module is valid.
bool DecodeAndValidate(const uint8_t* data, size_t size, wasm::Features features,
                       bool check_code_syntax, std::string* error) {
  wasm::ReadOptions read;
  read.features = features;
  read.check_code_syntax = check_code_syntax;
  auto module = wasm::ReadModule(std::vector<uint8_t>(data, data + size), read);
  if (!module.ok()) {
    *error = module.error().ToString();
    return false;
  }
  wasm::ValidateOptions validate;
  validate.features = features;
  Status st = wasm::ValidateModule(*module, validate);
  if (!st.ok()) {
    *error = st.error().ToString();
    return false;
  }
  return true;
}

bool CheckPreset(const uint8_t* data, size_t size, wasm::Features features, const char* name) {
  std::string with, without;
  bool ok_with = DecodeAndValidate(data, size, features, /*check_code_syntax=*/true, &with);
  bool ok_without = DecodeAndValidate(data, size, features, /*check_code_syntax=*/false, &without);
  if (ok_with != ok_without) {
    Fail("decode", std::string(name) + ": decoding with the code-syntax pass says " +
                       (ok_with ? "valid" : with) + ", without it " +
                       (ok_without ? "valid" : without));
  }
  return ok_with;
}

}  // namespace

int FuzzDecode(const uint8_t* data, size_t size) {
  bool valid20 = CheckPreset(data, size, wasm::Features::Wasm20(), "wasm 2.0");
  bool valid30 = CheckPreset(data, size, wasm::Features::Wasm30(), "wasm 3.0");
  // Wasm 3.0 is backwards compatible: a valid 2.0 module is a valid 3.0 module.
  if (valid20 && !valid30) Fail("decode", "valid with the Wasm 2.0 preset, not with 3.0");
  return 0;
}

}  // namespace wt::fuzz
