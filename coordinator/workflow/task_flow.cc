#include "coordinator/workflow/task_flow.h"

#include <nlohmann/json.hpp>

#include "common/digest.h"
#include "common/log.h"

namespace dsr::workflow {
namespace {

using store::StoreWriter;
using store::TaskRecord;
using store::TaskStatus;

std::string WorkerActor(const std::string& name) {
  return "worker:" + name;
}

// Failures that another attempt may mend.
bool IsRetryable(const std::string& code) {
  return code == "unavailable" || code == "attempt_lost" || code == "invalid_result";
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
      queue.erase(std::remove(queue.begin(), queue.end(), task_id), queue.end());
    }
  }
}

TaskFlow::TaskFlow(store::Store& store, const Clock& clock, ResultSpool& spool, int max_attempts)
    : store_(store), clock_(clock), spool_(spool), max_attempts_(max_attempts) {}

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
      const bool exhausted = task.attempts >= max_attempts_;
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
  Enqueue(*pending);
  return Status::Ok();
}

void TaskFlow::Enqueue(const std::vector<TaskRecord>& tasks) {
  for (const auto& task : tasks) pending_[task.source].push_back(task.id);
}

std::vector<std::string> TaskFlow::SourcesWithPendingTasks() const {
  std::vector<std::string> sources;
  for (const auto& [source, queue] : pending_) {
    if (!queue.empty()) sources.push_back(source);
  }
  return sources;
}

size_t TaskFlow::pending_count() const {
  size_t count = 0;
  for (const auto& entry : pending_) count += entry.second.size();
  return count;
}

Result<TaskFlow::Dispatch> TaskFlow::DispatchNext(const std::string& source,
                                                  const WorkerRef& worker) {
  auto queue = pending_.find(source);
  while (queue != pending_.end() && !queue->second.empty()) {
    const std::string task_id = queue->second.front();
    queue->second.pop_front();
    auto dispatch = DispatchTask(task_id, worker);
    if (dispatch.ok()) return dispatch;
    if (dispatch.status().code() == StatusCode::kConflict ||
        dispatch.status().code() == StatusCode::kNotFound) {
      // The store says this task is not pending (any more): it leaves the queue.
      LogWarn("tasks",
              "dropped task " + task_id + " from the queue: " + dispatch.status().message());
      continue;
    }
    queue->second.push_front(task_id);  // the store or the disk failed: try again later
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
    return Transition(writer, task, TaskEvent::kDispatch, "system", {{"worker", worker.name}});
  });
  if (!written.ok()) {
    spool_.Abandon(task_id);
    return written;
  }
  in_flight_[task_id] = InFlight{task.request_id, task.source, task.attempts, worker};
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
  return Dispatch{task_id, std::move(message)};
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
  bool request_ready = false;
  DSR_RETURN_IF_ERROR(store_.Write([&](StoreWriter& writer) -> Status {
    auto task = writer.GetTask(task_id);
    if (!task.ok()) return task.status();
    task->records = total;
    DSR_RETURN_IF_ERROR(writer.ReplaceResults(task_id, *stored));
    DSR_RETURN_IF_ERROR(writer.ReplaceOutcomes(task_id, outcomes->outcomes));
    for (const auto& hold : outcomes->holds) {
      DSR_RETURN_IF_ERROR(StoreHold(writer, *task, hold, worker.name));
    }
    DSR_RETURN_IF_ERROR(
        Transition(writer, *task, TaskEvent::kSucceed, WorkerActor(worker.name),
                   {{"records", total}, {"outcomes", OutcomeSummary(outcomes->outcomes)}}));
    auto siblings = writer.TasksOfRequest(current.request_id);
    if (!siblings.ok()) return siblings.status();
    request_ready = std::all_of(siblings->begin(), siblings->end(), [](const TaskRecord& t) {
      return t.status == TaskStatus::kSucceeded || t.status == TaskStatus::kCancelled;
    });
    return Status::Ok();
  }));
  in_flight_.erase(task_id);
  if (request_ready) return std::optional<std::string>(current.request_id);
  return std::optional<std::string>();
}

Status TaskFlow::Requeue(const std::string& task_id, const std::string& reason) {
  auto found = in_flight_.find(task_id);
  if (found == in_flight_.end()) return Status::Ok();
  const InFlight flight = found->second;
  return FailOrRetry(task_id, flight, "attempt_lost", reason);
}

Status TaskFlow::FailOrRetry(const std::string& task_id, InFlight flight, const std::string& code,
                             const std::string& message) {
  in_flight_.erase(task_id);
  spool_.Abandon(task_id);
  bool retry = false;
  Status written = store_.Write([&](StoreWriter& writer) -> Status {
    auto task = writer.GetTask(task_id);
    if (!task.ok()) return task.status();
    retry = IsRetryable(code) && task->attempts < max_attempts_;
    task->error_code = code;
    task->error_message = message;
    // A worker's own message stays in the task (for the operator), not in the
    // audit log, which must hold no personal data; our own reasons are safe.
    const bool our_reason = code == "attempt_lost" || code == "invalid_result";
    const std::string actor = code == "attempt_lost" ? "system" : WorkerActor(flight.worker.name);
    nlohmann::json details = {{"code", code}};
    if (our_reason) details["reason"] = message;
    return Transition(writer, *task, retry ? TaskEvent::kRequeue : TaskEvent::kFail, actor,
                      std::move(details));
  });
  if (!written.ok()) return written;
  if (retry) {
    pending_[flight.source].push_back(task_id);
  } else {
    LogWarn("tasks", "task " + task_id + " of source " + flight.source + " failed: " + code);
  }
  return Status::Ok();
}

}  // namespace dsr::workflow
