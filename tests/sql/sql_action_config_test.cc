// Config checks of erasure and rectification: every error names the key it is
// about, whether the schema, the cross-table rules or the database finds it.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "common/config_file.h"
#include "connectors/connector.h"
#include "tests/sql/sql_test_support.h"

namespace dsr::connectors::testing {
namespace {

nlohmann::json ValidConfig() {
  auto config = YamlToJson(R"yaml(
kind: sql
connection: "sqlite3://db=/tmp/does-not-matter.db"
anonymize_key_file: /tmp/does-not-matter.key
tables:
  - name: customers
    key: id
    identities: {email: email}
    erasure:
      strategy: anonymize
      anonymize:
        email: {with: keyed_hash}
        first_name: {with: fixed, value: "anonymisiert"}
        phone: {with: null}
    rectify:
      email: email
      name: {given: first_name}
  - name: invoices
    key: id
    references: [{column: customer_id, table: customers}]
    erasure:
      strategy: retain
      retain: {legal_basis: "HGB §257", years: 8, from_column: issued_on, restrict_column: restricted}
  - name: notes
    references: [{column: customer_id, table: customers}]
    erasure: {strategy: delete}
)yaml");
  REQUIRE(config.ok());
  return config.value();
}

std::string ErrorOf(const nlohmann::json& config) {
  auto connector = NewConnector(config, "worker.yaml");
  REQUIRE_FALSE(connector.ok());
  CHECK(connector.status().code() == StatusCode::kValidation);
  std::string text = connector.status().message();
  for (const auto& detail : connector.status().details()) text += "\n" + detail;
  return text;
}

bool Mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_SUITE("SqlConnector erasure and rectification config") {
  TEST_CASE("a valid config with every strategy builds") {
    auto connector = NewConnector(ValidConfig(), "worker.yaml");
    CHECK_MESSAGE(connector.ok(), connector.status().ToString());
  }

  TEST_CASE("an unknown strategy") {
    nlohmann::json config = ValidConfig();
    config["tables"][2]["erasure"]["strategy"] = "shred";
    CHECK(Mentions(ErrorOf(config), "connector.tables[2].erasure.strategy"));
  }

  TEST_CASE("keyed_hash without a key file") {
    nlohmann::json config = ValidConfig();
    config.erase("anonymize_key_file");
    const std::string error = ErrorOf(config);
    CHECK(Mentions(error, "connector.anonymize_key_file: missing"));
    CHECK(Mentions(error, "connector.tables[0].erasure.anonymize"));
  }

  TEST_CASE("retain without from_column, and with years out of range") {
    nlohmann::json config = ValidConfig();
    config["tables"][1]["erasure"]["retain"].erase("from_column");
    const std::string error = ErrorOf(config);
    CHECK(Mentions(error, "connector.tables[1].erasure.retain"));
    CHECK(Mentions(error, "from_column"));
    config = ValidConfig();
    config["tables"][1]["erasure"]["retain"]["years"] = 0;
    CHECK(Mentions(ErrorOf(config), "connector.tables[1].erasure.retain.years"));
  }

  TEST_CASE("retain: an unknown start, an unknown after-strategy, no legal basis") {
    nlohmann::json config = ValidConfig();
    config["tables"][1]["erasure"]["retain"]["from"] = "start_of_year";
    CHECK(Mentions(ErrorOf(config), "connector.tables[1].erasure.retain.from"));
    config = ValidConfig();
    config["tables"][1]["erasure"]["retain"]["then"] = "retain";
    CHECK(Mentions(ErrorOf(config), "connector.tables[1].erasure.retain.then"));
    config = ValidConfig();
    config["tables"][1]["erasure"]["retain"].erase("legal_basis");
    CHECK(Mentions(ErrorOf(config), "legal_basis"));
  }

  TEST_CASE("then: anonymize without anonymize rules") {
    nlohmann::json config = ValidConfig();
    config["tables"][1]["erasure"]["retain"]["then"] = "anonymize";
    CHECK(Mentions(ErrorOf(config),
                   "connector.tables[1].erasure.anonymize: missing, but erasure.retain.then is "
                   "anonymize"));
  }

  TEST_CASE("a strategy without its section, and a section without its strategy") {
    nlohmann::json config = ValidConfig();
    config["tables"][0]["erasure"].erase("anonymize");
    config["tables"][1]["erasure"]["strategy"] = "delete";
    const std::string error = ErrorOf(config);
    CHECK(Mentions(error, "connector.tables[0].erasure.anonymize: missing"));
    CHECK(Mentions(error,
                   "connector.tables[1].erasure.retain: given, but erasure.strategy is delete"));
    nlohmann::json retain = ValidConfig();
    retain["tables"][1]["erasure"].erase("retain");
    CHECK(Mentions(ErrorOf(retain), "connector.tables[1].erasure.retain: missing"));
    nlohmann::json stray = ValidConfig();
    stray["tables"][2]["erasure"]["anonymize"] = {{"body", {{"with", "null"}}}};
    CHECK(Mentions(ErrorOf(stray), "connector.tables[2].erasure.anonymize: given"));
  }

  TEST_CASE("anonymize rules: unknown kind, fixed without value, value without fixed, key column") {
    nlohmann::json config = ValidConfig();
    auto& rules = config["tables"][0]["erasure"]["anonymize"];
    rules["email"]["with"] = "scramble";
    CHECK(Mentions(ErrorOf(config), "connector.tables[0].erasure.anonymize.email.with"));
    config = ValidConfig();
    config["tables"][0]["erasure"]["anonymize"]["first_name"].erase("value");
    config["tables"][0]["erasure"]["anonymize"]["phone"]["value"] = "x";
    config["tables"][0]["erasure"]["anonymize"]["id"] = {{"with", "null"}};
    const std::string error = ErrorOf(config);
    CHECK(Mentions(error, "connector.tables[0].erasure.anonymize.first_name.value: missing"));
    CHECK(Mentions(error, "connector.tables[0].erasure.anonymize.phone.value: only used"));
    CHECK(Mentions(error, "connector.tables[0].erasure.anonymize.id: the key column"));
  }

  TEST_CASE("retaining rows of a table without a key") {
    nlohmann::json config = ValidConfig();
    config["tables"][2]["erasure"] = config["tables"][1]["erasure"];
    CHECK(
        Mentions(ErrorOf(config), "connector.tables[2].key: missing, but erasure.strategy retain"));
  }

  TEST_CASE("anonymized rows that would refer to deleted rows") {
    nlohmann::json config = ValidConfig();
    config["tables"][0]["erasure"] = {{"strategy", "delete"}};
    config["tables"][2]["erasure"] = {{"strategy", "anonymize"},
                                      {"anonymize", {{"body", {{"with", "null"}}}}}};
    const std::string error = ErrorOf(config);
    CHECK(
        Mentions(error, "connector.tables[0].erasure: rows of table 'customers' would be deleted"));
    CHECK(Mentions(error, "'notes'"));
  }

  TEST_CASE("rectify: an unknown attribute, an unknown part, the key column") {
    nlohmann::json config = ValidConfig();
    config["tables"][0]["rectify"]["birthday"] = "birth_date";
    CHECK(Mentions(ErrorOf(config), "connector.tables[0].rectify"));
    config = ValidConfig();
    config["tables"][0]["rectify"]["name"]["middle"] = "middle_name";
    CHECK(Mentions(ErrorOf(config), "connector.tables[0].rectify.name"));
    config = ValidConfig();
    config["tables"][0]["rectify"]["phone"] = "id";
    CHECK(Mentions(ErrorOf(config), "connector.tables[0].rectify.phone: the key column"));
  }

  TEST_CASE("columns the database does not have are named by their key at first use") {
    TempDir dir;
    RawExec(dir.File("db"), R"sql(
      CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, first_name TEXT, phone TEXT);
      CREATE TABLE invoices (id INTEGER PRIMARY KEY, customer_id INTEGER, issued_on TEXT, restricted INTEGER);
      CREATE TABLE notes (customer_id INTEGER, body TEXT);
    )sql");
    const std::vector<std::pair<std::string, std::function<void(nlohmann::json&)>>> cases = {
        {"connector.tables[0].rectify.name.given: table 'customers' has no column 'vorname'",
         [](nlohmann::json& c) { c["tables"][0]["rectify"]["name"]["given"] = "vorname"; }},
        {"connector.tables[0].erasure.anonymize.mail",
         [](nlohmann::json& c) {
           c["tables"][0]["erasure"]["anonymize"]["mail"] = {{"with", "null"}};
         }},
        {"connector.tables[1].erasure.retain.from_column",
         [](nlohmann::json& c) { c["tables"][1]["erasure"]["retain"]["from_column"] = "date"; }},
        {"connector.tables[1].erasure.retain.restrict_column",
         [](nlohmann::json& c) {
           c["tables"][1]["erasure"]["retain"]["restrict_column"] = "gesperrt";
         }},
    };
    for (const auto& [expected, change] : cases) {
      CAPTURE(expected);
      nlohmann::json config = ValidConfig();
      config["connection"] = "sqlite3://db=" + dir.File("db");
      change(config);
      auto connector = NewConnector(config, "worker.yaml");
      REQUIRE(connector.ok());
      auto report = connector.value()->Locate({{"email", "a@example.com"}});
      REQUIRE_FALSE(report.ok());
      CHECK(report.status().code() == StatusCode::kValidation);
      std::string text = report.status().message();
      for (const auto& detail : report.status().details()) text += "\n" + detail;
      CHECK(Mentions(text, expected));
    }
  }
}

}  // namespace dsr::connectors::testing
