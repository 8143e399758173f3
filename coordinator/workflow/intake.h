// Intake: turning an agent's new request into a stored request with its due
// date and one task per source, in one transaction.
//
// ParseNewRequest checks a request body (already valid against
// schemas/api/request-create.json) for what a schema cannot say: a real
// calendar date, not in the future, a request type this version handles.
// Both functions are thread-safe given a thread-safe Store.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/civil_date.h"
#include "common/clock.h"
#include "common/status.h"
#include "coordinator/deadlines/holiday_calendar.h"
#include "coordinator/store/store.h"
#include "coordinator/workflow/settings.h"

namespace dsr::workflow {

struct NewRequest {
  store::RequestType type = store::RequestType::kAccess;
  store::SubjectIdentities subject;
  CivilDate received_on;
  std::string language;
  std::optional<std::string> channel;
  std::optional<std::string> note;
};

// `today` is the local date in the controller's time zone: the default
// receipt date and the latest one allowed.
Result<NewRequest> ParseNewRequest(const nlohmann::json& body, CivilDate today,
                                   const std::string& default_language);

struct PlannedRequest {
  store::RequestRecord request;
  std::vector<store::TaskRecord> tasks;
};

// Stores the request (received → in_progress) with its due date and one
// pending task per source, plus the audit events, in one transaction.
Result<PlannedRequest> SubmitRequest(store::Store& store, const Clock& clock,
                                     const deadlines::HolidayCalendar& calendar,
                                     const std::vector<SourceSettings>& sources,
                                     const NewRequest& input, const std::string& actor);

}  // namespace dsr::workflow
