// fuzz_corpus OUT DIR...: seed corpora and dictionaries for the fuzz targets, made with wtrun's
// own front end from the .wast and .wat files under each DIR (the spec suites: nothing is
// copied into the repository, the corpora are written at fuzz time into a build directory;
// .wasm files are taken as they are).
//   OUT/decode/   every module binary of every script (text modules encoded; binary ones
//                 as written, malformed and invalid ones included)
//   OUT/run/      those that decode and validate (Wasm 3.0), and every .wasm file
//   OUT/text/     the top-level commands of every script, as text (those with a module,
//                 and one in 16 of the others)
//   OUT/wast/     each (module ...) of every script with the commands up to the next one
//   OUT/binary.dict, OUT/text.dict   libFuzzer dictionaries from the opcode table
// Files are named by a hash of their contents (duplicates are written once).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "text/lexer.h"
#include "text/wast_script.h"
#include "text/wat.h"
#include "wasm/opcodes.h"
#include "wasm/reader.h"
#include "wasm/validator.h"

namespace fs = std::filesystem;
using namespace wt;

namespace {

uint64_t Fnv1a(std::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

struct Writer {
  fs::path dir;
  std::string ext;
  size_t max_size;
  std::set<uint64_t> seen;
  size_t count = 0;

  void Write(std::string_view bytes) {
    if (bytes.size() > max_size) return;
    uint64_t h = Fnv1a(bytes);
    if (!seen.insert(h).second) return;
    std::ofstream out(dir / fmt::format("{:016x}{}", h, ext), std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    ++count;
  }
};

std::string_view AsText(const std::vector<uint8_t>& bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// Every top-level parenthesized group of the script (its commands), as written, into `text`;
// into `wast`, each `(module ...)` command with the commands that follow it up to the next one
// (a script that runs the module's assertions).
void WriteCommands(const std::string& source, const std::string& name, Writer& text, Writer& wast) {
  auto tokens = text::Tokenize(source, name);
  if (!tokens.ok()) return;
  int depth = 0;
  const char* begin = nullptr;
  const char* group = nullptr;  // start of the current module group
  const char* group_end = nullptr;
  for (const text::Token& t : *tokens) {
    if (t.kind == text::TokenKind::kLParen) {
      if (depth++ == 0) begin = t.text.data();
    } else if (t.kind == text::TokenKind::kRParen && depth > 0) {
      if (--depth == 0 && begin != nullptr) {
        const char* end = t.text.data() + t.text.size();
        std::string_view command(begin, end - begin);
        // Commands without a module (assert_return, invoke, ...) are most of the suites and
        // exercise only the script parser: one in 16 of them is enough.
        if (command.find("(module") != std::string_view::npos || Fnv1a(command) % 16 == 0) {
          text.Write(command);
        }
        if (command.starts_with("(module")) {
          if (group != nullptr) wast.Write(std::string_view(group, group_end - group));
          group = begin;
        }
        group_end = end;
      }
    }
  }
  if (group != nullptr) wast.Write(std::string_view(group, group_end - group));
}

void WriteModules(const std::string& source, const std::string& name, Writer& decode, Writer& run) {
  auto script = text::ParseScript(source, name);
  if (!script.ok()) return;
  for (const text::Command& command : script->commands) {
    if (!command.module) continue;
    auto bytes = text::ModuleBinary(*script, *command.module);
    if (!bytes.ok()) continue;
    decode.Write(AsText(*bytes));
    auto module = wasm::ReadModule(*bytes);
    if (module.ok() && wasm::ValidateModule(*module).ok()) run.Write(AsText(*bytes));
  }
}

// libFuzzer dictionary entries: "\xNN" escapes for anything but printable ASCII.
std::string DictEntry(std::string_view bytes) {
  std::string s = "\"";
  for (unsigned char c : bytes) {
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      s += static_cast<char>(c);
    } else {
      s += fmt::format("\\x{:02x}", c);
    }
  }
  return s + "\"\n";
}

void WriteDictionaries(const fs::path& out) {
  std::ofstream binary(out / "binary.dict");
  std::ofstream text(out / "text.dict");
  binary << DictEntry(std::string_view("\0asm\1\0\0\0", 8));
  std::set<std::string> seen;
  for (size_t i = 0; i < wasm::kNumOps; ++i) {
    const wasm::OpInfo& info = wasm::GetOpInfo(static_cast<wasm::Op>(i));
    std::string code;
    if (info.prefix != 0) code += static_cast<char>(info.prefix);
    uint32_t v = info.code;  // unsigned LEB128
    do {
      uint8_t b = v & 0x7f;
      v >>= 7;
      code += static_cast<char>(b | (v != 0 ? 0x80 : 0));
    } while (v != 0);
    if (code.size() > 1 && seen.insert(code).second) binary << DictEntry(code);
    text << DictEntry(info.text);
  }
  // Text keywords that are not instructions: the front end's, then script commands and
  // lexical fragments it does not list as keywords.
  for (std::string_view k : text::TextKeywords()) text << DictEntry(k);
  static const char* const kMoreKeywords[] = {"align=",
                                              "offset=",
                                              "nan:0x",
                                              "inf",
                                              "0x",
                                              "assert_return",
                                              "assert_trap",
                                              "assert_exhaustion",
                                              "assert_malformed",
                                              "assert_invalid",
                                              "assert_unlinkable",
                                              "assert_exception",
                                              "assert_uninstantiable",
                                              "ref.extern",
                                              "ref.host",
                                              "(;",
                                              ";)",
                                              ";;",
                                              "$",
                                              "(@"};
  for (const char* k : kMoreKeywords) text << DictEntry(k);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: fuzz_corpus OUT DIR...\n");
    return 2;
  }
  fs::path out = argv[1];
  Writer decode{out / "decode", ".wasm", 64 * 1024, {}, 0};
  Writer run{out / "run", ".wasm", 64 * 1024, {}, 0};
  Writer text{out / "text", ".wast", 16 * 1024, {}, 0};
  Writer wast{out / "wast", ".wast", 16 * 1024, {}, 0};
  for (Writer* w : {&decode, &run, &text, &wast}) fs::create_directories(w->dir);
  for (int i = 2; i < argc; ++i) {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(argv[i], ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file()) continue;
      std::string ext = it->path().extension().string();
      if (ext == ".wasm") {  // a binary: as it is
        std::ifstream in(it->path(), std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        decode.Write(ss.str());
        run.Write(ss.str());
        continue;
      }
      if (ext != ".wast" && ext != ".wat") continue;
      std::ifstream in(it->path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      std::string source = ss.str();
      std::string name = it->path().string();
      WriteCommands(source, name, text, wast);
      WriteModules(source, name, decode, run);
    }
  }
  WriteDictionaries(out);
  std::printf("fuzz_corpus: %zu decode, %zu run, %zu text, %zu wast seeds in %s\n", decode.count,
              run.count, text.count, wast.count, out.c_str());
  return 0;
}
