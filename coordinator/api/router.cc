#include "coordinator/api/router.h"

#include "coordinator/api/session_cookie.h"
#include "coordinator/auth/credentials.h"

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

nlohmann::json RouteTableJson(const std::vector<Route>& routes) {
  nlohmann::json table = nlohmann::json::array();
  for (const auto& route : routes) {
    nlohmann::json roles = nlohmann::json::array();
    for (auth::Role role : auth::RolesOf(route.access)) roles.push_back(auth::RoleName(role));
    table.push_back({{"method", route.method},
                     {"pattern", route.pattern},
                     {"access", auth::AccessName(route.access)},
                     {"roles", roles}});
  }
  return table;
}

std::string ActorOf(const ApiRequest& request) {
  return request.principal ? request.principal->name : "api";
}

namespace {

ApiResponse NotAuthenticated(const Status& status) {
  ApiResponse refused = ErrorResponse(status);
  if (status.code() == StatusCode::kUnauthenticated)
    refused.headers.emplace_back("WWW-Authenticate", "Bearer");
  return refused;
}

// Without an Authorization header, the session in the cookie stands in for
// it; kUnauthenticated when the cookie holds anything but a session token.
Status UseSessionCookie(ApiRequest& request) {
  if (!request.authorization.empty()) return Status::Ok();
  const auto token = CookieValue(request.cookie, kSessionCookie);
  if (!token || token->empty()) return Status::Ok();
  if (!auth::IsWellFormedToken(*token, auth::kSessionTokenPrefix)) {
    return Unauthenticated(std::string("the cookie ") + kSessionCookie +
                           " holds no session token; sign in again (API tokens go in the "
                           "Authorization header)");
  }
  request.authorization = "Bearer " + *token;
  request.via_cookie = true;
  return Status::Ok();
}

// Runs `route` for `request` if its caller may: the Authorization header (or
// the session cookie) names a valid token or session of a user whose role
// the route allows.
ApiResponse Admit(const Route& route, const auth::CredentialCheck& credentials,
                  ApiRequest request) {
  // A page of another site may make the browser post here (with its cookie,
  // or to sign in); the browser names that site in Origin.
  if (NeedsCsrfHeader(request.method) && IsCrossSite(request.origin, request.host)) {
    return JsonResponse(403, {{"error",
                               {{"code", "cross_site_request"},
                                {"message", "a page of another site (" + request.origin +
                                                ") may not send this request; use dsr's own pages"},
                                {"details", nlohmann::json::array()}}}});
  }
  if (route.access == auth::Access::kPublic) return route.handler(request);
  Status cookie = UseSessionCookie(request);
  if (!cookie.ok()) return NotAuthenticated(cookie);
  auto principal = credentials.Authenticate(request.authorization);
  if (!principal.ok()) return NotAuthenticated(principal.status());
  // Another site's page can make the browser send the cookie, but not this header.
  if (request.via_cookie && NeedsCsrfHeader(request.method) && request.csrf != "1") {
    return JsonResponse(
        403, {{"error",
               {{"code", "csrf_header_missing"},
                {"message", request.method + " with the session cookie needs the header " +
                                kCsrfHeader + ": 1"},
                {"details", nlohmann::json::array()}}}});
  }
  if (!auth::Allows(route.access, principal->role)) {
    std::string roles;
    for (auth::Role role : auth::RolesOf(route.access))
      roles += (roles.empty() ? "" : ", ") + std::string(auth::RoleName(role));
    return ErrorResponse(
        PermissionDenied("the role " + std::string(auth::RoleName(principal->role)) + " may not " +
                         route.method + " " + route.pattern + "; it needs one of: " + roles));
  }
  request.principal = std::move(principal.value());
  return route.handler(request);
}

}  // namespace

ApiResponse Router::Handle(ApiRequest request) const {
  std::string allowed;
  for (const auto& route : routes_) {
    std::map<std::string, std::string> params;
    if (!Match(route.pattern, request.path, &params)) continue;
    if (route.method == request.method) {
      request.params = std::move(params);
      return Admit(route, credentials_, std::move(request));
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
