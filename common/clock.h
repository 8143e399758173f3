// Clock: the seam for time. Production code asks a Clock, never the system,
// so that tests move time by hand (ManualClock) instead of waiting.
//
// Wall time (Now) is for timestamps and local dates; Monotonic is for
// heartbeats, time-outs and back-off. Both implementations are thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/civil_date.h"
#include "common/status.h"

namespace dsr {

class Clock {
 public:
  using WallTime = std::chrono::system_clock::time_point;
  using MonotonicTime = std::chrono::steady_clock::time_point;

  virtual ~Clock() = default;
  virtual WallTime Now() const = 0;
  virtual MonotonicTime Monotonic() const = 0;
};

// The real clocks of the machine.
std::unique_ptr<Clock> NewSystemClock();

// A clock that moves only when told to. Starts at the given wall time.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(WallTime start);
  WallTime Now() const override;
  MonotonicTime Monotonic() const override;
  // Moves both clocks forward.
  void Advance(std::chrono::milliseconds step);

 private:
  mutable std::mutex mutex_;
  WallTime wall_;
  MonotonicTime monotonic_;
};

// Makes `zone` (an IANA name such as "Europe/Berlin") the process's local time
// zone. Call once at start-up, before any thread starts: it sets TZ.
// Fails when the zone is not in the system's time-zone database.
Status UseTimeZone(const std::string& zone);

// The local civil date at `instant` in the process's time zone.
CivilDate LocalDate(Clock::WallTime instant);
// RFC 3339 UTC timestamp with milliseconds: "2026-11-28T13:57:04.123Z".
std::string FormatUtc(Clock::WallTime instant);
// The inverse of FormatUtc; the milliseconds may be left out. kInvalidArgument
// for any other text (offsets other than Z included).
Result<Clock::WallTime> ParseUtc(std::string_view text);
// The first instant of `date` in the process's time zone (its local
// midnight, or the first hour that exists on a day that skips midnight).
Clock::WallTime LocalMidnight(CivilDate date);

}  // namespace dsr
