// args_get, args_sizes_get, environ_get, environ_sizes_get.
//
// The strings are laid out back to back in the guest's buffer, each NUL-terminated; the
// pointer array gets the guest address of each one. Environment entries are "NAME=VALUE".
#include <string>

#include "wasi/host.h"

namespace wt::wasi::host {
namespace {

// Sums the sizes of `items` (each + its terminator); kOverflow past u32.
template <typename Items, typename SizeOf>
Errno Sizes(const Items& items, SizeOf size_of, uint32_t* count, uint32_t* bytes) {
  uint64_t total = 0;
  for (const auto& item : items) total += size_of(item);
  if (items.size() > UINT32_MAX || total > UINT32_MAX) return Errno::kOverflow;
  *count = static_cast<uint32_t>(items.size());
  *bytes = static_cast<uint32_t>(total);
  return Errno::kSuccess;
}

// Writes the pointer array at `ptrs` and the strings at `buf`. `write_item` copies one item
// (with its terminator) to a host pointer.
template <typename Items, typename SizeOf, typename WriteItem>
Errno Layout(Call& c, const Items& items, SizeOf size_of, WriteItem write_item, uint32_t ptrs,
             uint32_t buf) {
  uint32_t count = 0, bytes = 0;
  if (Errno e = Sizes(items, size_of, &count, &bytes); e != Errno::kSuccess) return e;
  uint8_t* ptr_area = c.mem.Bytes(ptrs, uint64_t{count} * 4, 4);
  if (ptr_area == nullptr) return Errno::kFault;
  uint8_t* buf_area = c.mem.Bytes(buf, bytes);
  if (buf_area == nullptr) return Errno::kFault;
  uint64_t at = 0;
  uint32_t i = 0;
  for (const auto& item : items) {
    GuestMemory::Put<uint32_t>(ptr_area, i * 4, static_cast<uint32_t>(buf + at));
    write_item(item, buf_area + at);
    at += size_of(item);
    ++i;
  }
  return Errno::kSuccess;
}

size_t ArgSize(const std::string& s) {
  return s.size() + 1;
}
void WriteArg(const std::string& s, uint8_t* to) {
  std::memcpy(to, s.data(), s.size());
  to[s.size()] = 0;
}

using EnvVar = std::pair<std::string, std::string>;
size_t EnvSize(const EnvVar& v) {
  return v.first.size() + 1 + v.second.size() + 1;
}
void WriteEnv(const EnvVar& v, uint8_t* to) {
  std::memcpy(to, v.first.data(), v.first.size());
  to[v.first.size()] = '=';
  std::memcpy(to + v.first.size() + 1, v.second.data(), v.second.size());
  to[v.first.size() + 1 + v.second.size()] = 0;
}

Errno WriteSizes(Call& c, uint32_t count, uint32_t bytes, uint32_t count_out, uint32_t bytes_out) {
  if (!c.mem.Check(count_out, 4, 4) || !c.mem.Check(bytes_out, 4, 4)) return Errno::kFault;
  c.mem.Write<uint32_t>(count_out, count);
  c.mem.Write<uint32_t>(bytes_out, bytes);
  return Errno::kSuccess;
}

}  // namespace

Errno ArgsGet(Call& c, uint32_t argv, uint32_t argv_buf) {
  return Layout(c, c.ctx.config().args, ArgSize, WriteArg, argv, argv_buf);
}

Errno ArgsSizesGet(Call& c, uint32_t argc_out, uint32_t buf_size_out) {
  uint32_t count = 0, bytes = 0;
  if (Errno e = Sizes(c.ctx.config().args, ArgSize, &count, &bytes); e != Errno::kSuccess) {
    return e;
  }
  return WriteSizes(c, count, bytes, argc_out, buf_size_out);
}

Errno EnvironGet(Call& c, uint32_t environ, uint32_t environ_buf) {
  return Layout(c, c.ctx.config().env, EnvSize, WriteEnv, environ, environ_buf);
}

Errno EnvironSizesGet(Call& c, uint32_t count_out, uint32_t buf_size_out) {
  uint32_t count = 0, bytes = 0;
  if (Errno e = Sizes(c.ctx.config().env, EnvSize, &count, &bytes); e != Errno::kSuccess) {
    return e;
  }
  return WriteSizes(c, count, bytes, count_out, buf_size_out);
}

}  // namespace wt::wasi::host
