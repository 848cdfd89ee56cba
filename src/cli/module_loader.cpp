#include "cli/module_loader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>

#include <fmt/format.h>

#include <spdlog/spdlog.h>

#include "text/wat.h"
#include "wasm/reader.h"
#include "wasm/validator.h"
#include "wast/file_io.h"

namespace wt::cli {
namespace {

bool IsBinary(std::span<const uint8_t> bytes) {
  static constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6D};
  return bytes.size() >= 4 && std::memcmp(bytes.data(), kMagic, 4) == 0;
}

// The extension, lower case, with its dot (".wasm"), or "".
std::string Extension(std::string_view path) {
  size_t slash = path.find_last_of('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  size_t dot = name.find_last_of('.');
  if (dot == std::string_view::npos || dot == 0) return "";
  std::string ext(name.substr(dot));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

// No NUL or control byte other than whitespace, and valid UTF-8 (a sequence cut by the end of
// `bytes` counts as valid: `bytes` may be the first part of the file).
bool LooksLikeText(std::span<const uint8_t> bytes) {
  size_t i = 0;
  while (i < bytes.size()) {
    const uint8_t c = bytes[i];
    if (c < 0x80) {
      bool blank = c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
      if ((c < 0x20 && !blank) || c == 0x7f) return false;
      ++i;
      continue;
    }
    size_t n = 0;
    uint32_t min = 0;
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      min = 0x10000;
    } else {
      return false;  // a continuation byte without a lead, or 0xF8..0xFF
    }
    uint32_t cp = c & (0x3F >> n);
    size_t j = 1;
    for (; j <= n && i + j < bytes.size(); ++j) {
      if ((bytes[i + j] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (bytes[i + j] & 0x3F);
    }
    if (j <= n) return true;  // cut by the end of the window
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

// Text that starts like a module: "(" after blanks and ";;" line comments.
bool StartsLikeModule(std::span<const uint8_t> bytes) {
  size_t i = 0;
  while (i < bytes.size()) {
    const uint8_t c = bytes[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
    } else if (c == ';' && i + 1 < bytes.size() && bytes[i + 1] == ';') {
      while (i < bytes.size() && bytes[i] != '\n') ++i;
    } else {
      return c == '(';
    }
  }
  return false;
}

// True when the file at `path` starts with the .cwasm magic (read apart from the module bytes:
// an artifact is mapped, never read whole).
bool FileIsPrecompiled(const std::string& path) {
  // Regular files only: opening a pipe or a FIFO here could disturb its writer.
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;  // the reader reports it
  uint8_t head[8];
  ssize_t n = pread(fd, head, sizeof(head), 0);
  close(fd);
  return n == static_cast<ssize_t>(sizeof(head)) &&
         runtime::IsPrecompiled(std::span<const uint8_t>(head, sizeof(head)));
}

double MillisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

}  // namespace

ModuleFileKind ClassifyModuleFile(std::string_view path, std::span<const uint8_t> bytes) {
  if (IsBinary(bytes)) return ModuleFileKind::kBinary;
  const std::string ext = Extension(path);
  if (ext == ".wat" || ext == ".wast") return ModuleFileKind::kText;
  // A text module misnamed .wasm still loads (as under wasmtime); other text in a .wasm does not.
  std::span<const uint8_t> head = bytes.first(std::min(bytes.size(), kSniffBytes));
  if (!LooksLikeText(head)) return ModuleFileKind::kNotBinary;
  if (ext == ".wasm" && !StartsLikeModule(bytes)) return ModuleFileKind::kNotBinary;
  return ModuleFileKind::kText;
}

std::string NotBinaryMessage(std::span<const uint8_t> bytes) {
  if (bytes.empty()) return fmt::format("{} (empty file)", kNotBinaryMessage);
  std::string magic;
  for (size_t i = 0; i < bytes.size() && i < 4; ++i) {
    magic += fmt::format("{}{:02x}", i == 0 ? "" : " ", bytes[i]);
  }
  return fmt::format("{} (bad magic number {})", kNotBinaryMessage, magic);
}

PrecompiledLoad MakePrecompiledLoad(bool allow, const jit::CompileOptions& options) {
  PrecompiledLoad p;
  p.allow = allow;
  p.options.features = options.features;
  p.options.simd_isa = options.simd_isa;
  p.options.need_fuel = options.consume_fuel;
  p.options.need_epoch = options.epoch_interruption;
  return p;
}

std::string PrecompiledNotAllowedMessage(std::string_view path) {
  return fmt::format(
      "{} is a precompiled module (.cwasm): it contains machine code that wtrun will run as "
      "is; pass --allow-precompiled if you trust it",
      path);
}

Result<LoadedModule> LoadModule(const std::string& path, const wasm::Features& features,
                                bool validate, const PrecompiledLoad* precompiled) {
  auto start = std::chrono::steady_clock::now();
  if (FileIsPrecompiled(path)) {
    if (precompiled == nullptr)
      return MakeError(ErrorKind::kUsage,
                       "{} is a precompiled module (.cwasm): this command takes a .wasm or .wat "
                       "module",
                       path);
    if (!precompiled->allow)
      return MakeError(ErrorKind::kUsage, "{}", PrecompiledNotAllowedMessage(path));
    LoadedModule loaded;
    WT_TRY_ASSIGN(loaded.precompiled, runtime::LoadPrecompiled(path, precompiled->options));
    spdlog::debug("{}: precompiled module loaded in {:.2f} ms", path, MillisecondsSince(start));
    return loaded;
  }
  // The file is mapped, not copied (util/mapped_file.h; read for pipes and empty files).
  WT_TRY_ASSIGN(util::FileContents contents, util::MapOrReadFile(path));
  wasm::ModuleBytes bytes = contents.mapping ? wasm::ModuleBytes(std::move(contents.mapping))
                                             : wasm::ModuleBytes(std::move(contents.bytes));
  LoadedModule loaded;
  switch (ClassifyModuleFile(path, bytes)) {
    case ModuleFileKind::kBinary:
      break;
    case ModuleFileKind::kNotBinary:
      return MakeError(ErrorKind::kMalformed, "{}", NotBinaryMessage(bytes));
    case ModuleFileKind::kText:
      loaded.from_text = true;
      break;
  }
  if (loaded.from_text) {
    std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    text::WatOptions wat_options;
    wat_options.features = features;
    WT_TRY_ASSIGN(bytes, text::WatToBinary(text, path, wat_options));
    spdlog::debug("{}: text encoded to {} bytes in {:.2f} ms", path, bytes.size(),
                  MillisecondsSince(start));
  }
  wasm::ReadOptions read_options;
  read_options.features = features;
  read_options.check_code_syntax = false;  // the validator decodes the bodies ([perf])
  WT_TRY_ASSIGN(loaded.module, wasm::ReadModule(std::move(bytes), read_options));
  spdlog::debug("{}: decoded in {:.2f} ms", path, MillisecondsSince(start));
  if (!validate) return loaded;
  wasm::ValidateOptions validate_options;
  validate_options.features = features;
  WT_TRY(wasm::ValidateModule(loaded.module, validate_options));
  spdlog::debug("{}: validated in {:.2f} ms", path, MillisecondsSince(start));
  return loaded;
}

}  // namespace wt::cli
