// End to end: every case of ../shared/wasi-testsuite (C, Rust and AssemblyScript preview 1
// suites) compiled by the JIT and run against this WASI host, without the command line:
// each against a fresh copy of its fixture folder, with the spec's args, env and root
// (preopened as "/"), checking the exit code and stdout. See ../shared/README.md.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "runtime/runtime.h"
#include "wasi/sandbox.h"
#include "wasi/wasi.h"
#include "wasi_test_util.h"

namespace wt::wasi {
namespace {

namespace fs = std::filesystem;

// ---- A minimal JSON reader for the spec files (objects, arrays, strings, integers).
struct Json {
  enum Kind { kNull, kNumber, kString, kArray, kObject } kind = kNull;
  int64_t number = 0;
  std::string string;
  std::vector<Json> array;
  std::vector<std::pair<std::string, Json>> object;

  const Json* Get(std::string_view key) const {
    for (const auto& [k, v] : object) {
      if (k == key) return &v;
    }
    return nullptr;
  }
};

class JsonReader {
 public:
  explicit JsonReader(std::string_view text) : t_(text) {}
  bool Parse(Json* out) {
    if (!Value(out, 0)) return false;
    Skip();
    return at_ == t_.size();
  }

 private:
  void Skip() {
    while (at_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[at_]))) ++at_;
  }
  bool Eat(char c) {
    Skip();
    if (at_ < t_.size() && t_[at_] == c) {
      ++at_;
      return true;
    }
    return false;
  }
  bool String(std::string* out) {
    if (!Eat('"')) return false;
    while (at_ < t_.size() && t_[at_] != '"') {
      char c = t_[at_++];
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (at_ >= t_.size()) return false;
      char e = t_[at_++];
      switch (e) {
        case 'n':
          out->push_back('\n');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'u': {
          if (at_ + 4 > t_.size()) return false;
          unsigned v = std::stoul(std::string(t_.substr(at_, 4)), nullptr, 16);
          at_ += 4;
          if (v < 0x80) {
            out->push_back(static_cast<char>(v));
          } else if (v < 0x800) {
            out->push_back(static_cast<char>(0xC0 | (v >> 6)));
            out->push_back(static_cast<char>(0x80 | (v & 0x3F)));
          } else {
            out->push_back(static_cast<char>(0xE0 | (v >> 12)));
            out->push_back(static_cast<char>(0x80 | ((v >> 6) & 0x3F)));
            out->push_back(static_cast<char>(0x80 | (v & 0x3F)));
          }
          break;
        }
        default:
          out->push_back(e);
      }
    }
    return Eat('"');
  }
  bool Value(Json* out, int depth) {
    if (depth > 32) return false;
    Skip();
    if (at_ >= t_.size()) return false;
    char c = t_[at_];
    if (c == '"') {
      out->kind = Json::kString;
      return String(&out->string);
    }
    if (c == '[') {
      ++at_;
      out->kind = Json::kArray;
      if (Eat(']')) return true;
      do {
        out->array.emplace_back();
        if (!Value(&out->array.back(), depth + 1)) return false;
      } while (Eat(','));
      return Eat(']');
    }
    if (c == '{') {
      ++at_;
      out->kind = Json::kObject;
      if (Eat('}')) return true;
      do {
        std::string key;
        if (!String(&key) || !Eat(':')) return false;
        out->object.emplace_back(std::move(key), Json{});
        if (!Value(&out->object.back().second, depth + 1)) return false;
      } while (Eat(','));
      return Eat('}');
    }
    if (t_.substr(at_, 4) == "null") {
      at_ += 4;
      return true;
    }
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
      size_t end = at_ + 1;
      while (end < t_.size() && std::isdigit(static_cast<unsigned char>(t_[end]))) ++end;
      out->kind = Json::kNumber;
      out->number = std::stoll(std::string(t_.substr(at_, end - at_)));
      at_ = end;
      return true;
    }
    return false;
  }

  std::string_view t_;
  size_t at_ = 0;
};

