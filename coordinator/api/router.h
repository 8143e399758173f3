// Router: the one table of HTTP routes (method, path pattern, handler).
// Handlers parse and validate first, then act; they return an ApiResponse and
// never throw. Thread-safe once built.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/data_protection.h"
#include "common/status.h"

namespace dsr::api {

struct ApiRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> params;  // from {name} segments of the pattern
  std::map<std::string, std::string> query;
  std::string body;
};

struct ApiResponse {
  int status = 200;
  nlohmann::json body;                     // sent as JSON unless raw_body or file_path is set
  std::optional<std::string> raw_body;     // sent as it is, with content_type
  std::string file_path;                   // stream this file instead
  const DataKeyring* file_keys = nullptr;  // to decrypt file_path when it is encrypted
  std::optional<int64_t> file_bytes;       // its plain size when known (else chunked)
  std::string content_type;                // for file_path
  std::string download_name;               // Content-Disposition filename for file_path
  std::vector<std::pair<std::string, std::string>> headers;
};

// {"error": {"code", "message", "details"}} with the status's HTTP code.
ApiResponse ErrorResponse(const Status& status);
ApiResponse JsonResponse(int status, nlohmann::json body);
// 410 Gone for what a purge deleted: the request's personal data is no more.
ApiResponse PurgedResponse(const std::string& request_id, const std::string& purged_at,
                           const std::string& what);

using Handler = std::function<ApiResponse(const ApiRequest&)>;

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/requests/{id}/bundle"
  Handler handler;
};

class Router {
 public:
  explicit Router(std::vector<Route> routes) : routes_(std::move(routes)) {}
  // 404 for an unknown path, 405 (with Allow) for a known path and another method.
  ApiResponse Handle(ApiRequest request) const;

 private:
  std::vector<Route> routes_;
};

}  // namespace dsr::api
