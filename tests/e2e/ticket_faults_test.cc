// End-to-end: the ticket system misbehaving, seen from the request. The
// coordinator, a worker with the http connector and dsr-zendesk-standin (a
// local stand-in for Zendesk, with faults injected through its control
// routes) run as real processes.
#include <doctest/doctest.h>

#include "tests/e2e/cluster.h"

namespace dsr::testing {
namespace {

using Json = nlohmann::json;

struct TicketCluster {
  Cluster cluster;
  std::vector<Sample> samples;

  TicketCluster() {
    samples = ParseSamples(cluster.GenerateAllSources(100));
    REQUIRE_FALSE(samples.empty());
    REQUIRE(cluster.StartTicketSystem());
    REQUIRE(cluster.StartCoordinator({"tickets"}));
    REQUIRE(cluster.StartWorker("tickets-1", "tickets"));
  }

  void Faults(const Json& faults) const {
    REQUIRE(HttpCall(cluster.ticket_url(), "POST", "/_standin/faults", faults.dump()).status ==
            200);
  }

  Json Stats() const {
    const auto stats = HttpCall(cluster.ticket_url(), "GET", "/_standin/stats");
    REQUIRE(stats.status == 200);
    return Json::parse(stats.body);
  }

  // Files an access request and confirms the identity; returns its id.
  std::string FileAccess() const {
    const auto created = cluster.Submit(
        {{"type", "access"}, {"subject", {{"email", SampleOfKind(samples, "typical").email}}}});
    REQUIRE(created.is_object());
    const std::string id = created.at("id").get<std::string>();
    REQUIRE(cluster.ConfirmIdentity(id).is_object());
    return id;
  }

  // Polls the request until its one task has `status`; returns that task.
  Json WaitForTask(const std::string& id, const std::string& status) const {
    Json task;
    WaitFor(
        [&] {
          const auto view = cluster.Call("GET", "/api/v1/requests/" + id);
          if (view.status != 200) return false;
          task = Json::parse(view.body).at("tasks").at(0);
          return task.at("status") == status;
        },
        std::chrono::seconds(60));
    return task;
  }
};

}  // namespace

TEST_SUITE("EndToEnd ticket system faults") {
  TEST_CASE("two 429 answers are retried within the task's one attempt and the request completes") {
    TicketCluster tickets;
    tickets.Faults({{"rate_limited", 2}, {"retry_after_s", 1}});
    const std::string id = tickets.FileAccess();
    const Json task = tickets.WaitForTask(id, "succeeded");
    REQUIRE_MESSAGE(task.at("status") == "succeeded", task.dump());
    CHECK(task.at("attempts") == 1);  // the connector waited; the task never failed
    CHECK(tickets.Stats().at("rate_limited") == 2);
    CHECK(tickets.cluster.ReviewAndApprove(id).at("status") == "completed");
  }

  TEST_CASE(
      "a 500 fails the task with the server's message after bounded retries; retry "
      "completes it once the server is back") {
    TicketCluster tickets;
    const std::string message = "Scheduled maintenance until 03:00 UTC";
    tickets.Faults({{"fail_status", 500}, {"fail_count", 1000}, {"fail_message", message}});
    const std::string id = tickets.FileAccess();
    const Json task = tickets.WaitForTask(id, "failed");
    REQUIRE_MESSAGE(task.at("status") == "failed", task.dump());
    const std::string error = task.at("error").at("message").get<std::string>();
    CHECK_MESSAGE(error.find(message) != std::string::npos, error);
    CHECK_MESSAGE(error.find("500") != std::string::npos, error);
    // Bounded: the coordinator's attempts (broker.max_attempts: 3), each
    // with the connector's own retries (max_retries: 3), and no more.
    CHECK(task.at("attempts") == 3);
    const Json stats = tickets.Stats();
    CHECK(stats.at("failed").get<int>() == 3 * (3 + 1));
    const auto request = Json::parse(tickets.cluster.Call("GET", "/api/v1/requests/" + id).body);
    CHECK(request.at("status") == "in_progress");  // nothing answered on a failed source

    tickets.Faults({{"fail_count", 0}});
    const std::string task_id = task.at("id").get<std::string>();
    REQUIRE(tickets.cluster.Call("POST", "/api/v1/requests/" + id + "/tasks/" + task_id + "/retry")
                .status == 200);
    CHECK(tickets.WaitForTask(id, "succeeded").at("status") == "succeeded");
    CHECK(tickets.cluster.ReviewAndApprove(id).at("status") == "completed");
  }
}

}  // namespace dsr::testing
