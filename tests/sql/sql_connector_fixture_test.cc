// The SQL connector against small hand-built SQLite databases: traversal
// rules, value types, keyless tables, and failures of the database.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "common/config_file.h"
#include "connectors/connector.h"
#include "tests/sql/sql_test_support.h"

namespace dsr::connectors::testing {
namespace {

// Households share a phone; people live in households; notes belong to people.
constexpr char kHouseholdSchema[] = R"sql(
  CREATE TABLE households (id INTEGER PRIMARY KEY, phone TEXT);
  CREATE TABLE people (id INTEGER PRIMARY KEY, email TEXT, household_id INTEGER REFERENCES households (id));
  CREATE TABLE notes (note_id INTEGER PRIMARY KEY, person_id INTEGER REFERENCES people (id), body TEXT);
  CREATE TABLE tags (person_id INTEGER, tag TEXT);
  CREATE TABLE newsletter (address TEXT, list TEXT);
  INSERT INTO households VALUES (1, '+49 30 1111111'), (2, '+49 30 2222222');
  INSERT INTO people VALUES (1, 'anna@example.com', 1), (2, 'ben@example.com', 1), (3, 'cara@example.com', 2);
  INSERT INTO notes VALUES (10, 1, 'about Anna'), (11, 2, 'about Ben'), (12, 3, 'about Cara');
  INSERT INTO tags VALUES (1, 'vip'), (1, 'newsletter'), (2, 'vip'), (3, 'new');
  INSERT INTO newsletter VALUES ('anna@example.com', 'weekly'), ('ANNA@example.com', 'offers'), ('ben@example.com', 'weekly');
)sql";

constexpr char kHouseholdConfig[] = R"yaml(
kind: sql
connection: "sqlite3://db=PATH timeout=5"
tables:
  - name: households
    key: id
    identities: {phone: {column: phone, match: digits}}
  - name: people
    key: id
    identities: {email: {column: email, match: case_insensitive}}
    references: [{column: household_id, table: households}]
  - name: notes
    key: note_id
    references: [{column: person_id, table: people}]
  - name: tags
    references: [{column: person_id, table: people}]
  - name: newsletter
    identities: {email: {column: address, match: case_insensitive}}
)yaml";

nlohmann::json ConfigFor(const std::string& yaml, const std::string& path) {
  auto config = YamlToJson(yaml);
  REQUIRE(config.ok());
  const std::string connection = config.value()["connection"];
  config.value()["connection"] = connection.substr(0, connection.find("PATH")) + path +
                                 connection.substr(connection.find("PATH") + 4);
  return config.value();
}

std::unique_ptr<Connector> Build(const nlohmann::json& config) {
  auto connector = NewConnector(config, "test.yaml");
  REQUIRE_MESSAGE(connector.ok(), connector.status().ToString());
  return std::move(connector.value());
}

LocateReport MustLocate(Connector& connector, const Subject& subject) {
  auto report = connector.Locate(subject);
  REQUIRE_MESSAGE(report.ok(), report.status().ToString());
  return report.value();
}

std::vector<nlohmann::json> Ids(const CollectingSink& sink, const std::string& table,
                                const std::string& column) {
  std::vector<nlohmann::json> ids;
  for (const auto& record : sink.Records(table)) ids.push_back(record[column]);
  return ids;
}

}  // namespace

