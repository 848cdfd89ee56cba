#include "util/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wt::util {
namespace {

Error IoError(const std::string& path, int err) {
  return MakeError(ErrorKind::kIo, "{}: {}", path, std::strerror(err));
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

MappedFile::~MappedFile() {
  if (size_ > 0) ::munmap(const_cast<uint8_t*>(data_), size_);
}

Result<std::shared_ptr<const MappedFile>> MappedFile::Map(const std::string& path, int fd,
                                                          size_t size) {
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (p == MAP_FAILED) return IoError(path, errno);
  return std::shared_ptr<const MappedFile>(new MappedFile(static_cast<const uint8_t*>(p), size));
}

Result<std::shared_ptr<const MappedFile>> MappedFile::MapRange(const std::string& path, int fd,
                                                               uint64_t offset, size_t size) {
  const auto page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  if (size == 0 || offset % page != 0)
    return MakeError(ErrorKind::kIo, "{}: cannot map {} bytes at offset {}", path, size, offset);
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, static_cast<off_t>(offset));
  if (p == MAP_FAILED) return IoError(path, errno);
  return std::shared_ptr<const MappedFile>(new MappedFile(static_cast<const uint8_t*>(p), size));
}

Result<std::shared_ptr<const MappedFile>> MappedFile::Open(const std::string& path) {
  Fd f;
  f.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f.fd < 0) return IoError(path, errno);
  struct stat st;
  if (::fstat(f.fd, &st) != 0) return IoError(path, errno);
  if (!S_ISREG(st.st_mode) || st.st_size <= 0)
    return MakeError(ErrorKind::kIo, "{}: not a non-empty regular file", path);
  return Map(path, f.fd, static_cast<size_t>(st.st_size));
}

Result<FileContents> MapOrReadFile(const std::string& path) {
  Fd f;
  f.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f.fd < 0) return IoError(path, errno);
  struct stat st;
  if (::fstat(f.fd, &st) != 0) return IoError(path, errno);
  if (S_ISDIR(st.st_mode)) return MakeError(ErrorKind::kIo, "{}: is a directory", path);
  FileContents out;
  if (S_ISREG(st.st_mode) && st.st_size > 0) {
    auto m = MappedFile::Map(path, f.fd, static_cast<size_t>(st.st_size));
    if (m.ok()) {
      out.mapping = std::move(m).value();
      return out;
    }
    // mmap refused (e.g. a file system without mmap): read it.
    out.bytes.reserve(static_cast<size_t>(st.st_size));
  }
  uint8_t chunk[65536];
  for (;;) {
    ssize_t n = ::read(f.fd, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError(path, errno);
    }
    if (n == 0) break;
    out.bytes.insert(out.bytes.end(), chunk, chunk + n);
  }
  return out;
}

}  // namespace wt::util
