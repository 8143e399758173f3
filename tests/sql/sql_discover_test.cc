// Discover on SQLite: every table of the database is sampled, configured or
// not, and only places, kinds and counts come back.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "common/config_file.h"
#include "connectors/connector.h"
#include "connectors/discovery.h"
#include "tests/sql/sample_crm_fixture.h"
#include "tests/sql/sql_test_support.h"

namespace dsr::connectors::testing {
namespace {

// A table the connector's config does not name, with awkward identifiers and
// values of every kind; `hits` is an integer column and is not read.
constexpr char kWebLog[] = R"sql(
  CREATE TABLE "web log" (id INTEGER PRIMARY KEY, "client ""ip""" TEXT, payload, hits INTEGER,
                          note VARCHAR(200));
  INSERT INTO "web log" VALUES
    (1, '203.0.113.7', 'refund to DE89 3704 0044 0532 0130 00 for anna@example.com', 4915112345678, 'ok'),
    (2, '2001:db8::1', 'call +49 30 1234567 or ben@example.org', 1, 'ok'),
    (3, 'not an address', 42, 2, NULL);
)sql";

std::vector<PersonalDataPlace> MustDiscover(Connector& connector) {
  auto places = connector.Discover();
  REQUIRE_MESSAGE(places.ok(), places.status().ToString());
  return places.value();
}

const PersonalDataPlace* Find(const std::vector<PersonalDataPlace>& places,
                              const std::string& place) {
  for (const auto& each : places) {
    if (each.place == place) return &each;
  }
  return nullptr;
}

using PlaceMap = std::map<std::string, std::pair<std::set<std::string>, int64_t>>;

PlaceMap ToMap(const std::vector<PersonalDataPlace>& places) {
  PlaceMap map;
  for (const auto& place : places) map[place.place] = {place.kinds, place.occurrences};
  return map;
}

// Every TEXT column of every table run through the recognisers, row by row.
PlaceMap ExpectedPlaces(const std::string& path) {
  PlaceMap expected;
  for (const auto& table :
       RawQuery(path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
    const std::string name = table["name"];
    for (const auto& column :
         RawQuery(path, "SELECT name, type FROM pragma_table_info(?1)", {name})) {
      if (column["type"] != "TEXT") continue;
      const std::string place = name + "." + column["name"].get<std::string>();
      for (const auto& row : RawQuery(path, "SELECT * FROM \"" + name + "\"")) {
        const nlohmann::json& value = row[column["name"].get<std::string>()];
        if (!value.is_string()) continue;
        const Detection detection = DetectPersonalData(value.get<std::string>());
        if (detection.occurrences == 0) continue;
        expected[place].first.insert(detection.kinds.begin(), detection.kinds.end());
        expected[place].second += detection.occurrences;
      }
    }
  }
  return expected;
}

long long CountOf(const std::string& path, const std::string& sql) {
  return RawQuery(path, sql).at(0).at("n").get<long long>();
}

}  // namespace

TEST_SUITE("SqlConnector discover") {
  TEST_CASE("reports where the sample CRM holds personal data, as the recognisers see it") {
    const auto places = MustDiscover(*SampleCrmCopy().Connect());
    CHECK(ToMap(places) == ExpectedPlaces(SampleCrmPath()));
    REQUIRE(places.size() == 2);
    CHECK(places[0].place == "customers.email");
    CHECK(places[0].kinds == std::set<std::string>{"email"});
    CHECK(places[0].occurrences == CountOf(SampleCrmPath(), "SELECT count(*) AS n FROM customers"));
    CHECK(places[1].place == "customers.phone");
    CHECK(places[1].kinds == std::set<std::string>{"phone"});
  }

  TEST_CASE("scans tables the config does not name, with quoted identifiers, text values only") {
    SampleCrmCopy crm;
    RawExec(crm.path(), kWebLog);
    const TableDump before = DumpTables(crm.path());
    const auto places = MustDiscover(*crm.Connect());
    const PersonalDataPlace* ip = Find(places, "web log.client \"ip\"");
    REQUIRE(ip != nullptr);
    CHECK(ip->kinds == std::set<std::string>{"ip_address"});
    CHECK(ip->occurrences == 2);
    const PersonalDataPlace* payload = Find(places, "web log.payload");
    REQUIRE(payload != nullptr);
    CHECK(payload->kinds == std::set<std::string>{"email", "iban", "phone"});
    CHECK(payload->occurrences == 4);
    CHECK(Find(places, "web log.hits") == nullptr);  // an integer column, though phone-like
    CHECK(Find(places, "web log.note") == nullptr);
    CHECK(Find(places, "products.name") == nullptr);
    CHECK(DumpTables(crm.path()) == before);
  }

  TEST_CASE("reads at most discover.sample_rows rows of each table") {
    SampleCrmCopy crm;
    nlohmann::json config = crm.Config();
    config["discover"] = {{"sample_rows", 7}};
    auto connector = NewConnector(config, "worker-crm.yaml");
    REQUIRE(connector.ok());
    const auto places = MustDiscover(**connector);
    const PersonalDataPlace* emails = Find(places, "customers.email");
    REQUIRE(emails != nullptr);
    CHECK(emails->occurrences == 7);
  }

  TEST_CASE("names no value, and a table that looks like SQL is only ever quoted") {
    SampleCrmCopy crm;
    RawExec(crm.path(), R"sql(
      CREATE TABLE "x""; DROP TABLE customers; --" ("a'b" TEXT);
      INSERT INTO "x""; DROP TABLE customers; --" VALUES ('mail me: eve@example.net');
    )sql");
    const auto places = MustDiscover(*crm.Connect());
    const PersonalDataPlace* odd = Find(places, "x\"; DROP TABLE customers; --.a'b");
    REQUIRE(odd != nullptr);
    CHECK(odd->occurrences == 1);
    for (const auto& place : places) CHECK(place.place.find('@') == std::string::npos);
    CHECK(CountOf(crm.path(), "SELECT count(*) AS n FROM customers") == 400);
  }

  TEST_CASE("the config refuses a sample size out of bounds and unknown discover keys") {
    for (const nlohmann::json& discover :
         {nlohmann::json{{"sample_rows", 0}}, nlohmann::json{{"sample_rows", 2000000}},
          nlohmann::json{{"rows", 10}}}) {
      CAPTURE(discover.dump());
      nlohmann::json config = ExampleCrmConnectorConfig("/nonexistent.db");
      config["discover"] = discover;
      auto connector = NewConnector(config, "worker-crm.yaml");
      REQUIRE_FALSE(connector.ok());
      CHECK(connector.status().code() == StatusCode::kValidation);
    }
  }
}

}  // namespace dsr::connectors::testing
