// Config checks of the SQL connector, through the connector factory as the
// worker uses it: every error names the config key it is about.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "common/config_file.h"
#include "connectors/connector.h"
#include "connectors/sql/sql_connector.h"
#include "tests/sql/sql_test_support.h"

namespace dsr::connectors::testing {
namespace {

nlohmann::json ValidConfig() {
  auto config = YamlToJson(R"yaml(
kind: sql
connection: "sqlite3://db=/tmp/does-not-matter.db"
batch_size: 100
tables:
  - name: customers
    key: id
    identities:
      email: {column: email, match: case_insensitive}
      phone: {column: phone, match: digits}
      name: {columns: [first_name, last_name]}
      customer_id: customer_number
  - name: orders
    key: id
    references: [{column: customer_id, table: customers}]
  - name: order_lines
    references: [{column: order_id, table: orders}]
)yaml");
  REQUIRE(config.ok());
  return config.value();
}

// The error of building a connector from `config`, as one text: message and details.
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

TEST_SUITE("SqlConnector config") {
  TEST_CASE("a valid config builds a connector without touching the database") {
    auto connector = NewConnector(ValidConfig(), "worker.yaml");
    REQUIRE_MESSAGE(connector.ok(), connector.status().ToString());
    CHECK(connector.value()->kind() == "sql");
  }

  TEST_CASE("the example worker config for the sample CRM is valid") {
    const std::string path = ExampleCrmConfigPath();
    auto config = LoadConfigFile(path, "config/worker");
    REQUIRE_MESSAGE(config.ok(), config.status().ToString());
    CHECK(config.value()["source"] == "crm");
    CHECK(config.value()["coordinator"] == "tcp://127.0.0.1:5555");
    auto connector = NewConnector(config.value()["connector"], path);
    CHECK_MESSAGE(connector.ok(), connector.status().ToString());
  }

  TEST_CASE("an unknown referenced table") {
    nlohmann::json config = ValidConfig();
    config["tables"][1]["references"][0]["table"] = "custmers";
    const std::string error = ErrorOf(config);
    CHECK(Mentions(error, "worker.yaml: connector.tables[1].references[0].table"));
    CHECK(Mentions(error, "custmers"));
  }

  TEST_CASE("a table name that is not a plain identifier") {
    nlohmann::json config = ValidConfig();
    config["tables"][0]["name"] = "customers; drop table customers";
    CHECK(Mentions(ErrorOf(config), "connector.tables[0].name"));
  }

  TEST_CASE("a column name that is not a plain identifier") {
    nlohmann::json config = ValidConfig();
    config["tables"][0]["identities"]["email"]["column"] = "email\" OR 1=1 --";
    CHECK(Mentions(ErrorOf(config), "connector.tables[0].identities.email"));
  }

  TEST_CASE("a table no reference leads to") {
    nlohmann::json config = ValidConfig();
    config["tables"].push_back({{"name", "products"}, {"key", "id"}});
    const std::string error = ErrorOf(config);
    CHECK(Mentions(error, "connector.tables[3]"));
    CHECK(Mentions(error, "not reachable"));
  }

  TEST_CASE("a reference from parent to child does not make the parent reachable") {
    nlohmann::json config = ValidConfig();
    config["tables"].push_back({{"name", "products"}, {"key", "id"}});
    config["tables"][2]["references"].push_back({{"column", "product_id"}, {"table", "products"}});
    CHECK(Mentions(ErrorOf(config), "connector.tables[3]: table 'products' is not reachable"));
  }

  TEST_CASE("a table configured twice") {
    nlohmann::json config = ValidConfig();
    config["tables"][2]["name"] = "Orders";
    const std::string error = ErrorOf(config);
    CHECK(Mentions(error, "connector.tables[2].name"));
    CHECK(Mentions(error, "twice"));
  }

  TEST_CASE("a referenced table without a key") {
    nlohmann::json config = ValidConfig();
    config["tables"][0].erase("key");
    CHECK(Mentions(ErrorOf(config), "connector.tables[0].key"));
  }

  TEST_CASE("a keyless table that can be reached in two ways") {
    nlohmann::json config = ValidConfig();
    config["tables"][2]["references"].push_back(
        {{"column", "customer_id"}, {"table", "customers"}});
    CHECK(Mentions(ErrorOf(config), "connector.tables[2].key"));
  }

  TEST_CASE("no table with identities") {
    nlohmann::json config = ValidConfig();
    config["tables"] = {{{"name", "orders"}, {"key", "id"}}};
    CHECK(Mentions(ErrorOf(config), "connector.tables: no table has identities"));
  }

  TEST_CASE("an identity attribute dsr does not know") {
    nlohmann::json config = ValidConfig();
    config["tables"][0]["identities"]["ssn"] = "ssn";
    CHECK(Mentions(ErrorOf(config), "connector.tables[0].identities"));
  }

  TEST_CASE("an unknown match mode") {
    nlohmann::json config = ValidConfig();
    config["tables"][0]["identities"]["email"]["match"] = "fuzzy";
    CHECK(Mentions(ErrorOf(config), "connector.tables[0].identities.email"));
  }

  TEST_CASE("an unknown key and an out-of-range batch size") {
    nlohmann::json config = ValidConfig();
    config["tables"][1]["erase"] = "delete";
    config["batch_size"] = 0;
    const std::string error = ErrorOf(config);
    CHECK(Mentions(error, "connector.tables[1]"));
    CHECK(Mentions(error, "connector.batch_size"));
  }

  TEST_CASE("a connection to a backend the connector does not speak") {
    nlohmann::json config = ValidConfig();
    config["connection"] = "postgresql://dbname=crm";
    CHECK(Mentions(ErrorOf(config), "connector.connection"));
  }

  TEST_CASE("an unknown connector kind") {
    nlohmann::json config = ValidConfig();
    config["kind"] = "nosql";
    const std::string error = ErrorOf(config);
    CHECK(Mentions(error, "worker.yaml"));
    CHECK(Mentions(error, "unknown connector kind 'nosql'"));
  }

  TEST_CASE("NewSqlConnector checks the schema itself when called directly") {
    nlohmann::json config = ValidConfig();
    config["tables"][0]["name"] = "customers; drop";
    auto connector = NewSqlConnector(config);
    REQUIRE_FALSE(connector.ok());
    CHECK(connector.status().code() == StatusCode::kValidation);
  }
}

}  // namespace dsr::connectors::testing
