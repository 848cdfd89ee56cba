// ModuleBytes and util::MapOrReadFile: a regular file is mapped (no copy) and decodes like
// the same bytes in a vector; pipes and empty files are read; errors are one-line kIo.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "util/mapped_file.h"
#include "wasm/module.h"
#include "wasm/reader.h"
#include "wasm/validator.h"

namespace wt::wasm {
namespace {

// A module with one function `(func (result i32) (local i64) i32.const 7)`.
const std::vector<uint8_t> kModule = {
    0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,  // header
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7F,        // type: [] -> [i32]
    0x03, 0x02, 0x01, 0x00,                          // func 0: type 0
    0x0A, 0x08, 0x01, 0x06, 0x01, 0x01, 0x7E, 0x41, 0x07, 0x0B};

std::string TempFile(const std::vector<uint8_t>& bytes) {
  char path[] = "/tmp/wt_module_bytes_XXXXXX";
  int fd = ::mkstemp(path);
  EXPECT_GE(fd, 0);
  if (!bytes.empty()) {
    EXPECT_EQ(::write(fd, bytes.data(), bytes.size()), ssize_t(bytes.size()));
  }
  ::close(fd);
  return path;
}

TEST(ModuleBytes, RegularFileIsMappedAndDecodes) {
  std::string path = TempFile(kModule);
  auto c = util::MapOrReadFile(path);
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_NE(c->mapping, nullptr);
  EXPECT_TRUE(c->bytes.empty());
  ModuleBytes b(std::move(c->mapping));
  EXPECT_TRUE(b.mapped());
  ASSERT_EQ(b.size(), kModule.size());
  EXPECT_TRUE(std::equal(b.begin(), b.end(), kModule.begin()));
  std::span<const uint8_t> s = b;  // implicit
  EXPECT_EQ(s.data(), b.data());
  EXPECT_EQ(b[8], 0x01);
  ::unlink(path.c_str());  // the mapping outlives the name

  auto m = ReadModule(std::move(b));
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_TRUE(m->bytes.mapped());
  EXPECT_TRUE(ValidateModule(*m).ok());
  ASSERT_EQ(m->codes.size(), 1u);
  EXPECT_EQ(m->codes[0].num_local_decls, 1u);
  EXPECT_EQ(m->codes[0].num_locals, 1u);
  auto locals = DecodeLocalDecls(*m, m->codes[0]);
  ASSERT_TRUE(locals.ok());
  ASSERT_EQ(locals->size(), 1u);
  EXPECT_EQ((*locals)[0].type, ValType::I64());

  // Copies share the mapping; vec() turns a copy into an owned vector.
  Module copy = *m;
  EXPECT_EQ(copy.bytes.data(), m->bytes.data());
  copy.bytes.vec().push_back(0);
  EXPECT_FALSE(copy.bytes.mapped());
  EXPECT_EQ(copy.bytes.size(), kModule.size() + 1);
  EXPECT_EQ(m->bytes.size(), kModule.size());
}

TEST(ModuleBytes, EmptyFileAndPipeAreRead) {
  std::string path = TempFile({});
  auto c = util::MapOrReadFile(path);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->mapping, nullptr);
  EXPECT_TRUE(c->bytes.empty());
  ::unlink(path.c_str());

  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::thread writer([&] {
    EXPECT_EQ(::write(fds[1], kModule.data(), kModule.size()), ssize_t(kModule.size()));
    ::close(fds[1]);
  });
  auto p = util::MapOrReadFile("/proc/self/fd/" + std::to_string(fds[0]));
  writer.join();
  ::close(fds[0]);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->mapping, nullptr);
  EXPECT_EQ(p->bytes, kModule);
}

TEST(ModuleBytes, Errors) {
  auto missing = util::MapOrReadFile("/nonexistent/x.wasm");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kIo);
  EXPECT_EQ(missing.error().message, "/nonexistent/x.wasm: No such file or directory");
  auto dir = util::MapOrReadFile("/tmp");
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.error().message, "/tmp: is a directory");
  EXPECT_FALSE(util::MappedFile::Open("/tmp").ok());
}

}  // namespace
}  // namespace wt::wasm
