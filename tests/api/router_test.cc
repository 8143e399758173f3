#include "coordinator/api/router.h"

#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <vector>

#include "coordinator/auth/accounts.h"
#include "coordinator/auth/credentials.h"
#include "tests/support/temp_dir.h"

namespace dsr::api {
namespace {

using auth::Access;
using auth::Role;

std::atomic<int> handled{0};

// Each handler answers with its own name and what the router passed in.
Handler Echo(const std::string& name) {
  return [name](const ApiRequest& request) {
    ++handled;
    return JsonResponse(
        200,
        {{"route", name},
         {"params", request.params},
         {"query", request.query},
         {"body", request.body},
         {"caller", request.principal ? request.principal->name : ""},
         {"role", request.principal ? std::string(auth::RoleName(request.principal->role)) : ""}});
  };
}

// Real accounts on a SQLite store, with one user and API token per role.
struct Accounts {
  testing::TempDir dir;
  std::unique_ptr<store::Store> store =
      std::move(store::Store::Open("sqlite3://db=" + dir.File("dsr.db"), 1).value());
  ManualClock clock{Clock::WallTime(std::chrono::hours(24 * 20000))};
  auth::Accounts accounts{*store, clock};
  std::map<Role, std::string> tokens;

  Accounts() {
    for (Role role : auth::AllRoles()) {
      const std::string name = "user-" + std::string(auth::RoleName(role));
      REQUIRE(accounts.CreateUser(name, role, "a password long enough").ok());
      tokens[role] = accounts.IssueToken(name, std::nullopt, std::nullopt).value().token;
    }
  }
};

Accounts& Shared() {
  static Accounts shared;
  return shared;
}

Router SampleRouter() {
  return Router(
      {
          {"GET", "/healthz", Access::kPublic, Echo("health")},
          {"POST", "/api/v1/requests", Access::kCaseWork, Echo("create")},
          {"GET", "/api/v1/requests", Access::kCaseMetadata, Echo("list")},
          {"GET", "/api/v1/requests/{id}", Access::kCaseMetadata, Echo("show")},
          {"GET", "/api/v1/requests/{id}/bundle", Access::kCaseWork, Echo("bundle")},
          {"GET", "/api/v1/sources/{source}/workers/{worker}", Access::kSourceStatus,
           Echo("worker")},
          {"GET", "/api/v1/users", Access::kAdministration, Echo("users")},
      },
      Shared().accounts);
}

ApiResponse CallAs(const std::string& method, const std::string& path,
                   const std::string& authorization) {
  ApiRequest request;
  request.method = method;
  request.path = path;
  request.authorization = authorization;
  return SampleRouter().Handle(request);
}

// As the DPO, who may call every route of the sample but /api/v1/users.
ApiResponse Call(const std::string& method, const std::string& path) {
  return CallAs(method, path, "Bearer " + Shared().tokens.at(Role::kDpo));
}

std::string HeaderValue(const ApiResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

}  // namespace

TEST_SUITE("Router") {
  TEST_CASE("routes by method and path") {
    CHECK(Call("GET", "/healthz").body.at("route") == "health");
    CHECK(Call("POST", "/api/v1/requests").body.at("route") == "create");
    CHECK(Call("GET", "/api/v1/requests").body.at("route") == "list");
    CHECK(Call("GET", "/api/v1/requests/r-1/bundle").body.at("route") == "bundle");
  }

  TEST_CASE("fills path parameters from {name} segments") {
    auto shown = Call("GET", "/api/v1/requests/0f8fad5b-d9cb-469f-a165-70867728950e");
    CHECK(shown.status == 200);
    CHECK(shown.body.at("route") == "show");
    CHECK(shown.body.at("params") ==
          nlohmann::json{{"id", "0f8fad5b-d9cb-469f-a165-70867728950e"}});

    auto worker = Call("GET", "/api/v1/sources/crm/workers/crm-2");
    CHECK(worker.body.at("params") == nlohmann::json{{"source", "crm"}, {"worker", "crm-2"}});
    CHECK(Call("GET", "/api/v1/requests").body.at("params").empty());
  }

  TEST_CASE("passes query and body through to the handler") {
    ApiRequest request;
    request.method = "POST";
    request.path = "/api/v1/requests";
    request.query = {{"dry_run", "1"}};
    request.body = "{\"type\":\"access\"}";
    request.authorization = "Bearer " + Shared().tokens.at(Role::kAgent);
    auto response = SampleRouter().Handle(request);
    CHECK(response.body.at("query") == nlohmann::json{{"dry_run", "1"}});
    CHECK(response.body.at("body") == "{\"type\":\"access\"}");
  }

  TEST_CASE("answers 404 for an unknown path") {
    for (const char* path : {"/", "/api/v2/requests", "/api/v1/requests/r-1/bundle/extra",
                             "/api/v1/request", "/healthz/now"}) {
      CAPTURE(path);
      auto response = Call("GET", path);
      CHECK(response.status == 404);
      CHECK(response.body.at("error").at("code") == "not_found");
      CHECK(HeaderValue(response, "Allow").empty());
    }
  }

  TEST_CASE("answers 405 with Allow for a known path and another method") {
    auto deleted = Call("DELETE", "/api/v1/requests/r-1");
    CHECK(deleted.status == 405);
    CHECK(deleted.body.at("error").at("code") == "method_not_allowed");
    CHECK(HeaderValue(deleted, "Allow") == "GET");

    auto put = Call("PUT", "/api/v1/requests");
    CHECK(put.status == 405);
    CHECK(HeaderValue(put, "Allow") == "POST, GET");
    CHECK(put.body.at("error").at("message").get<std::string>().find("PUT") != std::string::npos);

    CHECK(Call("POST", "/healthz").status == 405);
  }

  TEST_CASE("refuses a call without valid credentials with 401 before the handler runs") {
    const int before = handled;
    const std::string dsr_token = "Bearer " + auth::NewSecretToken(auth::kApiTokenPrefix);
    const std::string session = "Bearer " + auth::NewSecretToken(auth::kSessionTokenPrefix);
    for (const std::string& authorization :
         {std::string(), std::string("Bearer"), std::string("Basic dXNlcjpwYXNz"),
          std::string("Bearer not-a-token"), dsr_token, session}) {
      CAPTURE(authorization);
      const auto refused = CallAs("GET", "/api/v1/requests/r-1", authorization);
      CHECK(refused.status == 401);
      CHECK(refused.body.at("error").at("code") == "unauthenticated");
      CHECK(HeaderValue(refused, "WWW-Authenticate") == "Bearer");
    }
    CHECK(handled == before);
    // Only the route marked public needs nothing.
    CHECK(CallAs("GET", "/healthz", "").status == 200);
  }

  TEST_CASE("refuses a role the route does not allow with 403 before the handler runs") {
    const auto& tokens = Shared().tokens;
    const int before = handled;
    const auto as = [&](Role role, const std::string& method, const std::string& path) {
      return CallAs(method, path, "Bearer " + tokens.at(role));
    };
    const auto auditor = as(Role::kAuditor, "GET", "/api/v1/requests/r-1/bundle");
    CHECK(auditor.status == 403);
    CHECK(auditor.body.at("error").at("code") == "permission_denied");
    CHECK(auditor.body.at("error").at("message") ==
          "the role auditor may not GET /api/v1/requests/{id}/bundle; it needs one of: agent, dpo");
    CHECK(as(Role::kAdmin, "POST", "/api/v1/requests").status == 403);
    CHECK(as(Role::kAdmin, "GET", "/api/v1/requests/r-1").status == 403);
    CHECK(as(Role::kAgent, "GET", "/api/v1/users").status == 403);
    CHECK(as(Role::kDpo, "GET", "/api/v1/users").status == 403);
    CHECK(handled == before);

    const auto shown = as(Role::kAuditor, "GET", "/api/v1/requests/r-1");
    CHECK(shown.status == 200);
    CHECK(shown.body.at("caller") == "user-auditor");
    CHECK(shown.body.at("role") == "auditor");
    CHECK(as(Role::kAdmin, "GET", "/api/v1/users").body.at("caller") == "user-admin");
    CHECK(as(Role::kAdmin, "GET", "/api/v1/sources/crm/workers/crm-1").status == 200);
  }

  TEST_CASE("the route table lists every route with the roles that may call it") {
    const auto table = RouteTableJson({
        {"GET", "/healthz", Access::kPublic, Echo("health")},
        {"GET", "/api/v1/requests/{id}/events", Access::kAuditTrail, Echo("events")},
    });
    CHECK(table == nlohmann::json::parse(R"([
      {"method": "GET", "pattern": "/healthz", "access": "public", "roles": []},
      {"method": "GET", "pattern": "/api/v1/requests/{id}/events", "access": "audit_trail",
       "roles": ["dpo", "auditor"]}])"));
  }

  TEST_CASE("ErrorResponse maps a status to its HTTP code with details") {
    auto response = ErrorResponse(ValidationError("invalid request", {"subject.email: bad"}));
    CHECK(response.status == 422);
    CHECK(response.body.at("error").at("code") == "validation_failed");
    CHECK(response.body.at("error").at("details") == nlohmann::json{"subject.email: bad"});
    CHECK(ErrorResponse(Conflict("busy")).status == 409);
  }
}

}  // namespace dsr::api
