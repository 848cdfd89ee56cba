// Profiling output: /tmp/perf-PID.map lines and jitdump records for registered code.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "runtime/profile.h"
#include "runtime/runtime.h"
#include "runtime_test_util.h"

namespace wt::runtime {
namespace {

constexpr const char* kWat = R"((module $prof
  (func $first (result i32) (i32.const 1))
  (func $_ZN5hello6second17h0123456789abcdefE (result i32) (call $first))
  (func (export "run") (result i32) (call $_ZN5hello6second17h0123456789abcdefE)))
)";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Profile, ParseModes) {
  EXPECT_EQ(*ParseProfileMode("perfmap"), ProfileMode::kPerfMap);
  EXPECT_EQ(*ParseProfileMode("jitdump"), ProfileMode::kJitDump);
  EXPECT_EQ(*ParseProfileMode("none"), ProfileMode::kNone);
  auto bad = ParseProfileMode("vtune");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kUsage);
}

TEST(Profile, PerfMapNamesEveryFunctionAndTheTrampolines) {
  ASSERT_TRUE(SetProfileMode(ProfileMode::kPerfMap).ok());
  std::string path = ProfileFilePath();
  EXPECT_EQ(path, fmt::format("/tmp/perf-{}.map", getpid()));
  auto m = testing::Load(kWat);
  ASSERT_TRUE(m);
  ASSERT_TRUE(SetProfileMode(ProfileMode::kNone).ok());
  const jit::CodeObject& code = *m->code->code;
  auto base = reinterpret_cast<uintptr_t>(code.base());
  std::string map = ReadFile(path);
  std::vector<std::string> names = {"prof!first", "prof!hello::second", "prof!<wasm function 2>"};
  ASSERT_EQ(code.funcs().size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    const jit::FuncRange& r = code.funcs()[i];
    std::string line = fmt::format("{:x} {:x} {}\n", base + r.begin, r.end - r.begin, names[i]);
    EXPECT_NE(map.find(line), std::string::npos) << line << "in:\n" << map;
  }
  uint32_t end = code.funcs()[2].end;
  std::string tramp = fmt::format("{:x} {:x} wasm-trampolines\n", base + end, code.size() - end);
  EXPECT_NE(map.find(tramp), std::string::npos) << map;
  // Nothing more is written once profiling is off.
  auto m2 = testing::Load(kWat);
  ASSERT_TRUE(m2);
  EXPECT_EQ(ReadFile(path).size(), map.size());
  std::remove(path.c_str());
}

TEST(Profile, JitDumpHasAHeaderAndCodeLoadRecords) {
  auto dir = std::filesystem::temp_directory_path() / fmt::format("wtrun-jitdump-{}", getpid());
  std::filesystem::create_directories(dir);
  setenv("JITDUMPDIR", dir.c_str(), 1);
  ASSERT_TRUE(SetProfileMode(ProfileMode::kJitDump).ok());
  unsetenv("JITDUMPDIR");
  std::string path = ProfileFilePath();
  EXPECT_EQ(path, (dir / fmt::format("jit-{}.dump", getpid())).string());
  auto m = testing::Load(kWat);
  ASSERT_TRUE(m);
  ASSERT_TRUE(SetProfileMode(ProfileMode::kNone).ok());
  std::string d = ReadFile(path);
  ASSERT_GE(d.size(), 40u);
  auto u32 = [&](size_t at) {
    uint32_t v;
    std::memcpy(&v, d.data() + at, 4);
    return v;
  };
  auto u64 = [&](size_t at) {
    uint64_t v;
    std::memcpy(&v, d.data() + at, 8);
    return v;
  };
  EXPECT_EQ(u32(0), 0x4A695444u);  // magic
  EXPECT_EQ(u32(4), 1u);           // version
  EXPECT_EQ(u32(8), 40u);          // header size
#if defined(__aarch64__)
  EXPECT_EQ(u32(12), 183u);  // [a64] EM_AARCH64
#else
  EXPECT_EQ(u32(12), 62u);  // EM_X86_64
#endif
  EXPECT_EQ(u32(20), static_cast<uint32_t>(getpid()));
  const jit::CodeObject& code = *m->code->code;
  auto base = reinterpret_cast<uintptr_t>(code.base());
  size_t at = 40;
  std::vector<std::string> names;
  uint64_t index = 0;
  bool closed = false;
  while (at + 16 <= d.size()) {
    uint32_t id = u32(at), size = u32(at + 4);
    ASSERT_GE(size, 16u);
    ASSERT_LE(at + size, d.size());
    if (id == 0) {
      EXPECT_EQ(u32(at + 16), static_cast<uint32_t>(getpid()));
      uint64_t addr = u64(at + 24), code_size = u64(at + 40);
      EXPECT_EQ(u64(at + 32), addr);
      EXPECT_EQ(u64(at + 48), index++);
      std::string name(d.data() + at + 56);
      names.push_back(name);
      size_t code_at = at + 56 + name.size() + 1;
      ASSERT_EQ(code_at + code_size, at + size);
      ASSERT_TRUE(addr >= base && addr + code_size <= base + code.size());
      EXPECT_EQ(std::memcmp(d.data() + code_at, reinterpret_cast<const void*>(addr), code_size), 0);
    } else {
      EXPECT_EQ(id, 3u);  // JIT_CODE_CLOSE, last
      closed = true;
    }
    at += size;
  }
  EXPECT_EQ(at, d.size());
  EXPECT_TRUE(closed);
  EXPECT_EQ(names, (std::vector<std::string>{"prof!first", "prof!hello::second",
                                             "prof!<wasm function 2>", "wasm-trampolines"}));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace wt::runtime
