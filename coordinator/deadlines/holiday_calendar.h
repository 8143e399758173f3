// HolidayCalendar: which days are public holidays in one region.
//
// Deadlines of GDPR Art. 12 end on the next working day when their last day is
// a Saturday, Sunday or public holiday of the controller's member state and
// region (Regulation 1182/71, Art. 3(4)). This seam answers only the holiday
// half of that question; weekends are the caller's concern (see deadline.h).
//
// Calendars are immutable once built: every method is const, and one calendar
// may be shared between threads without locking.
//
// Callers depend only on this interface and on NewHolidayCalendar, so that
// state calendars ("DE-BY" ...) or calendars read from data files can be added
// behind the factory without touching any caller.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/civil_date.h"
#include "common/status.h"

namespace dsr::deadlines {

class HolidayCalendar {
 public:
  virtual ~HolidayCalendar() = default;

  // True if `date` is a public holiday of this calendar's region. Weekends are
  // not holidays by virtue of being weekends.
  virtual bool IsPublicHoliday(CivilDate date) const = 0;
  // The holiday's name, German then English ("Karfreitag / Good Friday"), or
  // nullopt on an ordinary day. Two holidays on one day are joined by "; ".
  virtual std::optional<std::string> HolidayName(CivilDate date) const = 0;
  // The region code the calendar was built for, e.g. "DE".
  virtual std::string_view region() const = 0;
};

// Easter Sunday of `year` by the Gregorian computus. Meaningful from 1583, the
// first Gregorian Easter; for earlier years (down to 1) it gives the proleptic
// Gregorian result. Requires 1 <= year <= 9999.
CivilDate EasterSunday(int year);

// Builds the calendar of `region`. Known today:
//   "DE"     German federal (nationwide) public holidays, as set since 1995,
//            plus the one-off nationwide Reformationstag of 31 Oct 2017.
//   "DE-BW" … "DE-TH"  (ISO 3166-2 codes of the 16 states) the federal
//            holidays plus those that hold in the whole state, with the
//            years states introduced them (Reformationstag in HB, HH, NI, SH
//            since 2018; Frauentag in BE since 2019, MV since 2023;
//            Weltkindertag in TH since 2019) and one-offs (BE: 8 May 2020
//            and 2025).
// Years before 1995 are not modelled historically.
// An unknown region gives a kValidation error that names the known regions.
// The caller owns the returned calendar. Regions beyond these come from an
// operator's folder of data files (calendar_folder.h).
Result<std::unique_ptr<HolidayCalendar>> NewHolidayCalendar(std::string_view region);

// The codes NewHolidayCalendar knows, "DE" first.
std::vector<std::string_view> BuiltInRegions();
bool IsBuiltInRegion(std::string_view region);

}  // namespace dsr::deadlines
