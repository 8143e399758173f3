// Erasure on small hand-built SQLite databases: retention chains, kOnly
// follow-ups, rows that cannot go, verification, rollback and key files.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "common/config_file.h"
#include "connectors/connector.h"
#include "tests/sql/sql_test_support.h"

namespace dsr::connectors::testing {
namespace {

// Anna has an invoice from December paid in January, one paid at once and
// one without a date; Ben and Cara are there to be left alone.
constexpr char kSchema[] = R"sql(
  CREATE TABLE people (id INTEGER PRIMARY KEY, email TEXT, name TEXT NOT NULL);
  CREATE TABLE invoices (id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES people (id),
                         issued_on TEXT, restricted INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE payments (id INTEGER PRIMARY KEY, invoice_id INTEGER NOT NULL REFERENCES invoices (id),
                         paid_on TEXT);
  CREATE TABLE notes (person_id INTEGER NOT NULL REFERENCES people (id), body TEXT);
  CREATE TABLE newsletter (address TEXT, list TEXT);
  INSERT INTO people VALUES (1, 'anna@example.com', 'Anna'), (2, 'ben@example.com', 'Ben'),
                            (3, 'cara@example.com', 'Cara');
  INSERT INTO invoices VALUES (10, 1, '2024-12-20', 0), (11, 1, '2023-03-05T10:00:00Z', 0),
                              (12, 1, NULL, 0), (20, 2, '2024-01-01', 0);
  INSERT INTO payments VALUES (100, 10, '2025-01-05'), (101, 11, '2023-03-06'), (200, 20, '2024-01-02');
  INSERT INTO notes VALUES (1, 'about Anna'), (2, 'about Ben'), (3, 'about Cara');
  INSERT INTO newsletter VALUES ('anna@example.com', 'weekly'), ('ANNA@example.com', 'offers'),
                                ('ben@example.com', 'weekly');
)sql";

constexpr char kConfig[] = R"yaml(
kind: sql
connection: "sqlite3://db=PATH timeout=0"
anonymize_key_file: KEY
tables:
  - name: people
    key: id
    identities: {email: {column: email, match: case_insensitive}}
  - name: invoices
    key: id
    references: [{column: person_id, table: people}]
    erasure:
      strategy: retain
      retain: {legal_basis: "HGB §257", years: 8, from_column: issued_on, restrict_column: restricted}
  - name: payments
    key: id
    references: [{column: invoice_id, table: invoices}]
    erasure: {strategy: retain, retain: {legal_basis: "AO §147", years: 8, from_column: paid_on}}
  - name: notes
    references: [{column: person_id, table: people}]
  - name: newsletter
    identities: {email: {column: address, match: case_insensitive}}
    erasure: {strategy: anonymize, anonymize: {address: {with: keyed_hash}}}
)yaml";

struct Shop {
  TempDir dir;
  std::string db = dir.File("shop.db");
  std::string key = dir.File("anon.key");

  Shop() {
    RawExec(db, kSchema);
    WriteFile(key, std::string(32, 's'));
  }

  nlohmann::json Config() const {
    auto config = YamlToJson(kConfig);
    REQUIRE(config.ok());
    config.value()["connection"] = "sqlite3://db=" + db + " timeout=0";
    config.value()["anonymize_key_file"] = key;
    return config.value();
  }

  std::unique_ptr<Connector> Connect(const nlohmann::json& config) const {
    auto connector = NewConnector(config, "test.yaml");
    REQUIRE_MESSAGE(connector.ok(), connector.status().ToString());
    return std::move(connector.value());
  }
  std::unique_ptr<Connector> Connect() const { return Connect(Config()); }

