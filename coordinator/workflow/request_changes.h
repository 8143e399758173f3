// Building blocks of RequestActions: each writes inside the caller's
// transaction. Internal to the workflow.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "coordinator/deadlines/holiday_calendar.h"
#include "coordinator/store/store.h"
#include "coordinator/workflow/lifecycle.h"
#include "coordinator/workflow/request_actions.h"

namespace dsr::workflow {

store::EventRecord MakeEvent(const std::string& request_id, const std::string& at, std::string kind,
                             const std::string& actor, const nlohmann::json& details);

// The attribute names a corrections object changes ("email", "postal_address"),
// without the new values.
nlohmann::json CorrectedAttributes(const std::string& corrections_json);

// Moves the request by `event`, stores it and appends the audit event, which
// names the state it came from.
Status Transition(store::StoreWriter& writer, store::RequestRecord& request, RequestEvent event,
                  const std::string& actor, nlohmann::json details, const std::string& now);

store::TaskRecord NewTask(const store::RequestRecord& request, const std::string& source,
                          store::TaskAction action, std::optional<std::string> scope, int round,
                          const std::string& now);

// One pending task per source (the request type's action over the subject),
// then received/awaiting_identity → in_progress.
Status PlanTasks(store::StoreWriter& writer, store::RequestRecord& request,
                 const std::vector<SourceSettings>& sources, const std::string& actor,
                 const std::string& now, ActionEffects* effects);

// Ends the open pause on `today` and moves the due date, and the extended
// due date of an extended request, by the policy's pause mode.
Status EndPause(store::StoreWriter& writer, store::RequestRecord& request, CivilDate today,
                const WorkflowPolicy& policy, const deadlines::HolidayCalendar& calendar,
                const std::string& actor, const std::string& now);

// Rejects or cancels: records ground and reason, cancels open tasks.
Status CloseRequest(store::StoreWriter& writer, store::RequestRecord& request, RequestEvent event,
                    const std::string& ground, const std::string& reason, const std::string& actor,
                    const std::string& now, ActionEffects* effects);

}  // namespace dsr::workflow
