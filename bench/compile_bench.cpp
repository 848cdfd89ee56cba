// Compile throughput of wtrun: for each .wasm file, times decode (wasm::ReadModule as the run
// path does it: no separate syntax walk over the bodies), validate (wasm::ValidateModule) and
// compile (jit::CompileModule) separately, N runs each, the compile both on one thread
// (jobs=1) and in parallel (--jobs N, default: every core), and prints the medians plus MB of
// code section per second. Not a test; built with -DWTRUN_BUILD_BENCH=ON.
//   compile_bench [--runs N] [--jobs N] file.wasm...
// For reading the code the JIT emits (docs/performance.md):
//   compile_bench --map file.wasm            code offset, size, index and name of every function
//   compile_bench --disasm NAME file.wasm    objdump (Intel syntax) of the functions whose name
//                                            (name section, else export) contains NAME, or
//                                            funcN (function index N); "*" = all
#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>
#include <span>
#include <string>
#include <vector>

#include "jit/compiler.h"
#include "util/mapped_file.h"
#include "wasm/reader.h"
#include "wasm/validator.h"
#include "wasm/validator_types.h"

namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// CPU time of the process (every thread) in ms: on a loaded machine the steadier figure.
double CpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Payload size of the code section (id 10), or 0.
size_t CodeSectionSize(std::span<const uint8_t> b) {
  size_t p = 8;
  auto leb = [&](size_t* out) {
    uint64_t r = 0;
    for (int shift = 0; p < b.size() && shift < 35; shift += 7) {
      uint8_t byte = b[p++];
      r |= uint64_t{byte & 0x7fu} << shift;
      if ((byte & 0x80) == 0) {
        *out = r;
        return true;
      }
    }
    return false;
  };
  while (p < b.size()) {
    uint8_t id = b[p++];
    size_t size = 0;
    if (!leb(&size) || size > b.size() - p) return 0;
    if (id == 10) return size;
    p += size;
  }
  return 0;
}

// The whole file (one read; an istreambuf_iterator copy shows up in profiles).
std::vector<uint8_t> ReadFile(std::ifstream& in) {
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  std::vector<uint8_t> bytes(size > 0 ? static_cast<size_t>(size) : 0);
  if (!bytes.empty()) in.read(reinterpret_cast<char*>(bytes.data()), size);
  return bytes;
}

// Function name from the name section, else the export name, else "".
std::string FuncName(const wt::wasm::Module& m, uint32_t func_index) {
  auto it = m.names.functions.names.find(func_index);
  if (it != m.names.functions.names.end()) return it->second;
  for (const wt::wasm::Export& e : m.exports) {
    if (e.kind == wt::wasm::ExternKind::kFunc && e.index == func_index) return e.name;
  }
  return "";
}

