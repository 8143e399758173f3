#include "common/clock.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace dsr {
namespace {

class SystemClock final : public Clock {
 public:
  WallTime Now() const override { return std::chrono::system_clock::now(); }
  MonotonicTime Monotonic() const override { return std::chrono::steady_clock::now(); }
};

}  // namespace

std::unique_ptr<Clock> NewSystemClock() {
  return std::make_unique<SystemClock>();
}

ManualClock::ManualClock(WallTime start) : wall_(start), monotonic_() {}

Clock::WallTime ManualClock::Now() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return wall_;
}

Clock::MonotonicTime ManualClock::Monotonic() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return monotonic_;
}

void ManualClock::Advance(std::chrono::milliseconds step) {
  std::lock_guard<std::mutex> lock(mutex_);
  wall_ += step;
  monotonic_ += step;
}

Status UseTimeZone(const std::string& zone) {
  const bool safe_name = !zone.empty() && zone.find("..") == std::string::npos && zone[0] != '/';
  struct stat info {};
  if (!safe_name || stat(("/usr/share/zoneinfo/" + zone).c_str(), &info) != 0 ||
      !S_ISREG(info.st_mode)) {
    return ValidationError("unknown time zone '" + zone +
                           "' (expected an IANA name such as Europe/Berlin)");
  }
  setenv("TZ", zone.c_str(), 1);
  tzset();
  return Status::Ok();
}

CivilDate LocalDate(Clock::WallTime instant) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(instant);
  std::tm local{};
  localtime_r(&seconds, &local);
  return CivilDate(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
}

std::string FormatUtc(Clock::WallTime instant) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(instant);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(instant.time_since_epoch()).count() %
      1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis < 0 ? millis + 1000 : millis));
  return text;
}

Result<Clock::WallTime> ParseUtc(std::string_view text) {
  // "YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DDTHH:MM:SS.mmmZ".
  const auto digits = [&](size_t at, size_t count) {
    int value = 0;
    for (size_t i = at; i < at + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const bool shape = (text.size() == 20 || (text.size() == 24 && text[19] == '.')) &&
                     text[4] == '-' && text[7] == '-' && text[10] == 'T' && text[13] == ':' &&
                     text[16] == ':' && text.back() == 'Z';
  const int year = shape ? digits(0, 4) : -1;
  const int month = shape ? digits(5, 2) : -1;
  const int day = shape ? digits(8, 2) : -1;
  const int hour = shape ? digits(11, 2) : -1;
  const int minute = shape ? digits(14, 2) : -1;
  const int second = shape ? digits(17, 2) : -1;
  const int millis = shape && text.size() == 24 ? digits(20, 3) : 0;
  if (!shape || !CivilDate::IsValid(year, month, day) || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 60 || millis < 0) {
    return InvalidArgument("not an RFC 3339 UTC timestamp: '" + std::string(text) + "'");
  }
  const int64_t days = CivilDate(year, month, day).DaysSinceEpoch();
  const int64_t seconds = ((days * 24 + hour) * 60 + minute) * 60 + second;
  return Clock::WallTime(std::chrono::seconds(seconds)) + std::chrono::milliseconds(millis);
}

Clock::WallTime LocalMidnight(CivilDate date) {
  std::tm local{};
  local.tm_year = date.year() - 1900;
  local.tm_mon = date.month() - 1;
  local.tm_mday = date.day();
  local.tm_isdst = -1;  // let the zone's rules decide
  return std::chrono::system_clock::from_time_t(std::mktime(&local));
}

}  // namespace dsr
