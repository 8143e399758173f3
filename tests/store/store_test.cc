#include "coordinator/store/store.h"

#include <doctest/doctest.h>
#include <soci/soci.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "tests/store/store_location.h"
#include "tests/support/mariadb_server.h"

namespace dsr::store {
namespace {

RequestRecord SampleRequest(const std::string& id) {
  RequestRecord request;
  request.id = id;
  request.type = RequestType::kAccess;
  request.status = RequestStatus::kReceived;
  request.subject = {{"email", "jürgen.müller@example.org"}};
  request.language = "de";
  request.channel = "email";
  request.received_on = CivilDate(2025, 3, 5);
  request.due_on = CivilDate(2025, 4, 7);
  request.created_at = "2025-03-05T10:00:00.000Z";
  request.updated_at = request.created_at;
  return request;
}

TaskRecord SampleTask(const std::string& id, const std::string& request_id,
                      const std::string& source) {
  TaskRecord task;
  task.id = id;
  task.request_id = request_id;
  task.source = source;
  task.created_at = "2025-03-05T10:00:00.000Z";
  task.updated_at = task.created_at;
  return task;
}

EventRecord SampleEvent(const std::string& request_id, const std::string& kind) {
  EventRecord event;
  event.request_id = request_id;
  event.at = "2025-03-05T10:00:00.000Z";
  event.kind = kind;
  event.actor = "system";
  return event;
}

// Calls `attempt` until it returns ok, every 20 ms for at most 15 s (longer
// than the store's longest reconnect back-off); the last status.
template <typename Attempt>
Status UntilOk(Attempt&& attempt) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  Status status = attempt();
  while (!status.ok() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    status = attempt();
  }
  return status;
}

}  // namespace

