// Deadlines for answering a data-subject request (GDPR Art. 12(3)).
//
// Pure functions of a receipt date and a holiday calendar; no clock, no state,
// safe to call from any thread. Dates are local civil dates of the controller:
// a deadline ends at 24:00 of the returned day.
//
// Counting follows Regulation (EEC, Euratom) No 1182/71, Art. 2-3:
//  1. the day of receipt is not counted;
//  2. a period of months ends on the day with the receipt's day number in the
//     last month, or on that month's last day if it has no such day;
//  3. weekends and holidays inside the period count;
//  4. a period whose last day is a Saturday, Sunday or public holiday ends on
//     the following working day.
// The extension by two further months starts from the end of the first month
// before rule 4 moves it, which gives the earlier, safer date.
#pragma once

#include <optional>
#include <string_view>

#include "common/civil_date.h"
#include "common/status.h"
#include "coordinator/deadlines/holiday_calendar.h"

namespace dsr::deadlines {

// Where the two further months of Art. 12(3) are counted from (config key
// `extension_from`).
enum class ExtensionFrom {
  kFirstPeriodEnd,  // "first_period_end": end of the first month, unmoved (default)
  kReceipt,         // "receipt": three months from receipt
};

// Parses "first_period_end" or "receipt"; anything else is kValidation.
Result<ExtensionFrom> ParseExtensionFrom(std::string_view text);
// The config spelling of `from`, the inverse of ParseExtensionFrom.
std::string_view ExtensionFromName(ExtensionFrom from);

// False on Saturdays, Sundays and the calendar's public holidays.
bool IsWorkingDay(CivilDate date, const HolidayCalendar& calendar);

// End of the one-month period by rules 1-2 only, not moved off weekends or
// holidays: receipt 2025-01-31 gives 2025-02-28.
CivilDate FirstPeriodEnd(CivilDate received);

// `date` itself if it is a working day, else the next working day (rule 4).
// The calendar must leave some working day ahead; every real one does.
CivilDate RollToWorkingDay(CivilDate date, const HolidayCalendar& calendar);

// The Art. 12(3) deadline: one month from receipt, rolled to a working day.
CivilDate DueDate(CivilDate received, const HolidayCalendar& calendar);

// The extended Art. 12(3) deadline, rolled to a working day. Receipt
// 2025-01-31 gives 2025-04-28 from kFirstPeriodEnd, 2025-04-30 from kReceipt.
CivilDate ExtendedDueDate(CivilDate received, const HolidayCalendar& calendar,
                          ExtensionFrom from = ExtensionFrom::kFirstPeriodEnd);

// How asking the data subject for more information (Art. 12(6)) affects the
// deadline (config key `identity_pause`).
enum class PauseMode {
  kPause,  // "pause": the clock stands still; the end moves by the paused days (default)
  kRestartFromAnswer,  // "restart_from_answer": the month starts again from the answer
  kIgnore,             // "ignore": the clock runs on
};

Result<PauseMode> ParsePauseMode(std::string_view text);

// The Art. 12(3) deadline after pauses. kPause adds the paused days to the
// unmoved end of the first month, then rolls to a working day (the earlier,
// safer date); kRestartFromAnswer counts one month from `last_resumed_on`
// (the day the subject answered) when there was a pause; kIgnore is DueDate.
CivilDate DueDateAfterPauses(CivilDate received, int paused_days,
                             std::optional<CivilDate> last_resumed_on, PauseMode mode,
                             const HolidayCalendar& calendar);

// The extended Art. 12(3) deadline after pauses, counted like
// DueDateAfterPauses: kPause takes the earlier of the paused days added to
// the unmoved extended end (ExtendedDueDate before rule 4) and the two
// months counted from the first end moved by the paused days (they differ
// where months differ in length), then rolls to a working day;
// kRestartFromAnswer extends the month that started again on
// `last_resumed_on` when there was a pause; kIgnore is ExtendedDueDate.
CivilDate ExtendedDueDateAfterPauses(CivilDate received, int paused_days,
                                     std::optional<CivilDate> last_resumed_on, PauseMode mode,
                                     ExtensionFrom from, const HolidayCalendar& calendar);

// Where an open request stands against its due date, for agents and the DPO.
enum class DeadlineState {
  kOnTrack,  // "on_track"
  kDueSoon,  // "due_soon": due within the configured number of days (or today)
  kOverdue,  // "overdue": the due date has passed
};
std::string_view DeadlineStateName(DeadlineState state);

struct DeadlineStanding {
  // Calendar days from today to the due date: 0 when due today, negative
  // when overdue by that many days.
  int64_t days_left = 0;
  DeadlineState state = DeadlineState::kOnTrack;
  bool clock_paused = false;
};

// `today` is the controller's local date. While the clock is paused
// (`paused_since`, with PauseMode kPause or kRestartFromAnswer) no day runs:
// days are counted from the day it stopped, since the due date moves on by
// the paused days when the subject answers. With kIgnore the clock runs on.
DeadlineStanding StandingOf(CivilDate due_on, CivilDate today,
                            std::optional<CivilDate> paused_since, PauseMode mode,
                            int due_soon_days);

}  // namespace dsr::deadlines
