// Status and Result<T>: expected failures as values (no exceptions across module boundaries).
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace yuqing {

// Error codes map to HTTP statuses in one place (server/) and to exit codes in cli/.
enum class Code {
  kOk = 0,
  kInvalid,      // bad input from a user or a record (400 / exit 2)
  kNotFound,     // (404)
  kConflict,     // already exists / wrong state (409)
  kPermission,   // (403)
  kUnauthenticated,  // (401)
  kTooLarge,     // size bound exceeded (413)
  kUnavailable,  // a peer is down, retry later (503)
  kIo,           // file system / database failure (500)
  kInternal,     // a bug (500)
};

class Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status Invalid(std::string m) { return {Code::kInvalid, std::move(m)}; }
  static Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status Conflict(std::string m) { return {Code::kConflict, std::move(m)}; }
  static Status Permission(std::string m) { return {Code::kPermission, std::move(m)}; }
  static Status Unauthenticated(std::string m) { return {Code::kUnauthenticated, std::move(m)}; }
  static Status TooLarge(std::string m) { return {Code::kTooLarge, std::move(m)}; }
  static Status Unavailable(std::string m) { return {Code::kUnavailable, std::move(m)}; }
  static Status Io(std::string m) { return {Code::kIo, std::move(m)}; }
  static Status Internal(std::string m) { return {Code::kInternal, std::move(m)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

const char* CodeName(Code code);

// Result<T> holds either a value or a non-ok Status.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}   // NOLINT: must not be ok

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace yuqing

#define YQ_RETURN_IF_ERROR(expr)            \
  do {                                      \
    ::yuqing::Status _st = (expr);          \
    if (!_st.ok()) return _st;              \
  } while (0)

#define YQ_CONCAT_INNER(a, b) a##b
#define YQ_CONCAT(a, b) YQ_CONCAT_INNER(a, b)
#define YQ_ASSIGN_OR_RETURN(lhs, expr) YQ_ASSIGN_OR_RETURN_I(YQ_CONCAT(_res_, __LINE__), lhs, expr)
#define YQ_ASSIGN_OR_RETURN_I(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()
