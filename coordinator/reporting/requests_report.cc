#include "coordinator/reporting/requests_report.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "common/csv.h"

namespace dsr::reporting {
namespace {

int64_t DaysBetween(CivilDate from, CivilDate to) {
  return to.DaysSinceEpoch() - from.DaysSinceEpoch();
}

std::optional<CivilDate> LocalDateOf(const std::string& timestamp) {
  auto instant = ParseUtc(timestamp);
  if (!instant.ok()) return std::nullopt;
  return LocalDate(*instant);
}

}  // namespace

ReportRow BuildRow(const store::RequestRecord& request, std::optional<CivilDate> closed_on,
                   const Period& period, CivilDate today, const DeadlineRules& rules) {
  ReportRow row;
  row.id = request.id;
  row.type = request.type;
  row.origin = request.origin;
  row.channel = request.channel;
  row.received_on = request.received_on;
  row.due_on = EffectiveDueDate(request);
  row.first_due_on = request.due_on;
  row.extended_due_on = request.extended_due_on;
  row.extended_on = ExtendedOn(request);
  row.extension_reason = request.extension_reason;
  row.status = request.status;
  row.closed_on = closed_on;
  row.closing_ground = request.closing_ground;
  row.closing_reason = request.closing_reason;
  row.received_in_period = request.received_on >= period.from && request.received_on <= period.to;
  row.closed_in_period = closed_on && *closed_on >= period.from && *closed_on <= period.to;
  row.extended_in_period =
      row.extended_on && *row.extended_on >= period.from && *row.extended_on <= period.to;
  row.paused_days = request.paused_days;
  if (request.paused_since) {
    const CivilDate counted_to = closed_on.value_or(today);
    row.paused_days +=
        static_cast<int>(std::max<int64_t>(0, DaysBetween(*request.paused_since, counted_to)));
  }
  if (!store::IsFinal(request.status)) {
    row.timeliness = Timeliness::kOpen;
    const auto standing = StandingOn(request, today, rules);
    if (standing.days_left < 0) row.days_late = -standing.days_left;
  } else if (!IsAnswered(request.status) || !closed_on) {
    row.timeliness = Timeliness::kNotAnswered;
  } else {
    row.days_taken = DaysBetween(request.received_on, *closed_on);
    const bool on_time = AnsweredOnTime(request, *closed_on);
    row.timeliness = on_time ? Timeliness::kOnTime : Timeliness::kLate;
    if (!on_time) row.days_late = DaysBetween(row.due_on, *closed_on);
  }
  return row;
}

LateCauses CausesOf(const ReportRow& row, const std::vector<store::EventRecord>& events,
                    CivilDate today) {
  LateCauses causes;
  causes.paused_days = row.paused_days;
  std::map<std::pair<std::string, std::string>, int> failures;
  std::optional<CivilDate> review_started;
  std::optional<CivilDate> review_ended;
  for (const auto& event : events) {
    if (event.kind == "task.failed") {
      const auto details = nlohmann::json::parse(event.details, nullptr, false);
      if (!details.is_object()) continue;
      ++failures[{details.value("source", "?"), details.value("code", "?")}];
    } else if (event.kind == "request.in_review" && !review_started) {
      review_started = LocalDateOf(event.at);
    } else if (event.kind == "request.approved" && review_started && !review_ended) {
      review_ended = LocalDateOf(event.at);
    }
  }
  for (const auto& [key, times] : failures) {
    causes.failures.push_back({key.first, key.second, times});
  }
  if (review_started) {
    const CivilDate end = review_ended.value_or(row.closed_on.value_or(today));
    causes.review_days = std::max<int64_t>(0, DaysBetween(*review_started, end));
  }
  return causes;
}

Result<RequestsReport> LoadRequestsReport(const store::Store& store, const Period& period,
                                          CivilDate today, const DeadlineRules& rules) {
  auto received = store.RequestsReceivedBetween(period.from, period.to);
  if (!received.ok()) return received.status();
  auto closed = LoadClosedIn(store, period);
  if (!closed.ok()) return closed.status();
  auto extended = LoadExtendedIn(store, period);
  if (!extended.ok()) return extended.status();
  std::map<std::string, ReportRow> rows;
  for (const auto& request : *received) {
    rows[request.id] = BuildRow(request, ClosedOn(request), period, today, rules);
  }
  for (const auto& item : *closed) {
    if (!rows.count(item.request.id)) {
      rows[item.request.id] = BuildRow(item.request, item.closed_on, period, today, rules);
    }
  }
  for (const auto& request : *extended) {
    if (!rows.count(request.id)) {
      rows[request.id] = BuildRow(request, ClosedOn(request), period, today, rules);
    }
  }
  RequestsReport report;
  report.period = period;
  report.today = today;
  for (auto& [id, row] : rows) {
    if (row.days_late) {
      // Only late and overdue requests need their events read.
      auto events = store.EventsOfRequest(id);
      if (!events.ok()) return events.status();
      row.why_late = CausesOf(row, *events, today);
    }
    if (row.received_in_period) ++report.received;
    if (row.extended_in_period) ++report.extended;
    report.rows.push_back(std::move(row));
  }
  std::stable_sort(report.rows.begin(), report.rows.end(),
                   [](const auto& a, const auto& b) { return a.received_on < b.received_on; });
  report.figures = FiguresOf(*closed);
  return report;
}

std::string DescribeCauses(const LateCauses& causes, const std::string& language) {
  const bool de = language == "de";
  std::vector<std::string> parts;
  for (const auto& failure : causes.failures) {
    parts.push_back(failure.source + (de ? " fehlgeschlagen: " : " failed: ") + failure.code +
                    " (" + std::to_string(failure.times) + "×)");
  }
  if (causes.paused_days > 0) {
    const std::string days = std::to_string(causes.paused_days);
    parts.push_back(de ? "Frist " + days + (causes.paused_days == 1 ? " Tag" : " Tage") +
                             " angehalten"
                       : "clock paused " + days + (causes.paused_days == 1 ? " day" : " days"));
  }
  if (causes.review_days && *causes.review_days > 0) {
    const std::string days = std::to_string(*causes.review_days);
    parts.push_back(de ? days + (*causes.review_days == 1 ? " Tag" : " Tage") + " in Prüfung"
                       : days + (*causes.review_days == 1 ? " day" : " days") + " in review");
  }
  if (parts.empty()) return de ? "keine Ursache im Verlauf erfasst" : "no cause recorded";
  std::string text;
  for (const auto& part : parts) text += (text.empty() ? "" : "; ") + part;
  return text;
}

std::string_view TimelinessName(Timeliness timeliness) {
  switch (timeliness) {
    case Timeliness::kOnTime:
      return "yes";
    case Timeliness::kLate:
      return "no";
    case Timeliness::kOpen:
      return "open";
    case Timeliness::kNotAnswered:
      break;
  }
  return "";
}

std::string RequestsReportCsv(const RequestsReport& report) {
  const auto date = [](const std::optional<CivilDate>& d) { return d ? d->ToString() : ""; };
  const auto number = [](const std::optional<int64_t>& n) {
    return n ? std::to_string(*n) : std::string();
  };
  // The BOM makes spreadsheet programs read UTF-8, not a legacy code page.
  std::string csv = "\xEF\xBB\xBF";
  csv += CsvRow({"id", "type", "origin", "channel", "received_on", "due_on", "first_due_on",
                 "extended_due_on", "extended_on", "extension_reason", "status", "closed_on",
                 "days_taken", "on_time", "days_late", "paused_days", "closing_ground",
                 "closing_reason", "why_late"});
  for (const auto& row : report.rows) {
    csv += CsvRow(
        {row.id, std::string(store::ToString(row.type)), std::string(store::ToString(row.origin)),
         row.channel.value_or(""), row.received_on.ToString(), row.due_on.ToString(),
         row.first_due_on.ToString(), date(row.extended_due_on), date(row.extended_on),
         row.extension_reason.value_or(""), std::string(store::ToString(row.status)),
         date(row.closed_on), number(row.days_taken), std::string(TimelinessName(row.timeliness)),
         number(row.days_late), std::to_string(row.paused_days), row.closing_ground.value_or(""),
         row.closing_reason.value_or(""), row.why_late ? DescribeCauses(*row.why_late, "en") : ""});
  }
  return csv;
}

}  // namespace dsr::reporting
