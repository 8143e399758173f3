#include "common/status.h"

namespace dsr {
namespace {

struct CodeRow {
  StatusCode code;
  const char* name;
  int http;
};

// The one table from codes to names and HTTP statuses.
constexpr CodeRow kCodes[] = {
    {StatusCode::kOk, "ok", 200},
    {StatusCode::kInvalidArgument, "invalid_argument", 400},
    {StatusCode::kValidation, "validation_failed", 422},
    {StatusCode::kNotFound, "not_found", 404},
    {StatusCode::kConflict, "conflict", 409},
    {StatusCode::kTooLarge, "too_large", 413},
    {StatusCode::kNotImplemented, "not_implemented", 501},
    {StatusCode::kUnavailable, "unavailable", 503},
    {StatusCode::kUnauthenticated, "unauthenticated", 401},
    {StatusCode::kPermissionDenied, "permission_denied", 403},
    {StatusCode::kTooManyRequests, "too_many_requests", 429},
    {StatusCode::kInternal, "internal", 500},
};

const CodeRow& RowFor(StatusCode code) {
  for (const auto& row : kCodes) {
    if (row.code == code) return row;
  }
  return kCodes[sizeof(kCodes) / sizeof(kCodes[0]) - 1];
}

}  // namespace

const char* StatusCodeName(StatusCode code) {
  return RowFor(code).name;
}

StatusCode StatusCodeFromName(const std::string& name) {
  for (const auto& row : kCodes) {
    if (name == row.name) return row.code;
  }
  return StatusCode::kInternal;
}

int HttpStatusFor(StatusCode code) {
  return RowFor(code).http;
}

Status Status::WithContext(const std::string& context) const {
  if (ok()) return *this;
  return Status(code_, context + ": " + message_, details_);
}

std::string Status::ToString() const {
  std::string out = std::string(StatusCodeName(code_));
  if (!message_.empty()) out += ": " + message_;
  for (const auto& detail : details_) out += "\n  - " + detail;
  return out;
}

}  // namespace dsr
