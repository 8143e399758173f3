#include "coordinator/auth/login_throttle.h"

#include <algorithm>

namespace dsr::auth {

std::optional<std::chrono::milliseconds> LoginThrottle::WaitBefore(const std::string& name,
                                                                   Clock::MonotonicTime now) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = failures_.find(name);
  if (found == failures_.end() || now >= found->second.next_try) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(found->second.next_try - now);
}

void LoginThrottle::Failed(const std::string& name, Clock::MonotonicTime now) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (failures_.count(name) == 0 && failures_.size() >= kMaxTracked) {
    const auto oldest = std::min_element(
        failures_.begin(), failures_.end(),
        [](const auto& a, const auto& b) { return a.second.last < b.second.last; });
    failures_.erase(oldest);
  }
  Failures& entry = failures_[name];
  ++entry.count;
  entry.last = now;
  entry.next_try = now;
  if (entry.count > kFreeFailures) {
    // 2^(count - kFreeFailures - 1) s, capped; the exponent is capped first
    // so that the shift cannot overflow.
    const int doublings = std::min(entry.count - kFreeFailures - 1, 16);
    const auto wait = std::min<std::chrono::seconds>(kFirstWait * (1 << doublings), kLongestWait);
    entry.next_try = now + wait;
  }
}

void LoginThrottle::Succeeded(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  failures_.erase(name);
}

}  // namespace dsr::auth
