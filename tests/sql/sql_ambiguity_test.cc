// Confirmed and ambiguous records: a record that matches one identity of the
// request while another one contradicts it may be someone else's, and so may
// everything reached only from it.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "common/config_file.h"
#include "connectors/connector.h"
#include "tests/sql/sample_crm_fixture.h"
#include "tests/sql/sql_test_support.h"

namespace dsr::connectors::testing {
namespace {

// The ids a plain query finds, as the key texts the connector reports.
std::multiset<std::string> KeysOf(const std::string& path, const std::string& sql,
                                  const std::vector<std::string>& params) {
  std::multiset<std::string> keys;
  for (const auto& row : RawQuery(path, sql, params)) {
    keys.insert(std::to_string(row["id"].get<long long>()));
  }
  return keys;
}

// Per table, the queries for one customer's rows (?1 = the customer's id).
const std::map<std::string, std::string>& RowsOfCustomer() {
  static const std::map<std::string, std::string> kQueries = {
      {"customers", "SELECT id FROM customers WHERE id = ?1"},
      {"orders", "SELECT id FROM orders WHERE customer_id = ?1"},
      {"order_lines",
       "SELECT id FROM order_lines WHERE order_id IN (SELECT id FROM orders WHERE customer_id = "
       "?1)"},
      {"invoices",
       "SELECT id FROM invoices WHERE customer_id = ?1 OR order_id IN (SELECT id FROM orders "
       "WHERE customer_id = ?1)"},
      {"payments",
       "SELECT id FROM payments WHERE invoice_id IN (SELECT id FROM invoices WHERE customer_id = "
       "?1 OR order_id IN (SELECT id FROM orders WHERE customer_id = ?1))"},
      {"support_notes", "SELECT id FROM support_notes WHERE customer_id = ?1"}};
  return kQueries;
}

struct Split {
  std::multiset<std::string> confirmed;
  std::multiset<std::string> ambiguous;
};

Split SplitOf(const CollectingSink& sink, const std::string& table) {
  Split split;
  for (const auto& found : sink.Found(table)) {
    REQUIRE(found.key.has_value());
    CHECK(found.record["id"] == std::stoll(*found.key));
    (found.match == Match::kConfirmed ? split.confirmed : split.ambiguous).insert(*found.key);
  }
  return split;
}

}  // namespace

TEST_SUITE("SqlConnector ambiguity on the sample CRM") {
  TEST_CASE("a phone shared with another customer makes that customer and its rows ambiguous") {
    SampleCrmCopy crm;
    const auto& sample = SampleCustomerOf("shares-phone-with:");
    const std::string partner = sample.reason.substr(sample.reason.find(':') + 1);
    const std::string own_id = std::to_string(CustomerIdIn(crm.path(), sample.customer_number));
    const std::string other_id = std::to_string(CustomerIdIn(crm.path(), partner));
    const Subject subject = {{"email", sample.email}, {"phone", sample.phone}};
    auto connector = crm.Connect();
    CollectingSink sink;
    REQUIRE(connector->Export(subject, sink).ok());
    auto report = connector->Locate(subject);
    REQUIRE(report.ok());
    for (const auto& [table, query] : RowsOfCustomer()) {
      INFO("table " << table);
      const Split split = SplitOf(sink, table);
      CHECK(split.confirmed == KeysOf(crm.path(), query, {own_id}));
      CHECK(split.ambiguous == KeysOf(crm.path(), query, {other_id}));
      const auto confirmed = report->confirmed.find(table);
      CHECK((confirmed == report->confirmed.end() ? 0 : confirmed->second) ==
            static_cast<int64_t>(split.confirmed.size()));
      const auto ambiguous = report->ambiguous.find(table);
      CHECK((ambiguous == report->ambiguous.end() ? 0 : ambiguous->second) ==
            static_cast<int64_t>(split.ambiguous.size()));
    }
    const auto customers = sink.Found("customers");
    REQUIRE(customers.size() == 2);
    for (const auto& found : customers) {
      if (found.match == Match::kAmbiguous) {
        CHECK(found.ambiguity == "matches phone; email differs");
      } else {
        CHECK(found.ambiguity.empty());
      }
    }
    for (const auto& found : sink.Found("orders")) {
      if (found.match == Match::kAmbiguous) {
        CHECK(found.ambiguity == "refers to an ambiguous customers row");
      }
    }
    CHECK_FALSE(report->ambiguous.at("orders") == 0);
  }

  TEST_CASE("an e-mail alone is never ambiguous, and reasons never carry values") {
    SampleCrmCopy crm;
    const auto& sample = SampleCustomerOf("shares-phone-with:");
    auto connector = crm.Connect();
    auto report = connector->Locate({{"email", sample.email}});
    REQUIRE(report.ok());
    CHECK(report->ambiguous.empty());
    CHECK(report->confirmed.at("customers") == 1);
    CollectingSink sink;
    REQUIRE(connector->Export({{"email", sample.email}, {"phone", sample.phone}}, sink).ok());
    for (const auto& table : sink.Collections()) {
      for (const auto& found : sink.Found(table)) {
        CHECK(found.ambiguity.find(sample.phone) == std::string::npos);
        CHECK(found.ambiguity.find('@') == std::string::npos);
      }
    }
  }

  TEST_CASE("the phone alone confirms both customers: nothing contradicts either") {
    SampleCrmCopy crm;
    const auto& sample = SampleCustomerOf("shares-phone-with:");
    auto report = crm.Connect()->Locate({{"phone", sample.phone}});
    REQUIRE(report.ok());
    CHECK(report->confirmed.at("customers") == 2);
    CHECK(report->ambiguous.empty());
  }
}

TEST_SUITE("SqlConnector ambiguity on fixtures") {
  // Two people share a phone; tags hang from people without a key; the
  // newsletter has no key but identities of its own.
  constexpr char kSchema[] = R"sql(
    CREATE TABLE people (id INTEGER PRIMARY KEY, email TEXT, phone TEXT);
    CREATE TABLE orders (id INTEGER PRIMARY KEY, person_id INTEGER, buyer_id INTEGER);
    CREATE TABLE tags (person_id INTEGER, tag TEXT);
    CREATE TABLE newsletter (address TEXT, phone TEXT, list TEXT);
    INSERT INTO people VALUES (1, 'anna@example.com', '030 111'), (2, 'ben@example.com', '030-111'),
                              (3, 'cara@example.com', NULL), (4, NULL, '030 111');
    INSERT INTO orders VALUES (10, 1, NULL), (11, 2, NULL), (12, 2, 1), (13, 3, NULL);
    INSERT INTO tags VALUES (1, 'vip'), (2, 'new'), (4, 'old');
    INSERT INTO newsletter VALUES ('anna@example.com', '030111', 'weekly'),
                                  ('other@example.com', '030 111', 'offers'),
                                  ('anna@example.com', '', 'daily');
  )sql";

