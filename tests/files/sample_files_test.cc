// The sample files (tools/sample-crm/sample_files.h) with the example config
// (deploy/examples/worker-files.yaml): every sample customer is found in
// every file type, exactly where Python's own readers find them, and an
// erasure removes them everywhere while everyone else's records stay.
#include "tools/sample-crm/sample_files.h"

#include <doctest/doctest.h>

#include <map>
#include <set>
#include <sstream>

#include "common/config_file.h"
#include "tests/files/files_test_support.h"
#include "tools/sample-crm/sample_crm_data.h"

namespace dsr::connectors::testing {
namespace {

constexpr uint64_t kFilesSeed = 7;
const char* const kFiles[] = {"lists/newsletter.csv",  "events/teilnehmer-2025.xlsx",
                              "contacts/vertrieb.vcf", "chat/2025-05.jsonl",
                              "chat/2025-06.jsonl",    "notes/rueckruf-notizen.txt"};

const sample_crm::SampleCrmData& Data() {
  static const sample_crm::SampleCrmData data = sample_crm::GenerateSampleCrm(400, 1);
  return data;
}

struct SampleFiles {
  SampleFiles() {
    const Status written = sample_crm::WriteSampleFiles(Data(), root.path(), kFilesSeed);
    REQUIRE_MESSAGE(written.ok(), written.ToString());
  }
  std::unique_ptr<Connector> connector() const {
    auto config =
        LoadConfigFile(SourceDir() + "/deploy/examples/worker-files.yaml", "config/worker");
    REQUIRE_MESSAGE(config.ok(), config.status().ToString());
    nlohmann::json section = config.value()["connector"];
    section["root"] = root.path();
    return Connect(section);
  }
  // What Python's readers find for `email`, as "collection:row/card/session".
  std::set<std::string> Expected(const std::string& email) const {
    std::set<std::string> expected;
    for (const auto& row :
         PythonRecords({"csv", root.File("lists/newsletter.csv"), ";", "E-Mail", email})) {
      expected.insert("lists_newsletter_csv:" + row);
    }
    for (const auto& row : PythonRecords(
             {"xlsx", root.File("events/teilnehmer-2025.xlsx"), "Teilnehmer", "E-Mail", email})) {
      expected.insert("events_teilnehmer-2025_xlsx:" + row);
    }
    for (const auto& card : PythonRecords({"vcard", root.File("contacts/vertrieb.vcf"), email})) {
      expected.insert("contacts_vertrieb_vcf:" + card);
    }
    for (const char* month : {"2025-05", "2025-06"}) {
      const std::string log = std::string("chat/") + month + ".jsonl";
      for (const auto& session :
           PythonRecords({"chat", root.File(log), "session_id", "visitor_email", email})) {
        expected.insert("chat_" + std::string(month) + "_jsonl:" + session);
      }
    }
    return expected;
  }
  TempRoot root;
};

std::string Where(const FoundRecord& found) {
  const nlohmann::json& record = found.record;
  const std::string place = record.contains("row")    ? record["row"].dump()
                            : record.contains("card") ? record["card"].dump()
                                                      : found.key.value_or("");
  return found.collection + ":" + place;
}

std::set<std::string> Kinds(const std::set<std::string>& places) {
  std::set<std::string> kinds;
  for (const auto& place : places) kinds.insert(place.substr(0, place.find('_')));
  return kinds;
}

// `lines` without the (1-based) line numbers in `gone`.
std::string WithoutLines(const std::string& text, const std::set<int>& gone) {
  std::istringstream lines(text);
  std::string kept;
  int number = 0;
  for (std::string line; std::getline(lines, line);) {
    if (gone.count(++number) == 0) kept += line + "\n";
  }
  return kept;
}

// `rows` (one per line, the first for row 1) without the rows numbered in `gone`.
std::vector<std::string> WithoutRows(const std::vector<std::string>& rows,
                                     const std::set<std::string>& gone, bool numbered) {
  std::vector<std::string> kept;
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::string number =
        numbered ? rows[i].substr(0, rows[i].find('\t')) : std::to_string(i + 1);
    if (gone.count(number) == 0) kept.push_back(rows[i]);
  }
  return kept;
}

TEST_SUITE("Files connector: sample files") {
  TEST_CASE("the same data and seed give the same bytes") {
    SampleFiles first, second;
    for (const char* file : kFiles) {
      CHECK_MESSAGE(first.root.Read(file) == second.root.Read(file), file);
    }
  }

  TEST_CASE("access finds exactly the rows, cards and sessions Python finds, for every sample") {
    SampleFiles files;
    auto connector = files.connector();
    for (const auto& sample : Data().samples) {
      INFO("sample " << sample.reason);
      const std::set<std::string> expected = files.Expected(sample.email);
      CHECK(Kinds(expected) == std::set<std::string>{"chat", "contacts", "events", "lists"});
      std::set<std::string> found;
      for (const auto& record : MustExport(*connector, {{"email", sample.email}})) {
        CHECK(record.match == Match::kConfirmed);
        found.insert(Where(record));
      }
      CHECK(found == expected);
    }
  }

  TEST_CASE("erasing the typical customer removes them from every file and keeps everyone else") {
    SampleFiles files;
    auto connector = files.connector();
    const auto& typical = Data().samples.at(0);
    REQUIRE(typical.reason == "typical");
    const Subject subject = {
        {"email", typical.email}, {"phone", typical.phone}, {"name", typical.name}};
    const auto exported = MustExport(*connector, subject);
    std::map<std::string, std::string> before;
    for (const char* file : kFiles) before[file] = files.root.Read(file);
    const std::string csv = files.root.File("lists/newsletter.csv");
    const std::string workbook = files.root.File("events/teilnehmer-2025.xlsx");
    const auto csv_rows = PythonRecords({"csvrows", csv, ";"});
    const auto cells = PythonRecords({"cells", workbook, "Teilnehmer"});

    for (const auto& outcome : MustErase(*connector, subject)) {
      CHECK(outcome.kind == OutcomeKind::kErased);
    }
    CHECK(files.Expected(typical.email).empty());

    std::set<std::string> csv_gone, cells_gone;
    std::map<std::string, std::set<int>> lines_gone;
    std::string cards = before["contacts/vertrieb.vcf"];
    for (const auto& found : exported) {
      const std::string file = found.record["file"];
      if (file == "lists/newsletter.csv") csv_gone.insert(found.record["row"].dump());
      if (file == "events/teilnehmer-2025.xlsx") cells_gone.insert(found.record["row"].dump());
      if (file == "contacts/vertrieb.vcf") cards = WithoutPart(cards, found.record["vcard"]);
      if (file.rfind("chat/", 0) != 0) continue;
      for (const auto& line : found.record["lines"])
        lines_gone[file].insert(line["line"].get<int>());
    }
    CHECK(lines_gone.size() == 2);
    for (const auto& [file, gone] : lines_gone) {
      CHECK_MESSAGE(files.root.Read(file) == WithoutLines(before[file], gone), file);
    }
    CHECK(files.root.Read("contacts/vertrieb.vcf") == cards);
    CHECK(files.root.Read("notes/rueckruf-notizen.txt") == before["notes/rueckruf-notizen.txt"]);
    CHECK(PythonRecords({"csvrows", csv, ";"}) == WithoutRows(csv_rows, csv_gone, false));
    CHECK(PythonRecords({"cells", workbook, "Teilnehmer"}) == WithoutRows(cells, cells_gone, true));
    auto report = connector->Locate(subject);
    REQUIRE(report.ok());
    CHECK(report->confirmed.empty());
  }

  TEST_CASE("discover reports every place with personal data, listed or not") {
    SampleFiles files;
    auto places = files.connector()->Discover();
    REQUIRE(places.ok());
    std::map<std::string, std::set<std::string>> kinds;
    for (const auto& place : *places) kinds[place.place] = place.kinds;
    CHECK(kinds["chat/2025-05.jsonl:visitor_ip"] == std::set<std::string>{"ip_address"});
    CHECK(kinds["chat/2025-06.jsonl:visitor_email"].count("email") == 1);
    CHECK(kinds["lists/newsletter.csv:E-Mail"].count("email") == 1);
    CHECK(kinds["lists/newsletter.csv:Telefon"].count("phone") == 1);
    CHECK(kinds["events/teilnehmer-2025.xlsx:Teilnehmer!E-Mail"].count("email") == 1);
    CHECK(kinds["contacts/vertrieb.vcf:EMAIL"].count("email") == 1);
    CHECK(kinds["notes/rueckruf-notizen.txt"] == std::set<std::string>{"email", "iban", "phone"});
  }
}

}  // namespace
}  // namespace dsr::connectors::testing
