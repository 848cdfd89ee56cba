#include "wasi/fd_table.h"

#include <unistd.h>

namespace wt::wasi {

UniqueFd& UniqueFd::operator=(UniqueFd&& o) noexcept {
  if (this != &o) reset(o.release());
  return *this;
}

void UniqueFd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

Errno FdTable::Lookup(uint32_t fd, uint64_t needed, FdEntry** out) {
  FdEntry* e = Get(fd);
  if (e == nullptr) return Errno::kBadf;
  if ((e->rights_base & needed) != needed) return Errno::kNotCapable;
  *out = e;
  return Errno::kSuccess;
}

Errno FdTable::Insert(std::unique_ptr<FdEntry> entry, uint32_t* fd_out) {
  for (uint32_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i] == nullptr) {
      slots_[i] = std::move(entry);
      *fd_out = i;
      return Errno::kSuccess;
    }
  }
  if (slots_.size() >= kMaxFds) return Errno::kNfile;
  slots_.push_back(std::move(entry));
  *fd_out = static_cast<uint32_t>(slots_.size() - 1);
  return Errno::kSuccess;
}

void FdTable::InsertAt(uint32_t fd, std::unique_ptr<FdEntry> entry) {
  if (fd >= slots_.size()) slots_.resize(fd + 1);
  slots_[fd] = std::move(entry);
}

Errno FdTable::Close(uint32_t fd) {
  if (Get(fd) == nullptr) return Errno::kBadf;
  slots_[fd].reset();
  while (!slots_.empty() && slots_.back() == nullptr) slots_.pop_back();
  return Errno::kSuccess;
}

Errno FdTable::Renumber(uint32_t from, uint32_t to) {
  if (Get(from) == nullptr || Get(to) == nullptr) return Errno::kBadf;
  if (from == to) return Errno::kSuccess;
  slots_[to] = std::move(slots_[from]);
  while (!slots_.empty() && slots_.back() == nullptr) slots_.pop_back();
  return Errno::kSuccess;
}

uint32_t FdTable::open_count() const {
  uint32_t n = 0;
  for (const auto& s : slots_) n += s != nullptr;
  return n;
}

}  // namespace wt::wasi
