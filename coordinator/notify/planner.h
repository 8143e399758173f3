// The events the DPO is told about, derived from the store's state alone:
// a reminder a configured number of days before a due date, an escalation
// when a due date has passed, and one when a source's task failed.
//
// Each event has a key that names it exactly ("reminder:<request>:<due>:7");
// the outbox queues a key once per channel, so planning may run any number
// of times, also after restarts, without sending anything twice. A new due
// date (a pause ended, an extension) makes new keys: the DPO is reminded of
// the new date.
//
// Pure functions: no clock, no store.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/civil_date.h"
#include "coordinator/deadlines/deadline.h"
#include "coordinator/deadlines/holiday_calendar.h"
#include "coordinator/notify/notify_settings.h"
#include "coordinator/store/model.h"

namespace dsr::notify {

struct PlannedEvent {
  std::string key;
  std::string kind;  // "reminder" | "overdue" | "source_failed"
  std::string request_id;
  nlohmann::json facts;  // request type, dates, days left, source … never personal data
};

// The day the reminder `days_before` a due date goes out: that many calendar
// days earlier, brought forward to a day the team works (no weekend, public
// holiday or closing day), so that it reaches people who can still act.
CivilDate ReminderDate(CivilDate due_on, int days_before,
                       const deadlines::HolidayCalendar& calendar,
                       const deadlines::ClosingDays& closing_days);

// Every event due on `today` for the open requests and their failed tasks.
// A paused request gets no reminder (its due date is not known yet); of the
// reminders whose day has come, only the one closest to the due date is
// planned, so that a request filed late does not send several at once.
std::vector<PlannedEvent> PlanEvents(const std::vector<store::RequestRecord>& open_requests,
                                     const std::vector<store::TaskRecord>& failed_tasks,
                                     CivilDate today, const NotificationSettings& settings,
                                     const deadlines::HolidayCalendar& calendar,
                                     deadlines::PauseMode pause_mode);

}  // namespace dsr::notify