  constexpr char kConfig[] = R"yaml(
kind: sql
connection: "sqlite3://db=PATH"
tables:
  - name: people
    key: id
    identities: {email: email, phone: {column: phone, match: digits}}
  - name: orders
    key: id
    references: [{column: person_id, table: people}, {column: buyer_id, table: people}]
  - name: tags
    references: [{column: person_id, table: people}]
  - name: newsletter
    identities: {email: address, phone: {column: phone, match: digits}}
)yaml";

  std::unique_ptr<Connector> Build(const std::string& path) {
    auto config = YamlToJson(kConfig);
    REQUIRE(config.ok());
    config.value()["connection"] = "sqlite3://db=" + path;
    auto connector = NewConnector(config.value(), "test.yaml");
    REQUIRE_MESSAGE(connector.ok(), connector.status().ToString());
    return std::move(connector.value());
  }

  TEST_CASE("empty values contradict nothing; reached from one confirmed row is confirmed") {
    TempDir dir;
    RawExec(dir.File("db"), kSchema);
    auto connector = Build(dir.File("db"));
    CollectingSink sink;
    REQUIRE(connector->Export({{"email", "anna@example.com"}, {"phone", "030111"}}, sink).ok());
    std::map<std::string, std::pair<Match, std::string>> people;
    for (const auto& found : sink.Found("people"))
      people[*found.key] = {found.match, found.ambiguity};
    // Person 4 has no e-mail at all: nothing contradicts the phone.
    CHECK(people == std::map<std::string, std::pair<Match, std::string>>{
                        {"1", {Match::kConfirmed, ""}},
                        {"2", {Match::kAmbiguous, "matches phone; email differs"}},
                        {"4", {Match::kConfirmed, ""}}});
    std::map<std::string, Match> orders;
    for (const auto& found : sink.Found("orders")) orders[*found.key] = found.match;
    // Order 12 belongs to Ben but Anna bought it: reached from a confirmed row.
    CHECK(orders == std::map<std::string, Match>{{"10", Match::kConfirmed},
                                                 {"11", Match::kAmbiguous},
                                                 {"12", Match::kConfirmed}});
    for (const auto& found : sink.Found("tags")) {
      CHECK_FALSE(found.key.has_value());
      const bool ben = found.record["person_id"] == 2;
      CHECK(found.match == (ben ? Match::kAmbiguous : Match::kConfirmed));
      if (ben) CHECK(found.ambiguity == "refers to an ambiguous people row");
    }
    std::multiset<std::string> newsletter;
    for (const auto& found : sink.Found("newsletter")) {
      newsletter.insert(found.record["list"].get<std::string>() + ":" + found.ambiguity);
    }
    CHECK(newsletter ==
          std::multiset<std::string>{"daily:", "offers:matches phone; email differs", "weekly:"});
    auto report = connector->Locate({{"email", "anna@example.com"}, {"phone", "030111"}});
    REQUIRE(report.ok());
    CHECK(report->confirmed == std::map<std::string, int64_t>{
                                   {"people", 2}, {"orders", 2}, {"tags", 2}, {"newsletter", 2}});
    CHECK(report->ambiguous == std::map<std::string, int64_t>{
                                   {"people", 1}, {"orders", 1}, {"tags", 1}, {"newsletter", 1}});
  }

  TEST_CASE("identities that all contradict each other leave every row ambiguous, with reasons") {
    TempDir dir;
    RawExec(dir.File("db"), kSchema);
    auto connector = Build(dir.File("db"));
    CollectingSink sink;
    REQUIRE(connector->Export({{"email", "cara@example.com"}, {"phone", "030 111"}}, sink).ok());
    std::map<std::string, std::string> reasons;
    for (const auto& found : sink.Found("people")) reasons[*found.key] = found.ambiguity;
    CHECK(reasons == std::map<std::string, std::string>{{"1", "matches phone; email differs"},
                                                        {"2", "matches phone; email differs"},
                                                        {"3", ""},
                                                        {"4", ""}});
  }
}

}  // namespace dsr::connectors::testing
