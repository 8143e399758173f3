#include "coordinator/deadlines/deadline.h"

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace dsr::deadlines {
namespace {

std::unique_ptr<HolidayCalendar> GermanCalendar() {
  auto calendar = NewHolidayCalendar("DE");
  REQUIRE(calendar.ok());
  return std::move(calendar).value();
}

// A calendar with hand-picked holidays, to test rolling without German law.
class ListedHolidays final : public HolidayCalendar {
 public:
  explicit ListedHolidays(std::set<int64_t> days) : days_(std::move(days)) {}
  bool IsPublicHoliday(CivilDate date) const override {
    return days_.count(date.DaysSinceEpoch()) > 0;
  }
  std::optional<std::string> HolidayName(CivilDate date) const override {
    if (!IsPublicHoliday(date)) return std::nullopt;
    return "listed";
  }
  std::string_view region() const override { return "TEST"; }

 private:
  std::set<int64_t> days_;
};

}  // namespace

TEST_SUITE("Deadline") {
  TEST_CASE("reproduces the worked examples of the Art. 12(3) deadline") {
    const auto de = GermanCalendar();
    struct Example {
      CivilDate received, due;
      Weekday due_weekday;
    };
    const Example kExamples[] = {
        {CivilDate(2025, 3, 5), CivilDate(2025, 4, 7), Weekday::kMonday},
        {CivilDate(2025, 1, 31), CivilDate(2025, 2, 28), Weekday::kFriday},
        {CivilDate(2024, 2, 29), CivilDate(2024, 4, 2), Weekday::kTuesday},
        {CivilDate(2025, 11, 25), CivilDate(2025, 12, 29), Weekday::kMonday},
        {CivilDate(2025, 12, 31), CivilDate(2026, 2, 2), Weekday::kMonday},
    };
    for (const Example& example : kExamples) {
      CAPTURE(example.received.ToString());
      CHECK(DueDate(example.received, *de) == example.due);
      CHECK(example.due.weekday() == example.due_weekday);
    }
  }

  TEST_CASE("ends the first month on the same day number or the month's last day") {
    CHECK(FirstPeriodEnd(CivilDate(2025, 3, 5)) == CivilDate(2025, 4, 5));  // a Saturday, unmoved
    CHECK(FirstPeriodEnd(CivilDate(2025, 1, 31)) == CivilDate(2025, 2, 28));
    CHECK(FirstPeriodEnd(CivilDate(2025, 1, 29)) == CivilDate(2025, 2, 28));
    CHECK(FirstPeriodEnd(CivilDate(2024, 1, 31)) == CivilDate(2024, 2, 29));
    CHECK(FirstPeriodEnd(CivilDate(2024, 1, 30)) == CivilDate(2024, 2, 29));
    CHECK(FirstPeriodEnd(CivilDate(2024, 2, 29)) == CivilDate(2024, 3, 29));
    CHECK(FirstPeriodEnd(CivilDate(2025, 2, 28)) == CivilDate(2025, 3, 28));
    CHECK(FirstPeriodEnd(CivilDate(2025, 3, 31)) == CivilDate(2025, 4, 30));
    CHECK(FirstPeriodEnd(CivilDate(2025, 8, 31)) == CivilDate(2025, 9, 30));
    CHECK(FirstPeriodEnd(CivilDate(2025, 12, 31)) == CivilDate(2026, 1, 31));
  }

  TEST_CASE("moves a deadline that ends on a holiday to the next working day") {
    const auto de = GermanCalendar();
    CHECK(DueDate(CivilDate(2025, 9, 3), *de) == CivilDate(2025, 10, 6));     // Unity Day, Friday
    CHECK(DueDate(CivilDate(2025, 4, 1), *de) == CivilDate(2025, 5, 2));      // Labour Day
    CHECK(DueDate(CivilDate(2025, 3, 18), *de) == CivilDate(2025, 4, 22));    // Good Friday..Monday
    CHECK(DueDate(CivilDate(2025, 4, 29), *de) == CivilDate(2025, 5, 30));    // Ascension Day
    CHECK(DueDate(CivilDate(2025, 5, 9), *de) == CivilDate(2025, 6, 10));     // Whit Monday
    CHECK(DueDate(CivilDate(2016, 12, 1), *de) == CivilDate(2017, 1, 2));     // New Year, Sunday
    CHECK(DueDate(CivilDate(2026, 11, 25), *de) == CivilDate(2026, 12, 28));  // Christmas Fri
  }

  TEST_CASE("leaves the end on a working day and never moves the day of receipt") {
    const auto de = GermanCalendar();
    CHECK(DueDate(CivilDate(2025, 2, 28), *de) == CivilDate(2025, 3, 28));
    CHECK(DueDate(CivilDate(2025, 3, 2), *de) == CivilDate(2025, 4, 2));      // received Sunday
    CHECK(DueDate(CivilDate(2025, 12, 25), *de) == CivilDate(2026, 1, 26));   // received Christmas
    CHECK(DueDate(CivilDate(2025, 11, 24), *de) == CivilDate(2025, 12, 24));  // Christmas Eve
  }

  TEST_CASE("rolls weekends and holidays forward and keeps working days") {
    const auto de = GermanCalendar();
    CHECK(RollToWorkingDay(CivilDate(2025, 4, 7), *de) == CivilDate(2025, 4, 7));
    CHECK(RollToWorkingDay(CivilDate(2025, 4, 5), *de) == CivilDate(2025, 4, 7));
    CHECK(RollToWorkingDay(CivilDate(2025, 4, 6), *de) == CivilDate(2025, 4, 7));
    CHECK(RollToWorkingDay(CivilDate(2025, 12, 25), *de) == CivilDate(2025, 12, 29));
    CHECK(RollToWorkingDay(CivilDate(2017, 10, 31), *de) == CivilDate(2017, 11, 1));
    CHECK(RollToWorkingDay(CivilDate(2018, 10, 31), *de) == CivilDate(2018, 10, 31));
    CHECK(IsWorkingDay(CivilDate(2025, 4, 7), *de));
    CHECK_FALSE(IsWorkingDay(CivilDate(2025, 4, 18), *de));
  }

  TEST_CASE("rolls through any run of holidays of a calendar behind the interface") {
    // Thu 2025-07-03 .. Tue 2025-07-08 with the weekend in the middle.
    std::set<int64_t> days;
    for (int day : {3, 4, 7, 8}) days.insert(CivilDate(2025, 7, day).DaysSinceEpoch());
    const ListedHolidays calendar(days);
    CHECK(RollToWorkingDay(CivilDate(2025, 7, 3), calendar) == CivilDate(2025, 7, 9));
    CHECK(DueDate(CivilDate(2025, 6, 4), calendar) == CivilDate(2025, 7, 9));
  }

  TEST_CASE("extends from the unmoved end of the first month or from receipt") {
    const auto de = GermanCalendar();
    const CivilDate received(2025, 1, 31);
    CHECK(ExtendedDueDate(received, *de) == CivilDate(2025, 4, 28));
    CHECK(ExtendedDueDate(received, *de, ExtensionFrom::kFirstPeriodEnd) == CivilDate(2025, 4, 28));
    CHECK(ExtendedDueDate(received, *de, ExtensionFrom::kReceipt) == CivilDate(2025, 4, 30));
    // Leap February clamps the first end to the 29th.
    CHECK(ExtendedDueDate(CivilDate(2024, 1, 30), *de) == CivilDate(2024, 4, 29));
    CHECK(ExtendedDueDate(CivilDate(2024, 1, 30), *de, ExtensionFrom::kReceipt) ==
          CivilDate(2024, 4, 30));
    // Reformation Day 2017 can only end an extended period: no September 31st.
    CHECK(ExtendedDueDate(CivilDate(2017, 7, 31), *de) == CivilDate(2017, 11, 1));
    CHECK(ExtendedDueDate(CivilDate(2017, 7, 31), *de, ExtensionFrom::kReceipt) ==
          CivilDate(2017, 11, 1));
    // Without clamping both settings agree: 2025-03-05 -> Thu 2025-06-05.
    CHECK(ExtendedDueDate(CivilDate(2025, 3, 5), *de) == CivilDate(2025, 6, 5));
    CHECK(ExtendedDueDate(CivilDate(2025, 3, 5), *de, ExtensionFrom::kReceipt) ==
          CivilDate(2025, 6, 5));
  }

  TEST_CASE("parses the extension_from setting and rejects other spellings") {
    CHECK(ParseExtensionFrom("first_period_end").value() == ExtensionFrom::kFirstPeriodEnd);
    CHECK(ParseExtensionFrom("receipt").value() == ExtensionFrom::kReceipt);
    for (ExtensionFrom from : {ExtensionFrom::kFirstPeriodEnd, ExtensionFrom::kReceipt}) {
      CHECK(ParseExtensionFrom(ExtensionFromName(from)).value() == from);
    }
    for (const char* text : {"", "Receipt", "first-period-end", "first_period_end "}) {
      CAPTURE(text);
      auto parsed = ParseExtensionFrom(text);
      REQUIRE_FALSE(parsed.ok());
      CHECK(parsed.status().code() == StatusCode::kValidation);
      CHECK(parsed.status().message().find("first_period_end") != std::string::npos);
    }
  }

  TEST_CASE(
      "for every receipt day 2020-2030 the due date is the first working day from the "
      "first period end") {
    const auto de = GermanCalendar();
    for (CivilDate received(2020, 1, 1); received.year() <= 2030; received = received.AddDays(1)) {
      CAPTURE(received.ToString());
      const CivilDate first_end = FirstPeriodEnd(received);
      const CivilDate due = DueDate(received, *de);
      REQUIRE(first_end > received);
      REQUIRE(due >= first_end);
      REQUIRE(IsWorkingDay(due, *de));
      for (CivilDate day = first_end; day < due; day = day.AddDays(1)) {
        REQUIRE_FALSE(IsWorkingDay(day, *de));
      }
      // At most four non-working days in a row: Good Friday to Easter Monday.
      REQUIRE(due.DaysSinceEpoch() - first_end.DaysSinceEpoch() <= 4);
    }
  }

  TEST_CASE("for every receipt day 2020-2030 the default extension is never later") {
    const auto de = GermanCalendar();
    for (CivilDate received(2020, 1, 1); received.year() <= 2030; received = received.AddDays(1)) {
      CAPTURE(received.ToString());
      const CivilDate from_first = ExtendedDueDate(received, *de, ExtensionFrom::kFirstPeriodEnd);
      const CivilDate from_receipt = ExtendedDueDate(received, *de, ExtensionFrom::kReceipt);
      REQUIRE(IsWorkingDay(from_first, *de));
      REQUIRE(IsWorkingDay(from_receipt, *de));
      REQUIRE(from_first <= from_receipt);
      REQUIRE(from_first >= FirstPeriodEnd(received).AddMonthsClamped(2));
      REQUIRE(from_first > DueDate(received, *de));
    }
  }
}

}  // namespace dsr::deadlines

