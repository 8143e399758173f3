#include "coordinator/deadlines/holiday_calendar.h"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <utility>

namespace dsr::deadlines {
namespace {

std::unique_ptr<HolidayCalendar> GermanCalendar() {
  auto calendar = NewHolidayCalendar("DE");
  REQUIRE(calendar.ok());
  return std::move(calendar).value();
}

int HolidaysIn(int year, const HolidayCalendar& calendar) {
  int count = 0;
  for (CivilDate date(year, 1, 1); date.year() == year; date = date.AddDays(1)) {
    if (calendar.IsPublicHoliday(date)) ++count;
  }
  return count;
}

}  // namespace

TEST_SUITE("EasterSunday") {
  TEST_CASE("matches the published Easter dates of 2000 to 2030") {
    struct Known {
      int year, month, day;
    };
    constexpr Known kEaster[] = {
        {2000, 4, 23}, {2001, 4, 15}, {2002, 3, 31}, {2003, 4, 20}, {2004, 4, 11}, {2005, 3, 27},
        {2006, 4, 16}, {2007, 4, 8},  {2008, 3, 23}, {2009, 4, 12}, {2010, 4, 4},  {2011, 4, 24},
        {2012, 4, 8},  {2013, 3, 31}, {2014, 4, 20}, {2015, 4, 5},  {2016, 3, 27}, {2017, 4, 16},
        {2018, 4, 1},  {2019, 4, 21}, {2020, 4, 12}, {2021, 4, 4},  {2022, 4, 17}, {2023, 4, 9},
        {2024, 3, 31}, {2025, 4, 20}, {2026, 4, 5},  {2027, 3, 28}, {2028, 4, 16}, {2029, 4, 1},
        {2030, 4, 21},
    };
    for (const Known& known : kEaster) {
      CAPTURE(known.year);
      CHECK(EasterSunday(known.year) == CivilDate(known.year, known.month, known.day));
    }
  }

  TEST_CASE("gets the earliest and latest possible Easters and the first Gregorian one") {
    CHECK(EasterSunday(1583) == CivilDate(1583, 4, 10));
    CHECK(EasterSunday(1818) == CivilDate(1818, 3, 22));
    CHECK(EasterSunday(2285) == CivilDate(2285, 3, 22));
    CHECK(EasterSunday(1943) == CivilDate(1943, 4, 25));
    CHECK(EasterSunday(2038) == CivilDate(2038, 4, 25));
    CHECK(EasterSunday(2100) == CivilDate(2100, 3, 28));
  }

  TEST_CASE("is always a Sunday between 22 March and 25 April") {
    for (int year = 1583; year <= 9999; ++year) {
      const CivilDate easter = EasterSunday(year);
      CAPTURE(year);
      REQUIRE(easter.weekday() == Weekday::kSunday);
      REQUIRE(easter >= CivilDate(year, 3, 22));
      REQUIRE(easter <= CivilDate(year, 4, 25));
    }
  }
}

TEST_SUITE("HolidayCalendar") {
  TEST_CASE("knows every German federal holiday of 2025") {
    const auto de = GermanCalendar();
    CHECK(de->HolidayName(CivilDate(2025, 1, 1)) == "Neujahr / New Year's Day");
    CHECK(de->HolidayName(CivilDate(2025, 4, 18)) == "Karfreitag / Good Friday");
    CHECK(de->HolidayName(CivilDate(2025, 4, 21)) == "Ostermontag / Easter Monday");
    CHECK(de->HolidayName(CivilDate(2025, 5, 1)) == "Tag der Arbeit / Labour Day");
    CHECK(de->HolidayName(CivilDate(2025, 5, 29)) == "Christi Himmelfahrt / Ascension Day");
    CHECK(de->HolidayName(CivilDate(2025, 6, 9)) == "Pfingstmontag / Whit Monday");
    CHECK(de->HolidayName(CivilDate(2025, 10, 3)) ==
          "Tag der Deutschen Einheit / German Unity Day");
    CHECK(de->HolidayName(CivilDate(2025, 12, 25)) == "1. Weihnachtstag / Christmas Day");
    CHECK(de->HolidayName(CivilDate(2025, 12, 26)) == "2. Weihnachtstag / Second Day of Christmas");
    CHECK(HolidaysIn(2025, *de) == 9);
  }

  TEST_CASE("knows every German federal holiday of 2026") {
    const auto de = GermanCalendar();
    for (const CivilDate date :
         {CivilDate(2026, 1, 1), CivilDate(2026, 4, 3), CivilDate(2026, 4, 6),
          CivilDate(2026, 5, 1), CivilDate(2026, 5, 14), CivilDate(2026, 5, 25),
          CivilDate(2026, 10, 3), CivilDate(2026, 12, 25), CivilDate(2026, 12, 26)}) {
      CAPTURE(date.ToString());
      CHECK(de->IsPublicHoliday(date));
      CHECK(de->HolidayName(date).has_value());
    }
    CHECK(HolidaysIn(2026, *de) == 9);
  }

  TEST_CASE("counts Reformation Day 2017 as a holiday in 2017 only") {
    const auto de = GermanCalendar();
    CHECK(de->IsPublicHoliday(CivilDate(2017, 10, 31)));
    CHECK(de->HolidayName(CivilDate(2017, 10, 31))->rfind("Reformationstag", 0) == 0);
    CHECK(HolidaysIn(2017, *de) == 10);
    for (int year : {2016, 2018, 2025, 2026}) {
      CAPTURE(year);
      CHECK_FALSE(de->IsPublicHoliday(CivilDate(year, 10, 31)));
    }
  }

  TEST_CASE("does not count state holidays, Easter Sunday, Christmas Eve or weekends") {
    const auto de = GermanCalendar();
    for (const CivilDate date : {
             CivilDate(2025, 1, 6),    // Heilige Drei Koenige (BW, BY, ST)
             CivilDate(2025, 4, 20),   // Ostersonntag (BB only)
             CivilDate(2025, 6, 8),    // Pfingstsonntag (BB only)
             CivilDate(2025, 6, 19),   // Fronleichnam (several states)
             CivilDate(2025, 8, 15),   // Mariae Himmelfahrt (SL, parts of BY)
             CivilDate(2025, 11, 1),   // Allerheiligen (several states)
             CivilDate(2025, 11, 19),  // Buss- und Bettag (SN)
             CivilDate(2025, 12, 24),  // Heiligabend: no public holiday anywhere
             CivilDate(2025, 4, 5),    // an ordinary Saturday
         }) {
      CAPTURE(date.ToString());
      CHECK_FALSE(de->IsPublicHoliday(date));
      CHECK_FALSE(de->HolidayName(date).has_value());
    }
  }

  TEST_CASE("names both holidays when Ascension Day falls on 1 May") {
    const auto de = GermanCalendar();
    CHECK(de->HolidayName(CivilDate(2008, 5, 1)) ==
          "Tag der Arbeit / Labour Day; Christi Himmelfahrt / Ascension Day");
    CHECK(HolidaysIn(2008, *de) == 8);
  }

  TEST_CASE("builds the German calendar under its region code") {
    CHECK(GermanCalendar()->region() == "DE");
  }

  TEST_CASE("rejects an unknown region and names the known ones") {
    for (const char* region : {"FR", "DE-BY", "de", ""}) {
      CAPTURE(region);
      auto calendar = NewHolidayCalendar(region);
      REQUIRE_FALSE(calendar.ok());
      CHECK(calendar.status().code() == StatusCode::kValidation);
      CHECK(calendar.status().message().find("'" + std::string(region) + "'") != std::string::npos);
      CHECK(calendar.status().message().find("known regions: DE") != std::string::npos);
    }
  }
}

}  // namespace dsr::deadlines
