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
// Names containing "relaxed" or "exceptions" are compiled with the Wasm 3.0 features.
// [wasmgc] So are names containing "gc_".
//
// [a64] The aarch64 goldens (DisasA64.*, on every host: the a64 Masm is built everywhere): the
// same modules (tests/disas/x64/*.wat, plus a64-only ones in tests/disas/a64/*.wat) compiled
// with CompileModuleWith<a64::Masm> for the ARMv8.0-A baseline (a64::CpuFeatures{}), listed by
// binutils' aarch64 objdump (aarch64-linux-gnu-objdump on x86_64) and compared with
// tests/disas/a64/NAME.expected (one listing per case: there is no SIMD cap on aarch64).
// Layout-independent: `adrp` pages are masked as <page>, and the `add`/`ldr` that completes an
// adrp names its target as the builtin (`ldr x16, [builtin memory_grow]`) or as an offset from
// the function start (`func+0x..`). Skipped while no .expected exists there (bless first:
//   WTRUN_BLESS=1 ./wtrun_unit_tests --gtest_filter='DisasA64*')
// and when no aarch64 objdump is found (apt-get install binutils-aarch64-linux-gnu).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "jit/a64/masm_a64.h"
#include "jit/compile_module.h"
#include "jit/compiler.h"
#if defined(WTRUN_ISA_x64)
#include "jit/x64/masm_x64.h"
#endif
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

std::string ReadText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
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

std::string ExportName(const wasm::Module& module, uint32_t func_index) {
  for (const wasm::Export& e : module.exports) {
    if (e.kind == wasm::ExternKind::kFunc && e.index == func_index) return e.name;
  }
  return "";
}

// The disassembly of every defined function of the module in `wat`, or an error message:
// compiled by `compile(module, options)`, each function listed by `disas` (as Disassemble).
template <class CompileFn, class DisasFn>
std::string DisassembleModuleWith(const std::string& wat, const std::string& filename, SimdIsa isa,
                                  const CompileFn& compile, const DisasFn& disas) {
  wasm::Features features = filename.find("relaxed") != std::string::npos ||
                                    filename.find("exceptions") != std::string::npos
                                ? wasm::Features::Wasm30()
                                : wasm::Features::Wasm20();
  if (filename.find("gc_") != std::string::npos) features = wasm::Features::Wasm30();  // [wasmgc]
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
  auto compiled = compile(module.value(), co);
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
    std::string text = disas(code.base() + r.begin, r.end - r.begin, &ok, r.begin,
                             compiled.value()->builtin_table_offset);
    if (!ok) return "error: objdump failed: " + text;
    out += text;
    out += '\n';
  }
  return out;
}

// ---- x86_64 goldens: they need the x64 Masm, built on x86_64 hosts only.
#if defined(WTRUN_ISA_x64)

#if defined(__x86_64__)
constexpr const char* kArchDir = "x64";
#else
constexpr const char* kArchDir = nullptr;
#endif

