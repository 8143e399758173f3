#include "connectors/discovery.h"

#include <doctest/doctest.h>

namespace dsr::connectors {

TEST_SUITE("Discovery") {
  TEST_CASE("recognises e-mail addresses, not look-alikes") {
    CHECK(LooksLikeEmail("jane.doe@example.org"));
    CHECK_FALSE(LooksLikeEmail("@example.org"));
    CHECK_FALSE(LooksLikeEmail("jane@localhost"));
    CHECK_FALSE(LooksLikeEmail("a@b@c.de"));
    const auto found = DetectPersonalData("Write to jane.doe@example.org or info@shop.example.");
    CHECK(found.kinds == std::set<std::string>{kKindEmail});
    CHECK(found.occurrences == 2);
  }

  TEST_CASE("recognises phone numbers in the usual notations, not prices, dates or ids") {
    for (const char* phone :
         {"+49 30 1234567", "030/1234567", "(0176) 462 27 57", "+49-89-56542278"}) {
      CAPTURE(phone);
      CHECK(DetectPersonalData(phone).kinds.count(kKindPhone) == 1);
    }
    for (const char* other : {"2025-03-05", "order 123456789", "19.99 EUR", "1.2.3.4567"}) {
      CAPTURE(other);
      CHECK(DetectPersonalData(other).kinds.count(kKindPhone) == 0);
    }
  }

  TEST_CASE("recognises IPv4 and IPv6 addresses") {
    CHECK(IsIpAddress("192.168.1.20"));
    CHECK(IsIpAddress("2001:db8::8a2e:370:7334"));
    CHECK_FALSE(IsIpAddress("256.1.1.1"));
    CHECK_FALSE(IsIpAddress("1.2.3"));
    const auto found = DetectPersonalData(R"({"ip":"203.0.113.7","peer":"2001:db8::1","v":"1.2"})");
    CHECK(found.kinds == std::set<std::string>{kKindIpAddress});
    CHECK(found.occurrences == 2);
  }

  TEST_CASE("recognises IBANs by their check digits, with or without spaces") {
    CHECK(IsIban("DE89370400440532013000"));
    CHECK(IsIban("DE89 3704 0044 0532 0130 00"));
    CHECK(IsIban("GB82WEST12345698765432"));
    CHECK_FALSE(IsIban("DE89370400440532013001"));
    CHECK(DetectPersonalData("IBAN DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX")
              .kinds.count(kKindIban) == 1);
    CHECK(DetectPersonalData("DE12 3456 7890 1234 5678 90").kinds.count(kKindIban) == 0);
  }

  TEST_CASE("finds nothing in text without personal data") {
    const auto found =
        DetectPersonalData("Order shipped on 2025-03-05, total 19.99 EUR, version 1.4.2");
    CHECK(found.kinds.empty());
    CHECK(found.occurrences == 0);
  }
}

}  // namespace dsr::connectors
