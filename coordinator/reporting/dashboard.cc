#include "coordinator/reporting/dashboard.h"

#include <algorithm>
#include <set>

namespace dsr::reporting {
namespace {

using store::RequestStatus;
using store::RequestType;

// Days from `today` to the Sunday ending its week (0 on a Sunday).
int64_t DaysToSunday(CivilDate today) {
  return static_cast<int64_t>(Weekday::kSunday) - static_cast<int64_t>(today.weekday());
}

std::vector<SourceFailures> FailingSources(const std::vector<store::TaskRecord>& failed) {
  std::map<std::string, SourceFailures> by_source;
  std::map<std::string, std::set<std::string>> requests;
  for (const auto& task : failed) {
    SourceFailures& entry = by_source[task.source];
    entry.source = task.source;
    ++entry.failed_tasks;
    requests[task.source].insert(task.request_id);
  }
  std::vector<SourceFailures> sources;
  for (auto& [name, entry] : by_source) {
    entry.requests = static_cast<int>(requests[name].size());
    sources.push_back(entry);
  }
  std::stable_sort(sources.begin(), sources.end(),
                   [](const auto& a, const auto& b) { return a.failed_tasks > b.failed_tasks; });
  return sources;
}

template <typename T>
nlohmann::json OrNull(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

Result<DashboardInput> LoadDashboardInput(const store::Store& store, const Period& period) {
  DashboardInput input;
  auto open = store.OpenRequests();
  if (!open.ok()) return open.status();
  auto failed = store.FailedTasksOfOpenRequests();
  if (!failed.ok()) return failed.status();
  auto closed = LoadClosedIn(store, period);
  if (!closed.ok()) return closed.status();
  auto extended = LoadExtendedIn(store, period);
  if (!extended.ok()) return extended.status();
  input.open = std::move(open.value());
  input.failed_tasks = std::move(failed.value());
  input.closed = std::move(closed.value());
  input.extended = std::move(extended.value());
  return input;
}

Dashboard ComputeDashboard(const DashboardInput& input, CivilDate today, const Period& period,
                           const DeadlineRules& rules) {
  Dashboard dashboard;
  dashboard.today = today;
  dashboard.period = period;
  for (RequestStatus status : {RequestStatus::kReceived, RequestStatus::kAwaitingIdentity,
                               RequestStatus::kInProgress, RequestStatus::kInReview}) {
    dashboard.open_by_status[std::string(store::ToString(status))] = 0;
  }
  for (RequestType type :
       {RequestType::kAccess, RequestType::kRectification, RequestType::kErasure}) {
    dashboard.open_by_type[std::string(store::ToString(type))] = 0;
  }
  const CivilDate sunday = today.AddDays(DaysToSunday(today));
  for (const auto& request : input.open) {
    if (store::IsFinal(request.status)) continue;
    if (request.origin == store::RequestOrigin::kHold) continue;  // no data subject waits
    ++dashboard.open;
    ++dashboard.open_by_status[std::string(store::ToString(request.status))];
    ++dashboard.open_by_type[std::string(store::ToString(request.type))];
    const CivilDate due = EffectiveDueDate(request);
    if (due >= today && due <= sunday) ++dashboard.due_this_week;
    const auto standing = StandingOn(request, today, rules);
    if (standing.state == deadlines::DeadlineState::kDueSoon) ++dashboard.due_soon;
    if (standing.state == deadlines::DeadlineState::kOverdue) ++dashboard.overdue;
    if (standing.clock_paused) ++dashboard.paused;
    if (request.extended_due_on) ++dashboard.extended;
  }
  dashboard.failing_sources = FailingSources(input.failed_tasks);
  dashboard.closed = FiguresOf(input.closed);
  dashboard.extended_in_period = static_cast<int>(input.extended.size());
  return dashboard;
}

nlohmann::json DashboardJson(const Dashboard& d) {
  nlohmann::json failing = nlohmann::json::array();
  for (const auto& source : d.failing_sources) {
    failing.push_back({{"source", source.source},
                       {"failed_tasks", source.failed_tasks},
                       {"requests", source.requests}});
  }
  return {
      {"today", d.today.ToString()},
      {"period", {{"from", d.period.from.ToString()}, {"to", d.period.to.ToString()}}},
      {"open", {{"total", d.open}, {"by_status", d.open_by_status}, {"by_type", d.open_by_type}}},
      {"due_this_week", d.due_this_week},
      {"due_soon", d.due_soon},
      {"overdue", d.overdue},
      {"paused", d.paused},
      {"extended", d.extended},
      {"failing_sources", failing},
      {"closed", d.closed.answered},
      {"cancelled", d.closed.cancelled},
      {"handling_days",
       {{"median", OrNull(d.closed.median_days)}, {"p95", OrNull(d.closed.p95_days)}}},
      {"answered_on_time",
       {{"count", d.closed.on_time}, {"share", OrNull(d.closed.on_time_share)}}},
      {"late", d.closed.late},
      {"extended_in_period", d.extended_in_period}};
}

}  // namespace dsr::reporting
