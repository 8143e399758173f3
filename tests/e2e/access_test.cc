// End-to-end: the real dsr-coordinator and dsr-worker binaries on loopback,
// requests over HTTP, bundles checked record by record against the sample CRM.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>

#include "common/digest.h"
#include "coordinator/store/store.h"
#include "tests/e2e/cluster.h"
#include "tests/e2e/crm_oracle.h"

namespace dsr::testing {
namespace {

// Every file the manifest names exists with its size and hash, and every
// file of the bundle is in the manifest.
void CheckManifest(const std::string& bundle) {
  const auto manifest = nlohmann::json::parse(ReadFile(bundle + "/manifest.json"));
  std::set<std::string> listed;
  for (const auto& file : manifest.at("files")) {
    const std::string path = file.at("path").get<std::string>();
    listed.insert(path);
    const std::string content = ReadFile(bundle + "/" + path);
    CHECK(static_cast<int64_t>(content.size()) == file.at("bytes").get<int64_t>());
    CHECK(Sha256Hex(content) == file.at("sha256").get<std::string>());
  }
  for (const auto& entry : std::filesystem::recursive_directory_iterator(bundle)) {
    if (!entry.is_regular_file()) continue;
    const std::string relative = std::filesystem::relative(entry.path(), bundle).string();
    if (relative != "manifest.json") CHECK_MESSAGE(listed.count(relative) == 1, relative);
  }
}

std::string Upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

TEST_SUITE("EndToEnd") {
  TEST_CASE(
      "an access request returns exactly the customer's rows from every table the references "
      "reach") {
    Cluster cluster;
    const auto samples = ParseSamples(cluster.GenerateCrm());
    REQUIRE(samples.size() >= 4);
    REQUIRE(cluster.StartCoordinator());
    REQUIRE(cluster.StartWorker("crm-1"));

    for (const auto& sample : samples) {
      CAPTURE(sample.kind);
      // The agent may type the address in another case than the CRM holds it.
      const auto created = cluster.SubmitAccess({{"email", Upper(sample.email)}});
      REQUIRE(created.is_object());
      CHECK(created.at("status") == "in_progress");
      CHECK(created.at("tasks").size() == 1);
      const std::string id = created.at("id").get<std::string>();
      const auto done = cluster.ReviewAndApprove(id);
      REQUIRE(done.at("status") == "completed");
      CHECK(done.at("tasks").at(0).at("status") == "succeeded");

      const std::string bundle = cluster.FetchBundle(id);
      REQUIRE_FALSE(bundle.empty());
      const RowsByTable expected = ExpectedRowsForEmail(cluster.crm_path(), sample.email);
      const RowsByTable actual = BundleRows(bundle, "crm");
      REQUIRE(expected.count("customers") == 1);
      CHECK(expected.at("customers").size() == 1);
      CHECK(actual == expected);
      if (sample.kind == "typical") {
        for (const char* table : {"customers", "orders", "order_lines", "invoices"}) {
          CHECK_MESSAGE(actual.count(table) == 1, table);
        }
      }
      // No row of any other customer: every customer reference is this customer.
      const auto customer_id = expected.at("customers").at(0).at("id");
      for (const char* table : {"orders", "invoices", "support_notes"}) {
        if (actual.count(table) == 0) continue;
        for (const auto& row : actual.at(table)) CHECK(row.at("customer_id") == customer_id);
      }
      CHECK(std::filesystem::exists(bundle + "/letter.html"));
      CheckManifest(bundle);
    }
  }

  TEST_CASE(
      "an access request for an e-mail address nobody has completes with an empty but valid "
      "bundle") {
    Cluster cluster;
    REQUIRE_FALSE(cluster.GenerateCrm(200).empty());
    REQUIRE(cluster.StartCoordinator());
    REQUIRE(cluster.StartWorker("crm-1"));
    const auto created = cluster.SubmitAccess({{"email", "nobody-at-all@nowhere.example"}});
    REQUIRE(created.is_object());
    const auto done = cluster.ReviewAndApprove(created.at("id").get<std::string>());
    REQUIRE(done.at("status") == "completed");
    CHECK(done.at("tasks").at(0).at("records") == 0);
    const std::string bundle = cluster.FetchBundle(done.at("id").get<std::string>());
    REQUIRE_FALSE(bundle.empty());
    CHECK(BundleRows(bundle, "crm").empty());
    CHECK(std::filesystem::exists(bundle + "/letter.html"));
    CheckManifest(bundle);
  }

  TEST_CASE("a task waits while its source has no worker, and survives a coordinator crash") {
    Cluster cluster;
    const auto samples = ParseSamples(cluster.GenerateCrm(200));
    REQUIRE_FALSE(samples.empty());
    REQUIRE(cluster.StartCoordinator());
    const auto created = cluster.SubmitAccess({{"email", samples.at(0).email}});
    REQUIRE(created.is_object());
    const std::string id = created.at("id").get<std::string>();
    CHECK(created.at("tasks").at(0).at("status") == "pending");

    cluster.CrashCoordinator();
    REQUIRE(cluster.StartCoordinator());
    const auto after_crash =
        nlohmann::json::parse(cluster.Call("GET", "/api/v1/requests/" + id).body);
    CHECK(after_crash.at("tasks").at(0).at("status") == "pending");

    REQUIRE(cluster.StartWorker("crm-late"));
    const auto done = cluster.ReviewAndApprove(id);
    REQUIRE(done.at("status") == "completed");
    CHECK(done.at("tasks").at(0).at("worker") == "crm-late");
    CHECK(BundleRows(cluster.FetchBundle(id), "crm") ==
          ExpectedRowsForEmail(cluster.crm_path(), samples.at(0).email));
    CHECK(cluster.StopCoordinator() == 0);

    auto store = store::Store::Open(cluster.store_url(), 1);
    REQUIRE(store.ok());
    CHECK(store::VerifyAuditChain(**store).ok());
  }

  TEST_CASE("tasks of one source are shared round-robin among its workers") {
    Cluster cluster;
    const auto samples = ParseSamples(cluster.GenerateCrm(200));
    REQUIRE(cluster.StartCoordinator());
    REQUIRE(cluster.StartWorker("crm-a"));
    REQUIRE(cluster.StartWorker("crm-b"));
    std::vector<std::string> ids;
    for (int i = 0; i < 6; ++i) {
      const auto created = cluster.SubmitAccess({{"email", samples.at(i % samples.size()).email}});
      REQUIRE(created.is_object());
      ids.push_back(created.at("id").get<std::string>());
    }
    std::set<std::string> workers;
    for (const auto& id : ids) {
      const auto done = cluster.ReviewAndApprove(id);
      REQUIRE(done.at("status") == "completed");
      workers.insert(done.at("tasks").at(0).at("worker").get<std::string>());
    }
    CHECK(workers == std::set<std::string>{"crm-a", "crm-b"});
  }
}

}  // namespace dsr::testing
