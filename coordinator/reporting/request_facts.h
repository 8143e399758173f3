// What the DPO's figures and reports know about each request: the date it
// must be answered by, where it stands today, the day it was closed, and
// whether it was answered on time.
//
// Pure functions over store records, except ClosedOn, ExtendedOn and the
// Load functions, which read local dates in the process's time zone (the
// controller's, set by UseTimeZone at start) and the store. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/civil_date.h"
#include "common/status.h"
#include "coordinator/deadlines/deadline.h"
#include "coordinator/store/model.h"
#include "coordinator/store/store.h"

namespace dsr::reporting {

// The date a request must be answered by: its Art. 12(3) due date, or the
// extended one once extended, moved by paused days (store::EffectiveDueOn). The one place the
// dashboard, the reports and the deadline filters of the API ask, so that they cannot disagree.
CivilDate EffectiveDueDate(const store::RequestRecord& request);

// How an open request's deadline is judged (controller config).
struct DeadlineRules {
  deadlines::PauseMode pause_mode = deadlines::PauseMode::kPause;
  int due_soon_days = 7;
};

// Where `request` stands on `today` against its effective due date.
deadlines::DeadlineStanding StandingOn(const store::RequestRecord& request, CivilDate today,
                                       const DeadlineRules& rules);

// Days of receipt for the period figures and reports, both ends included.
struct Period {
  CivilDate from;
  CivilDate to;
};
// The longest period a report covers: five years.
inline constexpr int kMaxPeriodDays = 5 * 365 + 2;
// The period of ?from=&to=; by default the 90 days up to `today` (`to`
// defaults to today, `from` to 89 days before `to`). kValidation for a date that
// is not YYYY-MM-DD or does not exist, from after to, or more than
// kMaxPeriodDays days.
Result<Period> ParsePeriod(const std::optional<std::string>& from,
                           const std::optional<std::string>& to, CivilDate today);

// The controller-local date `request` was closed on (completed, rejected or
// cancelled): its completed_at in the process's time zone. Nullopt while open.
std::optional<CivilDate> ClosedOn(const store::RequestRecord& request);

// A request closed in a period and the local date it was closed on.
struct ClosedRequest {
  store::RequestRecord request;
  CivilDate closed_on;
};
// Requests completed, rejected or cancelled on a day of `period`.
Result<std::vector<ClosedRequest>> LoadClosedIn(const store::Store& store, const Period& period);

// The controller-local date the deadline of `request` was extended on: its
// extended_at in the process's time zone. Nullopt if it was never extended.
std::optional<CivilDate> ExtendedOn(const store::RequestRecord& request);

// Requests whose deadline was extended on a day of `period`, whatever their
// status now. The workflow allows an extension only before the first
// deadline passes, so an extension never follows it.
Result<std::vector<store::RequestRecord>> LoadExtendedIn(const store::Store& store,
                                                         const Period& period);

// Completed and rejected requests count as answered (a refusal is an answer,
// Art. 12(4)); a cancelled request was withdrawn and is not answered.
bool IsAnswered(store::RequestStatus status);
// Answered on or before its effective due date.
bool AnsweredOnTime(const store::RequestRecord& request, CivilDate closed_on);

// Figures over requests closed in a period. Handling days are calendar days
// from received_on to the local date of closing. The median is the middle
// value, or the mean of the two middle values for an even count; p95 is the
// nearest-rank percentile: the smallest value with at least 95 % of the
// values at or below it. Empty figures are nullopt.
struct ClosedFigures {
  int answered = 0;   // completed + rejected
  int on_time = 0;    // answered on or before the effective due date
  int late = 0;       // answered after it
  int cancelled = 0;  // withdrawn; in no other figure
  std::optional<double> median_days;
  std::optional<int64_t> p95_days;
  std::optional<double> on_time_share;  // on_time / answered
};
ClosedFigures FiguresOf(const std::vector<ClosedRequest>& closed);

// Requires a non-empty list.
double Median(std::vector<int64_t> values);
// Requires a non-empty list and 0 < percent <= 100.
int64_t NearestRankPercentile(std::vector<int64_t> values, int percent);

}  // namespace dsr::reporting