bool HaveObjdump() {
  return std::system("objdump --version >/dev/null 2>&1") == 0;
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

std::string DisassembleModule(const std::string& wat, const std::string& filename,
                              SimdIsa isa = SimdIsa::kAuto) {
  return DisassembleModuleWith(
      wat, filename, isa,
      [](const wasm::Module& m, const CompileOptions& co) { return CompileModule(m, co); },
      [](const uint8_t* bytes, size_t size, bool* ok, uint64_t begin, uint64_t table) {
        return Disassemble(bytes, size, ok, begin, table);
      });
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
#endif  // WTRUN_ISA_x64

// ---- [a64] aarch64 goldens (every host).

// An objdump that reads aarch64 code: the cross binutils on x86_64, the native one on aarch64
// (or under qemu, where popen runs the build machine's programs); empty when there is none.
const std::string& A64Objdump() {
  static const std::string found = [] {
    for (const char* cand : {"aarch64-linux-gnu-objdump", "objdump"}) {
      bool ok = false;
      std::string archs = RunCommand(std::string(cand) + " -i 2>/dev/null", &ok);
      if (ok && archs.find("aarch64") != std::string::npos) return std::string(cand);
    }
    return std::string();
  }();
  return found;
}

std::string Hex(int64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s0x%llx", v < 0 ? "-" : "+",
                static_cast<unsigned long long>(v < 0 ? -v : v));
  return buf;
}

// What an adrp-based address at code offset `target` is: a builtin table entry by name, the
// table, or an offset from the function start (code offsets: the code is mapped page-aligned,
// so pages computed on offsets are the real ones).
std::string DescribeTarget(uint64_t target, uint64_t func_begin, uint64_t table_offset) {
  if (table_offset != UINT32_MAX && target >= table_offset) {
    uint64_t off = target - table_offset;
    if (off % 8 == 0 && off / 8 < static_cast<uint64_t>(runtime::BuiltinId::kCount))
      return std::string("builtin ") +
             runtime::BuiltinName(static_cast<runtime::BuiltinId>(off / 8));
    return "builtin table" + Hex(static_cast<int64_t>(off));
  }
  return "func" + Hex(static_cast<int64_t>(target) - static_cast<int64_t>(func_begin));
}

uint64_t ParseImm(const std::string& s) {
  return s.rfind("0x", 0) == 0 ? std::strtoull(s.c_str() + 2, nullptr, 16)
                               : std::strtoull(s.c_str(), nullptr, 10);
}

// aarch64 objdump's listing of `bytes` (the function at code offset `func_begin`; the builtin
// table at `table_offset`) -> "offset: instruction" lines, adrp pages masked and the add/ldr
// that completes an adrp naming its target (see the header comment).
std::string DisassembleA64(const uint8_t* bytes, size_t size, bool* ok, uint64_t func_begin = 0,
                           uint64_t table_offset = UINT32_MAX) {
  char path[] = "/tmp/wtrun_disas_a64_XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) {
    *ok = false;
    return "mkstemp failed";
  }
  bool wrote = write(fd, bytes, size) == static_cast<ssize_t>(size);
  close(fd);
  std::string raw;
  if (wrote) {
    raw = RunCommand(A64Objdump() + " -D -b binary -maarch64 --no-show-raw-insn " + path + " 2>&1",
                     ok);
  } else {
    *ok = false;
  }
  unlink(path);
  if (!*ok) return raw;

  static const std::regex kInsn(R"(^\s*([0-9a-f]+):\s*(.*?)\s*$)");
  static const std::regex kAdrp(R"(^adrp ([xw]\d+), 0x([0-9a-f]+)$)");
  // add Xd, Xn, #imm / ldr|str|ldp.. Rt, [Xn, #imm] / [Xn]: the low 12 bits of an adrp address.
  static const std::regex kAdd(R"(^add ([xw]\d+), ([xw]\d+), #(0x[0-9a-f]+|\d+)$)");
  static const std::regex kMem(
      R"(^(ldr\w*|str\w*) ([a-z]\d+), \[(x\d+)(?:, #(0x[0-9a-f]+|\d+))?\]$)");
  static const std::regex kDest(R"(^\S+ ([xw]\d+)\b)");
  std::map<std::string, uint64_t> page;  // register (x form) -> page of a pending adrp
  auto xreg = [](std::string r) {
    r[0] = 'x';
    return r;
  };
  std::string out;
  std::istringstream in(raw);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (!std::regex_match(line, m, kInsn)) continue;  // headers, labels, blank lines
    const uint64_t pc = std::strtoull(m[1].str().c_str(), nullptr, 16);
    std::string insn = std::regex_replace(m[2].str(), std::regex(R"(\s+)"), " ");
    std::smatch a;
    std::string dest;
    if (std::regex_match(insn, a, kAdrp)) {
      // objdump computed the page from pc relative to 0; the real one from func_begin + pc.
      const uint64_t shown = std::strtoull(a[2].str().c_str(), nullptr, 16);
      const uint64_t delta = shown - (pc & ~uint64_t{0xfff});
      page[xreg(a[1].str())] = ((func_begin + pc) & ~uint64_t{0xfff}) + delta;
      insn = "adrp " + a[1].str() + ", <page>";
    } else if (std::regex_match(insn, a, kAdd) && page.count(xreg(a[2].str()))) {
      uint64_t target = page[xreg(a[2].str())] + ParseImm(a[3].str());
      dest = xreg(a[1].str());
      insn = "add " + a[1].str() + ", " + a[2].str() +
             ", #:lo12:" + DescribeTarget(target, func_begin, table_offset);
    } else if (std::regex_match(insn, a, kMem) && page.count(a[3].str())) {
      uint64_t target = page[a[3].str()] + (a[4].matched ? ParseImm(a[4].str()) : 0);
      dest = a[2].str()[0] == 'w' || a[2].str()[0] == 'x' ? xreg(a[2].str()) : "";
      insn = a[1].str() + " " + a[2].str() + ", [" +
             DescribeTarget(target, func_begin, table_offset) + "]";
    } else if (std::regex_search(insn, a, kDest)) {
      dest = xreg(a[1].str());
    }
    if (!dest.empty()) page.erase(dest);  // overwritten: no longer the adrp's page
    char off[16];
    std::snprintf(off, sizeof off, "%4s: ", m[1].str().c_str());
    out += off;
    out += insn;
    out += '\n';
  }
  return out;
}

