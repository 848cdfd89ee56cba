// A bounds-checked view of the calling instance's linear memory 0. Every guest pointer and
// length a WASI function receives goes through it: a range is usable only when
// [ptr, ptr + len) lies inside the memory (computed in 64 bits, so it cannot wrap) and, for
// typed values, ptr is aligned to the type's alignment. A failed check returns false/nullptr
// and records the fault; the host-function adapter then traps (wasmtime's behaviour) or
// returns EFAULT / EINVAL, depending on WasiConfig::bad_pointers.
//
// The memory does not move or shrink during a host call (memories never move, see vmctx.h,
// and WASI functions never grow memory), so a checked pointer stays valid for the call.
#pragma once

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "runtime/vmctx.h"

namespace wt::wasi {

enum class GuestFault : uint8_t {
  kNone,
  kOutOfBounds,  // a range past the end of memory (or no memory at all)
  kMisaligned,   // a typed pointer not aligned to its type
};

class GuestMemory {
 public:
  GuestMemory(uint8_t* base, uint64_t size) : base_(base), size_(size) {}
  // Memory 0 of `caller` (no memory at all when caller is null or has none).
  static GuestMemory Of(const runtime::VMContext* caller) {
    if (caller == nullptr || caller->mem0_base == nullptr || caller->memories == nullptr ||
        caller->memories[0] == nullptr) {
      return GuestMemory(nullptr, 0);
    }
    const runtime::MemoryData* m = caller->memories[0];
    return GuestMemory(m->base, m->size_bytes);
  }

  uint64_t size() const { return size_; }
  GuestFault fault() const { return fault_; }
  bool ok() const { return fault_ == GuestFault::kNone; }

  // True when [ptr, ptr + len) is inside memory and ptr % align == 0; records the fault
  // otherwise. `len` may be 0 (then ptr may equal the size).
  bool Check(uint64_t ptr, uint64_t len, uint32_t align = 1) {
    if (ptr > size_ || len > size_ - ptr) return Fail(GuestFault::kOutOfBounds);
    if (align > 1 && (ptr & (align - 1)) != 0) return Fail(GuestFault::kMisaligned);
    return true;
  }
  // The host address of a checked range, or nullptr (fault recorded).
  uint8_t* Bytes(uint64_t ptr, uint64_t len, uint32_t align = 1) {
    if (!Check(ptr, len, align)) return nullptr;
    return base_ + ptr;
  }

  // Typed little-endian access (the hosts we run on are little-endian), aligned to sizeof(T).
  template <typename T>
  bool Read(uint64_t ptr, T* out) {
    static_assert(std::is_trivially_copyable_v<T>);
    uint8_t* p = Bytes(ptr, sizeof(T), alignof(T));
    if (p == nullptr) return false;
    std::memcpy(out, p, sizeof(T));
    return true;
  }
  template <typename T>
  bool Write(uint64_t ptr, T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    uint8_t* p = Bytes(ptr, sizeof(T), alignof(T));
    if (p == nullptr) return false;
    std::memcpy(p, &value, sizeof(T));
    return true;
  }
  bool WriteBytes(uint64_t ptr, const void* src, uint64_t len) {
    uint8_t* p = Bytes(ptr, len);
    if (p == nullptr) return false;
    if (len != 0) std::memcpy(p, src, len);
    return true;
  }

  // Field access inside a record already checked with Bytes (no further checks).
  template <typename T>
  static T Get(const uint8_t* record, uint32_t offset) {
    T v;
    std::memcpy(&v, record + offset, sizeof(T));
    return v;
  }
  template <typename T>
  static void Put(uint8_t* record, uint32_t offset, T v) {
    std::memcpy(record + offset, &v, sizeof(T));
  }

 private:
  bool Fail(GuestFault f) {
    if (fault_ == GuestFault::kNone) fault_ = f;
    return false;
  }

  uint8_t* base_;
  uint64_t size_;
  GuestFault fault_ = GuestFault::kNone;
};

}  // namespace wt::wasi
