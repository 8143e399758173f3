// End-to-end: workers that crash in the middle of a task, made to stall or
// die at a known point by the fault-injecting connector (kind: faulty), and
// a new worker that finishes the request with a correct answer.
#include <doctest/doctest.h>
#include <signal.h>

#include <filesystem>

#include "connectors/faulty/faulty_connector.h"
#include "coordinator/store/store.h"
#include "tests/e2e/cluster.h"
#include "tests/e2e/crm_oracle.h"

namespace dsr::testing {
namespace {

size_t RowCount(const RowsByTable& rows) {
  size_t count = 0;
  for (const auto& entry : rows) count += entry.second.size();
  return count;
}

nlohmann::json RequestView(const Cluster& cluster, const std::string& id) {
  return nlohmann::json::parse(cluster.Call("GET", "/api/v1/requests/" + id).body);
}

bool LogSays(const Cluster& cluster, const std::string& worker, const std::string& text) {
  return ReadFile(cluster.worker_log(worker)).find(text) != std::string::npos;
}

}  // namespace

TEST_SUITE("EndToEnd") {
  TEST_CASE(
      "a worker SIGKILLed in the middle of an export: a new worker answers the request whole") {
    Cluster cluster;
    const Sample sample = SampleOfKind(ParseSamples(cluster.GenerateCrm(400)), "typical");
    const RowsByTable expected = ExpectedRowsForEmail(cluster.crm_path(), sample.email);
    REQUIRE(RowCount(expected) > 3);
    REQUIRE(cluster.StartCoordinator());
    const std::string faults = cluster.dir().File("faults");
    WriteFile(faults, "stall 600000 after-records 3\n");
    REQUIRE(cluster.StartWorker("crm-doomed", "crm",
                                {{"control_file", faults}, {"check_every_records", 1}}));

    const auto created = cluster.SubmitAccess({{"email", sample.email}});
    REQUIRE(created.is_object());
    const std::string id = created.at("id").get<std::string>();
    // In the middle: the worker took the task, reported three records, and hangs.
    REQUIRE(WaitFor([&] {
      return LogSays(cluster, "crm-doomed",
                     "fault drill: stall 600000 after-records 3 (control file) at export after 3 "
                     "records");
    }));
    // The worker's log line may come before the coordinator has read its messages.
    nlohmann::json running;
    REQUIRE(WaitFor([&] {
      running = RequestView(cluster, id).at("tasks").at(0);
      return running.at("status") == "running";
    }));
    CHECK(running.at("worker") == "crm-doomed");
    CHECK(running.at("attempts") == 1);

    CHECK(cluster.KillWorker("crm-doomed") == 128 + SIGKILL);
    REQUIRE(cluster.StartWorker("crm-rescuer"));
    const auto done = cluster.ReviewAndApprove(id);
    REQUIRE(done.at("status") == "completed");
    const auto& task = done.at("tasks").at(0);
    CHECK(task.at("status") == "succeeded");
    CHECK(task.at("worker") == "crm-rescuer");
    CHECK(task.at("attempts") == 2);
    CHECK(task.at("records") == RowCount(expected));
    // Nothing of the lost attempt in the answer: exactly the customer's rows, once.
    CHECK(BundleRows(cluster.FetchBundle(id), "crm") == expected);

    auto store = store::Store::Open(cluster.store_url(), 1);
    REQUIRE(store.ok());
    CHECK(store::VerifyAuditChain(**store).ok());
  }

  TEST_CASE(
      "a worker that dies after its erasure took effect: the erasure runs again and harms no "
      "one") {
    Cluster cluster;
    const Sample sample = SampleOfKind(ParseSamples(cluster.GenerateCrm(400)), "typical");
    const RowsByTable before = AllRows(cluster.crm_path());
    const RowsByTable subject = ExpectedRowsForEmail(cluster.crm_path(), sample.email);
    REQUIRE(subject.count("invoices") == 1);
    REQUIRE(cluster.StartCoordinator());
    const std::string faults = cluster.dir().File("faults");
    WriteFile(faults, "die at-end\n");
    REQUIRE(cluster.StartWorker("crm-doomed", "crm", {{"control_file", faults}}));

    const auto created =
        cluster.Submit({{"type", "erasure"}, {"subject", {{"email", sample.email}}}});
    REQUIRE(created.is_object());
    const std::string id = created.at("id").get<std::string>();
    REQUIRE(cluster.ConfirmIdentity(id).is_object());
    std::optional<int> exit_code;
    REQUIRE(
        WaitFor([&] { return (exit_code = cluster.WorkerExitCode("crm-doomed")).has_value(); }));
    CHECK(*exit_code == connectors::kFaultDeathExitCode);
    // The erasure took effect before the worker died.
    CHECK(ExpectedRowsForEmail(cluster.crm_path(), sample.email).empty());
    const RowsByTable erased_once = AllRows(cluster.crm_path());

    REQUIRE(cluster.StartWorker("crm-rescuer"));
    const auto review = cluster.WaitForStatus(id, "in_review");
    REQUIRE(review.at("status") == "in_review");
    CHECK(review.at("tasks").at(0).at("attempts") == 2);
    CHECK(review.at("tasks").at(0).at("worker") == "crm-rescuer");
    // Running it again changed nothing more, and no one else's rows changed at all.
    const RowsByTable after = AllRows(cluster.crm_path());
    CHECK(after == erased_once);
    CHECK(WithoutRowsOf(after, subject) == WithoutRowsOf(before, subject));
    CHECK(after.at("customers").size() == before.at("customers").size());  // anonymized, kept
    CHECK(after.at("invoices").size() == before.at("invoices").size());    // kept under a hold
    REQUIRE(cluster.Act(id, "approve").status == 200);
    CHECK(cluster.WaitForStatus(id, "completed").at("status") == "completed");
  }
}

}  // namespace dsr::testing
