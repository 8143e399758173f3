// The record of processing: parsing from the config, the example config, and
// the warnings for gaps.
#include "coordinator/letters/record_of_processing.h"

#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/config_file.h"
#include "tests/letters/letters_test_support.h"
#include "tests/support/temp_dir.h"

namespace dsr::letters {
namespace {

using testing::Contains;
using Json = nlohmann::json;

std::string ExamplePath() {
  const char* source = std::getenv("DSR_SOURCE_DIR");
  return std::string(source != nullptr ? source : DSR_TEST_SOURCE_DIR) +
         "/deploy/examples/coordinator.yaml";
}

std::string ReadExample() {
  std::ifstream in(ExamplePath());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The example config's controller and records, read the way the coordinator
// reads them (schema first, then the parser).
struct Example {
  ControllerInfo controller;
  std::vector<SourceRecord> sources;
};

Example LoadExample(const std::string& path = ExamplePath()) {
  auto json = LoadConfigFile(path, "config/coordinator");
  REQUIRE_MESSAGE(json.ok(), json.status().ToString());
  Example example{ParseControllerInfo(json->at("controller")), {}};
  const Json& sources = json->at("sources");
  for (size_t i = 0; i < sources.size(); ++i) {
    SourceRecord source{sources[i].at("name").get<std::string>(),
                        sources[i].at("title").get<std::string>(), std::nullopt};
    if (sources[i].contains("record_of_processing")) {
      auto record = ParseRecordOfProcessing(sources[i].at("record_of_processing"),
                                            "sources[" + std::to_string(i) + "]");
      REQUIRE_MESSAGE(record.ok(), record.status().ToString());
      source.record = std::move(*record);
    }
    example.sources.push_back(std::move(source));
  }
  return example;
}

std::vector<SourceRecord> Sample() {
  return {{"crm", "Kundendatenbank (CRM)", testing::CrmRecord()}};
}

// The single warning CheckRecordsOfProcessing gives for `sources`.
RecordWarning OnlyWarning(const std::vector<SourceRecord>& sources) {
  const auto warnings = CheckRecordsOfProcessing(testing::Controller(), sources);
  REQUIRE(warnings.size() == 1);
  return warnings.front();
}

TEST_SUITE("Record of processing") {
  TEST_CASE("the example config parses completely and gives no warnings") {
    const Example example = LoadExample();
    std::string warnings;
    for (const auto& warning : CheckRecordsOfProcessing(example.controller, example.sources)) {
      warnings += warning.path + ": " + warning.message_en + "\n";
    }
    CHECK_MESSAGE(warnings.empty(), warnings);
    // The example lists the CRM, the support mailbox, the ticket system and
    // the shared files; each has its record of processing.
    REQUIRE(example.sources.size() == 4);
    for (const auto& source : example.sources) CHECK(source.record.has_value());
    REQUIRE(example.sources[0].record.has_value());
    const RecordOfProcessing& crm = *example.sources[0].record;
    CHECK(crm.purposes.size() == 3);
    REQUIRE(crm.categories.size() == 4);
    CHECK(crm.categories[1].retention.years == 10);
    CHECK(crm.categories[2].retention.years == 8);
    CHECK(crm.categories[3].retention.years == 6);
    CHECK(crm.categories[2].legal_bases ==
          std::vector<LegalBasis>{LegalBasis::kContract, LegalBasis::kLegalObligation});
    CHECK(crm.categories[0].name.In("en") == "Contact data");
    CHECK(crm.categories[0].name.In("de") == "Kontaktdaten");
    REQUIRE(crm.recipients.size() == 5);
    CHECK(crm.recipients[0].kind == RecipientKind::kProcessor);
    REQUIRE(crm.recipients[0].agreement.has_value());
    CHECK(crm.recipients[0].agreement->signed_on == CivilDate(2023, 3, 1));
    CHECK(crm.recipients[1].kind == RecipientKind::kController);
    CHECK(crm.recipients[3].country == "US");
    REQUIRE(crm.transfers.size() == 1);
    CHECK(crm.transfers[0].safeguards ==
          std::vector<Safeguard>{Safeguard::kStandardContractualClauses});
    CHECK(crm.origin.from_subject);
    CHECK_FALSE(crm.automated_decisions.used);
    CHECK(example.controller.dpo_contact == "dsb@beispiel-versand.example");
    CHECK(example.controller.authority.name ==
          "Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen");
    CHECK(Contains(example.controller.address, "50670 Köln"));
  }

  TEST_CASE("the example's access letter carries its record in both languages") {
    const Example example = LoadExample();
    for (const char* language : {"de", "en"}) {
      LetterInput input = testing::Input(LetterKind::kAccess, language);
      input.controller = example.controller;
      input.sources[0].record = *example.sources[0].record;
      const std::string letter = testing::Render(input);
      CHECK(Contains(letter, language == std::string("de") ? "Kundenservice: Anfragen"
                                                           : "customer service: questions"));
      CHECK(Contains(letter, "HelpDeskly Inc."));
    }
  }

  TEST_CASE("the schema refuses an unknown legal basis and automated decisions without logic") {
    dsr::testing::TempDir dir;
    const std::string example = ReadExample();
    const auto load = [&](const std::string& from, const std::string& to) {
      std::string text = example;
      const size_t at = text.find(from);
      REQUIRE_MESSAGE(at != std::string::npos, from);
      std::ofstream(dir.File("c.yaml")) << text.replace(at, from.size(), to);
      return LoadConfigFile(dir.File("c.yaml"), "config/coordinator").status();
    };
    Status bad_basis = load("legal_basis: [art6_1_b]", "legal_basis: [art6_1_x]");
    CHECK(bad_basis.code() == StatusCode::kValidation);
    CHECK(Contains(bad_basis.ToString(), "sources[0].record_of_processing.categories[0]"));
    Status no_logic = load("used: false", "used: true");
    CHECK(no_logic.code() == StatusCode::kValidation);
    CHECK(Contains(no_logic.ToString(), "automated_decisions"));
    Status bad_country =
        load("country: US\n          recipient", "country: usa\n          recipient");
    CHECK(bad_country.code() == StatusCode::kValidation);
  }

  TEST_CASE("parses texts given once or per language, and refuses a date that does not exist") {
    const Json record = Json::parse(R"({
      "activity": "Shop",
      "purposes": ["Bestellungen", {"de": "Werbung", "en": "advertising"}],
      "recipients": [{"name": "P", "kind": "processor", "country": "DE",
                      "data_processing_agreement": {"signed_on": "2023-02-30"}}]})");
    auto parsed = ParseRecordOfProcessing(record, "sources[2]");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().code() == StatusCode::kValidation);
    CHECK(Contains(parsed.status().message(),
                   "sources[2].record_of_processing.recipients[0].data_processing_agreement"));
    Json fixed = record;
    fixed["recipients"][0]["data_processing_agreement"]["signed_on"] = "2023-02-28";
    parsed = ParseRecordOfProcessing(fixed, "sources[2]");
    REQUIRE(parsed.ok());
    CHECK(parsed->purposes[0].In("en") == "Bestellungen");
    CHECK(parsed->purposes[1].In("de") == "Werbung");
    CHECK(parsed->purposes[1].In("en") == "advertising");
  }

