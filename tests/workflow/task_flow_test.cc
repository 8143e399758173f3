#include "coordinator/workflow/task_flow.h"

#include <doctest/doctest.h>
#include <soci/soci.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/digest.h"
#include "coordinator/notify/planner.h"
#include "tests/workflow/workflow_fixture.h"

namespace dsr::workflow {
namespace {

using store::TaskStatus;

const WorkerRef kWorker{"routing-1", "crm-1"};
const WorkerRef kOtherWorker{"routing-2", "crm-1"};  // same name, another connection

// A header as a worker would send it; the test fails if it breaks the wire schema.
nlohmann::json Header(wire::Command command, nlohmann::json header) {
  wire::Message message{command, header, {}};
  if (command == wire::Command::kChunk) message.payload.push_back("{}\n");
  REQUIRE(wire::Encode(message).ok());
  return header;
}

nlohmann::json Progress(const std::string& task_id, int attempt) {
  return Header(wire::Command::kProgress,
                {{"task_id", task_id}, {"attempt", attempt}, {"state", "running"}});
}

nlohmann::json ChunkHeader(const std::string& task_id, int attempt, int seq,
                           const std::string& collection, int records) {
  return Header(wire::Command::kChunk, {{"task_id", task_id},
                                        {"attempt", attempt},
                                        {"seq", seq},
                                        {"collection", collection},
                                        {"records", records}});
}

nlohmann::json Succeeded(const std::string& task_id, int attempt, int chunks,
                         const std::map<std::string, int>& collections) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [name, records] : collections) {
    list.push_back({{"name", name}, {"records", records}});
  }
  return Header(wire::Command::kResult, {{"task_id", task_id},
                                         {"attempt", attempt},
                                         {"status", "succeeded"},
                                         {"chunks", chunks},
                                         {"collections", list}});
}

nlohmann::json Failed(const std::string& task_id, int attempt, const std::string& code) {
  return Header(wire::Command::kResult,
                {{"task_id", task_id},
                 {"attempt", attempt},
                 {"status", "failed"},
                 {"chunks", 0},
                 {"collections", nlohmann::json::array()},
                 {"error", {{"code", code}, {"message", "lookup of jürgen failed"}}}});
}

// Time-out 60 s, back-off from 2 s doubling to 16 s; the jitter is whatever
// `*unit` says (0.5 unless a test changes it).
RetryPolicy Policy(int max_attempts, const std::shared_ptr<double>& unit) {
  RetryPolicy policy;
  policy.max_attempts = max_attempts;
  policy.task_timeout = std::chrono::seconds(60);
  policy.source_timeouts["mail"] = std::chrono::seconds(300);
  policy.backoff_base = std::chrono::seconds(2);
  policy.backoff_max = std::chrono::seconds(16);
  policy.random = [unit] { return *unit; };
  return policy;
}

struct TaskFlowFixture : testing::WorkflowFixture {
  std::string spool_root = dir.File("results");
  ResultSpool spool{spool_root};
  std::shared_ptr<double> unit = std::make_shared<double>(0.5);
  TaskFlow flow{*store, clock, spool, Policy(3, unit)};
  testing::PlannedRequest planned = Submit();
  std::string mail_task = planned.tasks.at(0).id;
  std::string crm_task = planned.tasks.at(1).id;

  TaskFlowFixture() { flow.Enqueue(planned.tasks); }

  store::TaskRecord Task(const std::string& id) const {
    auto tasks = store->TasksOfRequest(planned.request.id);
    REQUIRE(tasks.ok());
    for (const auto& task : *tasks) {
      if (task.id == id) return task;
    }
    FAIL("no task " << id);
    return {};
  }

  std::vector<store::EventRecord> Events() const {
    auto events = store->EventsOfRequest(planned.request.id);
    REQUIRE(events.ok());
    return *events;
  }

  // Moves the clock past the longest back-off.
  void WaitOutBackoff() { clock.Advance(std::chrono::seconds(16)); }

  std::string Dispatch(const std::string& source, const WorkerRef& worker, int attempt) {
    auto dispatched = flow.DispatchNext(source, worker);
    REQUIRE(dispatched.ok());
    REQUIRE(dispatched->message.header.at("attempt") == attempt);
    // Every attempt starts with the same chunk credit (flow control).
    CHECK(dispatched->message.header.at("credit") == kInitialChunkCredit);
    CHECK(wire::Encode(dispatched->message).ok());
    return dispatched->task_id;
  }
};

}  // namespace

