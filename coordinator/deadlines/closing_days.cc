#include "coordinator/deadlines/closing_days.h"

#include <algorithm>
#include <utility>

#include "coordinator/deadlines/deadline.h"

namespace dsr::deadlines {

ClosingDays::ClosingDays(std::vector<ClosedSpan> spans) : spans_(std::move(spans)) {}

bool ClosingDays::IsClosed(CivilDate date) const {
  return std::any_of(spans_.begin(), spans_.end(), [date](const ClosedSpan& span) {
    return span.first <= date && date <= span.last;
  });
}

std::optional<std::string> ClosingDays::Name(CivilDate date) const {
  std::optional<std::string> names;
  for (const ClosedSpan& span : spans_) {
    if (date < span.first || span.last < date) continue;
    names = names ? *names + "; " + span.name : span.name;
  }
  return names;
}

bool IsTeamWorkingDay(CivilDate date, const HolidayCalendar& calendar,
                      const ClosingDays& closing_days) {
  return IsWorkingDay(date, calendar) && !closing_days.IsClosed(date);
}

CivilDate LastWorkingDayOnOrBefore(CivilDate date, const HolidayCalendar& calendar,
                                   const ClosingDays& closing_days) {
  // Ends: closing days are finitely many spans and no calendar holds every day.
  while (!IsTeamWorkingDay(date, calendar, closing_days)) date = date.AddDays(-1);
  return date;
}

int WorkingDaysBetween(CivilDate from, CivilDate to, const HolidayCalendar& calendar,
                       const ClosingDays& closing_days) {
  int count = 0;
  for (CivilDate day = from.AddDays(1); day <= to; day = day.AddDays(1)) {
    if (IsTeamWorkingDay(day, calendar, closing_days)) ++count;
  }
  return count;
}

}  // namespace dsr::deadlines
