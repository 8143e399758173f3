// JSON views of the store's records, as the API returns them.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "coordinator/store/model.h"

namespace dsr::api {

// A request in lists: no tasks, no events.
nlohmann::json RequestSummaryView(const store::RequestRecord& request);
// A request with its tasks and audit events.
nlohmann::json RequestView(const store::RequestRecord& request,
                           const std::vector<store::TaskRecord>& tasks,
                           const std::vector<store::EventRecord>& events);
nlohmann::json TaskView(const store::TaskRecord& task);
nlohmann::json EventView(const store::EventRecord& event);

}  // namespace dsr::api
