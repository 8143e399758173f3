// A store filled with requests at known dates, for the dashboard and report
// tests. Today is Wednesday 2025-06-18 in Europe/Berlin (UTC+2 in summer);
// the figures each test expects are worked out by hand next to the data.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "coordinator/store/store.h"
#include "tests/support/temp_dir.h"

namespace dsr::reporting::testing {

inline const CivilDate kToday(2025, 6, 18);

struct ReportingFixture {
  dsr::testing::TempDir dir;
  std::unique_ptr<store::Store> store;

  ReportingFixture() {
    REQUIRE(UseTimeZone("Europe/Berlin").ok());
    auto opened = store::Store::Open("sqlite3://db=" + dir.File("dsr.db") + " timeout=5", 2);
    REQUIRE(opened.ok());
    store = std::move(opened.value());
    Fill();
  }

  static store::RequestRecord Request(const std::string& id, store::RequestType type,
                                      store::RequestStatus status, CivilDate received,
                                      CivilDate due) {
    store::RequestRecord request;
    request.id = id;
    request.type = type;
    request.status = status;
    request.subject = {{"email", id + "@example.org"}};
    request.language = "de";
    request.channel = "email";
    request.received_on = received;
    request.due_on = due;
    request.created_at = received.ToString() + "T08:00:00.000Z";
    request.updated_at = request.created_at;
    return request;
  }

  void Add(store::RequestRecord request, std::optional<std::string> completed_at = std::nullopt) {
    request.completed_at = std::move(completed_at);
    REQUIRE(store
                ->Write([&](store::StoreWriter& writer) {
                  DSR_RETURN_IF_ERROR(writer.InsertRequest(request));
                  return writer.UpdateRequest(request);
                })
                .ok());
  }

  void AddTask(const std::string& id, const std::string& request_id, const std::string& source,
               store::TaskStatus status) {
    store::TaskRecord task;
    task.id = id;
    task.request_id = request_id;
    task.source = source;
    task.status = status;
    task.created_at = "2025-06-01T08:00:00.000Z";
    task.updated_at = task.created_at;
    REQUIRE(store->Write([&](store::StoreWriter& writer) { return writer.InsertTask(task); }).ok());
  }

  void AddEvent(const std::string& request_id, const std::string& at, const std::string& kind,
                const std::string& details = "{}") {
    store::EventRecord event;
    event.request_id = request_id;
    event.at = at;
    event.kind = kind;
    event.actor = "system";
    event.details = details;
    REQUIRE(
        store->Write([&](store::StoreWriter& writer) { return writer.AppendEvent(event); }).ok());
  }

