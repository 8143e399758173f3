#include "coordinator/deadlines/calendar_folder.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "coordinator/deadlines/deadline.h"
#include "tests/support/temp_dir.h"

namespace dsr::deadlines {
namespace {

std::string ExampleFolder() {
  const char* source = std::getenv("DSR_SOURCE_DIR");
  return std::string(source != nullptr ? source : ".") + "/deploy/examples/calendars";
}

void Write(const testing::TempDir& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir.File(name)) << text;
}

CalendarFolder LoadOk(const std::string& dir) {
  auto folder = CalendarFolder::Load(dir);
  REQUIRE_MESSAGE(folder.ok(), folder.status().ToString());
  return std::move(folder).value();
}

std::shared_ptr<const HolidayCalendar> CalendarOk(const CalendarFolder& folder,
                                                  const std::string& region) {
  auto calendar = folder.Calendar(region);
  REQUIRE_MESSAGE(calendar.ok(), calendar.status().ToString());
  return *calendar;
}

// The calendar of region "XX" in a folder holding only XX.yaml with `text`.
std::shared_ptr<const HolidayCalendar> OneFileCalendar(const std::string& text) {
  testing::TempDir dir;
  Write(dir, "XX.yaml", text);
  return CalendarOk(LoadOk(dir.path()), "XX");
}

// Every holiday of `year`, as "MM-DD".
std::set<std::string> HolidayDays(int year, const HolidayCalendar& calendar) {
  std::set<std::string> days;
  for (CivilDate date(year, 1, 1); date.year() == year; date = date.AddDays(1)) {
    if (calendar.IsPublicHoliday(date)) days.insert(date.ToString().substr(5));
  }
  return days;
}

// The error of loading a folder with the single file `name` holding `text`.
std::string LoadError(const std::string& name, const std::string& text) {
  testing::TempDir dir;
  Write(dir, name, text);
  auto folder = CalendarFolder::Load(dir.path());
  REQUIRE_FALSE(folder.ok());
  CHECK(folder.status().code() == StatusCode::kValidation);
  CHECK_MESSAGE(folder.status().message().find(dir.File(name)) != std::string::npos,
                folder.status().message());
  return folder.status().message();
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_SUITE("CalendarFolder") {
  TEST_CASE("the shipped Austrian calendar has exactly the 13 national public holidays") {
    const auto folder = LoadOk(ExampleFolder());
    const auto at = CalendarOk(folder, "AT");
    CHECK(at->region() == "AT");
    // Easter 2025 is 20 April: Easter Monday 21 Apr, Ascension 29 May, Whit
    // Monday 9 June, Corpus Christi 19 June.
    CHECK(HolidayDays(2025, *at) ==
          std::set<std::string>{"01-01", "01-06", "04-21", "05-01", "05-29", "06-09", "06-19",
                                "08-15", "10-26", "11-01", "12-08", "12-25", "12-26"});
    // Easter 2026 is 5 April.
    CHECK(HolidayDays(2026, *at) ==
          std::set<std::string>{"01-01", "01-06", "04-06", "05-01", "05-14", "05-25", "06-04",
                                "08-15", "10-26", "11-01", "12-08", "12-25", "12-26"});
    CHECK(Contains(at->HolidayName(CivilDate(2025, 10, 26)).value_or(""), "Nationalfeiertag"));
    CHECK_FALSE(at->IsPublicHoliday(CivilDate(2025, 4, 18)));  // Good Friday: not since 2019
    CHECK_FALSE(at->HolidayName(CivilDate(2025, 10, 27)).has_value());
    CHECK(folder.FolderRegions() == std::vector<std::string>{"AT"});
    CHECK_FALSE(folder.closing_days().spans().empty());
  }

  TEST_CASE("Austrian deadlines, worked by hand") {
    const auto at = CalendarOk(LoadOk(ExampleFolder()), "AT");
    auto de = NewHolidayCalendar("DE");
    REQUIRE(de.ok());
    struct Example {
      CivilDate received, due_at, due_de;
    };
    const Example kExamples[] = {
        // Ends Sun 26 Oct 2025, also Nationalfeiertag: Monday.
        {CivilDate(2025, 9, 26), CivilDate(2025, 10, 27), CivilDate(2025, 10, 27)},
        // Ends Mon 8 Dec 2025, Mariä Empfängnis in Austria only.
        {CivilDate(2025, 11, 8), CivilDate(2025, 12, 9), CivilDate(2025, 12, 8)},
        // Ends Tue 6 Jan 2026, Heilige Drei Könige in Austria, not federal in Germany.
        {CivilDate(2025, 12, 6), CivilDate(2026, 1, 7), CivilDate(2026, 1, 6)},
        // Ends Thu 4 June 2026, Fronleichnam (Easter 5 April + 60).
        {CivilDate(2026, 5, 4), CivilDate(2026, 6, 5), CivilDate(2026, 6, 4)},
        // Ends Thu 25 Dec 2025: Christtag, Stefanitag, then a weekend.
        {CivilDate(2025, 11, 25), CivilDate(2025, 12, 29), CivilDate(2025, 12, 29)},
    };
    for (const Example& example : kExamples) {
      CAPTURE(example.received.ToString());
      CHECK(DueDate(example.received, *at) == example.due_at);
      CHECK(DueDate(example.received, **de) == example.due_de);
    }
    // Received Sun 26 Jul 2026: the first month ends Wed 26 Aug; extended by
    // two months it ends Mon 26 Oct 2026, Nationalfeiertag: Tuesday.
    CHECK(DueDate(CivilDate(2026, 7, 26), *at) == CivilDate(2026, 8, 26));
    CHECK(ExtendedDueDate(CivilDate(2026, 7, 26), *at) == CivilDate(2026, 10, 27));
    CHECK(ExtendedDueDate(CivilDate(2026, 7, 26), **de) == CivilDate(2026, 10, 26));
  }

  TEST_CASE("a fixed date holds every year, or only from since through until") {
    const auto calendar = OneFileCalendar(
        "holidays:\n"
        "  - {name: Every year, month: 7, day: 14}\n"
        "  - {name: Three years, month: 3, day: 3, since: 2020, until: 2022}\n"
        "  - {name: Leap day, month: 2, day: 29}\n");
    CHECK(calendar->IsPublicHoliday(CivilDate(1999, 7, 14)));
    CHECK(calendar->IsPublicHoliday(CivilDate(2031, 7, 14)));
    CHECK_FALSE(calendar->IsPublicHoliday(CivilDate(2019, 3, 3)));
    CHECK(calendar->IsPublicHoliday(CivilDate(2020, 3, 3)));
    CHECK(calendar->IsPublicHoliday(CivilDate(2022, 3, 3)));
    CHECK_FALSE(calendar->IsPublicHoliday(CivilDate(2023, 3, 3)));
    CHECK(calendar->IsPublicHoliday(CivilDate(2024, 2, 29)));
    CHECK(HolidayDays(2025, *calendar) == std::set<std::string>{"07-14"});
    CHECK(calendar->HolidayName(CivilDate(2021, 3, 3)) == "Three years");
  }

  TEST_CASE("an Easter rule counts days from Easter Sunday, before or after") {
    const auto calendar = OneFileCalendar(
        "holidays:\n"
        "  - {name: Rosenmontag, easter: -48}\n"
        "  - {name: Karfreitag, easter: -2, since: 2025}\n"
        "  - {name: Ostersonntag, easter: 0}\n");
    CHECK(HolidayDays(2025, *calendar) == std::set<std::string>{"03-03", "04-18", "04-20"});
    CHECK(HolidayDays(2024, *calendar) == std::set<std::string>{"02-12", "03-31"});
  }

  TEST_CASE("a weekday rule takes the first to fourth or the last such weekday of a month") {
    const auto uk = OneFileCalendar(
        "holidays:\n"
        "  - {name: Early May bank holiday, month: 5, weekday: monday, nth: 1}\n"
        "  - {name: Spring bank holiday, month: 5, weekday: monday, nth: -1}\n"
        "  - {name: Summer bank holiday, month: 8, weekday: monday, nth: -1}\n");
    CHECK(HolidayDays(2025, *uk) == std::set<std::string>{"05-05", "05-26", "08-25"});
    CHECK(HolidayDays(2026, *uk) == std::set<std::string>{"05-04", "05-25", "08-31"});

    // Against plain counting, for every weekday, month and n over 30 years.
    const char* kNames[] = {"monday", "tuesday",  "wednesday", "thursday",
                            "friday", "saturday", "sunday"};
    for (int weekday = 0; weekday < 7; ++weekday) {
      for (int nth : {1, 2, 3, 4, -1}) {
        const auto calendar = OneFileCalendar(std::string("holidays:\n  - {name: N, month: 2, ") +
                                              "weekday: " + kNames[weekday] +
                                              ", nth: " + std::to_string(nth) + "}\n");
        for (int year = 2000; year < 2030; ++year) {
          std::vector<CivilDate> matching;
          for (CivilDate date(year, 2, 1); date.month() == 2; date = date.AddDays(1)) {
            if (static_cast<int>(date.weekday()) == weekday) matching.push_back(date);
          }
          const CivilDate expected = nth > 0 ? matching[nth - 1] : matching.back();
          CAPTURE(year);
          CAPTURE(nth);
          CHECK(HolidayDays(year, *calendar) ==
                std::set<std::string>{expected.ToString().substr(5)});
        }
      }
    }
  }

  TEST_CASE("a one-off date holds on that day only") {
    const auto calendar = OneFileCalendar("holidays:\n  - {name: Coronation, date: 2023-05-08}\n");
    CHECK(calendar->IsPublicHoliday(CivilDate(2023, 5, 8)));
    CHECK_FALSE(calendar->IsPublicHoliday(CivilDate(2024, 5, 8)));
    CHECK(calendar->HolidayName(CivilDate(2023, 5, 8)) == "Coronation");
  }

  TEST_CASE("a region includes folder and built-in regions, and names each holiday once") {
    testing::TempDir dir;
    Write(dir, "AA.yaml",
          "holidays:\n  - {name: Shared, month: 6, day: 1}\n  - {name: National, month: 6, day: "
          "2}\n");
    Write(dir, "AA-1.yaml",
          "includes: [AA]\n"
          "holidays:\n  - {name: Shared, month: 6, day: 1}\n  - {name: Local, month: 6, day: 3}\n");
    Write(dir, "DE-X1.yaml", "includes: [DE-BY, AA-1]\n");
    const auto folder = LoadOk(dir.path());
    const auto local = CalendarOk(folder, "AA-1");
    CHECK(HolidayDays(2025, *local) == std::set<std::string>{"06-01", "06-02", "06-03"});
    CHECK(local->HolidayName(CivilDate(2025, 6, 1)) == "Shared");
    const auto mixed = CalendarOk(folder, "DE-X1");
    CHECK(mixed->IsPublicHoliday(CivilDate(2025, 6, 19)));  // Fronleichnam in Bavaria
    CHECK(mixed->IsPublicHoliday(CivilDate(2025, 6, 3)));
    CHECK_FALSE(mixed->IsPublicHoliday(CivilDate(2025, 6, 4)));
    CHECK(mixed->region() == "DE-X1");
    CHECK(folder.FolderRegions() == std::vector<std::string>{"AA", "AA-1", "DE-X1"});
    // Built-in regions stay reachable through the folder.
    CHECK(CalendarOk(folder, "DE-BY")->region() == "DE-BY");
  }

  TEST_CASE("a cycle of includes is an error naming the cycle, the file and the line") {
    testing::TempDir dir;
    Write(dir, "AA.yaml", "includes: [BB]\n");
    Write(dir, "BB.yaml", "holidays:\n  - {name: B, month: 1, day: 2}\nincludes:\n  - AA\n");
    auto folder = CalendarFolder::Load(dir.path());
    REQUIRE_FALSE(folder.ok());
    CHECK(folder.status().code() == StatusCode::kValidation);
    CHECK_MESSAGE(
        Contains(folder.status().message(),
                 dir.File("BB.yaml") + ":4: includes AA, a cycle of includes: AA -> BB -> AA"),
        folder.status().message());

    const std::string self = LoadError("CC.yaml", "includes: [CC]\n");
    CHECK_MESSAGE(Contains(self, "CC -> CC"), self);
  }

  TEST_CASE("an include of an unknown region names the known ones") {
    const std::string error = LoadError("AA.yaml", "includes: [DE, ZZ]\n");
    CHECK_MESSAGE(Contains(error, "AA.yaml:1: includes unknown region ZZ"), error);
    CHECK_MESSAGE(Contains(error, "DE-BY"), error);
  }

  TEST_CASE("every broken entry is an error naming the file, the line and the entry") {
    struct Case {
      std::string name;
      std::string text;
      std::string expected;
    };
    const std::string h = "holidays:\n  - name: Good\n    month: 1\n    day: 1\n";  // lines 1-4
    const std::vector<Case> cases = {
        {"30 February", h + "  - {name: Bad, month: 2, day: 30}\n",
         ":5: holidays[1] \"Bad\": month 2 has no day 30"},
        {"month 13", h + "  - {name: Bad, month: 13, day: 1}\n", ":5: holidays[1] \"Bad\": month"},
        {"day as text", h + "  - {name: Bad, month: 1, day: first}\n", "'first'"},
        {"unknown key", h + "  - {name: Bad, month: 1, dya: 2}\n",
         ":5: holidays[1] \"Bad\": unknown key 'dya'"},
        {"repeated key", "holidays:\n  - name: Bad\n    month: 1\n    day: 2\n    day: 3\n",
         ":5: holidays[0] \"Bad\": the key 'day' appears twice"},
        {"missing name", h + "  - {month: 1, day: 2}\n", ":5: holidays[1]: has no name"},
        {"empty name", h + "  - {name: '', month: 1, day: 2}\n", "name must be text"},
        {"missing day", h + "  - {name: Bad, month: 1}\n", "a fixed date needs day"},
        {"impossible date", h + "  - {name: Bad, date: 2025-02-30}\n",
         ":5: holidays[1] \"Bad\": date must be a real date YYYY-MM-DD, not '2025-02-30'"},
        {"date in another format", h + "  - {name: Bad, date: 08.05.2025}\n", "08.05.2025"},
        {"Easter offset out of range", h + "  - {name: Bad, easter: 251}\n",
         "easter must be a whole number from -80 to 250"},
        {"Easter offset below range", h + "  - {name: Bad, easter: -81}\n", "-80 to 250"},
        {"nth 0", h + "  - {name: Bad, month: 5, weekday: monday, nth: 0}\n", "nth must be"},
        {"nth 5", h + "  - {name: Bad, month: 5, weekday: monday, nth: 5}\n", "nth must be"},
        {"weekday abbreviated", h + "  - {name: Bad, month: 5, weekday: Mon, nth: 1}\n",
         "weekday must be monday"},
        {"weekday without nth", h + "  - {name: Bad, month: 5, weekday: monday}\n", "needs nth"},
        {"two kinds in one", h + "  - {name: Bad, date: 2025-01-02, month: 1}\n",
         "'month' does not belong to a one-off date"},
        {"since on a one-off", h + "  - {name: Bad, date: 2025-01-02, since: 2025}\n",
         "'since' does not belong"},
        {"until before since", h + "  - {name: Bad, month: 1, day: 2, since: 2020, until: 2019}\n",
         "until 2019 is before since 2020"},
        {"year out of range", h + "  - {name: Bad, month: 1, day: 2, since: 99999}\n",
         "since must"},
        {"unknown top-level key", h + "holliday: []\n", ":5: unknown key 'holliday'"},
        {"holidays not a list", "holidays: {name: Bad}\n", "holidays must be a list"},
        {"entry not a mapping", "holidays:\n  - Neujahr\n", ":2: holidays[0]: must be a mapping"},
        {"includes not codes", "includes: [austria]\n", "'austria' is not a region code"},
        {"nothing defined", "includes: []\n", "defines no holidays and includes no region"},
        {"empty file", "", "the file is empty"},
        {"not YAML", h + "  - {name: [unclosed\n", ": not valid YAML"},
        {"a list at the top", "- {name: A, month: 1, day: 1}\n", ":1: must be a mapping"},
    };
    for (const Case& bad : cases) {
      CAPTURE(bad.name);
      const std::string error = LoadError("XX.yaml", bad.text);
      CHECK_MESSAGE(Contains(error, bad.expected), error);
    }
  }

  TEST_CASE("built-in regions cannot be redefined, and a region is defined only once") {
    const std::string builtin =
        LoadError("DE-BY.yaml", "holidays:\n  - {name: A, month: 1, day: 2}\n");
    CHECK_MESSAGE(Contains(builtin, "DE-BY is built in and cannot be redefined"), builtin);

    testing::TempDir dir;
    Write(dir, "AT.yaml", "holidays:\n  - {name: A, month: 1, day: 2}\n");
    Write(dir, "AT.yml", "holidays:\n  - {name: A, month: 1, day: 3}\n");
    auto twice = CalendarFolder::Load(dir.path());
    REQUIRE_FALSE(twice.ok());
    CHECK_MESSAGE(Contains(twice.status().message(), "region AT is defined twice"),
                  twice.status().message());

    const std::string lower = LoadError("austria.yaml", "holidays: []\n");
    CHECK_MESSAGE(Contains(lower, "named after its region code"), lower);
  }

  TEST_CASE("ignores files that are not YAML; a missing folder is not found") {
    testing::TempDir dir;
    Write(dir, "README.md", "Holidays of our offices.\n");
    Write(dir, ".AT.yaml.swp", "binary junk");
    CHECK(LoadOk(dir.path()).FolderRegions().empty());
    auto missing = CalendarFolder::Load(dir.File("nowhere"));
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.status().code() == StatusCode::kNotFound);
    CHECK(Contains(missing.status().message(), dir.File("nowhere")));
  }

  TEST_CASE("an unknown region names the built-in and the folder's regions") {
    const auto folder = LoadOk(ExampleFolder());
    auto unknown = folder.Calendar("FR");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.status().code() == StatusCode::kValidation);
    CHECK(Contains(unknown.status().message(), "'FR'"));
    CHECK(Contains(unknown.status().message(), "DE-TH"));
    CHECK(Contains(unknown.status().message(), "AT"));
    CHECK_FALSE(CalendarFolder().Calendar("AT").ok());
    CHECK(CalendarFolder().Calendar("DE").ok());
  }

