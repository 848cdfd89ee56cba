// `wtrun wast`: runs scripts, prints counts, writes JSON, checks expectations.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli/app.h"
#include "cli/options.h"
#include "cli/run_options.h"
#include "jit/compiler.h"
#include "runtime/pool/allocator.h"
#include "wast/expectations.h"
#include "wast/json_writer.h"
#include "wast/runner.h"

namespace wt::cli {
namespace {

namespace fs = std::filesystem;

// Every regular *.wast directly in `dir`, sorted by name.
Result<std::vector<std::string>> ListScripts(const std::string& dir) {
  std::error_code ec;
  std::vector<std::string> out;
  fs::directory_iterator it(dir, ec);
  if (ec) return MakeError(ErrorKind::kIo, "{}: {}", dir, ec.message());
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) return MakeError(ErrorKind::kIo, "{}: {}", dir, ec.message());
    const fs::path& p = it->path();
    if (p.extension() == ".wast" && it->is_regular_file(ec)) out.push_back(p.string());
  }
  if (ec) return MakeError(ErrorKind::kIo, "{}: {}", dir, ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

void PrintFailures(const wast::FileResult& result) {
  for (const wast::CommandRecord& r : result.records) {
    if (r.outcome != wast::Outcome::kFailed) continue;
    std::string detail;
    if (!r.expected.empty()) detail += fmt::format(" [expected: \"{}\"", r.expected);
    if (!r.actual.empty()) {
      detail += fmt::format("{}actual: \"{}\"", detail.empty() ? " [" : "; ", r.actual);
    }
    if (!detail.empty()) detail += "]";
    fmt::print("  {}:{}: {}: {}{}\n", result.path, r.line, r.kind, r.message, detail);
  }
}

Status WriteText(const std::string& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return MakeError(ErrorKind::kIo, "cannot write {}", path);
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fclose(f) == 0 && ok;
  if (!ok) return MakeError(ErrorKind::kIo, "cannot write {}", path);
  return Ok();
}

}  // namespace

int WastCommand(const wasm::Features& features, const WastOptions& options) {
  auto start = std::chrono::steady_clock::now();
  std::vector<std::string> files = options.files;
  for (const std::string& dir : options.dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      if (options.skip_missing_dir) {
        fmt::print("testsuite folder {} not found: skipped\n", dir);
        return kExitSkipped;
      }
      PrintError(fmt::format("{}: folder not found", dir));
      return kExitFailure;
    }
    auto listed = ListScripts(dir);
    if (!listed.ok()) {
      PrintError(listed.error().message);
      return kExitFailure;
    }
    if (listed->empty()) {
      PrintError(fmt::format("{}: no .wast files in this folder", dir));
      return kExitFailure;
    }
    files.insert(files.end(), listed->begin(), listed->end());
  }

  std::optional<wast::Expectations> expectations;
  if (!options.expect_path.empty()) {
    auto loaded = wast::LoadExpectations(options.expect_path);
    if (!loaded.ok()) {
      // A missing file is fine when it is about to be written.
      if (!(options.update_expect && loaded.error().kind == ErrorKind::kIo)) {
        PrintError(loaded.error().ToString());
        return kExitFailure;
      }
      loaded = wast::Expectations{};
    }
    expectations = std::move(loaded).value();
  }

