#include "coordinator/workflow/completion.h"

#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/workflow/workflow_fixture.h"

namespace dsr::workflow {
namespace {

using store::ReviewDecision;

std::string WriteSpool(const dsr::testing::TempDir& dir, const std::string& name,
                       const std::vector<nlohmann::json>& lines) {
  const std::string path = dir.File(name);
  std::ofstream out(path);
  for (const auto& line : lines) out << line.dump() << "\n";
  return path;
}

nlohmann::json Line(const std::string& key, bool ambiguous) {
  nlohmann::json line = {{"key", key},
                         {"match", ambiguous ? "ambiguous" : "confirmed"},
                         {"record", {{"id", key}, {"note", "n"}}}};
  if (ambiguous) line["ambiguity"] = "matches phone; email differs";
  return line;
}

// Marks both tasks succeeded: the CRM found orders (3 lines, one ambiguous) and
// contacts (2 lines), the mailbox nothing; then settles the request (in review).
void StoreResults(testing::WorkflowFixture& f, const testing::PlannedRequest& planned) {
  const std::string orders =
      WriteSpool(f.dir, "orders.jsonl", {Line("1", false), Line("2", true), Line("3", false)});
  const std::string contacts =
      WriteSpool(f.dir, "contacts.jsonl", {Line("7", false), Line("8", false)});
  REQUIRE(f.store
              ->Write([&](store::StoreWriter& writer) -> Status {
                for (store::TaskRecord task : planned.tasks) {
                  task.status = store::TaskStatus::kSucceeded;
                  task.attempts = 1;
                  task.records = task.source == "crm" ? 5 : 0;
                  DSR_RETURN_IF_ERROR(writer.UpdateTask(task));
                  if (task.source != "crm") continue;
                  DSR_RETURN_IF_ERROR(writer.ReplaceResults(
                      task.id, {{task.id, "orders", 3, orders, "aa", 300},
                                {task.id, "contacts", 2, contacts, "bb", 200}}));
                }
                return Status::Ok();
              })
              .ok());
  REQUIRE(f.Actions().Settle(planned.request.id).ok());
}

bundle::BundleSummary Summary() {
  bundle::BundleSummary summary;
  summary.path = "/data/bundles/r.zip";
  summary.sha256 = std::string(64, 'c');
  summary.bytes = 4096;
  summary.files = 6;
  summary.records = 5;
  return summary;
}

}  // namespace

TEST_SUITE("Completion") {
  TEST_CASE(
      "BuildAccessAnswer lists every configured source in order and applies the latest decisions") {
    testing::WorkflowFixture f;
    const auto planned = f.Submit();
    StoreResults(f, planned);
    const std::string crm_task = planned.tasks.at(1).id;
    RequestActions actions = f.Actions();
    const std::string id = planned.request.id;
    REQUIRE(
        actions
            .Decide(id, {crm_task, "orders", 1, ReviewDecision::kInclude, {}, "same customer"}, "a")
            .ok());
    REQUIRE(
        actions
            .Decide(id, {crm_task, "orders", 1, ReviewDecision::kExclude, {}, "after all not"}, "a")
            .ok());
    REQUIRE(
        actions
            .Decide(id,
                    {crm_task, "orders", 2, ReviewDecision::kRedactFields, {"note"}, "third party"},
                    "a")
            .ok());
    REQUIRE(
        actions
            .Decide(id, {crm_task, "contacts", 0, ReviewDecision::kExclude, {}, "neighbour's"}, "a")
            .ok());

    auto answer = BuildAccessAnswer(*f.store, f.sources, id, CivilDate(2025, 3, 9));
    REQUIRE(answer.ok());
    CHECK(answer->bundle.request_id == id);
    CHECK(answer->bundle.answered_on == CivilDate(2025, 3, 9));
    REQUIRE(answer->bundle.sources.size() == 2);
    CHECK(answer->bundle.sources[0].name == "mail");
    CHECK(answer->bundle.sources[0].collections.empty());
    const auto& crm = answer->bundle.sources[1];
    REQUIRE(crm.collections.size() == 2);
    CHECK(crm.collections[0].name == "contacts");
    CHECK(crm.collections[0].excluded_lines == std::set<int64_t>{0});
    const auto& orders = crm.collections[1];
    CHECK(orders.records == 3);
    CHECK(orders.excluded_lines == std::set<int64_t>{1});  // the later decision counts
    CHECK(orders.accepted_lines.empty());
    CHECK(orders.redacted_fields.at(2) == std::set<std::string>{"note"});
    const auto& withheld = answer->withheld.at("crm");
    CHECK(withheld.other_people == 1);
    CHECK(withheld.uncertain == 1);
    CHECK(withheld.partly_redacted == 1);
    CHECK(bundle::RecordsToWrite(orders) == 2);
  }

  TEST_CASE("BuildAccessAnswer keeps a configured source that has no task") {
    testing::WorkflowFixture f;
    const auto planned = f.Submit();
    auto sources = f.sources;
    sources.push_back({"tickets", "Ticket system", "http"});
    auto answer = BuildAccessAnswer(*f.store, sources, planned.request.id, CivilDate(2025, 3, 9));
    REQUIRE(answer.ok());
    REQUIRE(answer->bundle.sources.size() == 3);
    CHECK(answer->bundle.sources[2].name == "tickets");
    CHECK(answer->bundle.sources[2].collections.empty());
  }

  TEST_CASE("CompleteRequest records the bundle and completes the request") {
    testing::WorkflowFixture f;
    const auto planned = f.Submit();
    StoreResults(f, planned);
    f.clock.Advance(std::chrono::hours(26));
    REQUIRE(CompleteRequest(*f.store, f.clock, planned.request.id, Summary()).ok());

    auto request = f.store->GetRequest(planned.request.id);
    REQUIRE(request.ok());
    CHECK(request->status == store::RequestStatus::kCompleted);
    CHECK(request->completed_at == std::optional<std::string>("2025-03-06T12:00:00.000Z"));
    CHECK(request->updated_at == "2025-03-06T12:00:00.000Z");
    REQUIRE(request->bundle.has_value());
    CHECK(request->bundle->path == "/data/bundles/r.zip");
    CHECK(request->bundle->sha256 == std::string(64, 'c'));
    CHECK(request->bundle->bytes == 4096);

    auto events = f.store->EventsOfRequest(planned.request.id);
    REQUIRE(events.ok());
    REQUIRE(events->size() == 5);
    CHECK(events->at(2).kind == "request.in_review");
    CHECK(events->at(3).kind == "bundle.built");
    const auto built = nlohmann::json::parse(events->at(3).details);
    CHECK(built.at("sha256") == std::string(64, 'c'));
    CHECK(built.at("bytes") == 4096);
    CHECK(built.at("files") == 6);
    CHECK(built.at("records") == 5);
    CHECK(events->at(4).kind == "request.completed");
    CHECK(store::VerifyAuditChain(*f.store).ok());
    CHECK(f.store->RequestsAwaitingBundle()->empty());
  }

  TEST_CASE("CompleteRequest refuses a request that is not in review") {
    testing::WorkflowFixture f;
    SUBCASE("still in progress") {
      const auto planned = f.Submit();
      CHECK(CompleteRequest(*f.store, f.clock, planned.request.id, Summary()).code() ==
            StatusCode::kConflict);
    }
    SUBCASE("already completed") {
      const auto planned = f.Submit();
      StoreResults(f, planned);
      REQUIRE(CompleteRequest(*f.store, f.clock, planned.request.id, Summary()).ok());
      const size_t events = f.store->EventsOfRequest(planned.request.id)->size();
      CHECK(CompleteRequest(*f.store, f.clock, planned.request.id, Summary()).code() ==
            StatusCode::kConflict);
      CHECK(f.store->EventsOfRequest(planned.request.id)->size() == events);
    }
    SUBCASE("only received") {
      store::RequestRecord request;
      request.id = "r-received";
      request.status = store::RequestStatus::kReceived;
      request.subject = {{"email", "a@example.org"}};
      request.language = "en";
      request.received_on = CivilDate(2025, 3, 5);
      request.due_on = CivilDate(2025, 4, 7);
      request.created_at = "2025-03-05T10:00:00.000Z";
      request.updated_at = request.created_at;
      REQUIRE(f.store->Write([&](store::StoreWriter& w) { return w.InsertRequest(request); }).ok());
      const Status refused = CompleteRequest(*f.store, f.clock, "r-received", Summary());
      CHECK(refused.code() == StatusCode::kConflict);
      CHECK(refused.message().find("received") != std::string::npos);
      auto stored = f.store->GetRequest("r-received");
      CHECK(stored->status == store::RequestStatus::kReceived);
      CHECK_FALSE(stored->bundle.has_value());
    }
    SUBCASE("unknown") {
      CHECK(CompleteRequest(*f.store, f.clock, "nope", Summary()).code() == StatusCode::kNotFound);
    }
  }
}

}  // namespace dsr::workflow
