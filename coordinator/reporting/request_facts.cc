#include "coordinator/reporting/request_facts.h"

#include <algorithm>
#include <utility>

#include "common/clock.h"

namespace dsr::reporting {

CivilDate EffectiveDueDate(const store::RequestRecord& request) {
  return store::EffectiveDueOn(request);
}

deadlines::DeadlineStanding StandingOn(const store::RequestRecord& request, CivilDate today,
                                       const DeadlineRules& rules) {
  return deadlines::StandingOf(EffectiveDueDate(request), today, request.paused_since,
                               rules.pause_mode, rules.due_soon_days);
}

Result<Period> ParsePeriod(const std::optional<std::string>& from,
                           const std::optional<std::string>& to, CivilDate today) {
  Period period{today.AddDays(-89), today};
  if (to) {
    auto parsed = CivilDate::Parse(*to);
    if (!parsed.ok()) return ValidationError("to: " + parsed.status().message());
    period.to = *parsed;
    period.from = period.to.AddDays(-89);
  }
  if (from) {
    auto parsed = CivilDate::Parse(*from);
    if (!parsed.ok()) return ValidationError("from: " + parsed.status().message());
    period.from = *parsed;
  }
  if (period.from > period.to) {
    return ValidationError("the period starts (" + period.from.ToString() + ") after it ends (" +
                           period.to.ToString() + ")");
  }
  if (period.to.DaysSinceEpoch() - period.from.DaysSinceEpoch() + 1 > kMaxPeriodDays) {
    return ValidationError("the period is longer than five years (" +
                           std::to_string(kMaxPeriodDays) + " days)");
  }
  return period;
}

namespace {

std::optional<CivilDate> LocalDateOf(const std::optional<std::string>& timestamp) {
  if (!timestamp) return std::nullopt;
  auto instant = ParseUtc(*timestamp);
  if (!instant.ok()) return std::nullopt;
  return LocalDate(*instant);
}

// [local midnight of the first day, local midnight after the last day) as
// UTC timestamps, which compare as text in the store.
std::pair<std::string, std::string> UtcBounds(const Period& period) {
  return {FormatUtc(LocalMidnight(period.from)), FormatUtc(LocalMidnight(period.to.AddDays(1)))};
}

bool InPeriod(CivilDate date, const Period& period) {
  return date >= period.from && date <= period.to;
}

}  // namespace

std::optional<CivilDate> ClosedOn(const store::RequestRecord& request) {
  if (!store::IsFinal(request.status)) return std::nullopt;
  return LocalDateOf(request.completed_at);
}

std::optional<CivilDate> ExtendedOn(const store::RequestRecord& request) {
  return LocalDateOf(request.extended_at);
}

Result<std::vector<store::RequestRecord>> LoadExtendedIn(const store::Store& store,
                                                         const Period& period) {
  const auto [from, until] = UtcBounds(period);
  auto requests = store.RequestsExtendedBetween(from, until);
  if (!requests.ok()) return requests.status();
  std::vector<store::RequestRecord> extended;
  for (auto& request : *requests) {
    const auto extended_on = ExtendedOn(request);
    if (extended_on && InPeriod(*extended_on, period)) extended.push_back(std::move(request));
  }
  return extended;
}

Result<std::vector<ClosedRequest>> LoadClosedIn(const store::Store& store, const Period& period) {
  const auto [from, until] = UtcBounds(period);
  auto requests = store.RequestsClosedBetween(from, until);
  if (!requests.ok()) return requests.status();
  std::vector<ClosedRequest> closed;
  for (auto& request : *requests) {
    const auto closed_on = ClosedOn(request);
    if (!closed_on || !InPeriod(*closed_on, period)) continue;
    closed.push_back({std::move(request), *closed_on});
  }
  return closed;
}

bool IsAnswered(store::RequestStatus status) {
  return status == store::RequestStatus::kCompleted || status == store::RequestStatus::kRejected;
}

bool AnsweredOnTime(const store::RequestRecord& request, CivilDate closed_on) {
  return closed_on <= EffectiveDueDate(request);
}

double Median(std::vector<int64_t> values) {
  std::sort(values.begin(), values.end());
  const size_t middle = values.size() / 2;
  if (values.size() % 2 == 1) return static_cast<double>(values[middle]);
  return (static_cast<double>(values[middle - 1]) + static_cast<double>(values[middle])) / 2.0;
}

int64_t NearestRankPercentile(std::vector<int64_t> values, int percent) {
  std::sort(values.begin(), values.end());
  // Rank ceil(percent/100 · n), counted from 1, in whole numbers.
  const size_t rank = (static_cast<size_t>(percent) * values.size() + 99) / 100;
  return values[std::max<size_t>(rank, 1) - 1];
}

ClosedFigures FiguresOf(const std::vector<ClosedRequest>& closed) {
  ClosedFigures figures;
  std::vector<int64_t> days;
  for (const auto& item : closed) {
    // An erasure the engine filed itself when a retention ended answers no
    // data subject: it has no Art. 12(3) deadline to keep.
    if (item.request.origin == store::RequestOrigin::kHold) continue;
    if (!IsAnswered(item.request.status)) {
      ++figures.cancelled;
      continue;
    }
    ++figures.answered;
    ++(AnsweredOnTime(item.request, item.closed_on) ? figures.on_time : figures.late);
    days.push_back(item.closed_on.DaysSinceEpoch() - item.request.received_on.DaysSinceEpoch());
  }
  if (!days.empty()) {
    figures.median_days = Median(days);
    figures.p95_days = NearestRankPercentile(days, 95);
    figures.on_time_share = static_cast<double>(figures.on_time) / figures.answered;
  }
  return figures;
}

}  // namespace dsr::reporting
