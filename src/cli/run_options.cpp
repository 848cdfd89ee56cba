#include "cli/run_options.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <thread>

#include <fmt/format.h>

#include "runtime/profile.h"

namespace wt::cli {
namespace {

// Leading decimal digits of `text` as a value; `rest` receives what follows them.
std::optional<uint64_t> LeadingNumber(std::string_view text, std::string_view* rest) {
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v, 10);
  if (ec != std::errc() || ptr == text.data()) return std::nullopt;
  *rest = text.substr(static_cast<size_t>(ptr - text.data()));
  return v;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool MulOverflows(uint64_t a, uint64_t b, uint64_t* out) {
  return __builtin_mul_overflow(a, b, out);
}

}  // namespace

Result<uint64_t> ParseByteSize(std::string_view text) {
  std::string_view rest;
  auto n = LeadingNumber(text, &rest);
  auto bad = [&] {
    return MakeError(ErrorKind::kUsage, "invalid size '{}' (bytes, or with K, M, G or T)", text);
  };
  if (!n) return bad();
  std::string unit = Lower(rest);
  if (unit == "b") {
    unit.clear();
  } else if (unit.size() == 3 && unit.ends_with("ib")) {  // KiB
    unit.resize(1);
  } else if (unit.size() == 2 && unit.ends_with("b")) {  // KB
    unit.resize(1);
  }
  unsigned shift = 0;
  if (unit.empty()) {
    shift = 0;
  } else if (unit == "k") {
    shift = 10;
  } else if (unit == "m") {
    shift = 20;
  } else if (unit == "g") {
    shift = 30;
  } else if (unit == "t") {
    shift = 40;
  } else {
    return bad();
  }
  uint64_t bytes = 0;
  if (MulOverflows(*n, uint64_t{1} << shift, &bytes)) {
    return MakeError(ErrorKind::kUsage, "size '{}' is too large", text);
  }
  return bytes;
}

Result<std::chrono::nanoseconds> ParseDuration(std::string_view text) {
  std::string_view rest;
  auto n = LeadingNumber(text, &rest);
  auto bad = [&] {
    return MakeError(ErrorKind::kUsage,
                     "invalid duration '{}' (digits with ns, us, ms, s, m or h: 500ms, 2s, 1m)",
                     text);
  };
  if (!n) return bad();
  uint64_t scale = 0;
  if (rest.empty() || rest == "s") {
    scale = 1'000'000'000;
  } else if (rest == "ns") {
    scale = 1;
  } else if (rest == "us") {
    scale = 1'000;
  } else if (rest == "ms") {
    scale = 1'000'000;
  } else if (rest == "m") {
    scale = 60'000'000'000;
  } else if (rest == "h") {
    scale = 3'600'000'000'000;
  } else {
    return bad();
  }
  uint64_t ns = 0;
  if (MulOverflows(*n, scale, &ns) || ns > static_cast<uint64_t>(INT64_MAX)) {
    return MakeError(ErrorKind::kUsage, "duration '{}' is too long", text);
  }
  return std::chrono::nanoseconds(static_cast<int64_t>(ns));
}

Result<uint64_t> ParseCount(std::string_view text, uint64_t max) {
  std::string_view rest;
  auto n = LeadingNumber(text, &rest);
  if (!n || !rest.empty()) return MakeError(ErrorKind::kUsage, "invalid number '{}'", text);
  if (*n > max) return MakeError(ErrorKind::kUsage, "'{}' is too large (at most {})", text, max);
  return *n;
}

Result<CompileChoice> ResolveCompileChoice(std::string_view flag, bool allow_cwasm) {
  std::string_view source = "--compile";
  std::string_view value = flag;
  if (value.empty()) {
    const char* env = std::getenv("WTRUN_COMPILE");
    if (env == nullptr || *env == '\0') {
      return kCompileEagerByDefault ? CompileChoice::kEager : CompileChoice::kLazy;
    }
    source = "WTRUN_COMPILE";
    value = env;
    allow_cwasm = false;  // the variable also reaches LoadModule, which knows eager and lazy
  }
  if (value == "eager") return CompileChoice::kEager;
  if (value == "lazy") return CompileChoice::kLazy;
  if (value == "cwasm" && allow_cwasm) return CompileChoice::kCwasm;
  return MakeError(ErrorKind::kUsage, "{}: unknown value '{}' (expected eager{})", source, value,
                   allow_cwasm ? ", lazy or cwasm" : " or lazy");
}

void HideCompileEnvironment() {
  unsetenv("WTRUN_COMPILE");
}

uint32_t DefaultLazyCompileThreads() {
  unsigned cores = std::thread::hardware_concurrency();
  return cores <= 1 ? 0 : std::min(cores - 1, 4u);
}

Status FinishRunOptions(const RawRunOptions& raw, RunCommandOptions* out) {
  auto with_name = [](std::string_view option, const Error& e) {
    return MakeError(ErrorKind::kUsage, "{}: {}", option, e.message);
  };
  // Each value option: parsed when given.
  auto size = [&](std::string_view option, const std::string& text,
                  std::optional<uint64_t>* field) -> Status {
    if (text.empty()) return {};
    auto v = ParseByteSize(text);
    if (!v.ok()) return with_name(option, v.error());
    *field = *v;
    return {};
  };
  auto count = [&](std::string_view option, const std::string& text, uint64_t max,
                   auto* field) -> Status {
    if (text.empty()) return {};
    auto v = ParseCount(text, max);
    if (!v.ok()) return with_name(option, v.error());
    *field = static_cast<std::remove_reference_t<decltype(**field)>>(*v);
    return {};
  };
  std::optional<uint32_t> max_backtrace;
  WT_TRY(count("--max-backtrace", raw.max_backtrace, UINT32_MAX, &max_backtrace));
  if (max_backtrace) out->max_backtrace = *max_backtrace;
  WT_TRY(count("--fuel", raw.fuel, UINT64_MAX, &out->fuel));
  if (!raw.timeout.empty()) {
    auto d = ParseDuration(raw.timeout);
    if (!d.ok()) return with_name("--timeout", d.error());
    out->timeout = raw.timeout;
  }
  WT_TRY(size("--max-wasm-stack", raw.max_wasm_stack, &out->max_wasm_stack));
  WT_TRY(size("--max-memory-size", raw.max_memory_size, &out->max_memory_size));
  WT_TRY(
      count("--max-table-elements", raw.max_table_elements, UINT64_MAX, &out->max_table_elements));
  WT_TRY(size("--max-gc-heap-size", raw.max_gc_heap_size, &out->max_gc_heap_size));  // [wasmgc]
  if (raw.gc_collector == "null") {                                                  // [wasmgc]
    out->gc_collect = false;
  } else if (!raw.gc_collector.empty() && raw.gc_collector != "tracing") {
    return MakeError(ErrorKind::kUsage, "--gc-collector: unknown collector '{}' (tracing or null)",
                     raw.gc_collector);
  }
  WT_TRY(count("--pool-instances", raw.pool_instances, UINT32_MAX, &out->pool_instances));
  WT_TRY(size("--pool-memory-size", raw.pool_memory_size, &out->pool_memory_size));
  WT_TRY(count("--pool-table-elements", raw.pool_table_elements, UINT64_MAX,
               &out->pool_table_elements));
  // [lazy]
  WT_TRY_ASSIGN(CompileChoice compile, ResolveCompileChoice(raw.compile, /*allow_cwasm=*/false));
  out->compile_eager = compile == CompileChoice::kEager;
  WT_TRY(count("--compile-threads", raw.compile_threads, 256, &out->compile_threads));

  for (const std::string& d : out->dirs) {
    size_t sep = d.find("::");
    std::string_view host = std::string_view(d).substr(0, sep);
    if (host.empty()) {
      return MakeError(ErrorKind::kUsage, "--dir: '{}' names no host directory (HOST[::GUEST])", d);
    }
    if (sep != std::string::npos && sep + 2 == d.size()) {
      return MakeError(ErrorKind::kUsage, "--dir: '{}' names no guest directory (HOST[::GUEST])",
                       d);
    }
  }
  for (const std::string& e : out->envs) {
    if (e.empty() || e[0] == '=') {
      return MakeError(ErrorKind::kUsage, "--env: '{}' has no NAME (NAME[=VALUE])", e);
    }
  }
  for (const std::string& p : out->preloads) {
    size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == p.size()) {
      return MakeError(ErrorKind::kUsage, "--preload: '{}' is not NAME=FILE", p);
    }
  }
  if (!out->profile.empty()) {
    auto mode = runtime::ParseProfileMode(out->profile);
    if (!mode.ok()) return with_name("--profile", mode.error());
  }
  return {};
}

