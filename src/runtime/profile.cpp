// [traps] Placeholder until profiling lands.
#include "runtime/profile.h"

namespace wt::runtime {

Status SetProfileMode(ProfileMode mode) {
  if (mode == ProfileMode::kNone) return {};
  return MakeError(ErrorKind::kUnsupported, "profiling is not implemented yet");
}

Result<ProfileMode> ParseProfileMode(std::string_view text) {
  if (text == "none") return ProfileMode::kNone;
  if (text == "perfmap") return ProfileMode::kPerfMap;
  if (text == "jitdump") return ProfileMode::kJitDump;
  return MakeError(ErrorKind::kUsage, "unknown profiling mode '{}' (perfmap, jitdump or none)",
                   text);
}

}  // namespace wt::runtime
