#include "coordinator/workflow/request_actions.h"

#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/workflow/workflow_fixture.h"

namespace dsr::workflow {
namespace {

using store::RequestStatus;
using store::ReviewDecision;
using store::TaskStatus;

struct ActionsFixture : testing::WorkflowFixture {
  RequestActions actions = Actions();

  store::RequestRecord Request(const std::string& id) {
    auto request = store->GetRequest(id);
    REQUIRE(request.ok());
    return *request;
  }

  std::vector<store::TaskRecord> Tasks(const std::string& id) {
    auto tasks = store->TasksOfRequest(id);
    REQUIRE(tasks.ok());
    return *tasks;
  }

  std::string LastEventKind(const std::string& id) {
    auto events = store->EventsOfRequest(id);
    REQUIRE(events.ok());
    REQUIRE_FALSE(events->empty());
    return events->back().kind;
  }

  // Marks `task` succeeded with `lines` (record envelopes) as its spool of `collection`.
  void Succeed(const store::TaskRecord& task, const std::string& collection,
               const std::vector<nlohmann::json>& lines) {
    const std::string path = dir.File(task.id + "-" + collection + ".jsonl");
    std::ofstream out(path);
    for (const auto& line : lines) out << line.dump() << "\n";
    out.close();
    REQUIRE(store
                ->Write([&](store::StoreWriter& writer) {
                  store::TaskRecord done = task;
                  done.status = TaskStatus::kSucceeded;
                  done.records = static_cast<int64_t>(lines.size());
                  DSR_RETURN_IF_ERROR(writer.UpdateTask(done));
                  return writer.ReplaceResults(
                      task.id,
                      {{task.id, collection, static_cast<int64_t>(lines.size()), path, "x", 1}});
                })
                .ok());
  }

  // A request whose tasks have all succeeded and that now waits in review.
  std::string InReview(const NewRequest& input, const std::vector<nlohmann::json>& crm_lines) {
    const auto planned = Submit(input);
    for (const auto& task : planned.tasks) {
      Succeed(task, "customers", task.source == "crm" ? crm_lines : std::vector<nlohmann::json>{});
    }
    REQUIRE(actions.Settle(planned.request.id).ok());
    REQUIRE(Request(planned.request.id).status == RequestStatus::kInReview);
    return planned.request.id;
  }

