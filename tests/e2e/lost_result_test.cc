// End-to-end: an erasure took effect in the CRM, but the coordinator gave its
// attempt up before the result came (so the late result is ignored) and ran
// the task again. The second run finds the anonymized customer no more; the
// worker's outcome journal still makes its result say what the first run did,
// so the invoices kept for the tax office get their hold.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <chrono>
#include <map>

#include "tests/e2e/cluster.h"
#include "tests/e2e/crm_oracle.h"

namespace dsr::testing {
namespace {

using Json = nlohmann::json;
using std::chrono::seconds;

// Holds the write lock of an SQLite database while it lives: a worker's
// erasure waits (its connection's busy timeout is long) until it is dropped.
class DatabaseLock {
 public:
  explicit DatabaseLock(const std::string& path) {
    REQUIRE(sqlite3_open(path.c_str(), &db_) == SQLITE_OK);
    sqlite3_busy_timeout(db_, 5000);
    REQUIRE(sqlite3_exec(db_, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK);
  }
  ~DatabaseLock() { Release(); }
  void Release() {
    if (db_ == nullptr) return;
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
    db_ = nullptr;
  }

 private:
  sqlite3* db_ = nullptr;
};

Json Engine(const Cluster& cluster) {
  const auto health = cluster.Call("GET", "/healthz");
  REQUIRE(health.status == 200);
  return Json::parse(health.body).at("engine");
}

}  // namespace

TEST_SUITE("EndToEnd lost result") {
  TEST_CASE(
      "an erasure retried after its result was lost still records the hold on the retained "
      "invoices") {
    Cluster cluster;
    const auto samples = ParseSamples(cluster.GenerateCrm(400));
    const Sample sample = SampleOfKind(samples, "typical");
    const RowsByTable subject = ExpectedRowsForEmail(cluster.crm_path(), sample.email);
    REQUIRE(subject.count("invoices") == 1);
    const auto invoices = static_cast<int64_t>(subject.at("invoices").size());

    // Attempts silent for 2 s are given up; retries come after 100–400 ms.
    REQUIRE(cluster.StartCoordinator({"crm"}, [](Json& config) {
      for (auto& source : config.at("sources")) source["task_timeout_seconds"] = 2;
      config["broker"]["retry_backoff_ms"] = 100;
      config["broker"]["retry_backoff_max_ms"] = 400;
    }));
    // The only worker of the source, so it runs both attempts.
    REQUIRE(cluster.StartWorker("crm-1", "crm", [&](Json& config) {
      config["connector"]["connection"] = "sqlite3://db=" + cluster.crm_path() + " timeout=120";
    }));

    // The erasure's first attempt waits for the CRM until the coordinator
    // has given it up; then it takes effect and its late RESULT is ignored.
    DatabaseLock lock(cluster.crm_path());
    const auto created =
        cluster.Submit({{"type", "erasure"}, {"subject", {{"email", sample.email}}}});
    REQUIRE(created.is_object());
    const std::string id = created.at("id").get<std::string>();
    REQUIRE(cluster.ConfirmIdentity(id).is_object());
    REQUIRE(WaitFor([&] { return Engine(cluster).at("attempts_timed_out").get<int>() >= 1; },
                    seconds(30)));
    lock.Release();
    REQUIRE(WaitFor([&] { return Engine(cluster).at("stale_messages_ignored").get<int>() >= 1; },
                    seconds(60)));
    // The first attempt's erasure is in the CRM: the customer is found no more.
    CHECK(ExpectedRowsForEmail(cluster.crm_path(), sample.email).empty());

    const Json review = cluster.WaitForStatus(id, "in_review");
    REQUIRE_MESSAGE(review.at("status") == "in_review", review.dump());
    const Json& task = review.at("tasks").at(0);
    CHECK(task.at("attempts") == 2);
    std::map<std::string, int64_t> outcomes;
    for (const auto& outcome : task.at("outcomes")) {
      outcomes[outcome.at("collection").get<std::string>() + ":" +
               outcome.at("outcome").get<std::string>()] += outcome.at("records").get<int64_t>();
    }
    CHECK(outcomes["customers:anonymized"] == 1);
    CHECK(outcomes["invoices:retained"] == invoices);
    CHECK(outcomes.count("invoices:not_found") == 0);
    int64_t held = 0;
    for (const auto& hold : review.at("holds")) {
      if (hold.at("collection") == "invoices") held += hold.at("records").get<int64_t>();
    }
    CHECK(held == invoices);

    REQUIRE(cluster.Act(id, "approve").status == 200);
    CHECK(cluster.WaitForStatus(id, "completed").at("status") == "completed");
    const auto holds = Json::parse(cluster.Call("GET", "/api/v1/holds?status=active").body);
    CHECK(holds.at("holds").size() == review.at("holds").size());
    CHECK_FALSE(holds.at("holds").empty());
  }
}

}  // namespace dsr::testing
