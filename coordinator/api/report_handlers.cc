// The DPO's routes: the dashboard and the accountability reports (Art. 5(2)).
// They only read the store; the figures come from coordinator/reporting.
#include "coordinator/api/handlers.h"
#include "coordinator/reporting/dashboard.h"
#include "coordinator/reporting/requests_report.h"

namespace dsr::api {
namespace {

std::optional<std::string> QueryValue(const ApiRequest& request, const char* name) {
  const auto found = request.query.find(name);
  if (found == request.query.end()) return std::nullopt;
  return found->second;
}

Result<reporting::Period> PeriodOf(const ApiRequest& request, CivilDate today) {
  return reporting::ParsePeriod(QueryValue(request, "from"), QueryValue(request, "to"), today);
}

reporting::DeadlineRules RulesOf(const ApiContext& context) {
  return {context.pause_mode, context.due_soon_days};
}

// GET /api/v1/dashboard?from=&to=
ApiResponse GetDashboard(const ApiContext& context, const ApiRequest& request) {
  const CivilDate today = DeadlinesNow(context).today;
  auto period = PeriodOf(request, today);
  if (!period.ok()) return ErrorResponse(period.status());
  auto input = reporting::LoadDashboardInput(context.store, *period);
  if (!input.ok()) return ErrorResponse(input.status());
  return JsonResponse(200, reporting::DashboardJson(reporting::ComputeDashboard(
                               *input, today, *period, RulesOf(context))));
}

ApiResponse Document(std::string body, const char* content_type, const std::string& disposition) {
  ApiResponse response;
  response.raw_body = std::move(body);
  response.content_type = content_type;
  response.headers.emplace_back("Content-Disposition", disposition);
  return response;
}

// GET /api/v1/reports/requests.csv?from=&to= and …/requests.html?from=&to=&lang=
ApiResponse GetRequestsReport(const ApiContext& context, const ApiRequest& request, bool html) {
  const CivilDate today = DeadlinesNow(context).today;
  auto period = PeriodOf(request, today);
  if (!period.ok()) return ErrorResponse(period.status());
  const std::string language = QueryValue(request, "lang").value_or("de");
  if (language != "de" && language != "en")
    return ErrorResponse(ValidationError("lang must be de or en"));
  auto report = reporting::LoadRequestsReport(context.store, *period, today, RulesOf(context));
  if (!report.ok()) return ErrorResponse(report.status());
  const std::string name = "requests-" + period->from.ToString() + "-" + period->to.ToString();
  if (!html) {
    return Document(reporting::RequestsReportCsv(*report), "text/csv; charset=utf-8",
                    "attachment; filename=\"" + name + ".csv\"");
  }
  auto page = reporting::RequestsReportHtml(*report, language);
  if (!page.ok()) return ErrorResponse(page.status());
  ApiResponse response = Document(std::move(page.value()), "text/html; charset=utf-8",
                                  "inline; filename=\"" + name + "." + language + ".html\"");
  AllowInFrame(response);
  return response;
}

}  // namespace

std::vector<Route> ReportRoutes(const ApiContext& context) {
  const ApiContext* c = &context;
  using auth::Access;
  return {
      {"GET", "/api/v1/dashboard", Access::kAuditTrail,
       [c](const ApiRequest& r) { return GetDashboard(*c, r); }},
      {"GET", "/api/v1/reports/requests.csv", Access::kAuditTrail,
       [c](const ApiRequest& r) { return GetRequestsReport(*c, r, false); }},
      {"GET", "/api/v1/reports/requests.html", Access::kAuditTrail,
       [c](const ApiRequest& r) { return GetRequestsReport(*c, r, true); }},
  };
}

}  // namespace dsr::api