TEST_SUITE("Store") {
  TEST_CASE("applies migrations once and reopens an existing store") {
    testing::StoreLocation location;
    {
      auto store = Store::Open(location.url(), 2);
      REQUIRE(store.ok());
      CHECK((*store)->schema_version() == 12);
    }
    auto reopened = Store::Open(location.url(), 1);
    REQUIRE(reopened.ok());
    CHECK((*reopened)->schema_version() == 12);
  }

  TEST_CASE("refuses an unsupported URL and an unreachable database") {
    testing::StoreLocation location;
    const auto unsupported = Store::Open("postgresql://db=x password=secret", 1);
    CHECK(unsupported.status().code() == StatusCode::kValidation);
    CHECK(unsupported.status().message().find("secret") == std::string::npos);
    CHECK(Store::Open(location.UnreachableUrl(), 1).status().code() == StatusCode::kUnavailable);
  }

  TEST_CASE("keeps requests, tasks and results with every field") {
    testing::StoreLocation location;
    auto store = std::move(Store::Open(location.url(), 2).value());
    RequestRecord request = SampleRequest("r1");
    REQUIRE(store
                ->Write([&](StoreWriter& w) {
                  DSR_RETURN_IF_ERROR(w.InsertRequest(request));
                  DSR_RETURN_IF_ERROR(w.InsertTask(SampleTask("t1", "r1", "crm")));
                  return w.InsertTask(SampleTask("t2", "r1", "mail"));
                })
                .ok());

    auto loaded = store->GetRequest("r1");
    REQUIRE(loaded.ok());
    CHECK(loaded->subject.at("email") == "jürgen.müller@example.org");
    CHECK(loaded->channel == std::optional<std::string>("email"));
    CHECK_FALSE(loaded->note.has_value());
    CHECK(loaded->due_on == CivilDate(2025, 4, 7));
    CHECK_FALSE(loaded->bundle.has_value());
    CHECK_FALSE(loaded->extended_due_on.has_value());
    CHECK(EffectiveDueOn(*loaded) == CivilDate(2025, 4, 7));

    request.status = RequestStatus::kCompleted;
    request.completed_at = "2025-03-06T09:00:00.000Z";
    request.bundle = BundleInfo{"/b.zip", "abc", 1234};
    request.extended_due_on = CivilDate(2025, 6, 9);
    request.extended_at = "2025-03-20T09:00:00.000Z";
    request.extension_reason = "Many sources to search.";
    request.extension_letter_path = "/letters/r1.extension.html";
    TaskRecord task = SampleTask("t1", "r1", "crm");
    task.status = TaskStatus::kSucceeded;
    task.attempts = 2;
    task.worker = "crm-1";
    task.records = 17;
    REQUIRE(store
                ->Write([&](StoreWriter& w) {
                  DSR_RETURN_IF_ERROR(w.UpdateRequest(request));
                  DSR_RETURN_IF_ERROR(w.UpdateTask(task));
                  return w.ReplaceResults("t1",
                                          {{"t1", "orders", 17, "/spool/orders.jsonl", "ff", 900}});
                })
                .ok());

    loaded = store->GetRequest("r1");
    CHECK(loaded->status == RequestStatus::kCompleted);
    REQUIRE(loaded->bundle.has_value());
    CHECK(loaded->bundle->bytes == 1234);
    CHECK(loaded->extended_due_on == std::optional<CivilDate>(CivilDate(2025, 6, 9)));
    CHECK(loaded->extended_at == std::optional<std::string>("2025-03-20T09:00:00.000Z"));
    CHECK(loaded->extension_reason == std::optional<std::string>("Many sources to search."));
    CHECK(loaded->extension_letter_path ==
          std::optional<std::string>("/letters/r1.extension.html"));
    CHECK(EffectiveDueOn(*loaded) == CivilDate(2025, 6, 9));
    auto tasks = store->TasksOfRequest("r1");
    REQUIRE(tasks.ok());
    REQUIRE(tasks->size() == 2);
    CHECK(tasks->at(0).source == "crm");
    CHECK(tasks->at(0).records == std::optional<int64_t>(17));
    CHECK(tasks->at(0).attempts == 2);
    CHECK_FALSE(tasks->at(0).retry_at.has_value());
    CHECK(tasks->at(1).status == TaskStatus::kPending);
    CHECK_FALSE(tasks->at(1).retry_at.has_value());
    // A task waiting out its back-off keeps its time; dispatching clears it.
    TaskRecord waiting = tasks->at(1);
    waiting.retry_at = "2025-03-06T09:00:04.000Z";
    REQUIRE(store->Write([&](StoreWriter& w) { return w.UpdateTask(waiting); }).ok());
    CHECK(store->GetTask(waiting.id)->retry_at == waiting.retry_at);
    waiting.retry_at.reset();
    REQUIRE(store->Write([&](StoreWriter& w) { return w.UpdateTask(waiting); }).ok());
    CHECK_FALSE(store->GetTask(waiting.id)->retry_at.has_value());
    auto results = store->ResultsOfRequest("r1");
    REQUIRE(results.ok());
    REQUIRE(results->size() == 1);
    CHECK(results->at(0).collection == "orders");
    CHECK(store->TasksWithStatus(TaskStatus::kPending)->size() == 1);
  }

  TEST_CASE("rolls back every change of a failed write") {
    testing::StoreLocation location;
    auto store = std::move(Store::Open(location.url(), 1).value());
    Status status = store->Write([&](StoreWriter& w) {
      DSR_RETURN_IF_ERROR(w.InsertRequest(SampleRequest("r1")));
      DSR_RETURN_IF_ERROR(w.AppendEvent(SampleEvent("r1", "request.received")));
      return w.InsertRequest(SampleRequest("r1"));  // duplicate key
    });
    CHECK_FALSE(status.ok());
    CHECK(store->GetRequest("r1").status().code() == StatusCode::kNotFound);
    CHECK(store->EventsAfter(0, 10)->empty());
    CHECK(
        store->Write([&](StoreWriter& w) { return w.UpdateTask(SampleTask("nope", "r1", "crm")); })
            .code() == StatusCode::kNotFound);
  }

  TEST_CASE("filters and pages the request list") {
    testing::StoreLocation location;
    auto store = std::move(Store::Open(location.url(), 1).value());
    REQUIRE(store
                ->Write([&](StoreWriter& w) {
                  for (int i = 0; i < 5; ++i) {
                    RequestRecord request = SampleRequest("r" + std::to_string(i));
                    if (i % 2 == 0) request.status = RequestStatus::kInProgress;
                    DSR_RETURN_IF_ERROR(w.InsertRequest(request));
                  }
                  return Status::Ok();
                })
                .ok());
    CHECK(store->ListRequests({})->size() == 5);
    CHECK(store->ListRequests({RequestStatus::kInProgress, 100, 0})->size() == 3);
    CHECK(store->ListRequests({std::nullopt, 2, 4})->size() == 1);
  }

  TEST_CASE("finds approved access requests without a bundle and requests with settled tasks") {
    testing::StoreLocation location;
    auto store = std::move(Store::Open(location.url(), 1).value());
    REQUIRE(store
                ->Write([&](StoreWriter& w) {
                  for (const char* id : {"approved", "reviewing", "working", "settled"}) {
                    RequestRecord request = SampleRequest(id);
                    const std::string name = id;
                    request.status = name == "approved" || name == "reviewing"
                                         ? RequestStatus::kInReview
                                         : RequestStatus::kInProgress;
                    if (name == "approved") request.approved_at = "2025-03-06T10:00:00.000Z";
                    DSR_RETURN_IF_ERROR(w.InsertRequest(request));
                    DSR_RETURN_IF_ERROR(w.UpdateRequest(request));
                    TaskRecord task = SampleTask(std::string("t-") + id, id, "crm");
                    task.status = name == "working" ? TaskStatus::kRunning : TaskStatus::kSucceeded;
                    DSR_RETURN_IF_ERROR(w.InsertTask(task));
                  }
                  return Status::Ok();
                })
                .ok());
    CHECK(*store->RequestsAwaitingBundle() == std::vector<std::string>{"approved"});
    CHECK(*store->RequestsWithSettledTasks() == std::vector<std::string>{"settled"});
  }

  TEST_CASE("keeps identity checks, pauses, outcomes, holds and review decisions") {
    testing::StoreLocation location;
    auto store = std::move(Store::Open(location.url(), 1).value());
    RequestRecord request = SampleRequest("r1");
    request.corrections = R"({"email":"new@example.org"})";
    HoldRecord hold{"h1",
                    "r1",
                    "crm",
                    "invoices",
                    CivilDate(2033, 12, 31),
                    "HGB §257",
                    {"17", "18"},
                    HoldStatus::kActive,
                    std::nullopt,
                    "2025-03-06T10:00:00.000Z"};
    REQUIRE(store
                ->Write([&](StoreWriter& w) {
                  DSR_RETURN_IF_ERROR(w.InsertRequest(request));
                  DSR_RETURN_IF_ERROR(w.InsertTask(SampleTask("t1", "r1", "crm")));
                  DSR_RETURN_IF_ERROR(
                      w.InsertIdentityCheck({"c1", "r1", "2025-03-05T11:00:00.000Z", "agent",
                                             "email_reply", "confirmed", std::nullopt}));
                  DSR_RETURN_IF_ERROR(w.InsertPause(
                      {"p1", "r1", CivilDate(2025, 3, 6), std::nullopt, "asked for ID", "agent"}));
                  DSR_RETURN_IF_ERROR(w.EndPause("r1", CivilDate(2025, 3, 9)));
                  DSR_RETURN_IF_ERROR(w.ReplaceOutcomes(
                      "t1", {{"t1", "customers", "anonymized", 1, std::nullopt, std::nullopt},
                             {"t1", "invoices", "retained", 2, CivilDate(2033, 12, 31), "HGB §257"},
                             {"t1", "orders", "not_applicable", 0, std::nullopt, std::nullopt,
                              "this table keeps none of the corrected attributes"}}));
                  DSR_RETURN_IF_ERROR(w.InsertHold(hold));
                  return w.InsertReviewDecision({"d1",
                                                 "r1",
                                                 "t1",
                                                 "orders",
                                                 3,
                                                 "88",
                                                 ReviewDecision::kRedactFields,
                                                 {"note"},
                                                 "names a neighbour",
                                                 "agent",
                                                 "2025-03-07T10:00:00.000Z"});
                })
                .ok());
    CHECK(store->GetRequest("r1")->corrections == request.corrections);
    CHECK(store->IdentityChecksOf("r1")->at(0).method == "email_reply");
    const auto pauses = *store->PausesOf("r1");
    REQUIRE(pauses.size() == 1);
    CHECK(pauses[0].ended_on == std::optional<CivilDate>(CivilDate(2025, 3, 9)));
    CHECK(store->Write([](StoreWriter& w) { return w.EndPause("r1", CivilDate(2025, 3, 10)); })
              .code() == StatusCode::kConflict);
    const auto outcomes = *store->OutcomesOfRequest("r1");
    REQUIRE(outcomes.size() == 3);
    CHECK(outcomes[1].retained_until == std::optional<CivilDate>(CivilDate(2033, 12, 31)));
    CHECK_FALSE(outcomes[1].note.has_value());
    CHECK(outcomes[2].note == "this table keeps none of the corrected attributes");
    CHECK(store->ListHolds({})->at(0).keys == std::vector<std::string>{"17", "18"});
    CHECK(store->HoldsEndedBefore(CivilDate(2033, 12, 31))->empty());
    CHECK(store->HoldsEndedBefore(CivilDate(2034, 1, 1))->size() == 1);
    hold.status = HoldStatus::kEnded;
    hold.follow_up_request_id = "r2";
    REQUIRE(store->Write([&](StoreWriter& w) { return w.UpdateHold(hold); }).ok());
    CHECK(store->HoldsEndedBefore(CivilDate(2034, 1, 1))->empty());
    CHECK(store->ListHolds({HoldStatus::kEnded, std::nullopt, 10})->at(0).follow_up_request_id ==
          std::optional<std::string>("r2"));
    const auto decisions = *store->ReviewDecisionsOf("r1");
    REQUIRE(decisions.size() == 1);
    CHECK(decisions[0].fields == std::vector<std::string>{"note"});
    CHECK(decisions[0].decision == ReviewDecision::kRedactFields);
  }

  TEST_CASE("queues a notification once per event and channel, and finds the due ones") {
    testing::StoreLocation location;
    auto store = std::move(Store::Open(location.url(), 2).value());
    REQUIRE(store->Write([](StoreWriter& w) { return w.InsertRequest(SampleRequest("r1")); }).ok());
    NotificationRecord email;
    email.id = "n1";
    email.event_key = "reminder:r1:2025-04-07:7";
    email.channel = "email";
    email.kind = "reminder";
    email.request_id = "r1";
    email.payload = R"({"days_left":7})";
    email.next_attempt_at = "2025-03-31T08:00:00.000Z";
    email.created_at = email.next_attempt_at;
    NotificationRecord webhook = email;
    webhook.id = "n2";
    webhook.channel = "webhook";
    NotificationRecord again = email;
    again.id = "n3";
    std::vector<bool> queued;
    REQUIRE(store
                ->Write([&](StoreWriter& w) -> Status {
                  for (const auto& n : {email, webhook, again}) {
                    auto result = w.QueueNotification(n);
                    if (!result.ok()) return result.status();
                    queued.push_back(*result);
                  }
                  return Status::Ok();
                })
                .ok());
    CHECK(queued == std::vector<bool>{true, true, false});
    CHECK(store->NotificationsDue("2025-03-31T07:59:59.999Z", 10)->empty());
    auto due = store->NotificationsDue("2025-03-31T08:00:00.000Z", 10);
    REQUIRE(due.ok());
    REQUIRE(due->size() == 2);
    CHECK(due->at(0).payload == R"({"days_left":7})");
    CHECK(due->at(0).status == NotificationStatus::kPending);

    NotificationRecord sent = due->at(0);
    sent.status = NotificationStatus::kSent;
    sent.attempts = 2;
    sent.last_error = "451 try again later";
    sent.sent_at = "2025-03-31T08:03:00.000Z";
    REQUIRE(store->Write([&](StoreWriter& w) { return w.UpdateNotification(sent); }).ok());
    due = store->NotificationsDue("2025-04-01T00:00:00.000Z", 10);
    REQUIRE(due.ok());
    REQUIRE(due->size() == 1);
    CHECK(due->at(0).id != sent.id);
    auto listed = store->ListNotifications({std::string("r1"), 10});
    REQUIRE(listed.ok());
    REQUIRE(listed->size() == 2);
    for (const auto& n : *listed) {
      if (n.id != sent.id) continue;
      CHECK(n.attempts == 2);
      CHECK(n.sent_at == sent.sent_at);
      CHECK(n.last_error == sent.last_error);
    }
  }

  TEST_CASE("chains audit events and detects a changed or removed event") {
    testing::StoreLocation location;
    auto store = std::move(Store::Open(location.url(), 1).value());
    REQUIRE(
        store
            ->Write([&](StoreWriter& w) {
              DSR_RETURN_IF_ERROR(w.InsertRequest(SampleRequest("r1")));
              for (const char* kind : {"request.received", "request.planned", "task.dispatched"}) {
                DSR_RETURN_IF_ERROR(w.AppendEvent(SampleEvent("r1", kind)));
              }
              return Status::Ok();
            })
            .ok());
    auto events = store->EventsOfRequest("r1");
    REQUIRE(events->size() == 3);
    CHECK(events->at(0).prev_hash == kGenesisHash);
    CHECK(events->at(1).prev_hash == events->at(0).hash);
    CHECK(VerifyAuditChain(*store).ok());

    soci::session raw(location.url());
    SUBCASE("changed") {
      raw << "UPDATE events SET details = '{\"x\":1}' WHERE seq = 2";
      CHECK(VerifyAuditChain(*store).message().find("event 2") != std::string::npos);
    }
    SUBCASE("removed") {
      raw << "DELETE FROM events WHERE seq = 2";
      CHECK(VerifyAuditChain(*store).message().find("event 3") != std::string::npos);
    }
  }

  TEST_CASE("answers the queries of reports, letters and the audit trail") {
    testing::StoreLocation location;
    auto store = std::move(Store::Open(location.url(), 1).value());
    // received on 5 March + n; closed, extended or still open
    auto make = [](int n, RequestStatus status) {
      RequestRecord request = SampleRequest("r" + std::to_string(n));
      request.status = status;
      request.received_on = CivilDate(2025, 3, 5 + n);
      request.created_at = "2025-03-0" + std::to_string(5 + n) + "T10:00:00.000Z";
      return request;
    };
    std::vector<RequestRecord> requests = {
        make(0, RequestStatus::kInProgress), make(1, RequestStatus::kCompleted),
        make(2, RequestStatus::kRejected), make(3, RequestStatus::kReceived),
        make(4, RequestStatus::kCancelled)};
    requests[1].type = RequestType::kErasure;
    requests[1].completed_at = "2025-04-01T00:00:00.000Z";
    requests[2].completed_at = "2025-03-31T23:59:59.999Z";
    requests[4].completed_at = "2025-04-02T10:00:00.000Z";
    requests[3].extended_due_on = CivilDate(2025, 6, 9);
    requests[3].extended_at = "2025-03-20T09:00:00.000Z";
    TaskRecord failed = SampleTask("t0", "r0", "crm");
    failed.status = TaskStatus::kFailed;
    TaskRecord failed_of_closed = SampleTask("t1", "r1", "crm");
    failed_of_closed.status = TaskStatus::kFailed;
    REQUIRE(store
                ->Write([&](StoreWriter& w) {
                  for (const auto& request : requests) {
                    DSR_RETURN_IF_ERROR(w.InsertRequest(request));
                    DSR_RETURN_IF_ERROR(w.UpdateRequest(request));
                    DSR_RETURN_IF_ERROR(w.AppendEvent(SampleEvent(request.id, "request.received")));
                  }
                  DSR_RETURN_IF_ERROR(w.InsertTask(failed));
                  return w.InsertTask(failed_of_closed);
                })
                .ok());
    auto ids = [](const Result<std::vector<RequestRecord>>& records) {
      REQUIRE(records.ok());
      std::vector<std::string> found;
      for (const auto& record : *records) found.push_back(record.id);
      return found;
    };
    CHECK(ids(store->OpenRequests()) == std::vector<std::string>{"r0", "r3"});
    const auto failed_tasks = store->FailedTasksOfOpenRequests();
    REQUIRE(failed_tasks.ok());
    REQUIRE(failed_tasks->size() == 1);
    CHECK(failed_tasks->at(0).id == "t0");
    CHECK(ids(store->RequestsReceivedBetween(CivilDate(2025, 3, 6), CivilDate(2025, 3, 8))) ==
          std::vector<std::string>{"r1", "r2", "r3"});
    CHECK(
        ids(store->RequestsClosedBetween("2025-03-31T00:00:00.000Z", "2025-04-02T10:00:00.000Z")) ==
        std::vector<std::string>{"r2", "r1"});
    CHECK(ids(store->RequestsExtendedBetween("2025-03-20T00:00:00.000Z",
                                             "2025-03-21T00:00:00.000Z")) ==
          std::vector<std::string>{"r3"});
    CHECK(
        ids(store->RequestsExtendedBetween("2025-03-21T00:00:00.000Z", "2025-04-01T00:00:00.000Z"))
            .empty());
    CHECK(*store->RequestsAwaitingLetter() == std::vector<std::string>{"r1", "r2"});
    CHECK(*store->RequestsAwaitingExtensionLetter() == std::vector<std::string>{"r3"});
    const auto first = store->EventsAfter(0, 2);
    REQUIRE(first.ok());
    REQUIRE(first->size() == 2);
    const auto rest = store->EventsAfter(first->back().seq, 10);
    REQUIRE(rest.ok());
    REQUIRE(rest->size() == 3);
    CHECK(rest->at(0).request_id == std::optional<std::string>("r2"));
  }

  TEST_CASE("compares text byte for byte and keeps text longer than 64 KB") {
    testing::StoreLocation location;
    auto store = std::move(Store::Open(location.url(), 1).value());
    RequestRecord upper = SampleRequest("R1");
    upper.status = RequestStatus::kInProgress;
    HoldRecord hold{"h1",
                    "r1",
                    "crm",
                    "invoices",
                    CivilDate(2033, 12, 31),
                    "HGB §257",
                    {},
                    HoldStatus::kActive,
                    std::nullopt,
                    "2025-03-06T10:00:00.000Z"};
    for (int key = 0; key < 20000; ++key) hold.keys.push_back("invoice-" + std::to_string(key));
    // Ids differing in case only are two requests, as on SQLite; a
    // case-insensitive collation would call the second a duplicate.
    REQUIRE(store
                ->Write([&](StoreWriter& w) {
                  DSR_RETURN_IF_ERROR(w.InsertRequest(SampleRequest("r1")));
                  DSR_RETURN_IF_ERROR(w.InsertRequest(upper));
                  return w.InsertHold(hold);
                })
                .ok());
    CHECK(store->GetRequest("R1")->status == RequestStatus::kInProgress);
    CHECK(store->GetRequest("r1")->status == RequestStatus::kReceived);
    const auto holds = store->ListHolds({});
    REQUIRE(holds.ok());
    REQUIRE(holds->size() == 1);
    CHECK(holds->at(0).keys == hold.keys);
  }

  TEST_CASE("keeps one audit chain when two stores write to one database") {
    // As when a second coordinator is started on the same store by mistake.
    testing::StoreLocation location;
    auto first = std::move(Store::Open(location.url(), 1).value());
    auto second = std::move(Store::Open(location.url(), 1).value());
    std::atomic<int> failures{0};
    auto write_events = [&failures](Store& store, const std::string& prefix) {
      for (int i = 0; i < 40; ++i) {
        const std::string id = prefix + std::to_string(i);
        Status written = store.Write([&](StoreWriter& w) {
          DSR_RETURN_IF_ERROR(w.InsertRequest(SampleRequest(id)));
          DSR_RETURN_IF_ERROR(w.AppendEvent(SampleEvent(id, "request.received")));
          return w.AppendEvent(SampleEvent(id, "request.planned"));
        });
        if (!written.ok()) ++failures;
      }
    };
    std::thread other([&] { write_events(*second, "b"); });
    write_events(*first, "a");
    other.join();
    CHECK(failures == 0);
    CHECK(first->EventsAfter(0, 1000)->size() == 160);
    CHECK(VerifyAuditChain(*first).ok());
  }

  TEST_CASE("serves reads from other threads while the writer commits") {
    testing::StoreLocation location;
    auto store = std::move(Store::Open(location.url(), 3).value());
    std::atomic<bool> done{false};
    std::atomic<int> read_failures{0};
    std::vector<std::thread> readers;
    for (int r = 0; r < 3; ++r) {
      readers.emplace_back([&] {
        while (!done) {
          if (!store->ListRequests({}).ok()) ++read_failures;
        }
      });
    }
    for (int i = 0; i < 200; ++i) {
      REQUIRE(store
                  ->Write([&](StoreWriter& w) {
                    DSR_RETURN_IF_ERROR(w.InsertRequest(SampleRequest("r" + std::to_string(i))));
                    return w.AppendEvent(SampleEvent("r" + std::to_string(i), "request.received"));
                  })
                  .ok());
    }
    done = true;
    for (auto& reader : readers) reader.join();
    CHECK(read_failures == 0);
    CHECK(VerifyAuditChain(*store).ok());
  }

  TEST_CASE("survives a restart of the MariaDB server without being reopened") {
    if (testing::StoreLocation::BackendOfThisRun() != "mariadb") return;
    // The executable's one server: it is up again when this test ends, and no
    // other test keeps a store open across test cases.
    testing::MariaDbServer& server = testing::MariaDbServer::Shared();
    const std::string database = server.CreateOwnedDatabase("restart");
    auto store = std::move(Store::Open(server.ConnectionString(database), 2).value());
    auto write_request = [&store](const std::string& id) {
      return store->Write([&](StoreWriter& w) {
        DSR_RETURN_IF_ERROR(w.InsertRequest(SampleRequest(id)));
        return w.AppendEvent(SampleEvent(id, "request.received"));
      });
    };
    REQUIRE(write_request("before").ok());
    REQUIRE(store->GetRequest("before").ok());

    server.Stop();
    auto read_while_down = store->GetRequest("before");
    CHECK(read_while_down.status().code() == StatusCode::kUnavailable);
    CHECK(write_request("while-down").code() == StatusCode::kUnavailable);
    // Still down: the next calls fail at once too, they do not wait.
    CHECK(store->ListRequests({}).status().code() == StatusCode::kUnavailable);
    CHECK(write_request("while-down").code() == StatusCode::kUnavailable);

    REQUIRE(server.StartAgain().ok());
    CHECK(UntilOk([&] { return store->GetRequest("before").status(); }).ok());
    CHECK(UntilOk([&] { return write_request("after"); }).ok());
    // Every pooled reader reconnects, not only the first one used.
    for (int i = 0; i < 4; ++i) CHECK(store->ListRequests({}).ok());

    auto requests = store->ListRequests({});
    REQUIRE(requests.ok());
    REQUIRE(requests->size() == 2);
    CHECK(store->GetRequest("before")->subject == SampleRequest("before").subject);
    CHECK(store->GetRequest("after").ok());
    CHECK(store->GetRequest("while-down").status().code() == StatusCode::kNotFound);
    CHECK(store->EventsAfter(0, 10)->size() == 2);
    CHECK(VerifyAuditChain(*store).ok());
    // Rows seen without the store's sessions.
    CHECK(server.Query(database, "SELECT id FROM requests ORDER BY id").size() == 2);
  }
}
}  // namespace dsr::store

