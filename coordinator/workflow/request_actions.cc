#include "coordinator/workflow/request_actions.h"

#include <nlohmann/json.hpp>

#include "common/digest.h"
#include "coordinator/deadlines/deadline.h"
#include "coordinator/workflow/consistency.h"
#include "coordinator/workflow/lifecycle.h"
#include "coordinator/workflow/request_changes.h"

namespace dsr::workflow {

using store::RequestRecord;
using store::RequestStatus;
using store::StoreWriter;
using store::TaskRecord;

namespace {

bool IsBlank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

// The day the data subject last answered: the end of the latest finished pause.
std::optional<CivilDate> LastResumedOn(const std::vector<store::PauseRecord>& pauses) {
  std::optional<CivilDate> last;
  for (const auto& pause : pauses) {
    if (pause.ended_on && (!last || *last < *pause.ended_on)) last = pause.ended_on;
  }
  return last;
}

// Art. 12(3) allows one extension, decided before the first deadline passes.
Status CheckExtensionAllowed(const RequestRecord& request, CivilDate today,
                             deadlines::PauseMode mode) {
  if (store::IsFinal(request.status)) {
    return Conflict("a request that is " + std::string(store::ToString(request.status)) +
                    " cannot be extended");
  }
  if (request.origin == store::RequestOrigin::kHold) {
    return Conflict(
        "this erasure was filed by dsr when a retention ended; it answers no data subject and "
        "has no Art. 12(3) deadline to extend");
  }
  if (request.extended_due_on) {
    return Conflict("the deadline of this request was already extended, to " +
                    request.extended_due_on->ToString() + "; Art. 12(3) allows one extension");
  }
  const auto standing = deadlines::StandingOf(request.due_on, today, request.paused_since, mode, 0);
  if (standing.state == deadlines::DeadlineState::kOverdue) {
    return Conflict("the first deadline of this request ended on " + request.due_on.ToString() +
                    "; an extension must be decided before it (Art. 12(3))");
  }
  return Status::Ok();
}

}  // namespace

Result<Submitted> RequestActions::Submit(const NewRequest& input, const std::string& actor) {
  const std::string now = FormatUtc(c_.clock.Now());
  RequestRecord request;
  request.id = NewUuid();
  request.type = input.type;
  request.status = RequestStatus::kReceived;
  request.subject = input.subject;
  request.language = input.language;
  request.channel = input.channel;
  request.note = input.note;
  request.corrections = input.corrections;
  request.received_on = input.received_on;
  request.due_on = deadlines::DueDate(input.received_on, c_.calendar);
  request.created_at = now;
  request.updated_at = now;

  Submitted submitted{request.id, {}};
  DSR_RETURN_IF_ERROR(c_.store.Write([&](StoreWriter& writer) -> Status {
    DSR_RETURN_IF_ERROR(writer.InsertRequest(request));
    nlohmann::json identities = nlohmann::json::object();
    for (const auto& [attribute, value] : request.subject)
      identities[attribute] = c_.hasher.Hash(value);
    DSR_RETURN_IF_ERROR(writer.AppendEvent(
        MakeEvent(request.id, now, "request.received", actor,
                  {{"type", store::ToString(request.type)},
                   {"received_on", request.received_on.ToString()},
                   {"due_on", request.due_on.ToString()},
                   {"identities", identities},
                   {"corrections", request.corrections ? CorrectedAttributes(*request.corrections)
                                                       : nlohmann::json::array()}})));
    if (c_.policy.identity_required) {
      return Transition(writer, request, RequestEvent::kAwaitIdentity, "system", {}, now);
    }
    return PlanTasks(writer, request, c_.sources, "system", now, &submitted.effects);
  }));
  return submitted;
}

Result<ActionEffects> RequestActions::RecordIdentityCheck(const std::string& id,
                                                          const IdentityCheckInput& check,
                                                          const std::string& actor) {
  if (check.outcome != "confirmed" && check.outcome != "failed") {
    return ValidationError("invalid identity check", {"outcome: must be confirmed or failed"});
  }
  const std::string now = FormatUtc(c_.clock.Now());
  const CivilDate today = LocalDate(c_.clock.Now());
  ActionEffects effects;
  DSR_RETURN_IF_ERROR(c_.store.Write([&](StoreWriter& writer) -> Status {
    auto request = writer.GetRequest(id);
    if (!request.ok()) return request.status();
    if (request->status != RequestStatus::kAwaitingIdentity) {
      return Conflict("the identity is checked while a request is awaiting_identity; this one is " +
                      std::string(store::ToString(request->status)));
    }
    store::IdentityCheckRecord record{NewUuid(),     id,        now, actor, check.method,
                                      check.outcome, check.note};
    DSR_RETURN_IF_ERROR(writer.InsertIdentityCheck(record));
    DSR_RETURN_IF_ERROR(writer.AppendEvent(MakeEvent(
        id, now, "identity.checked", actor,
        {{"check_id", record.id}, {"method", check.method}, {"outcome", check.outcome}})));
    if (request->paused_since) {
      DSR_RETURN_IF_ERROR(EndPause(writer, *request, today, c_.policy, c_.calendar, actor, now));
    }
    if (check.outcome == "failed") {
      return CloseRequest(writer, *request, RequestEvent::kReject, "identity_not_established",
                          check.note.value_or("the identity could not be established"), actor, now,
                          &effects);
    }
    return PlanTasks(writer, *request, c_.sources, actor, now, &effects);
  }));
  return effects;
}

Status RequestActions::Pause(const std::string& id, const std::string& reason,
                             const std::string& actor) {
  const std::string now = FormatUtc(c_.clock.Now());
  const CivilDate today = LocalDate(c_.clock.Now());
  return c_.store.Write([&](StoreWriter& writer) -> Status {
    auto request = writer.GetRequest(id);
    if (!request.ok()) return request.status();
    if (store::IsFinal(request->status)) {
      return Conflict("a request that is " + std::string(store::ToString(request->status)) +
                      " cannot be paused");
    }
    if (request->paused_since) return Conflict("the clock of this request is already paused");
    DSR_RETURN_IF_ERROR(writer.InsertPause({NewUuid(), id, today, std::nullopt, reason, actor}));
    request->paused_since = today;
    request->updated_at = now;
    DSR_RETURN_IF_ERROR(writer.UpdateRequest(*request));
    return writer.AppendEvent(
        MakeEvent(id, now, "request.paused", actor,
                  {{"since", today.ToString()}, {"reason_sha256", Sha256Hex(reason)}}));
  });
}

Status RequestActions::Resume(const std::string& id, const std::string& actor) {
  const std::string now = FormatUtc(c_.clock.Now());
  const CivilDate today = LocalDate(c_.clock.Now());
  return c_.store.Write([&](StoreWriter& writer) -> Status {
    auto request = writer.GetRequest(id);
    if (!request.ok()) return request.status();
    if (!request->paused_since) return Conflict("the clock of this request is not paused");
    return EndPause(writer, *request, today, c_.policy, c_.calendar, actor, now);
  });
}

Result<ActionEffects> RequestActions::Extend(const std::string& id, const std::string& reason,
                                             const std::string& actor) {
  if (IsBlank(reason)) {
    return ValidationError(
        "invalid extension",
        {"reason: the data subject must be told why the request needs more time"});
  }
  const std::string now = FormatUtc(c_.clock.Now());
  const CivilDate today = LocalDate(c_.clock.Now());
  // Read before the write: the engine thread is the only writer.
  auto pauses = c_.store.PausesOf(id);
  if (!pauses.ok()) return pauses.status();
  ActionEffects effects;
  DSR_RETURN_IF_ERROR(c_.store.Write([&](StoreWriter& writer) -> Status {
    auto request = writer.GetRequest(id);
    if (!request.ok()) return request.status();
    DSR_RETURN_IF_ERROR(CheckExtensionAllowed(*request, today, c_.policy.pause_mode));
    request->extended_due_on = deadlines::ExtendedDueDateAfterPauses(
        request->received_on, request->paused_days, LastResumedOn(*pauses), c_.policy.pause_mode,
        c_.policy.extension_from, c_.calendar);
    request->extended_at = now;
    request->extension_reason = reason;
    request->updated_at = now;
    DSR_RETURN_IF_ERROR(writer.UpdateRequest(*request));
    effects.write_extension_letter = true;
    return writer.AppendEvent(MakeEvent(id, now, "request.extended", actor,
                                        {{"due_on", request->due_on.ToString()},
                                         {"extended_due_on", request->extended_due_on->ToString()},
                                         {"reason_sha256", Sha256Hex(reason)}}));
  }));
  return effects;
}

Result<ActionEffects> RequestActions::Settle(const std::string& id) {
  const std::string now = FormatUtc(c_.clock.Now());
  ActionEffects effects;
  auto differences = CompareAttributes(c_.store, id, c_.policy.country_code);
  if (!differences.ok()) return differences.status();
  DSR_RETURN_IF_ERROR(c_.store.Write([&](StoreWriter& writer) -> Status {
    auto request = writer.GetRequest(id);
    if (!request.ok()) return request.status();
    auto tasks = writer.TasksOfRequest(id);
    if (!tasks.ok()) return tasks.status();
    for (const auto& task : *tasks) {
      if (task.status != store::TaskStatus::kSucceeded &&
          task.status != store::TaskStatus::kCancelled) {
        return Conflict("task " + task.id + " of source " + task.source + " is " +
                        std::string(store::ToString(task.status)));
      }
    }
    if (!differences->empty()) {
      request->consistency = differences->dump();
      nlohmann::json attributes = nlohmann::json::array();
      for (const auto& difference : *differences) attributes.push_back(difference.at("attribute"));
      DSR_RETURN_IF_ERROR(writer.AppendEvent(
          MakeEvent(id, now, "consistency.differs", "system", {{"attributes", attributes}})));
    }
    if (request->origin == store::RequestOrigin::kHold) {
      request->completed_at = now;
      return Transition(writer, *request, RequestEvent::kCompleteFollowUp, "system", {}, now);
    }
    return Transition(writer, *request, RequestEvent::kSettle, "system", {}, now);
  }));
  return effects;
}

Result<Submitted> RequestActions::FileFollowUp(const store::HoldRecord& hold) {
  const std::string now = FormatUtc(c_.clock.Now());
  Submitted submitted;
  DSR_RETURN_IF_ERROR(c_.store.Write([&](StoreWriter& writer) -> Status {
    auto current = writer.GetHold(hold.id);
    if (!current.ok()) return current.status();
    if (current->status != store::HoldStatus::kActive)
      return Conflict("the hold has ended already");
    auto original = writer.GetRequest(hold.request_id);
    if (!original.ok()) return original.status();
    RequestRecord follow_up;
    follow_up.id = NewUuid();
    follow_up.type = store::RequestType::kErasure;
    follow_up.status = RequestStatus::kReceived;
    follow_up.subject = original->subject;
    follow_up.language = original->language;
    follow_up.origin = store::RequestOrigin::kHold;
    follow_up.follow_up_of = hold.request_id;
    follow_up.received_on = LocalDate(c_.clock.Now());
    follow_up.due_on = deadlines::DueDate(follow_up.received_on, c_.calendar);
    follow_up.created_at = now;
    follow_up.updated_at = now;
    DSR_RETURN_IF_ERROR(writer.InsertRequest(follow_up));
    DSR_RETURN_IF_ERROR(
        writer.AppendEvent(MakeEvent(follow_up.id, now, "request.received", "system",
                                     {{"type", "erasure"},
                                      {"follow_up_of", hold.request_id},
                                      {"hold_id", hold.id},
                                      {"retained_until", hold.retained_until.ToString()}})));
    current->status = store::HoldStatus::kEnded;
    current->follow_up_request_id = follow_up.id;
    DSR_RETURN_IF_ERROR(writer.UpdateHold(*current));
    DSR_RETURN_IF_ERROR(writer.AppendEvent(MakeEvent(hold.request_id, now, "hold.ended", "system",
                                                     {{"hold_id", hold.id},
                                                      {"source", hold.source},
                                                      {"collection", hold.collection},
                                                      {"records", hold.keys.size()},
                                                      {"follow_up_request_id", follow_up.id}})));
    const nlohmann::json scope = {
        {"mode", "only"}, {"selection", {{hold.collection, hold.keys}}}, {"retention_ended", true}};
    TaskRecord task =
        NewTask(follow_up, hold.source, store::TaskAction::kErase, scope.dump(), 1, now);
    DSR_RETURN_IF_ERROR(writer.InsertTask(task));
    submitted.effects.enqueue.push_back(task);
    return Transition(writer, follow_up, RequestEvent::kPlan, "system",
                      {{"sources", {hold.source}}}, now);
  }));
  submitted.request_id = submitted.effects.enqueue.at(0).request_id;
  return submitted;
}

}  // namespace dsr::workflow