// --map / --disasm: compiles `file` once and prints the function table or the disassembly.
int Inspect(const std::string& file, bool map, const std::string& pattern) {
  std::ifstream in(file, std::ios::binary);
  std::vector<uint8_t> bytes = ReadFile(in);
  wt::wasm::ReadOptions ro;
  ro.features = wt::wasm::Features::Wasm20();
  auto module = wt::wasm::ReadModule(bytes, ro);
  if (!module.ok()) {
    std::fprintf(stderr, "%s: %s\n", file.c_str(), module.error().message.c_str());
    return 1;
  }
  wt::wasm::ValidateOptions vo;
  vo.features = ro.features;
  if (wt::Status st = wt::wasm::ValidateModule(module.value(), vo); !st.ok()) {
    std::fprintf(stderr, "%s: %s\n", file.c_str(), st.error().message.c_str());
    return 1;
  }
  auto compiled = wt::jit::CompileModule(module.value());
  if (!compiled.ok()) {
    std::fprintf(stderr, "%s: %s\n", file.c_str(), compiled.error().message.c_str());
    return 1;
  }
  const wt::jit::CodeObject& code = *compiled.value()->code;
  for (const wt::jit::FuncRange& r : code.funcs()) {
    std::string name = FuncName(module.value(), r.func_index);
    if (map) {
      std::printf("%08x %6u func%u %s\n", r.begin, r.end - r.begin, r.func_index, name.c_str());
      continue;
    }
    if (pattern != "*" && name.find(pattern) == std::string::npos &&
        pattern != "func" + std::to_string(r.func_index)) {
      continue;
    }
    std::printf("== func %u %s (%u bytes at code offset 0x%x)\n", r.func_index, name.c_str(),
                r.end - r.begin, r.begin);
    char path[] = "/tmp/compile_bench_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return 1;
    ssize_t len = static_cast<ssize_t>(r.end - r.begin);
    bool wrote = write(fd, code.base() + r.begin, static_cast<size_t>(len)) == len;
    close(fd);
    if (wrote) {
      std::fflush(stdout);
      std::string cmd =
          std::string("objdump -D -b binary -mi386:x86-64 -M intel --no-show-raw-insn ") + path +
          " | tail -n +8";
      if (std::system(cmd.c_str()) != 0) std::fprintf(stderr, "objdump failed\n");
    }
    unlink(path);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  uint32_t jobs = 0;
  std::vector<std::string> files;
  bool map = false;
  bool load_only = false;  // --load-only: just runtime::LoadModule's path, one thread (profiling)
  bool front = false;      // --front: decode and validation only (no jit, no load columns)
  std::string disasm;
  for (int i = 1; i < argc; i++) {
    if (std::strcmp(argv[i], "--map") == 0) {
      map = true;
    } else if (std::strcmp(argv[i], "--disasm") == 0 && i + 1 < argc) {
      disasm = argv[++i];
    } else if (std::strcmp(argv[i], "--load-only") == 0) {
      load_only = true;
    } else if (std::strcmp(argv[i], "--front") == 0) {
      front = true;
    } else if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (std::strcmp(argv[i], "--jobs") == 0 && i + 1 < argc) {
      jobs = static_cast<uint32_t>(std::max(0, std::atoi(argv[++i])));
    } else {
      files.push_back(argv[i]);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr,
                 "usage: compile_bench [--runs N] [--jobs N] [--load-only | --front] file.wasm...\n"
                 "       compile_bench --map file.wasm | --disasm NAME file.wasm\n");
    return 2;
  }
  if (map || !disasm.empty()) return Inspect(files[0], map, disasm);
  if (load_only && jobs == 0) jobs = 1;
  const wt::wasm::Features features = wt::wasm::Features::Wasm20();
  std::printf(
      "# medians of %d; *_ms: CPU time of the process (all threads), *_w: wall ms.\n"
      "# Phases, one thread: decode = ReadModule without the syntax walk over bodies (run "
      "path);\n#   syntax = the extra walk `wtrun wast` does; valid = ValidateModule; jit = "
      "CompileModule (jobs=1).\n"
      "# valid_par = ValidateModuleDecls + ValidateBodies on --jobs threads (lazy load path), "
      "CPU and wall (_w).\n"
      "# --front: decode and validation only (jit and load columns 0).\n"
      "# load = what runtime::LoadModule does: decode + declarations + (validate + compile) "
      "per body\n#   in the JIT workers; 1t = jobs 1, par = jobs %u (0: all cores). MB/s = "
      "code section MB / load time.\n",
      runs, jobs);
  std::printf("%-26s %7s %6s %7s %7s %7s %9s %11s %7s %8s %8s %8s %8s %8s %8s %8s %8s\n", "file",
              "code_MB", "funcs", "decode", "syntax", "valid", "valid_par", "valid_par_w", "jit",
              "load1t", "load1t_w", "loadpar", "loadpar_w", "1t_MB/s", "1t_w_MB/s", "par_MB/s",
              "par_w_MB/s");
  for (const std::string& file : files) {
    // Mapped as the CLI does it (util::MapOrReadFile): each ReadModule below gets a shared
    // view of the mapping, so decode times exclude any copy of the file.
    auto contents = wt::util::MapOrReadFile(file);
    if (!contents.ok()) {
      std::fprintf(stderr, "%s\n", contents.error().message.c_str());
      return 1;
    }
    const wt::wasm::ModuleBytes bytes = contents->mapping
                                            ? wt::wasm::ModuleBytes(std::move(contents->mapping))
                                            : wt::wasm::ModuleBytes(std::move(contents->bytes));
    double code_mb = CodeSectionSize(bytes) / 1e6;
    std::vector<double> cdec, csyn, cval, cvp, wvp, cjit, cl1, wl1, clp, wlp;
    size_t funcs = 0;
    for (int r = 0; r < runs; r++) {
      wt::wasm::ReadOptions full;
      full.features = features;
      wt::wasm::ReadOptions ro = full;
      ro.check_code_syntax = false;
      wt::wasm::ValidateOptions vo;
      vo.features = features;
      if (load_only) {
        auto m = wt::wasm::ReadModule(bytes, ro);
        wt::wasm::TypeContext types;
        wt::Status ds = m.ok() ? wt::wasm::ValidateModuleDecls(m.value(), vo, &types) : wt::Ok();
        wt::jit::CompileOptions lo;
        lo.features = features;
        lo.jobs = jobs;
        lo.validate_bodies = &types;
        if (!ds.ok() || !m.ok() || !wt::jit::CompileModule(m.value(), lo).ok()) {
          std::fprintf(stderr, "%s: load failed\n", file.c_str());
          return 1;
        }
        continue;
      }
      double s0 = CpuMs();
      auto checked = wt::wasm::ReadModule(bytes, full);
      double s1 = CpuMs();
      if (!checked.ok()) {
        std::fprintf(stderr, "%s: %s\n", file.c_str(), checked.error().message.c_str());
        return 1;
      }
      double c0 = CpuMs();
      auto module = wt::wasm::ReadModule(bytes, ro);
      double c1 = CpuMs();
      if (!module.ok()) {
        std::fprintf(stderr, "%s: %s\n", file.c_str(), module.error().message.c_str());
        return 1;
      }
      wt::Status st = wt::wasm::ValidateModule(module.value(), vo);
      double c2 = CpuMs();
      if (!st.ok()) {
        std::fprintf(stderr, "%s: %s\n", file.c_str(), st.error().message.c_str());
        return 1;
      }
      {
        double v0 = CpuMs();
        auto w0 = Clock::now();
        wt::wasm::TypeContext types;
        wt::Status ps = wt::wasm::ValidateModuleDecls(module.value(), vo, &types);
        if (ps.ok()) ps = wt::wasm::ValidateBodies(module.value(), types, features, jobs);
        auto w1 = Clock::now();
        double v1 = CpuMs();
        if (!ps.ok()) {
          std::fprintf(stderr, "%s: %s\n", file.c_str(), ps.error().message.c_str());
          return 1;
        }
        cvp.push_back(v1 - v0);
        wvp.push_back(Ms(w0, w1));
      }
      cdec.push_back(c1 - c0);
      csyn.push_back((s1 - s0) - (c1 - c0));
      cval.push_back(c2 - c1);
      funcs = module.value().codes.size();
      if (front) {
        for (auto* v : {&cjit, &cl1, &wl1, &clp, &wlp}) v->push_back(0);
        continue;
      }
      wt::jit::CompileOptions co;
      co.features = features;
      co.jobs = 1;
      auto compiled = wt::jit::CompileModule(module.value(), co);
      double c3 = CpuMs();
      if (!compiled.ok()) {
        std::fprintf(stderr, "%s: %s\n", file.c_str(), compiled.error().message.c_str());
        return 1;
      }
      compiled.value().reset();
      cjit.push_back(c3 - c2);
      // The run path end to end, as runtime::LoadModule(bytes) does it.
      for (int pass = 0; pass < 2; pass++) {
        double l0 = CpuMs();
        auto w0 = Clock::now();
        auto m = wt::wasm::ReadModule(bytes, ro);
        wt::wasm::TypeContext types;
        wt::Status ds = m.ok() ? wt::wasm::ValidateModuleDecls(m.value(), vo, &types) : wt::Ok();
        wt::jit::CompileOptions lo;
        lo.features = features;
        lo.jobs = pass == 0 ? 1 : jobs;
        lo.validate_bodies = &types;
        auto c = wt::jit::CompileModule(m.value(), lo);
        auto w1 = Clock::now();
        double l1 = CpuMs();
        if (!ds.ok() || !c.ok()) {
          std::fprintf(stderr, "%s: load failed\n", file.c_str());
          return 1;
        }
        (pass == 0 ? cl1 : clp).push_back(l1 - l0);
        (pass == 0 ? wl1 : wlp).push_back(Ms(w0, w1));
      }
    }
    if (load_only) continue;
    double l1 = Median(cl1), lp = Median(clp), w1 = Median(wl1), wp = Median(wlp);
    std::string name = file.substr(file.find_last_of('/') + 1);
    auto rate = [&](double ms) { return ms > 0 ? code_mb / (ms / 1e3) : 0.0; };
    std::printf(
        "%-26s %7.3f %6zu %7.1f %7.1f %7.1f %9.1f %11.1f %7.1f %8.1f %8.1f %8.1f %8.1f %8.1f "
        "%8.1f %8.1f %8.1f\n",
        name.c_str(), code_mb, funcs, Median(cdec), Median(csyn), Median(cval), Median(cvp),
        Median(wvp), Median(cjit), l1, w1, lp, wp, rate(l1), rate(w1), rate(lp), rate(wp));
  }
  return 0;
}
