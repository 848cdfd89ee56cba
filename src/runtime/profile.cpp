// Profiling: perf map files and jitdump files for the JIT's code (profile.h).
#include "runtime/profile.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

#include <fmt/format.h>

#include "jit/code_arena.h"
#include "jit/compiler.h"
#include "runtime/code_registry.h"
#include "runtime/debug/demangle.h"
#include "wasm/module.h"

namespace wt::runtime {
namespace {

// jitdump (perf's tools/perf/Documentation/jitdump-specification.txt): a file header, then
// records; every integer in host byte order.
constexpr uint32_t kJitMagic = 0x4A695444;  // "JiTD" when read as a little-endian u32
constexpr uint32_t kJitVersion = 1;
constexpr uint32_t kJitCodeLoad = 0;
constexpr uint32_t kJitCodeClose = 3;

struct JitHeader {
  uint32_t magic;
  uint32_t version;
  uint32_t total_size;
  uint32_t elf_mach;
  uint32_t pad1;
  uint32_t pid;
  uint64_t timestamp;
  uint64_t flags;
};
static_assert(sizeof(JitHeader) == 40);

struct JitRecordHeader {
  uint32_t id;
  uint32_t total_size;
  uint64_t timestamp;
};

struct JitCodeLoadBody {
  uint32_t pid;
  uint32_t tid;
  uint64_t vma;
  uint64_t code_addr;
  uint64_t code_size;
  uint64_t code_index;
};
static_assert(sizeof(JitRecordHeader) + sizeof(JitCodeLoadBody) == 56);

struct Profiler {
  std::mutex mu;
  ProfileMode mode = ProfileMode::kNone;
  std::FILE* perfmap = nullptr;
  int jit_fd = -1;
  void* jit_marker = nullptr;  // the mapping perf record sees (it names the dump file)
  size_t jit_marker_size = 0;
  uint64_t code_index = 0;
  std::string path;
};

Profiler& GetProfiler() {
  static Profiler* p = new Profiler();  // never destroyed: code may be registered at exit
  return *p;
}

uint64_t MonotonicNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

uint32_t ElfMachine() {
#if defined(__x86_64__)
  return EM_X86_64;
#elif defined(__aarch64__)
  return EM_AARCH64;
#else
  return EM_NONE;
#endif
}

bool WriteAll(int fd, const void* data, size_t n) {
  const auto* p = static_cast<const uint8_t*>(data);
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

void EmitLocked(Profiler& p, uintptr_t start, size_t size, const std::string& name) {
  if (size == 0) return;
  if (p.perfmap != nullptr) {
    fmt::print(p.perfmap, "{:x} {:x} {}\n", start, size, name);
    std::fflush(p.perfmap);
  }
  if (p.jit_fd >= 0) {
    JitRecordHeader h{};
    JitCodeLoadBody b{};
    h.id = kJitCodeLoad;
    h.total_size = static_cast<uint32_t>(sizeof(h) + sizeof(b) + name.size() + 1 + size);
    h.timestamp = MonotonicNs();
    b.pid = static_cast<uint32_t>(getpid());
    b.tid = static_cast<uint32_t>(syscall(SYS_gettid));
    b.vma = start;
    b.code_addr = start;
    b.code_size = size;
    b.code_index = p.code_index++;
    WriteAll(p.jit_fd, &h, sizeof(h));
    WriteAll(p.jit_fd, &b, sizeof(b));
    WriteAll(p.jit_fd, name.c_str(), name.size() + 1);
    WriteAll(p.jit_fd, reinterpret_cast<const void*>(start), size);
  }
}

void CloseLocked(Profiler& p) {
  if (p.perfmap != nullptr) std::fclose(p.perfmap);
  p.perfmap = nullptr;
  if (p.jit_fd >= 0) {
    JitRecordHeader h{kJitCodeClose, sizeof(JitRecordHeader), MonotonicNs()};
    WriteAll(p.jit_fd, &h, sizeof(h));
    if (p.jit_marker != nullptr) munmap(p.jit_marker, p.jit_marker_size);
    ::close(p.jit_fd);
  }
  p.jit_marker = nullptr;
  p.jit_fd = -1;
  p.path.clear();
  p.mode = ProfileMode::kNone;
}

Status OpenJitDump(Profiler& p) {
  p.code_index = 0;  // each dump numbers its JIT_CODE_LOAD records from 0
  const char* dir = std::getenv("JITDUMPDIR");
  std::string path = fmt::format("{}/jit-{}.dump", dir != nullptr && *dir ? dir : ".", getpid());
  int fd = ::open(path.c_str(), O_CREAT | O_TRUNC | O_RDWR | O_CLOEXEC, 0666);
  if (fd < 0) return MakeError(ErrorKind::kIo, "cannot create {}: {}", path, std::strerror(errno));
  JitHeader h{};
  h.magic = kJitMagic;
  h.version = kJitVersion;
  h.total_size = sizeof(JitHeader);
  h.elf_mach = ElfMachine();
  h.pid = static_cast<uint32_t>(getpid());
  h.timestamp = MonotonicNs();
  if (!WriteAll(fd, &h, sizeof(h))) {
    ::close(fd);
    return MakeError(ErrorKind::kIo, "cannot write {}: {}", path, std::strerror(errno));
  }
  // perf record finds the dump through an executable mapping of it (its MMAP event).
  auto page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  void* marker = mmap(nullptr, page, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
  p.jit_marker = marker == MAP_FAILED ? nullptr : marker;
  p.jit_marker_size = page;
  p.jit_fd = fd;
  p.path = std::move(path);
  return Ok();
}

}  // namespace

Status SetProfileMode(ProfileMode mode) {
  Profiler& p = GetProfiler();
  std::lock_guard<std::mutex> lock(p.mu);
  if (mode == p.mode) return Ok();
  CloseLocked(p);
  SetCodeRegisteredHook(nullptr);
  if (mode == ProfileMode::kPerfMap) {
    std::string path = fmt::format("/tmp/perf-{}.map", getpid());
    std::FILE* f = std::fopen(path.c_str(), "a");
    if (f == nullptr)
      return MakeError(ErrorKind::kIo, "cannot create {}: {}", path, std::strerror(errno));
    p.perfmap = f;
    p.path = std::move(path);
  } else if (mode == ProfileMode::kJitDump) {
    WT_TRY(OpenJitDump(p));
  }
  p.mode = mode;
  SetCodeRegisteredHook(mode == ProfileMode::kNone ? nullptr : &ProfileCode);
  return Ok();
}

ProfileMode GetProfileMode() {
  Profiler& p = GetProfiler();
  std::lock_guard<std::mutex> lock(p.mu);
  return p.mode;
}

std::string ProfileFilePath() {
  Profiler& p = GetProfiler();
  std::lock_guard<std::mutex> lock(p.mu);
  return p.path;
}

Result<ProfileMode> ParseProfileMode(std::string_view text) {
  if (text == "none") return ProfileMode::kNone;
  if (text == "perfmap") return ProfileMode::kPerfMap;
  if (text == "jitdump") return ProfileMode::kJitDump;
  return MakeError(ErrorKind::kUsage, "unknown profiling mode '{}' (perfmap, jitdump or none)",
                   text);
}

std::string ProfileFuncName(const wasm::Module* module, uint32_t func_index) {
  std::string prefix = "wasm";
  std::string func;
  if (module != nullptr) {
    if (module->names.module && !module->names.module->empty()) prefix = *module->names.module;
    auto it = module->names.functions.names.find(func_index);
    if (it != module->names.functions.names.end()) func = debug::Demangle(it->second);
  }
  if (func.empty()) func = fmt::format("<wasm function {}>", func_index);
  // One line per symbol in a perf map: no newlines in names.
  for (char& c : func)
    if (c == '\n' || c == '\r') c = ' ';
  for (char& c : prefix)
    if (c == '\n' || c == '\r' || c == ' ') c = '_';
  return prefix + "!" + func;
}

void ProfileCode(const jit::CodeObject& code, const wasm::Module* module) {
  // [lazy] A code arena announces its code as it is written (runtime/load.cpp, ProfileLazy).
  if (dynamic_cast<const jit::CodeArena*>(&code) != nullptr) return;
  Profiler& p = GetProfiler();
  {
    std::lock_guard<std::mutex> lock(p.mu);
    if (p.mode == ProfileMode::kNone) return;
  }
  auto base = reinterpret_cast<uintptr_t>(code.base());
  std::vector<std::pair<const jit::FuncRange*, std::string>> names;
  for (const jit::FuncRange& r : code.funcs())
    names.emplace_back(&r, ProfileFuncName(module, r.func_index));
  std::lock_guard<std::mutex> lock(p.mu);
  uint32_t end = 0;
  for (const auto& [r, name] : names) {
    EmitLocked(p, base + r->begin, r->end - r->begin, name);
    end = std::max(end, r->end);
  }
  if (end < code.size())
    EmitLocked(p, base + end, code.size() - end,
               names.empty() ? "wasm-host-stub" : "wasm-trampolines");
}

void ProfileRange(const void* start, size_t size, std::string_view name) {
  Profiler& p = GetProfiler();
  std::lock_guard<std::mutex> lock(p.mu);
  if (p.mode == ProfileMode::kNone) return;
  EmitLocked(p, reinterpret_cast<uintptr_t>(start), size, std::string(name));
}

}  // namespace wt::runtime
