#include "common/civil_date.h"

#include <cstdio>

namespace dsr {

CivilDate::CivilDate(int year, int month, int day) : year_(year), month_(month), day_(day) {}

bool CivilDate::IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int CivilDate::DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

bool CivilDate::IsValid(int year, int month, int day) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= DaysInMonth(year, month);
}

Result<CivilDate> CivilDate::Parse(std::string_view text) {
  auto digits = [&](size_t from, size_t count, int* out) {
    int value = 0;
    for (size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      value = value * 10 + (text[i] - '0');
    }
    *out = value;
    return true;
  };
  int year = 0, month = 0, day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(0, 4, &year) ||
      !digits(5, 2, &month) || !digits(8, 2, &day)) {
    return InvalidArgument("expected a date as YYYY-MM-DD, got '" + std::string(text) + "'");
  }
  if (!IsValid(year, month, day)) {
    return InvalidArgument("'" + std::string(text) + "' is not a calendar date");
  }
  return CivilDate(year, month, day);
}

// Days from civil and back: the algorithms of H. Hinnant's "chrono-Compatible
// Low-Level Date Algorithms", which work on a March-based year of eras.
int64_t CivilDate::DaysSinceEpoch() const {
  const int64_t y = year_ - (month_ <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t year_of_era = y - era * 400;
  const int64_t month_index = month_ > 2 ? month_ - 3 : month_ + 9;
  const int64_t day_of_year = (153 * month_index + 2) / 5 + day_ - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

CivilDate CivilDate::FromDaysSinceEpoch(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month_index = (5 * day_of_year + 2) / 153;
  const int day = static_cast<int>(day_of_year - (153 * month_index + 2) / 5 + 1);
  const int month = static_cast<int>(month_index < 10 ? month_index + 3 : month_index - 9);
  const int year = static_cast<int>(year_of_era + era * 400 + (month <= 2 ? 1 : 0));
  return CivilDate(year, month, day);
}

Weekday CivilDate::weekday() const {
  // 1970-01-01 was a Thursday (index 3 with Monday = 0).
  const int64_t days = DaysSinceEpoch();
  const int64_t index = ((days % 7) + 7 + 3) % 7;
  return static_cast<Weekday>(index);
}

CivilDate CivilDate::AddDays(int64_t days) const {
  return FromDaysSinceEpoch(DaysSinceEpoch() + days);
}

CivilDate CivilDate::AddMonthsClamped(int months) const {
  const int month_count = year_ * 12 + (month_ - 1) + months;
  const int year = month_count / 12;
  const int month = month_count % 12 + 1;
  const int last = DaysInMonth(year, month);
  return CivilDate(year, month, day_ < last ? day_ : last);
}

std::string CivilDate::ToString() const {
  char text[48];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", year_, month_, day_);
  return text;
}

}  // namespace dsr
