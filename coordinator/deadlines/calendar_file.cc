#include "coordinator/deadlines/calendar_file.h"

#include <yaml-cpp/yaml.h>

#include <array>
#include <map>
#include <set>
#include <utility>

#include "coordinator/deadlines/holiday_calendar.h"

namespace dsr::deadlines {
namespace {

// EasterSunday's range; also keeps every year a CivilDate can hold.
constexpr int kFirstYear = 1583;
constexpr int kLastYear = 9999;
// Easter falls between 22 March and 25 April, so these offsets keep every
// Easter-based holiday inside Easter's own year (22 Mar - 80 = 1 Jan,
// 25 Apr + 250 = 31 Dec).
constexpr int kMinEasterOffset = -80;
constexpr int kMaxEasterOffset = 250;
constexpr size_t kMaxNameLength = 200;
// A longer closure is almost surely a typo in a year.
constexpr int64_t kMaxClosedSpanDays = 366;

constexpr std::array<const char*, 7> kWeekdayNames = {"monday", "tuesday",  "wednesday", "thursday",
                                                      "friday", "saturday", "sunday"};

using Keys = std::map<std::string, YAML::Node>;

int LineOf(const YAML::Node& node) {
  return node.Mark().line + 1;
}

// Names the place of every error: "<path>:<line>: <entry>: <problem>".
class Place {
 public:
  Place(const std::string& path, std::string entry) : path_(path), entry_(std::move(entry)) {}
  Place Named(const std::string& name) const { return Place(path_, entry_ + " \"" + name + "\""); }
  Status Error(const YAML::Node& node, const std::string& problem) const {
    const std::string where = entry_.empty() ? "" : entry_ + ": ";
    return ValidationError(path_ + ":" + std::to_string(LineOf(node)) + ": " + where + problem);
  }

