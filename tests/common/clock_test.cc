#include "common/clock.h"

#include <doctest/doctest.h>

namespace dsr {

TEST_SUITE("Clock") {
  TEST_CASE("ParseUtc reads what FormatUtc writes") {
    const Clock::WallTime instant = Clock::WallTime(std::chrono::milliseconds(1750285800123));
    auto parsed = ParseUtc(FormatUtc(instant));
    REQUIRE(parsed.ok());
    CHECK(*parsed == instant);
    auto whole = ParseUtc("2025-06-18T22:30:00Z");
    REQUIRE(whole.ok());
    CHECK(*whole == Clock::WallTime(std::chrono::seconds(1750285800)));
  }

  TEST_CASE("ParseUtc refuses other shapes") {
    for (const char* text :
         {"", "2025-06-18", "2025-06-18T22:30:00+02:00", "2025-02-30T00:00:00Z",
          "2025-06-18T24:00:00Z", "2025-06-18 22:30:00Z", "2025-06-18T22:30:00.12Z"}) {
      CAPTURE(text);
      CHECK(ParseUtc(text).status().code() == StatusCode::kInvalidArgument);
    }
  }

  TEST_CASE("LocalMidnight starts the local day, also across a change to summer time") {
    REQUIRE(UseTimeZone("Europe/Berlin").ok());
    CHECK(FormatUtc(LocalMidnight(CivilDate(2025, 6, 18))) == "2025-06-17T22:00:00.000Z");
    CHECK(FormatUtc(LocalMidnight(CivilDate(2025, 1, 2))) == "2025-01-01T23:00:00.000Z");
    CHECK(FormatUtc(LocalMidnight(CivilDate(2025, 3, 31))) == "2025-03-30T22:00:00.000Z");
    CHECK(LocalDate(LocalMidnight(CivilDate(2025, 3, 30))) == CivilDate(2025, 3, 30));
  }
}

}  // namespace dsr
