// End-to-end: liveness of tasks and graceful stops, with the coordinator,
// workers with the http connector and dsr-zendesk-standin as real processes.
// The stand-in holds a request back for as long as a test wants (delay_ms),
// which makes a worker stall in the middle of its task.
#include <doctest/doctest.h>
#include <signal.h>

#include <chrono>

#include "tests/e2e/cluster.h"

namespace dsr::testing {
namespace {

using Json = nlohmann::json;
using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

struct LivenessCluster {
  Cluster cluster;
  std::vector<Sample> samples;

  // `edit` changes the coordinator's config; retries wait 100–400 ms here.
  explicit LivenessCluster(const std::function<void(Json&)>& edit = {}) {
    samples = ParseSamples(cluster.GenerateAllSources(100));
    REQUIRE_FALSE(samples.empty());
    REQUIRE(cluster.StartTicketSystem());
    REQUIRE(cluster.StartCoordinator({"tickets"}, [&](Json& config) {
      config["broker"]["retry_backoff_ms"] = 100;
      config["broker"]["retry_backoff_max_ms"] = 400;
      if (edit) edit(config);
    }));
  }

  // A tickets worker whose connector waits up to a minute for an answer and
  // that has `grace_seconds` to finish its task after SIGTERM.
  void StartWorker(const std::string& name, int grace_seconds = 30) {
    REQUIRE(cluster.StartWorker(name, "tickets", [&](Json& config) {
      config["shutdown_grace_seconds"] = grace_seconds;
      config["connector"]["timeout_ms"] = 60000;
    }));
  }

  // The next `count` requests to the ticket system are held for `ms`.
  void HoldRequests(int ms, int count = 1) const {
    REQUIRE(HttpCall(cluster.ticket_url(), "POST", "/_standin/faults",
                     Json{{"delay_ms", ms}, {"delay_count", count}}.dump())
                .status == 200);
  }

  // Waits until the ticket system holds a request back: a worker is stalled.
  bool WorkerStalled() const {
    return WaitFor([&] {
      const auto stats = HttpCall(cluster.ticket_url(), "GET", "/_standin/stats");
      return stats.status == 200 && Json::parse(stats.body).at("delayed").get<int>() >= 1;
    });
  }

  std::string FileAccess() const {
    const auto created = cluster.Submit(
        {{"type", "access"}, {"subject", {{"email", SampleOfKind(samples, "typical").email}}}});
    REQUIRE(created.is_object());
    const std::string id = created.at("id").get<std::string>();
    REQUIRE(cluster.ConfirmIdentity(id).is_object());
    return id;
  }

  Json Request(const std::string& id) const {
    const auto view = cluster.Call("GET", "/api/v1/requests/" + id);
    REQUIRE(view.status == 200);
    return Json::parse(view.body);
  }

  // Polls until the request's one task has `status`; returns the request.
  Json WaitForTask(const std::string& id, const std::string& status) const {
    Json request;
    WaitFor(
        [&] {
          request = Request(id);
          return request.at("tasks").at(0).at("status") == status;
        },
        seconds(60));
    return request;
  }

  Json Engine() const {
    const auto health = cluster.Call("GET", "/healthz");
    REQUIRE(health.status == 200);
    return Json::parse(health.body).at("engine");
  }