TEST_SUITE("TaskFlow") {
  TEST_CASE("DispatchNext hands out a valid TASK that carries the subject") {
    TaskFlowFixture f;
    CHECK(f.flow.SourcesWithPendingTasks() == std::vector<std::string>{"crm", "mail"});
    CHECK(f.flow.pending_count() == 2);

    auto dispatched = f.flow.DispatchNext("crm", kWorker);
    REQUIRE(dispatched.ok());
    CHECK(dispatched->task_id == f.crm_task);
    const wire::Message& task = dispatched->message;
    CHECK(task.command == wire::Command::kTask);
    auto frames = wire::Encode(task);
    REQUIRE(frames.ok());
    CHECK(wire::Decode(*frames, wire::Sender::kCoordinator).ok());
    CHECK(task.header.at("task_id") == f.crm_task);
    CHECK(task.header.at("attempt") == 1);
    CHECK(task.header.at("request_id") == f.planned.request.id);
    CHECK(task.header.at("action") == "export");
    CHECK(task.header.at("subject") == nlohmann::json(f.AccessRequest().subject));

    const auto stored = f.Task(f.crm_task);
    CHECK(stored.status == TaskStatus::kDispatched);
    CHECK(stored.attempts == 1);
    CHECK(stored.worker == std::optional<std::string>("crm-1"));
    CHECK(f.Events().back().kind == "task.dispatched");
    CHECK(f.flow.pending_count() == 1);
    CHECK(f.flow.DispatchNext("crm", kWorker).status().code() == StatusCode::kNotFound);
    CHECK(f.flow.DispatchNext("billing", kWorker).status().code() == StatusCode::kNotFound);
  }

  TEST_CASE("DispatchNext serves a source's tasks oldest first") {
    TaskFlowFixture f;
    f.clock.Advance(std::chrono::minutes(1));
    const auto second = f.Submit();
    f.flow.Enqueue(second.tasks);
    CHECK(f.flow.DispatchNext("crm", kWorker)->task_id == f.crm_task);
    CHECK(f.flow.DispatchNext("crm", kWorker)->task_id == second.tasks.at(1).id);
  }

  TEST_CASE("a PROGRESS marks the task running; a repeated one changes nothing") {
    TaskFlowFixture f;
    const auto task_id = f.Dispatch("crm", kWorker, 1);
    REQUIRE(f.flow.Started(kWorker, Progress(task_id, 1)).ok());
    CHECK(f.Task(task_id).status == TaskStatus::kRunning);
    const auto events = f.Events();
    CHECK(events.back().kind == "task.started");
    CHECK(events.back().actor == "worker:crm-1");
    CHECK(f.flow.Started(kWorker, Progress(task_id, 1)).ok());
    CHECK(f.Task(task_id).status == TaskStatus::kRunning);
    CHECK(f.Events().size() == events.size());
  }

  TEST_CASE("results are stored and the request is reported ready when its last task succeeds") {
    TaskFlowFixture f;
    const auto crm = f.Dispatch("crm", kWorker, 1);
    const WorkerRef mail_worker{"routing-3", "mail-1"};
    const auto mail = f.Dispatch("mail", mail_worker, 1);
    REQUIRE(f.flow.Started(kWorker, Progress(crm, 1)).ok());
    const std::string orders =
        "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":1}}\n{\"key\":null,\"match\":"
        "\"confirmed\",\"record\":{\"id\":2}}\n";
    const std::string contacts =
        "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"email\":\"x@example.org\"}}\n";
    REQUIRE(f.flow.Chunk(kWorker, ChunkHeader(crm, 1, 0, "orders", 2), orders).ok());
    REQUIRE(f.flow.Chunk(kWorker, ChunkHeader(crm, 1, 1, "contacts", 1), contacts).ok());
    auto first = f.flow.Finished(kWorker, Succeeded(crm, 1, 2, {{"orders", 2}, {"contacts", 1}}));
    REQUIRE(first.ok());
    CHECK_FALSE(first->has_value());  // the mail task is still open

    const auto crm_task = f.Task(crm);
    CHECK(crm_task.status == TaskStatus::kSucceeded);
    CHECK(crm_task.records == std::optional<int64_t>(3));
    auto results = f.store->ResultsOfRequest(f.planned.request.id);
    REQUIRE(results.ok());
    REQUIRE(results->size() == 2);
    CHECK(results->at(0).collection == "contacts");
    CHECK(results->at(0).sha256 == Sha256Hex(contacts));
    CHECK(results->at(1).collection == "orders");
    CHECK(results->at(1).records == 2);
    CHECK(results->at(1).bytes == static_cast<int64_t>(orders.size()));
    CHECK(std::filesystem::exists(results->at(1).path));

    // A RESULT may overtake its PROGRESS; nothing found is a success too.
    auto last = f.flow.Finished(mail_worker, Succeeded(mail, 1, 0, {}));
    REQUIRE(last.ok());
    CHECK(*last == std::optional<std::string>(f.planned.request.id));
    CHECK(f.Task(mail).status == TaskStatus::kSucceeded);
    CHECK(f.Task(mail).records == std::optional<int64_t>(0));
    CHECK(f.Events().back().kind == "task.succeeded");
    CHECK(store::VerifyAuditChain(*f.store).ok());
  }

  TEST_CASE(
      "messages for an old attempt or from another connection are refused and change "
      "nothing") {
    TaskFlowFixture f;
    const auto task_id = f.Dispatch("crm", kWorker, 1);
    const size_t events = f.Events().size();
    const std::string payload = "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":1}}\n";
    CHECK(f.flow.Started(kOtherWorker, Progress(task_id, 1)).code() == StatusCode::kConflict);
    CHECK(f.flow.Started(kWorker, Progress(task_id, 2)).code() == StatusCode::kConflict);
    CHECK(f.flow.Chunk(kOtherWorker, ChunkHeader(task_id, 1, 0, "orders", 1), payload).code() ==
          StatusCode::kConflict);
    CHECK(f.flow.Finished(kOtherWorker, Succeeded(task_id, 1, 0, {})).status().code() ==
          StatusCode::kConflict);
    CHECK(f.flow.Finished(kWorker, Failed(task_id, 2, "internal")).status().code() ==
          StatusCode::kConflict);
    CHECK(f.flow.Started(kWorker, Progress(f.mail_task, 1)).code() == StatusCode::kConflict);
    CHECK(f.Task(task_id).status == TaskStatus::kDispatched);
    CHECK(f.Task(task_id).attempts == 1);
    CHECK(f.Events().size() == events);

    // The current attempt still works after the refusals.
    REQUIRE(f.flow.Chunk(kWorker, ChunkHeader(task_id, 1, 0, "orders", 1), payload).ok());

    // After a requeue the next attempt goes elsewhere; the old one is stale.
    REQUIRE(f.flow.Requeue(task_id, 1, "worker gone").ok());
    f.WaitOutBackoff();
    REQUIRE(f.Dispatch("crm", kOtherWorker, 2) == task_id);
    CHECK(f.flow.Started(kWorker, Progress(task_id, 1)).code() == StatusCode::kConflict);
    CHECK(f.flow.Started(kOtherWorker, Progress(task_id, 1)).code() == StatusCode::kConflict);
    CHECK(f.flow.Finished(kWorker, Succeeded(task_id, 2, 0, {})).status().code() ==
          StatusCode::kConflict);
    CHECK(f.Task(task_id).status == TaskStatus::kDispatched);
    CHECK(f.flow.Started(kOtherWorker, Progress(task_id, 2)).ok());
    CHECK(f.Task(task_id).status == TaskStatus::kRunning);
  }

  TEST_CASE("a retryable failure requeues the task until max_attempts, then it fails") {
    TaskFlowFixture f;
    for (int attempt = 1; attempt <= 3; ++attempt) {
      CAPTURE(attempt);
      f.WaitOutBackoff();
      const auto task_id = f.Dispatch("crm", kWorker, attempt);
      REQUIRE(task_id == f.crm_task);
      auto finished = f.flow.Finished(kWorker, Failed(task_id, attempt, "unavailable"));
      REQUIRE(finished.ok());
      CHECK_FALSE(finished->has_value());
      const auto task = f.Task(task_id);
      CHECK(task.error_code == std::optional<std::string>("unavailable"));
      CHECK(task.error_message == std::optional<std::string>("lookup of jürgen failed"));
      if (attempt < 3) {
        CHECK(task.status == TaskStatus::kPending);
        CHECK(f.Events().back().kind == "task.requeued");
      } else {
        CHECK(task.status == TaskStatus::kFailed);
        CHECK(f.Events().back().kind == "task.failed");
      }
    }
    CHECK(f.flow.DispatchNext("crm", kWorker).status().code() == StatusCode::kNotFound);
    CHECK(f.flow.SourcesWithPendingTasks() == std::vector<std::string>{"mail"});
    // The worker's own message may hold personal data: it stays out of the audit log.
    for (const auto& event : f.Events()) CHECK(event.details.find("jürgen") == std::string::npos);
  }

  TEST_CASE("a failure that retrying cannot mend fails the task at once") {
    TaskFlowFixture f;
    const auto task_id = f.Dispatch("crm", kWorker, 1);
    REQUIRE(f.flow.Finished(kWorker, Failed(task_id, 1, "internal")).ok());
    const auto task = f.Task(task_id);
    CHECK(task.status == TaskStatus::kFailed);
    CHECK(task.attempts == 1);
    CHECK(task.error_code == std::optional<std::string>("internal"));
    CHECK(f.flow.SourcesWithPendingTasks() == std::vector<std::string>{"mail"});
  }

  TEST_CASE("Requeue after a lost worker puts the task back into the queue") {
    TaskFlowFixture f;
    const auto task_id = f.Dispatch("crm", kWorker, 1);
    REQUIRE(f.flow.Started(kWorker, Progress(task_id, 1)).ok());
    REQUIRE(f.flow
                .Chunk(kWorker, ChunkHeader(task_id, 1, 0, "orders", 1),
                       "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":1}}\n")
                .ok());
    REQUIRE(f.flow.Requeue(task_id, 1, "worker crm-1 stopped answering").ok());
    const auto task = f.Task(task_id);
    CHECK(task.status == TaskStatus::kPending);
    CHECK(task.error_code == std::optional<std::string>("attempt_lost"));
    CHECK(f.Events().back().kind == "task.requeued");
    CHECK(f.Events().back().actor == "system");
    // The lost attempt's partial files are gone.
    CHECK_FALSE(std::filesystem::exists(f.spool_root + "/" + f.planned.request.id + "/" + task_id));
    f.WaitOutBackoff();
    CHECK(f.Dispatch("crm", kOtherWorker, 2) == task_id);
  }

  TEST_CASE("Requeue of a task that is not in flight changes nothing") {
    TaskFlowFixture f;
    const size_t events = f.Events().size();
    CHECK(f.flow.Requeue(f.crm_task, 1, "no reason").ok());
    CHECK(f.Task(f.crm_task).status == TaskStatus::kPending);
    CHECK(f.Events().size() == events);
    CHECK(f.flow.pending_count() == 2);
  }

  TEST_CASE("Requeue fails the task once it used up its attempts") {
    TaskFlowFixture f;
    TaskFlow single(*f.store, f.clock, f.spool, Policy(1, f.unit));
    single.Enqueue(f.planned.tasks);
    REQUIRE(single.DispatchNext("crm", kWorker).ok());
    REQUIRE(single.Requeue(f.crm_task, 1, "worker gone").ok());
    CHECK(f.Task(f.crm_task).status == TaskStatus::kFailed);
    CHECK(single.SourcesWithPendingTasks() == std::vector<std::string>{"mail"});
  }

  TEST_CASE("Recover requeues the attempts of a previous process and queues pending tasks") {
    TaskFlowFixture f;
    f.Dispatch("crm", kWorker, 1);
    const WorkerRef mail_worker{"routing-3", "mail-1"};
    f.Dispatch("mail", mail_worker, 1);
    REQUIRE(f.flow.Started(mail_worker, Progress(f.mail_task, 1)).ok());
    f.clock.Advance(std::chrono::minutes(1));
    f.Submit();  // a later request: its tasks are pending and in no queue yet

    ResultSpool spool(f.spool_root);
    TaskFlow restarted(*f.store, f.clock, spool, Policy(3, f.unit));
    REQUIRE(restarted.Recover().ok());
    CHECK(f.Task(f.crm_task).status == TaskStatus::kPending);
    CHECK(f.Task(f.mail_task).status == TaskStatus::kPending);
    const auto events = f.Events();
    CHECK(events[events.size() - 1].kind == "task.requeued");
    CHECK(events[events.size() - 2].kind == "task.requeued");
    CHECK(events.back().actor == "system");
    CHECK(restarted.pending_count() == 4);
    CHECK(restarted.SourcesWithPendingTasks() == std::vector<std::string>{"crm", "mail"});

    // The old attempt is not current in the new process; a new one is handed out.
    CHECK(restarted.Started(mail_worker, Progress(f.mail_task, 1)).code() == StatusCode::kConflict);
    auto again = restarted.DispatchNext("mail", mail_worker);
    REQUIRE(again.ok());
    CHECK(again->task_id == f.mail_task);  // the older task first
    CHECK(again->message.header.at("attempt") == 2);
  }

  TEST_CASE("Recover fails an interrupted task that has used up its attempts") {
    TaskFlowFixture f;
    ResultSpool spool(f.spool_root);
    TaskFlow limited(*f.store, f.clock, spool, Policy(1, f.unit));
    limited.Enqueue(f.planned.tasks);
    REQUIRE(limited.DispatchNext("crm", kWorker).ok());

    TaskFlow restarted(*f.store, f.clock, spool, Policy(1, f.unit));
    REQUIRE(restarted.Recover().ok());
    const auto task = f.Task(f.crm_task);
    CHECK(task.status == TaskStatus::kFailed);
    CHECK(task.error_code == std::optional<std::string>("attempt_lost"));
    CHECK(f.Events().back().kind == "task.failed");
    CHECK(restarted.SourcesWithPendingTasks() == std::vector<std::string>{"mail"});
  }

  TEST_CASE("a queued task that the store no longer has as pending leaves the queue") {
    TaskFlowFixture f;
    // Another flow on the same store dispatches the task first.
    ResultSpool spool(f.spool_root);
    TaskFlow other(*f.store, f.clock, spool, Policy(3, f.unit));
    other.Enqueue(f.planned.tasks);
    REQUIRE(other.DispatchNext("crm", kWorker).ok());

    CHECK(f.flow.DispatchNext("crm", kWorker).status().code() == StatusCode::kNotFound);
    CHECK(f.flow.SourcesWithPendingTasks() == std::vector<std::string>{"mail"});
    CHECK(f.Dispatch("mail", kWorker, 1) == f.mail_task);
  }

  TEST_CASE("a bad chunk ends the attempt as invalid_result and retries it") {
    TaskFlowFixture f;
    const auto task_id = f.Dispatch("crm", kWorker, 1);
    const Status bad = f.flow.Chunk(kWorker, ChunkHeader(task_id, 1, 0, "orders", 1),
                                    "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":1}}");
    CHECK_FALSE(bad.ok());
    auto task = f.Task(task_id);
    CHECK(task.status == TaskStatus::kPending);
    CHECK(task.error_code == std::optional<std::string>("invalid_result"));
    CHECK(f.Events().back().kind == "task.requeued");
    // The attempt is over: its further messages are stale.
    CHECK(f.flow
              .Chunk(kWorker, ChunkHeader(task_id, 1, 0, "orders", 1),
                     "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":1}}\n")
              .code() == StatusCode::kConflict);
    f.WaitOutBackoff();
    CHECK(f.Dispatch("crm", kWorker, 2) == task_id);
  }

  TEST_CASE("a bad chunk fails the task when no attempt is left") {
    TaskFlowFixture f;
    TaskFlow single(*f.store, f.clock, f.spool, Policy(1, f.unit));
    single.Enqueue(f.planned.tasks);
    REQUIRE(single.DispatchNext("crm", kWorker).ok());
    CHECK_FALSE(single
                    .Chunk(kWorker, ChunkHeader(f.crm_task, 1, 1, "orders", 1),
                           "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":1}}\n")
                    .ok());
    CHECK(f.Task(f.crm_task).status == TaskStatus::kFailed);
    CHECK(f.Task(f.crm_task).error_code == std::optional<std::string>("invalid_result"));
  }

  TEST_CASE("a RESULT whose counts differ from the chunks retries the attempt") {
    TaskFlowFixture f;
    const auto task_id = f.Dispatch("crm", kWorker, 1);
    REQUIRE(f.flow
                .Chunk(kWorker, ChunkHeader(task_id, 1, 0, "orders", 1),
                       "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":1}}\n")
                .ok());
    auto finished = f.flow.Finished(kWorker, Succeeded(task_id, 1, 1, {{"orders", 5}}));
    CHECK_FALSE(finished.ok());
    CHECK(f.Task(task_id).status == TaskStatus::kPending);
    CHECK(f.Task(task_id).error_code == std::optional<std::string>("invalid_result"));
    CHECK(f.store->ResultsOfRequest(f.planned.request.id)->empty());
  }

  TEST_CASE("RetryDelay doubles up to the maximum and stays within its jitter") {
    RetryPolicy policy;
    policy.backoff_base = std::chrono::seconds(2);
    policy.backoff_max = std::chrono::seconds(16);
    const std::vector<int64_t> caps_ms = {2000, 4000, 8000, 16000, 16000, 16000};
    for (int retry = 1; retry <= 6; ++retry) {
      CAPTURE(retry);
      const int64_t cap = caps_ms.at(retry - 1);
      CHECK(RetryDelay(policy, retry, 0.0).count() == cap / 2);
      CHECK(RetryDelay(policy, retry, 0.5).count() == cap * 3 / 4);
      CHECK(RetryDelay(policy, retry, 0.9999).count() <= cap);
      CHECK(RetryDelay(policy, retry, 0.9999).count() >= cap - 1);
    }
    CHECK(RetryDelay(policy, 1000, 1.0).count() == 16000);  // no overflow on many retries
  }

  TEST_CASE("an attempt times out exactly after its source's time-out without word") {
    TaskFlowFixture f;
    const auto crm = f.Dispatch("crm", kWorker, 1);
    const auto mail = f.Dispatch("mail", kOtherWorker, 1);
    CHECK(f.flow.in_flight_count() == 2);
    f.clock.Advance(std::chrono::milliseconds(59999));
    CHECK(f.flow.ExpireAttempts().empty());
    CHECK(f.Task(crm).status == TaskStatus::kDispatched);
    f.clock.Advance(std::chrono::milliseconds(1));
    const auto expired = f.flow.ExpireAttempts();
    REQUIRE(expired.size() == 1);
    CHECK(expired[0].task_id == crm);
    CHECK(expired[0].attempt == 1);
    CHECK(expired[0].worker.routing_id == kWorker.routing_id);
    const auto task = f.Task(crm);
    CHECK(task.status == TaskStatus::kPending);
    CHECK(task.error_code == std::optional<std::string>("timed_out"));
    const auto event = f.Events().back();
    CHECK(event.kind == "task.requeued");
    CHECK(event.actor == "system");
    const auto details = nlohmann::json::parse(event.details);
    CHECK(details.at("code") == "timed_out");
    CHECK(details.at("reason") == "no word from worker crm-1 for 60.0 s");
    // The abandoned attempt's messages are stale now.
    CHECK(f.flow.Started(kWorker, Progress(crm, 1)).code() == StatusCode::kConflict);
    CHECK(f.flow.Finished(kWorker, Succeeded(crm, 1, 0, {})).status().code() ==
          StatusCode::kConflict);
    CHECK(f.flow.ExpireAttempts().empty());  // given up once
    // The mail source has a time-out of its own (300 s).
    f.clock.Advance(std::chrono::seconds(239));
    CHECK(f.flow.ExpireAttempts().empty());
    f.clock.Advance(std::chrono::seconds(1));
    REQUIRE(f.flow.ExpireAttempts().size() == 1);
    CHECK(f.Task(mail).error_code == std::optional<std::string>("timed_out"));
  }

  TEST_CASE("every PROGRESS or CHUNK of the current attempt starts its time-out again") {
    TaskFlowFixture f;
    const auto task_id = f.Dispatch("crm", kWorker, 1);
    f.clock.Advance(std::chrono::seconds(50));
    REQUIRE(f.flow.Started(kWorker, Progress(task_id, 1)).ok());
    f.clock.Advance(std::chrono::seconds(50));
    CHECK(f.flow.ExpireAttempts().empty());  // 100 s since the dispatch, 50 s since word
    REQUIRE(f.flow
                .Chunk(kWorker, ChunkHeader(task_id, 1, 0, "orders", 1),
                       "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":1}}\n")
                .ok());
    f.clock.Advance(std::chrono::milliseconds(59999));
    CHECK(f.flow.ExpireAttempts().empty());
    // A stale message (another worker) extends nothing.
    CHECK(f.flow.Started(kOtherWorker, Progress(task_id, 1)).code() == StatusCode::kConflict);
    CHECK(f.flow.NextDeadline() == f.clock.Monotonic() + std::chrono::milliseconds(1));
    f.clock.Advance(std::chrono::milliseconds(1));
    CHECK(f.flow.ExpireAttempts().size() == 1);
  }

  TEST_CASE("a retried task waits out its back-off, which grows with each attempt") {
    TaskFlowFixture f;
    *f.unit = 0.5;  // each back-off is three quarters of its cap
    const std::vector<std::chrono::milliseconds> waits = {std::chrono::milliseconds(1500),
                                                          std::chrono::milliseconds(3000)};
    for (int attempt = 1; attempt <= 2; ++attempt) {
      CAPTURE(attempt);
      const auto task_id = f.Dispatch("crm", kWorker, attempt);
      REQUIRE(f.flow.Finished(kWorker, Failed(task_id, attempt, "unavailable")).ok());
      const auto wait = waits.at(attempt - 1);
      CHECK(f.Task(task_id).retry_at ==
            std::optional<std::string>(FormatUtc(f.clock.Now() + wait)));
      CHECK(nlohmann::json::parse(f.Events().back().details).at("retry_at") ==
            FormatUtc(f.clock.Now() + wait));
      CHECK(f.flow.backing_off_count() == 1);
      CHECK(f.flow.NextDeadline() == f.clock.Monotonic() + wait);
      f.clock.Advance(wait - std::chrono::milliseconds(1));
      CHECK(f.flow.SourcesWithPendingTasks() == std::vector<std::string>{"mail"});
      CHECK(f.flow.DispatchNext("crm", kWorker).status().code() == StatusCode::kNotFound);
      f.clock.Advance(std::chrono::milliseconds(1));
      CHECK(f.flow.backing_off_count() == 0);
      CHECK(f.flow.SourcesWithPendingTasks() == std::vector<std::string>{"crm", "mail"});
    }
    const auto task_id = f.Dispatch("crm", kWorker, 3);
    CHECK_FALSE(f.Task(task_id).retry_at.has_value());  // handed out: no back-off left
  }

  TEST_CASE("a task that times out on every attempt fails with timed_out") {
    TaskFlowFixture f;
    for (int attempt = 1; attempt <= 3; ++attempt) {
      CAPTURE(attempt);
      f.WaitOutBackoff();
      const auto task_id = f.Dispatch("crm", kWorker, attempt);
      f.clock.Advance(std::chrono::seconds(60));
      REQUIRE(f.flow.ExpireAttempts().size() == 1);
    }
    const auto task = f.Task(f.crm_task);
    CHECK(task.status == TaskStatus::kFailed);  // what the DPO's source_failed escalation reads
    CHECK(task.attempts == 3);
    CHECK(task.error_code == std::optional<std::string>("timed_out"));
    CHECK(f.Events().back().kind == "task.failed");
    CHECK(f.flow.in_flight_count() == 0);
    // The DPO hears of it like of any failed source.
    auto open = f.store->OpenRequests();
    auto failed = f.store->FailedTasksOfOpenRequests();
    REQUIRE(open.ok());
    REQUIRE(failed.ok());
    const auto events =
        notify::PlanEvents(*open, *failed, LocalDate(f.clock.Now()), notify::NotificationSettings(),
                           *f.calendar, deadlines::PauseMode::kPause);
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == "source_failed");
    CHECK(events[0].facts.at("error_code") == "timed_out");
    f.WaitOutBackoff();
    CHECK(f.flow.DispatchNext("crm", kWorker).status().code() == StatusCode::kNotFound);
  }

  TEST_CASE("Requeue of an abandoned attempt leaves the current one alone") {
    TaskFlowFixture f;
    const auto task_id = f.Dispatch("crm", kWorker, 1);
    f.clock.Advance(std::chrono::seconds(60));
    REQUIRE(f.flow.ExpireAttempts().size() == 1);
    f.WaitOutBackoff();
    REQUIRE(f.Dispatch("crm", kOtherWorker, 2) == task_id);
    // The worker stuck on attempt 1 goes away: attempt 2 runs on.
    CHECK(f.flow.Requeue(task_id, 1, "worker crm-1 disconnected").ok());
    CHECK(f.Task(task_id).status == TaskStatus::kDispatched);
    CHECK(f.flow.Started(kOtherWorker, Progress(task_id, 2)).ok());
  }

  TEST_CASE("a result that arrives while the store is locked is kept and committed later") {
    TaskFlowFixture f;
    const auto crm = f.Dispatch("crm", kWorker, 1);
    const WorkerRef mail_worker{"routing-3", "mail-1"};
    const auto mail = f.Dispatch("mail", mail_worker, 1);
    REQUIRE(f.flow.Finished(mail_worker, Succeeded(mail, 1, 0, {})).ok());
    const std::string orders = "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":1}}\n";
    REQUIRE(f.flow.Chunk(kWorker, ChunkHeader(crm, 1, 0, "orders", 1), orders).ok());
    const auto events_before = f.Events().size();
    {
      // Another writer holds the database: the store answers "unavailable".
      soci::session other("sqlite3", "db=" + f.dir.File("dsr.db") + " timeout=1");
      other << "BEGIN EXCLUSIVE";
      auto finished = f.flow.Finished(kWorker, Succeeded(crm, 1, 1, {{"orders", 1}}));
      REQUIRE_FALSE(finished.ok());
      CHECK(finished.status().code() == StatusCode::kUnavailable);
      // Neither its time-out nor its worker going away gives the attempt up:
      // the result is in hand.
      f.clock.Advance(std::chrono::seconds(120));
      CHECK(f.flow.ExpireAttempts().empty());
      CHECK(f.flow.Requeue(crm, 1, "worker crm-1 stopped answering").ok());
      CHECK(f.flow.in_flight_count() == 1);
      CHECK(f.flow.CommitReceivedResults().empty());  // still locked
      other << "COMMIT";
    }
    CHECK(f.Task(crm).status != TaskStatus::kSucceeded);
    CHECK(f.Events().size() == events_before);
    f.clock.Advance(std::chrono::seconds(1));
    CHECK(f.flow.CommitReceivedResults() == std::vector<std::string>{f.planned.request.id});
    CHECK(f.flow.in_flight_count() == 0);
    const auto task = f.Task(crm);
    CHECK(task.status == TaskStatus::kSucceeded);
    CHECK(task.attempts == 1);
    CHECK(task.records == std::optional<int64_t>(1));
    CHECK(f.Events().back().kind == "task.succeeded");
    CHECK(f.flow.pending_count() == 0);
    CHECK(store::VerifyAuditChain(*f.store).ok());
  }

  TEST_CASE("Recover keeps the rest of a back-off across a restart") {
    TaskFlowFixture f;
    *f.unit = 0.0;  // the first back-off is 1 s
    const auto task_id = f.Dispatch("crm", kWorker, 1);
    REQUIRE(f.flow.Finished(kWorker, Failed(task_id, 1, "unavailable")).ok());
    f.clock.Advance(std::chrono::milliseconds(400));

    ResultSpool spool(f.spool_root);
    TaskFlow restarted(*f.store, f.clock, spool, Policy(3, f.unit));
    REQUIRE(restarted.Recover().ok());
    CHECK(restarted.pending_count() == 2);
    CHECK(restarted.backing_off_count() == 1);
    f.clock.Advance(std::chrono::milliseconds(599));
    CHECK(restarted.SourcesWithPendingTasks() == std::vector<std::string>{"mail"});
    f.clock.Advance(std::chrono::milliseconds(1));
    auto again = restarted.DispatchNext("crm", kWorker);
    REQUIRE(again.ok());
    CHECK(again->attempt == 2);
  }
}

}  // namespace dsr::workflow
