#include "common/status.h"

#include <doctest/doctest.h>

namespace dsr {
TEST_SUITE("Status") {
  TEST_CASE("maps every code to one HTTP status and a stable name") {
    CHECK(HttpStatusFor(StatusCode::kInvalidArgument) == 400);
    CHECK(HttpStatusFor(StatusCode::kValidation) == 422);
    CHECK(HttpStatusFor(StatusCode::kNotFound) == 404);
    CHECK(HttpStatusFor(StatusCode::kConflict) == 409);
    CHECK(HttpStatusFor(StatusCode::kTooLarge) == 413);
    CHECK(HttpStatusFor(StatusCode::kNotImplemented) == 501);
    CHECK(HttpStatusFor(StatusCode::kInternal) == 500);
    for (auto code :
         {StatusCode::kOk, StatusCode::kInvalidArgument, StatusCode::kValidation,
          StatusCode::kNotFound, StatusCode::kConflict, StatusCode::kTooLarge,
          StatusCode::kNotImplemented, StatusCode::kUnavailable, StatusCode::kInternal}) {
      CHECK(StatusCodeFromName(StatusCodeName(code)) == code);
    }
  }

  TEST_CASE("Result holds either a value or an error") {
    Result<int> good = 7;
    REQUIRE(good.ok());
    CHECK(*good == 7);
    Result<int> bad = NotFound("no such request");
    CHECK_FALSE(bad.ok());
    CHECK(bad.status().code() == StatusCode::kNotFound);
    Result<int> misuse = Status::Ok();
    CHECK_FALSE(misuse.ok());
  }

  TEST_CASE("WithContext prefixes the message and keeps code and details") {
    Status status = ValidationError("bad", {"a: b"}).WithContext("file.yaml");
    CHECK(status.message() == "file.yaml: bad");
    CHECK(status.code() == StatusCode::kValidation);
    CHECK(status.details().size() == 1);
  }
}
}  // namespace dsr