  wast::RunOptions run_options;
  run_options.features = features;
  // --simd-isa (checked by the app already): the cap every module is compiled with; a value
  // other than auto overrides a WTRUN_SIMD_ISA of the caller's.
  if (!options.simd_isa.empty() && !jit::ParseSimdIsa(options.simd_isa, &run_options.simd_isa)) {
    PrintError(
        fmt::format("wast: --simd-isa: unknown value '{}' (see wtrun --help)", options.simd_isa));
    return kExitUsage;
  }
  // [lazy] --compile (else WTRUN_COMPILE, else the CLI's default): the mode of every module.
  auto compile = ResolveCompileChoice(options.compile, /*allow_cwasm=*/true);
  if (!compile.ok()) {
    PrintError(fmt::format("wast: {} (see wtrun --help)", compile.error().message));
    return kExitUsage;
  }
  if (!options.compile.empty()) HideCompileEnvironment();  // --compile wins over the variable
  run_options.compile_mode =
      *compile == CompileChoice::kLazy ? jit::CompileMode::kLazy : jit::CompileMode::kEager;
  run_options.via_cwasm = *compile == CompileChoice::kCwasm;
  // [limits] --fuel / --timeout: each command gets the whole budget and a fresh timeout
  // (wast::RunOptions::store_options; the modules are compiled with the checks).
  if (!options.fuel.empty()) {
    auto fuel = ParseCount(options.fuel);
    if (!fuel.ok()) {
      PrintError(fmt::format("wast: --fuel: {} (see wtrun --help)", fuel.error().message));
      return kExitUsage;
    }
    run_options.store_options.fuel = *fuel;
  }
  if (!options.timeout.empty()) {
    auto timeout = ParseDuration(options.timeout);
    if (!timeout.ok()) {
      PrintError(fmt::format("wast: --timeout: {} (see wtrun --help)", timeout.error().message));
      return kExitUsage;
    }
    run_options.store_options.timeout = *timeout;
  }
  if (!options.max_gc_heap_size.empty()) {  // [wasmgc]
    auto bytes = ParseByteSize(options.max_gc_heap_size);
    if (!bytes.ok()) {
      PrintError(
          fmt::format("wast: --max-gc-heap-size: {} (see wtrun --help)", bytes.error().message));
      return kExitUsage;
    }
    run_options.store_options.limits.max_gc_heap_bytes = *bytes;
  }
  run_options.keep_all_records = !options.json_path.empty();
  if (options.pooling || options.pool_uffd) {
    // One pool for every script (each script's Store returns its slots when it ends). A
    // script keeps all its instances alive, so the pool is sized for the largest script.
    runtime::PoolConfig pool;
    pool.instances = 1000;
    pool.memory_size = uint64_t{4} << 30;
    pool.uffd = options.pool_uffd;
    auto allocator = runtime::CreatePoolingAllocator(pool);
    if (!allocator.ok()) {
      PrintError(allocator.error().message);
      return kExitFailure;
    }
    run_options.store_options.allocator = std::move(allocator).value();
  }
  std::vector<wast::FileResult> results;
  results.reserve(files.size());
  wast::Counts total;
  for (const std::string& file : files) {
    wast::FileResult result = wast::RunScriptFile(file, run_options);
    fmt::print("{}: {}\n", result.path, wast::FormatCounts(result.counts));
    if (options.verbose) PrintFailures(result);
    total += result.counts;
    results.push_back(std::move(result));
  }
  fmt::print("{}\n", wast::FormatCounts(total));
  std::fflush(stdout);
  spdlog::info(
      "{} file(s) in {:.1f} ms", files.size(),
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());

  if (!options.json_path.empty()) {
    if (Status s = wast::WriteJsonFile(options.json_path, results); !s.ok()) {
      PrintError(s.error().message);
      return kExitFailure;
    }
  }
  if (!expectations) return total.failed == 0 ? kExitOk : kExitFailure;

  if (options.update_expect) {
    std::string text = wast::FormatExpectations(*expectations, results);
    if (Status s = WriteText(options.expect_path, text); !s.ok()) {
      PrintError(s.error().message);
      return kExitFailure;
    }
    fmt::print("wrote {}\n", options.expect_path);
    return kExitOk;
  }
  std::vector<std::string> problems =
      wast::CheckExpectations(*expectations, results, options.expect_path);
  for (const std::string& p : problems) fmt::print(stderr, "wtrun: expectation: {}\n", p);
  if (!problems.empty()) {
    fmt::print(stderr,
               "wtrun: {} file(s) do not match {} (rerun with --update-expect to "
               "rewrite it)\n",
               problems.size(), options.expect_path);
    return kExitFailure;
  }
  fmt::print("all {} file(s) as expected ({} listed in {})\n", results.size(),
             expectations->entries.size(), options.expect_path);
  return kExitOk;
}

}  // namespace wt::cli
