// The HTTP connector's configuration as a typed model, parsed from the
// `connector:` section of a worker config (schemas/config/connector-http.json).
//
// ParseHttpConfig validates against the schema, then checks what a schema
// cannot (the base URL's parts, plain http only on loopback, the token file
// is readable and not empty, ca_file only with verified https, retention
// settings that fit the erasure strategy). Every error
// names the config key ("connector.auth.token_file: ..."). The token is read
// here, once: every action needs it, so a worker without it should not start.
// Value types; thread-compatible.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <set>
#include <string>

#include "common/status.h"
#include "connectors/retention.h"

namespace dsr::connectors::http {

enum class ApiProfile { kZendesk };

// Keeping the subject's tickets under a legal obligation, e.g. tickets that
// are business letters, for 6 years (HGB §257); the period starts from the
// ticket's creation.
using RetentionPolicy = connectors::RetentionPolicy;

enum class ErasureStrategy { kDelete, kRetain };

struct HttpConfig {
  ApiProfile profile = ApiProfile::kZendesk;
  bool https = true;
  std::string host;
  int port = 443;
  std::string origin;  // "https://example.zendesk.com[:port]", for comparing page links
  std::string auth_email;
  std::string token;  // the secret itself; never logged
  int timeout_ms = 10000;
  int max_retries = 3;
  int retry_backoff_ms = 500;
  int max_retry_after_s = 60;
  int page_size = 100;
  bool tls_verify = true;
  std::optional<std::string> ca_file;
  std::set<std::string> search_by = {"email"};
  std::set<std::string> rectify = {"email", "phone", "name"};
  int discover_sample = 200;
  ErasureStrategy erasure = ErasureStrategy::kDelete;
  std::optional<RetentionPolicy> retain;  // with kRetain
};

// kValidation with the first problem as message and every problem as a detail.
Result<HttpConfig> ParseHttpConfig(const nlohmann::json& config);

}  // namespace dsr::connectors::http
