// Errors are values: Result<T> holds either a T or an Error, WT_TRY propagates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

namespace wt {

enum class ErrorKind : uint8_t {
  kMalformed,       // the bytes or the text do not follow the format (decoding/parsing)
  kInvalid,         // well-formed but does not validate
  kUnlinkable,      // imports cannot be resolved
  kUninstantiable,  // instantiation fails (e.g. a trap in the start function)
  kIo,              // a file could not be read
  kUsage,           // bad command-line use
  kUnsupported,     // a feature wtrun does not implement yet
};

const char* ErrorKindName(ErrorKind kind);

struct Error {
  ErrorKind kind = ErrorKind::kMalformed;
  std::string message;
  // Byte offset into the module for binary errors, or SIZE_MAX.
  size_t offset = SIZE_MAX;
  // "file:line:column" for text errors, or empty.
  std::string location;

  // One line: "location: message" or "message (at offset 0x..)".
  std::string ToString() const;
};

template <typename... Args>
Error MakeError(ErrorKind kind, fmt::format_string<Args...> f, Args&&... args) {
  return Error{kind, fmt::format(f, std::forward<Args>(args)...), SIZE_MAX, {}};
}

namespace detail {
// A Result's error is rare: deleting it is out of line and cold, so that destructors on the
// hot paths are a null test. (Making NewError out of line too changes GCC 12's inlining in
// text/wat.cpp enough to raise a false -Wstringop-overflow there.)
inline Error* NewError(Error&& e) {
  return new Error(std::move(e));
}
[[gnu::cold, gnu::noinline]] inline void DeleteError(Error* e) {
  delete e;
}
}  // namespace detail

// The error lives on the heap, so a successful Result<void> is one null pointer and a
// successful Result<T> is a T plus that null pointer: the hot paths (the decoder and the
// validator return a Status per instruction) pay nothing for the error's strings, and
// ok() / the destructor are an inline null test. Move-only. Moving an error Result moves the
// Error into a new allocation (cold), so a moved-from Result keeps its state.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : err_(nullptr) { ::new (static_cast<void*>(&value_)) T(std::move(value)); }
  Result(Error error) : err_(detail::NewError(std::move(error))) {}
  Result(Result&& other) noexcept(std::is_nothrow_move_constructible_v<T>) {
    if (other.err_ == nullptr) [[likely]] {
      err_ = nullptr;
      ::new (static_cast<void*>(&value_)) T(std::move(other.value_));
    } else {
      err_ = detail::NewError(std::move(*other.err_));
    }
  }
  Result& operator=(Result&& other) noexcept(std::is_nothrow_move_constructible_v<T>) {
    if (this != &other) {
      Destroy();
      ::new (static_cast<void*>(this)) Result(std::move(other));
    }
    return *this;
  }
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  ~Result() { Destroy(); }

  bool ok() const { return err_ == nullptr; }
  explicit operator bool() const { return ok(); }

  T& value() & { return value_; }
  const T& value() const& { return value_; }
  T&& value() && { return std::move(value_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value_; }
  const T* operator->() const { return &value_; }

  Error& error() & { return *err_; }
  const Error& error() const& { return *err_; }
  Error&& error() && { return std::move(*err_); }

 private:
  void Destroy() {
    if (err_ == nullptr) [[likely]] {
      value_.~T();
    } else {
      detail::DeleteError(err_);
    }
  }

  union {
    T value_;
  };
  Error* err_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : err_(detail::NewError(std::move(error))) {}
  Result(Result&& other) noexcept : err_(other.err_) { other.err_ = nullptr; }
  Result& operator=(Result&& other) noexcept {
    if (this != &other) {
      if (err_ != nullptr) [[unlikely]]
        detail::DeleteError(err_);
      err_ = other.err_;
      other.err_ = nullptr;
    }
    return *this;
  }
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  ~Result() {
    if (err_ != nullptr) [[unlikely]]
      detail::DeleteError(err_);
  }

  bool ok() const { return err_ == nullptr; }
  explicit operator bool() const { return ok(); }
  Error& error() & { return *err_; }
  const Error& error() const& { return *err_; }
  Error&& error() && { return std::move(*err_); }

 private:
  Error* err_ = nullptr;
};

using Status = Result<void>;
inline Status Ok() {
  return Status();
}

}  // namespace wt

#define WT_CONCAT_INNER(a, b) a##b
#define WT_CONCAT(a, b) WT_CONCAT_INNER(a, b)

// WT_TRY(expr): evaluate a Result/Status; on error return the error from the enclosing function.
#define WT_TRY(expr)                                                    \
  do {                                                                  \
    auto&& wt_try_result_ = (expr);                                     \
    if (!wt_try_result_.ok()) return std::move(wt_try_result_).error(); \
  } while (0)

// WT_TRY_ASSIGN(lhs, expr): lhs = value of expr, or return its error.
#define WT_TRY_ASSIGN(lhs, expr) WT_TRY_ASSIGN_IMPL(WT_CONCAT(wt_tmp_, __LINE__), lhs, expr)
#define WT_TRY_ASSIGN_IMPL(tmp, lhs, expr)      \
  auto tmp = (expr);                            \
  if (!tmp.ok()) return std::move(tmp).error(); \
  lhs = std::move(tmp).value()

#ifndef NDEBUG
#include <cstdio>
#include <cstdlib>
#define WT_DCHECK(cond)                                                             \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                 \
    }                                                                               \
  } while (0)
#else
#define WT_DCHECK(cond) ((void)0)
#endif
