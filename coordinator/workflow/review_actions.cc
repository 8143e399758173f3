// The review half of RequestActions: decisions on reported records,
// approval, rejection, cancellation, and retrying a failed task.
#include <algorithm>
#include <map>
#include <set>

#include "common/digest.h"
#include "coordinator/workflow/request_actions.h"
#include "coordinator/workflow/request_changes.h"
#include "coordinator/workflow/spool_reader.h"

namespace dsr::workflow {
namespace {

using store::RequestRecord;
using store::RequestStatus;
using store::ReviewDecision;
using store::StoreWriter;
using store::TaskRecord;

struct ResultFile {
  std::string path;
  int64_t records = 0;
};

Result<ResultFile> FindResult(const store::Store& store, const std::string& request_id,
                              const std::string& task_id, const std::string& collection) {
  auto results = store.ResultsOfRequest(request_id);
  if (!results.ok()) return results.status();
  for (const auto& result : *results) {
    if (result.task_id == task_id && result.collection == collection) {
      return ResultFile{result.path, result.records};
    }
  }
  return NotFound("task " + task_id + " reported no records in collection " + collection);
}

// The latest decision per (task, collection, line).
using DecisionKey = std::tuple<std::string, std::string, int64_t>;
std::map<DecisionKey, store::ReviewDecisionRecord> LatestDecisions(
    const std::vector<store::ReviewDecisionRecord>& decisions) {
  std::map<DecisionKey, store::ReviewDecisionRecord> latest;
  for (const auto& decision : decisions) {
    latest[{decision.task_id, decision.collection, decision.line}] = decision;
  }
  return latest;
}

struct ReviewState {
  int64_t undecided_ambiguous = 0;
  // Accepted ambiguous records not acted on yet, per source and collection.
  std::map<std::string, std::map<std::string, std::set<std::string>>> accepted_pending;
  int round = 1;
};

Result<ReviewState> ReadReviewState(const store::Store& store, const RequestRecord& request) {
  auto tasks = store.TasksOfRequest(request.id);
  auto results = store.ResultsOfRequest(request.id);
  auto decisions = store.ReviewDecisionsOf(request.id);
  if (!tasks.ok()) return tasks.status();
  if (!results.ok()) return results.status();
  if (!decisions.ok()) return decisions.status();
  const auto latest = LatestDecisions(*decisions);
  ReviewState state;
  std::map<std::string, const TaskRecord*> by_id;
  for (const auto& task : *tasks) {
    by_id[task.id] = &task;
    state.round = std::max(state.round, task.round);
  }
  for (const auto& result : *results) {
    const TaskRecord* task = by_id.at(result.task_id);
    DSR_RETURN_IF_ERROR(ReadSpool(
        result.path, store.data_keys(), 0, result.records, [&](const SpooledRecord& record) {
          if (!record.ambiguous) return true;
          const auto decision = latest.find({result.task_id, result.collection, record.line});
          if (decision == latest.end()) {
            ++state.undecided_ambiguous;
          } else if (decision->second.decision == ReviewDecision::kInclude &&
                     task->round == state.round && request.type != store::RequestType::kAccess &&
                     record.key) {
            state.accepted_pending[task->source][result.collection].insert(*record.key);
          }
          return true;
        }));
  }
  return state;
}

}  // namespace

Status RequestActions::Decide(const std::string& id, const DecisionInput& input,
                              const std::string& actor) {
  auto request = c_.store.GetRequest(id);
  if (!request.ok()) return request.status();
  if (request->status != RequestStatus::kInReview || request->approved_at) {
    return Conflict(
        "records are reviewed while a request is in_review and not yet approved; this one is " +
        std::string(store::ToString(request->status)));
  }
  auto task = c_.store.GetTask(input.task_id);
  if (!task.ok() || task->request_id != id)
    return NotFound("no task " + input.task_id + " in this request");
  auto file = FindResult(c_.store, id, input.task_id, input.collection);
  if (!file.ok()) return file.status();
  auto record = ReadSpoolLine(file->path, c_.store.data_keys(), input.line);
  if (!record.ok())
    return NotFound("collection " + input.collection + " has no line " +
                    std::to_string(input.line));
  const bool access = request->type == store::RequestType::kAccess;
  if (input.decision == ReviewDecision::kInclude) {
    if (!record->ambiguous)
      return Conflict(
          "only an ambiguous record can be included; this one is the subject's already");
    if (!access && !record->key)
      return Conflict("this record has no key, so it cannot be changed on its own");
  }
  if (input.decision == ReviewDecision::kRedactFields) {
    if (!access) return Conflict("fields are withheld from access answers only");
    for (const auto& field : input.fields) {
      if (!record->record.contains(field))
        return ValidationError("the record has no field '" + field + "'");
    }
  }
  const std::string now = FormatUtc(c_.clock.Now());
  store::ReviewDecisionRecord decision{NewUuid(),
                                       id,
                                       input.task_id,
                                       input.collection,
                                       input.line,
                                       record->key,
                                       input.decision,
                                       input.fields,
                                       input.reason,
                                       actor,
                                       now};
  return c_.store.Write([&](StoreWriter& writer) -> Status {
    auto current = writer.GetRequest(id);
    if (!current.ok()) return current.status();
    if (current->status != RequestStatus::kInReview || current->approved_at) {
      return Conflict("the request is no longer in review");
    }
    DSR_RETURN_IF_ERROR(writer.InsertReviewDecision(decision));
    return writer.AppendEvent(MakeEvent(id, now, "review.decided", actor,
                                        {{"decision_id", decision.id},
                                         {"decision", store::ToString(input.decision)},
                                         {"task_id", input.task_id},
                                         {"collection", input.collection},
                                         {"line", input.line},
                                         {"fields", input.fields},
                                         {"reason_sha256", Sha256Hex(input.reason)}}));
  });
}

Result<ActionEffects> RequestActions::Approve(const std::string& id,
                                              const std::optional<std::string>& note,
                                              const std::string& actor) {
  auto request = c_.store.GetRequest(id);
  if (!request.ok()) return request.status();
  if (request->status != RequestStatus::kInReview) {
    return Conflict("a request that is " + std::string(store::ToString(request->status)) +
                    " cannot be approved");
  }
  if (request->approved_at)
    return Conflict("the request is approved already; its answer is being sealed");
  auto review = ReadReviewState(c_.store, *request);
  if (!review.ok()) return review.status();
  if (review->undecided_ambiguous > 0) {
    return Conflict(std::to_string(review->undecided_ambiguous) +
                    " ambiguous records need a decision (include or exclude, with a reason) first");
  }
  const std::string now = FormatUtc(c_.clock.Now());
  ActionEffects effects;
  DSR_RETURN_IF_ERROR(c_.store.Write([&](StoreWriter& writer) -> Status {
    auto current = writer.GetRequest(id);
    if (!current.ok()) return current.status();
    if (current->status != RequestStatus::kInReview || current->approved_at) {
      return Conflict("the request changed meanwhile; look again");
    }
    nlohmann::json details = nlohmann::json::object();
    if (note) details["note_sha256"] = Sha256Hex(*note);
    if (!review->accepted_pending.empty()) {
      nlohmann::json sources = nlohmann::json::array();
      for (const auto& [source, selection] : review->accepted_pending) {
        nlohmann::json scope = {{"mode", "only"}, {"selection", selection}};
        TaskRecord task = NewTask(*current, source, store::ActionFor(current->type), scope.dump(),
                                  review->round + 1, now);
        DSR_RETURN_IF_ERROR(writer.InsertTask(task));
        effects.enqueue.push_back(task);
        sources.push_back(source);
      }
      details["sources"] = sources;
      return Transition(writer, *current, RequestEvent::kRevise, actor, details, now);
    }
    // The answer is given: a clock still paused stops standing still today.
    if (current->paused_since) {
      DSR_RETURN_IF_ERROR(EndPause(writer, *current, LocalDate(c_.clock.Now()), c_.policy,
                                   c_.calendar, actor, now));
    }
    DSR_RETURN_IF_ERROR(writer.AppendEvent(MakeEvent(id, now, "request.approved", actor, details)));
    current->approved_at = now;
    current->updated_at = now;
    if (current->type == store::RequestType::kAccess) {
      effects.seal_bundle = true;  // completed once the bundle is sealed
      return writer.UpdateRequest(*current);
    }
    current->completed_at = now;
    effects.write_letter = true;
    return Transition(writer, *current, RequestEvent::kApprove, actor, {}, now);
  }));
  return effects;
}

Result<ActionEffects> RequestActions::Reject(const std::string& id, const std::string& ground,
                                             const std::string& reason, const std::string& actor) {
  const bool known = std::any_of(std::begin(kRejectionGrounds), std::end(kRejectionGrounds),
                                 [&](const char* name) { return ground == name; });
  if (!known) {
    return ValidationError(
        "invalid rejection",
        {"ground: must be manifestly_unfounded, excessive, identity_not_established or other"});
  }
  const std::string now = FormatUtc(c_.clock.Now());
  ActionEffects effects;
  DSR_RETURN_IF_ERROR(c_.store.Write([&](StoreWriter& writer) -> Status {
    auto request = writer.GetRequest(id);
    if (!request.ok()) return request.status();
    if (request->paused_since && !store::IsFinal(request->status)) {
      DSR_RETURN_IF_ERROR(EndPause(writer, *request, LocalDate(c_.clock.Now()), c_.policy,
                                   c_.calendar, actor, now));
    }
    return CloseRequest(writer, *request, RequestEvent::kReject, ground, reason, actor, now,
                        &effects);
  }));
  return effects;
}

Result<ActionEffects> RequestActions::Cancel(const std::string& id, const std::string& reason,
                                             const std::string& actor) {
  const std::string now = FormatUtc(c_.clock.Now());
  ActionEffects effects;
  DSR_RETURN_IF_ERROR(c_.store.Write([&](StoreWriter& writer) -> Status {
    auto request = writer.GetRequest(id);
    if (!request.ok()) return request.status();
    if (request->paused_since && !store::IsFinal(request->status)) {
      DSR_RETURN_IF_ERROR(EndPause(writer, *request, LocalDate(c_.clock.Now()), c_.policy,
                                   c_.calendar, actor, now));
    }
    return CloseRequest(writer, *request, RequestEvent::kCancel, "", reason, actor, now, &effects);
  }));
  return effects;
}

Result<ActionEffects> RequestActions::RetryTask(const std::string& id, const std::string& task_id,
                                                const std::string& actor) {
  const std::string now = FormatUtc(c_.clock.Now());
  ActionEffects effects;
  DSR_RETURN_IF_ERROR(c_.store.Write([&](StoreWriter& writer) -> Status {
    auto request = writer.GetRequest(id);
    if (!request.ok()) return request.status();
    if (request->status != RequestStatus::kInProgress) {
      return Conflict("tasks are retried while the request is in_progress; it is " +
                      std::string(store::ToString(request->status)));
    }
    auto task = writer.GetTask(task_id);
    if (!task.ok() || task->request_id != id)
      return NotFound("no task " + task_id + " in this request");
    auto pending = Next(task->status, TaskEvent::kRetry);
    if (!pending.ok()) return pending.status();
    task->status = *pending;
    task->attempts = 0;  // a fresh set of attempts
    task->error_code.reset();
    task->error_message.reset();
    task->updated_at = now;
    DSR_RETURN_IF_ERROR(writer.UpdateTask(*task));
    effects.enqueue.push_back(*task);
    return writer.AppendEvent(MakeEvent(id, now, std::string(AuditKind(TaskEvent::kRetry)), actor,
                                        {{"task_id", task_id}, {"source", task->source}}));
  }));
  return effects;
}

}  // namespace dsr::workflow
