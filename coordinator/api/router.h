// Router: the one table of HTTP routes (method, path pattern, who may call
// it, handler). Handlers parse and validate first, then act; they return an
// ApiResponse and never throw. Thread-safe once built.
//
// Deny by default: a Route cannot be made without its auth::Access, and there
// is no access level that lets everyone in except the explicit kPublic. For
// any other route the router answers 401 (no or invalid credentials) or 403
// (a role the route does not allow) before the handler runs, and hands the
// handler the caller as ApiRequest::principal.
//
// A call without an Authorization header is authenticated by the session
// cookie when it has one (session_cookie.h): only a session token counts
// there (anything else is 401), and a cookie-authenticated call other than
// GET/HEAD without "X-DSR-CSRF: 1" is refused with 403 csrf_header_missing
// before its handler runs.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/data_protection.h"
#include "common/status.h"
#include "coordinator/auth/roles.h"

namespace dsr::api {

struct ApiRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> params;  // from {name} segments of the pattern
  std::map<std::string, std::string> query;
  std::string body;
  std::string authorization;  // the Authorization header as sent (see via_cookie)
  std::string cookie;         // the Cookie header as sent
  std::string csrf;           // the X-DSR-CSRF header as sent
  std::string origin;         // the Origin header as sent (browsers send it on POST)
  std::string host;           // the Host header as sent
  std::string if_none_match;  // the If-None-Match header as sent (cached copies)
  bool secure = false;        // the call came over TLS
  // Set by the router when the caller was authenticated by the session
  // cookie (session_cookie.h); `authorization` then holds that session as
  // a bearer token.
  bool via_cookie = false;
  // The caller; set by the router for every route that is not kPublic.
  std::optional<auth::Principal> principal;
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
  // No default: whoever adds a route says who may call it.
  Route(std::string route_method, std::string route_pattern, auth::Access route_access,
        Handler route_handler)
      : method(std::move(route_method)),
        pattern(std::move(route_pattern)),
        access(route_access),
        handler(std::move(route_handler)) {}
  std::string method;
  std::string pattern;  // "/api/v1/requests/{id}/bundle"
  auth::Access access;
  Handler handler;
};

// The table as data, without handlers: [{method, pattern, access, roles}].
nlohmann::json RouteTableJson(const std::vector<Route>& routes);

class Router {
 public:
  // `credentials` must outlive the router.
  Router(std::vector<Route> routes, const auth::CredentialCheck& credentials)
      : routes_(std::move(routes)), credentials_(credentials) {}
  // 404 for an unknown path, 405 (with Allow) for a known path and another
  // method, then 401/403 unless the caller may call the route.
  ApiResponse Handle(ApiRequest request) const;

 private:
  std::vector<Route> routes_;
  const auth::CredentialCheck& credentials_;
};

// The calling user's name, as the actor of the events a call causes.
std::string ActorOf(const ApiRequest& request);

}  // namespace dsr::api