namespace dsr::deadlines {
TEST_SUITE("DeadlineAfterPauses") {
  TEST_CASE("a pause moves the unmoved end of the month by the paused days, then rolls") {
    auto calendar = std::move(NewHolidayCalendar("DE").value());
    // Receipt 2025-03-05: the month ends Sat 2025-04-05 (due Mon 04-07).
    CHECK(DueDateAfterPauses(CivilDate(2025, 3, 5), 0, std::nullopt, PauseMode::kPause,
                             *calendar) == CivilDate(2025, 4, 7));
    // Paused 3 days: 04-08, a Tuesday.
    CHECK(DueDateAfterPauses(CivilDate(2025, 3, 5), 3, CivilDate(2025, 3, 12), PauseMode::kPause,
                             *calendar) == CivilDate(2025, 4, 8));
    // Paused 13 days: 04-18 is Good Friday, then the weekend and Easter Monday.
    CHECK(DueDateAfterPauses(CivilDate(2025, 3, 5), 13, CivilDate(2025, 3, 20), PauseMode::kPause,
                             *calendar) == CivilDate(2025, 4, 22));
  }

  TEST_CASE("an open request is on track, due soon from the configured day on, then overdue") {
    const CivilDate due(2025, 4, 7);
    const auto at = [&](CivilDate today) {
      return StandingOf(due, today, std::nullopt, PauseMode::kPause, 7);
    };
    CHECK(at(CivilDate(2025, 3, 5)).days_left == 33);
    CHECK(at(CivilDate(2025, 3, 5)).state == DeadlineState::kOnTrack);
    CHECK(at(CivilDate(2025, 3, 30)).state == DeadlineState::kOnTrack);  // 8 days left
    CHECK(at(CivilDate(2025, 3, 31)).state == DeadlineState::kDueSoon);  // 7 days left
    CHECK(at(CivilDate(2025, 4, 7)).days_left == 0);                     // due today
    CHECK(at(CivilDate(2025, 4, 7)).state == DeadlineState::kDueSoon);
    CHECK(at(CivilDate(2025, 4, 8)).days_left == -1);
    CHECK(at(CivilDate(2025, 4, 8)).state == DeadlineState::kOverdue);
    CHECK(StandingOf(due, CivilDate(2025, 4, 7), std::nullopt, PauseMode::kPause, 0).state ==
          DeadlineState::kDueSoon);
    CHECK(DeadlineStateName(DeadlineState::kDueSoon) == "due_soon");
  }

  TEST_CASE("a paused clock stands still; with identity_pause ignore it runs on") {
    const CivilDate due(2025, 4, 7);
    const CivilDate paused_since(2025, 3, 20);
    // Paused on 20 March with 18 days left: weeks later still 18 left.
    const auto paused = StandingOf(due, CivilDate(2025, 5, 2), paused_since, PauseMode::kPause, 7);
    CHECK(paused.days_left == 18);
    CHECK(paused.state == DeadlineState::kOnTrack);
    CHECK(paused.clock_paused);
    CHECK(StandingOf(due, CivilDate(2025, 5, 2), paused_since, PauseMode::kRestartFromAnswer, 7)
              .clock_paused);
    const auto ignored =
        StandingOf(due, CivilDate(2025, 5, 2), paused_since, PauseMode::kIgnore, 7);
    CHECK(ignored.days_left == -25);
    CHECK(ignored.state == DeadlineState::kOverdue);
    CHECK_FALSE(ignored.clock_paused);
  }

  TEST_CASE("a pause spanning a month end counts calendar days") {
    auto calendar = std::move(NewHolidayCalendar("DE").value());
    // Receipt 2025-01-31, month ends 2025-02-28; paused from 31 January until
    // the answer on 4 February = 4 days (31, 1, 2, 3) → Tue 2025-03-04.
    CHECK(DueDateAfterPauses(CivilDate(2025, 1, 31), 4, CivilDate(2025, 2, 4), PauseMode::kPause,
                             *calendar) == CivilDate(2025, 3, 4));
    // Receipt 2025-03-05, month ends Sat 2025-04-05; paused 28 March until
    // the answer on 2 April = 5 days → Thu 2025-04-10.
    CHECK(DueDateAfterPauses(CivilDate(2025, 3, 5), 5, CivilDate(2025, 4, 2), PauseMode::kPause,
                             *calendar) == CivilDate(2025, 4, 10));
  }

  TEST_CASE("restart_from_answer counts the month from the answer; ignore keeps the date") {
    auto calendar = std::move(NewHolidayCalendar("DE").value());
    CHECK(DueDateAfterPauses(CivilDate(2025, 3, 5), 10, CivilDate(2025, 3, 20),
                             PauseMode::kRestartFromAnswer, *calendar) == CivilDate(2025, 4, 22));
    CHECK(DueDateAfterPauses(CivilDate(2025, 3, 5), 10, CivilDate(2025, 3, 20), PauseMode::kIgnore,
                             *calendar) == CivilDate(2025, 4, 7));
    CHECK(ParsePauseMode("pause").value() == PauseMode::kPause);
    CHECK_FALSE(ParsePauseMode("stop").ok());
  }

  TEST_CASE("an extension after pauses is shifted by the paused days, the earlier reading") {
    auto calendar = std::move(NewHolidayCalendar("DE").value());
    const auto extended = [&](CivilDate received, int days, ExtensionFrom from) {
      return ExtendedDueDateAfterPauses(received, days, std::nullopt, PauseMode::kPause, from,
                                        *calendar);
    };
    // No pause: the same as ExtendedDueDate (31 Jan 2025 → 28 Apr, not 30 Apr).
    CHECK(extended(CivilDate(2025, 1, 31), 0, ExtensionFrom::kFirstPeriodEnd) ==
          CivilDate(2025, 4, 28));
    CHECK(extended(CivilDate(2025, 1, 31), 0, ExtensionFrom::kReceipt) == CivilDate(2025, 4, 30));
    // Receipt 2025-03-05 extends to Thu 06-05; paused 3 days: Sun 06-08 is
    // Whit Sunday and 06-09 Whit Monday, so Tue 06-10.
    CHECK(extended(CivilDate(2025, 3, 5), 3, ExtensionFrom::kFirstPeriodEnd) ==
          CivilDate(2025, 6, 10));
    // Across a month end: 28 Apr + 4 days = Fri 2 May; from receipt 30 Apr +
    // 4 = Sun 4 May, so Mon 5 May.
    CHECK(extended(CivilDate(2025, 1, 31), 4, ExtensionFrom::kFirstPeriodEnd) ==
          CivilDate(2025, 5, 2));
    CHECK(extended(CivilDate(2025, 1, 31), 4, ExtensionFrom::kReceipt) == CivilDate(2025, 5, 5));
    // Where the readings differ: receipt 30 Jun 2025, first end 30 Jul, one
    // paused day. The extended end 30 Sep + 1 day would be Wed 1 Oct; two
    // months from the moved first end (31 Jul) end on Tue 30 Sep: the earlier.
    CHECK(extended(CivilDate(2025, 6, 30), 1, ExtensionFrom::kFirstPeriodEnd) ==
          CivilDate(2025, 9, 30));
  }

  TEST_CASE("an extension after restart_from_answer extends the restarted month; ignore does not") {
    auto calendar = std::move(NewHolidayCalendar("DE").value());
    CHECK(ExtendedDueDateAfterPauses(CivilDate(2025, 3, 5), 10, CivilDate(2025, 3, 20),
                                     PauseMode::kRestartFromAnswer, ExtensionFrom::kFirstPeriodEnd,
                                     *calendar) == CivilDate(2025, 6, 20));
    CHECK(ExtendedDueDateAfterPauses(CivilDate(2025, 3, 5), 0, std::nullopt,
                                     PauseMode::kRestartFromAnswer, ExtensionFrom::kFirstPeriodEnd,
                                     *calendar) == CivilDate(2025, 6, 5));
    CHECK(ExtendedDueDateAfterPauses(CivilDate(2025, 3, 5), 10, CivilDate(2025, 3, 20),
                                     PauseMode::kIgnore, ExtensionFrom::kFirstPeriodEnd,
                                     *calendar) == CivilDate(2025, 6, 5));
  }

  TEST_CASE("for every receipt day of 2025 and pause the extended date follows the first one") {
    auto calendar = std::move(NewHolidayCalendar("DE").value());
    for (CivilDate received(2025, 1, 1); received <= CivilDate(2025, 12, 31);
         received = received.AddDays(1)) {
      for (int days : {0, 1, 6, 30}) {
        for (PauseMode mode : {PauseMode::kPause, PauseMode::kRestartFromAnswer}) {
          CAPTURE(received.ToString());
          CAPTURE(days);
          const CivilDate resumed = received.AddDays(days);
          const CivilDate first = DueDateAfterPauses(received, days, resumed, mode, *calendar);
          const CivilDate extended = ExtendedDueDateAfterPauses(
              received, days, resumed, mode, ExtensionFrom::kFirstPeriodEnd, *calendar);
          // Two further months are 59 to 62 days; rolling either end off a
          // weekend or holiday moves it by at most 4 days.
          const int64_t gap = extended.DaysSinceEpoch() - first.DaysSinceEpoch();
          CHECK(gap >= 55);
          CHECK(gap <= 66);
          CHECK(IsWorkingDay(extended, *calendar));
          if (days == 0 && mode == PauseMode::kPause)
            CHECK(extended == ExtendedDueDate(received, *calendar));
        }
      }
    }
  }
}
}  // namespace dsr::deadlines
