#include "wast/file_io.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace wt::wast {
namespace {

template <typename Buffer>
Result<Buffer> ReadWhole(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return MakeError(ErrorKind::kIo, "{}: {}", path, std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) return MakeError(ErrorKind::kIo, "{}: is a directory", path);
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return MakeError(ErrorKind::kIo, "{}: {}", path, std::strerror(errno));
  Buffer out;
  if (S_ISREG(st.st_mode) && st.st_size > 0) out.reserve(static_cast<size_t>(st.st_size));
  char chunk[65536];
  for (;;) {
    size_t n = std::fread(chunk, 1, sizeof chunk, f);
    out.insert(out.end(), chunk, chunk + n);
    if (n < sizeof chunk) break;
  }
  bool failed = std::ferror(f) != 0;
  int saved_errno = errno;
  std::fclose(f);
  if (failed) return MakeError(ErrorKind::kIo, "{}: {}", path, std::strerror(saved_errno));
  return out;
}

}  // namespace

Result<std::vector<uint8_t>> ReadFileBytes(const std::string& path) {
  return ReadWhole<std::vector<uint8_t>>(path);
}

Result<std::string> ReadTextFile(const std::string& path) {
  return ReadWhole<std::string>(path);
}

}  // namespace wt::wast
