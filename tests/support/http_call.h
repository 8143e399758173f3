// HttpCall: one HTTP or HTTPS exchange for tests, returning the status code
// and the body as they are, so tests can check exact 4xx answers. An https
// URL's certificate is verified against `ca_file` (common/https_client.h).
#pragma once

#include <map>
#include <string>

namespace dsr::testing {

struct HttpAnswer {
  int status = 0;  // 0 when the server could not be reached (or failed the TLS check)
  std::string body;
  std::map<std::string, std::string> headers;
};

// `headers` are sent as they are (e.g. {"Authorization", "Bearer dsr_…"}).
HttpAnswer HttpCall(const std::string& base_url, const std::string& method, const std::string& path,
                    const std::string& body = "",
                    const std::string& content_type = "application/json",
                    const std::string& ca_file = "",
                    const std::map<std::string, std::string>& headers = {});

}  // namespace dsr::testing
