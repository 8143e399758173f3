// The DPO's routes and the deadline filters of the request list, through the
// real route table over a store filled with known requests. They only read,
// so the engine is never asked.
#include <doctest/doctest.h>

#include <zmq.hpp>

#include "coordinator/api/handlers.h"
#include "tests/reporting/reporting_fixture.h"

namespace dsr::api {
namespace {

using reporting::testing::ReportingFixture;

struct ApiFixture : ReportingFixture {
  // 12:00 on Wednesday 2025-06-18 in Berlin.
  ManualClock clock{Clock::WallTime(std::chrono::seconds(1750240800))};
  zmq::context_t zmq_context;
  workflow::EngineClient engine{zmq_context, std::chrono::milliseconds(100)};
  auth::Accounts accounts{*store, clock};
  ApiContext context{*store, engine, {}, {}, {}, clock, deadlines::PauseMode::kPause, 7, &accounts};
  Router router{BuildRoutes(context), accounts};
  const std::string authorization = "Bearer " + DpoToken();

  std::string DpoToken() {
    REQUIRE(accounts.CreateUser("dpo", auth::Role::kDpo, "a password long enough").ok());
    return accounts.IssueToken("dpo", std::nullopt, std::nullopt).value().token;
  }

  ApiResponse Get(const std::string& path, std::map<std::string, std::string> query = {}) const {
    ApiRequest request;
    request.method = "GET";
    request.path = path;
    request.query = std::move(query);
    request.authorization = authorization;
    return router.Handle(request);
  }
};

std::string HeaderValue(const ApiResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

std::vector<std::string> Ids(const ApiResponse& response) {
  std::vector<std::string> ids;
  for (const auto& request : response.body.at("requests")) ids.push_back(request.at("id"));
  return ids;
}

}  // namespace

TEST_SUITE("ReportRoutes") {
  TEST_CASE("the dashboard defaults to the 90 days up to today") {
    ApiFixture f;
    REQUIRE(DeadlinesNow(f.context).today == CivilDate(2025, 6, 18));
    const auto response = f.Get("/api/v1/dashboard");
    REQUIRE(response.status == 200);
    CHECK(response.body["today"] == "2025-06-18");
    CHECK(response.body["period"] == nlohmann::json{{"from", "2025-03-21"}, {"to", "2025-06-18"}});
    CHECK(response.body["open"]["total"] == 7);
    CHECK(response.body["overdue"] == 1);
    CHECK(response.body["extended"] == 1);
    CHECK(response.body["closed"] == 8);  // c6 (04-20) and c7 (06-16) count too
    CHECK(response.body["extended_in_period"] == 2);
    const auto chosen = f.Get("/api/v1/dashboard", {{"from", "2025-05-01"}, {"to", "2025-06-15"}});
    CHECK(chosen.body["closed"] == 6);
    CHECK(chosen.body["handling_days"]["median"] == 26.0);
    const auto later = f.Get("/api/v1/dashboard", {{"from", "2025-05-21"}});
    CHECK(later.body["extended_in_period"] == 0);
  }

  TEST_CASE("a bad period is a 422 with the usual error body") {
    ApiFixture f;
    for (const auto& query : std::vector<std::map<std::string, std::string>>{
             {{"from", "2025-02-30"}},
             {{"to", "18.06.2025"}},
             {{"from", "2025-06-02"}, {"to", "2025-06-01"}},
             {{"from", "2019-01-01"}, {"to", "2025-06-18"}}}) {
      for (const char* path :
           {"/api/v1/dashboard", "/api/v1/reports/requests.csv", "/api/v1/reports/requests.html"}) {
        CAPTURE(path);
        CAPTURE(query.begin()->second);
        const auto response = f.Get(path, query);
        CHECK(response.status == 422);
        CHECK(response.body["error"]["code"] == "validation_failed");
        CHECK_FALSE(response.body["error"]["message"].get<std::string>().empty());
      }
    }
    CHECK(f.Get("/api/v1/reports/requests.html", {{"lang", "fr"}}).status == 422);
  }

  TEST_CASE("the CSV report is an attachment, the HTML report a page") {
    ApiFixture f;
    const auto csv =
        f.Get("/api/v1/reports/requests.csv", {{"from", "2025-05-01"}, {"to", "2025-06-15"}});
    REQUIRE(csv.status == 200);
    REQUIRE(csv.raw_body.has_value());
    CHECK(csv.content_type == "text/csv; charset=utf-8");
    CHECK(HeaderValue(csv, "Content-Disposition") ==
          "attachment; filename=\"requests-2025-05-01-2025-06-15.csv\"");
    CHECK(csv.raw_body->find("c3,access,") != std::string::npos);
    const auto html = f.Get("/api/v1/reports/requests.html", {{"lang", "en"}});
    REQUIRE(html.status == 200);
    CHECK(html.content_type == "text/html; charset=utf-8");
    CHECK(html.raw_body->find("<html lang=\"en\">") != std::string::npos);
  }
}

TEST_SUITE("RequestListFilters") {
  TEST_CASE("deadline=overdue lists the overdue open requests") {
    ApiFixture f;
    const auto response = f.Get("/api/v1/requests", {{"deadline", "overdue"}});
    REQUIRE(response.status == 200);
    CHECK(Ids(response) == std::vector<std::string>{"o2"});
    CHECK(Ids(f.Get("/api/v1/requests", {{"deadline", "due_soon"}})) ==
          std::vector<std::string>{"o1", "o3", "o6"});
    CHECK(Ids(f.Get("/api/v1/requests", {{"deadline", "on_track"}})) ==
          std::vector<std::string>{"o5", "o4", "o7"});  // o7: extended to 07-22
  }

  TEST_CASE("due_within=N lists open requests due in N days or fewer, most urgent first") {
    ApiFixture f;
    CHECK(Ids(f.Get("/api/v1/requests", {{"due_within", "4"}})) ==
          std::vector<std::string>{"o2", "o1", "o3"});
    CHECK(Ids(f.Get("/api/v1/requests", {{"due_within", "5"}, {"status", "in_progress"}})) ==
          std::vector<std::string>{"o1", "o6"});
    CHECK(Ids(f.Get("/api/v1/requests", {{"due_within", "5"}, {"limit", "2"}, {"offset", "1"}})) ==
          std::vector<std::string>{"o1", "o3"});
  }

  TEST_CASE("paused, extended and failing list the open requests that need the DPO's eye") {
    ApiFixture f;
    CHECK(Ids(f.Get("/api/v1/requests", {{"paused", "true"}})) == std::vector<std::string>{"o5"});
    CHECK(Ids(f.Get("/api/v1/requests", {{"extended", "true"}})) == std::vector<std::string>{"o7"});
    // c3's failed task belongs to a closed request: not failing today.
    CHECK(Ids(f.Get("/api/v1/requests", {{"failing", "true"}})) ==
          std::vector<std::string>{"o2", "o1", "o6"});
    CHECK(Ids(f.Get("/api/v1/requests", {{"failing", "true"}, {"deadline", "due_soon"}})) ==
          std::vector<std::string>{"o1", "o6"});
    CHECK(Ids(f.Get("/api/v1/requests", {{"paused", "false"}, {"limit", "3"}})).size() == 3);
  }

  TEST_CASE("q searches ids and the subject's identities of all requests, any case") {
    ApiFixture f;
    CHECK(Ids(f.Get("/api/v1/requests", {{"q", "C3"}})) == std::vector<std::string>{"c3"});
    CHECK(Ids(f.Get("/api/v1/requests", {{"q", "o2@EXAMPLE.org"}})) ==
          std::vector<std::string>{"o2"});
    CHECK(Ids(f.Get("/api/v1/requests", {{"q", "o2@"}, {"status", "completed"}})).empty());
    CHECK(Ids(f.Get("/api/v1/requests", {{"q", "nobody"}})).empty());
    const auto all = f.Get("/api/v1/requests", {{"q", "@example.org"}, {"limit", "1000"}});
    CHECK(all.body["requests"].size() ==
          f.Get("/api/v1/requests", {{"limit", "1000"}}).body["requests"].size());
  }

  TEST_CASE("bad list flags and an overlong search are a 422") {
    ApiFixture f;
    for (const auto& query :
         std::vector<std::map<std::string, std::string>>{{{"paused", "yes"}},
                                                         {{"extended", "1"}},
                                                         {{"failing", ""}},
                                                         {{"q", std::string(201, 'a')}}}) {
      CAPTURE(query.begin()->first);
      const auto response = f.Get("/api/v1/requests", query);
      CHECK(response.status == 422);
      CHECK(response.body["error"]["code"] == "validation_failed");
    }
  }

  TEST_CASE("bad deadline filters are a 422") {
    ApiFixture f;
    for (const auto& query :
         std::vector<std::map<std::string, std::string>>{{{"deadline", "late"}},
                                                         {{"deadline", ""}},
                                                         {{"due_within", "367"}},
                                                         {{"due_within", "-1"}},
                                                         {{"due_within", "7d"}}}) {
      CAPTURE(query.begin()->second);
      const auto response = f.Get("/api/v1/requests", query);
      CHECK(response.status == 422);
      CHECK(response.body["error"]["code"] == "validation_failed");
    }
  }
}

}  // namespace dsr::api
