// Erasure and rectification against a real MariaDB server with the sample
// CRM, whose InnoDB foreign keys refuse any step out of order: customers
// anonymized, orders, order lines and notes deleted, invoices and payments
// retained, and how refusals, locks and outages of the server are reported.
// Expected rows and dates come from plain SQL run through the C API.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "common/config_file.h"
#include "connectors/connector.h"
#include "tests/sql/mariadb_sample_crm.h"

namespace dsr::connectors::testing {
namespace {

using KeySet = std::set<std::string>;
using RetainedKeys = std::map<std::string, std::map<std::string, KeySet>>;

// The end of an 8-year period that starts at the end of the date's year.
std::string Until(const std::string& column) {
  return "CONCAT(YEAR(" + column + ") + 8, '-12-31')";
}

KeySet Ids(const MariaDbCrm& crm, const std::string& sql, const std::string& customer) {
  KeySet ids;
  for (const auto& row : crm.Query(sql, {customer})) {
    ids.insert(std::to_string(row["id"].get<long long>()));
  }
  return ids;
}

struct Expected {
  std::map<std::string, KeySet> rows;  // table → the customer's row ids
  RetainedKeys retained;
};

Expected ExpectedErasure(const MariaDbCrm& crm, long long customer_id) {
  const std::string id = std::to_string(customer_id);
  const std::string orders = "SELECT id FROM orders WHERE customer_id = ?1";
  const std::string invoices =
      "SELECT id FROM invoices WHERE customer_id = ?1 OR order_id IN (" + orders + ")";
  Expected expected;
  expected.rows = {
      {"customers", Ids(crm, "SELECT id FROM customers WHERE id = ?1", id)},
      {"orders", Ids(crm, orders, id)},
      {"order_lines",
       Ids(crm, "SELECT id FROM order_lines WHERE order_id IN (" + orders + ")", id)},
      {"invoices", Ids(crm, invoices, id)},
      {"payments", Ids(crm, "SELECT id FROM payments WHERE invoice_id IN (" + invoices + ")", id)},
      {"support_notes", Ids(crm, "SELECT id FROM support_notes WHERE customer_id = ?1", id)}};
  // An invoice is kept as long as its latest payment; an order as its latest invoice.
  const std::string invoice_until = "SELECT i.id, GREATEST(" + Until("i.issued_on") +
                                    ", COALESCE((SELECT MAX(" + Until("p.paid_on") +
                                    ") FROM payments p WHERE p.invoice_id = i.id), '')) AS until " +
                                    "FROM invoices i WHERE i.id IN (" + invoices + ")";
  const std::map<std::string, std::string> until = {
      {"payments", "SELECT id, " + Until("paid_on") +
                       " AS until FROM payments WHERE invoice_id IN (" + invoices + ")"},
      {"invoices", invoice_until},
      {"orders", "SELECT i.order_id AS id, MAX(u.until) AS until FROM (" + invoice_until +
                     ") u JOIN invoices i ON i.id = u.id WHERE i.order_id IS NOT NULL "
                     "GROUP BY i.order_id"}};
  for (const auto& [table, sql] : until) {
    for (const auto& row : crm.Query(sql, {id})) {
      expected.retained[table][row["until"].get<std::string>()].insert(
          std::to_string(row["id"].get<long long>()));
    }
  }
  return expected;
}

RetainedKeys RetainedOf(const std::vector<CollectionOutcome>& outcomes) {
  RetainedKeys retained;
  for (const auto& outcome : outcomes) {
    if (outcome.kind != OutcomeKind::kRetained) continue;
    REQUIRE(outcome.retained_until.has_value());
    auto& keys = retained[outcome.collection][outcome.retained_until->ToString()];
    keys.insert(outcome.keys.begin(), outcome.keys.end());
  }
  return retained;
}

bool Kept(const RetainedKeys& retained, const std::string& table, const std::string& id) {
  const auto by_date = retained.find(table);
  if (by_date == retained.end()) return false;
  for (const auto& [date, keys] : by_date->second) {
    if (keys.count(id) != 0) return true;
  }
  return false;
}

nlohmann::json RowById(const TableDump& dump, const std::string& table, const std::string& id) {
  for (const auto& row : dump.at(table)) {
    if (std::to_string(row["id"].get<long long>()) == id) return row;
  }
  return nullptr;
}

// The dump without the rows in `excluded` (table → ids).
TableDump Without(TableDump dump, const std::map<std::string, KeySet>& excluded) {
  for (auto& [table, rows] : dump) {
    const auto skip = excluded.find(table);
    if (skip == excluded.end()) continue;
    rows.erase(
        std::remove_if(rows.begin(), rows.end(),
                       [&](const nlohmann::json& row) {
                         return skip->second.count(std::to_string(row["id"].get<long long>())) != 0;
                       }),
        rows.end());
  }
  return dump;
}

struct PhoneSharers {
  const sample_crm::SampleCustomer& sample = SampleCustomerOf("shares-phone-with:");
  std::string partner = sample.reason.substr(sample.reason.find(':') + 1);
  Subject subject = {{"email", sample.email}, {"phone", sample.phone}};
};

std::vector<CollectionOutcome> MustErase(Connector& connector, const Subject& subject,
                                         const ActionScope& scope, RecordSink& untouched) {
  auto outcomes = connector.Erase(subject, scope, untouched);
  REQUIRE_MESSAGE(outcomes.ok(), outcomes.status().ToString());
  return outcomes.value();
}

// The customer row after the same erasure of the SQLite sample, same key.
nlohmann::json ErasedOnSqlite(const Subject& subject, long long customer_id) {
  SampleCrmCopy crm;
  CollectingSink untouched;
  MustErase(*crm.Connect(), subject, {}, untouched);
  return RowById(DumpTables(crm.path()), "customers", std::to_string(customer_id));
}

void CheckAnonymizedCustomer(const nlohmann::json& before, const nlohmann::json& after) {
  for (const char* hashed : {"customer_number", "email"}) {
    const std::string value = after[hashed];
    CHECK(value.rfind("anon:", 0) == 0);
    CHECK(value.size() == 5 + 64);
  }
  CHECK(after["first_name"] == "anonymisiert");
  CHECK(after["last_name"] == "anonymisiert");
  for (const char* cleared : {"phone", "street", "postal_code", "city", "birth_date"}) {
    CHECK(after[cleared].is_null());
  }
  for (const char* kept : {"id", "country", "created_at", "marketing_consent"}) {
    CHECK(after[kept] == before[kept]);
  }
}

}  // namespace

TEST_SUITE("SqlConnector erasure on MariaDB") {
  TEST_CASE("anonymizes the customer, deletes and retains the rest in foreign-key order") {
    MariaDbCrm crm;
    PhoneSharers people;
    const long long own = crm.CustomerId(people.sample.customer_number);
    const Expected expected = ExpectedErasure(crm, own);
    const Expected others = ExpectedErasure(crm, crm.CustomerId(people.partner));
    REQUIRE_FALSE(expected.retained.at("orders").empty());
    const TableDump before = crm.Dump();
    auto connector = crm.Connect();
    CollectingSink untouched;
    const auto outcomes = MustErase(*connector, people.subject, {}, untouched);
    const TableDump after = crm.Dump();

    CHECK(RetainedOf(outcomes) == expected.retained);
    const nlohmann::json customer = RowById(after, "customers", std::to_string(own));
    CheckAnonymizedCustomer(RowById(before, "customers", std::to_string(own)), customer);
    const nlohmann::json on_sqlite = ErasedOnSqlite(people.subject, own);
    CHECK(customer["email"] == on_sqlite["email"]);  // the same key gives the same hash
    CHECK(customer["customer_number"] == on_sqlite["customer_number"]);
    for (const auto& order : expected.rows.at("orders")) {
      CHECK(RowById(after, "orders", order).is_null() == !Kept(expected.retained, "orders", order));
    }
    for (const char* table : {"order_lines", "support_notes"}) {
      for (const auto& id : expected.rows.at(table)) CHECK(RowById(after, table, id).is_null());
    }
    for (const char* table : {"invoices", "payments"}) {
      for (const auto& id : expected.rows.at(table)) {
        nlohmann::json row = RowById(after, table, id);
        CHECK(row["processing_restricted"] == 1);
        row["processing_restricted"] = 0;
        CHECK(row == RowById(before, table, id));
      }
    }
    CHECK(Without(after, expected.rows) == Without(before, expected.rows));
    for (const auto& [table, ids] : others.rows) {
      KeySet reported;
      for (const auto& found : untouched.Found(table)) reported.insert(*found.key);
      CHECK(reported == ids);
    }
    CollectingSink again;
    for (const auto& outcome : MustErase(*connector, people.subject, {}, again)) {
      CHECK(outcome.kind == OutcomeKind::kNotFound);
    }
    CHECK(crm.Dump() == after);
  }

  TEST_CASE("when the period ends, kOnly with retention_ended deletes exactly the named rows") {
    MariaDbCrm crm;
    auto connector = crm.Connect();
    CollectingSink untouched;
    const RetainedKeys retained =
        RetainedOf(MustErase(*connector, PhoneSharers().subject, {}, untouched));
    ActionScope ended;
    ended.mode = ActionScope::Mode::kOnly;
    ended.retention_ended = true;
    for (const auto& [table, by_date] : retained) {
      for (const auto& [date, keys] : by_date)
        ended.selection[table].insert(keys.begin(), keys.end());
    }
    const TableDump before = crm.Dump();
    const auto outcomes = MustErase(*connector, {}, ended, untouched);
    const TableDump after = crm.Dump();
    for (const auto& [table, keys] : ended.selection) {
      int64_t erased = 0;
      for (const auto& outcome : outcomes) {
        if (outcome.collection == table && outcome.kind == OutcomeKind::kErased) {
          erased += outcome.records;
        }
      }
      CHECK(erased == static_cast<int64_t>(keys.size()));
      for (const auto& key : keys) CHECK(RowById(after, table, key).is_null());
    }
    CHECK(Without(after, ended.selection) == Without(before, ended.selection));
  }

  TEST_CASE("identities and selection keys that look like SQL erase nothing") {
    MariaDbCrm crm;
    const TableDump before = crm.Dump();
    auto connector = crm.Connect();
    CollectingSink untouched;
    for (const std::string attack : {"' OR 1=1 -- ", "\\' OR 1=1 #", "1 OR 1=1", ":p0"}) {
      const Subject subject = {
          {"email", attack}, {"phone", attack}, {"name", attack}, {"customer_id", attack}};
      for (const auto& outcome : MustErase(*connector, subject, {}, untouched)) {
        CHECK(outcome.kind == OutcomeKind::kNotFound);
      }
      ActionScope only;
      only.mode = ActionScope::Mode::kOnly;
      only.retention_ended = true;
      only.selection = {{"orders", {attack}}, {"customers", {attack, "1) OR (1=1"}}};
      for (const auto& outcome : MustErase(*connector, {}, only, untouched)) {
        CHECK(outcome.kind == OutcomeKind::kNotFound);
      }
    }
    CHECK(crm.Dump() == before);
  }

  TEST_CASE("a row outside the config that still refers to an order rolls everything back") {
    MariaDbCrm crm;
    PhoneSharers people;
    const Expected expected = ExpectedErasure(crm, crm.CustomerId(people.sample.customer_number));
    std::string deletable;
    for (const auto& order : expected.rows.at("orders")) {
      if (!Kept(expected.retained, "orders", order)) deletable = order;
    }
    REQUIRE_FALSE(deletable.empty());
    crm.Execute(
        "CREATE TABLE shipments (id INT PRIMARY KEY, order_id INT NOT NULL, "
        "FOREIGN KEY (order_id) REFERENCES orders (id)) ENGINE=InnoDB");
    crm.Execute("INSERT INTO shipments VALUES (1, " + deletable + ")");
    const TableDump before = crm.Dump();
    CollectingSink untouched;
    auto outcomes = crm.Connect()->Erase(people.subject, {}, untouched);
    CHECK(outcomes.status().code() == StatusCode::kConflict);
    CHECK(crm.Dump() == before);
  }

  TEST_CASE("each value gets the keyed hash of its own bytes, though the collation sees one") {
    TempDir dir;
    WriteFile(dir.File("key"), std::string(40, 'k'));
    auto config = YamlToJson(R"yaml(
kind: sql
connection: "mysql://db=PATH"
anonymize_key_file: KEY
tables:
  - name: newsletter
    key: id
    identities: {email: {column: address, match: case_insensitive}}
    erasure: {strategy: anonymize, anonymize: {address: {with: keyed_hash}}}
)yaml");
    REQUIRE(config.ok());
    config.value()["anonymize_key_file"] = dir.File("key");
    auto fixture = BuildMariaDbFixture(
        {"CREATE TABLE newsletter (id INT PRIMARY KEY, address VARCHAR(100))",
         "INSERT INTO newsletter VALUES (1, 'Anna@example.com'), (2, 'anna@example.com'), "
         "(3, 'ben@example.com')"},
        config.value());
    CollectingSink untouched;
    const auto outcomes =
        MustErase(*fixture.connector, {{"email", "anna@example.com"}}, {}, untouched);
    REQUIRE(outcomes.size() == 1);
    CHECK(outcomes[0].kind == OutcomeKind::kAnonymized);
    CHECK(outcomes[0].records == 2);
    const auto rows = MariaDbServer::Shared().Query(fixture.database,
                                                    "SELECT address FROM newsletter ORDER BY id");
    REQUIRE(rows.size() == 3);
    CHECK(rows[0]["address"].get<std::string>().rfind("anon:", 0) == 0);
    CHECK(rows[1]["address"].get<std::string>().rfind("anon:", 0) == 0);
    CHECK(rows[0]["address"] != rows[1]["address"]);
    CHECK(rows[2]["address"] == "ben@example.com");
  }
}

TEST_SUITE("SqlConnector rectification and failures on MariaDB") {
  TEST_CASE("writes the corrected parts into the subject's row only, reporting the other") {
    MariaDbCrm crm;
    PhoneSharers people;
    const std::string own = std::to_string(crm.CustomerId(people.sample.customer_number));
    const TableDump before = crm.Dump();
    const Corrections corrections = {
        {"email", "Neue.Adresse@example.net"},
        {"name", {{"family", "Öztürk-Schulz"}}},
        {"postal_address", {{"street", "Neue Straße 5"}, {"city", "Berlin"}}}};
    CollectingSink untouched;
    auto outcomes = crm.Connect()->Rectify(people.subject, corrections, {}, untouched);
    REQUIRE_MESSAGE(outcomes.ok(), outcomes.status().ToString());
    for (const auto& outcome : *outcomes) {
      CHECK(outcome.kind == (outcome.collection == "customers" ? OutcomeKind::kUpdated
                                                               : OutcomeKind::kNotApplicable));
    }
    TableDump expected = before;
    for (auto& row : expected["customers"]) {
      if (std::to_string(row["id"].get<long long>()) != own) continue;
      row["email"] = "Neue.Adresse@example.net";
      row["last_name"] = "Öztürk-Schulz";
      row["street"] = "Neue Straße 5";
      row["city"] = "Berlin";
    }
    CHECK(crm.Dump() == expected);
    REQUIRE(untouched.Found("customers").size() == 1);
    CHECK(untouched.Found("customers")[0].attributes.at("customer_id") == people.partner);
  }

  TEST_CASE("a change the database refuses is kConflict, names no value, and changes nothing") {
    MariaDbCrm crm;
    const auto& sample = SampleCustomerOf("typical");
    const std::string taken = SampleCustomerOf("mixed-case-email").email;  // unique, any case
    const TableDump before = crm.Dump();
    auto connector = crm.Connect();
    CollectingSink untouched;
    for (const Corrections& refused :
         {Corrections{{"email", taken}}, Corrections{{"phone", std::string(60, '1')}}}) {
      auto outcomes =
          connector->Rectify({{"customer_id", sample.customer_number}}, refused, {}, untouched);
      CHECK(outcomes.status().code() == StatusCode::kConflict);
      CHECK(outcomes.status().message().find('@') == std::string::npos);
    }
    CHECK(crm.Dump() == before);
  }

  TEST_CASE("a lock held too long and an unreachable server are kUnavailable, and retry works") {
    MariaDbCrm crm;
    const auto& sample = SampleCustomerOf("typical");
    const std::string id = std::to_string(crm.CustomerId(sample.customer_number));
    crm.server().Execute("", "SET GLOBAL innodb_lock_wait_timeout = 1");
    auto connector = crm.Connect();  // its first action opens a session with the short timeout
    const Subject subject = {{"customer_id", sample.customer_number}};
    CollectingSink untouched;
    {
      MariaDbLockHolder lock(crm.server(), crm.database(),
                             "SELECT * FROM customers WHERE id = " + id + " FOR UPDATE");
      CHECK(connector->Erase(subject, {}, untouched).status().code() == StatusCode::kUnavailable);
    }
    crm.server().Execute("", "SET GLOBAL innodb_lock_wait_timeout = 50");
    MustErase(*connector, subject, {}, untouched);
    nlohmann::json config = crm.Config();
    config["connection"] = "mysql://db=" + crm.database() +
                           " host=127.0.0.1 port=1 user=dsr password=x connect_timeout=2";
    auto unreachable = NewConnector(config, "worker-crm.yaml");
    REQUIRE(unreachable.ok());
    CHECK((*unreachable)->Locate(subject).status().code() == StatusCode::kUnavailable);
  }
}

}  // namespace dsr::connectors::testing