  std::string Dump() const {
    nlohmann::json dump;
    for (const char* table : {"people", "invoices", "payments", "notes", "newsletter"}) {
      dump[table] = RawQuery(db, std::string("SELECT * FROM ") + table + " ORDER BY rowid");
    }
    return dump.dump();
  }
};

// "collection kind records until basis [keys]" per outcome, for readable checks.
std::vector<std::string> Describe(const std::vector<CollectionOutcome>& outcomes) {
  std::vector<std::string> lines;
  for (const auto& outcome : outcomes) {
    std::string line = outcome.collection + " " + std::string(ToString(outcome.kind)) + " " +
                       std::to_string(outcome.records);
    if (outcome.kind == OutcomeKind::kRetained) {
      line += " " + (outcome.retained_until ? outcome.retained_until->ToString() : "open") + " " +
              outcome.legal_basis + " [";
      for (const auto& key : outcome.keys) line += key + (key == outcome.keys.back() ? "" : ",");
      line += "]";
    }
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> MustErase(Connector& connector, const Subject& subject,
                                   const ActionScope& scope = {}) {
  CollectingSink untouched;
  auto outcomes = connector.Erase(subject, scope, untouched);
  REQUIRE_MESSAGE(outcomes.ok(), outcomes.status().ToString());
  return Describe(outcomes.value());
}

ActionScope Only(RecordSelection selection, bool ended) {
  ActionScope scope;
  scope.mode = ActionScope::Mode::kOnly;
  scope.selection = std::move(selection);
  scope.retention_ended = ended;
  return scope;
}

}  // namespace

TEST_SUITE("SqlConnector erasure on fixtures") {
  TEST_CASE("retains a row as long as the latest retained row referring to it") {
    Shop shop;
    auto connector = shop.Connect();
    const std::vector<std::string> expected = {
        "people retained 1 open referenced by retained invoices rows (HGB §257) [1]",
        "invoices retained 1 2031-12-31 HGB §257 [11]",
        "invoices retained 1 2033-12-31 referenced by retained payments rows (AO §147) [10]",
        "invoices retained 1 open HGB §257 (no readable date in issued_on: kept until reviewed) "
        "[12]",
        "payments retained 1 2031-12-31 AO §147 [101]",
        "payments retained 1 2033-12-31 AO §147 [100]",
        "notes erased 1",
        "newsletter anonymized 2"};
    CHECK(MustErase(*connector, {{"email", "Anna@Example.com"}}) == expected);
    CHECK(RawQuery(shop.db, "SELECT id FROM invoices WHERE restricted = 1 ORDER BY id") ==
          std::vector<nlohmann::json>{{{"id", 10}}, {{"id", 11}}, {{"id", 12}}});
    const auto newsletter = RawQuery(shop.db, "SELECT address FROM newsletter ORDER BY rowid");
    CHECK(newsletter[0]["address"].get<std::string>().rfind("anon:", 0) == 0);
    CHECK(newsletter[0]["address"] != newsletter[1]["address"]);  // the stored values differed
    CHECK(newsletter[2]["address"] == "ben@example.com");
    CHECK(RawQuery(shop.db, "SELECT body FROM notes ORDER BY rowid") ==
          std::vector<nlohmann::json>{{{"body", "about Ben"}}, {{"body", "about Cara"}}});
    // Found again by e-mail: the person is still there, so everything is
    // retained again with the same dates, and nothing changes.
    const std::string after = shop.Dump();
    auto again = MustErase(*connector, {{"email", "anna@example.com"}});
    REQUIRE(again.size() == expected.size());
    CHECK(std::vector<std::string>(again.begin(), again.begin() + 6) ==
          std::vector<std::string>(expected.begin(), expected.begin() + 6));
    CHECK(again[6] == "notes not_found 0");
    CHECK(again[7] == "newsletter not_found 0");
    CHECK(shop.Dump() == after);
  }

  TEST_CASE("kOnly follow-ups delete what has ended and keep what is still referred to") {
    Shop shop;
    auto connector = shop.Connect();
    MustErase(*connector, {{"email", "anna@example.com"}});
    // The December invoice's own period ends in 2032, but its January payment
    // is kept until 2033, so the invoice stays.
    CHECK(MustErase(*connector, {}, Only({{"invoices", {"10"}}}, true))[1] ==
          "invoices retained 1 2033-12-31 referenced by retained payments rows (AO §147) [10]");
    CHECK(MustErase(*connector, {},
                    Only({{"invoices", {"10", "11"}}, {"payments", {"100", "101"}}}, true)) ==
          std::vector<std::string>{"people not_found 0", "invoices erased 2", "payments erased 2",
                                   "notes not_found 0", "newsletter not_found 0"});
    CHECK(MustErase(*connector, {}, Only({{"people", {"1"}}}, true))[0] ==
          "people retained 1 open referenced by retained invoices rows (HGB §257) [1]");
    CHECK(MustErase(*connector, {}, Only({{"people", {"1"}}, {"invoices", {"12"}}}, true)) ==
          std::vector<std::string>{"people erased 1", "invoices erased 1", "payments not_found 0",
                                   "notes not_found 0", "newsletter not_found 0"});
    CHECK(RawQuery(shop.db, "SELECT id FROM people ORDER BY id") ==
          std::vector<nlohmann::json>{{{"id", 2}}, {{"id", 3}}});
    CHECK(RawQuery(shop.db, "PRAGMA foreign_key_check").empty());
  }

  TEST_CASE("a row still referred to from outside the scope is a conflict and nothing changes") {
    Shop shop;
    const std::string before = shop.Dump();
    CollectingSink untouched;
    auto outcomes = shop.Connect()->Erase({}, Only({{"people", {"3"}}}, false), untouched);
    REQUIRE_FALSE(outcomes.ok());
    CHECK(outcomes.status().code() == StatusCode::kConflict);
    CHECK(outcomes.status().message().find("records of notes") != std::string::npos);
    CHECK(shop.Dump() == before);
  }

  TEST_CASE("a row the database would not erase fails verification and rolls everything back") {
    Shop shop;
    RawExec(shop.db,
            "CREATE TRIGGER keep_notes BEFORE DELETE ON notes BEGIN SELECT RAISE(IGNORE); END;");
    // People are kept anonymized, so only verification can notice the note.
    nlohmann::json config = shop.Config();
    config["tables"][0]["erasure"] = {
        {"strategy", "anonymize"}, {"anonymize", {{"name", {{"with", "fixed"}, {"value", "-"}}}}}};
    const std::string before = shop.Dump();
    CollectingSink untouched;
    auto outcomes = shop.Connect(config)->Erase({{"email", "anna@example.com"}}, {}, untouched);
    REQUIRE_FALSE(outcomes.ok());
    CHECK(outcomes.status().code() == StatusCode::kInternal);
    CHECK(outcomes.status().message() == "verification failed: notes still holds 1 records");
    CHECK(shop.Dump() == before);
  }

  TEST_CASE("an anonymization the database ignores fails verification") {
    Shop shop;
    RawExec(shop.db,
            "CREATE TRIGGER keep BEFORE UPDATE ON newsletter BEGIN SELECT RAISE(IGNORE); END;");
    CollectingSink untouched;
    auto outcomes = shop.Connect()->Erase({{"email", "ben@example.com"}}, {}, untouched);
    REQUIRE_FALSE(outcomes.ok());
    CHECK(outcomes.status().message() == "verification failed: newsletter still holds 1 records");
  }

  TEST_CASE("a constraint that refuses an anonymized value is a conflict without the value") {
    Shop shop;
    nlohmann::json config = shop.Config();
    config["tables"][0]["erasure"] = {
        {"strategy", "anonymize"},
        {"anonymize", {{"name", {{"with", "null"}}}, {"email", {{"with", "keyed_hash"}}}}}};
    config["tables"][3]["erasure"] = {{"strategy", "anonymize"},
                                      {"anonymize", {{"body", {{"with", "null"}}}}}};
    const std::string before = shop.Dump();
    CollectingSink untouched;
    auto outcomes = shop.Connect(config)->Erase({{"email", "cara@example.com"}}, {}, untouched);
    REQUIRE_FALSE(outcomes.ok());
    CHECK(outcomes.status().code() == StatusCode::kConflict);
    CHECK(outcomes.status().message().find("cara") == std::string::npos);
    CHECK(shop.Dump() == before);
  }

  TEST_CASE("foreign keys are enforced: a reference the config misses fails, rolled back") {
    Shop shop;
    nlohmann::json config = shop.Config();
    config["tables"].erase(3);  // notes: their rows still refer to Cara
    const std::string before = shop.Dump();
    CollectingSink untouched;
    auto outcomes = shop.Connect(config)->Erase({{"email", "cara@example.com"}}, {}, untouched);
    REQUIRE_FALSE(outcomes.ok());
    CHECK(outcomes.status().code() == StatusCode::kConflict);
    CHECK(shop.Dump() == before);
  }

  TEST_CASE("the key file is read at the first erasure; exports work without it") {
    Shop shop;
    nlohmann::json config = shop.Config();
    config["anonymize_key_file"] = shop.dir.File("missing.key");
    auto connector = shop.Connect(config);
    CollectingSink sink;
    REQUIRE(connector->Export({{"email", "ben@example.com"}}, sink).ok());
    auto missing = connector->Erase({{"email", "ben@example.com"}}, {}, sink);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.status().code() == StatusCode::kUnavailable);
    CHECK(missing.status().message().find("connector.anonymize_key_file") != std::string::npos);
    WriteFile(shop.dir.File("missing.key"), "too short");
    auto short_key = connector->Erase({{"email", "ben@example.com"}}, {}, sink);
    REQUIRE_FALSE(short_key.ok());
    CHECK(short_key.status().code() == StatusCode::kValidation);
    WriteFile(shop.dir.File("missing.key"), std::string(32, 'x'));
    CHECK(connector->Erase({{"email", "ben@example.com"}}, {}, sink).ok());
  }

  TEST_CASE("a locked database makes an erasure unavailable, with nothing changed") {
    Shop shop;
    auto connector = shop.Connect();
    REQUIRE(connector->Locate({{"email", "anna@example.com"}}).ok());
    const std::string before = shop.Dump();
    {
      RawLock lock(shop.db);
      CollectingSink untouched;
      auto outcomes = connector->Erase({{"email", "anna@example.com"}}, {}, untouched);
      REQUIRE_FALSE(outcomes.ok());
      CHECK(outcomes.status().code() == StatusCode::kUnavailable);
    }
    CHECK(shop.Dump() == before);
    CHECK(connector->Locate({{"email", "anna@example.com"}}).ok());
  }

  TEST_CASE("a scope naming an unknown collection is refused") {
    Shop shop;
    CollectingSink untouched;
    auto outcomes = shop.Connect()->Erase({}, Only({{"customers", {"1"}}}, false), untouched);
    REQUIRE_FALSE(outcomes.ok());
    CHECK(outcomes.status().code() == StatusCode::kInvalidArgument);
    auto keyless = shop.Connect()->Erase({}, Only({{"notes", {"1"}}}, false), untouched);
    CHECK(keyless.status().code() == StatusCode::kInvalidArgument);
  }
}

}  // namespace dsr::connectors::testing
