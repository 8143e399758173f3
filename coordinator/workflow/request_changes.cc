#include "coordinator/workflow/request_changes.h"

#include "common/digest.h"
#include "coordinator/deadlines/deadline.h"

namespace dsr::workflow {

using store::RequestRecord;
using store::StoreWriter;
using store::TaskRecord;

store::EventRecord MakeEvent(const std::string& request_id, const std::string& at, std::string kind,
                             const std::string& actor, const nlohmann::json& details) {
  store::EventRecord event;
  event.request_id = request_id;
  event.at = at;
  event.kind = std::move(kind);
  event.actor = actor;
  event.details = details.is_null() ? "{}" : details.dump();
  return event;
}

nlohmann::json CorrectedAttributes(const std::string& corrections_json) {
  nlohmann::json names = nlohmann::json::array();
  const auto corrections = nlohmann::json::parse(corrections_json, nullptr, false);
  if (!corrections.is_object()) return names;
  for (const auto& entry : corrections.items()) names.push_back(entry.key());
  return names;
}

Status Transition(StoreWriter& writer, RequestRecord& request, RequestEvent event,
                  const std::string& actor, nlohmann::json details, const std::string& now) {
  auto next = Next(request.status, event);
  if (!next.ok()) return next.status();
  if (!details.is_object()) details = nlohmann::json::object();
  details["from"] = store::ToString(request.status);
  request.status = *next;
  request.updated_at = now;
  DSR_RETURN_IF_ERROR(writer.UpdateRequest(request));
  return writer.AppendEvent(
      MakeEvent(request.id, now, std::string(AuditKind(event)), actor, details));
}

TaskRecord NewTask(const RequestRecord& request, const std::string& source,
                   store::TaskAction action, std::optional<std::string> scope, int round,
                   const std::string& now) {
  TaskRecord task;
  task.id = NewUuid();
  task.request_id = request.id;
  task.source = source;
  task.action = action;
  task.scope = std::move(scope);
  task.round = round;
  task.created_at = now;
  task.updated_at = now;
  return task;
}

Status PlanTasks(StoreWriter& writer, RequestRecord& request,
                 const std::vector<SourceSettings>& sources, const std::string& actor,
                 const std::string& now, ActionEffects* effects) {
  const store::TaskAction action = store::ActionFor(request.type);
  std::optional<std::string> scope;
  if (action != store::TaskAction::kExport) scope = nlohmann::json{{"mode", "subject"}}.dump();
  nlohmann::json planned = nlohmann::json::array();
  for (const auto& source : sources) {
    TaskRecord task = NewTask(request, source.name, action, scope, 1, now);
    DSR_RETURN_IF_ERROR(writer.InsertTask(task));
    effects->enqueue.push_back(task);
    planned.push_back(source.name);
  }
  return Transition(writer, request, RequestEvent::kPlan, actor, {{"sources", planned}}, now);
}

Status EndPause(StoreWriter& writer, RequestRecord& request, CivilDate today,
                const WorkflowPolicy& policy, const deadlines::HolidayCalendar& calendar,
                const std::string& actor, const std::string& now) {
  DSR_RETURN_IF_ERROR(writer.EndPause(request.id, today));
  const int days =
      static_cast<int>(today.DaysSinceEpoch() - request.paused_since->DaysSinceEpoch());
  request.paused_days += days;
  request.paused_since.reset();
  request.due_on = deadlines::DueDateAfterPauses(request.received_on, request.paused_days, today,
                                                 policy.pause_mode, calendar);
  nlohmann::json details = {{"paused_days", days},
                            {"paused_days_total", request.paused_days},
                            {"due_on", request.due_on.ToString()}};
  // An extension decided before or during the pause moves with it, as it
  // would have had the pause ended first (deadlines::ExtendedDueDateAfterPauses).
  if (request.extended_due_on) {
    request.extended_due_on =
        deadlines::ExtendedDueDateAfterPauses(request.received_on, request.paused_days, today,
                                              policy.pause_mode, policy.extension_from, calendar);
    details["extended_due_on"] = request.extended_due_on->ToString();
  }
  request.updated_at = now;
  DSR_RETURN_IF_ERROR(writer.UpdateRequest(request));
  return writer.AppendEvent(MakeEvent(request.id, now, "request.resumed", actor, details));
}

Status CloseRequest(StoreWriter& writer, RequestRecord& request, RequestEvent event,
                    const std::string& ground, const std::string& reason, const std::string& actor,
                    const std::string& now, ActionEffects* effects) {
  auto tasks = writer.TasksOfRequest(request.id);
  if (!tasks.ok()) return tasks.status();
  for (TaskRecord task : *tasks) {
    auto cancelled = Next(task.status, TaskEvent::kCancel);
    if (!cancelled.ok()) continue;  // finished tasks stay as they are
    task.status = *cancelled;
    task.updated_at = now;
    DSR_RETURN_IF_ERROR(writer.UpdateTask(task));
    DSR_RETURN_IF_ERROR(
        writer.AppendEvent(MakeEvent(request.id, now, std::string(AuditKind(TaskEvent::kCancel)),
                                     actor, {{"task_id", task.id}, {"source", task.source}})));
    effects->cancelled_tasks.push_back(task.id);
  }
  if (event == RequestEvent::kReject) request.closing_ground = ground;
  request.closing_reason = reason;
  request.completed_at = now;
  nlohmann::json details = {{"reason_sha256", Sha256Hex(reason)}};
  if (event == RequestEvent::kReject) {
    details["ground"] = ground;
    effects->write_letter = true;
  }
  return Transition(writer, request, event, actor, std::move(details), now);
}

}  // namespace dsr::workflow
