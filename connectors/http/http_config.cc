#include "connectors/http/http_config.h"

#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "common/schema.h"
#include "common/secret_file.h"

namespace dsr::connectors::http {
namespace {

constexpr char kSchemaName[] = "config/connector-http";
// A token is a few dozen characters; a large file is the wrong file.
constexpr std::streamsize kMaxTokenBytes = 4096;

std::string Trim(const std::string& text) {
  size_t begin = 0, end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return text.substr(begin, end - begin);
}

// The schema's pattern guarantees "scheme://host[:port][/]".
void ParseBaseUrl(const std::string& url, HttpConfig* parsed, std::vector<std::string>* problems) {
  const size_t scheme_end = url.find("://");
  parsed->https = url.compare(0, scheme_end, "https") == 0;
  std::string authority = url.substr(scheme_end + 3);
  if (!authority.empty() && authority.back() == '/') authority.pop_back();
  const size_t colon = authority.find(':');
  parsed->host = authority.substr(0, colon);
  parsed->port = parsed->https ? 443 : 80;
  if (colon != std::string::npos) {
    const long port = std::stol(authority.substr(colon + 1));
    if (port < 1 || port > 65535) {
      problems->push_back("connector.base_url: the port must be between 1 and 65535");
    }
    parsed->port = static_cast<int>(port);
  }
  parsed->origin = url.substr(0, scheme_end + 3) + authority;
  const bool loopback = IsLoopbackHost(parsed->host);
  if (!parsed->https && !loopback) {
    problems->push_back(
        "connector.base_url: plain http would send the API token in clear; use https "
        "(http is accepted for loopback hosts only)");
  }
}

void ReadToken(const std::string& path, HttpConfig* parsed, std::vector<std::string>* problems) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    problems->push_back("connector.auth.token_file: cannot read '" + path + "'");
    return;
  }
  std::string text(static_cast<size_t>(kMaxTokenBytes) + 1, '\0');
  file.read(text.data(), kMaxTokenBytes + 1);
  text.resize(static_cast<size_t>(file.gcount()));
  if (static_cast<std::streamsize>(text.size()) > kMaxTokenBytes) {
    problems->push_back("connector.auth.token_file: '" + path + "' is larger than " +
                        std::to_string(kMaxTokenBytes) + " bytes, so it is not a token");
    return;
  }
  parsed->token = Trim(text);
  if (parsed->token.empty()) {
    problems->push_back("connector.auth.token_file: '" + path + "' is empty");
  } else if (parsed->token.find_first_of(" \t\r\n") != std::string::npos) {
    problems->push_back("connector.auth.token_file: '" + path +
                        "' holds more than one word; it must hold the token only");
  }
}

void ParseTls(const nlohmann::json& config, HttpConfig* parsed,
              std::vector<std::string>* problems) {
  parsed->tls_verify = config.value("tls_verify", true);
  if (!config.contains("ca_file")) return;
  parsed->ca_file = config.at("ca_file").get<std::string>();
  if (!parsed->https) {
    problems->push_back("connector.ca_file: only applies to an https base_url");
  } else if (!parsed->tls_verify) {
    problems->push_back("connector.ca_file: has no effect with tls_verify: false");
  } else if (!std::ifstream(*parsed->ca_file)) {
    problems->push_back("connector.ca_file: cannot read '" + *parsed->ca_file + "'");
  }
}

void ParseErasure(const nlohmann::json& erasure, HttpConfig* parsed,
                  std::vector<std::string>* problems) {
  parsed->erasure =
      erasure.at("strategy") == "retain" ? ErasureStrategy::kRetain : ErasureStrategy::kDelete;
  parsed->retain = ParseRetainOrDelete(erasure, problems);
}

}  // namespace

Result<HttpConfig> ParseHttpConfig(const nlohmann::json& config) {
  const Status valid = SchemaRegistry::Embedded().Validate(kSchemaName, config);
  if (!valid.ok()) {
    std::vector<std::string> details;
    for (const auto& detail : valid.details()) details.push_back("connector." + detail);
    return ValidationError("invalid connector configuration", std::move(details));
  }
  HttpConfig parsed;
  std::vector<std::string> problems;
  ParseBaseUrl(config.at("base_url").get<std::string>(), &parsed, &problems);
  parsed.auth_email = config.at("auth").at("email").get<std::string>();
  ReadToken(config.at("auth").at("token_file").get<std::string>(), &parsed, &problems);
  parsed.timeout_ms = config.value("timeout_ms", parsed.timeout_ms);
  parsed.max_retries = config.value("max_retries", parsed.max_retries);
  parsed.retry_backoff_ms = config.value("retry_backoff_ms", parsed.retry_backoff_ms);
  parsed.max_retry_after_s = config.value("max_retry_after_s", parsed.max_retry_after_s);
  parsed.page_size = config.value("page_size", parsed.page_size);
  ParseTls(config, &parsed, &problems);
  if (config.contains("search_by")) {
    parsed.search_by = config.at("search_by").get<std::set<std::string>>();
  }
  if (config.contains("rectify"))
    parsed.rectify = config.at("rectify").get<std::set<std::string>>();
  parsed.discover_sample = config.value("discover_sample", parsed.discover_sample);
  if (config.contains("erasure")) ParseErasure(config.at("erasure"), &parsed, &problems);
  if (!problems.empty()) return ValidationError(problems.front(), problems);
  return parsed;
}

}  // namespace dsr::connectors::http
