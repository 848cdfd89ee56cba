// Target "cwasm": the .cwasm loader's checks (runtime/cwasm.h) on damaged artifacts: header,
// section table, tables, declarations. The code is never run (it cannot be checked: the trust
// model of docs/cwasm.md), but it is placed and registered, then unloaded. An input is either
// an artifact (first byte: 0 as is, 1 with this build's version written in, 2 also resealed:
// hashes recomputed, so the checks behind them are reached) or a wasm module ("\0asm": compiled
// and written as an artifact, then damaged at offsets taken from the module's last bytes).
// Every refusal must be one line naming the file; nothing may crash.
#include <cstring>
#include <string>
#include <vector>

#include "jit/cwasm_format.h"
#include "runtime/cwasm.h"
#include "runtime/runtime.h"
#include "targets.h"
#include "wasm/reader.h"

namespace wt::fuzz {
namespace {

constexpr std::string_view kName = "fuzz.cwasm";

void Check(std::span<const uint8_t> bytes) {
  runtime::PrecompiledOptions options;
  auto loaded = runtime::LoadPrecompiledBytes(bytes, kName, options);
  if (loaded.ok()) return;
  const std::string& m = loaded.error().message;
  if (m.find('\n') != std::string::npos || !m.starts_with(std::string(kName) + " "))
    Fail("cwasm", "refusal is not one line naming the file: " + m);
}

void FromModule(const uint8_t* data, size_t size) {
  wasm::ReadOptions read;
  read.features = wasm::Features::Wasm30();
  auto decoded = wasm::ReadModule(std::vector<uint8_t>(data, data + size), read);
  if (!decoded.ok()) return;
  jit::CompileOptions compile;
  compile.features = read.features;
  compile.jobs = 1;
  auto loaded = runtime::LoadModule(std::move(*decoded), compile);
  if (!loaded.ok()) return;
  auto artifact = runtime::SerializeModule(**loaded, compile);
  if (!artifact.ok()) return;
  std::vector<uint8_t>& bytes = *artifact;
  if (!runtime::LoadPrecompiledBytes(bytes, kName, {}).ok())
    Fail("cwasm", "an undamaged artifact does not load");
  // Damage outside the code: up to 4 positions from the module's last bytes.
  jit::cwasm::CwasmHeader h;
  std::memcpy(&h, bytes.data(), sizeof(h));
  const auto& code = h.sections[static_cast<size_t>(jit::cwasm::Section::kCode)];
  for (size_t k = 0; k < 4 && k * 3 + 3 <= size; ++k) {
    const uint8_t* p = data + size - 3 * (k + 1);
    size_t at = (size_t{p[0]} << 8 | p[1]) * 7 % bytes.size();
    if (at >= code.offset && at < code.offset + code.size) continue;
    std::vector<uint8_t> damaged = bytes;
    damaged[at] ^= p[2] | 1;
    Check(damaged);
    runtime::ResealForTesting(damaged);
    Check(damaged);
  }
}

}  // namespace

int FuzzCwasm(const uint8_t* data, size_t size) {
  if (size >= 4 && std::memcmp(data, "\0asm", 4) == 0) {
    FromModule(data, size);
    return 0;
  }
  if (size == 0) return 0;
  std::vector<uint8_t> bytes(data + 1, data + size);
  if (data[0] % 3 != 0) runtime::ResealForTesting(bytes);
  if (data[0] % 3 == 1 && bytes.size() >= sizeof(jit::cwasm::CwasmHeader)) {
    // Version only: restore the hashes of the input.
    std::memcpy(bytes.data() + offsetof(jit::cwasm::CwasmHeader, content_sha256),
                data + 1 + offsetof(jit::cwasm::CwasmHeader, content_sha256), 3 * 32);
  }
  Check(bytes);
  return 0;
}

}  // namespace wt::fuzz
