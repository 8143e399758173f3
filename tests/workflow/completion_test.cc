#include "coordinator/workflow/completion.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/workflow/workflow_fixture.h"

namespace dsr::workflow {
namespace {

const ControllerSettings kController{"Beispiel Versand GmbH", "datenschutz@example.com", "de"};

// Marks both tasks succeeded with results: the CRM found two collections, the mailbox nothing.
void StoreResults(store::Store& store, const PlannedRequest& planned) {
  REQUIRE(store
              .Write([&](store::StoreWriter& writer) -> Status {
                for (store::TaskRecord task : planned.tasks) {
                  task.status = store::TaskStatus::kSucceeded;
                  task.attempts = 1;
                  task.records = task.source == "crm" ? 5 : 0;
                  DSR_RETURN_IF_ERROR(writer.UpdateTask(task));
                  if (task.source != "crm") continue;
                  DSR_RETURN_IF_ERROR(writer.ReplaceResults(
                      task.id, {{task.id, "orders", 3, "/spool/orders.jsonl", "aa", 300},
                                {task.id, "contacts", 2, "/spool/contacts.jsonl", "bb", 200}}));
                }
                return Status::Ok();
              })
              .ok());
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
  TEST_CASE("BundleInputFor lists every configured source in order with its collections") {
    testing::WorkflowFixture f;
    const auto planned = f.Submit();
    StoreResults(*f.store, planned);

    auto input =
        BundleInputFor(*f.store, kController, f.sources, planned.request.id, CivilDate(2025, 3, 9));
    REQUIRE(input.ok());
    CHECK(input->letter.request_id == planned.request.id);
    CHECK(input->letter.language == "de");
    CHECK(input->letter.received_on == CivilDate(2025, 3, 5));
    CHECK(input->letter.answered_on == CivilDate(2025, 3, 9));
    CHECK(input->letter.controller_name == "Beispiel Versand GmbH");
    CHECK(input->letter.controller_contact == "datenschutz@example.com");

    REQUIRE(input->sources.size() == 2);
    const auto& mail = input->sources[0];
    CHECK(mail.name == "mail");
    CHECK(mail.title == "Support mailbox");
    CHECK(mail.collections.empty());
    const auto& crm = input->sources[1];
    CHECK(crm.name == "crm");
    CHECK(crm.title == "Customer database (CRM)");
    REQUIRE(crm.collections.size() == 2);
    CHECK(crm.collections[0].name == "contacts");
    CHECK(crm.collections[0].records_path == "/spool/contacts.jsonl");
    CHECK(crm.collections[0].records == 2);
    CHECK(crm.collections[1].name == "orders");
    CHECK(crm.collections[1].records == 3);
  }

  TEST_CASE(
      "BundleInputFor keeps a configured source that has no task, and fails for an "
      "unknown request") {
    testing::WorkflowFixture f;
    const auto planned = f.Submit();
    auto sources = f.sources;
    sources.push_back({"tickets", "Ticket system", "http"});
    auto input =
        BundleInputFor(*f.store, kController, sources, planned.request.id, CivilDate(2025, 3, 9));
    REQUIRE(input.ok());
    REQUIRE(input->sources.size() == 3);
    CHECK(input->sources[2].name == "tickets");
    CHECK(input->sources[2].collections.empty());
    CHECK(BundleInputFor(*f.store, kController, f.sources, "no-such-request", CivilDate(2025, 3, 9))
              .status()
              .code() == StatusCode::kNotFound);
  }

  TEST_CASE("CompleteRequest records the bundle and completes the request") {
    testing::WorkflowFixture f;
    const auto planned = f.Submit();
    StoreResults(*f.store, planned);
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
    REQUIRE(events->size() == 4);
    CHECK(events->at(2).kind == "bundle.built");
    const auto built = nlohmann::json::parse(events->at(2).details);
    CHECK(built.at("sha256") == std::string(64, 'c'));
    CHECK(built.at("bytes") == 4096);
    CHECK(built.at("files") == 6);
    CHECK(built.at("records") == 5);
    CHECK(events->at(3).kind == "request.completed");
    CHECK(store::VerifyAuditChain(*f.store).ok());
    CHECK(f.store->RequestsAwaitingBundle()->empty());
  }

  TEST_CASE("CompleteRequest refuses a request that is not in progress") {
    testing::WorkflowFixture f;
    SUBCASE("already completed") {
      const auto planned = f.Submit();
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
