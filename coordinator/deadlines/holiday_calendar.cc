#include "coordinator/deadlines/holiday_calendar.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace dsr::deadlines {
namespace {

// A holiday is fixed to a day of the year, moves with Easter, or is the
// Wednesday before 23 November (Buß- und Bettag). A rule with `only_year`
// applies in that year alone (one-off holidays by law); one with `from_year`
// from that year on (holidays a state introduced later).
struct HolidayRule {
  enum class Kind { kFixed, kEasterOffset, kWednesdayBeforeNov23 };
  Kind kind;
  int month;          // kFixed only
  int day;            // kFixed only
  int easter_offset;  // kEasterOffset only, days after Easter Sunday
  int only_year;      // 0: every year
  const char* name;   // "German / English"
  int from_year = 0;  // 0: every year the calendar models
};

HolidayRule Fixed(int month, int day, const char* name) {
  return {HolidayRule::Kind::kFixed, month, day, 0, 0, name};
}
HolidayRule FixedSince(int from_year, int month, int day, const char* name) {
  return {HolidayRule::Kind::kFixed, month, day, 0, 0, name, from_year};
}
HolidayRule EasterOffset(int days, const char* name) {
  return {HolidayRule::Kind::kEasterOffset, 0, 0, days, 0, name};
}
HolidayRule OneOff(int year, int month, int day, const char* name) {
  return {HolidayRule::Kind::kFixed, month, day, 0, year, name};
}

bool Matches(const HolidayRule& rule, CivilDate date) {
  if (rule.only_year != 0 && rule.only_year != date.year()) return false;
  if (date.year() < rule.from_year) return false;
  switch (rule.kind) {
    case HolidayRule::Kind::kFixed:
      return date.month() == rule.month && date.day() == rule.day;
    case HolidayRule::Kind::kEasterOffset:
      // Easter-based holidays fall between March and June, never across a year.
      return date == EasterSunday(date.year()).AddDays(rule.easter_offset);
    case HolidayRule::Kind::kWednesdayBeforeNov23: {
      // 16 to 22 November: the last Wednesday strictly before the 23rd.
      const CivilDate nov23(date.year(), 11, 23);
      const int back =
          (static_cast<int>(nov23.weekday()) - static_cast<int>(Weekday::kWednesday) + 7) % 7;
      return date == nov23.AddDays(-(back == 0 ? 7 : back));
    }
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

// The states' own holidays (Feiertagsgesetze of the 16 Länder), added to the
// federal ones. Only holidays that apply in the whole state are listed: those
// of single municipalities (Fronleichnam in parts of Saxony and Thuringia,
// the Augsburger Friedensfest) are not, since a deadline must not depend on
// where in the state a request is answered without the operator saying so.
// Bavaria's Mariä Himmelfahrt holds in the predominantly Catholic
// municipalities, the great majority; it is listed for DE-BY.
const HolidayRule kEpiphany = Fixed(1, 6, "Heilige Drei Könige / Epiphany");
const HolidayRule kCorpusChristi = EasterOffset(60, "Fronleichnam / Corpus Christi");
const HolidayRule kAssumption = Fixed(8, 15, "Mariä Himmelfahrt / Assumption Day");
const HolidayRule kAllSaints = Fixed(11, 1, "Allerheiligen / All Saints' Day");
const HolidayRule kReformation = Fixed(10, 31, "Reformationstag / Reformation Day");
const HolidayRule kEasterSunday = EasterOffset(0, "Ostersonntag / Easter Sunday");
const HolidayRule kWhitSunday = EasterOffset(49, "Pfingstsonntag / Whit Sunday");

std::vector<HolidayRule> WithFederal(std::initializer_list<HolidayRule> own) {
  std::vector<HolidayRule> rules = GermanFederalRules();
  rules.insert(rules.end(), own.begin(), own.end());
  return rules;
}

std::vector<HolidayRule> BadenWuerttemberg() {
  return WithFederal({kEpiphany, kCorpusChristi, kAllSaints});
}
std::vector<HolidayRule> Bavaria() {
  return WithFederal({kEpiphany, kCorpusChristi, kAssumption, kAllSaints});
}
std::vector<HolidayRule> Berlin() {
  return WithFederal({
      FixedSince(2019, 3, 8, "Internationaler Frauentag / International Women's Day"),
      OneOff(2020, 5, 8, "Tag der Befreiung / Liberation Day (75th anniversary)"),
      OneOff(2025, 5, 8, "Tag der Befreiung / Liberation Day (80th anniversary)"),
  });
}
std::vector<HolidayRule> Brandenburg() {
  return WithFederal({kEasterSunday, kWhitSunday, kReformation});
}
std::vector<HolidayRule> Bremen() {
  return WithFederal({FixedSince(2018, 10, 31, "Reformationstag / Reformation Day")});
}
std::vector<HolidayRule> Hamburg() {
  return WithFederal({FixedSince(2018, 10, 31, "Reformationstag / Reformation Day")});
}
std::vector<HolidayRule> Hesse() {
  return WithFederal({kEasterSunday, kWhitSunday, kCorpusChristi});
}
std::vector<HolidayRule> MecklenburgVorpommern() {
  return WithFederal({
      FixedSince(2023, 3, 8, "Internationaler Frauentag / International Women's Day"),
      kReformation,
  });
}
std::vector<HolidayRule> LowerSaxony() {
  return WithFederal({FixedSince(2018, 10, 31, "Reformationstag / Reformation Day")});
}
std::vector<HolidayRule> NorthRhineWestphalia() {
  return WithFederal({kCorpusChristi, kAllSaints});
}
std::vector<HolidayRule> RhinelandPalatinate() {
  return WithFederal({kCorpusChristi, kAllSaints});
}
std::vector<HolidayRule> Saarland() {
  return WithFederal({kCorpusChristi, kAssumption, kAllSaints});
}
std::vector<HolidayRule> Saxony() {
  return WithFederal({
      kReformation,
      {HolidayRule::Kind::kWednesdayBeforeNov23, 0, 0, 0, 0,
       "Buß- und Bettag / Day of Repentance and Prayer"},
  });
}
std::vector<HolidayRule> SaxonyAnhalt() {
  return WithFederal({kEpiphany, kReformation});
}
std::vector<HolidayRule> SchleswigHolstein() {
  return WithFederal({FixedSince(2018, 10, 31, "Reformationstag / Reformation Day")});
}
std::vector<HolidayRule> Thuringia() {
  return WithFederal({
      FixedSince(2019, 9, 20, "Weltkindertag / World Children's Day"),
      kReformation,
  });
}

// A calendar that is a list of rules: the federal rules, plus a state's own.
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
    {"DE-BW", BadenWuerttemberg},
    {"DE-BY", Bavaria},
    {"DE-BE", Berlin},
    {"DE-BB", Brandenburg},
    {"DE-HB", Bremen},
    {"DE-HH", Hamburg},
    {"DE-HE", Hesse},
    {"DE-MV", MecklenburgVorpommern},
    {"DE-NI", LowerSaxony},
    {"DE-NW", NorthRhineWestphalia},
    {"DE-RP", RhinelandPalatinate},
    {"DE-SL", Saarland},
    {"DE-SN", Saxony},
    {"DE-ST", SaxonyAnhalt},
    {"DE-SH", SchleswigHolstein},
    {"DE-TH", Thuringia},
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

std::vector<std::string_view> BuiltInRegions() {
  std::vector<std::string_view> codes;
  for (const KnownRegion& known : kKnownRegions) codes.push_back(known.code);
  return codes;
}

bool IsBuiltInRegion(std::string_view region) {
  return std::any_of(std::begin(kKnownRegions), std::end(kKnownRegions),
                     [region](const KnownRegion& known) { return known.code == region; });
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