TEST_SUITE("SqlConnector on fixtures") {
  TEST_CASE("a person found by e-mail does not pull in the household or its other members") {
    TempDir dir;
    RawExec(dir.File("db"), kHouseholdSchema);
    auto connector = Build(ConfigFor(kHouseholdConfig, dir.File("db")));
    const auto report = MustLocate(*connector, {{"email", "Anna@Example.com"}});
    const std::map<std::string, int64_t> expected = {
        {"people", 1}, {"notes", 1}, {"tags", 2}, {"newsletter", 2}};
    CHECK(report.confirmed == expected);
    CHECK(report.ambiguous.empty());
    CollectingSink sink;
    REQUIRE(connector->Export({{"email", "anna@example.com"}}, sink).ok());
    CHECK(Ids(sink, "people", "id") == std::vector<nlohmann::json>{1});
    CHECK(sink.Records("notes") ==
          std::vector<nlohmann::json>{{{"note_id", 10}, {"person_id", 1}, {"body", "about Anna"}}});
    CHECK(sink.Records("households").empty());
  }

  TEST_CASE("a household found by phone brings every member and their rows, outwards") {
    TempDir dir;
    RawExec(dir.File("db"), kHouseholdSchema);
    auto connector = Build(ConfigFor(kHouseholdConfig, dir.File("db")));
    const auto report = MustLocate(*connector, {{"phone", "+49 (30) 111-11-11"}});
    const std::map<std::string, int64_t> expected = {
        {"households", 1}, {"people", 2}, {"notes", 2}, {"tags", 3}};
    CHECK(report.confirmed == expected);
    CHECK(report.ambiguous.empty());
    CollectingSink sink;
    REQUIRE(connector->Export({{"phone", "+4930 1111111"}}, sink).ok());
    CHECK(Ids(sink, "people", "id") == std::vector<nlohmann::json>{1, 2});
    CHECK(Ids(sink, "notes", "note_id") == std::vector<nlohmann::json>{10, 11});
  }

  TEST_CASE("exports every value with its type: numbers, text, NULL, base64 blobs, odd dates") {
    TempDir dir;
    RawExec(dir.File("db"), R"sql(
      CREATE TABLE things (id INTEGER PRIMARY KEY, owner TEXT, i INTEGER, r REAL, t TEXT, d DATE,
                           ts TIMESTAMP, b BLOB, n NUMERIC, flag BOOLEAN, loose);
      INSERT INTO things VALUES (1, 'o@example.com', 9007199254740993, 0.1, 'Grüße 王芳', 'not a date',
                                 '2024-02-29T23:59:59Z', x'00FF41', 12.5, 1, 7);
      INSERT INTO things VALUES (2, 'o@example.com', NULL, NULL, NULL, '2024-02-29', NULL, x'', 'abc', 0, 2.5);
    )sql");
    auto connector = Build(ConfigFor(R"yaml(
kind: sql
connection: "sqlite3://db=PATH"
tables: [{name: things, key: id, identities: {email: owner}}]
)yaml",
                                     dir.File("db")));
    CollectingSink sink;
    REQUIRE(connector->Export({{"email", "o@example.com"}}, sink).ok());
    const auto things = sink.Records("things");
    REQUIRE(things.size() == 2);
    CHECK(things[0] == nlohmann::json::parse(R"({"id": 1, "owner": "o@example.com",
        "i": 9007199254740993, "r": 0.1, "t": "Grüße 王芳", "d": "not a date",
        "ts": "2024-02-29T23:59:59Z", "b": "AP9B", "n": 12.5, "flag": 1, "loose": 7})"));
    CHECK(things[1] == nlohmann::json::parse(R"({"id": 2, "owner": "o@example.com",
        "i": null, "r": null, "t": null, "d": "2024-02-29", "ts": null, "b": "", "n": "abc",
        "flag": 0, "loose": 2.5})"));
  }

  TEST_CASE("a reference may point at a column other than the parent's key") {
    TempDir dir;
    RawExec(dir.File("db"), R"sql(
      CREATE TABLE accounts (id INTEGER PRIMARY KEY, number TEXT, email TEXT);
      CREATE TABLE tickets (id TEXT PRIMARY KEY, account_number TEXT, subject TEXT);
      INSERT INTO accounts VALUES (1, 'A-1', 'a@example.com'), (2, 'A-2', 'b@example.com');
      INSERT INTO tickets VALUES ('T-1', 'A-1', 'x'), ('T-2', 'A-2', 'y'), ('T-3', 'A-1', 'z');
    )sql");
    auto connector = Build(ConfigFor(R"yaml(
kind: sql
connection: "sqlite3://db=PATH"
tables:
  - {name: accounts, key: id, identities: {email: email}}
  - name: tickets
    key: id
    references: [{column: account_number, table: accounts, target: number}]
)yaml",
                                     dir.File("db")));
    CollectingSink sink;
    REQUIRE(connector->Export({{"email", "a@example.com"}}, sink).ok());
    CHECK(Ids(sink, "tickets", "id") == std::vector<nlohmann::json>{"T-1", "T-3"});
  }

  TEST_CASE("references that form a cycle end when no new key appears") {
    TempDir dir;
    RawExec(dir.File("db"), R"sql(
      CREATE TABLE a (id INTEGER PRIMARY KEY, email TEXT, b_id INTEGER);
      CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER);
      INSERT INTO a VALUES (1, 'x@example.com', NULL), (2, 'y@example.com', 1), (3, 'z@example.com', NULL);
      INSERT INTO b VALUES (1, 1), (2, 2), (3, 3);
    )sql");
    auto connector = Build(ConfigFor(R"yaml(
kind: sql
connection: "sqlite3://db=PATH"
batch_size: 1
tables:
  - {name: a, key: id, identities: {email: email}, references: [{column: b_id, table: b}]}
  - {name: b, key: id, references: [{column: a_id, table: a}]}
)yaml",
                                     dir.File("db")));
    const auto report = MustLocate(*connector, {{"email", "x@example.com"}});
    CHECK(report.confirmed == std::map<std::string, int64_t>{{"a", 2}, {"b", 2}});
  }

  TEST_CASE("a database that cannot be opened is unavailable, not an exception") {
    TempDir dir;
    auto connector = Build(ConfigFor(kHouseholdConfig, dir.File("missing-dir/crm.db")));
    auto report = connector->Locate({{"email", "anna@example.com"}});
    REQUIRE_FALSE(report.ok());
    CHECK(report.status().code() == StatusCode::kUnavailable);
    CollectingSink sink;
    CHECK(connector->Export({{"email", "anna@example.com"}}, sink).code() ==
          StatusCode::kUnavailable);
  }

  TEST_CASE("a database without the configured tables is reported by config key") {
    TempDir dir;
    RawExec(dir.File("db"), "CREATE TABLE unrelated (x INTEGER)");
    auto connector = Build(ConfigFor(kHouseholdConfig, dir.File("db")));
    auto report = connector->Locate({{"email", "anna@example.com"}});
    REQUIRE_FALSE(report.ok());
    CHECK(report.status().code() == StatusCode::kValidation);
    CHECK(report.status().message().find("connector.tables[0].name") != std::string::npos);
  }

  TEST_CASE("a misspelt column is reported by config key") {
    TempDir dir;
    RawExec(dir.File("db"), kHouseholdSchema);
    nlohmann::json config = ConfigFor(kHouseholdConfig, dir.File("db"));
    config["tables"][2]["references"][0]["column"] = "persn_id";
    auto report = Build(config)->Locate({{"email", "anna@example.com"}});
    REQUIRE_FALSE(report.ok());
    CHECK(report.status().code() == StatusCode::kValidation);
    CHECK(report.status().message().find("connector.tables[2].references[0].column") !=
          std::string::npos);
    CHECK(report.status().message().find("persn_id") != std::string::npos);
  }

  TEST_CASE("a locked database is unavailable and the error names no identity") {
    TempDir dir;
    RawExec(dir.File("db"), kHouseholdSchema);
    nlohmann::json config = ConfigFor(kHouseholdConfig, dir.File("db"));
    config["connection"] = "sqlite3://db=" + dir.File("db") + " timeout=0";
    auto connector = Build(config);
    REQUIRE(connector->Locate({{"email", "anna@example.com"}}).ok());
    RawLock lock(dir.File("db"));
    auto report = connector->Locate({{"email", "secret.person@example.com"}});
    REQUIRE_FALSE(report.ok());
    CHECK(report.status().code() == StatusCode::kUnavailable);
    CHECK(report.status().message().find("secret.person") == std::string::npos);
  }
}

}  // namespace dsr::connectors::testing