  TEST_CASE("legal bases have stable config names") {
    for (const char* name : {"art6_1_a", "art6_1_f", "art9_2_a", "art9_2_j"}) {
      CHECK(ToString(*ParseLegalBasis(name)) == name);
    }
    CHECK_FALSE(ParseLegalBasis("art6_1_g").ok());
  }

  TEST_CASE("a complete record gives no warnings") {
    CHECK(CheckRecordsOfProcessing(testing::Controller(), Sample()).empty());
  }

  TEST_CASE("warns about a category without legal basis, naming it in both languages") {
    auto sources = Sample();
    sources[0].record->categories[1].legal_bases.clear();
    const RecordWarning warning = OnlyWarning(sources);
    CHECK(warning.source == "crm");
    CHECK(warning.path == "sources[0].record_of_processing.categories[1].legal_basis");
    CHECK(Contains(warning.message_de, "Zahlungsdaten"));
    CHECK(Contains(warning.message_de, "keine Rechtsgrundlage"));
    CHECK(Contains(warning.message_en, "Payment data"));
    CHECK(Contains(warning.message_en, "no legal basis"));
    CHECK(warning.Message("de") == warning.message_de);
  }

  TEST_CASE("warns about a category without retention") {
    auto sources = Sample();
    sources[0].record->categories[0].retention = {};
    const RecordWarning warning = OnlyWarning(sources);
    CHECK(warning.path == "sources[0].record_of_processing.categories[0].retention");
    CHECK(Contains(warning.message_de, "Speicherdauer"));
    CHECK(Contains(warning.message_en, "storage period"));
  }

