// ExecutableCode with a builtin table page after the code (runtime/builtin_table.h): the
// placement of eager code (jit/compile_module.h). Apart from code_object.cpp, which the
// Windows trap test builds (cmake/windows-trap) without the runtime's builtins.
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "jit/code_memory.h"
#include "runtime/builtin_table.h"

namespace wt::jit {

Result<std::unique_ptr<ExecutableCode>> ExecutableCode::AllocateWithBuiltinTable(size_t size) {
  auto page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  size_t code_pages = (size + page - 1) / page * page;
  static_assert(runtime::kNumBuiltins * sizeof(void*) <= 4096);
  if (code_pages > UINT32_MAX)
    return MakeError(ErrorKind::kUnsupported, "jit: code too large ({} bytes)", size);
  size_t mapped = code_pages + page;
  void* p = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return MakeError(ErrorKind::kUnsupported, "cannot map {} bytes of code: {}", mapped,
                     std::strerror(errno));
  auto* base = static_cast<uint8_t*>(p);
  std::unique_ptr<ExecutableCode> code(new ExecutableCode(base, size, mapped));
  code->table_offset_ = static_cast<uint32_t>(code_pages);
  runtime::FillBuiltinTable(reinterpret_cast<const void**>(base + code_pages));
  return code;
}

Result<std::unique_ptr<ExecutableCode>> ExecutableCode::Reserve(size_t capacity) {
  auto page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  size_t mapped = (capacity + page - 1) / page * page + page;
  void* p = mmap(nullptr, mapped, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED)
    return MakeError(ErrorKind::kUnsupported, "cannot reserve {} bytes of code: {}", mapped,
                     std::strerror(errno));
  return std::unique_ptr<ExecutableCode>(new ExecutableCode(static_cast<uint8_t*>(p), 0, mapped));
}

Status ExecutableCode::FinishReserved(size_t size) {
  auto page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  size_t code_pages = (size + page - 1) / page * page;
  if (table_offset_ != UINT32_MAX || code_pages + page > mapped_ || code_pages > UINT32_MAX)
    return MakeError(ErrorKind::kUnsupported, "jit: code does not fit its reservation");
  if (code_pages + page < mapped_) {
    munmap(base_ + code_pages + page, mapped_ - code_pages - page);
    mapped_ = code_pages + page;
  }
  size_ = size;
  table_offset_ = static_cast<uint32_t>(code_pages);
  runtime::FillBuiltinTable(reinterpret_cast<const void**>(base_ + code_pages));
  return Ok();
}

}  // namespace wt::jit
