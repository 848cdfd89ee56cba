#include <fmt/format.h>

#include "cli/options.h"

namespace wt::cli {

Result<wasm::Features> ResolveFeatures(std::string_view preset, std::string_view changes) {
  wasm::Features features;
  if (preset == "2.0" || preset == "2") {
    features = wasm::Features::Wasm20();
  } else if (preset == "3.0" || preset == "3") {
    features = wasm::Features::Wasm30();
  } else {
    return MakeError(ErrorKind::kUsage, "--wasm: unknown version '{}' (2.0 or 3.0)", preset);
  }
  while (!changes.empty()) {
    size_t comma = changes.find(',');
    std::string_view item = changes.substr(0, comma);
    changes.remove_prefix(comma == std::string_view::npos ? changes.size() : comma + 1);
    if (item.empty()) continue;
    bool on = true;
    if (item.front() == '+' || item.front() == '-') {
      on = item.front() == '+';
      item.remove_prefix(1);
    }
    wasm::Feature feature;
    if (!wasm::ParseFeatureName(item, &feature)) {
      std::string known;
      for (int i = 0; i < static_cast<int>(wasm::Feature::kCount); ++i) {
        if (!known.empty()) known += ", ";
        known += wasm::FeatureName(static_cast<wasm::Feature>(i));
      }
      return MakeError(ErrorKind::kUsage, "--features: unknown feature '{}' (known: {})", item,
                       known);
    }
    features.set(feature, on);
  }
  return features;
}

}  // namespace wt::cli