  std::string CrmTask(const std::string& id) {
    for (const auto& task : Tasks(id)) {
      if (task.source == "crm") return task.id;
    }
    FAIL("no crm task");
    return "";
  }
};

nlohmann::json Confirmed(const std::string& key) {
  return {{"key", key}, {"match", "confirmed"}, {"record", {{"id", key}, {"note", "n"}}}};
}

nlohmann::json Ambiguous(const std::string& key) {
  return {{"key", key},
          {"match", "ambiguous"},
          {"ambiguity", "matches phone; email differs"},
          {"record", {{"id", key}}}};
}

NewRequest Erasure(const testing::WorkflowFixture& f) {
  NewRequest input = f.AccessRequest();
  input.type = store::RequestType::kErasure;
  return input;
}

}  // namespace

TEST_SUITE("RequestActions") {
  TEST_CASE("with an identity check required a request waits in awaiting_identity without tasks") {
    ActionsFixture f;
    f.policy.identity_required = true;
    RequestActions actions = f.Actions();
    auto submitted = actions.Submit(f.AccessRequest(), "agent-1");
    REQUIRE(submitted.ok());
    CHECK(submitted->effects.enqueue.empty());
    CHECK(f.Request(submitted->request_id).status == RequestStatus::kAwaitingIdentity);
    CHECK(f.Tasks(submitted->request_id).empty());
    CHECK(f.LastEventKind(submitted->request_id) == "request.awaiting_identity");
  }

  TEST_CASE("a confirmed identity starts one task per source; a failed one rejects") {
    ActionsFixture f;
    f.policy.identity_required = true;
    RequestActions actions = f.Actions();
    const std::string id = actions.Submit(f.AccessRequest(), "agent-1")->request_id;
    auto confirmed =
        actions.RecordIdentityCheck(id, {"email_reply", "confirmed", std::nullopt}, "agent-1");
    REQUIRE(confirmed.ok());
    CHECK(confirmed->enqueue.size() == 2);
    CHECK(f.Request(id).status == RequestStatus::kInProgress);
    CHECK(f.store->IdentityChecksOf(id)->size() == 1);
    // Checked once: a second check is a conflict and changes nothing.
    CHECK(actions.RecordIdentityCheck(id, {"email_reply", "confirmed", std::nullopt}, "agent-1")
              .status()
              .code() == StatusCode::kConflict);
    CHECK(f.store->IdentityChecksOf(id)->size() == 1);

    const std::string other = actions.Submit(f.AccessRequest(), "agent-1")->request_id;
    auto failed = actions.RecordIdentityCheck(
        other, {"id_document", "failed", std::string("no match")}, "agent-1");
    REQUIRE(failed.ok());
    CHECK(failed->write_letter);
    const auto rejected = f.Request(other);
    CHECK(rejected.status == RequestStatus::kRejected);
    CHECK(rejected.closing_ground == std::optional<std::string>("identity_not_established"));
    CHECK(actions.RecordIdentityCheck(other, {"x", "maybe", std::nullopt}, "a").status().code() ==
          StatusCode::kValidation);
  }

  TEST_CASE(
      "a pause moves the due date by the paused days and keeps the reason out of the audit log") {
    ActionsFixture f;
    const std::string id = f.Submit().request.id;
    CHECK(f.Request(id).due_on == CivilDate(2025, 4, 7));
    f.clock.Advance(std::chrono::hours(24));  // 2025-03-06
    REQUIRE(f.actions.Pause(id, "asked Frau Müller for her customer number", "agent-1").ok());
    CHECK(f.actions.Pause(id, "again", "agent-1").code() == StatusCode::kConflict);
    CHECK(f.Request(id).paused_since == std::optional<CivilDate>(CivilDate(2025, 3, 6)));
    f.clock.Advance(std::chrono::hours(72));  // 2025-03-09
    REQUIRE(f.actions.Resume(id, "agent-1").ok());
    const auto resumed = f.Request(id);
    CHECK(resumed.paused_days == 3);
    CHECK_FALSE(resumed.paused_since.has_value());
    CHECK(resumed.due_on == CivilDate(2025, 4, 8));  // 04-05 + 3 days, a Tuesday
    CHECK(f.actions.Resume(id, "agent-1").code() == StatusCode::kConflict);
    const auto events = f.store->EventsOfRequest(id);
    for (const auto& event : *events) CHECK(event.details.find("Müller") == std::string::npos);
  }

  TEST_CASE("review: decisions need the request in review and a fitting record") {
    ActionsFixture f;
    const auto planned = f.Submit();
    const std::string crm = planned.tasks.at(1).id;
    CHECK(f.actions
              .Decide(planned.request.id,
                      {crm, "customers", 0, ReviewDecision::kExclude, {}, "neighbour"}, "a")
              .code() == StatusCode::kConflict);
    const std::string id = f.InReview(f.AccessRequest(), {Confirmed("1"), Ambiguous("2")});
    const std::string task = f.CrmTask(id);
    CHECK(f.actions
              .Decide(id, {task, "customers", 0, ReviewDecision::kInclude, {}, "same person"}, "a")
              .code() == StatusCode::kConflict);
    CHECK(f.actions
              .Decide(id, {task, "customers", 0, ReviewDecision::kRedactFields, {"nope"}, "x"}, "a")
              .code() == StatusCode::kValidation);
    CHECK(f.actions.Decide(id, {task, "customers", 9, ReviewDecision::kExclude, {}, "x"}, "a")
              .code() == StatusCode::kNotFound);
    REQUIRE(f.actions
                .Decide(id,
                        {task,
                         "customers",
                         0,
                         ReviewDecision::kRedactFields,
                         {"note"},
                         "names Herr Schmidt"},
                        "a")
                .ok());
    CHECK(f.store->ReviewDecisionsOf(id)->size() == 1);
    CHECK(f.LastEventKind(id) == "review.decided");
    const auto events = f.store->EventsOfRequest(id);
    for (const auto& event : *events) CHECK(event.details.find("Schmidt") == std::string::npos);
  }

  TEST_CASE(
      "approval waits for every ambiguous record, seals an access answer once, and is final") {
    ActionsFixture f;
    const std::string id = f.InReview(f.AccessRequest(), {Confirmed("1"), Ambiguous("2")});
    const auto refused = f.actions.Approve(id, std::nullopt, "a");
    CHECK(refused.status().code() == StatusCode::kConflict);
    CHECK(refused.status().message().find("1 ambiguous") != std::string::npos);
    REQUIRE(
        f.actions
            .Decide(id,
                    {f.CrmTask(id), "customers", 1, ReviewDecision::kExclude, {}, "other person"},
                    "a")
            .ok());
    auto approved = f.actions.Approve(id, std::string("checked"), "dpo");
    REQUIRE(approved.ok());
    CHECK(approved->seal_bundle);
    CHECK(f.Request(id).approved_at.has_value());
    CHECK(f.Request(id).status == RequestStatus::kInReview);  // completed once the bundle is sealed
    CHECK(f.actions.Approve(id, std::nullopt, "dpo").status().code() == StatusCode::kConflict);
  }

  TEST_CASE(
      "an accepted ambiguous record of an erasure is erased in a second round before completion") {
    ActionsFixture f;
    const std::string id = f.InReview(Erasure(f), {Ambiguous("42")});
    REQUIRE(
        f.actions
            .Decide(
                id,
                {f.CrmTask(id), "customers", 0, ReviewDecision::kInclude, {}, "confirmed by phone"},
                "a")
            .ok());
    auto revised = f.actions.Approve(id, std::nullopt, "a");
    REQUIRE(revised.ok());
    REQUIRE(revised->enqueue.size() == 1);
    const auto task = revised->enqueue.at(0);
    CHECK(task.round == 2);
    CHECK(task.action == store::TaskAction::kErase);
    CHECK(nlohmann::json::parse(*task.scope) ==
          nlohmann::json{{"mode", "only"}, {"selection", {{"customers", {"42"}}}}});
    CHECK(f.Request(id).status == RequestStatus::kInProgress);

    f.Succeed(task, "customers", {});
    REQUIRE(f.actions.Settle(id).ok());
    auto approved = f.actions.Approve(id, std::nullopt, "a");
    REQUIRE(approved.ok());
    CHECK(approved->write_letter);
    CHECK(approved->enqueue.empty());
    CHECK(f.Request(id).status == RequestStatus::kCompleted);
  }

  TEST_CASE("rejection and cancellation close the request, cancel open tasks and stay final") {
    ActionsFixture f;
    const auto planned = f.Submit();
    const std::string id = planned.request.id;
    CHECK(f.actions.Reject(id, "boring", "x y z", "dpo").status().code() ==
          StatusCode::kValidation);
    auto rejected =
        f.actions.Reject(id, "excessive", "the fifth identical request this month", "dpo");
    REQUIRE(rejected.ok());
    CHECK(rejected->cancelled_tasks.size() == 2);
    CHECK(rejected->write_letter);
    const auto closed = f.Request(id);
    CHECK(closed.status == RequestStatus::kRejected);
    CHECK(closed.closing_ground == std::optional<std::string>("excessive"));
    for (const auto& task : f.Tasks(id)) CHECK(task.status == TaskStatus::kCancelled);
    // Nothing happens to a closed request any more.
    CHECK(f.actions.Cancel(id, "withdrawn", "agent").status().code() == StatusCode::kConflict);
    CHECK(f.actions.Approve(id, std::nullopt, "agent").status().code() == StatusCode::kConflict);
    CHECK(f.actions.Pause(id, "why", "agent").code() == StatusCode::kConflict);

    const std::string other = f.Submit().request.id;
    auto cancelled = f.actions.Cancel(other, "the customer withdrew by phone", "agent");
    REQUIRE(cancelled.ok());
    CHECK_FALSE(cancelled->write_letter);
    CHECK(f.Request(other).status == RequestStatus::kCancelled);
    CHECK(f.actions.Cancel(other, "again", "agent").status().code() == StatusCode::kConflict);
  }

  TEST_CASE("an answer given while the clock is paused ends the pause: the due date moves") {
    ActionsFixture f;
    // Received 2025-03-05, due Mon 2025-04-07 (5 April is a Saturday).
    const std::string rejected = f.Submit().request.id;
    const std::string cancelled = f.Submit().request.id;
    REQUIRE(f.actions.Pause(rejected, "asked for the customer number", "agent").ok());
    REQUIRE(f.actions.Pause(cancelled, "asked for the customer number", "agent").ok());
    // Closed on 2025-04-09, after the first due date but still paused.
    f.clock.Advance(std::chrono::hours(24 * 35));
    REQUIRE(f.actions.Reject(rejected, "excessive", "the fifth identical request", "dpo").ok());
    REQUIRE(f.actions.Cancel(cancelled, "the customer withdrew", "agent").ok());
    for (const auto& id : {rejected, cancelled}) {
      const auto closed = f.Request(id);
      CHECK_FALSE(closed.paused_since);
      CHECK(closed.paused_days == 35);
      // 5 April + 35 days = Sat 10 May → Mon 12 May.
      CHECK(closed.due_on == CivilDate(2025, 5, 12));
    }
  }

  TEST_CASE("a failed task can be retried with fresh attempts while the request is in progress") {
    ActionsFixture f;
    const auto planned = f.Submit();
    const auto task = planned.tasks.at(0);
    CHECK(f.actions.RetryTask(planned.request.id, task.id, "a").status().code() ==
          StatusCode::kConflict);
    REQUIRE(f.store
                ->Write([&](store::StoreWriter& writer) {
                  store::TaskRecord failed = task;
                  failed.status = TaskStatus::kFailed;
                  failed.attempts = 3;
                  failed.error_code = "unavailable";
                  return writer.UpdateTask(failed);
                })
                .ok());
    auto retried = f.actions.RetryTask(planned.request.id, task.id, "a");
    REQUIRE(retried.ok());
    CHECK(retried->enqueue.size() == 1);
    const auto again = f.store->GetTask(task.id);
    CHECK(again->status == TaskStatus::kPending);
    CHECK(again->attempts == 0);
    CHECK_FALSE(again->error_code.has_value());
  }

  TEST_CASE("an ended hold files a follow-up erasure of exactly its records, once") {
    ActionsFixture f;
    const auto planned = f.Submit(Erasure(f));
    store::HoldRecord hold{"h1",
                           planned.request.id,
                           "crm",
                           "invoices",
                           CivilDate(2033, 12, 31),
                           "HGB §257",
                           {"7", "9"},
                           store::HoldStatus::kActive,
                           std::nullopt,
                           "2025-03-05T10:00:00.000Z"};
    REQUIRE(f.store->Write([&](store::StoreWriter& w) { return w.InsertHold(hold); }).ok());
    auto filed = f.actions.FileFollowUp(hold);
    REQUIRE(filed.ok());
    const auto follow_up = f.Request(filed->request_id);
    CHECK(follow_up.origin == store::RequestOrigin::kHold);
    CHECK(follow_up.follow_up_of == std::optional<std::string>(planned.request.id));
    CHECK(follow_up.status == RequestStatus::kInProgress);
    REQUIRE(filed->effects.enqueue.size() == 1);
    CHECK(nlohmann::json::parse(*filed->effects.enqueue[0].scope) ==
          nlohmann::json{{"mode", "only"},
                         {"selection", {{"invoices", {"7", "9"}}}},
                         {"retention_ended", true}});
    CHECK(f.store->ListHolds({})->at(0).status == store::HoldStatus::kEnded);
    CHECK(f.actions.FileFollowUp(hold).status().code() == StatusCode::kConflict);

    // It needs no review: once its task succeeded it is completed.
    f.Succeed(filed->effects.enqueue[0], "invoices", {});
    REQUIRE(f.actions.Settle(filed->request_id).ok());
    CHECK(f.Request(filed->request_id).status == RequestStatus::kCompleted);
  }
}

}  // namespace dsr::workflow
