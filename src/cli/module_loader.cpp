#include "cli/module_loader.h"

#include <chrono>
#include <cstring>

#include <spdlog/spdlog.h>

#include "text/wat.h"
#include "wasm/reader.h"
#include "wasm/validator.h"
#include "wast/file_io.h"

namespace wt::cli {
namespace {

bool IsBinary(const std::vector<uint8_t>& bytes) {
  static constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6D};
  return bytes.size() >= 4 && std::memcmp(bytes.data(), kMagic, 4) == 0;
}

double MillisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

}  // namespace

Result<LoadedModule> LoadModule(const std::string& path, const wasm::Features& features,
                                bool validate) {
  auto start = std::chrono::steady_clock::now();
  WT_TRY_ASSIGN(std::vector<uint8_t> bytes, wast::ReadFileBytes(path));
  LoadedModule loaded;
  if (!IsBinary(bytes)) {
    loaded.from_text = true;
    std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    text::WatOptions wat_options;
    wat_options.features = features;
    WT_TRY_ASSIGN(bytes, text::WatToBinary(text, path, wat_options));
    spdlog::debug("{}: text encoded to {} bytes in {:.2f} ms", path, bytes.size(),
                  MillisecondsSince(start));
  }
  wasm::ReadOptions read_options;
  read_options.features = features;
  read_options.check_code_syntax = false;  // the validator decodes the bodies ([perf])
  WT_TRY_ASSIGN(loaded.module, wasm::ReadModule(std::move(bytes), read_options));
  spdlog::debug("{}: decoded in {:.2f} ms", path, MillisecondsSince(start));
  if (!validate) return loaded;
  wasm::ValidateOptions validate_options;
  validate_options.features = features;
  WT_TRY(wasm::ValidateModule(loaded.module, validate_options));
  spdlog::debug("{}: validated in {:.2f} ms", path, MillisecondsSince(start));
  return loaded;
}

}  // namespace wt::cli
