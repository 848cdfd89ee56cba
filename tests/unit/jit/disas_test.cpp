// Golden-disassembly tests: every tests/disas/x64/NAME.wat is compiled with jit::CompileModule
// and each function's machine code is disassembled with binutils' objdump (Intel syntax,
// offsets relative to the function start). The text must equal NAME.expected, so a change in
// the generated code shows in review. Embedded 64-bit pointers (builtin addresses) are
// masked as <addr>; builtin calls through the builtin table show the builtin's name
// (`call QWORD PTR [builtin memory_grow]`). Re-bless after an intended change:
//   WTRUN_BLESS=1 ./wtrun_unit_tests --gtest_filter='Disas*'
// SIMD cases (simd_*.wat) pin the vector ISA: each is compiled with the cap at SSE4.1 and at
// AVX2 (CompileOptions::simd_isa) and compared with NAME.sse41.expected / NAME.avx2.expected
// (the AVX2 listing is skipped on a host without AVX2, or without FMA for relaxed cases).
// Names containing "relaxed" are compiled with the Wasm 3.0 features.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "jit/compiler.h"
#include "jit/x64/masm_x64.h"
#include "runtime/builtin_table.h"
#include "text/wat.h"
#include "wasm/reader.h"
#include "wasm/validator.h"

#ifndef WTRUN_DISAS_DIR
#error "WTRUN_DISAS_DIR must name tests/disas (set in tests/CMakeLists.txt)"
#endif

namespace wt::jit {
namespace {

namespace fs = std::filesystem;

#if defined(__x86_64__)
constexpr const char* kArchDir = "x64";
#else
constexpr const char* kArchDir = nullptr;
#endif

std::string ReadText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool HaveObjdump() {
  return std::system("objdump --version >/dev/null 2>&1") == 0;
}

// Runs `cmd` and returns its stdout; sets *ok to whether it exited with 0.
std::string RunCommand(const std::string& cmd, bool* ok) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) {
    *ok = false;
    return out;
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  *ok = pclose(p) == 0;
  return out;
}

// A 64-bit immediate that looks like a user-space pointer (not a float bit pattern or a small
// constant): masked so the expectations do not depend on where the process was loaded.
bool LooksLikeAddress(const std::string& hex) {
  unsigned long long v = std::strtoull(hex.c_str(), nullptr, 16);
  return v >= 0x10000ull && v < 0x800000000000ull && hex.size() >= 9;
}

// [lazy] A builtin call through the builtin table after the code (runtime/builtin_table.h):
// `call QWORD PTR [rip+0x...] # 0xT`, T relative to the function start `func_begin`, becomes
// `call QWORD PTR [builtin NAME]` (the displacement depends on the module's code size).
std::string MaskBuiltinCall(const std::string& insn, uint64_t func_begin, uint64_t table_offset) {
  static const std::regex kCall(R"(^call QWORD PTR \[rip\+0x[0-9a-f]+\] # 0x([0-9a-f]+)$)");
  std::smatch m;
  if (table_offset == UINT32_MAX || !std::regex_match(insn, m, kCall)) return insn;
  uint64_t target = func_begin + std::strtoull(m[1].str().c_str(), nullptr, 16);
  if (target < table_offset || (target - table_offset) % 8 != 0) return insn;
  auto id = static_cast<runtime::BuiltinId>((target - table_offset) / 8);
  return std::string("call QWORD PTR [builtin ") + runtime::BuiltinName(id) + "]";
}

// objdump's listing of `bytes` -> "offset: instruction" lines, pointers masked; builtin calls
// named (`bytes` is the function at `func_begin` of code whose table is at `table_offset`).
std::string Disassemble(const uint8_t* bytes, size_t size, bool* ok, uint64_t func_begin = 0,
                        uint64_t table_offset = UINT32_MAX) {
  char path[] = "/tmp/wtrun_disas_XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) {
    *ok = false;
    return "mkstemp failed";
  }
  bool wrote = write(fd, bytes, size) == static_cast<ssize_t>(size);
  close(fd);
  std::string raw;
  if (wrote) {
    raw =
        RunCommand(std::string("objdump -D -b binary -mi386:x86-64 -M intel --no-show-raw-insn ") +
                       path + " 2>&1",
                   ok);
  } else {
    *ok = false;
  }
  unlink(path);
  if (!*ok) return raw;

