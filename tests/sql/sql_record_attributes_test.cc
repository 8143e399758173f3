// FoundRecord::attributes: what a row of a table with identities says about
// the subject, as stored, so that the coordinator can compare sources.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "common/config_file.h"
#include "connectors/connector.h"
#include "tests/sql/sample_crm_fixture.h"
#include "tests/sql/sql_test_support.h"

namespace dsr::connectors::testing {
namespace {

using Attributes = std::map<std::string, std::string>;

// The attributes a customers row must carry under the example config,
// computed from the row itself.
Attributes ExpectedOf(const nlohmann::json& row) {
  Attributes expected = {
      {"email", row["email"]},
      {"name", row["first_name"].get<std::string>() + " " + row["last_name"].get<std::string>()},
      {"customer_id", row["customer_number"]},
      {"postal_address",
       row["street"].get<std::string>() + ", " + row["postal_code"].get<std::string>() + " " +
           row["city"].get<std::string>() + ", " + row["country"].get<std::string>()}};
  if (row["phone"].is_string()) expected["phone"] = row["phone"];
  return expected;
}

}  // namespace

TEST_SUITE("SqlConnector record attributes") {
  TEST_CASE("exported customers carry their attributes as stored; other tables carry none") {
    SampleCrmCopy crm;
    const auto& sample = SampleCustomerOf("mixed-case-email");
    CollectingSink sink;
    REQUIRE(crm.Connect()->Export({{"customer_id", sample.customer_number}}, sink).ok());
    const auto customers = sink.Found("customers");
    REQUIRE(customers.size() == 1);
    CHECK(customers[0].attributes == ExpectedOf(customers[0].record));
    CHECK(customers[0].attributes.at("email") != sample.email);  // stored in mixed case
    for (const auto& table : sink.Collections()) {
      if (table == "customers") continue;
      for (const auto& found : sink.Found(table)) CHECK(found.attributes.empty());
    }
  }

  TEST_CASE("records an erasure leaves untouched carry their attributes too") {
    SampleCrmCopy crm;
    const auto& sample = SampleCustomerOf("shares-phone-with:");
    const std::string partner = sample.reason.substr(sample.reason.find(':') + 1);
    CollectingSink untouched;
    auto outcomes =
        crm.Connect()->Erase({{"email", sample.email}, {"phone", sample.phone}}, {}, untouched);
    REQUIRE(outcomes.ok());
    const auto customers = untouched.Found("customers");
    REQUIRE(customers.size() == 1);
    CHECK(customers[0].attributes.at("customer_id") == partner);
    CHECK(customers[0].attributes == ExpectedOf(customers[0].record));
  }

  TEST_CASE("NULL and blank parts are left out; rectify columns stand in for missing identities") {
    TempDir dir;
    RawExec(dir.File("db"), R"sql(
      CREATE TABLE people (id INTEGER PRIMARY KEY, mail TEXT, given TEXT, family TEXT,
                           street TEXT, zip TEXT, town TEXT, land TEXT, number INTEGER);
      INSERT INTO people VALUES (1, 'anna@example.com', 'Anna', NULL, NULL, '10115', 'Berlin', 'DE', 17),
                                (2, 'ben@example.com', '  ', 'Berg', ' ', NULL, NULL, NULL, NULL);
    )sql");
    auto config = YamlToJson(R"yaml(
kind: sql
connection: "sqlite3://db=PATH"
tables:
  - name: people
    key: id
    identities: {email: mail, customer_id: number}
    rectify: {name: {given: given, family: family}, postal_address: {street: street, postal_code: zip, city: town, country: land}}
)yaml");
    REQUIRE(config.ok());
    config.value()["connection"] = "sqlite3://db=" + dir.File("db");
    auto connector = NewConnector(config.value(), "test.yaml");
    REQUIRE(connector.ok());
    CollectingSink sink;
    REQUIRE((*connector)->Export({{"email", "anna@example.com"}}, sink).ok());
    REQUIRE((*connector)->Export({{"email", "ben@example.com"}}, sink).ok());
    const auto people = sink.Found("people");
    REQUIRE(people.size() == 2);
    CHECK(people[0].attributes == Attributes{{"email", "anna@example.com"},
                                             {"name", "Anna"},
                                             {"customer_id", "17"},
                                             {"postal_address", "10115 Berlin, DE"}});
    CHECK(people[1].attributes == Attributes{{"email", "ben@example.com"}, {"name", "Berg"}});
  }
}

}  // namespace dsr::connectors::testing
