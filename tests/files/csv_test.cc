// CSV files: rows located like the SQL connector's rows, and erasure and
// rectification that leave every byte of the other rows as it was (BOM,
// delimiter, quoting, line breaks inside cells, line endings, umlauts).
#include <doctest/doctest.h>

#include "tests/files/files_test_support.h"

namespace dsr::connectors::testing {
namespace {

// BOM, ';', CRLF; quoted cells with commas, semicolons, quotes and a line
// break; umlauts; an empty cell; a phone number shared by two rows.
const std::string kHeader =
    "\xEF\xBB\xBF"
    "E-Mail;Vorname;Nachname;Telefon;Notiz\r\n";
const std::string kAnna =
    "anna.schmidt@example.com;Anna;Schmidt;+49 30 1234567;\"Mag Rabatte, keine Anrufe\"\r\n";
const std::string kJuergen =
    "juergen.mueller@example.org;Jürgen;Müller;030/7654321;\"Zwei\nZeilen; mit \"\"Zitat\"\"\"\r\n";
const std::string kBaerbel = "B.Weiss@Example.net;Bärbel;Weiß;0171 2345678;\r\n";
const std::string kLena = "lena@example.com;Lena;Öztürk;+49-30-1234567;\"Köln, Düsseldorf\"\r\n";
const std::string kList = kHeader + kAnna + kJuergen + kBaerbel + kLena;

const char kRules[] = R"yaml(
files:
  - glob: "lists/*.csv"
    format: csv
    identities: {email: E-Mail, phone: Telefon, name: [Vorname, Nachname]}
)yaml";

struct CsvFixture {
  CsvFixture() { root.Write("lists/newsletter.csv", kList); }
  std::unique_ptr<Connector> connector() const { return Connect(FilesConfig(root.path(), kRules)); }
  std::string list() const { return root.Read("lists/newsletter.csv"); }
  TempRoot root;
};

TEST_SUITE("Files connector: CSV") {
  TEST_CASE(
      "a list with quoted commas, line breaks in cells, a BOM and umlauts loses exactly one row") {
    CsvFixture fixture;
    const auto outcomes = MustErase(*fixture.connector(), {{"email", "b.weiss@example.net"}});
    REQUIRE(outcomes.size() == 1);
    CHECK(outcomes[0].collection == "lists_newsletter_csv");
    CHECK(outcomes[0].kind == OutcomeKind::kErased);
    CHECK(outcomes[0].records == 1);
    CHECK(fixture.list() == kHeader + kAnna + kJuergen + kLena);
  }

  TEST_CASE("the row with a line break inside a quoted cell is erased whole") {
    CsvFixture fixture;
    MustErase(*fixture.connector(),
              {{"name", " Jürgen  Müller"}, {"email", "juergen.mueller@example.org"}});
    CHECK(fixture.list() == kHeader + kAnna + kBaerbel + kLena);
  }

  TEST_CASE("export reports the row with its path, row number and canonical attributes") {
    CsvFixture fixture;
    const auto found = MustExport(*fixture.connector(), {{"email", "Juergen.Mueller@example.org"}});
    REQUIRE(found.size() == 1);
    CHECK(found[0].collection == "lists_newsletter_csv");
    CHECK(found[0].record["file"] == "lists/newsletter.csv");
    CHECK(found[0].record["row"] == 3);
    CHECK(found[0].record["fields"]["Notiz"] == "Zwei\nZeilen; mit \"Zitat\"");
    CHECK(found[0].key->rfind("row-3-", 0) == 0);
    CHECK(found[0].attributes.at("name") == "Jürgen Müller");
    CHECK(found[0].attributes.at("phone") == "030/7654321");
  }

  TEST_CASE("a row matching the phone whose e-mail differs is ambiguous and left alone") {
    CsvFixture fixture;
    const Subject subject = {{"email", "lena@example.com"}, {"phone", "+49 30 1234567"}};
    auto connector = fixture.connector();
    auto report = connector->Locate(subject);
    REQUIRE(report.ok());
    CHECK(report->confirmed.at("lists_newsletter_csv") == 1);
    CHECK(report->ambiguous.at("lists_newsletter_csv") == 1);
    CollectingSink untouched;
    MustErase(*connector, subject, {}, &untouched);
    CHECK(fixture.list() == kHeader + kAnna + kJuergen + kBaerbel);
    REQUIRE(untouched.found().size() == 1);
    CHECK(untouched.found()[0].ambiguity == "matches phone; email differs");
    CHECK(untouched.found()[0].match == Match::kAmbiguous);

    SUBCASE("an agent's acceptance brings it into the scope") {
      ActionScope scope;
      scope.selection["lists_newsletter_csv"] = {*untouched.found()[0].key};
      MustErase(*connector, subject, scope);
      CHECK(fixture.list() == kHeader + kJuergen + kBaerbel);
    }
  }

  TEST_CASE("erasing twice changes nothing the second time") {
    CsvFixture fixture;
    auto connector = fixture.connector();
    MustErase(*connector, {{"email", "anna.schmidt@example.com"}});
    const std::string after = fixture.list();
    const auto again = MustErase(*connector, {{"email", "anna.schmidt@example.com"}});
    CHECK(again.empty());
    CHECK(fixture.list() == after);
  }

  TEST_CASE(
      "a key names its row even after an earlier row was erased, and nothing once it is gone") {
    CsvFixture fixture;
    auto connector = fixture.connector();
    const auto found = MustExport(*connector, {{"email", "lena@example.com"}});
    REQUIRE(found.size() == 1);
    MustErase(*connector, {{"email", "anna.schmidt@example.com"}});  // Lena moves up a row
    ActionScope only;
    only.mode = ActionScope::Mode::kOnly;
    only.selection["lists_newsletter_csv"] = {*found[0].key};
    const auto outcomes = MustErase(*connector, {}, only);
    CHECK(fixture.list() == kHeader + kJuergen + kBaerbel);
    CHECK(outcomes.at(0).kind == OutcomeKind::kErased);
    const auto again = MustErase(*connector, {}, only);
    CHECK(again.at(0).kind == OutcomeKind::kNotFound);
    CHECK(fixture.list() == kHeader + kJuergen + kBaerbel);
  }

  TEST_CASE("rectification rewrites only the corrected cells of the subject's row") {
    CsvFixture fixture;
    const Corrections corrections = {{"phone", "+49 30 999"},
                                     {"name", {{"given", "Anne"}, {"family", "Schmidt; Lang"}}}};
    const auto outcomes =
        MustRectify(*fixture.connector(), {{"email", "ANNA.schmidt@example.com"}}, corrections);
    REQUIRE(outcomes.size() == 1);
    CHECK(outcomes[0].kind == OutcomeKind::kUpdated);
    CHECK(outcomes[0].records == 1);
    const std::string anna =
        "anna.schmidt@example.com;Anne;\"Schmidt; Lang\";+49 30 999;\"Mag Rabatte, keine "
        "Anrufe\"\r\n";
    CHECK(fixture.list() == kHeader + anna + kJuergen + kBaerbel + kLena);
  }

  TEST_CASE(
      "a correction a spreadsheet would run as a formula is refused before any file changes") {
    CsvFixture fixture;
    CollectingSink untouched;
    auto result =
        fixture.connector()->Rectify({{"email", "anna.schmidt@example.com"}},
                                     {{"email", "=HYPERLINK(\"x\")@example.com"}}, {}, untouched);
    CHECK(result.status().code() == StatusCode::kInvalidArgument);
    CHECK(fixture.list() == kList);
  }

  TEST_CASE("a comma-separated file with LF endings and no final line ending") {
    TempRoot root;
    const std::string list = "E-Mail,Name\nx@example.com,\"Xaver, X.\"\ny@example.com,Yvonne";
    root.Write("lists/plain.csv", list);
    auto connector = Connect(FilesConfig(root.path(), kRules));
    // Without a phone or name column the rule's other identities are missing:
    // the error names the key and the file.
    auto report = connector->Locate({{"email", "y@example.com"}});
    REQUIRE_FALSE(report.ok());
    CHECK(report.status().message().find("connector.files[0].identities.") == 0);
    CHECK(report.status().message().find("lists/plain.csv") != std::string::npos);

    auto email_only = Connect(FilesConfig(root.path(), R"yaml(
files: [{glob: "lists/*.csv", format: csv, identities: {email: E-Mail}}]
)yaml"));
    MustErase(*email_only, {{"email", "y@example.com"}});
    CHECK(root.Read("lists/plain.csv") == "E-Mail,Name\nx@example.com,\"Xaver, X.\"\n");
  }
}

}  // namespace
}  // namespace dsr::connectors::testing