  static const std::regex kInsn(R"(^\s*([0-9a-f]+):\s*(.*?)\s*$)");
  static const std::regex kImm64(R"(0x([0-9a-f]+))");
  std::string out;
  std::istringstream in(raw);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (!std::regex_match(line, m, kInsn)) continue;  // headers, labels, blank lines
    std::string insn = m[2].str();
    // Collapse objdump's column padding.
    insn = std::regex_replace(insn, std::regex(R"(\s+)"), " ");
    insn = MaskBuiltinCall(insn, func_begin, table_offset);
    std::string masked;
    auto begin = std::sregex_iterator(insn.begin(), insn.end(), kImm64);
    size_t last = 0;
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
      masked.append(insn, last, it->position() - last);
      masked += LooksLikeAddress((*it)[1].str()) ? "<addr>" : it->str();
      last = it->position() + it->length();
    }
    masked.append(insn, last, std::string::npos);
    char off[16];
    std::snprintf(off, sizeof off, "%4s: ", m[1].str().c_str());
    out += off;
    out += masked;
    out += '\n';
  }
  return out;
}

std::string ExportName(const wasm::Module& module, uint32_t func_index) {
  for (const wasm::Export& e : module.exports) {
    if (e.kind == wasm::ExternKind::kFunc && e.index == func_index) return e.name;
  }
  return "";
}

// The disassembly of every defined function of the module in `wat`, or an error message.
std::string DisassembleModule(const std::string& wat, const std::string& filename,
                              SimdIsa isa = SimdIsa::kAuto) {
  wasm::Features features = filename.find("relaxed") != std::string::npos
                                ? wasm::Features::Wasm30()
                                : wasm::Features::Wasm20();
  auto bytes = text::WatToBinary(wat, filename, text::WatOptions{features});
  if (!bytes.ok()) return "error: " + bytes.error().message;
  wasm::ReadOptions ro;
  ro.features = features;
  auto module = wasm::ReadModule(std::move(bytes.value()), ro);
  if (!module.ok()) return "error: " + module.error().message;
  wasm::ValidateOptions vo;
  vo.features = features;
  Status st = wasm::ValidateModule(module.value(), vo);
  if (!st.ok()) return "error: " + st.error().message;
  CompileOptions co;
  co.features = features;
  co.simd_isa = isa;
  auto compiled = CompileModule(module.value(), co);
  if (!compiled.ok()) return "error: " + compiled.error().message;
  const CodeObject& code = *compiled.value()->code;

  std::vector<FuncRange> ranges(code.funcs().begin(), code.funcs().end());
  std::sort(ranges.begin(), ranges.end(),
            [](const FuncRange& a, const FuncRange& b) { return a.func_index < b.func_index; });
  std::string out;
  for (const FuncRange& r : ranges) {
    std::string name = ExportName(module.value(), r.func_index);
    out += "== func " + std::to_string(r.func_index);
    if (!name.empty()) out += " \"" + name + "\"";
    out += " (" + std::to_string(r.end - r.begin) + " bytes)\n";
    bool ok = false;
    std::string text = Disassemble(code.base() + r.begin, r.end - r.begin, &ok, r.begin,
                                   compiled.value()->builtin_table_offset);
    if (!ok) return "error: objdump failed: " + text;
    out += text;
    out += '\n';
  }
  return out;
}

bool IsSimdCase(const fs::path& wat) {
  return wat.filename().string().rfind("simd_", 0) == 0;
}

