// JSON views of the store's records, as the API returns them.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "coordinator/deadlines/deadline.h"
#include "coordinator/store/model.h"
#include "coordinator/store/store.h"

namespace dsr::api {

// What a view needs to say where an open request stands against its due
// date: today in the controller's time zone and the deadline settings.
struct DeadlineContext {
  CivilDate today;
  deadlines::PauseMode pause_mode = deadlines::PauseMode::kPause;
  int due_soon_days = 7;
};

// A request in lists: no tasks, no events. An open request has
// "deadline": {"days_left", "state", "clock": "running"|"paused"}, counted
// against "extended_due_on" once the deadline was extended, else "due_on"; a
// closed one has null there. "extension" is null or {"at", "reason",
// "letter": null | {"url"}}.
nlohmann::json RequestSummaryView(const store::RequestRecord& request,
                                  const DeadlineContext& deadlines);

// Everything about one request, as GET /api/v1/requests/{id} shows it.
struct RequestDetails {
  store::RequestRecord request;
  std::vector<store::TaskRecord> tasks;
  std::vector<store::EventRecord> events;
  std::vector<store::OutcomeRecord> outcomes;
  std::vector<store::IdentityCheckRecord> identity_checks;
  std::vector<store::PauseRecord> pauses;
  std::vector<store::ReviewDecisionRecord> decisions;
  std::vector<store::HoldRecord> holds;
};
Result<RequestDetails> LoadRequestDetails(const store::Store& store, const std::string& id);
nlohmann::json RequestView(const RequestDetails& details, const DeadlineContext& deadlines);

nlohmann::json TaskView(const store::TaskRecord& task,
                        const std::vector<store::OutcomeRecord>& outcomes);
nlohmann::json EventView(const store::EventRecord& event);
nlohmann::json HoldView(const store::HoldRecord& hold);
nlohmann::json DecisionView(const store::ReviewDecisionRecord& decision);
// A reminder or escalation with its delivery state; `facts` never hold personal data.
nlohmann::json NotificationView(const store::NotificationRecord& notification);

}  // namespace dsr::api
