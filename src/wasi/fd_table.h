// The guest's file descriptor table: guest fd number -> host descriptor plus the WASI state
// that lives beside it (file type, rights, fdflags, preopen name, the readdir snapshot).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "wasi/abi.h"
#include "wasi/errno.h"

namespace wt::wasi {

// An owned host file descriptor (closed on destruction).
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// One entry of a directory listing, as fd_readdir reports it.
struct DirListingEntry {
  std::string name;
  uint64_t ino = 0;
  Filetype type = Filetype::kUnknown;
};

struct FdEntry {
  // The host descriptor. Owned (closed with the entry) unless it is one of the host's stdio
  // descriptors handed to the guest (those stay open for the embedder).
  UniqueFd owned_fd;
  int host_fd = -1;

  Filetype type = Filetype::kUnknown;
  uint64_t rights_base = 0;
  uint64_t rights_inheriting = 0;
  uint16_t fdflags = 0;  // as the guest last set them (APPEND also lives on the host fd)

  // Preopened directories: the name the guest sees (fd_prestat_dir_name).
  bool is_preopen = false;
  std::string preopen_name;

  // fd_readdir: the listing taken when a read starts at cookie 0 (or the first read), so that
  // cookies stay stable across calls even when the guest deletes entries while iterating.
  // Cookie n is entry n of ".", "..", then the listing.
  bool listing_valid = false;
  std::vector<DirListingEntry> listing;

  bool is_dir() const { return type == Filetype::kDirectory; }
  bool is_socket() const {
    return type == Filetype::kSocketStream || type == Filetype::kSocketDgram;
  }
};

class FdTable {
 public:
  // The most guest descriptors open at once (the host's own limit usually comes first).
  static constexpr uint32_t kMaxFds = 1u << 20;

  // The entry for `fd`, or nullptr.
  FdEntry* Get(uint32_t fd) { return fd < slots_.size() ? slots_[fd].get() : nullptr; }
  // The entry for `fd` when it has every right in `needed`: kBadf when fd is not open,
  // kNotCapable when a right is missing.
  Errno Lookup(uint32_t fd, uint64_t needed, FdEntry** out);

  // Installs `entry` at the lowest free number (POSIX style). kNfile when the table is full.
  Errno Insert(std::unique_ptr<FdEntry> entry, uint32_t* fd_out);
  // Installs `entry` at `fd` exactly (used to set up stdio and preopens).
  void InsertAt(uint32_t fd, std::unique_ptr<FdEntry> entry);
  // Removes and closes `fd`.
  Errno Close(uint32_t fd);
  // Moves `from` to `to`, closing what `to` held. Both must be open.
  Errno Renumber(uint32_t from, uint32_t to);

  uint32_t open_count() const;

 private:
  std::vector<std::unique_ptr<FdEntry>> slots_;
};

}  // namespace wt::wasi
