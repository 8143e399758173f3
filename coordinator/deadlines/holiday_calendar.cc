#include "coordinator/deadlines/holiday_calendar.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace dsr::deadlines {
namespace {

// A holiday is either fixed to a day of the year or moves with Easter; a rule
// with `only_year` set applies in that year alone (one-off holidays by law).
struct HolidayRule {
  enum class Kind { kFixed, kEasterOffset };
  Kind kind;
  int month;          // kFixed only
  int day;            // kFixed only
  int easter_offset;  // kEasterOffset only, days after Easter Sunday
  int only_year;      // 0: every year
  const char* name;   // "German / English"
};

HolidayRule Fixed(int month, int day, const char* name) {
  return {HolidayRule::Kind::kFixed, month, day, 0, 0, name};
}
HolidayRule EasterOffset(int days, const char* name) {
  return {HolidayRule::Kind::kEasterOffset, 0, 0, days, 0, name};
}
HolidayRule OneOff(int year, int month, int day, const char* name) {
  return {HolidayRule::Kind::kFixed, month, day, 0, year, name};
}

bool Matches(const HolidayRule& rule, CivilDate date) {
  if (rule.only_year != 0 && rule.only_year != date.year()) return false;
  switch (rule.kind) {
    case HolidayRule::Kind::kFixed:
      return date.month() == rule.month && date.day() == rule.day;
    case HolidayRule::Kind::kEasterOffset:
      // Easter-based holidays fall between March and June, never across a year.
      return date == EasterSunday(date.year()).AddDays(rule.easter_offset);
  }
  return false;
}

// Holidays are state law in Germany; these are the ones every state's law
// shares, plus 3 Oct, which the Unification Treaty set for the whole country.
std::vector<HolidayRule> GermanFederalRules() {
  return {
      Fixed(1, 1, "Neujahr / New Year's Day"),
      EasterOffset(-2, "Karfreitag / Good Friday"),
      EasterOffset(1, "Ostermontag / Easter Monday"),
      Fixed(5, 1, "Tag der Arbeit / Labour Day"),
      EasterOffset(39, "Christi Himmelfahrt / Ascension Day"),
      EasterOffset(50, "Pfingstmontag / Whit Monday"),
      Fixed(10, 3, "Tag der Deutschen Einheit / German Unity Day"),
      OneOff(2017, 10, 31, "Reformationstag / Reformation Day (500th anniversary)"),
      Fixed(12, 25, "1. Weihnachtstag / Christmas Day"),
      Fixed(12, 26, "2. Weihnachtstag / Second Day of Christmas"),
  };
}

// A calendar that is a list of rules. State calendars will be the federal
// rules plus the state's own, so one implementation serves them all.
class RuleCalendar final : public HolidayCalendar {
 public:
  RuleCalendar(std::string region, std::vector<HolidayRule> rules)
      : region_(std::move(region)), rules_(std::move(rules)) {}

  bool IsPublicHoliday(CivilDate date) const override {
    return std::any_of(rules_.begin(), rules_.end(),
                       [date](const HolidayRule& rule) { return Matches(rule, date); });
  }

  std::optional<std::string> HolidayName(CivilDate date) const override {
    std::optional<std::string> names;
    for (const HolidayRule& rule : rules_) {
      if (!Matches(rule, date)) continue;
      // Ascension Day can fall on 1 May (2008, 2160): both names are kept.
      names = names ? *names + "; " + rule.name : std::string(rule.name);
    }
    return names;
  }

  std::string_view region() const override { return region_; }

 private:
  std::string region_;
  std::vector<HolidayRule> rules_;
};

struct KnownRegion {
  std::string_view code;
  std::vector<HolidayRule> (*rules)();
};

constexpr KnownRegion kKnownRegions[] = {
    {"DE", GermanFederalRules},
};

std::string KnownRegionList() {
  std::string list;
  for (const KnownRegion& known : kKnownRegions) {
    if (!list.empty()) list += ", ";
    list += known.code;
  }
  return list;
}

}  // namespace

// The anonymous Gregorian algorithm (Meeus/Jones/Butcher): golden number,
// century corrections for the solar and lunar equations, then the Sunday after
// the ecclesiastical full moon.
CivilDate EasterSunday(int year) {
  const int golden = year % 19;
  const int century = year / 100;
  const int year_in_century = year % 100;
  const int skipped_leap_days = century / 4;
  const int century_remainder = century % 4;
  const int lunar_correction = (century + 8) / 25;
  const int moon_shift = (century - lunar_correction + 1) / 3;
  const int epact = (19 * golden + century - skipped_leap_days - moon_shift + 15) % 30;
  const int leap_days = year_in_century / 4;
  const int year_remainder = year_in_century % 4;
  const int to_sunday = (32 + 2 * century_remainder + 2 * leap_days - epact - year_remainder) % 7;
  const int late_correction = (golden + 11 * epact + 22 * to_sunday) / 451;
  const int month_day = epact + to_sunday - 7 * late_correction + 114;
  return CivilDate(year, month_day / 31, month_day % 31 + 1);
}

Result<std::unique_ptr<HolidayCalendar>> NewHolidayCalendar(std::string_view region) {
  for (const KnownRegion& known : kKnownRegions) {
    if (known.code == region) {
      return std::unique_ptr<HolidayCalendar>(
          std::make_unique<RuleCalendar>(std::string(known.code), known.rules()));
    }
  }
  return ValidationError("unknown holiday region '" + std::string(region) +
                         "'; known regions: " + KnownRegionList());
}

}  // namespace dsr::deadlines