  TEST_CASE("closing days come from closing_days.yaml with single days and ranges") {
    testing::TempDir dir;
    Write(dir, "closing_days.yaml",
          "closing_days:\n"
          "  - {name: Company holidays, from: 2026-12-24, to: 2026-12-31}\n"
          "  - {name: Outing, date: 2026-06-19}\n");
    const auto folder = LoadOk(dir.path());
    const ClosingDays& closed = folder.closing_days();
    CHECK(closed.IsClosed(CivilDate(2026, 12, 24)));
    CHECK(closed.IsClosed(CivilDate(2026, 12, 31)));
    CHECK_FALSE(closed.IsClosed(CivilDate(2027, 1, 1)));
    CHECK(closed.Name(CivilDate(2026, 6, 19)) == "Outing");
    CHECK_FALSE(closed.IsClosed(CivilDate(2026, 6, 20)));
  }

  TEST_CASE("every broken closing day is an error naming the file, the line and the entry") {
    struct Case {
      std::string name;
      std::string text;
      std::string expected;
    };
    const std::string c = "closing_days:\n  - {name: Good, date: 2026-01-02}\n";  // lines 1-2
    const std::vector<Case> cases = {
        {"to before from", c + "  - {name: Bad, from: 2026-12-31, to: 2026-12-24}\n",
         ":3: closing_days[1] \"Bad\": to is before from"},
        {"missing name", c + "  - {date: 2026-01-03}\n", ":3: closing_days[1]: has no name"},
        {"date and range", c + "  - {name: Bad, date: 2026-01-03, from: 2026-01-03}\n",
         "needs either date, or from and to"},
        {"open range", c + "  - {name: Bad, from: 2026-01-03}\n",
         "needs either date, or from and to"},
        {"impossible date", c + "  - {name: Bad, date: 2026-02-30}\n", "'2026-02-30'"},
        {"longer than a year", c + "  - {name: Bad, from: 2026-01-01, to: 2027-01-02}\n",
         "spans more than 366 days"},
        {"unknown key", c + "  - {name: Bad, day: 2026-01-03}\n", "unknown key 'day'"},
        {"no list", "closing: []\n", "unknown key 'closing'"},
    };
    for (const Case& bad : cases) {
      CAPTURE(bad.name);
      const std::string error = LoadError("closing_days.yaml", bad.text);
      CHECK_MESSAGE(Contains(error, bad.expected), error);
    }
  }
}

}  // namespace dsr::deadlines
