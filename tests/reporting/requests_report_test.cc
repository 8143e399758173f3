#include "coordinator/reporting/requests_report.h"

#include <doctest/doctest.h>

#include <map>

#include "coordinator/letters/view.h"
#include "tests/reporting/reporting_fixture.h"

namespace dsr::embedded {
const std::vector<std::pair<std::string_view, std::string_view>>& ReportTemplateFiles();
}  // namespace dsr::embedded

namespace dsr::reporting {
namespace {

using testing::kToday;
using testing::ReportingFixture;

const Period kPeriod{CivilDate(2025, 5, 1), CivilDate(2025, 6, 15)};
const DeadlineRules kRules{deadlines::PauseMode::kPause, 7};

RequestsReport ReportOf(const ReportingFixture& fixture) {
  auto report = LoadRequestsReport(*fixture.store, kPeriod, kToday, kRules);
  REQUIRE(report.ok());
  return std::move(report.value());
}

std::map<std::string, ReportRow> RowsById(const RequestsReport& report) {
  std::map<std::string, ReportRow> rows;
  for (const auto& row : report.rows) rows[row.id] = row;
  return rows;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_SUITE("RequestsReport") {
  TEST_CASE("has a row per request received or closed in the period") {
    ReportingFixture fixture;
    const auto report = ReportOf(fixture);
    std::vector<std::string> ids;
    for (const auto& row : report.rows) ids.push_back(row.id);
    // By receipt: c9 and c3 (closed in it), o7 (extended in it), then
    // everything received 05-02 … 05-25; not o4 (received after) nor c6
    // (before, and closed before).
    CHECK(ids == std::vector<std::string>{"c9", "c3", "o7", "c1", "c2", "o2", "c4", "c5", "c7",
                                          "o1", "o3", "o6", "c8", "o5"});
    CHECK(report.received == 11);
    CHECK(report.extended == 2);  // c9 and o7
    CHECK(report.figures.answered == 6);
    CHECK(report.figures.on_time == 5);
    CHECK(report.figures.late == 1);
  }

  TEST_CASE("says for each row whether it was answered on time, and by how much it was late") {
    ReportingFixture fixture;
    const auto rows = RowsById(ReportOf(fixture));
    const ReportRow& c3 = rows.at("c3");
    CHECK(c3.timeliness == Timeliness::kLate);
    CHECK(c3.days_taken == 50);
    CHECK(c3.days_late == 18);
    CHECK(c3.closed_on == CivilDate(2025, 5, 30));
    CHECK(rows.at("c2").timeliness == Timeliness::kOnTime);  // on its due date, local time
    CHECK_FALSE(rows.at("c2").days_late.has_value());
    CHECK(rows.at("c5").timeliness == Timeliness::kNotAnswered);
    CHECK(rows.at("c7").timeliness == Timeliness::kOnTime);
    CHECK_FALSE(rows.at("c7").closed_in_period);
    CHECK(rows.at("o1").timeliness == Timeliness::kOpen);
    CHECK_FALSE(rows.at("o1").days_late.has_value());
    CHECK(rows.at("o2").days_late == 8);     // open and overdue since 06-10
    CHECK(rows.at("o5").paused_days == 17);  // paused since 06-01, today 06-18
    CHECK(rows.at("c4").closing_ground == "manifestly_unfounded");
  }

  TEST_CASE("an extended request is judged against its extended due date") {
    ReportingFixture fixture;
    const auto rows = RowsById(ReportOf(fixture));
    const ReportRow& c9 = rows.at("c9");
    CHECK(c9.first_due_on == CivilDate(2025, 5, 5));
    CHECK(c9.extended_due_on == CivilDate(2025, 7, 4));
    CHECK(c9.due_on == CivilDate(2025, 7, 4));
    CHECK(c9.extended_on == CivilDate(2025, 5, 1));  // 22:30 UTC on 04-30
    CHECK(c9.extension_reason == "Archivdaten auf Band");
    CHECK(c9.extended_in_period);
    CHECK(c9.closed_on == CivilDate(2025, 5, 8));
    CHECK(c9.days_taken == 34);
    CHECK(c9.timeliness == Timeliness::kOnTime);  // 3 days after its first due date
    CHECK_FALSE(c9.days_late.has_value());
    CHECK_FALSE(c9.why_late.has_value());
    const ReportRow& o7 = rows.at("o7");
    CHECK(o7.first_due_on == CivilDate(2025, 5, 22));
    CHECK(o7.due_on == CivilDate(2025, 7, 22));
    CHECK(o7.extended_on == CivilDate(2025, 5, 20));
    CHECK(o7.extended_in_period);
    CHECK_FALSE(o7.received_in_period);
    CHECK(o7.timeliness == Timeliness::kOpen);
    CHECK_FALSE(o7.days_late.has_value());  // 27 days past its first date, not overdue
    const ReportRow& c1 = rows.at("c1");
    CHECK(c1.first_due_on == c1.due_on);
    CHECK_FALSE(c1.extended_due_on.has_value());
    CHECK_FALSE(c1.extended_on.has_value());
    CHECK_FALSE(c1.extended_in_period);
  }

  TEST_CASE("explains a late answer from the store's facts") {
    ReportingFixture fixture;
    const auto rows = RowsById(ReportOf(fixture));
    REQUIRE(rows.at("c3").why_late.has_value());
    const LateCauses& causes = *rows.at("c3").why_late;
    REQUIRE(causes.failures.size() == 1);
    CHECK(causes.failures[0].source == "crm");
    CHECK(causes.failures[0].code == "unavailable");
    CHECK(causes.failures[0].times == 2);
    CHECK(causes.paused_days == 4);
    CHECK(causes.review_days == 19);
    CHECK(DescribeCauses(causes, "en") ==
          "crm failed: unavailable (2×); clock paused 4 days; 19 days in review");
    CHECK(DescribeCauses(causes, "de") ==
          "crm fehlgeschlagen: unavailable (2×); Frist 4 Tage angehalten; 19 Tage in Prüfung");
    CHECK(DescribeCauses(*rows.at("o2").why_late, "en") == "no cause recorded");
    CHECK_FALSE(rows.at("c1").why_late.has_value());
  }

  TEST_CASE("the CSV has the columns, the figures and no identities") {
    ReportingFixture fixture;
    const std::string csv = RequestsReportCsv(ReportOf(fixture));
    CHECK(csv.rfind("\xEF\xBB\xBFid,type,origin,channel,received_on,due_on,first_due_on,"
                    "extended_due_on,extended_on,extension_reason,status,closed_on,days_taken,"
                    "on_time,days_late,paused_days,closing_ground,closing_reason,why_late\r\n",
                    0) == 0);
    CHECK(Contains(csv,
                   "c3,access,agent,email,2025-04-10,2025-05-12,2025-05-12,,,,completed,"
                   "2025-05-30,50,no,18,4,,,crm failed: unavailable (2×); clock paused 4 days; "
                   "19 days in review\r\n"));
    CHECK(Contains(csv,
                   "c5,erasure,agent,email,2025-05-15,2025-06-16,2025-06-16,,,,cancelled,"
                   "2025-05-16,,,,0,,withdrawn by phone,\r\n"));
    CHECK(Contains(
        csv,
        "o1,access,agent,email,2025-05-20,2025-06-20,2025-06-20,,,,in_progress,,,open,,0,,,\r\n"));
    // Extended: due_on is the extended date, on_time counts against it.
    CHECK(Contains(csv,
                   "c9,access,agent,email,2025-04-04,2025-07-04,2025-05-05,2025-07-04,2025-05-01,"
                   "Archivdaten auf Band,completed,2025-05-08,34,yes,,0,,,\r\n"));
    CHECK(Contains(csv,
                   "o7,access,agent,email,2025-04-22,2025-07-22,2025-05-22,2025-07-22,2025-05-20,"
                   "\"12 Quellen, \"\"Altarchiv\"\" & <Band>\",in_progress,,,open,,0,,,\r\n"));
    CHECK_FALSE(Contains(csv, "@example.org"));
  }

  TEST_CASE("CSV cells are quoted by RFC 4180 and guarded against formulas") {
    RequestsReport report;
    report.period = kPeriod;
    for (const char* reason :
         {"=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "a, \"b\"\nc", "ok"}) {
      ReportRow row;
      row.id = "r";
      row.status = store::RequestStatus::kRejected;
      row.closing_reason = reason;
      report.rows.push_back(row);
    }
    const std::string csv = RequestsReportCsv(report);
    CHECK(Contains(csv, ",\"'=HYPERLINK(\"\"http://x\"\")\","));
    CHECK(Contains(csv, ",'+1,"));
    CHECK(Contains(csv, ",'-1,"));
    CHECK(Contains(csv, ",'@SUM(A1),"));
    CHECK(Contains(csv, ",'\tx,"));
    CHECK(Contains(csv, ",\"'\rx\","));
    CHECK(Contains(csv, ",\"a, \"\"b\"\"\nc\","));
    CHECK(Contains(csv, ",ok,"));
  }

  TEST_CASE("the HTML report renders in German and English with the late request's reason") {
    ReportingFixture fixture;
    const auto report = ReportOf(fixture);
    auto en = RequestsReportHtml(report, "en");
    auto de = RequestsReportHtml(report, "de");
    REQUIRE(en.ok());
    REQUIRE(de.ok());
    CHECK(Contains(*en, "<html lang=\"en\">"));
    CHECK(Contains(*de, "<html lang=\"de\">"));
    CHECK(Contains(*en, "crm failed: unavailable (2×); clock paused 4 days; 19 days in review"));
    CHECK(Contains(*de,
                   "crm fehlgeschlagen: unavailable (2×); Frist 4 Tage angehalten; 19 Tage in "
                   "Prüfung"));
    CHECK(Contains(*en, "What was late, and why"));
    CHECK(Contains(*de, "Was verspätet war, und warum"));
    // The refusal with its ground and the agent's reason, escaped.
    CHECK(Contains(*en, "manifestly unfounded (Art. 12(5))"));
    CHECK(Contains(*de, "offenkundig unbegründet (Art. 12(5))"));
    CHECK(Contains(*de, "Dritte identische Anfrage &lt;b&gt;binnen&lt;/b&gt; einer Woche"));
    CHECK_FALSE(Contains(*de, "<b>binnen"));
    // The summary: 6 answered, 5 on time (83 %), median 26, p95 50.
    CHECK(Contains(*en, "<td>5 (83 %)</td>"));
    CHECK(Contains(*en, "<td>26</td>"));
    CHECK(Contains(*en, "<td>50</td>"));
    for (const std::string* page : {&*en, &*de}) {
      CHECK(Contains(*page, "@media print"));
      CHECK_FALSE(Contains(*page, "src="));
      CHECK_FALSE(Contains(*page, "href="));
      CHECK_FALSE(Contains(*page, "@import"));
      CHECK_FALSE(Contains(*page, "@example.org"));
      CHECK_FALSE(Contains(*page, "{{"));
    }
    CHECK(RequestsReportHtml(report, "fr").status().code() == StatusCode::kValidation);
  }

  TEST_CASE("the HTML report lists the extensions with both due dates and the reason, escaped") {
    ReportingFixture fixture;
    const auto report = ReportOf(fixture);
    auto en = RequestsReportHtml(report, "en");
    auto de = RequestsReportHtml(report, "de");
    REQUIRE(en.ok());
    REQUIRE(de.ok());
    CHECK(Contains(*en, "<h2>Extensions</h2>"));
    CHECK(Contains(*de, "<h2>Fristverlängerungen</h2>"));
    CHECK(
        Contains(*en, "<tr><th>Deadlines extended in the period (Art. 12(3))</th><td>2</td></tr>"));
    CHECK(Contains(*de,
                   "<tr><th>Im Zeitraum verlängerte Fristen (Art. 12 Abs. 3)</th><td>2</td></tr>"));
    // extended on, first due date, new due date, status, reason.
    CHECK(Contains(*en,
                   "<td>2025-05-01</td><td>2025-05-05</td><td>2025-07-04</td><td>completed</td>"
                   "<td class=\"reason\">Archivdaten auf Band</td>"));
    CHECK(Contains(*de,
                   "<td>2025-05-20</td><td>2025-05-22</td><td>2025-07-22</td><td>in Bearbeitung"
                   "</td><td class=\"reason\">12 Quellen, &quot;Altarchiv&quot; &amp; "
                   "&lt;Band&gt;</td>"));
    for (const std::string* page : {&*en, &*de}) CHECK_FALSE(Contains(*page, "<Band>"));
    // The tables mark a due date that was extended.
    CHECK(Contains(*en, "<td>2025-07-04 (extended)</td>"));
    CHECK(Contains(*de, "<td>2025-07-04 (verlängert)</td>"));
    CHECK_FALSE(Contains(*en, "<td>2025-05-12 (extended)</td>"));  // c3 was not extended
    CHECK(Contains(*en, "<td>2025-05-12</td>"));
  }

  TEST_CASE("a period without extensions says so") {
    ReportingFixture fixture;
    auto report = LoadRequestsReport(
        *fixture.store, {CivilDate(2025, 6, 1), CivilDate(2025, 6, 15)}, kToday, kRules);
    REQUIRE(report.ok());
    CHECK(report->extended == 0);
    auto en = RequestsReportHtml(*report, "en");
    auto de = RequestsReportHtml(*report, "de");
    REQUIRE(en.ok());
    REQUIRE(de.ok());
    CHECK(Contains(*en, "No deadline was extended in the period."));
    CHECK(Contains(*de, "Im Zeitraum wurde keine Frist verlängert."));
  }

  TEST_CASE("the report templates insert nothing unescaped") {
    REQUIRE(embedded::ReportTemplateFiles().size() == 2);
    for (const auto& [name, text] : embedded::ReportTemplateFiles()) {
      CAPTURE(name);
      CHECK(letters::CheckTemplate(text).ok());
    }
  }
}

}  // namespace dsr::reporting