const std::vector<RunOptionName>& RunOptionNames() {
  static const std::vector<RunOptionName> names = {
      {"--invoke", true},
      {"--dir", true},
      {"--env", true},
      {"--inherit-env", false},
      {"--argv0", true},
      {"--preload", true},
      {"--trap-unknown-imports", false},
      {"--default-values-unknown-imports", false},
      {"--no-backtrace", false},
      {"--max-backtrace", true},
      {"--profile", true},
      {"--fuel", true},
      {"--timeout", true},
      {"--max-wasm-stack", true},
      {"--max-memory-size", true},
      {"--max-table-elements", true},
      {"--max-gc-heap-size", true},  // [wasmgc]
      {"--gc-collector", true},      // [wasmgc]
      {"--pooling", false},
      {"--pool-instances", true},
      {"--pool-memory-size", true},
      {"--pool-table-elements", true},
      {"--pool-uffd", false},
      {"--compile", true},
      {"--compile-threads", true},
      {"--allow-precompiled", false},
      {"--wasm", true},
      {"--features", true},
      {"--simd-isa", true},
      {"--log-level", true},
  };
  return names;
}

std::optional<std::string> MisplacedRunOption(const std::vector<std::string>& program_args) {
  for (const std::string& a : program_args) {
    std::string_view name = std::string_view(a).substr(0, a.find('='));
    for (const RunOptionName& o : RunOptionNames()) {
      if (o.name == name) return std::string(name);
    }
  }
  return std::nullopt;
}

}  // namespace wt::cli
