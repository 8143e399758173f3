#include "coordinator/api/router.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace dsr::api {
namespace {

// Each handler answers with its own name and what the router passed in.
Handler Echo(const std::string& name) {
  return [name](const ApiRequest& request) {
    return JsonResponse(200, {{"route", name},
                              {"params", request.params},
                              {"query", request.query},
                              {"body", request.body}});
  };
}

Router SampleRouter() {
  return Router({
      {"GET", "/healthz", Echo("health")},
      {"POST", "/api/v1/requests", Echo("create")},
      {"GET", "/api/v1/requests", Echo("list")},
      {"GET", "/api/v1/requests/{id}", Echo("show")},
      {"GET", "/api/v1/requests/{id}/bundle", Echo("bundle")},
      {"GET", "/api/v1/sources/{source}/workers/{worker}", Echo("worker")},
  });
}

ApiResponse Call(const std::string& method, const std::string& path) {
  ApiRequest request;
  request.method = method;
  request.path = path;
  return SampleRouter().Handle(request);
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

  TEST_CASE("ErrorResponse maps a status to its HTTP code with details") {
    auto response = ErrorResponse(ValidationError("invalid request", {"subject.email: bad"}));
    CHECK(response.status == 422);
    CHECK(response.body.at("error").at("code") == "validation_failed");
    CHECK(response.body.at("error").at("details") == nlohmann::json{"subject.email: bad"});
    CHECK(ErrorResponse(Conflict("busy")).status == 409);
  }
}

}  // namespace dsr::api