std::vector<fs::path> WatFiles() {
  std::vector<fs::path> files;
  if (kArchDir == nullptr) return files;
  fs::path dir = fs::path(WTRUN_DISAS_DIR) / kArchDir;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".wat") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(Disas, GoldenFilesExist) {
  if (kArchDir == nullptr) GTEST_SKIP() << "golden disassembly exists for x86_64 hosts only";
  EXPECT_GE(WatFiles().size(), 5u) << "no .wat files under " << WTRUN_DISAS_DIR;
}

TEST(Disas, MatchesExpected) {
  if (kArchDir == nullptr) GTEST_SKIP() << "golden disassembly exists for x86_64 hosts only";
  if (!HaveObjdump()) GTEST_SKIP() << "objdump (binutils) not found in PATH";
  const char* bless_env = std::getenv("WTRUN_BLESS");
  bool bless = bless_env != nullptr && std::string(bless_env) == "1";
  for (const fs::path& wat : WatFiles()) {
    SCOPED_TRACE(wat.string());
    // (suffix of the expectation file, ISA cap)
    std::vector<std::pair<std::string, SimdIsa>> runs = {{".expected", SimdIsa::kAuto}};
    if (IsSimdCase(wat)) {
      runs = {{".sse41.expected", SimdIsa::kSse41}};
      // The AVX2 level includes FMA when the host has it (relaxed madd/nmadd use it).
      x64::CpuFeatures host = x64::HostCpuFeatures();
      bool relaxed = wat.filename().string().find("relaxed") != std::string::npos;
      if (host.avx2 && (host.fma || !relaxed)) {
        runs.push_back({".avx2.expected", SimdIsa::kAvx2});
      } else {
        std::printf("note: %s: the host has no AVX2%s, its AVX2 listing is not checked\n",
                    wat.filename().c_str(), relaxed ? " + FMA" : "");
      }
    }
    for (const auto& [suffix, isa] : runs) {
      SCOPED_TRACE(suffix);
      std::string actual = DisassembleModule(ReadText(wat), wat.filename().string(), isa);
      EXPECT_EQ(actual.rfind("error: ", 0), std::string::npos) << actual;
      fs::path expected_path = wat;
      expected_path.replace_extension(suffix);
      if (bless) {
        std::ofstream(expected_path, std::ios::binary) << actual;
        continue;
      }
      ASSERT_TRUE(fs::exists(expected_path))
          << expected_path << " is missing; run with WTRUN_BLESS=1 to create it";
      EXPECT_EQ(actual, ReadText(expected_path))
          << "generated code changed; if intended, re-bless with WTRUN_BLESS=1 and review the "
             "diff";
    }
  }
}

// The ISA pinning itself: the two listings of a SIMD case differ (VEX forms), and a scalar
// case does not depend on the cap.
TEST(Disas, SimdIsaPinning) {
  if (kArchDir == nullptr) GTEST_SKIP() << "golden disassembly exists for x86_64 hosts only";
  if (!HaveObjdump()) GTEST_SKIP() << "objdump (binutils) not found in PATH";
  if (!x64::HostCpuFeatures().avx2) GTEST_SKIP() << "the host has no AVX2";
  const std::string simd =
      "(module (memory 1) (func (export \"f\") (param i32) (v128.store (local.get 0) "
      "(v128.load offset=16 (local.get 0)))))";
  std::string sse = DisassembleModule(simd, "pin.wat", SimdIsa::kSse41);
  std::string avx = DisassembleModule(simd, "pin.wat", SimdIsa::kAvx2);
  EXPECT_NE(sse.find("movdqu"), std::string::npos) << sse;
  EXPECT_EQ(sse.find("vmovdqu"), std::string::npos) << sse;
  EXPECT_NE(avx.find("vmovdqu"), std::string::npos) << avx;
  const std::string scalar =
      "(module (func (export \"g\") (param i32) (result i32) (i32.add (local.get 0) "
      "(i32.const 1))))";
  EXPECT_EQ(DisassembleModule(scalar, "s.wat", SimdIsa::kSse41),
            DisassembleModule(scalar, "s.wat", SimdIsa::kAvx2));
}

}  // namespace
}  // namespace wt::jit