  TEST_CASE("warns about a processor without a data processing agreement") {
    auto sources = Sample();
    sources[0].record->recipients[0].agreement.reset();
    const RecordWarning warning = OnlyWarning(sources);
    CHECK(warning.path ==
          "sources[0].record_of_processing.recipients[0].data_processing_agreement");
    CHECK(Contains(warning.message_de, "PayBeispiel Payments GmbH"));
    CHECK(Contains(warning.message_de, "Auftragsverarbeitungsvertrag"));
    CHECK(Contains(warning.message_en, "no data processing agreement (Art. 28(3) GDPR)"));
  }

  TEST_CASE("a controller as recipient needs no data processing agreement") {
    auto sources = Sample();
    REQUIRE(sources[0].record->recipients[1].kind == RecipientKind::kController);
    CHECK_FALSE(sources[0].record->recipients[1].agreement.has_value());
    CHECK(CheckRecordsOfProcessing(testing::Controller(), sources).empty());
  }

  TEST_CASE("warns about a third-country transfer without safeguards") {
    auto sources = Sample();
    sources[0].record->transfers[0].safeguards.clear();
    const RecordWarning warning = OnlyWarning(sources);
    CHECK(warning.path == "sources[0].record_of_processing.third_country_transfers[0].safeguards");
    CHECK(Contains(warning.message_de, "HelpDeskly Inc."));
    CHECK(Contains(warning.message_de, "Vereinigte Staaten"));
    CHECK(Contains(warning.message_en, "has no safeguards"));
  }

  TEST_CASE("warns about a recipient outside the EEA that no transfer names") {
    auto sources = Sample();
    sources[0].record->transfers.clear();
    const RecordWarning warning = OnlyWarning(sources);
    CHECK(warning.path == "sources[0].record_of_processing.recipients[2].country");
    CHECK(Contains(warning.message_en, "outside the EEA"));
  }

  TEST_CASE("warns about a source without purposes or without any record") {
    auto sources = Sample();
    sources[0].record->purposes.clear();
    RecordWarning warning = OnlyWarning(sources);
    CHECK(warning.path == "sources[0].record_of_processing.purposes");
    CHECK(Contains(warning.message_de, "keine Zwecke"));
    CHECK(Contains(warning.message_en, "names no purposes"));
    sources.push_back({"mail", "Postfach", std::nullopt});
    sources[0].record->purposes = {LocalizedText("Support")};
    warning = OnlyWarning(sources);
    CHECK(warning.source == "mail");
    CHECK(warning.path == "sources[1].record_of_processing");
    CHECK(Contains(warning.message_en, "has no record of processing"));
  }

  TEST_CASE("warns when no supervisory authority is configured") {
    ControllerInfo controller = testing::Controller();
    controller.authority = {};
    const auto warnings = CheckRecordsOfProcessing(controller, Sample());
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].path == "controller.supervisory_authority");
    CHECK(warnings[0].source.empty());
  }
}

}  // namespace
}  // namespace dsr::letters
