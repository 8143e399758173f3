#include "coordinator/reporting/dashboard.h"

#include <doctest/doctest.h>

#include "tests/reporting/reporting_fixture.h"

namespace dsr::reporting {
namespace {

using testing::kToday;
using testing::ReportingFixture;

const Period kPeriod{CivilDate(2025, 5, 1), CivilDate(2025, 6, 15)};
const DeadlineRules kRules{deadlines::PauseMode::kPause, 7};

Dashboard DashboardOf(const ReportingFixture& fixture, const Period& period) {
  auto input = LoadDashboardInput(*fixture.store, period);
  REQUIRE(input.ok());
  return ComputeDashboard(*input, kToday, period, kRules);
}

}  // namespace

TEST_SUITE("Dashboard") {
  TEST_CASE("counts the open requests by status and type") {
    ReportingFixture fixture;
    const Dashboard d = DashboardOf(fixture, kPeriod);
    CHECK(d.open == 7);
    CHECK(d.open_by_status ==
          std::map<std::string, int>{
              {"received", 1}, {"awaiting_identity", 2}, {"in_progress", 3}, {"in_review", 1}});
    CHECK(d.open_by_type ==
          std::map<std::string, int>{{"access", 4}, {"rectification", 1}, {"erasure", 2}});
  }

  TEST_CASE("erasures filed when a retention ended are no data subject's requests: left out") {
    ReportingFixture fixture;
    const Dashboard before = DashboardOf(fixture, {CivilDate(2025, 5, 10), CivilDate(2025, 6, 15)});
    // One still open and overdue, one closed late in the period.
    auto open =
        ReportingFixture::Request("f1", store::RequestType::kErasure,
                                  store::RequestStatus::kInProgress, {2025, 4, 1}, {2025, 5, 2});
    open.origin = store::RequestOrigin::kHold;
    fixture.Add(open);
    auto closed =
        ReportingFixture::Request("f2", store::RequestType::kErasure,
                                  store::RequestStatus::kCompleted, {2025, 4, 1}, {2025, 5, 2});
    closed.origin = store::RequestOrigin::kHold;
    fixture.Add(closed, "2025-06-01T10:00:00.000Z");
    const Dashboard after = DashboardOf(fixture, {CivilDate(2025, 5, 10), CivilDate(2025, 6, 15)});
    CHECK(after.open == before.open);
    CHECK(after.overdue == before.overdue);
    CHECK(after.closed.answered == before.closed.answered);
    CHECK(after.closed.late == before.closed.late);
  }

  TEST_CASE("names every non-final status and every type, also with nothing open") {
    const Dashboard d = ComputeDashboard({}, kToday, kPeriod, kRules);
    CHECK(d.open == 0);
    CHECK(d.open_by_status.size() == 4);
    CHECK(d.open_by_type.size() == 3);
    CHECK(d.closed.answered == 0);
    CHECK_FALSE(d.closed.median_days.has_value());
    CHECK_FALSE(d.closed.p95_days.has_value());
    CHECK_FALSE(d.closed.on_time_share.has_value());
    const auto json = DashboardJson(d);
    CHECK(json["handling_days"]["median"].is_null());
    CHECK(json["answered_on_time"]["share"].is_null());
  }

  TEST_CASE("judges deadlines on today: this week up to Sunday, due soon, overdue, paused") {
    ReportingFixture fixture;
    const Dashboard d = DashboardOf(fixture, kPeriod);
    CHECK(d.due_this_week == 2);  // o1 (Friday) and o3 (Sunday); o6 is due Monday
    CHECK(d.due_soon == 3);       // o1, o3, o6
    CHECK(d.overdue == 1);        // o2; not o7, whose first due date 05-22 was extended
    CHECK(d.paused == 1);         // o5
    CHECK(d.extended == 1);       // o7; c9 was extended too but is closed
    const auto json = DashboardJson(d);
    CHECK(json["extended"] == 1);
    CHECK(json["overdue"] == 1);
  }

  TEST_CASE("counts the deadlines extended in the period by the controller's local day") {
    ReportingFixture fixture;
    // c9 on 05-01 (00:30 in Berlin) and o7 on 05-20; closed or open now.
    const Dashboard d = DashboardOf(fixture, kPeriod);
    CHECK(d.extended_in_period == 2);
    CHECK(DashboardJson(d)["extended_in_period"] == 2);
    // c9's extension at 22:30 UTC on 04-30 belongs to 05-01 in Berlin.
    CHECK(
        DashboardOf(fixture, {CivilDate(2025, 4, 30), CivilDate(2025, 4, 30)}).extended_in_period ==
        0);
    CHECK(DashboardOf(fixture, {CivilDate(2025, 5, 1), CivilDate(2025, 5, 1)}).extended_in_period ==
          1);
    CHECK(
        DashboardOf(fixture, {CivilDate(2025, 5, 21), CivilDate(2025, 6, 18)}).extended_in_period ==
        0);
  }

  TEST_CASE("on a Sunday, this week is today only") {
    ReportingFixture fixture;
    auto input = LoadDashboardInput(*fixture.store, kPeriod);
    REQUIRE(input.ok());
    const Dashboard d = ComputeDashboard(*input, CivilDate(2025, 6, 22), kPeriod, kRules);
    CHECK(d.due_this_week == 1);  // o3
  }

  TEST_CASE("lists the sources whose tasks failed for open requests") {
    ReportingFixture fixture;
    const Dashboard d = DashboardOf(fixture, kPeriod);
    REQUIRE(d.failing_sources.size() == 2);
    CHECK(d.failing_sources[0].source == "crm");
    CHECK(d.failing_sources[0].failed_tasks == 4);  // o1, o2, o6 twice; not the closed c3
    CHECK(d.failing_sources[0].requests == 3);
    CHECK(d.failing_sources[1].source == "mail");
    CHECK(d.failing_sources[1].failed_tasks == 1);
    CHECK(d.failing_sources[1].requests == 1);
  }

  TEST_CASE("figures of the requests answered in the period, an odd count") {
    ReportingFixture fixture;
    // c4 2 days (refused), c1 18, c8 21, c2 31, c3 50 (late); c5 was
    // withdrawn; c6, c7 and c9 (05-08) were answered outside the period.
    const Dashboard d = DashboardOf(fixture, {CivilDate(2025, 5, 10), CivilDate(2025, 6, 15)});
    CHECK(d.closed.answered == 5);
    CHECK(d.closed.cancelled == 1);
    CHECK(d.closed.on_time == 4);
    CHECK(d.closed.late == 1);
    CHECK(d.closed.median_days == doctest::Approx(21));
    CHECK(d.closed.p95_days == 50);
    CHECK(*d.closed.on_time_share == doctest::Approx(0.8));
    const auto json = DashboardJson(d);
    CHECK(json["closed"] == 5);
    CHECK(json["late"] == 1);
    CHECK(json["answered_on_time"]["count"] == 4);
    CHECK(json["handling_days"]["p95"] == 50);
    CHECK(json["period"]["from"] == "2025-05-10");
    CHECK(json["failing_sources"][0]["source"] == "crm");
  }

  TEST_CASE("figures over an even count take the mean of the middle two") {
    ReportingFixture fixture;
    // c1 18, c8 21, c2 31, c3 50; c4 (05-12) is before the period.
    const Dashboard d = DashboardOf(fixture, {CivilDate(2025, 5, 15), CivilDate(2025, 6, 15)});
    CHECK(d.closed.answered == 4);
    CHECK(d.closed.median_days == doctest::Approx(26));
    CHECK(d.closed.p95_days == 50);
    CHECK(d.closed.on_time == 3);
    CHECK(*d.closed.on_time_share == doctest::Approx(0.75));
    CHECK(d.closed.cancelled == 1);
  }

  TEST_CASE("an answer after the first due date but before the extended one is on time") {
    ReportingFixture fixture;
    // c9 answered 05-08: after its first due date 05-05, before 07-04.
    // With it: c4 2, c1 18, c8 21, c2 31, c9 34, c3 50; p95 is rank 6 of 6.
    const Dashboard d = DashboardOf(fixture, kPeriod);
    CHECK(d.closed.answered == 6);
    CHECK(d.closed.on_time == 5);
    CHECK(d.closed.late == 1);  // c3 only
    CHECK(d.closed.median_days == doctest::Approx(26));
    CHECK(d.closed.p95_days == 50);
    CHECK(*d.closed.on_time_share == doctest::Approx(5.0 / 6.0));
    const auto c9 = DashboardOf(fixture, {CivilDate(2025, 5, 8), CivilDate(2025, 5, 8)});
    CHECK(c9.closed.answered == 1);
    CHECK(c9.closed.on_time == 1);
    CHECK(c9.closed.median_days == doctest::Approx(34));
  }

  TEST_CASE("a request counts on the controller's local day it was closed") {
    ReportingFixture fixture;
    // c2 closed at 22:30 UTC on 06-04, which is 00:30 on 06-05 in Berlin.
    CHECK(DashboardOf(fixture, {CivilDate(2025, 6, 4), CivilDate(2025, 6, 4)}).closed.answered ==
          0);
    CHECK(DashboardOf(fixture, {CivilDate(2025, 6, 5), CivilDate(2025, 6, 5)}).closed.answered ==
          1);
    // c8 closed at 23:59:59 on 06-15 in Berlin: in a period ending that day only.
    CHECK(DashboardOf(fixture, {CivilDate(2025, 6, 15), CivilDate(2025, 6, 15)}).closed.answered ==
          1);
    CHECK(DashboardOf(fixture, {CivilDate(2025, 6, 14), CivilDate(2025, 6, 14)}).closed.answered ==
          0);
  }
}

TEST_SUITE("ClosedFigures") {
  TEST_CASE("the median of an even count may fall between two days") {
    CHECK(Median({21, 18}) == doctest::Approx(19.5));
    CHECK(Median({7}) == doctest::Approx(7));
    CHECK(Median({5, 1, 3}) == doctest::Approx(3));
  }

  TEST_CASE("p95 is the nearest rank: an observed value") {
    std::vector<int64_t> twenty;
    for (int64_t i = 20; i >= 1; --i) twenty.push_back(i);
    CHECK(NearestRankPercentile(twenty, 95) == 19);  // rank ceil(19.0) = 19
    twenty.push_back(21);
    CHECK(NearestRankPercentile(twenty, 95) == 20);  // rank ceil(19.95) = 20
    CHECK(NearestRankPercentile({4}, 95) == 4);
    CHECK(NearestRankPercentile({1, 2}, 50) == 1);
    CHECK(NearestRankPercentile({1, 2}, 100) == 2);
  }
}

TEST_SUITE("Period") {
  TEST_CASE("defaults to the 90 days up to today") {
    auto period = ParsePeriod(std::nullopt, std::nullopt, kToday);
    REQUIRE(period.ok());
    CHECK(period->to == kToday);
    CHECK(period->from == CivilDate(2025, 3, 21));
    auto to_only = ParsePeriod(std::nullopt, "2025-03-31", kToday);
    REQUIRE(to_only.ok());
    CHECK(to_only->from == CivilDate(2025, 1, 1));
  }

  TEST_CASE("refuses bad dates, a reversed period and one over five years") {
    for (const auto& [from, to] :
         std::vector<std::pair<std::optional<std::string>, std::optional<std::string>>>{
             {"2025-02-30", std::nullopt},
             {"05.03.2025", std::nullopt},
             {std::nullopt, "tomorrow"},
             {"2025-06-02", "2025-06-01"},
             {"2020-06-01", "2025-06-18"}}) {
      CAPTURE(from.value_or("-"));
      CAPTURE(to.value_or("-"));
      const auto period = ParsePeriod(from, to, kToday);
      CHECK(period.status().code() == StatusCode::kValidation);
    }
    CHECK(ParsePeriod("2020-06-19", "2025-06-18", kToday).ok());  // 1,826 days
    CHECK(ParsePeriod("2025-06-18", "2025-06-18", kToday).ok());
  }
}

}  // namespace dsr::reporting
