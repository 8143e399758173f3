#include "coordinator/deadlines/closing_days.h"

#include <doctest/doctest.h>

#include <memory>
#include <utility>

#include "coordinator/deadlines/deadline.h"

namespace dsr::deadlines {
namespace {

std::unique_ptr<HolidayCalendar> GermanCalendar() {
  auto calendar = NewHolidayCalendar("DE");
  REQUIRE(calendar.ok());
  return std::move(calendar).value();
}

// Closed from Christmas Eve to New Year's Eve 2025, and on Fri 14 Nov 2025.
ClosingDays WinterBreak() {
  return ClosingDays({{CivilDate(2025, 12, 24), CivilDate(2025, 12, 31), "Betriebsferien"},
                      {CivilDate(2025, 11, 14), CivilDate(2025, 11, 14), "Betriebsausflug"}});
}

}  // namespace

TEST_SUITE("ClosingDays") {
  TEST_CASE("knows its days, both ends included, and names them") {
    const ClosingDays closed = WinterBreak();
    CHECK_FALSE(closed.IsClosed(CivilDate(2025, 12, 23)));
    CHECK(closed.IsClosed(CivilDate(2025, 12, 24)));
    CHECK(closed.IsClosed(CivilDate(2025, 12, 31)));
    CHECK_FALSE(closed.IsClosed(CivilDate(2026, 1, 1)));
    CHECK(closed.Name(CivilDate(2025, 12, 27)) == "Betriebsferien");
    CHECK(closed.Name(CivilDate(2025, 11, 14)) == "Betriebsausflug");
    CHECK_FALSE(closed.Name(CivilDate(2025, 11, 13)).has_value());
    CHECK_FALSE(ClosingDays().IsClosed(CivilDate(2025, 12, 24)));
  }

  TEST_CASE("overlapping spans name every closure") {
    const ClosingDays closed({{CivilDate(2025, 8, 1), CivilDate(2025, 8, 15), "Summer"},
                              {CivilDate(2025, 8, 15), CivilDate(2025, 8, 15), "Move"}});
    CHECK(closed.Name(CivilDate(2025, 8, 15)) == "Summer; Move");
  }

  TEST_CASE("a closing day on the last day of the period does not move the deadline") {
    // Regulation 1182/71 Art. 3(4) moves an end only past weekends and public
    // holidays: received Sat 29 Nov 2025, the month ends Mon 29 Dec 2025,
    // closed for the company's holidays, and the deadline stays there.
    const auto de = GermanCalendar();
    const ClosingDays closed = WinterBreak();
    const CivilDate received(2025, 11, 29);
    REQUIRE(closed.IsClosed(CivilDate(2025, 12, 29)));
    CHECK(DueDate(received, *de) == CivilDate(2025, 12, 29));
    // The team's last day to act is before the break.
    CHECK(LastWorkingDayOnOrBefore(DueDate(received, *de), *de, closed) == CivilDate(2025, 12, 23));
  }

  TEST_CASE("the last working day on or before skips weekends, holidays and closing days") {
    const auto de = GermanCalendar();
    const ClosingDays closed = WinterBreak();
    const ClosingDays none;
    // A working day is its own answer.
    CHECK(LastWorkingDayOnOrBefore(CivilDate(2025, 12, 23), *de, closed) ==
          CivilDate(2025, 12, 23));
    // Sat 20 Dec → Fri 19 Dec.
    CHECK(LastWorkingDayOnOrBefore(CivilDate(2025, 12, 20), *de, closed) ==
          CivilDate(2025, 12, 19));
    // New Year's Day, then back through the whole break.
    CHECK(LastWorkingDayOnOrBefore(CivilDate(2026, 1, 1), *de, closed) == CivilDate(2025, 12, 23));
    // Without the break: Wed 31 Dec is a working day.
    CHECK(LastWorkingDayOnOrBefore(CivilDate(2026, 1, 1), *de, none) == CivilDate(2025, 12, 31));
    // Fri 14 Nov closed → Thu 13 Nov; Sun 16 Nov → Thu 13 Nov as well.
    CHECK(LastWorkingDayOnOrBefore(CivilDate(2025, 11, 16), *de, closed) ==
          CivilDate(2025, 11, 13));
    // Easter Monday 2025 (21 Apr), the weekend and Good Friday → Thu 17 Apr.
    CHECK(LastWorkingDayOnOrBefore(CivilDate(2025, 4, 21), *de, none) == CivilDate(2025, 4, 17));
  }

  TEST_CASE("working days between count the days after `from` up to and including `to`") {
    const auto de = GermanCalendar();
    const ClosingDays closed = WinterBreak();
    const ClosingDays none;
    // Mon 8 Dec → Fri 12 Dec 2025: Tue to Fri.
    CHECK(WorkingDaysBetween(CivilDate(2025, 12, 8), CivilDate(2025, 12, 12), *de, none) == 4);
    CHECK(WorkingDaysBetween(CivilDate(2025, 12, 12), CivilDate(2025, 12, 12), *de, none) == 0);
    CHECK(WorkingDaysBetween(CivilDate(2025, 12, 12), CivilDate(2025, 12, 8), *de, none) == 0);
    // Fri 19 Dec 2025 → Fri 9 Jan 2026: 22, 23 Dec; the break; 1 Jan is a
    // holiday; 2, 5, 6 (no federal holiday), 7, 8, 9 Jan.
    CHECK(WorkingDaysBetween(CivilDate(2025, 12, 19), CivilDate(2026, 1, 9), *de, closed) == 8);
    // Without the break also 24, 29, 30, 31 Dec (25, 26 are holidays, 27, 28 a weekend).
    CHECK(WorkingDaysBetween(CivilDate(2025, 12, 19), CivilDate(2026, 1, 9), *de, none) == 12);
    // Around the outing.
    CHECK(WorkingDaysBetween(CivilDate(2025, 11, 10), CivilDate(2025, 11, 17), *de, closed) == 4);
  }
}

}  // namespace dsr::deadlines
