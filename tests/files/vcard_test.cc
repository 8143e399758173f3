// vCard address books: folded and escaped lines are read right, a card is
// erased whole with every other card byte-identical, and rectification
// rewrites only the corrected lines, folded at 75 bytes.
#include <doctest/doctest.h>

#include <sstream>

#include "tests/files/files_test_support.h"

namespace dsr::connectors::testing {
namespace {

const std::string kAnna =
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-anna\r\nFN:Anna Schmidt\r\nN:Schmidt;Anna;;;\r\n"
    "EMAIL;TYPE=INTERNET:anna@example.com\r\nTEL;TYPE=CELL:+49 171 1111111\r\n"
    "NOTE:Notiz\\, mit Komma\\; Semikolon\\nzweite Zeile und eine Zeile\\, die ge\r\n"
    " faltet wurde\r\nEND:VCARD\r\n";
const std::string kBernd =
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-bernd\r\nFN:Bernd Über\r\nN:Über;Bernd;;;\r\n"
    "item1.EMAIL;TYPE=INTERNET:bernd@example.org\r\nEMAIL:B.Ueber@example.net\r\n"
    "ADR;TYPE=HOME:;;Hauptstraße 5;Köln;;50667;DE\r\nEND:VCARD\r\n";
const std::string kClara =
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Clausen;Clara\r\nEMAIL;INTERNET:clara@example.com\r\n"
    "NOTE;ENCODING=QUOTED-PRINTABLE:Gr=C3=BC=C3=9Fe an =\r\nalle\r\nEND:VCARD\r\n";
const std::string kBook = kAnna + kBernd + kClara;

const char kRules[] = R"yaml(
files: [{glob: "contacts/*.vcf", format: vcard, erasure: delete_contact}]
)yaml";

struct VcardFixture {
  VcardFixture() { root.Write("contacts/sales.vcf", kBook); }
  std::unique_ptr<Connector> connector() const { return Connect(FilesConfig(root.path(), kRules)); }
  std::string book() const { return root.Read("contacts/sales.vcf"); }
  TempRoot root;
};

std::string PropertyValue(const FoundRecord& found, const std::string& name) {
  for (const auto& property : found.record["properties"]) {
    if (property["name"] == name) return property["value"];
  }
  return "";
}

TEST_SUITE("Files connector: vCard") {
  TEST_CASE("folded lines, escapes and quoted-printable soft breaks are read as one value") {
    VcardFixture fixture;
    auto anna = MustExport(*fixture.connector(), {{"email", "ANNA@example.com"}});
    REQUIRE(anna.size() == 1);
    CHECK(*anna[0].key == "card-anna");
    CHECK(PropertyValue(anna[0], "NOTE") ==
          "Notiz, mit Komma; Semikolon\nzweite Zeile und eine Zeile, die gefaltet wurde");
    CHECK(anna[0].record["vcard"] == kAnna);
    CHECK(anna[0].attributes.at("phone") == "+49 171 1111111");

    auto clara = MustExport(*fixture.connector(), {{"name", "Clara Clausen"}});
    REQUIRE(clara.size() == 1);
    CHECK(clara[0].key->rfind("card-3-", 0) == 0);  // no UID
    CHECK(PropertyValue(clara[0], "NOTE") == "Grüße an alle");
  }

  TEST_CASE("a card found by its second e-mail address is erased whole") {
    VcardFixture fixture;
    const auto outcomes = MustErase(*fixture.connector(), {{"email", "b.ueber@example.net"}});
    CHECK(outcomes.at(0).kind == OutcomeKind::kErased);
    CHECK(fixture.book() == kAnna + kClara);
    const auto bernd = MustExport(*fixture.connector(), {{"email", "bernd@example.org"}});
    CHECK(bernd.empty());
  }

  TEST_CASE("a vCard 2.1 card is erased like any other") {
    VcardFixture fixture;
    MustErase(*fixture.connector(), {{"email", "clara@example.com"}});
    CHECK(fixture.book() == kAnna + kBernd);
  }

  TEST_CASE("rectification replaces the subject's address, not the card's other one") {
    VcardFixture fixture;
    MustRectify(*fixture.connector(), {{"email", "b.ueber@example.net"}},
                {{"email", "bernd.ueber@example.net"}});
    const std::string bernd = WithoutPart(kBernd, "EMAIL:B.Ueber@example.net\r\n");
    const std::string expected = bernd.substr(0, bernd.find("ADR;")) +
                                 "EMAIL:bernd.ueber@example.net\r\n" +
                                 bernd.substr(bernd.find("ADR;"));
    CHECK(fixture.book() == kAnna + expected + kClara);
  }

  TEST_CASE("new lines are escaped and folded at 75 bytes without splitting a character") {
    VcardFixture fixture;
    const Corrections corrections = {
        {"name", {{"family", "Schmidt-Lang"}}},
        {"postal_address",
         {{"street", "Am sehr langen Weg hinter den sieben Bergen bei den Zwergen, Hinterhaus 7"},
          {"postal_code", "10115"},
          {"city", "Berlin; Mitte"},
          {"country", "DE"}}}};
    const auto outcomes =
        MustRectify(*fixture.connector(), {{"email", "anna@example.com"}}, corrections);
    CHECK(outcomes.at(0).kind == OutcomeKind::kUpdated);
    const std::string book = fixture.book();
    REQUIRE(book.size() > kBernd.size() + kClara.size());
    CHECK(book.substr(book.size() - kBernd.size() - kClara.size()) == kBernd + kClara);
    std::istringstream lines(book);
    for (std::string line; std::getline(lines, line);) {
      CHECK(line.size() <= 76);  // 75 bytes and the CR
      // A continuation never starts inside a UTF-8 character.
      CHECK((line.size() < 2 || (static_cast<unsigned char>(line[1]) & 0xC0) != 0x80));
    }
    auto anna = MustExport(*fixture.connector(), {{"email", "anna@example.com"}});
    REQUIRE(anna.size() == 1);
    CHECK(PropertyValue(anna[0], "FN") == "Anna Schmidt-Lang");
    CHECK(PropertyValue(anna[0], "N") == "Schmidt-Lang;Anna;;;");
    CHECK(anna[0].attributes.at("postal_address") ==
          "Am sehr langen Weg hinter den sieben Bergen bei den Zwergen, Hinterhaus 7, 10115 "
          "Berlin; Mitte, DE");
    CHECK(book.find("Berlin\\; Mitte") != std::string::npos);
    CHECK(PythonRecords({"vcard", fixture.root.File("contacts/sales.vcf"), "anna@example.com"}) ==
          std::vector<std::string>{"1"});
  }

  TEST_CASE("a vCard 2.1 card is not rectified and is reported with the reason") {
    VcardFixture fixture;
    CollectingSink untouched;
    const auto outcomes = MustRectify(*fixture.connector(), {{"email", "clara@example.com"}},
                                      {{"email", "c.clausen@example.com"}}, {}, &untouched);
    CHECK(outcomes.at(0).kind == OutcomeKind::kNotApplicable);
    CHECK(outcomes.at(0).records == 1);
    REQUIRE(untouched.found().size() == 1);
    CHECK(untouched.found()[0].ambiguity.find("vCard 2.1") != std::string::npos);
    CHECK(fixture.book() == kBook);
  }
}

}  // namespace
}  // namespace dsr::connectors::testing
