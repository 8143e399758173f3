// End-to-end: the DPO extends a deadline (Art. 12(3)) through the HTTP API and
// dsrctl on the real coordinator; the notice to the data subject is served.
#include <doctest/doctest.h>

#include <cstdlib>

#include "common/civil_date.h"
#include "coordinator/deadlines/deadline.h"
#include "tests/e2e/cluster.h"
#include "tests/e2e/http_answer.h"

namespace dsr::testing {
namespace {

constexpr const char* kReason =
    "Your data sits in seven systems,\ntwo of them run by service providers.";

std::string ErrorMessage(const HttpAnswer& answer) {
  return Json(answer).at("error").at("message").get<std::string>();
}

CivilDate DateAt(const nlohmann::json& view, const char* key) {
  auto date = CivilDate::Parse(view.at(key).get<std::string>());
  REQUIRE(date.ok());
  return *date;
}

// The example config's calendar (controller.region).
CivilDate ExtendedFrom(CivilDate received) {
  auto calendar = deadlines::NewHolidayCalendar("DE-NW");
  REQUIRE(calendar.ok());
  return deadlines::ExtendedDueDate(received, **calendar);
}

}  // namespace

TEST_SUITE("EndToEnd") {
  TEST_CASE("the deadline is extended once, before it passes, and the notice is served") {
    Cluster cluster;
    REQUIRE(cluster.StartCoordinator());
    const auto created = cluster.Submit(
        {{"type", "access"}, {"subject", {{"email", "someone@example.org"}}}, {"language", "en"}});
    REQUIRE(created.is_object());
    const std::string id = created.at("id").get<std::string>();
    const std::string path = "/api/v1/requests/" + id;
    CHECK(created.at("extended_due_on").is_null());
    CHECK(created.at("extension").is_null());
    CHECK(cluster.Call("GET", path + "/extension-letter").status == 404);

    // Bodies the schema or the engine refuse change nothing.
    CHECK(cluster.Act(id, "extend", {{"reason", "many sources"}, {"months", 3}}).status == 422);
    CHECK(cluster.Act(id, "extend", nlohmann::json::object()).status == 422);
    CHECK(cluster.Act(id, "extend", {{"reason", "      "}}).status == 422);
    CHECK(cluster.Act("no-such-request", "extend", {{"reason", kReason}}).status == 404);

    const auto extended = cluster.Act(id, "extend", {{"reason", kReason}});
    REQUIRE_MESSAGE(extended.status == 200, extended.body);
    const auto view = Json(extended);
    const CivilDate received = DateAt(view, "received_on");
    const CivilDate new_due = ExtendedFrom(received);
    CHECK(view.at("due_on") == created.at("due_on"));
    CHECK(DateAt(view, "extended_due_on") == new_due);
    CHECK(view.at("extension").at("reason") == kReason);
    CHECK(view.at("extension").at("at").is_string());
    CHECK(view.at("extension").at("letter").at("url") == path + "/extension-letter");
    // Filed today: the standing counts the days to the extended date.
    CHECK(view.at("deadline").at("days_left") ==
          new_due.DaysSinceEpoch() - received.DaysSinceEpoch());
    CHECK(view.at("deadline").at("state") == "on_track");

    const auto letter = cluster.Call("GET", path + "/extension-letter");
    REQUIRE(letter.status == 200);
    CHECK(letter.headers.at("Content-Type").find("text/html") == 0);
    CHECK(letter.body.find("We need more time for your request") != std::string::npos);
    CHECK(letter.body.find("Your data sits in seven systems,\ntwo of them") != std::string::npos);
    CHECK(letter.body.find("(Article 12(3) GDPR)") != std::string::npos);
    // The closing letter is another one, still to come.
    CHECK(cluster.Call("GET", path + "/letter").status == 409);

    const auto again = cluster.Act(id, "extend", {{"reason", "even more sources"}});
    CHECK(again.status == 409);
    CHECK(ErrorMessage(again).find(new_due.ToString()) != std::string::npos);

    const auto events = Json(cluster.Call("GET", path + "/events")).at("events");
    int extended_events = 0;
    bool letter_written = false;
    for (const auto& event : events) {
      CHECK(event.at("details").dump().find("seven systems") == std::string::npos);
      if (event.at("kind") == "request.extended") {
        ++extended_events;
        CHECK(event.at("details").at("extended_due_on") == new_due.ToString());
      }
      if (event.at("kind") == "letter.written" && event.at("details").at("kind") == "extension")
        letter_written = true;
    }
    CHECK(extended_events == 1);
    CHECK(letter_written);

    // Received long ago: the first deadline (7 April 2025) has passed.
    const auto old = cluster.Submit({{"type", "access"},
                                     {"subject", {{"email", "other@example.org"}}},
                                     {"received_on", "2025-03-05"}});
    const auto late = cluster.Act(old.at("id").get<std::string>(), "extend", {{"reason", kReason}});
    CHECK(late.status == 409);
    CHECK(ErrorMessage(late).find("2025-04-07") != std::string::npos);
  }

  TEST_CASE("dsrctl extend prints the new due date and dsrctl show both dates") {
    Cluster cluster;
    REQUIRE(cluster.StartCoordinator());
    const auto created =
        cluster.Submit({{"type", "erasure"}, {"subject", {{"email", "someone@example.org"}}}});
    const std::string id = created.at("id").get<std::string>();
    const std::string new_due = ExtendedFrom(DateAt(created, "received_on")).ToString();
    const std::string out = cluster.dir().File("extend.out");
    REQUIRE(std::system((BinDir() + "/dsrctl extend " + id +
                         " --reason 'Seven systems to search.' --url " + cluster.url() +
                         " --ca-file " + cluster.ca_file() + " --token-file " +
                         cluster.token_file("dpo") + " > " + out + " 2> " +
                         cluster.dir().File("extend.err"))
                            .c_str()) == 0);
    CHECK(ReadFile(out) == new_due + "\n");
    REQUIRE(std::system((BinDir() + "/dsrctl show " + id + " --url " + cluster.url() +
                         " --ca-file " + cluster.ca_file() + " --token-file " +
                         cluster.token_file("dpo") + " > " + out + " 2>&1")
                            .c_str()) == 0);
    const std::string shown = ReadFile(out);
    INFO(shown);
    CHECK(shown.find(created.at("due_on").get<std::string>() + ", extended to " + new_due) !=
          std::string::npos);
    CHECK(shown.find("Seven systems to search.") != std::string::npos);
    CHECK(shown.find("/extension-letter") != std::string::npos);
    // A second extension fails with the coordinator's message.
    CHECK(std::system((BinDir() + "/dsrctl extend " + id + " --reason 'again' --url " +
                       cluster.url() + " --ca-file " + cluster.ca_file() + " --token-file " +
                       cluster.token_file("dpo") + " > " + out + " 2>&1")
                          .c_str()) != 0);
    CHECK(ReadFile(out).find("already extended") != std::string::npos);
  }
}

}  // namespace dsr::testing
