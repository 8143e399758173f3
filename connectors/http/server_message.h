// What a ticketing API said when it refused a request, made fit for error
// messages and logs: servers repeat the values they refused ("Email: jane@...
// is already being used"), and dsr never logs personal data.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dsr::connectors::http {

// The error text of an API answer body: Zendesk's {"error": "RecordInvalid",
// "description": ..., "details": {field: [{description, error}]}} and
// {"error": {"title", "message"}} shapes, or {"message": ...}; empty for a
// body that is not JSON (an HTML error page says nothing we may repeat).
// Scrubbed by ScrubPersonalData and cut to a few hundred characters.
std::string ServerErrorText(std::string_view body, const std::vector<std::string>& known_values);

// Replaces e-mail addresses, runs of digits that could be phone numbers or
// account numbers (five digits or more) and each of `known_values` (the
// subject's identities, case-insensitive) by "[redacted]".
std::string ScrubPersonalData(std::string text, const std::vector<std::string>& known_values);

}  // namespace dsr::connectors::http
