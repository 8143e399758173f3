// Pieces of the HTTP connector that need no server: keeping personal data
// out of server messages, and comparing written phone numbers.
#include "connectors/http/server_message.h"

#include <doctest/doctest.h>

#include "connectors/http/subject_records.h"

namespace dsr::connectors::http {

TEST_SUITE("HttpConnector server messages") {
  TEST_CASE("e-mail addresses, long numbers and known values are scrubbed") {
    CHECK(ScrubPersonalData("Email: jane.doe@example.com is already being used", {}) ==
          "Email: [redacted] is already being used");
    CHECK(ScrubPersonalData("phone +49 (30) 123 45 67 is invalid", {}) ==
          "phone [redacted] is invalid");
    CHECK(ScrubPersonalData("2 tickets in 2024 are open", {}) == "2 tickets in 2024 are open");
    CHECK(ScrubPersonalData("Name Jürgen Müller is taken", {"jürgen müller"}) ==
          "Name [redacted] is taken");
  }

  TEST_CASE("Zendesk's error shapes are read") {
    CHECK(ServerErrorText(R"({"error":"RecordNotFound","description":"Not found"})", {}) ==
          "RecordNotFound; Not found");
    CHECK(ServerErrorText(R"({"error":{"title":"Forbidden","message":"no access"}})", {}) ==
          "Forbidden; no access");
    CHECK(ServerErrorText(R"({"error":"RecordInvalid","description":"Record validation errors",)"
                          R"("details":{"email":[{"error":"DuplicateValue",)"
                          R"("description":"Email: a@b.example is already being used"}]}})",
                          {}) ==
          "RecordInvalid; Record validation errors; email: DuplicateValue; Email: [redacted] is "
          "already being used");
    CHECK(ServerErrorText("<html>Bad gateway</html>", {}).empty());
    // A detail whose error is not text keeps the rest of the message.
    CHECK(ServerErrorText(R"({"error":"RecordInvalid","details":{"phone":[{"error":7}]}})", {}) ==
          "RecordInvalid; phone: invalid");
  }

  TEST_CASE("long messages are cut, never inside a character") {
    const std::string text = ServerErrorText(
        R"({"error":")" + std::string(299, 'x') + "ü" + std::string(50, 'y') + R"("})", {});
    CHECK(text == std::string(299, 'x') + "...");
  }

  TEST_CASE("phone numbers compare by digits, national and international alike") {
    CHECK(SamePhone("+49 30 1234567", "+49-30-1234567"));
    CHECK(SamePhone("+49 30 1234567", "030/1234567"));
    CHECK(SamePhone("0049 30 1234567", "(030) 123 45 67"));
    CHECK_FALSE(SamePhone("+49 30 1234567", "+49 30 1234568"));
    CHECK_FALSE(SamePhone("+49 30 1234567", "040 1234567"));
    CHECK_FALSE(SamePhone("", "030 1234567"));
  }
}

}  // namespace dsr::connectors::http
