#include "coordinator/deadlines/deadline.h"

#include <algorithm>
#include <string>

namespace dsr::deadlines {
namespace {

constexpr std::string_view kFirstPeriodEndName = "first_period_end";
constexpr std::string_view kReceiptName = "receipt";

}  // namespace

Result<ExtensionFrom> ParseExtensionFrom(std::string_view text) {
  if (text == kFirstPeriodEndName) return ExtensionFrom::kFirstPeriodEnd;
  if (text == kReceiptName) return ExtensionFrom::kReceipt;
  return ValidationError("extension_from must be '" + std::string(kFirstPeriodEndName) + "' or '" +
                         std::string(kReceiptName) + "', not '" + std::string(text) + "'");
}

std::string_view ExtensionFromName(ExtensionFrom from) {
  switch (from) {
    case ExtensionFrom::kFirstPeriodEnd:
      return kFirstPeriodEndName;
    case ExtensionFrom::kReceipt:
      return kReceiptName;
  }
  return kFirstPeriodEndName;
}

bool IsWorkingDay(CivilDate date, const HolidayCalendar& calendar) {
  const Weekday weekday = date.weekday();
  if (weekday == Weekday::kSaturday || weekday == Weekday::kSunday) return false;
  return !calendar.IsPublicHoliday(date);
}

// Rule 1 (receipt day not counted) and rule 2 together are exactly "same day
// number one month later, clamped": the period runs from the day after receipt
// through that day.
CivilDate FirstPeriodEnd(CivilDate received) {
  return received.AddMonthsClamped(1);
}

CivilDate RollToWorkingDay(CivilDate date, const HolidayCalendar& calendar) {
  while (!IsWorkingDay(date, calendar)) date = date.AddDays(1);
  return date;
}

CivilDate DueDate(CivilDate received, const HolidayCalendar& calendar) {
  return RollToWorkingDay(FirstPeriodEnd(received), calendar);
}

namespace {

// The end of the extended period by rules 1-2 only.
CivilDate UnmovedExtendedEnd(CivilDate received, ExtensionFrom from) {
  // Counting from the unmoved first end keeps a clamped day number (28 Feb)
  // clamped, so this is never later than counting three months from receipt.
  return from == ExtensionFrom::kFirstPeriodEnd ? FirstPeriodEnd(received).AddMonthsClamped(2)
                                                : received.AddMonthsClamped(3);
}

}  // namespace

CivilDate ExtendedDueDate(CivilDate received, const HolidayCalendar& calendar, ExtensionFrom from) {
  return RollToWorkingDay(UnmovedExtendedEnd(received, from), calendar);
}

std::string_view DeadlineStateName(DeadlineState state) {
  switch (state) {
    case DeadlineState::kOnTrack:
      return "on_track";
    case DeadlineState::kDueSoon:
      return "due_soon";
    case DeadlineState::kOverdue:
      return "overdue";
  }
  return "on_track";
}

DeadlineStanding StandingOf(CivilDate due_on, CivilDate today,
                            std::optional<CivilDate> paused_since, PauseMode mode,
                            int due_soon_days) {
  DeadlineStanding standing;
  standing.clock_paused = paused_since.has_value() && mode != PauseMode::kIgnore;
  const CivilDate counted_to = standing.clock_paused ? *paused_since : today;
  standing.days_left = due_on.DaysSinceEpoch() - counted_to.DaysSinceEpoch();
  if (standing.days_left < 0) {
    standing.state = DeadlineState::kOverdue;
  } else if (standing.days_left <= due_soon_days) {
    standing.state = DeadlineState::kDueSoon;
  }
  return standing;
}

Result<PauseMode> ParsePauseMode(std::string_view text) {
  if (text == "pause") return PauseMode::kPause;
  if (text == "restart_from_answer") return PauseMode::kRestartFromAnswer;
  if (text == "ignore") return PauseMode::kIgnore;
  return ValidationError("identity_pause must be pause, restart_from_answer or ignore, not '" +
                         std::string(text) + "'");
}

CivilDate DueDateAfterPauses(CivilDate received, int paused_days,
                             std::optional<CivilDate> last_resumed_on, PauseMode mode,
                             const HolidayCalendar& calendar) {
  switch (mode) {
    case PauseMode::kPause:
      return RollToWorkingDay(FirstPeriodEnd(received).AddDays(paused_days), calendar);
    case PauseMode::kRestartFromAnswer:
      return DueDate(last_resumed_on.value_or(received), calendar);
    case PauseMode::kIgnore:
      break;
  }
  return DueDate(received, calendar);
}

CivilDate ExtendedDueDateAfterPauses(CivilDate received, int paused_days,
                                     std::optional<CivilDate> last_resumed_on, PauseMode mode,
                                     ExtensionFrom from, const HolidayCalendar& calendar) {
  switch (mode) {
    case PauseMode::kPause: {
      // Two readings of "the extended deadline, shifted by the paused days":
      // the paused days added to the extended end, or the two months counted
      // from the first end shifted by them. Month lengths make them differ by
      // a day or two; the earlier one is safe under either.
      const CivilDate shifted_end = UnmovedExtendedEnd(received, from).AddDays(paused_days);
      const CivilDate from_shifted_period =
          from == ExtensionFrom::kFirstPeriodEnd
              ? FirstPeriodEnd(received).AddDays(paused_days).AddMonthsClamped(2)
              : received.AddDays(paused_days).AddMonthsClamped(3);
      return RollToWorkingDay(std::min(shifted_end, from_shifted_period), calendar);
    }
    case PauseMode::kRestartFromAnswer:
      return ExtendedDueDate(last_resumed_on.value_or(received), calendar, from);
    case PauseMode::kIgnore:
      break;
  }
  return ExtendedDueDate(received, calendar, from);
}

}  // namespace dsr::deadlines
