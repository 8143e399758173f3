// The two kinds of file in a calendar folder, parsed and checked one at a
// time: `<REGION>.yaml` (a region's public holidays) and `closing_days.yaml`.
// Internal to dsr_deadlines; CalendarFolder (calendar_folder.h) reads the
// folder, resolves `includes` and is what callers use. The format is
// documented in docs/CALENDARS.md.
//
// Parsing is strict: an unknown or repeated key, an impossible date, a
// missing name or a value out of range is a kValidation error whose message
// names the file, the line and the entry ("AT.yaml:12: holidays[3]
// \"Staatsfeiertag\": ..."). Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/civil_date.h"
#include "common/status.h"
#include "coordinator/deadlines/closing_days.h"

namespace dsr::deadlines {

// One rule of a region file. Which fields count depends on `kind`.
struct HolidayEntry {
  enum class Kind {
    kFixed,       // month + day, every year
    kEaster,      // easter: days after Easter Sunday (negative: before)
    kNthWeekday,  // month + weekday + nth (1..4, or -1 for the last)
    kOneOff,      // date: a single day
  };
  Kind kind = Kind::kFixed;
  std::string name;
  int month = 0;
  int day = 0;
  int easter_offset = 0;
  Weekday weekday = Weekday::kMonday;
  int nth = 0;
  CivilDate date;
  std::optional<int> since;  // first year it holds (not for kOneOff)
  std::optional<int> until;  // last year it holds (not for kOneOff)
};

bool Matches(const HolidayEntry& entry, CivilDate date);

struct RegionInclude {
  std::string region;
  int line = 0;  // 1-based, for errors found when includes are resolved
};

struct RegionFile {
  std::string region;
  std::string path;
  std::vector<RegionInclude> includes;
  std::vector<HolidayEntry> holidays;
};

// A region code: two capital letters, optionally "-" and one to three
// capitals or digits ("AT", "AT-9", "DE-BY", "GB-ENG").
bool IsRegionCode(const std::string& text);

// `text` is the content of `path`, the file of `region`.
Result<RegionFile> ParseRegionFile(const std::string& path, const std::string& region,
                                   const std::string& text);

Result<ClosingDays> ParseClosingDaysFile(const std::string& path, const std::string& text);

}  // namespace dsr::deadlines
