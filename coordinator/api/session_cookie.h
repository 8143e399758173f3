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

// Whether a browser's Origin header names another site than the Host the
// call was sent to: a page elsewhere posting to the coordinator (signing a
// browser in to an account of the attacker's, say). No Origin header (a
// client that is not a browser) is not cross-site. Only host and port are
// compared, so a proxy that ends TLS in front of the coordinator passes as
// long as it forwards the Host header.
bool IsCrossSite(const std::string& origin, const std::string& host);

}  // namespace dsr::api