std::string ReadAll(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

// ---- One test case.
struct CaseResult {
  bool ran = false;
  std::string failure;  // empty: passed
};

CaseResult RunCase(const fs::path& wasm) {
  CaseResult result;
  fs::path dir = wasm.parent_path();
  std::string name = wasm.stem().string();
  Json spec;
  spec.kind = Json::kObject;
  fs::path spec_path = dir / (name + ".json");
  if (fs::exists(spec_path)) {
    std::string text = ReadAll(spec_path);
    JsonReader reader(text);
    if (!reader.Parse(&spec) || spec.kind != Json::kObject) {
      result.failure = "bad spec file";
      return result;
    }
  }

  // A fresh copy of the fixture folder.
  testing::TempDir scratch;
  WasiConfig config;
  config.args.push_back(wasm.filename().string());
  if (const Json* args = spec.Get("args")) {
    for (const Json& a : args->array) config.args.push_back(a.string);
  }
  if (const Json* env = spec.Get("env")) {
    for (const auto& [k, v] : env->object) config.env.emplace_back(k, v.string);
  }
  if (const Json* root = spec.Get("root"); root != nullptr && root->kind == Json::kString) {
    fs::path copy = fs::path(scratch.path()) / "root";
    std::error_code ec;
    fs::copy(dir / root->string, copy, fs::copy_options::recursive, ec);
    if (ec) {
      result.failure = "cannot copy the fixture: " + ec.message();
      return result;
    }
    // The fixture files are read-only in the shared folder; the copy must be writable.
    for (auto& e : fs::recursive_directory_iterator(copy)) {
      fs::permissions(e.path(), fs::perms::owner_write, fs::perm_options::add, ec);
    }
    fs::permissions(copy, fs::perms::owner_write, fs::perm_options::add, ec);
    for (auto& e : fs::recursive_directory_iterator(copy)) {
      if (e.path().extension() == ".cleanup") fs::remove_all(e.path(), ec);
    }
    config.preopens.push_back({copy.string(), "/"});
  }
  int64_t want_exit = 0;
  if (const Json* code = spec.Get("exit_code")) want_exit = code->number;
  const Json* want_stdout = spec.Get("stdout");

  std::string out_path = scratch / "stdout";
  int out_fd = ::open(out_path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  std::string err_path = scratch / "stderr";
  int err_fd = ::open(err_path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int in_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  config.stdout_fd = out_fd;
  config.stdin_fd = in_fd;
  config.stderr_fd = err_fd;  // captured (shown on failure)
  auto close_fds = [&] {
    ::close(out_fd);
    ::close(err_fd);
    ::close(in_fd);
  };

  auto ctx = WasiCtx::Create(std::move(config));
  if (!ctx.ok()) {
    close_fds();
    result.failure = ctx.error().ToString();
    return result;
  }
  std::string bytes_str = ReadAll(wasm);
  std::vector<uint8_t> bytes(bytes_str.begin(), bytes_str.end());
  auto loaded = runtime::LoadModule(std::move(bytes), wasm::Features::Wasm30());
  if (!loaded.ok()) {
    close_fds();
    result.failure = "load: " + loaded.error().ToString();
    return result;
  }
  runtime::Store store;
  runtime::Linker linker;
  if (Status s = DefineWasi(linker, store, **ctx); !s.ok()) {
    close_fds();
    result.failure = s.error().ToString();
    return result;
  }
  runtime::Trap trap;
  auto inst = linker.Instantiate(store, *loaded, &trap);
  int64_t exit_code = 0;
  std::string trap_text;
  if (!inst.ok()) {
    close_fds();
    result.failure = "instantiate: " + inst.error().ToString();
    return result;
  }
  runtime::Func* start = (*inst)->GetFunc("_start");
  if (start == nullptr) {
    close_fds();
    result.failure = "no _start";
    return result;
  }
  result.ran = true;
  auto r = runtime::Invoke(store, *start, {});
  if (!r.ok()) {
    trap_text = r.error().ToString();
    exit_code = 1;
  } else if (r->trap) {
    if (r->trap->code == runtime::TrapCode::kExit) {
      exit_code = *(*ctx)->exit_code();
    } else {
      trap_text = runtime::TrapMessage(r->trap->code);
      exit_code = 134;
    }
  }
  close_fds();
  std::string out = ReadAll(out_path);
  std::string err = ReadAll(err_path);
  if (exit_code != want_exit) {
    result.failure = "exit code " + std::to_string(exit_code) + ", expected " +
                     std::to_string(want_exit) + (trap_text.empty() ? "" : " (" + trap_text + ")") +
                     "\nstdout:\n" + out + "\nstderr:\n" + err;
  } else if (want_stdout != nullptr && out != want_stdout->string) {
    result.failure = "stdout:\n" + out + "\nexpected:\n" + want_stdout->string;
  }
  return result;
}

fs::path SuiteRoot() {
  if (const char* env = std::getenv("WTRUN_WASI_TESTSUITE")) return env;
  // The CMake option WTRUN_WASI_TESTSUITE (default ../shared/wasi-testsuite).
  return WTRUN_WASI_TESTSUITE_DIR;
}

void RunSuite(const std::string& suite) {
  fs::path dir = SuiteRoot() / "tests" / suite / "testsuite" / "wasm32-wasip1";
  if (!fs::exists(dir)) GTEST_SKIP() << dir << " is missing";
  std::vector<fs::path> cases;
  for (auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".wasm") cases.push_back(e.path());
  }
  std::sort(cases.begin(), cases.end());
  ASSERT_FALSE(cases.empty());
  int passed = 0;
  for (const fs::path& c : cases) {
    CaseResult r = RunCase(c);
    EXPECT_TRUE(r.failure.empty()) << suite << "/" << c.filename().string() << ": " << r.failure;
    passed += r.failure.empty();
  }
  std::printf("[ wasi ] %s: %d/%zu passed\n", suite.c_str(), passed, cases.size());
}

TEST(WasiTestsuite, AssemblyScript) {
  RunSuite("assemblyscript");
}
TEST(WasiTestsuite, C) {
  RunSuite("c");
}
TEST(WasiTestsuite, Rust) {
  RunSuite("rust");
}
// The filesystem suites again with the path walk alone (no openat2 fast path).
TEST(WasiTestsuite, CWithoutOpenat2) {
  SetOpenat2Enabled(false);
  RunSuite("c");
  SetOpenat2Enabled(true);
}
TEST(WasiTestsuite, RustWithoutOpenat2) {
  SetOpenat2Enabled(false);
  RunSuite("rust");
  SetOpenat2Enabled(true);
}

}  // namespace
}  // namespace wt::wasi
