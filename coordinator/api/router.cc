#include "coordinator/api/router.h"

namespace dsr::api {
namespace {

std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t end = path.find('/', start);
    const std::string segment =
        path.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!segment.empty()) segments.push_back(segment);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return segments;
}

bool Match(const std::string& pattern, const std::string& path,
           std::map<std::string, std::string>* params) {
  const auto wanted = Segments(pattern);
  const auto given = Segments(path);
  if (wanted.size() != given.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < wanted.size(); ++i) {
    const std::string& part = wanted[i];
    if (part.size() > 2 && part.front() == '{' && part.back() == '}') {
      found[part.substr(1, part.size() - 2)] = given[i];
    } else if (part != given[i]) {
      return false;
    }
  }
  *params = std::move(found);
  return true;
}

}  // namespace

ApiResponse JsonResponse(int status, nlohmann::json body) {
  ApiResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

ApiResponse ErrorResponse(const Status& status) {
  return JsonResponse(HttpStatusFor(status.code()), {{"error",
                                                      {{"code", StatusCodeName(status.code())},
                                                       {"message", status.message()},
                                                       {"details", status.details()}}}});
}

ApiResponse PurgedResponse(const std::string& request_id, const std::string& purged_at,
                           const std::string& what) {
  return JsonResponse(
      410, {{"error",
             {{"code", "gone"},
              {"message", "the " + what + " of request " + request_id +
                              " no longer exists: its personal data was purged at " + purged_at +
                              ", after the request had been closed for "
                              "data_protection.purge_after_days; its dates, states and audit "
                              "trail remain"},
              {"details", nlohmann::json::array()}}}});
}

ApiResponse Router::Handle(ApiRequest request) const {
  std::string allowed;
  for (const auto& route : routes_) {
    std::map<std::string, std::string> params;
    if (!Match(route.pattern, request.path, &params)) continue;
    if (route.method == request.method) {
      request.params = std::move(params);
      return route.handler(request);
    }
    allowed += (allowed.empty() ? "" : ", ") + route.method;
  }
  if (allowed.empty()) return ErrorResponse(NotFound("no such resource: " + request.path));
  ApiResponse response = JsonResponse(
      405, {{"error",
             {{"code", "method_not_allowed"},
              {"message", request.method + " is not allowed here; allowed: " + allowed},
              {"details", nlohmann::json::array()}}}});
  response.headers.emplace_back("Allow", allowed);
  return response;
}

}  // namespace dsr::api