namespace dsr::store {

TEST_SUITE("Store") {
  TEST_CASE("personal columns are sealed, purged, and resealed with a new key") {
    testing::StoreLocation location;
    const auto old_key = std::make_shared<const DataKeyring>(
        std::move(DataKeyring::FromKeys({std::string(32, 'o')}).value()));
    auto store = std::move(Store::Open(location.url(), 2, old_key).value());
    RequestRecord request = SampleRequest("r1");
    request.note = "she called from 0171 2345678";
    request.corrections = R"({"email":"new@example.org"})";
    REQUIRE(
        store
            ->Write([&](StoreWriter& writer) -> Status {
              DSR_RETURN_IF_ERROR(writer.InsertRequest(request));
              PauseRecord pause{
                  "p1",   "r1", CivilDate(2025, 3, 6), std::nullopt, "asked for her new address",
                  "agent"};
              DSR_RETURN_IF_ERROR(writer.InsertPause(pause));
              IdentityCheckRecord check{
                  "c1",          "r1",        "2025-03-06T10:00:00.000Z", "agent",
                  "id_document", "confirmed", "passport of Jürgen Müller"};
              DSR_RETURN_IF_ERROR(writer.InsertIdentityCheck(check));
              request.status = RequestStatus::kCompleted;
              request.completed_at = "2025-03-10T10:00:00.000Z";
              request.closing_reason = "Jürgen withdrew it";
              return writer.UpdateRequest(request);
            })
            .ok());

    // Read back through the key, and not at all without it.
    auto read = store->GetRequest("r1");
    REQUIRE(read.ok());
    CHECK(read->subject.at("email") == "jürgen.müller@example.org");
    CHECK(read->note == request.note);
    CHECK(read->closing_reason == request.closing_reason);
    CHECK(store->PausesOf("r1")->at(0).reason == "asked for her new address");
    CHECK(store->IdentityChecksOf("r1")->at(0).note == "passport of Jürgen Müller");
    auto keyless = std::move(Store::Open(location.url(), 1).value());
    auto refused = keyless->GetRequest("r1");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.status().message().find("sealed") != std::string::npos);
    CHECK(refused.status().message().find("jürgen") == std::string::npos);
    CHECK_FALSE(keyless->PausesOf("r1").ok());

    SUBCASE("rotation: resealed with the new key, the old one can go") {
      const auto rotated = std::make_shared<const DataKeyring>(
          std::move(DataKeyring::FromKeys({std::string(32, 'n'), std::string(32, 'o')}).value()));
      store.reset();
      auto reopened = std::move(Store::Open(location.url(), 1, rotated).value());
      auto resealed = reopened->ResealFields();
      REQUIRE(resealed.ok());
      CHECK(*resealed == 6);  // subject, note, corrections, closing reason, pause, check
      CHECK(*reopened->ResealFields() == 0);
      const auto new_only = std::make_shared<const DataKeyring>(
          std::move(DataKeyring::FromKeys({std::string(32, 'n')}).value()));
      auto with_new_key = std::move(Store::Open(location.url(), 1, new_only).value());
      CHECK(with_new_key->GetRequest("r1")->note == request.note);
      CHECK(with_new_key->IdentityChecksOf("r1")->at(0).note == "passport of Jürgen Müller");
    }
    SUBCASE("purge: closed long enough, then cleared but for the skeleton") {
      CHECK(store->RequestsDueForPurge("2025-03-10T10:00:00.000Z", 10)->empty());
      const auto due = *store->RequestsDueForPurge("2025-04-10T00:00:00.000Z", 10);
      REQUIRE(due == std::vector<std::string>{"r1"});
      REQUIRE(store
                  ->Write([](StoreWriter& writer) {
                    return writer.PurgeRequest("r1", "2025-04-10T00:00:00.000Z", false);
                  })
                  .ok());
      REQUIRE(store->CompactAfterPurge().ok());
      CHECK(store->RequestsDueForPurge("2025-04-10T00:00:00.000Z", 10)->empty());
      // Nothing sealed is left: the keyless store reads the skeleton.
      auto skeleton = keyless->GetRequest("r1");
      REQUIRE(skeleton.ok());
      CHECK(skeleton->subject.empty());
      CHECK_FALSE(skeleton->note);
      CHECK_FALSE(skeleton->corrections);
      CHECK_FALSE(skeleton->closing_reason);
      CHECK(skeleton->purged_at == std::optional<std::string>("2025-04-10T00:00:00.000Z"));
      CHECK(skeleton->status == RequestStatus::kCompleted);
      CHECK(keyless->PausesOf("r1")->at(0).reason.empty());
      CHECK_FALSE(keyless->IdentityChecksOf("r1")->at(0).note);
    }
  }
}

}  // namespace dsr::store
