#include "coordinator/auth/login_throttle.h"

#include <doctest/doctest.h>

namespace dsr::auth {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

}  // namespace

TEST_SUITE("LoginThrottle") {
  TEST_CASE("after the free failures each failure doubles the wait, up to the longest") {
    LoginThrottle throttle;
    Clock::MonotonicTime now{};
    for (int i = 0; i < LoginThrottle::kFreeFailures; ++i) {
      CHECK_FALSE(throttle.WaitBefore("anna", now));
      throttle.Failed("anna", now);
    }
    CHECK_FALSE(throttle.WaitBefore("anna", now));
    std::vector<long> waits;
    for (int i = 0; i < 9; ++i) {
      throttle.Failed("anna", now);
      const auto wait = throttle.WaitBefore("anna", now);
      REQUIRE(wait);
      waits.push_back(static_cast<long>(wait->count()));
      CHECK(throttle.WaitBefore("anna", now + *wait - milliseconds(1)));
      now += *wait;
      CHECK_FALSE(throttle.WaitBefore("anna", now));
    }
    CHECK(waits == std::vector<long>{1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000});
    // Other names are not slowed down; success clears the name.
    CHECK_FALSE(throttle.WaitBefore("bert", now));
    throttle.Failed("anna", now);
    CHECK(throttle.WaitBefore("anna", now));
    throttle.Succeeded("anna");
    CHECK_FALSE(throttle.WaitBefore("anna", now));
  }

  TEST_CASE("it keeps a bounded number of names, forgetting the oldest failure first") {
    LoginThrottle throttle;
    Clock::MonotonicTime now{};
    for (int i = 0; i <= LoginThrottle::kFreeFailures; ++i) throttle.Failed("first", now);
    REQUIRE(throttle.WaitBefore("first", now));
    for (size_t i = 0; i < LoginThrottle::kMaxTracked; ++i) {
      throttle.Failed("name-" + std::to_string(i), now + seconds(0) + milliseconds(i + 1));
    }
    CHECK_FALSE(throttle.WaitBefore("first", now));  // forgotten: it was the oldest
  }
}

}  // namespace dsr::auth
