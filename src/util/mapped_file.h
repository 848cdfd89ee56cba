// A file's bytes without a copy: a read-only private mapping of a regular file (MAP_PRIVATE,
// PROT_READ), or, where a mapping is not possible (pipes, character devices, empty files,
// mmap refused), the bytes read into memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "util/result.h"

namespace wt::util {

struct FileContents;

class MappedFile {
 public:
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  std::span<const uint8_t> span() const { return {data_, size_}; }

  // Maps `path`. Errors (kIo) for files that cannot be opened or mapped (not regular, empty).
  static Result<std::shared_ptr<const MappedFile>> Open(const std::string& path);
  // Maps `size` (> 0) bytes of the open file `fd` from `offset`, a multiple of the page size
  // (a section of a .cwasm artifact). `path` names the file in errors (kIo).
  static Result<std::shared_ptr<const MappedFile>> MapRange(const std::string& path, int fd,
                                                            uint64_t offset, size_t size);

 private:
  friend Result<FileContents> MapOrReadFile(const std::string& path);
  MappedFile(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  // Maps the open file `fd` of `size` (> 0) bytes.
  static Result<std::shared_ptr<const MappedFile>> Map(const std::string& path, int fd,
                                                       size_t size);
  const uint8_t* data_;
  size_t size_;
};

// The contents of `path`: `mapping` set (and `bytes` empty) when the file could be mapped,
// else `bytes` read (pipes, devices, empty files). Errors are kIo: "cannot open FILE: why".
struct FileContents {
  std::shared_ptr<const MappedFile> mapping;
  std::vector<uint8_t> bytes;
};
Result<FileContents> MapOrReadFile(const std::string& path);

}  // namespace wt::util
