#include "common/civil_date.h"

#include <doctest/doctest.h>

namespace dsr {
TEST_SUITE("CivilDate") {
  TEST_CASE("round-trips every day between 1900 and 2200 through days since epoch") {
    CivilDate date(1900, 1, 1);
    int64_t days = date.DaysSinceEpoch();
    while (date.year() < 2200) {
      CHECK(CivilDate::FromDaysSinceEpoch(days) == date);
      const CivilDate next = date.AddDays(1);
      CHECK(next.DaysSinceEpoch() == days + 1);
      date = next;
      ++days;
    }
  }

  TEST_CASE("knows weekdays") {
    CHECK(CivilDate(1970, 1, 1).weekday() == Weekday::kThursday);
    CHECK(CivilDate(2025, 4, 5).weekday() == Weekday::kSaturday);
    CHECK(CivilDate(2024, 2, 29).weekday() == Weekday::kThursday);
    CHECK(CivilDate(1960, 1, 1).weekday() == Weekday::kFriday);
  }

  TEST_CASE("parses only real dates in YYYY-MM-DD form") {
    CHECK(CivilDate::Parse("2025-03-05").value() == CivilDate(2025, 3, 5));
    CHECK(CivilDate::Parse("2024-02-29").ok());
    CHECK_FALSE(CivilDate::Parse("2025-02-29").ok());
    CHECK_FALSE(CivilDate::Parse("2025-13-01").ok());
    CHECK_FALSE(CivilDate::Parse("2025-3-5").ok());
    CHECK_FALSE(CivilDate::Parse("05.03.2025").ok());
    CHECK_FALSE(CivilDate::Parse("2025-03-05T00:00").ok());
    CHECK_FALSE(CivilDate::Parse("").ok());
    CHECK(CivilDate(2025, 3, 5).ToString() == "2025-03-05");
  }

  TEST_CASE("adds months by keeping the day number or clamping to the month's end") {
    CHECK(CivilDate(2025, 1, 31).AddMonthsClamped(1) == CivilDate(2025, 2, 28));
    CHECK(CivilDate(2024, 1, 31).AddMonthsClamped(1) == CivilDate(2024, 2, 29));
    CHECK(CivilDate(2025, 12, 31).AddMonthsClamped(1) == CivilDate(2026, 1, 31));
    CHECK(CivilDate(2025, 2, 28).AddMonthsClamped(2) == CivilDate(2025, 4, 28));
    CHECK(CivilDate(2025, 11, 30).AddMonthsClamped(3) == CivilDate(2026, 2, 28));
  }
}
}  // namespace dsr
