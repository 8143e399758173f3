// The DPO's dashboard: where the open requests stand today, which sources
// fail them, and how the requests closed in a period were answered.
//
// ComputeDashboard is a pure function of the records it is given;
// LoadDashboardInput reads them from the store. Thread-safe.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "coordinator/reporting/request_facts.h"

namespace dsr::reporting {

struct DashboardInput {
  std::vector<store::RequestRecord> open;       // every request not in a final state
  std::vector<store::TaskRecord> failed_tasks;  // the failed tasks of those requests
  std::vector<ClosedRequest> closed;            // closed in the period
  std::vector<store::RequestRecord> extended;   // extended on a day of the period
};
Result<DashboardInput> LoadDashboardInput(const store::Store& store, const Period& period);

// A source with failed tasks among the open requests.
struct SourceFailures {
  std::string source;
  int failed_tasks = 0;
  int requests = 0;  // open requests with at least one failed task there
};

struct Dashboard {
  CivilDate today;
  Period period;
  int open = 0;
  std::map<std::string, int> open_by_status;  // every non-final status, 0 included
  std::map<std::string, int> open_by_type;    // every request type, 0 included
  int due_this_week = 0;                      // effective due date from today to the coming Sunday
  int due_soon = 0;                           // deadline state due_soon
  int overdue = 0;                            // deadline state overdue
  int paused = 0;                             // the clock stands still
  int extended = 0;                           // the deadline was extended (Art. 12(3))
  std::vector<SourceFailures> failing_sources;  // most failed tasks first
  ClosedFigures closed;
  int extended_in_period = 0;  // deadlines extended on a day of the period, open or closed now
};

Dashboard ComputeDashboard(const DashboardInput& input, CivilDate today, const Period& period,
                           const DeadlineRules& rules);

// GET /api/v1/dashboard's body (docs/API in README.md lists the keys).
nlohmann::json DashboardJson(const Dashboard& dashboard);

}  // namespace dsr::reporting
