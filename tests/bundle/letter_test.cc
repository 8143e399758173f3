#include "coordinator/bundle/letter.h"

#include <doctest/doctest.h>

namespace dsr::bundle {
namespace {

LetterFacts Facts(const std::string& language) {
  return {"req-1",
          language,
          CivilDate(2025, 1, 31),
          CivilDate(2025, 2, 28),
          "Beispiel GmbH",
          "Beispielweg 1\n12345 Berlin"};
}

TEST_SUITE("Letter") {
  TEST_CASE("formats dates the way each language writes them") {
    CHECK(*FormatLetterDate(CivilDate(2025, 3, 5), "de") == "5. März 2025");
    CHECK(*FormatLetterDate(CivilDate(2025, 3, 5), "en") == "5 March 2025");
    CHECK(*FormatLetterDate(CivilDate(2024, 12, 31), "de") == "31. Dezember 2024");
    CHECK(*FormatLetterDate(CivilDate(2024, 1, 1), "en") == "1 January 2024");
    CHECK(FormatLetterDate(CivilDate(2024, 1, 1), "xx").status().code() ==
          StatusCode::kInvalidArgument);
  }

  TEST_CASE("groups thousands and uses singular and plural per language") {
    const std::vector<LetterSource> sources = {
        {"crm", "CRM", {{"customers", 1}, {"orders", 1233}, {"empty", 0}}},
        {"shop", "", {{"carts", 1}}},
    };
    const std::string de = *RenderLetter(Facts("de"), sources);
    CHECK(de.find("CRM</strong>: 1.234 Datensätze") != std::string::npos);
    CHECK(de.find("<code>customers</code>: 1 Datensatz</li>") != std::string::npos);
    CHECK(de.find("<code>orders</code>: 1.233 Datensätze</li>") != std::string::npos);
    CHECK(de.find("<code>empty</code>") == std::string::npos);
    CHECK(de.find("shop</strong>: 1 Datensatz") != std::string::npos);  // no title: the name
    CHECK(de.find("insgesamt 1.235 Datensätze") != std::string::npos);
    const std::string en = *RenderLetter(Facts("en"), sources);
    CHECK(en.find("CRM</strong>: 1,234 records") != std::string::npos);
    CHECK(en.find("<code>customers</code>: 1 record</li>") != std::string::npos);
  }

  TEST_CASE("keeps placeholders inside values literal and escaped") {
    LetterFacts facts = Facts("en");
    facts.controller_name = "{{request_id}} \"Ltd\"";
    const std::string letter = *RenderLetter(facts, {});
    CHECK(letter.find("{{request_id}} &quot;Ltd&quot;") != std::string::npos);
    CHECK(letter.find("Beispielweg 1\n12345 Berlin") != std::string::npos);
  }

  TEST_CASE("EscapeHtml escapes the five special characters") {
    CHECK(EscapeHtml("<a href=\"x\">'&'</a>") ==
          "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  }
}

}  // namespace
}  // namespace dsr::bundle
