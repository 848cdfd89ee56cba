#include "wast/json_writer.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

namespace wt::wast {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not valid.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  size_t len;
  uint32_t min;
  uint32_t cp;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) {
    len = 2, min = 0x80, cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, min = 0x800, cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, min = 0x10000, cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

}  // namespace

void AppendJsonString(std::string_view text, std::string* out) {
  out->push_back('"');
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      size_t len = Utf8SequenceLength(text, i);
      if (len == 0) {
        out->append("\\ufffd");
        ++i;
      } else {
        out->append(text.substr(i, len));
        i += len;
      }
      continue;
    }
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out->append(fmt::format("\\u{:04x}", c));
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out->push_back('"');
}

std::string RecordsToJson(std::span<const FileResult> files) {
  std::string out = "[";
  bool first = true;
  for (const FileResult& file : files) {
    for (const CommandRecord& r : file.records) {
      out.append(first ? "\n" : ",\n");
      first = false;
      out.append("{\"file\": ");
      AppendJsonString(file.path, &out);
      out.append(fmt::format(", \"line\": {}, \"kind\": ", r.line));
      AppendJsonString(r.kind, &out);
      out.append(", \"result\": ");
      AppendJsonString(OutcomeName(r.outcome), &out);
      out.append(", \"message\": ");
      AppendJsonString(r.message, &out);
      out.append(", \"expected\": ");
      AppendJsonString(r.expected, &out);
      out.append(", \"actual\": ");
      AppendJsonString(r.actual, &out);
      out.push_back('}');
    }
  }
  out.append(first ? "]\n" : "\n]\n");
  return out;
}

Status WriteJsonFile(const std::string& path, std::span<const FileResult> files) {
  std::string json = RecordsToJson(files);
  bool to_stdout = path == "-";
  std::FILE* f = to_stdout ? stdout : std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    return MakeError(ErrorKind::kIo, "cannot write {}: {}", path, std::strerror(errno));
  }
  size_t written = std::fwrite(json.data(), 1, json.size(), f);
  int flush_error = std::fflush(f);
  int saved_errno = errno;
  if (!to_stdout && std::fclose(f) != 0 && flush_error == 0) flush_error = -1;
  if (written != json.size() || flush_error != 0) {
    return MakeError(ErrorKind::kIo, "cannot write {}: {}", path, std::strerror(saved_errno));
  }
  return Ok();
}

}  // namespace wt::wast
