// CivilDate: a calendar date without time or zone (proleptic Gregorian).
//
// Legal deadlines are counted in whole local days, so receipt and due dates are
// kept as civil dates, never as instants. Value type; thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace dsr {

enum class Weekday { kMonday, kTuesday, kWednesday, kThursday, kFriday, kSaturday, kSunday };

class CivilDate {
 public:
  // 1970-01-01.
  CivilDate() = default;
  // Requires a valid date; use IsValid first for untrusted parts.
  CivilDate(int year, int month, int day);

  static bool IsValid(int year, int month, int day);
  static int DaysInMonth(int year, int month);
  static bool IsLeapYear(int year);
  // Parses exactly "YYYY-MM-DD" with a real date (2025-02-30 is an error).
  static Result<CivilDate> Parse(std::string_view text);
  static CivilDate FromDaysSinceEpoch(int64_t days);

  int year() const { return year_; }
  int month() const { return month_; }
  int day() const { return day_; }
  int64_t DaysSinceEpoch() const;
  Weekday weekday() const;
  CivilDate AddDays(int64_t days) const;
  // Same day number `months` later, clamped to the last day of the target month.
  CivilDate AddMonthsClamped(int months) const;
  std::string ToString() const;  // "YYYY-MM-DD"

  friend bool operator==(CivilDate a, CivilDate b) {
    return a.DaysSinceEpoch() == b.DaysSinceEpoch();
  }
  friend bool operator!=(CivilDate a, CivilDate b) { return !(a == b); }
  friend bool operator<(CivilDate a, CivilDate b) {
    return a.DaysSinceEpoch() < b.DaysSinceEpoch();
  }
  friend bool operator<=(CivilDate a, CivilDate b) { return !(b < a); }
  friend bool operator>(CivilDate a, CivilDate b) { return b < a; }
  friend bool operator>=(CivilDate a, CivilDate b) { return !(a < b); }

 private:
  int year_ = 1970;
  int month_ = 1;
  int day_ = 1;
};

}  // namespace dsr