  void Fill() {
    using store::RequestStatus;
    using store::RequestType;
    using store::TaskStatus;
    // Open requests (today 2025-06-18, Sunday 2025-06-22, due soon within 7 days).
    // o1: due Fri 06-20, 2 days left: due this week, due soon.
    Add(Request("o1", RequestType::kAccess, RequestStatus::kInProgress, {2025, 5, 20},
                {2025, 6, 20}));
    // o2: due 06-10, 8 days overdue.
    Add(Request("o2", RequestType::kErasure, RequestStatus::kAwaitingIdentity, {2025, 5, 8},
                {2025, 6, 10}));
    // o3: due Sunday 06-22: due this week (inclusive), due soon.
    Add(Request("o3", RequestType::kRectification, RequestStatus::kInReview, {2025, 5, 22},
                {2025, 6, 22}));
    // o4: due 07-15, on track; received after the period.
    Add(Request("o4", RequestType::kAccess, RequestStatus::kReceived, {2025, 6, 16},
                {2025, 7, 15}));
    // o5: paused since 06-01 with 24 days left then: on track, clock paused.
    auto o5 = Request("o5", RequestType::kAccess, RequestStatus::kAwaitingIdentity, {2025, 5, 25},
                      {2025, 6, 25});
    o5.paused_since = CivilDate(2025, 6, 1);
    Add(o5);
    // o6: due Monday 06-23, 5 days left: due soon, not this week.
    Add(Request("o6", RequestType::kErasure, RequestStatus::kInProgress, {2025, 5, 23},
                {2025, 6, 23}));
    // o7: deadline extended (Art. 12(3)) on 05-20, before its first due date
    // Thu 05-22, to Tue 07-22: on track today, though overdue by its first
    // date. Received before the period and open: in the report only for its
    // extension. The reason holds what CSV and HTML must escape.
    auto o7 = Request("o7", RequestType::kAccess, RequestStatus::kInProgress, {2025, 4, 22},
                      {2025, 5, 22});
    o7.extended_due_on = CivilDate(2025, 7, 22);
    o7.extended_at = "2025-05-20T09:00:00.000Z";
    o7.extension_reason = "12 Quellen, \"Altarchiv\" & <Band>";
    Add(o7);

    // Tasks: crm fails o1, o2 and twice o6; mail fails o1.
    AddTask("t-o1-crm", "o1", "crm", TaskStatus::kFailed);
    AddTask("t-o1-mail", "o1", "mail", TaskStatus::kFailed);
    AddTask("t-o1-files", "o1", "files", TaskStatus::kSucceeded);
    AddTask("t-o2-crm", "o2", "crm", TaskStatus::kFailed);
    AddTask("t-o6-crm-1", "o6", "crm", TaskStatus::kFailed);
    AddTask("t-o6-crm-2", "o6", "crm", TaskStatus::kFailed);
    AddTask("t-o6-tickets", "o6", "tickets", TaskStatus::kRunning);

    // Closed requests; the period of most tests is 2025-05-01 .. 2025-06-15.
    // c1: answered 05-20 after 18 days, on time.
    Add(Request("c1", RequestType::kAccess, RequestStatus::kCompleted, {2025, 5, 2}, {2025, 6, 2}),
        "2025-05-20T10:00:00.000Z");
    // c2: answered 00:30 on 06-05 in Berlin (still 06-04 in UTC): 31 days, on
    // its due date, so on time.
    Add(Request("c2", RequestType::kErasure, RequestStatus::kCompleted, {2025, 5, 5}, {2025, 6, 5}),
        "2025-06-04T22:30:00.000Z");
    // c3: received 04-10, due 05-12, answered 05-30: 50 days, 18 days late;
    // crm failed twice, the clock was paused 4 days, 19 days in review.
    auto c3 = Request("c3", RequestType::kAccess, RequestStatus::kCompleted, {2025, 4, 10},
                      {2025, 5, 12});
    c3.paused_days = 4;
    Add(c3, "2025-05-30T08:00:00.000Z");
    AddEvent("c3", "2025-04-11T08:00:00.000Z", "task.failed",
             R"({"code":"unavailable","source":"crm","task_id":"t-c3","attempt":3})");
    AddEvent("c3", "2025-04-20T08:00:00.000Z", "task.failed",
             R"({"code":"unavailable","source":"crm","task_id":"t-c3","attempt":3})");
    AddEvent("c3", "2025-05-10T09:00:00.000Z", "request.in_review");
    AddEvent("c3", "2025-05-29T09:00:00.000Z", "request.approved");
    AddEvent("c3", "2025-05-30T08:00:00.000Z", "request.completed");
    AddTask("t-c3", "c3", "crm", TaskStatus::kFailed);  // closed: not a failing source today
    // c4: refused 05-12 after 2 days, on time.
    auto c4 =
        Request("c4", RequestType::kAccess, RequestStatus::kRejected, {2025, 5, 10}, {2025, 6, 10});
    c4.closing_ground = "manifestly_unfounded";
    c4.closing_reason = "Dritte identische Anfrage <b>binnen</b> einer Woche";
    Add(c4, "2025-05-12T12:00:00.000Z");
    // c5: withdrawn 05-16: cancelled, not answered.
    auto c5 = Request("c5", RequestType::kErasure, RequestStatus::kCancelled, {2025, 5, 15},
                      {2025, 6, 16});
    c5.closing_reason = "withdrawn by phone";
    Add(c5, "2025-05-16T09:00:00.000Z");
    // c6: received and answered before the period.
    Add(Request("c6", RequestType::kAccess, RequestStatus::kCompleted, {2025, 3, 1}, {2025, 4, 1}),
        "2025-04-20T10:00:00.000Z");
    // c7: received in the period, answered 06-16, after it.
    Add(Request("c7", RequestType::kAccess, RequestStatus::kCompleted, {2025, 5, 20},
                {2025, 6, 20}),
        "2025-06-16T10:00:00.000Z");
    // c9: received Fri 04-04, first due Mon 05-05 (05-04 is a Sunday);
    // extended at 00:30 on 05-01 in Berlin (still 04-30 in UTC) to Fri 07-04
    // (05-04 plus two months); answered 05-08 after 34 days: after its first
    // due date, on time by the extended one.
    auto c9 =
        Request("c9", RequestType::kAccess, RequestStatus::kCompleted, {2025, 4, 4}, {2025, 5, 5});
    c9.extended_due_on = CivilDate(2025, 7, 4);
    c9.extended_at = "2025-04-30T22:30:00.000Z";
    c9.extension_reason = "Archivdaten auf Band";
    Add(c9, "2025-05-08T10:00:00.000Z");
    // c8: answered 23:59:59 on 06-15 in Berlin, the period's last day: 21 days.
    Add(Request("c8", RequestType::kRectification, RequestStatus::kCompleted, {2025, 5, 25},
                {2025, 6, 25}),
        "2025-06-15T21:59:59.000Z");
  }
};

}  // namespace dsr::reporting::testing
