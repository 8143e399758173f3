// ApiClient: dsrctl's HTTP client for the coordinator's /api/v1.
// Every call returns the parsed JSON body, or a Status built from the API's
// error body ({"error": {code, message, details}}) or from the network error.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"

namespace dsr::ctl {

class ApiClient {
 public:
  // `base_url` like "https://127.0.0.1:8080"; `ca_file` verifies the server's
  // certificate (empty: the system's trusted CAs; see common/https_client.h).
  // `token`, when not empty, is sent as "Authorization: Bearer <token>". A
  // `token` that is a Status (the token file could not be read) is every
  // call's answer.
  explicit ApiClient(std::string base_url, std::string ca_file = "",
                     Result<std::string> token = std::string())
      : base_url_(std::move(base_url)), ca_file_(std::move(ca_file)), token_(std::move(token)) {}

  Result<nlohmann::json> Get(const std::string& path) const;
  Result<nlohmann::json> Post(const std::string& path, const nlohmann::json& body) const;
  // Streams the response body of a GET into `file_path` (written atomically).
  Status Download(const std::string& path, const std::string& file_path) const;

 private:
  std::string base_url_;
  std::string ca_file_;
  Result<std::string> token_;
};

}  // namespace dsr::ctl
