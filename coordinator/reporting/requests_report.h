// The report for the DPO's accountability (Art. 5(2)): every request received,
// extended or closed in a period, whether it was answered on time, and for the
// late ones why, from the facts in the store: ids, dates, statuses, grounds,
// and, as recorded, the agent's closing reason and the DPO's reasons for an
// extension. No identities; the reasons are free text the controller wrote
// and may name people (the audit log keeps only their hashes), so the report
// is for the DPO's eyes.
//
// BuildRow is pure; CausesOf and LoadRequestsReport read local dates in the
// process's time zone, LoadRequestsReport the store. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "coordinator/reporting/request_facts.h"

namespace dsr::reporting {

enum class Timeliness {
  kOnTime,       // "yes": answered on or before its effective due date
  kLate,         // "no": answered after it
  kOpen,         // "open": not answered yet
  kNotAnswered,  // "": cancelled (withdrawn)
};

// "yes", "no", "open" or "" (the CSV's on_time).
std::string_view TimelinessName(Timeliness timeliness);

// A source's task that failed, and how often (retries included).
struct TaskFailure {
  std::string source;
  std::string code;  // "unavailable", "attempt_lost" …
  int times = 0;
};

// What the store shows about why a request was late.
struct LateCauses {
  std::vector<TaskFailure> failures;  // from the task.failed events
  int paused_days = 0;                // the clock stood still
  // Days from going to review (first request.in_review event) to approval,
  // closing, or today; nullopt if it never went to review.
  std::optional<int64_t> review_days;
};

struct ReportRow {
  std::string id;
  store::RequestType type = store::RequestType::kAccess;
  store::RequestOrigin origin = store::RequestOrigin::kAgent;
  std::optional<std::string> channel;
  CivilDate received_on;
  CivilDate due_on;        // effective: the extended due date once extended
  CivilDate first_due_on;  // the Art. 12(3) due date (moved by pauses), extended or not
  std::optional<CivilDate> extended_due_on;
  std::optional<CivilDate> extended_on;  // local date of the decision
  std::optional<std::string> extension_reason;
  store::RequestStatus status = store::RequestStatus::kReceived;
  std::optional<CivilDate> closed_on;
  std::optional<int64_t> days_taken;  // received_on → closed_on
  Timeliness timeliness = Timeliness::kOpen;
  // Days after the due date: when answered late, or while open and overdue.
  std::optional<int64_t> days_late;
  int paused_days = 0;  // finished pauses plus a running one up to closing or today
  std::optional<std::string> closing_ground;
  std::optional<std::string> closing_reason;
  std::optional<LateCauses> why_late;  // set for late and overdue rows
  bool received_in_period = false;
  bool closed_in_period = false;
  bool extended_in_period = false;
};

// One row, without why_late. `closed_on` as ClosedOn gives it.
ReportRow BuildRow(const store::RequestRecord& request, std::optional<CivilDate> closed_on,
                   const Period& period, CivilDate today, const DeadlineRules& rules);

// The causes in the request's audit events, with the events' timestamps read
// as local dates in the process's time zone.
LateCauses CausesOf(const ReportRow& row, const std::vector<store::EventRecord>& events,
                    CivilDate today);

struct RequestsReport {
  Period period;
  CivilDate today;
  std::vector<ReportRow> rows;  // by receipt, then id
  int received = 0;             // rows received in the period
  int extended = 0;             // rows whose deadline was extended in the period
  ClosedFigures figures;        // over the rows closed in the period
};

Result<RequestsReport> LoadRequestsReport(const store::Store& store, const Period& period,
                                          CivilDate today, const DeadlineRules& rules);

// RFC 4180, UTF-8 with BOM, CRLF; cells a spreadsheet would run as formulas
// (= + - @ tab CR first) prefixed with an apostrophe. Columns: id, type,
// origin, channel, received_on, due_on (effective), first_due_on,
// extended_due_on, extended_on, extension_reason, status, closed_on,
// days_taken, on_time (yes|no|open, empty when cancelled; against due_on),
// days_late, paused_days, closing_ground, closing_reason, why_late.
std::string RequestsReportCsv(const RequestsReport& report);

// A printable, self-contained HTML page in "de" or "en"; every value
// HTML-escaped. kValidation for another language.
Result<std::string> RequestsReportHtml(const RequestsReport& report, const std::string& language);

// why_late in words: "crm failed: unavailable (2×); clock paused 5 days; 9 days in review".
std::string DescribeCauses(const LateCauses& causes, const std::string& language);

}  // namespace dsr::reporting
