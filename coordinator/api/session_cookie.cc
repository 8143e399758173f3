#include "coordinator/api/session_cookie.h"

#include <algorithm>
#include <cctype>

namespace dsr::api {
namespace {

std::string Trimmed(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  const size_t last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

std::string Attributes(std::chrono::seconds max_age, bool secure) {
  return "; Max-Age=" + std::to_string(std::max<int64_t>(0, max_age.count())) +
         "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
}

}  // namespace

std::optional<std::string> CookieValue(const std::string& cookie_header, const std::string& name) {
  size_t start = 0;
  while (start <= cookie_header.size()) {
    size_t end = cookie_header.find(';', start);
    if (end == std::string::npos) end = cookie_header.size();
    const std::string pair = cookie_header.substr(start, end - start);
    const size_t equals = pair.find('=');
    if (equals != std::string::npos && Trimmed(pair.substr(0, equals)) == name) {
      std::string value = Trimmed(pair.substr(equals + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.substr(1, value.size() - 2);
      return value;
    }
    start = end + 1;
  }
  return std::nullopt;
}

std::string SessionCookie(const std::string& token, std::chrono::seconds max_age, bool secure) {
  return std::string(kSessionCookie) + "=" + token + Attributes(max_age, secure);
}

std::string ClearedSessionCookie(bool secure) {
  return std::string(kSessionCookie) + "=" + Attributes(std::chrono::seconds(0), secure);
}

bool IsCrossSite(const std::string& origin, const std::string& host) {
  if (origin.empty()) return false;
  const size_t scheme_end = origin.find("://");
  if (scheme_end == std::string::npos) return true;  // "null" and anything malformed
  std::string origin_host = origin.substr(scheme_end + 3);
  if (!origin_host.empty() && origin_host.back() == '/') origin_host.pop_back();
  const auto lower = [](std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
  };
  const auto without_default_port = [](const std::string& text, const std::string& scheme) {
    const std::string port = scheme == "https" ? ":443" : ":80";
    if (text.size() > port.size() &&
        text.compare(text.size() - port.size(), port.size(), port) == 0)
      return text.substr(0, text.size() - port.size());
    return text;
  };
  const std::string scheme = lower(origin.substr(0, scheme_end));
  return without_default_port(lower(origin_host), scheme) !=
         without_default_port(lower(Trimmed(host)), scheme);
}

bool NeedsCsrfHeader(const std::string& method) {
  return method != "GET" && method != "HEAD";
}

}  // namespace dsr::api