std::string DisassembleModuleA64(const std::string& wat, const std::string& filename) {
  return DisassembleModuleWith(
      wat, filename, SimdIsa::kAuto,
      [](const wasm::Module& m, const CompileOptions& co) {
        // The ARMv8.0-A baseline: the same listing on every host.
        return CompileModuleWith<a64::Masm>(
            [] { return std::make_unique<a64::Masm>(a64::CpuFeatures{}); }, m, co);
      },
      [](const uint8_t* bytes, size_t size, bool* ok, uint64_t begin, uint64_t table) {
        return DisassembleA64(bytes, size, ok, begin, table);
      });
}

// The cases: every tests/disas/x64/*.wat (the same modules as the x64 goldens) and the
// a64-only tests/disas/a64/*.wat; the listings are tests/disas/a64/NAME.expected.
std::vector<fs::path> A64WatFiles() {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const char* sub : {"x64", "a64"}) {
    for (const auto& e : fs::directory_iterator(fs::path(WTRUN_DISAS_DIR) / sub, ec)) {
      if (e.path().extension() == ".wat") files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end(),
            [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
  return files;
}

fs::path A64Expected(const fs::path& wat) {
  fs::path p = fs::path(WTRUN_DISAS_DIR) / "a64" / wat.filename();
  p.replace_extension(".expected");
  return p;
}

bool Blessing() {
  const char* bless_env = std::getenv("WTRUN_BLESS");
  return bless_env != nullptr && std::string(bless_env) == "1";
}

TEST(DisasA64, GoldenFilesExist) {
  EXPECT_GE(A64WatFiles().size(), 5u) << "no .wat files under " << WTRUN_DISAS_DIR;
}

TEST(DisasA64, MatchesExpected) {
  if (A64Objdump().empty())
    GTEST_SKIP() << "no objdump for aarch64 (apt-get install binutils-aarch64-linux-gnu)";
  const bool bless = Blessing();
  std::vector<fs::path> wats = A64WatFiles();
  if (!bless && std::none_of(wats.begin(), wats.end(),
                             [](const fs::path& w) { return fs::exists(A64Expected(w)); }))
    GTEST_SKIP() << "no aarch64 goldens yet in " << WTRUN_DISAS_DIR
                 << "/a64: create them with WTRUN_BLESS=1 ./wtrun_unit_tests "
                    "--gtest_filter='DisasA64*'";
  for (const fs::path& wat : wats) {
    SCOPED_TRACE(wat.string());
    std::string actual = DisassembleModuleA64(ReadText(wat), wat.filename().string());
    EXPECT_EQ(actual.rfind("error: ", 0), std::string::npos) << actual;
    const fs::path expected_path = A64Expected(wat);
    if (bless) {
      std::ofstream(expected_path, std::ios::binary) << actual;
      continue;
    }
    ASSERT_TRUE(fs::exists(expected_path))
        << expected_path << " is missing; run with WTRUN_BLESS=1 to create it";
    EXPECT_EQ(actual, ReadText(expected_path))
        << "generated aarch64 code changed; if intended, re-bless with WTRUN_BLESS=1 and review "
           "the diff";
  }
}

// The listing's own rules on hand-made words: an adrp page is computed from the function's real
// offset (not from 0), and the ldr that completes it names the builtin.
TEST(DisasA64, AdrpTargetsAreNamed) {
  if (A64Objdump().empty())
    GTEST_SKIP() << "no objdump for aarch64 (apt-get install binutils-aarch64-linux-gnu)";
  const auto id = static_cast<uint32_t>(runtime::BuiltinId::kMemoryGrow);
  const uint32_t words[] = {
      0xB0000010u,                                   // adrp x16, (this page + 1 page)
      0xF9400000u | (id << 10) | (16u << 5) | 16u,   // ldr x16, [x16, #8*id]
      0xD63F0200u,                                   // blr x16
      0xB0000011u,                                   // adrp x17, (this page + 1 page)
      0x91000000u | (0x10u << 10) | (17u << 5) | 0,  // add x0, x17, #0x10
  };
  uint8_t bytes[sizeof words];
  std::memcpy(bytes, words, sizeof words);
  bool ok = false;
  // The function at 0x1ff8: its first instruction is in page 0x1000, so the adrp points at
  // 0x2000 (where the table is), not at 0x1000 as objdump shows it from offset 0.
  std::string text = DisassembleA64(bytes, sizeof bytes, &ok, 0x1ff8, 0x2000);
  ASSERT_TRUE(ok) << text;
  EXPECT_NE(text.find("   0: adrp x16, <page>\n"), std::string::npos) << text;
  EXPECT_NE(text.find("   4: ldr x16, [builtin " +
                      std::string(runtime::BuiltinName(runtime::BuiltinId::kMemoryGrow)) + "]\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("   8: blr x16\n"), std::string::npos) << text;
  // The second adrp, at 0x1ff8 + 12 = 0x2004, is in page 0x2000: it points at 0x3000, and
  // the add at 0x3010, past the builtin entries.
  EXPECT_NE(text.find("   c: adrp x17, <page>\n  10: add x0, x17, #:lo12:builtin table+0x1010\n"),
            std::string::npos)
      << text;
  // Relative to the function when below the table: the same words at 0x0ff8, table at 0x3000.
  text = DisassembleA64(bytes, sizeof bytes, &ok, 0x0ff8, 0x3000);
  EXPECT_NE(text.find("  10: add x0, x17, #:lo12:func+0x1018\n"), std::string::npos) << text;
}

// A module's builtin call, end to end (needs the a64 memory.grow lowering).
TEST(DisasA64, BuiltinCallInAModule) {
  if (A64Objdump().empty())
    GTEST_SKIP() << "no objdump for aarch64 (apt-get install binutils-aarch64-linux-gnu)";
  std::string text = DisassembleModuleA64(
      "(module (memory 1) (func (export \"g\") (param i32) (result i32) (memory.grow (local.get "
      "0))))",
      "grow.wat");
  ASSERT_EQ(text.rfind("error: ", 0), std::string::npos) << text;
  EXPECT_NE(text.find("[builtin " +
                      std::string(runtime::BuiltinName(runtime::BuiltinId::kMemoryGrow)) + "]"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("adrp x16, 0x"), std::string::npos) << "an unmasked page:\n" << text;
}

}  // namespace
}  // namespace wt::jit