  // Tasks in flight per worker name, as /api/v1/sources lists them.
  std::map<std::string, int> Slots() const {
    std::map<std::string, int> slots;
    const auto answer = cluster.Call("GET", "/api/v1/sources");
    REQUIRE(answer.status == 200);
    const Json listed = Json::parse(answer.body);  // kept alive while its parts are read
    for (const auto& source : listed.at("sources")) {
      for (const auto& worker : source.at("workers")) {
        slots[worker.at("name").get<std::string>()] = worker.at("tasks_in_flight").get<int>();
      }
    }
    return slots;
  }
};

// The workers the task was dispatched to, in order, from its audit events.
std::vector<std::string> DispatchedTo(const Json& request) {
  std::vector<std::string> workers;
  for (const auto& event : request.at("events")) {
    if (event.at("kind") == "task.dispatched") {
      workers.push_back(event.at("details").at("worker").get<std::string>());
    }
  }
  return workers;
}

}  // namespace

TEST_SUITE("EndToEnd liveness") {
  TEST_CASE(
      "a worker that stalls loses its attempt after the time-out; another worker completes the "
      "task and the stalled one is free again once its late result came") {
    LivenessCluster live([](Json& config) { config["broker"]["task_timeout_seconds"] = 2; });
    live.StartWorker("tickets-1");
    live.StartWorker("tickets-2");
    live.HoldRequests(8000);  // longer than the time-out, shorter than the connector's
    const std::string id = live.FileAccess();
    REQUIRE(live.WorkerStalled());

    const Json request = live.WaitForTask(id, "succeeded");
    const Json& task = request.at("tasks").at(0);
    REQUIRE_MESSAGE(task.at("status") == "succeeded", request.dump());
    CHECK(task.at("attempts") == 2);
    const auto workers = DispatchedTo(request);
    REQUIRE(workers.size() == 2);
    CHECK(workers[0] != workers[1]);  // the stalled worker kept its slot
    bool timed_out = false;
    for (const auto& event : request.at("events")) {
      if (event.at("kind") == "task.requeued") {
        CHECK(event.at("details").at("code") == "timed_out");
        CHECK(event.at("details").contains("retry_at"));
        timed_out = true;
      }
    }
    CHECK(timed_out);
    CHECK(live.Engine().at("attempts_timed_out") == 1);

    // The stalled worker's late RESULT is ignored but frees its slot.
    CHECK(WaitFor([&] { return live.Engine().at("stale_messages_ignored").get<int>() >= 1; },
                  seconds(30)));
    CHECK(WaitFor([&] { return live.Slots()[workers[0]] == 0; }));
    CHECK(live.Request(id).at("tasks").at(0).at("attempts") ==
          2);  // the late result changed nothing
    CHECK(live.cluster.ReviewAndApprove(id).at("status") == "completed");
  }

  TEST_CASE("SIGTERM with a long grace: the worker finishes its task and the request completes") {
    LivenessCluster live;
    live.StartWorker("tickets-1", 60);
    live.HoldRequests(3000);
    const std::string id = live.FileAccess();
    REQUIRE(live.WorkerStalled());

    CHECK(live.cluster.StopWorker("tickets-1", seconds(30)) == 0);
    const Json request = live.WaitForTask(id, "succeeded");
    const Json& task = request.at("tasks").at(0);
    REQUIRE_MESSAGE(task.at("status") == "succeeded", request.dump());
    CHECK(task.at("attempts") == 1);  // its result arrived before the worker said goodbye
    CHECK(live.cluster.WorkerCount() == 0);
    CHECK(live.cluster.ReviewAndApprove(id).at("status") == "completed");
  }

  TEST_CASE(
      "SIGTERM with a tiny grace: the stalled worker exits within the bound and another worker "
      "completes the task") {
    LivenessCluster live;
    live.StartWorker("tickets-1", 1);
    live.HoldRequests(30000);
    const std::string id = live.FileAccess();
    REQUIRE(live.WorkerStalled());
    live.StartWorker("tickets-2");

    const auto signalled = Steady::now();
    // Grace 1 s, the farewell and a stuck connector get about 3 s more.
    const int code = live.cluster.StopWorker("tickets-1", seconds(8));
    CHECK(code == 0);
    CHECK(Steady::now() - signalled >= seconds(1));

    const Json request = live.WaitForTask(id, "succeeded");
    const Json& task = request.at("tasks").at(0);
    REQUIRE_MESSAGE(task.at("status") == "succeeded", request.dump());
    CHECK(task.at("attempts") == 2);
    CHECK(DispatchedTo(request) == std::vector<std::string>{"tickets-1", "tickets-2"});
    CHECK(live.cluster.ReviewAndApprove(id).at("status") == "completed");
  }

  TEST_CASE(
      "SIGTERM of the coordinator: changes get 503 while it drains, it exits within its grace "
      "and the task runs again after the restart") {
    LivenessCluster live([](Json& config) { config["shutdown_grace_seconds"] = 2; });
    live.StartWorker("tickets-1");
    live.HoldRequests(20000);
    const std::string id = live.FileAccess();
    REQUIRE(live.WorkerStalled());

    const auto signalled = Steady::now();
    live.cluster.SignalCoordinator(SIGTERM);
    // While it drains, reads work and changes are refused with a clear error.
    HttpAnswer refused;
    CHECK(WaitFor([&] {
      refused = live.cluster.Call(
          "POST", "/api/v1/requests",
          Json{{"type", "access"}, {"subject", {{"email", "a@b.example"}}}}.dump());
      return refused.status == 503;
    }));
    CHECK(refused.body.find("shutting down") != std::string::npos);
    CHECK(live.cluster.StopCoordinator(seconds(10)) == 0);
    CHECK(Steady::now() - signalled >= seconds(2));
    CHECK(Steady::now() - signalled < seconds(8));

    // The task that was running goes out again after the restart (to a new
    // worker: the first one still knows the old broker port).
    REQUIRE(live.cluster.StartCoordinator({"tickets"}));
    live.StartWorker("tickets-2");
    const Json request = live.WaitForTask(id, "succeeded");
    REQUIRE_MESSAGE(request.at("tasks").at(0).at("status") == "succeeded", request.dump());
    CHECK(request.at("tasks").at(0).at("attempts") == 2);
  }

  TEST_CASE("SIGTERM of the coordinator waits for a running task's result and commits it") {
    LivenessCluster live([](Json& config) { config["shutdown_grace_seconds"] = 60; });
    live.StartWorker("tickets-1");
    live.HoldRequests(2000);
    const std::string id = live.FileAccess();
    REQUIRE(live.WorkerStalled());

    CHECK(live.cluster.StopCoordinator(seconds(30)) == 0);
    REQUIRE(live.cluster.StartCoordinator({"tickets"}));
    const Json task = live.Request(id).at("tasks").at(0);
    CHECK(task.at("status") == "succeeded");  // committed before the exit, not redone
    CHECK(task.at("attempts") == 1);
  }
}

}  // namespace dsr::testing
