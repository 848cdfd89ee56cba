// [pool] A userfaultfd over one address range with a handler thread (Linux). The owner decides
// what each missing page gets through a Resolver; the thread exits when the handler dies.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "util/result.h"

namespace wt::runtime::pool {

class Uffd {
 public:
  // What the handler thread asks about a fault at `addr` (page-aligned). Implementations call
  // exactly one of Copy / Zero / Wake (after making the page inaccessible).
  class Resolver {
   public:
    virtual ~Resolver() = default;
    virtual void Resolve(Uffd& uffd, uintptr_t page, bool write) = 0;
  };

  // Opens a userfaultfd (the syscall, else /dev/userfaultfd), registers [base, base + len)
  // for missing-page faults and starts the thread. Errors (kUnsupported) say why it is not
  // available.
  static Result<std::unique_ptr<Uffd>> Create(uint8_t* base, uint64_t len, Resolver* resolver);
  ~Uffd();  // stops the thread, closes the descriptor (unregistering the range)

  // Resolve the fault at `page` (4 KiB): copy a page from `src`, zero-fill it (`write`: a
  // private zero page, else the shared zero page), or only wake the waiting threads.
  void Copy(uintptr_t page, const uint8_t* src);
  void Zero(uintptr_t page, bool write);
  void Wake(uintptr_t page);

  uint64_t faults() const { return faults_; }

 private:
  Uffd() = default;
  void Run();

  int fd_ = -1;
  int stop_fd_ = -1;  // eventfd: the destructor's signal to the thread
  Resolver* resolver_ = nullptr;
  std::thread thread_;
  std::atomic<uint64_t> faults_{0};
};

}  // namespace wt::runtime::pool
