#include "coordinator/deadlines/holiday_calendar.h"

#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "coordinator/deadlines/deadline.h"

namespace dsr::deadlines {
namespace {

std::unique_ptr<HolidayCalendar> GermanCalendar() {
  auto calendar = NewHolidayCalendar("DE");
  REQUIRE(calendar.ok());
  return std::move(calendar).value();
}

std::unique_ptr<HolidayCalendar> CalendarOf(const std::string& region) {
  auto calendar = NewHolidayCalendar(region);
  REQUIRE_MESSAGE(calendar.ok(), region);
  return std::move(calendar).value();
}

// Every holiday of `year` in `calendar`, as "MM-DD".
std::set<std::string> HolidayDays(int year, const HolidayCalendar& calendar) {
  std::set<std::string> days;
  for (CivilDate date(year, 1, 1); date.year() == year; date = date.AddDays(1)) {
    if (calendar.IsPublicHoliday(date)) days.insert(date.ToString().substr(5));
  }
  return days;
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
    for (const char* region : {"FR", "DE-XX", "de-by", "DE-", ""}) {
      CAPTURE(region);
      auto calendar = NewHolidayCalendar(region);
      REQUIRE_FALSE(calendar.ok());
      CHECK(calendar.status().code() == StatusCode::kValidation);
      CHECK(calendar.status().message().find("'" + std::string(region) + "'") != std::string::npos);
      CHECK(calendar.status().message().find("known regions: DE, DE-BW, DE-BY") !=
            std::string::npos);
    }
  }
}

}  // namespace dsr::deadlines

namespace dsr::deadlines {

TEST_SUITE("German state calendars") {
  // The federal holidays of 2025 as "MM-DD".
  const std::set<std::string> kFederal2025 = {"01-01", "04-18", "04-21", "05-01", "05-29",
                                              "06-09", "10-03", "12-25", "12-26"};

  TEST_CASE("each state has the federal holidays of 2025 and exactly its own") {
    // Easter 2025: 20 April; Corpus Christi 19 June; Buß- und Bettag 19 November.
    const std::map<std::string, std::set<std::string>> own = {
        {"DE-BW", {"01-06", "06-19", "11-01"}},
        {"DE-BY", {"01-06", "06-19", "08-15", "11-01"}},
        {"DE-BE", {"03-08", "05-08"}},
        {"DE-BB", {"04-20", "06-08", "10-31"}},
        {"DE-HB", {"10-31"}},
        {"DE-HH", {"10-31"}},
        {"DE-HE", {"04-20", "06-08", "06-19"}},
        {"DE-MV", {"03-08", "10-31"}},
        {"DE-NI", {"10-31"}},
        {"DE-NW", {"06-19", "11-01"}},
        {"DE-RP", {"06-19", "11-01"}},
        {"DE-SL", {"06-19", "08-15", "11-01"}},
        {"DE-SN", {"10-31", "11-19"}},
        {"DE-ST", {"01-06", "10-31"}},
        {"DE-SH", {"10-31"}},
        {"DE-TH", {"09-20", "10-31"}},
    };
    REQUIRE(own.size() == 16);
    for (const auto& [region, days] : own) {
      CAPTURE(region);
      const auto calendar = CalendarOf(region);
      CHECK(calendar->region() == region);
      std::set<std::string> expected = kFederal2025;
      expected.insert(days.begin(), days.end());
      CHECK(HolidayDays(2025, *calendar) == expected);
    }
  }

  TEST_CASE("Buß- und Bettag in Saxony is the Wednesday before 23 November") {
    const auto saxony = CalendarOf("DE-SN");
    // 23 November on a Wednesday (2022) gives the week before; on a Thursday
    // (2023) the day before.
    for (const CivilDate date :
         {CivilDate(2021, 11, 17), CivilDate(2022, 11, 16), CivilDate(2023, 11, 22),
          CivilDate(2024, 11, 20), CivilDate(2025, 11, 19), CivilDate(2026, 11, 18),
          CivilDate(2027, 11, 17), CivilDate(2028, 11, 22)}) {
      CAPTURE(date.ToString());
      CHECK(date.weekday() == Weekday::kWednesday);
      CHECK(saxony->HolidayName(date) == "Buß- und Bettag / Day of Repentance and Prayer");
      CHECK_FALSE(saxony->IsPublicHoliday(date.AddDays(7)));
      CHECK_FALSE(saxony->IsPublicHoliday(date.AddDays(-7)));
    }
    CHECK_FALSE(CalendarOf("DE-BY")->IsPublicHoliday(CivilDate(2025, 11, 19)));
  }

  TEST_CASE("holidays a state introduced later count from that year on") {
    const struct {
      const char* region;
      int month, day, first_year;
    } introduced[] = {{"DE-HB", 10, 31, 2018}, {"DE-HH", 10, 31, 2018}, {"DE-NI", 10, 31, 2018},
                      {"DE-SH", 10, 31, 2018}, {"DE-BE", 3, 8, 2019},   {"DE-TH", 9, 20, 2019},
                      {"DE-MV", 3, 8, 2023}};
    for (const auto& holiday : introduced) {
      CAPTURE(holiday.region);
      const auto calendar = CalendarOf(holiday.region);
      CHECK(calendar->IsPublicHoliday(CivilDate(holiday.first_year, holiday.month, holiday.day)));
      CHECK(calendar->IsPublicHoliday(CivilDate(2030, holiday.month, holiday.day)));
      const CivilDate before(holiday.first_year - 1, holiday.month, holiday.day);
      // 31 October 2017 was a holiday everywhere: the 500th Reformation Day.
      CHECK(calendar->IsPublicHoliday(before) == (before == CivilDate(2017, 10, 31)));
    }
  }

  TEST_CASE("Berlin's one-off Liberation Days hold in 2020 and 2025 only") {
    const auto berlin = CalendarOf("DE-BE");
    CHECK(berlin->IsPublicHoliday(CivilDate(2020, 5, 8)));
    CHECK(berlin->IsPublicHoliday(CivilDate(2025, 5, 8)));
    for (int year : {2019, 2021, 2024, 2026})
      CHECK_FALSE(berlin->IsPublicHoliday(CivilDate(year, 5, 8)));
    CHECK_FALSE(CalendarOf("DE-BB")->IsPublicHoliday(CivilDate(2025, 5, 8)));
  }

  TEST_CASE("a deadline ending on a state's own holiday moves there and only there") {
    // Received Mon 19 May 2025: the month ends Thu 19 June, Corpus Christi.
    const CivilDate received(2025, 5, 19);
    CHECK(DueDate(received, *CalendarOf("DE")) == CivilDate(2025, 6, 19));
    CHECK(DueDate(received, *CalendarOf("DE-BY")) == CivilDate(2025, 6, 20));
    CHECK(DueDate(received, *CalendarOf("DE-NI")) == CivilDate(2025, 6, 19));
    // Received Sun 19 Oct 2025: the month ends Wed 19 November, Buß- und
    // Bettag in Saxony only.
    CHECK(DueDate(CivilDate(2025, 10, 19), *CalendarOf("DE-SN")) == CivilDate(2025, 11, 20));
    CHECK(DueDate(CivilDate(2025, 10, 19), *CalendarOf("DE-BW")) == CivilDate(2025, 11, 19));
  }
}

}  // namespace dsr::deadlines
