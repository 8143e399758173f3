// Status and Result<T>: the one error type of dsr.
//
// Every fallible function returns a Status or a Result<T>. Exceptions thrown by
// Poco, SOCI, yaml-cpp or cppzmq are caught at the edge of the adapter that
// calls them and turned into a Status. Each code maps, in one table
// (status.cc), to an HTTP status and to a wire status name.
// Status values are immutable and cheap to copy when ok. Thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace dsr {

enum class StatusCode {
  kOk,
  kInvalidArgument,   // malformed input: bad JSON, bad syntax          → 400
  kValidation,        // well-formed input that breaks a rule or schema → 422
  kNotFound,          //                                                → 404
  kConflict,          // not allowed in the current state               → 409
  kTooLarge,          // input over a size limit                        → 413
  kNotImplemented,    // a capability this build does not offer         → 501
  kUnavailable,       // a dependency is down; retrying may help        → 503
  kInternal,          // a bug or an unexpected failure                 → 500
  kUnauthenticated,   // no credentials, or ones that are not valid     → 401
  kPermissionDenied,  // valid credentials of a role that may not      → 403
  kTooManyRequests,   // slowed down after repeated failures           → 429
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  Status(StatusCode code, std::string message, std::vector<std::string> details = {})
      : code_(code), message_(std::move(message)), details_(std::move(details)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // Individual problems behind the message, e.g. one line per schema violation.
  const std::vector<std::string>& details() const { return details_; }

  // Returns a copy whose message is "<context>: <message>".
  Status WithContext(const std::string& context) const;
  // "<code name>: <message>" plus details, for logs and CLI output.
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::vector<std::string> details_;
};

// Stable lower-case name of a code ("invalid_argument", "not_found" ...), used
// in HTTP error bodies and on the wire.
const char* StatusCodeName(StatusCode code);
// Inverse of StatusCodeName; unknown names give kInternal.
StatusCode StatusCodeFromName(const std::string& name);
int HttpStatusFor(StatusCode code);

inline Status InvalidArgument(std::string m, std::vector<std::string> d = {}) {
  return Status(StatusCode::kInvalidArgument, std::move(m), std::move(d));
}
inline Status ValidationError(std::string m, std::vector<std::string> d = {}) {
  return Status(StatusCode::kValidation, std::move(m), std::move(d));
}
inline Status NotFound(std::string m) {
  return Status(StatusCode::kNotFound, std::move(m));
}
inline Status Conflict(std::string m) {
  return Status(StatusCode::kConflict, std::move(m));
}
inline Status TooLarge(std::string m) {
  return Status(StatusCode::kTooLarge, std::move(m));
}
inline Status NotImplemented(std::string m) {
  return Status(StatusCode::kNotImplemented, std::move(m));
}
inline Status Unavailable(std::string m) {
  return Status(StatusCode::kUnavailable, std::move(m));
}
inline Status Internal(std::string m) {
  return Status(StatusCode::kInternal, std::move(m));
}
inline Status Unauthenticated(std::string m) {
  return Status(StatusCode::kUnauthenticated, std::move(m));
}
inline Status PermissionDenied(std::string m) {
  return Status(StatusCode::kPermissionDenied, std::move(m));
}
inline Status TooManyRequests(std::string m) {
  return Status(StatusCode::kTooManyRequests, std::move(m));
}

// Either a value or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : state_(std::move(status)) {  // NOLINT: implicit by design
    if (std::get<Status>(state_).ok())
      state_ = Status(StatusCode::kInternal, "ok Status as Result");
  }

  bool ok() const { return std::holds_alternative<T>(state_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(state_);
  }
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace dsr

// Returns early from the enclosing function when `expr` yields a non-ok Status.
// (The variable name is unique per use, so uses may nest inside lambdas.)
#define DSR_RETURN_IF_ERROR(expr) \
  DSR_RETURN_IF_ERROR_NAMED(expr, DSR_STATUS_CONCAT(dsr_status_, __COUNTER__))
#define DSR_STATUS_CONCAT(a, b) DSR_STATUS_CONCAT_INNER(a, b)
#define DSR_STATUS_CONCAT_INNER(a, b) a##b
#define DSR_RETURN_IF_ERROR_NAMED(expr, name) \
  do {                                        \
    ::dsr::Status name = (expr);              \
    if (!name.ok()) return name;              \
  } while (false)
