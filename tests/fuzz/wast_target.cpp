// Target "wast": the script runner of `wtrun wast` on arbitrary scripts: parse, encode, decode,
// validate, compile, instantiate (with `spectest` and registered modules), run every action
// and compare with the assertions, with fuel per command and the run target's limits. A
// failing assertion is a normal outcome; crashes and sanitizer reports are findings.
#include <string>

#include "targets.h"
#include "wast/runner.h"

namespace wt::fuzz {

int FuzzWast(const uint8_t* data, size_t size) {
  wast::RunOptions options;
  options.store_options.fuel = 50'000;
  options.store_options.limits.max_wasm_stack = 256 * 1024;
  options.store_options.limits.max_memory_bytes = 16 * 1024 * 1024;
  options.store_options.limits.max_table_elements = 100'000;
  std::string source(reinterpret_cast<const char*>(data), size);
  (void)wast::RunScriptSource(std::move(source), "fuzz.wast", options);
  return 0;
}

}  // namespace wt::fuzz
