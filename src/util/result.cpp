#include "util/result.h"

namespace wt {

const char* ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kMalformed:
      return "malformed";
    case ErrorKind::kInvalid:
      return "invalid";
    case ErrorKind::kUnlinkable:
      return "unlinkable";
    case ErrorKind::kUninstantiable:
      return "uninstantiable";
    case ErrorKind::kIo:
      return "io";
    case ErrorKind::kUsage:
      return "usage";
    case ErrorKind::kUnsupported:
      return "unsupported";
  }
  return "error";
}

std::string Error::ToString() const {
  if (!location.empty()) return fmt::format("{}: {}", location, message);
  if (offset != SIZE_MAX) return fmt::format("{} (at offset 0x{:x})", message, offset);
  return message;
}

}  // namespace wt
