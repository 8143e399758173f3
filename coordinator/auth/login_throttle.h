// LoginThrottle: slows down guessing passwords for one user name.
//
// The first kFreeFailures failed logins of a name cost nothing; after that
// each further failure makes the name wait before the next attempt, twice as
// long each time (1 s, 2 s, 4 s …, at most kLongestWait). A successful login
// clears the name. Names are tracked whether or not such a user exists, so
// the answer tells nothing about which names exist. At most kMaxTracked
// names are kept; beyond that the one whose failure is oldest is forgotten.
// Time comes from the caller (the injected clock's Monotonic). Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "common/clock.h"

namespace dsr::auth {

class LoginThrottle {
 public:
  static constexpr int kFreeFailures = 3;
  static constexpr std::chrono::seconds kFirstWait{1};
  static constexpr std::chrono::seconds kLongestWait{60};
  static constexpr size_t kMaxTracked = 10000;

  // How long `name` must still wait before it may try again; nullopt when it may now.
  std::optional<std::chrono::milliseconds> WaitBefore(const std::string& name,
                                                      Clock::MonotonicTime now) const;
  void Failed(const std::string& name, Clock::MonotonicTime now);
  void Succeeded(const std::string& name);

 private:
  struct Failures {
    int count = 0;
    Clock::MonotonicTime last;
    Clock::MonotonicTime next_try;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Failures> failures_;
};

}  // namespace dsr::auth
