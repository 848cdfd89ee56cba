// Issue 13: how the CLI tells a binary from text and from neither (5c), `compile` failing as
// `run` does (6), and unknown-import stand-ins for --preload modules (7).
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "cli/module_loader.h"
#include "cli_test_util.h"

namespace wt::cli {
namespace {

namespace fs = std::filesystem;

std::span<const uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

ModuleFileKind Classify(std::string_view path, std::string_view content) {
  return ClassifyModuleFile(path, Bytes(content));
}

class FileDir {
 public:
  FileDir() {
    path_ =
        fs::temp_directory_path() / ("wtrun-module-file-test-" + std::to_string(::getpid()) + "-" +
                                     testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~FileDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string Write(const std::string& name, std::string_view content) const {
    std::ofstream(path_ / name, std::ios::binary) << content;
    return (path_ / name).string();
  }

 private:
  fs::path path_;
};

const std::string_view kElf(
    "\x7f"
    "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0\x3e\0",
    20);

TEST(ModuleFile, MagicIsBinaryWhateverTheName) {
  std::string_view truncated("\0asm\1\0\0\0\1\5\1", 11);
  EXPECT_EQ(Classify("m.wasm", truncated), ModuleFileKind::kBinary);
  EXPECT_EQ(Classify("m.wat", truncated), ModuleFileKind::kBinary);
  EXPECT_EQ(Classify("m", std::string_view("\0asm", 4)), ModuleFileKind::kBinary);
}

TEST(ModuleFile, WasmExtensionNeedsMagicOrAModuleText) {
  EXPECT_EQ(Classify("m.wasm", kElf), ModuleFileKind::kNotBinary);
  EXPECT_EQ(Classify("dir.x/M.WASM", kElf), ModuleFileKind::kNotBinary);
  EXPECT_EQ(Classify("m.wasm", ""), ModuleFileKind::kNotBinary);
  EXPECT_EQ(Classify("m.wasm", std::string_view("\0as", 3)), ModuleFileKind::kNotBinary);
  EXPECT_EQ(Classify("m.wasm", "hello world\n"), ModuleFileKind::kNotBinary);
  EXPECT_EQ(Classify("m.wasm", "#!/bin/sh\necho hi\n"), ModuleFileKind::kNotBinary);
  // A text module misnamed .wasm still loads (as under wasmtime).
  EXPECT_EQ(Classify("m.wasm", "(module)"), ModuleFileKind::kText);
  EXPECT_EQ(Classify("m.wasm", " ;; a comment\n\r\n\t(module)"), ModuleFileKind::kText);
  EXPECT_EQ(Classify("m.wasm", "(; block ;) (module)"), ModuleFileKind::kText);
}

TEST(ModuleFile, OtherNamesAreSniffed) {
  EXPECT_EQ(Classify("blob", kElf), ModuleFileKind::kNotBinary);
  EXPECT_EQ(Classify("a.out", kElf), ModuleFileKind::kNotBinary);
  EXPECT_EQ(Classify("m.txt", "(module)\n"), ModuleFileKind::kText);
  EXPECT_EQ(Classify("m", "garbage but text"), ModuleFileKind::kText);  // the parser says why
  // Control bytes, NULs, malformed UTF-8 (a stray continuation byte, an overlong form, a
  // surrogate) in the first bytes.
  EXPECT_EQ(Classify("m", "(module \x01)"), ModuleFileKind::kNotBinary);
  EXPECT_EQ(Classify("m", std::string_view("(module \0)", 10)), ModuleFileKind::kNotBinary);
  EXPECT_EQ(Classify("m", "(module \x7f)"), ModuleFileKind::kNotBinary);
  EXPECT_EQ(Classify("m", "(module \x80)"), ModuleFileKind::kNotBinary);
  EXPECT_EQ(Classify("m", "(module \xc0\x80)"), ModuleFileKind::kNotBinary);
  EXPECT_EQ(Classify("m", "(module \xed\xa0\x80)"), ModuleFileKind::kNotBinary);
  EXPECT_EQ(Classify("m", "(module \xff)"), ModuleFileKind::kNotBinary);
  // Valid UTF-8 and whitespace controls are text.
  EXPECT_EQ(Classify("m", "(module) ;; \xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\f\v\r\n"),
            ModuleFileKind::kText);
  // Only the first kSniffBytes are looked at; a sequence cut there is not held against it.
  std::string text(kSniffBytes - 1, ' ');
  text += "\xe2\x82\xac";
  EXPECT_EQ(Classify("m", text), ModuleFileKind::kText);
  text += std::string("\x01", 1);
  EXPECT_EQ(Classify("m", text), ModuleFileKind::kText);
}

TEST(ModuleFile, TextExtensionsGoToTheParser) {
  EXPECT_EQ(Classify("m.wat", kElf), ModuleFileKind::kText);
  EXPECT_EQ(Classify("m.WAST", "hello"), ModuleFileKind::kText);
}

TEST(ModuleFile, NotBinaryMessage) {
  EXPECT_EQ(NotBinaryMessage(Bytes(kElf)),
            "not a WebAssembly binary (bad magic number 7f 45 4c 46)");
  EXPECT_EQ(NotBinaryMessage(Bytes("hi")), "not a WebAssembly binary (bad magic number 68 69)");
  EXPECT_EQ(NotBinaryMessage(Bytes("")), "not a WebAssembly binary (empty file)");
}

TEST(ModuleFile, RunAndCompileSayBadMagic) {
  FileDir dir;
  std::string elf = dir.Write("prog.wasm", kElf);
  std::string want =
      "wtrun: error: " + elf + ": not a WebAssembly binary (bad magic number 7f 45 4c 46)\n";
  Outcome run = RunMain({elf});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.err, want);
  Outcome compile = RunMain({"compile", elf});
  EXPECT_EQ(compile.code, 1);
  EXPECT_EQ(compile.err, want);
  std::string main = dir.Write("m.wat", "(module (func (export \"_start\")))");
  Outcome preload = RunMain({"--preload", "lib=" + elf, main});
  EXPECT_EQ(preload.code, 1);
  EXPECT_EQ(preload.err, want);
  // An extensionless name that looks like a command is still a file when it exists.
  std::string empty = dir.Write("empty.wasm", "");
  Outcome e = RunMain({"compile", empty});
  EXPECT_EQ(e.err, "wtrun: error: " + empty + ": not a WebAssembly binary (empty file)\n");
}

// `compile` compiles as `run` does: the same line and status for what the JIT refuses.
TEST(ModuleFile, CompileFailsAsRunDoes) {
  FileDir dir;
  // Atomics: valid in 3.0 (threads), refused by the JIT. (GC instructions played this part
  // until [wasmgc] compiled them.)
  std::string simd = dir.Write("s.wat",
                               "(module (memory 1) (func $f) (func (export \"_start\") (drop "
                               "(i32.atomic.load (i32.const 0)))))");
  Outcome run = RunMain({"run", simd});
  Outcome compile = RunMain({"compile", simd});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(compile.code, 1);
  EXPECT_NE(compile.err.find("unsupported feature: threads"), std::string::npos) << compile.err;
  EXPECT_EQ(compile.err, run.err);
  EXPECT_EQ(compile.out, "");
  // Without tail calls in the feature set it is invalid for both.
  Outcome run20 = RunMain({"--wasm", "2.0", "run", simd});
  Outcome compile20 = RunMain({"--wasm", "2.0", "compile", simd});
  EXPECT_EQ(compile20.code, 1);
  EXPECT_EQ(compile20.err, run20.err);
  // A module that compiles: the summary, with the machine code's size.
  std::string ok = dir.Write("ok.wat", "(module (func (export \"f\") (result i32) i32.const 1))");
  Outcome good = RunMain({"compile", ok});
  EXPECT_EQ(good.code, 0);
  EXPECT_NE(good.out.find("valid module"), std::string::npos) << good.out;
  EXPECT_NE(good.out.find("functions: 1 (0 imported, 1 defined)"), std::string::npos) << good.out;
  EXPECT_NE(good.out.find("bytes of machine code"), std::string::npos) << good.out;
}

// --trap-unknown-imports / --default-values-unknown-imports stand in for the imports of
// --preload modules too.
TEST(ModuleFile, UnknownImportStandInsForPreloads) {
  FileDir dir;
  std::string lib = dir.Write("lib.wat",
                              "(module (import \"host\" \"get\" (func $get (result i32)))"
                              " (func (export \"plus_get\") (param i32) (result i32)"
                              "  (i32.add (local.get 0) (call $get))))");
  std::string main = dir.Write("main.wat",
                               "(module (import \"lib\" \"plus_get\" (func $p (param i32) (result "
                               "i32))) (func (export \"f\") (param i32) (result i32) (call $p "
                               "(local.get 0))))");
  Outcome none = RunMain({"--preload", "lib=" + lib, "--invoke", "f", main, "5"});
  EXPECT_EQ(none.code, 1);
  EXPECT_NE(none.err.find("unknown import: host::get has not been defined"), std::string::npos)
      << none.err;
  Outcome zeros = RunMain(
      {"--default-values-unknown-imports", "--preload", "lib=" + lib, "--invoke", "f", main, "5"});
  EXPECT_EQ(zeros.code, 0) << zeros.err;
  EXPECT_EQ(zeros.out, "5\n");
  Outcome trap =
      RunMain({"--trap-unknown-imports", "--preload", "lib=" + lib, "--invoke", "f", main, "5"});
  EXPECT_EQ(trap.code, kExitTrap);
  EXPECT_NE(trap.err.find("unknown import `host::get` has not been defined"), std::string::npos)
      << trap.err;
  // The library's frame is named after its own file.
  EXPECT_NE(trap.err.find("lib.wat!<wasm function 1>"), std::string::npos) << trap.err;
  EXPECT_NE(trap.err.find("main.wat!<wasm function 1>"), std::string::npos) << trap.err;
}

}  // namespace
}  // namespace wt::cli
