// The browser's session: the web interface signs in with POST /api/v1/session
// and gets its session token as the cookie dsr_session (HttpOnly, so scripts
// cannot read it; SameSite=Strict, so other sites' pages do not send it;
// Secure over TLS). A call without an Authorization header is authenticated
// by that cookie; such a call that changes something must also carry the
// header X-DSR-CSRF: 1, which a form or link of another site cannot add.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace dsr::api {

inline constexpr const char* kSessionCookie = "dsr_session";
inline constexpr const char* kCsrfHeader = "X-DSR-CSRF";

// The value of cookie `name` in a Cookie header ("a=1; dsr_session=…");
// nullopt when it is not there.
std::optional<std::string> CookieValue(const std::string& cookie_header, const std::string& name);

// Set-Cookie values that set the session cookie for `max_age`, and that clear it.
std::string SessionCookie(const std::string& token, std::chrono::seconds max_age, bool secure);
std::string ClearedSessionCookie(bool secure);

// Whether a call with `method` may change something, so that a cookie alone
// does not suffice (everything but GET and HEAD).
bool NeedsCsrfHeader(const std::string& method);

}  // namespace dsr::api
