#include "coordinator/notify/planner.h"

#include <map>

namespace dsr::notify {
namespace {

nlohmann::json RequestFacts(const store::RequestRecord& request) {
  return {{"request_id", request.id},
          {"type", std::string(store::ToString(request.type))},
          {"status", std::string(store::ToString(request.status))},
          {"received_on", request.received_on.ToString()},
          {"due_on", store::EffectiveDueOn(request).ToString()},
          {"extended", request.extended_due_on.has_value()}};
}

std::optional<PlannedEvent> DeadlineEvent(const store::RequestRecord& request, CivilDate today,
                                          const NotificationSettings& settings,
                                          const deadlines::HolidayCalendar& calendar,
                                          deadlines::PauseMode pause_mode) {
  const CivilDate due_on = store::EffectiveDueOn(request);
  const auto standing = deadlines::StandingOf(due_on, today, request.paused_since, pause_mode, 0);
  if (standing.clock_paused) return std::nullopt;
  const std::string due = due_on.ToString();
  nlohmann::json facts = RequestFacts(request);
  facts["days_left"] = standing.days_left;
  if (standing.state == deadlines::DeadlineState::kOverdue) {
    if (!settings.escalate_overdue) return std::nullopt;
    return PlannedEvent{"overdue:" + request.id + ":" + due, "overdue", request.id, facts};
  }
  std::optional<int> closest;
  for (int days : settings.reminder_days) {
    if (today < ReminderDate(due_on, days, calendar, settings.closing_days)) continue;
    if (!closest || days < *closest) closest = days;
  }
  if (!closest) return std::nullopt;
  facts["days_before"] = *closest;
  return PlannedEvent{"reminder:" + request.id + ":" + due + ":" + std::to_string(*closest),
                      "reminder", request.id, facts};
}

}  // namespace

CivilDate ReminderDate(CivilDate due_on, int days_before,
                       const deadlines::HolidayCalendar& calendar,
                       const deadlines::ClosingDays& closing_days) {
  return deadlines::LastWorkingDayOnOrBefore(due_on.AddDays(-days_before), calendar, closing_days);
}

std::vector<PlannedEvent> PlanEvents(const std::vector<store::RequestRecord>& open_requests,
                                     const std::vector<store::TaskRecord>& failed_tasks,
                                     CivilDate today, const NotificationSettings& settings,
                                     const deadlines::HolidayCalendar& calendar,
                                     deadlines::PauseMode pause_mode) {
  std::vector<PlannedEvent> events;
  std::map<std::string, const store::RequestRecord*> open_by_id;
  for (const auto& request : open_requests) {
    if (store::IsFinal(request.status)) continue;
    open_by_id[request.id] = &request;
    // An erasure filed when a retention ended answers no data subject: no
    // deadline to remind of; a failure of its source is still escalated.
    if (request.origin == store::RequestOrigin::kHold) continue;
    if (auto event = DeadlineEvent(request, today, settings, calendar, pause_mode))
      events.push_back(std::move(*event));
  }
  if (!settings.escalate_failed_sources) return events;
  for (const auto& task : failed_tasks) {
    if (task.status != store::TaskStatus::kFailed) continue;
    const auto request = open_by_id.find(task.request_id);
    if (request == open_by_id.end()) continue;  // closed since: nothing to act on
    nlohmann::json facts = RequestFacts(*request->second);
    facts["source"] = task.source;
    facts["task_id"] = task.id;
    facts["attempts"] = task.attempts;
    facts["error_code"] = task.error_code.value_or("");
    events.push_back({"source_failed:" + task.id + ":" + std::to_string(task.attempts),
                      "source_failed", task.request_id, facts});
  }
  return events;
}

std::vector<std::string> NotificationSettings::channels() const {
  std::vector<std::string> names;
  if (email) names.push_back("email");
  if (webhook) names.push_back("webhook");
  return names;
}

}  // namespace dsr::notify
