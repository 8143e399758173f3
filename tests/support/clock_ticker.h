// ClockTicker: moves a ManualClock along with real time while it lives, so
// that an engine running on it keeps its heartbeats and timers going; the
// test still jumps the clock by days with ManualClock::Advance.
#pragma once

#include <atomic>
#include <chrono>
#include <thread>

#include "common/clock.h"

namespace dsr::testing {

class ClockTicker {
 public:
  explicit ClockTicker(ManualClock& clock)
      : thread_([this, &clock] {
          while (!stop_) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            clock.Advance(std::chrono::milliseconds(10));
          }
        }) {}
  ~ClockTicker() {
    stop_ = true;
    thread_.join();
  }
  ClockTicker(const ClockTicker&) = delete;
  ClockTicker& operator=(const ClockTicker&) = delete;

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace dsr::testing
