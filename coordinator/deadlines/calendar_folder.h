// CalendarFolder: holiday calendars of further regions and the company's
// closing days, read from one folder of YAML files that the operator edits
// (coordinator config `controller.calendar_dir`, `dsrctl deadline
// --calendar-dir`). The file format is in docs/CALENDARS.md:
//
//   <REGION>.yaml      public holidays of a region that is not built in
//                      ("AT.yaml", "AT-9.yaml"): fixed dates, days relative
//                      to Easter Sunday, the nth weekday of a month, one-off
//                      dates, and `includes` of other regions (built-in or
//                      from the folder).
//   closing_days.yaml  days the team does not work (closing_days.h). They
//                      never move a legal deadline.
//
// Load reads and checks every file at once, so that a broken file stops the
// start of the coordinator rather than a deadline computation later. Files
// whose name does not end in .yaml or .yml (a README) are ignored.
// Immutable after Load; thread-safe.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "coordinator/deadlines/closing_days.h"
#include "coordinator/deadlines/holiday_calendar.h"

namespace dsr::deadlines {

class CalendarFolder {
 public:
  // No folder: the built-in regions only and no closing days.
  CalendarFolder() = default;

  // kNotFound when `dir` is not a readable directory. kValidation, naming
  // the file and line, for a file that breaks the format, a YAML file whose
  // name is no region code, a region defined twice (AT.yaml and AT.yml) or
  // one that redefines a built-in region, an `includes` of an unknown region
  // and a cycle of includes.
  static Result<CalendarFolder> Load(const std::string& dir);

  // The calendar of a built-in region or of one the folder defines. An
  // unknown region is kValidation naming every known region.
  Result<std::shared_ptr<const HolidayCalendar>> Calendar(std::string_view region) const;

  const ClosingDays& closing_days() const { return closing_days_; }
  // The regions the folder defines, sorted.
  std::vector<std::string> FolderRegions() const;

 private:
  std::map<std::string, std::shared_ptr<const HolidayCalendar>, std::less<>> regions_;
  ClosingDays closing_days_;
};

}  // namespace dsr::deadlines
