// Errors are values: Result<T> holds either a T or an Error, WT_TRY propagates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <variant>

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

// The error lives on the heap, so a successful Result<void> is one null pointer and a
// successful Result<T> is a T plus a variant tag: the hot paths (the decoder and the validator
// return a Status per instruction) pay nothing for the error's strings.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : v_(std::in_place_index<1>, std::make_unique<Error>(std::move(error))) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  Error& error() & { return *std::get<1>(v_); }
  const Error& error() const& { return *std::get<1>(v_); }
  Error&& error() && { return std::move(*std::get<1>(v_)); }

 private:
  std::variant<T, std::unique_ptr<Error>> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : err_(std::make_unique<Error>(std::move(error))) {}
  bool ok() const { return err_ == nullptr; }
  explicit operator bool() const { return ok(); }
  Error& error() & { return *err_; }
  const Error& error() const& { return *err_; }
  Error&& error() && { return std::move(*err_); }

 private:
  std::unique_ptr<Error> err_;
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
