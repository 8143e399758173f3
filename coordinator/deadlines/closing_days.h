// ClosingDays: days on which the controller's own team does not work
// (company holidays, a works outing), and working-day arithmetic around them.
//
// Closing days NEVER move a legal deadline. Regulation 1182/71 Art. 3(4)
// extends a period only past Saturdays, Sundays and public holidays; a
// company's decision to close does not give it more time under GDPR
// Art. 12(3). That is why DueDate and ExtendedDueDate (deadline.h) take a
// HolidayCalendar and no ClosingDays. Closing days matter for the team's own
// planning: a reminder that would fall on a closed day is
// brought forward to the last day the team can still act
// (LastWorkingDayOnOrBefore).
//
// Values are immutable once built and safe to share between threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/civil_date.h"
#include "coordinator/deadlines/holiday_calendar.h"

namespace dsr::deadlines {

// One closed span, both ends included; a single day has first == last.
struct ClosedSpan {
  CivilDate first;
  CivilDate last;
  std::string name;  // "Betriebsferien / Company holidays"
};

class ClosingDays {
 public:
  // No closing days: the team works on every working day.
  ClosingDays() = default;
  // Requires first <= last in every span; spans may overlap.
  explicit ClosingDays(std::vector<ClosedSpan> spans);

  bool IsClosed(CivilDate date) const;
  // The name of the span covering `date` (names of overlapping spans joined
  // by "; "), or nullopt on a day the team works.
  std::optional<std::string> Name(CivilDate date) const;
  const std::vector<ClosedSpan>& spans() const { return spans_; }

 private:
  std::vector<ClosedSpan> spans_;
};

// True when the team can act on `date`: not a Saturday, Sunday, public
// holiday of `calendar` or closing day.
bool IsTeamWorkingDay(CivilDate date, const HolidayCalendar& calendar,
                      const ClosingDays& closing_days);

// `date` itself if the team can act on it, else the nearest earlier day it
// can: where a reminder due on a closed day belongs.
CivilDate LastWorkingDayOnOrBefore(CivilDate date, const HolidayCalendar& calendar,
                                   const ClosingDays& closing_days);

// The days d with from < d <= to on which the team can act ("working days
// left until `to`"); 0 when to <= from.
int WorkingDaysBetween(CivilDate from, CivilDate to, const HolidayCalendar& calendar,
                       const ClosingDays& closing_days);

}  // namespace dsr::deadlines