 private:
  const std::string& path_;
  std::string entry_;
};

std::string KeyList(const std::set<std::string>& keys) {
  std::string list;
  for (const auto& key : keys) list += (list.empty() ? "" : ", ") + key;
  return list;
}

// The values of a mapping by key; a key outside `allowed` or given twice is
// an error (yaml-cpp itself keeps both copies of a repeated key).
Result<Keys> ReadKeys(const Place& place, const YAML::Node& map,
                      const std::set<std::string>& allowed) {
  if (!map.IsMap()) return place.Error(map, "must be a mapping of " + KeyList(allowed));
  Keys keys;
  for (const auto& entry : map) {
    const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
    if (allowed.count(key) == 0) {
      return place.Error(entry.first,
                         "unknown key '" + key + "' (allowed: " + KeyList(allowed) + ")");
    }
    if (!keys.emplace(key, entry.second).second) {
      return place.Error(entry.first, "the key '" + key + "' appears twice");
    }
  }
  return keys;
}

Result<int> ReadInt(const Place& place, const YAML::Node& node, const std::string& key, int min,
                    int max) {
  const std::string text = node.IsScalar() ? node.Scalar() : std::string();
  size_t digits = (!text.empty() && text[0] == '-') ? 1 : 0;
  const bool numeric = text.size() > digits && text.size() <= digits + 6 &&
                       text.find_first_not_of("0123456789", digits) == std::string::npos;
  const int value = numeric ? std::stoi(text) : 0;
  if (!numeric || value < min || value > max) {
    return place.Error(node, key + " must be a whole number from " + std::to_string(min) + " to " +
                                 std::to_string(max) + ", not '" + text + "'");
  }
  return value;
}

Result<CivilDate> ReadDate(const Place& place, const YAML::Node& node, const std::string& key) {
  const std::string text = node.IsScalar() ? node.Scalar() : std::string();
  auto date = CivilDate::Parse(text);
  if (!date.ok())
    return place.Error(node, key + " must be a real date YYYY-MM-DD, not '" + text + "'");
  if (date->year() < kFirstYear)
    return place.Error(node, key + " is before " + std::to_string(kFirstYear));
  return date;
}

Result<std::string> ReadName(const Place& place, const YAML::Node& entry, const Keys& keys) {
  const auto found = keys.find("name");
  if (found == keys.end()) return place.Error(entry, "has no name");
  const YAML::Node& node = found->second;
  if (!node.IsScalar() || node.Scalar().empty()) return place.Error(node, "name must be text");
  if (node.Scalar().size() > kMaxNameLength) {
    return place.Error(node,
                       "name is longer than " + std::to_string(kMaxNameLength) + " characters");
  }
  return node.Scalar();
}

// The entry's place with its name when it has one, so that even an error in
// its keys says which holiday it is.
Place NamedPlace(const Place& at, const YAML::Node& entry) {
  if (!entry.IsMap()) return at;
  const YAML::Node name = entry["name"];
  return name && name.IsScalar() && !name.Scalar().empty() ? at.Named(name.Scalar()) : at;
}

Result<Weekday> ReadWeekday(const Place& place, const YAML::Node& node) {
  const std::string text = node.IsScalar() ? node.Scalar() : std::string();
  for (size_t i = 0; i < kWeekdayNames.size(); ++i) {
    if (text == kWeekdayNames[i]) return static_cast<Weekday>(i);
  }
  return place.Error(node, "weekday must be monday … sunday, not '" + text + "'");
}

// The keys each kind of holiday takes; anything else in an entry is a mistake.
const std::set<std::string> kFixedKeys = {"name", "month", "day", "since", "until"};
const std::set<std::string> kEasterKeys = {"name", "easter", "since", "until"};
const std::set<std::string> kNthWeekdayKeys = {"name", "month", "weekday", "nth", "since", "until"};
const std::set<std::string> kOneOffKeys = {"name", "date"};
const std::set<std::string> kAnyHolidayKey = {"name", "month", "day",   "easter", "weekday",
                                              "nth",  "date",  "since", "until"};

HolidayEntry::Kind KindOf(const Keys& keys) {
  if (keys.count("date")) return HolidayEntry::Kind::kOneOff;
  if (keys.count("easter")) return HolidayEntry::Kind::kEaster;
  if (keys.count("weekday") || keys.count("nth")) return HolidayEntry::Kind::kNthWeekday;
  return HolidayEntry::Kind::kFixed;
}

const std::set<std::string>& KeysOf(HolidayEntry::Kind kind) {
  switch (kind) {
    case HolidayEntry::Kind::kEaster:
      return kEasterKeys;
    case HolidayEntry::Kind::kNthWeekday:
      return kNthWeekdayKeys;
    case HolidayEntry::Kind::kOneOff:
      return kOneOffKeys;
    case HolidayEntry::Kind::kFixed:
      break;
  }
  return kFixedKeys;
}

const char* KindName(HolidayEntry::Kind kind) {
  switch (kind) {
    case HolidayEntry::Kind::kEaster:
      return "an Easter holiday";
    case HolidayEntry::Kind::kNthWeekday:
      return "a weekday-of-month holiday";
    case HolidayEntry::Kind::kOneOff:
      return "a one-off date";
    case HolidayEntry::Kind::kFixed:
      break;
  }
  return "a fixed date";
}

Status ReadRule(const Place& place, const YAML::Node& node, const Keys& keys, HolidayEntry* entry) {
  for (const char* required : {"month", "day", "weekday", "nth", "easter", "date"}) {
    if (KeysOf(entry->kind).count(required) && !keys.count(required)) {
      return place.Error(node, std::string(KindName(entry->kind)) + " needs " + required);
    }
  }
  switch (entry->kind) {
    case HolidayEntry::Kind::kFixed: {
      auto month = ReadInt(place, keys.at("month"), "month", 1, 12);
      if (!month.ok()) return month.status();
      auto day = ReadInt(place, keys.at("day"), "day", 1, 31);
      if (!day.ok()) return day.status();
      // 2000 is a leap year: 29 February is allowed and holds in leap years.
      if (!CivilDate::IsValid(2000, *month, *day)) {
        return place.Error(keys.at("day"), "month " + std::to_string(*month) + " has no day " +
                                               std::to_string(*day));
      }
      entry->month = *month;
      entry->day = *day;
      return Status::Ok();
    }
    case HolidayEntry::Kind::kEaster: {
      auto offset = ReadInt(place, keys.at("easter"), "easter", kMinEasterOffset, kMaxEasterOffset);
      if (!offset.ok()) return offset.status();
      entry->easter_offset = *offset;
      return Status::Ok();
    }
    case HolidayEntry::Kind::kNthWeekday: {
      auto month = ReadInt(place, keys.at("month"), "month", 1, 12);
      if (!month.ok()) return month.status();
      auto weekday = ReadWeekday(place, keys.at("weekday"));
      if (!weekday.ok()) return weekday.status();
      auto nth = ReadInt(place, keys.at("nth"), "nth", -1, 4);
      if (!nth.ok()) return nth.status();
      if (*nth == 0) return place.Error(keys.at("nth"), "nth must be 1, 2, 3, 4 or -1 (the last)");
      entry->month = *month;
      entry->weekday = *weekday;
      entry->nth = *nth;
      return Status::Ok();
    }
    case HolidayEntry::Kind::kOneOff: {
      auto date = ReadDate(place, keys.at("date"), "date");
      if (!date.ok()) return date.status();
      entry->date = *date;
      return Status::Ok();
    }
  }
  return Status::Ok();
}

Status ReadYears(const Place& place, const Keys& keys, HolidayEntry* entry) {
  for (const char* key : {"since", "until"}) {
    if (!keys.count(key)) continue;
    auto year = ReadInt(place, keys.at(key), key, kFirstYear, kLastYear);
    if (!year.ok()) return year.status();
    (std::string(key) == "since" ? entry->since : entry->until) = *year;
  }
  if (entry->since && entry->until && *entry->until < *entry->since) {
    return place.Error(keys.at("until"), "until " + std::to_string(*entry->until) +
                                             " is before since " + std::to_string(*entry->since));
  }
  return Status::Ok();
}

Result<HolidayEntry> ReadHoliday(const Place& at, const YAML::Node& node) {
  const Place place = NamedPlace(at, node);
  auto keys = ReadKeys(place, node, kAnyHolidayKey);
  if (!keys.ok()) return keys.status();
  auto name = ReadName(place, node, *keys);
  if (!name.ok()) return name.status();
  HolidayEntry entry;
  entry.name = *name;
  entry.kind = KindOf(*keys);
  const std::set<std::string>& allowed = KeysOf(entry.kind);
  for (const auto& [key, value] : *keys) {
    if (allowed.count(key) == 0) {
      return place.Error(value, "'" + key + "' does not belong to " + KindName(entry.kind) +
                                    " (keys: " + KeyList(allowed) + ")");
    }
  }
  DSR_RETURN_IF_ERROR(ReadRule(place, node, *keys, &entry));
  DSR_RETURN_IF_ERROR(ReadYears(place, *keys, &entry));
  return entry;
}

Result<YAML::Node> ParseYaml(const std::string& path, const std::string& text) {
  try {
    YAML::Node document = YAML::Load(text);
    if (document.IsNull()) return ValidationError(path + ": the file is empty");
    return document;
  } catch (const YAML::Exception& error) {
    return ValidationError(path + ":" + std::to_string(error.mark.line + 1) +
                           ": not valid YAML: " + error.msg);
  }
}

Status ReadIncludes(const Place& place, const YAML::Node& node, RegionFile* file) {
  if (!node.IsSequence()) return place.Error(node, "includes must be a list of region codes");
  std::set<std::string> seen;
  for (const auto& item : node) {
    const std::string code = item.IsScalar() ? item.Scalar() : std::string();
    if (!IsRegionCode(code)) {
      return place.Error(item, "includes: '" + code + "' is not a region code such as AT or DE-BY");
    }
    if (!seen.insert(code).second) return place.Error(item, "includes " + code + " twice");
    file->includes.push_back({code, LineOf(item)});
  }
  return Status::Ok();
}

// YAML::Node throws on misuse (a scalar asked to be a map); every such
// mistake in a file becomes a kValidation error naming the file.
template <typename Parse>
auto Guarded(const std::string& path, Parse parse) -> decltype(parse()) {
  try {
    return parse();
  } catch (const YAML::Exception& error) {
    return ValidationError(path + ":" + std::to_string(error.mark.line + 1) + ": " + error.msg);
  }
}

}  // namespace

bool Matches(const HolidayEntry& entry, CivilDate date) {
  if (entry.since && date.year() < *entry.since) return false;
  if (entry.until && date.year() > *entry.until) return false;
  switch (entry.kind) {
    case HolidayEntry::Kind::kFixed:
      return date.month() == entry.month && date.day() == entry.day;
    case HolidayEntry::Kind::kEaster:
      return date == EasterSunday(date.year()).AddDays(entry.easter_offset);
    case HolidayEntry::Kind::kNthWeekday: {
      if (date.month() != entry.month || date.weekday() != entry.weekday) return false;
      // The nth such weekday has day number 7(n-1)+1 … 7n; the last is
      // within the month's last seven days.
      if (entry.nth > 0) return (date.day() - 1) / 7 == entry.nth - 1;
      return date.day() > CivilDate::DaysInMonth(date.year(), date.month()) - 7;
    }
    case HolidayEntry::Kind::kOneOff:
      return date == entry.date;
  }
  return false;
}

bool IsRegionCode(const std::string& text) {
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (text.size() < 2 || !upper(text[0]) || !upper(text[1])) return false;
  if (text.size() == 2) return true;
  if (text[2] != '-' || text.size() < 4 || text.size() > 6) return false;
  for (size_t i = 3; i < text.size(); ++i) {
    if (!upper(text[i]) && !digit(text[i])) return false;
  }
  return true;
}

Result<RegionFile> ParseRegionFile(const std::string& path, const std::string& region,
                                   const std::string& text) {
  auto document = ParseYaml(path, text);
  if (!document.ok()) return document.status();
  return Guarded(path, [&]() -> Result<RegionFile> {
    const Place top(path, "");
    auto keys = ReadKeys(top, *document, {"includes", "holidays"});
    if (!keys.ok()) return keys.status();
    RegionFile file{region, path, {}, {}};
    if (keys->count("includes")) {
      DSR_RETURN_IF_ERROR(ReadIncludes(top, keys->at("includes"), &file));
    }
    if (keys->count("holidays")) {
      const YAML::Node& holidays = keys->at("holidays");
      if (!holidays.IsSequence()) return top.Error(holidays, "holidays must be a list");
      for (size_t i = 0; i < holidays.size(); ++i) {
        auto entry = ReadHoliday(Place(path, "holidays[" + std::to_string(i) + "]"), holidays[i]);
        if (!entry.ok()) return entry.status();
        file.holidays.push_back(std::move(*entry));
      }
    }
    if (file.holidays.empty() && file.includes.empty()) {
      return top.Error(*document, "defines no holidays and includes no region");
    }
    return file;
  });
}

Result<ClosingDays> ParseClosingDaysFile(const std::string& path, const std::string& text) {
  auto document = ParseYaml(path, text);
  if (!document.ok()) return document.status();
  return Guarded(path, [&]() -> Result<ClosingDays> {
    const Place top(path, "");
    auto keys = ReadKeys(top, *document, {"closing_days"});
    if (!keys.ok()) return keys.status();
    if (!keys->count("closing_days")) return top.Error(*document, "has no closing_days list");
    const YAML::Node& list = keys->at("closing_days");
    if (!list.IsSequence()) return top.Error(list, "closing_days must be a list");
    std::vector<ClosedSpan> spans;
    for (size_t i = 0; i < list.size(); ++i) {
      const Place place =
          NamedPlace(Place(path, "closing_days[" + std::to_string(i) + "]"), list[i]);
      auto entry = ReadKeys(place, list[i], {"name", "date", "from", "to"});
      if (!entry.ok()) return entry.status();
      auto name = ReadName(place, list[i], *entry);
      if (!name.ok()) return name.status();
      const bool single = entry->count("date") > 0;
      if (single == (entry->count("from") > 0 || entry->count("to") > 0) ||
          (!single && (!entry->count("from") || !entry->count("to")))) {
        return place.Error(list[i], "needs either date, or from and to");
      }
      auto first = ReadDate(place, entry->at(single ? "date" : "from"), single ? "date" : "from");
      if (!first.ok()) return first.status();
      auto last = single ? first : ReadDate(place, entry->at("to"), "to");
      if (!last.ok()) return last.status();
      if (*last < *first) return place.Error(entry->at("to"), "to is before from");
      if (last->DaysSinceEpoch() - first->DaysSinceEpoch() >= kMaxClosedSpanDays) {
        return place.Error(entry->at("to"),
                           "spans more than " + std::to_string(kMaxClosedSpanDays) + " days");
      }
      spans.push_back({*first, *last, *name});
    }
    return ClosingDays(std::move(spans));
  });
}

}  // namespace dsr::deadlines
