#include "coordinator/workflow/task_flow.h"

#include <nlohmann/json.hpp>
#include <random>

#include "common/digest.h"
#include "common/log.h"

namespace dsr::workflow {
namespace {

// How often a result that arrived while the store was away is committed again.
constexpr std::chrono::seconds kCommitRetryInterval{1};

using store::StoreWriter;
using store::TaskRecord;
using store::TaskStatus;

std::string WorkerActor(const std::string& name) {
  return "worker:" + name;
}

// Failures that another attempt may mend.
bool IsRetryable(const std::string& code) {
  return code == "unavailable" || code == "attempt_lost" || code == "invalid_result" ||
         code == "timed_out";
}

// Reasons the coordinator gives itself (safe for the audit log), as opposed
// to a worker's message, which may quote personal data.
bool IsOwnReason(const std::string& code) {
  return code == "attempt_lost" || code == "invalid_result" || code == "timed_out";
}

std::function<double()> SystemRandom() {
  auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
  return [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
}

std::string Seconds(std::chrono::milliseconds duration) {
  const auto tenths = duration.count() / 100;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " s";
}

// The outcomes of an erasure or rectification, and the holds its retained
// collections need.
struct ParsedOutcomes {
  std::vector<store::OutcomeRecord> outcomes;
  std::vector<store::HoldRecord> holds;
};

Result<ParsedOutcomes> ParseOutcomes(const std::string& task_id, const nlohmann::json& result) {
  ParsedOutcomes parsed;
  const auto list = result.find("outcomes");
  if (list == result.end()) return parsed;
  for (const auto& item : *list) {
    store::OutcomeRecord outcome;
    outcome.task_id = task_id;
    outcome.collection = item.at("collection").get<std::string>();
    outcome.kind = item.at("kind").get<std::string>();
    outcome.records = item.at("records").get<int64_t>();
    if (item.contains("note")) outcome.note = item.at("note").get<std::string>();
    if (outcome.kind == "retained") {
      auto until = CivilDate::Parse(item.at("retained_until").get<std::string>());
      if (!until.ok()) return InvalidArgument("an outcome's retained_until is not a date");
      outcome.retained_until = *until;
      outcome.legal_basis = item.at("legal_basis").get<std::string>();
      store::HoldRecord hold;
      hold.collection = outcome.collection;
      hold.retained_until = *until;
      hold.legal_basis = *outcome.legal_basis;
      hold.keys = item.at("keys").get<std::vector<std::string>>();
      parsed.holds.push_back(std::move(hold));
    }
    parsed.outcomes.push_back(std::move(outcome));
  }
  return parsed;
}

// Outcome kinds and counts for the audit log (no keys, no values).
nlohmann::json OutcomeSummary(const std::vector<store::OutcomeRecord>& outcomes) {
  nlohmann::json summary = nlohmann::json::array();
  for (const auto& outcome : outcomes) {
    nlohmann::json entry = {
        {"collection", outcome.collection}, {"kind", outcome.kind}, {"records", outcome.records}};
    if (outcome.retained_until) entry["retained_until"] = outcome.retained_until->ToString();
    summary.push_back(std::move(entry));
  }
  return summary;
}

}  // namespace

std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, int retry, double unit) {
  auto cap = policy.backoff_base;
  for (int i = 1; i < retry && cap < policy.backoff_max; ++i) cap *= 2;
  cap = std::min(cap, policy.backoff_max);
  // Equal jitter: never less than half, so a failing source is not hammered,
  // and spread over the other half, so tasks that failed together do not
  // come back together.
  const auto half = cap / 2;
  const double placed = std::clamp(unit, 0.0, 1.0) * static_cast<double>((cap - half).count());
  return half + std::chrono::milliseconds(static_cast<int64_t>(placed));
}

Status TaskFlow::StoreHold(store::StoreWriter& writer, const store::TaskRecord& task,
                           store::HoldRecord hold, const std::string& worker_name) {
  hold.id = NewUuid();
  hold.request_id = task.request_id;
  hold.source = task.source;
  hold.status = store::HoldStatus::kActive;
  hold.created_at = FormatUtc(clock_.Now());
  DSR_RETURN_IF_ERROR(writer.InsertHold(hold));
  store::EventRecord event;
  event.request_id = task.request_id;
  event.at = hold.created_at;
  event.kind = "hold.created";
  event.actor = WorkerActor(worker_name);
  event.details = nlohmann::json{{"hold_id", hold.id},
                                 {"source", hold.source},
                                 {"collection", hold.collection},
                                 {"records", hold.keys.size()},
                                 {"retained_until", hold.retained_until.ToString()}}
                      .dump();
  return writer.AppendEvent(std::move(event));
}

void TaskFlow::Forget(const std::vector<std::string>& task_ids) {
  for (const auto& task_id : task_ids) {
    in_flight_.erase(task_id);
    spool_.Abandon(task_id);
    for (auto& [source, queue] : pending_) {
      queue.erase(std::remove_if(queue.begin(), queue.end(),
                                 [&](const Queued& queued) { return queued.task_id == task_id; }),
                  queue.end());
    }
  }
}

TaskFlow::TaskFlow(store::Store& store, const Clock& clock, ResultSpool& spool, RetryPolicy policy)
    : store_(store), clock_(clock), spool_(spool), policy_(std::move(policy)) {
  if (!policy_.random) policy_.random = SystemRandom();
}

Status TaskFlow::Transition(StoreWriter& writer, TaskRecord& task, TaskEvent event,
                            const std::string& actor, nlohmann::json details) {
  auto next = Next(task.status, event);
  if (!next.ok()) return next.status();
  task.status = *next;
  task.updated_at = FormatUtc(clock_.Now());
  DSR_RETURN_IF_ERROR(writer.UpdateTask(task));
  details["task_id"] = task.id;
  details["source"] = task.source;
  details["attempt"] = task.attempts;
  store::EventRecord event_record;
  event_record.request_id = task.request_id;
  event_record.at = task.updated_at;
  event_record.kind = std::string(AuditKind(event));
  event_record.actor = actor;
  event_record.details = details.dump();
  return writer.AppendEvent(std::move(event_record));
}

Status TaskFlow::Recover() {
  pending_.clear();
  in_flight_.clear();
  for (TaskStatus interrupted : {TaskStatus::kDispatched, TaskStatus::kRunning}) {
    auto tasks = store_.TasksWithStatus(interrupted);
    if (!tasks.ok()) return tasks.status();
    for (TaskRecord& task : *tasks) {
      const std::string reason = "the coordinator restarted during the attempt";
      const bool exhausted = task.attempts >= policy_.max_attempts;
      if (exhausted) {
        task.error_code = "attempt_lost";
        task.error_message = reason;
      }
      DSR_RETURN_IF_ERROR(store_.Write([&](StoreWriter& writer) {
        return Transition(writer, task, exhausted ? TaskEvent::kFail : TaskEvent::kRequeue,
                          "system", {{"code", "attempt_lost"}, {"reason", reason}});
      }));
    }
  }
  auto pending = store_.TasksWithStatus(TaskStatus::kPending);
  if (!pending.ok()) return pending.status();
  // A task waiting out its back-off when the previous process ended waits
  // for the rest of it (wall time is all that survives a restart).
  const auto now = clock_.Monotonic();
  const auto wall_now = clock_.Now();
  for (const auto& task : *pending) {
    Clock::MonotonicTime not_before = now;
    if (task.retry_at) {
      auto retry_at = ParseUtc(*task.retry_at);
      if (retry_at.ok() && *retry_at > wall_now) {
        not_before +=
            std::chrono::duration_cast<Clock::MonotonicTime::duration>(*retry_at - wall_now);
      }
    }
    pending_[task.source].push_back({task.id, not_before});
  }
  return Status::Ok();
}

void TaskFlow::Enqueue(const std::vector<TaskRecord>& tasks) {
  for (const auto& task : tasks) pending_[task.source].push_back({task.id, clock_.Monotonic()});
}

std::vector<std::string> TaskFlow::SourcesWithPendingTasks() const {
  const auto now = clock_.Monotonic();
  std::vector<std::string> sources;
  for (const auto& [source, queue] : pending_) {
    if (std::any_of(queue.begin(), queue.end(),
                    [&](const Queued& queued) { return queued.not_before <= now; })) {
      sources.push_back(source);
    }
  }
  return sources;
}

size_t TaskFlow::pending_count() const {
  size_t count = 0;
  for (const auto& entry : pending_) count += entry.second.size();
  return count;
}

size_t TaskFlow::backing_off_count() const {
  const auto now = clock_.Monotonic();
  size_t count = 0;
  for (const auto& [source, queue] : pending_) {
    count += std::count_if(queue.begin(), queue.end(),
                           [&](const Queued& queued) { return queued.not_before > now; });
  }
  return count;
}

std::optional<Clock::MonotonicTime> TaskFlow::NextDeadline() const {
  std::optional<Clock::MonotonicTime> next;
  const auto consider = [&](Clock::MonotonicTime at) {
    if (!next || at < *next) next = at;
  };
  const auto now = clock_.Monotonic();
  for (const auto& [task_id, flight] : in_flight_) consider(flight.deadline);
  for (const auto& [source, queue] : pending_) {
    for (const auto& queued : queue) {
      if (queued.not_before > now) consider(queued.not_before);
    }
  }
  return next;
}

std::vector<TaskFlow::TimedOut> TaskFlow::ExpireAttempts() {
  const auto now = clock_.Monotonic();
  std::vector<TimedOut> expired;
  for (const auto& [task_id, flight] : in_flight_) {
    if (!flight.received && flight.deadline <= now) {
      expired.push_back({task_id, flight.attempt, flight.worker});
    }
  }
  for (const auto& timed_out : expired) {
    const InFlight flight = in_flight_.at(timed_out.task_id);
    const std::string reason = "no word from worker " + flight.worker.name + " for " +
                               Seconds(policy_.TimeoutOf(flight.source));
    LogWarn("tasks", "task " + timed_out.task_id + " attempt " + std::to_string(flight.attempt) +
                         " of source " + flight.source + " timed out: " + reason);
    Status given_up = FailOrRetry(timed_out.task_id, flight, "timed_out", reason);
    if (!given_up.ok()) LogWarn("tasks", given_up.ToString());
  }
  return expired;
}

Result<TaskFlow::Dispatch> TaskFlow::DispatchNext(const std::string& source,
                                                  const WorkerRef& worker) {
  auto queue = pending_.find(source);
  const auto now = clock_.Monotonic();
  while (queue != pending_.end()) {
    auto ready = std::find_if(queue->second.begin(), queue->second.end(),
                              [&](const Queued& queued) { return queued.not_before <= now; });
    if (ready == queue->second.end()) break;
    const Queued taken = *ready;
    queue->second.erase(ready);
    auto dispatch = DispatchTask(taken.task_id, worker);
    if (dispatch.ok()) return dispatch;
    if (dispatch.status().code() == StatusCode::kConflict ||
        dispatch.status().code() == StatusCode::kNotFound) {
      // The store says this task is not pending (any more): it leaves the queue.
      LogWarn("tasks",
              "dropped task " + taken.task_id + " from the queue: " + dispatch.status().message());
      continue;
    }
    queue->second.push_front(taken);  // the store or the disk failed: try again later
    return dispatch.status();
  }
  return NotFound("no pending task for source " + source);
}

Result<TaskFlow::Dispatch> TaskFlow::DispatchTask(const std::string& task_id,
                                                  const WorkerRef& worker) {
  auto queued = store_.GetTask(task_id);
  if (!queued.ok()) return queued.status();
  if (queued->status != TaskStatus::kPending) {
    return Conflict("task is " + std::string(store::ToString(queued->status)));
  }
  // The spool folder is ready before the store says "dispatched", so a failing
  // disk leaves the task pending rather than dispatched to nobody.
  DSR_RETURN_IF_ERROR(spool_.Begin(queued->request_id, task_id, queued->attempts + 1));
  TaskRecord task;
  store::RequestRecord request;
  Status written = store_.Write([&](StoreWriter& writer) -> Status {
    auto loaded = writer.GetTask(task_id);
    if (!loaded.ok()) return loaded.status();
    auto owner = writer.GetRequest(loaded->request_id);
    if (!owner.ok()) return owner.status();
    task = std::move(loaded.value());
    request = std::move(owner.value());
    task.attempts += 1;
    task.worker = worker.name;
    task.error_code.reset();
    task.error_message.reset();
    task.retry_at.reset();
    return Transition(writer, task, TaskEvent::kDispatch, "system", {{"worker", worker.name}});
  });
  if (!written.ok()) {
    spool_.Abandon(task_id);
    return written;
  }
  in_flight_[task_id] = InFlight{task.request_id, task.source, task.attempts, worker,
                                 clock_.Monotonic() + policy_.TimeoutOf(task.source)};
  wire::Message message;
  message.command = wire::Command::kTask;
  message.header = {{"task_id", task.id},
                    {"attempt", task.attempts},
                    {"request_id", task.request_id},
                    {"action", std::string(store::ToString(task.action))},
                    {"subject", request.subject},
                    {"credit", kInitialChunkCredit}};
  if (task.scope) message.header["scope"] = nlohmann::json::parse(*task.scope);
  if (task.action == store::TaskAction::kRectify && request.corrections) {
    message.header["corrections"] = nlohmann::json::parse(*request.corrections);
  }
  return Dispatch{task_id, task.attempts, std::move(message)};
}

Result<TaskFlow::InFlight*> TaskFlow::CurrentAttempt(const WorkerRef& worker,
                                                     const nlohmann::json& header) {
  const std::string task_id = header.at("task_id").get<std::string>();
  const int attempt = header.at("attempt").get<int>();
  auto found = in_flight_.find(task_id);
  if (found == in_flight_.end() || found->second.attempt != attempt ||
      found->second.worker.routing_id != worker.routing_id) {
    return Conflict("message for task " + task_id + " attempt " + std::to_string(attempt) +
                    " is not for the current attempt; ignored");
  }
  // Word from the attempt: it is alive, its time-out starts again.
  found->second.deadline = clock_.Monotonic() + policy_.TimeoutOf(found->second.source);
  return &found->second;
}

Status TaskFlow::Started(const WorkerRef& worker, const nlohmann::json& progress) {
  auto flight = CurrentAttempt(worker, progress);
  if (!flight.ok()) return flight.status();
  const std::string task_id = progress.at("task_id").get<std::string>();
  return store_.Write([&](StoreWriter& writer) -> Status {
    auto task = writer.GetTask(task_id);
    if (!task.ok()) return task.status();
    if (task->status != TaskStatus::kDispatched) return Status::Ok();  // a repeated PROGRESS
    return Transition(writer, *task, TaskEvent::kStart, WorkerActor(worker.name), {});
  });
}

Status TaskFlow::Chunk(const WorkerRef& worker, const nlohmann::json& header,
                       const std::string& payload) {
  auto flight = CurrentAttempt(worker, header);
  if (!flight.ok()) return flight.status();
  const std::string task_id = header.at("task_id").get<std::string>();
  Status appended = spool_.Append(task_id, (*flight)->attempt, header.at("seq").get<int64_t>(),
                                  header.at("collection").get<std::string>(),
                                  header.at("records").get<int64_t>(), payload);
  if (appended.ok()) return appended;
  DSR_RETURN_IF_ERROR(FailOrRetry(task_id, **flight, "invalid_result", appended.message()));
  return appended;
}

Result<std::optional<std::string>> TaskFlow::Finished(const WorkerRef& worker,
                                                      const nlohmann::json& result) {
  auto flight = CurrentAttempt(worker, result);
  if (!flight.ok()) return flight.status();
  const std::string task_id = result.at("task_id").get<std::string>();
  const InFlight current = **flight;
  if (result.at("status") == "failed") {
    const auto& error = result.at("error");
    DSR_RETURN_IF_ERROR(FailOrRetry(task_id, current, error.at("code").get<std::string>(),
                                    error.at("message").get<std::string>()));
    return std::optional<std::string>();
  }
  std::map<std::string, int64_t> reported;
  int64_t total = 0;
  for (const auto& collection : result.at("collections")) {
    const auto records = collection.at("records").get<int64_t>();
    reported[collection.at("name").get<std::string>()] = records;
    total += records;
  }
  auto stored =
      spool_.Finish(task_id, current.attempt, result.at("chunks").get<int64_t>(), reported);
  if (!stored.ok()) {
    DSR_RETURN_IF_ERROR(FailOrRetry(task_id, current, "invalid_result", stored.status().message()));
    return stored.status();
  }
  auto outcomes = ParseOutcomes(task_id, result);
  if (!outcomes.ok()) {
    DSR_RETURN_IF_ERROR(
        FailOrRetry(task_id, current, "invalid_result", outcomes.status().message()));
    return outcomes.status();
  }
  InFlight& attempt = **flight;
  attempt.received = ReceivedResult{total, std::move(*stored), std::move(outcomes->outcomes),
                                    std::move(outcomes->holds)};
  auto request_ready = CommitResult(task_id, attempt);
  if (!request_ready.ok()) return request_ready.status();
  if (*request_ready) return std::optional<std::string>(current.request_id);
  return std::optional<std::string>();
}

Result<bool> TaskFlow::CommitResult(const std::string& task_id, InFlight& flight) {
  const ReceivedResult& received = *flight.received;
  bool request_ready = false;
  Status written = store_.Write([&](StoreWriter& writer) -> Status {
    auto task = writer.GetTask(task_id);
    if (!task.ok()) return task.status();
    // A commit whose connection broke at COMMIT may have landed after all.
    const bool committed_before =
        task->status == TaskStatus::kSucceeded && task->attempts == flight.attempt;
    if (!committed_before) {
      task->records = received.records;
      DSR_RETURN_IF_ERROR(writer.ReplaceResults(task_id, received.results));
      DSR_RETURN_IF_ERROR(writer.ReplaceOutcomes(task_id, received.outcomes));
      for (const auto& hold : received.holds) {
        DSR_RETURN_IF_ERROR(StoreHold(writer, *task, hold, flight.worker.name));
      }
      DSR_RETURN_IF_ERROR(Transition(
          writer, *task, TaskEvent::kSucceed, WorkerActor(flight.worker.name),
          {{"records", received.records}, {"outcomes", OutcomeSummary(received.outcomes)}}));
    }
    auto siblings = writer.TasksOfRequest(flight.request_id);
    if (!siblings.ok()) return siblings.status();
    request_ready = std::all_of(siblings->begin(), siblings->end(), [](const TaskRecord& t) {
      return t.status == TaskStatus::kSucceeded || t.status == TaskStatus::kCancelled;
    });
    return Status::Ok();
  });
  if (written.code() == StatusCode::kUnavailable) {
    // The result is in hand: keep it and try again soon, rather than run the
    // task once more after its time-out.
    flight.deadline = clock_.Monotonic() + kCommitRetryInterval;
    LogWarn("tasks",
            "the result of task " + task_id + " waits for the store: " + written.message());
    return written;
  }
  if (!written.ok()) {
    // Not a passing outage: the attempt ends by its time-out and runs again.
    flight.received.reset();
    return written;
  }
  in_flight_.erase(task_id);
  return request_ready;
}

std::vector<std::string> TaskFlow::CommitReceivedResults() {
  const auto now = clock_.Monotonic();
  std::vector<std::string> waiting;
  for (const auto& [task_id, flight] : in_flight_) {
    if (flight.received && flight.deadline <= now) waiting.push_back(task_id);
  }
  std::vector<std::string> ready;
  for (const auto& task_id : waiting) {
    InFlight& flight = in_flight_.at(task_id);
    const std::string request_id = flight.request_id;
    auto request_ready = CommitResult(task_id, flight);
    if (request_ready.ok() && *request_ready) ready.push_back(request_id);
  }
  return ready;
}

Status TaskFlow::Requeue(const std::string& task_id, int attempt, const std::string& reason) {
  auto found = in_flight_.find(task_id);
  if (found == in_flight_.end() || found->second.attempt != attempt) return Status::Ok();
  // Its result arrived and waits for the store: the worker is no longer needed.
  if (found->second.received) return Status::Ok();
  const InFlight flight = found->second;
  return FailOrRetry(task_id, flight, "attempt_lost", reason);
}

Status TaskFlow::FailOrRetry(const std::string& task_id, InFlight flight, const std::string& code,
                             const std::string& message) {
  in_flight_.erase(task_id);
  spool_.Abandon(task_id);
  bool retry = false;
  std::chrono::milliseconds delay{0};
  Status written = store_.Write([&](StoreWriter& writer) -> Status {
    auto task = writer.GetTask(task_id);
    if (!task.ok()) return task.status();
    retry = IsRetryable(code) && task->attempts < policy_.max_attempts;
    task->error_code = code;
    task->error_message = message;
    // A worker's own message stays in the task (for the operator), not in the
    // audit log, which must hold no personal data; our own reasons are safe.
    const bool worker_said = code != "attempt_lost" && code != "timed_out";
    const std::string actor = worker_said ? WorkerActor(flight.worker.name) : "system";
    nlohmann::json details = {{"code", code}};
    if (IsOwnReason(code)) details["reason"] = message;
    if (retry) {
      delay = RetryDelay(policy_, task->attempts, policy_.random());
      task->retry_at = FormatUtc(clock_.Now() + delay);
      details["retry_at"] = *task->retry_at;
    }
    return Transition(writer, *task, retry ? TaskEvent::kRequeue : TaskEvent::kFail, actor,
                      std::move(details));
  });
  if (!written.ok()) return written;
  if (retry) {
    pending_[flight.source].push_back({task_id, clock_.Monotonic() + delay});
  } else {
    LogWarn("tasks", "task " + task_id + " of source " + flight.source + " failed: " + code);
  }
  return Status::Ok();
}

}  // namespace dsr::workflow
