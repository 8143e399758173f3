// The SQL connector against the sample CRM, configured by
// deploy/examples/worker-crm.yaml. Expected rows come from plain SQL written
// here, run through the SQLite C API, and are compared record by record.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "connectors/connector.h"
#include "tests/sql/sample_crm_fixture.h"
#include "tests/sql/sql_test_support.h"

namespace dsr::connectors::testing {
namespace {

using Records = std::vector<nlohmann::json>;

// The shared sample CRM (read only here).
struct SharedCrm {
  const std::string& path = SampleCrmPath();
};

const SharedCrm& Crm() {
  static const SharedCrm crm;
  return crm;
}

const sample_crm::SampleCustomer& Sample(const std::string& reason_prefix) {
  return SampleCustomerOf(reason_prefix);
}

std::unique_ptr<Connector> MakeConnector(const nlohmann::json& config) {
  auto connector = NewConnector(config, "worker-crm.yaml");
  REQUIRE_MESSAGE(connector.ok(), connector.status().ToString());
  return std::move(connector.value());
}

std::unique_ptr<Connector> ExampleConnector() {
  return MakeConnector(ExampleCrmConnectorConfig(Crm().path));
}

long long CustomerId(const std::string& customer_number) {
  const Records rows = RawQuery(Crm().path, "SELECT id FROM customers WHERE customer_number = ?1",
                                {customer_number});
  REQUIRE(rows.size() == 1);
  return rows[0]["id"].get<long long>();
}

// What an access request must return for these customers under the example
// config, written as one plain query per table.
std::map<std::string, Records> ExpectedRows(const std::vector<long long>& customer_ids) {
  std::string ids;
  for (long long id : customer_ids) ids += (ids.empty() ? "" : ", ") + std::to_string(id);
  const std::string orders = "SELECT id FROM orders WHERE customer_id IN (" + ids + ")";
  const std::string invoices =
      "SELECT id FROM invoices WHERE customer_id IN (" + ids + ") OR order_id IN (" + orders + ")";
  const std::map<std::string, std::string> where = {
      {"customers", "id IN (" + ids + ")"},
      {"orders", "customer_id IN (" + ids + ")"},
      {"order_lines", "order_id IN (" + orders + ")"},
      {"invoices", "id IN (" + invoices + ")"},
      {"payments", "invoice_id IN (" + invoices + ")"},
      {"support_notes", "customer_id IN (" + ids + ")"}};
  std::map<std::string, Records> expected;
  for (const auto& [table, condition] : where) {
    expected[table] =
        RawQuery(Crm().path, "SELECT * FROM " + table + " WHERE " + condition + " ORDER BY id");
  }
  return expected;
}

void CheckExport(const CollectingSink& sink, const std::map<std::string, Records>& expected) {
  for (const auto& [table, rows] : expected) {
    const Records exported = sink.Records(table);
    INFO("table " << table);
    REQUIRE(exported.size() == rows.size());
    for (size_t i = 0; i < rows.size(); ++i) CHECK(exported[i] == rows[i]);
  }
  const auto collections = sink.Collections();
  CHECK(std::find(collections.begin(), collections.end(), "products") == collections.end());
}

int64_t CountIn(const std::map<std::string, int64_t>& counts, const std::string& table) {
  const auto found = counts.find(table);
  if (found == counts.end()) return 0;
  CHECK(found->second > 0);  // collections without records are absent
  return found->second;
}

// Counts confirmed and ambiguous records together; the tests with ambiguity
// check the split.
void CheckLocate(Connector& connector, const Subject& subject,
                 const std::map<std::string, Records>& expected) {
  auto report = connector.Locate(subject);
  REQUIRE_MESSAGE(report.ok(), report.status().ToString());
  for (const auto& [table, rows] : expected) {
    INFO("table " << table);
    CHECK(CountIn(report->confirmed, table) + CountIn(report->ambiguous, table) ==
          static_cast<int64_t>(rows.size()));
  }
}

void CheckFinds(const Subject& subject, const std::vector<long long>& customer_ids) {
  auto connector = ExampleConnector();
  const auto expected = ExpectedRows(customer_ids);
  CheckLocate(*connector, subject, expected);
  CollectingSink sink;
  REQUIRE(connector->Export(subject, sink).ok());
  CheckExport(sink, expected);
}

std::string Upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

}  // namespace

TEST_SUITE("SqlConnector on the sample CRM") {
  TEST_CASE("finds a customer by e-mail in any case, with every row of every table and no other") {
    const auto& sample = Sample("mixed-case-email");
    CheckFinds({{"email", Upper(sample.email)}}, {CustomerId(sample.customer_number)});
    CheckFinds({{"email", sample.email}}, {CustomerId(sample.customer_number)});
  }

  TEST_CASE("finds a customer by phone written with other separators") {
    const auto& sample = Sample("typical");
    std::string digits;
    for (char c : sample.phone) {
      if (c == '+' || (c >= '0' && c <= '9')) digits += c;
    }
    const std::string rewritten =
        digits.substr(0, 4) + " / " + digits.substr(4, 3) + "-" + digits.substr(7) + " ";
    CheckFinds({{"phone", rewritten}}, {CustomerId(sample.customer_number)});
  }

  TEST_CASE("finds a customer by customer number") {
    const auto& sample = Sample("typical");
    CheckFinds({{"customer_id", sample.customer_number}}, {CustomerId(sample.customer_number)});
  }

  TEST_CASE("finds everyone with the name, in any case and spacing") {
    const auto& sample = Sample("non-ascii-name");
    std::vector<long long> ids;
    for (const auto& row : RawQuery(Crm().path,
                                    "SELECT id FROM customers WHERE first_name || ' ' || last_name "
                                    "= ?1 ORDER BY id",
                                    {sample.name})) {
      ids.push_back(row["id"].get<long long>());
    }
    REQUIRE_FALSE(ids.empty());
    const std::string spaced = "  " + Upper(sample.name.substr(0, sample.name.find(' '))) + "   " +
                               sample.name.substr(sample.name.find(' ') + 1);
    CheckFinds({{"name", spaced}}, ids);
  }

  TEST_CASE("a phone number shared by two customers finds both") {
    const auto& sample = Sample("shares-phone-with:");
    const std::string partner = sample.reason.substr(sample.reason.find(':') + 1);
    std::vector<long long> ids = {CustomerId(partner), CustomerId(sample.customer_number)};
    std::sort(ids.begin(), ids.end());
    CheckFinds({{"phone", sample.phone}}, ids);
  }

  TEST_CASE("a shared household address pulls in nobody else") {
    const auto& sample = Sample("shares-address-with:");
    CheckFinds({{"email", sample.email}}, {CustomerId(sample.customer_number)});
  }

  TEST_CASE(
      "identities of two people find both, and identities the config does not map are ignored") {
    const auto& first = Sample("typical");
    const auto& second = Sample("mixed-case-email");
    std::vector<long long> ids = {CustomerId(first.customer_number),
                                  CustomerId(second.customer_number)};
    std::sort(ids.begin(), ids.end());
    const Subject subject = {
        {"email", second.email}, {"customer_id", first.customer_number}, {"ip", "10.0.0.1"}};
    CheckFinds(subject, ids);
    // Each contradicts the other's identity, so neither is certain.
    auto report = ExampleConnector()->Locate(subject);
    REQUIRE(report.ok());
    CHECK(report->confirmed.empty());
    CHECK(report->ambiguous.at("customers") == 2);
  }

  TEST_CASE("follows references three hops deep: customer, order, invoice, payment") {
    // Without invoices.customer_id only the chain through orders reaches payments.
    nlohmann::json config = ExampleCrmConnectorConfig(Crm().path);
    for (auto& table : config["tables"]) {
      if (table["name"] == "invoices")
        table["references"] = {{{"column", "order_id"}, {"table", "orders"}}};
    }
    const Records paid =
        RawQuery(Crm().path,
                 "SELECT o.customer_id FROM payments p JOIN invoices i ON i.id = p.invoice_id "
                 "JOIN orders o ON o.id = i.order_id ORDER BY p.id LIMIT 1");
    REQUIRE(paid.size() == 1);
    const long long customer = paid[0]["customer_id"].get<long long>();
    const Records expected =
        RawQuery(Crm().path,
                 "SELECT p.* FROM payments p JOIN invoices i ON i.id = p.invoice_id "
                 "JOIN orders o ON o.id = i.order_id WHERE o.customer_id = ?1 ORDER BY p.id",
                 {std::to_string(customer)});
    const Records number =
        RawQuery(Crm().path, "SELECT customer_number FROM customers WHERE id = ?1",
                 {std::to_string(customer)});
    CollectingSink sink;
    auto connector = MakeConnector(config);
    REQUIRE(
        connector->Export({{"customer_id", number[0]["customer_number"].get<std::string>()}}, sink)
            .ok());
    CHECK(sink.Records("payments") == expected);
    CHECK_FALSE(expected.empty());
  }

  TEST_CASE("a table with two parents collects rows through either") {
    const Records service =
        RawQuery(Crm().path,
                 "SELECT c.customer_number, i.id FROM invoices i JOIN customers "
                 "c ON c.id = i.customer_id WHERE i.order_id IS NULL LIMIT 1");
    REQUIRE(service.size() == 1);
    CollectingSink sink;
    const Subject subject = {{"customer_id", service[0]["customer_number"].get<std::string>()}};
    REQUIRE(ExampleConnector()->Export(subject, sink).ok());
    const Records invoices = sink.Records("invoices");
    CHECK(std::any_of(invoices.begin(), invoices.end(),
                      [&](const auto& invoice) { return invoice["id"] == service[0]["id"]; }));
  }

  TEST_CASE("an unknown subject has no records") {
    auto connector = ExampleConnector();
    const Subject nobody = {{"email", "nobody@example.invalid"}, {"customer_id", "K-999999"}};
    auto report = connector->Locate(nobody);
    REQUIRE(report.ok());
    CHECK(report->confirmed.empty());
    CHECK(report->ambiguous.empty());
    CollectingSink sink;
    REQUIRE(connector->Export(nobody, sink).ok());
    CHECK(sink.size() == 0);
  }

  TEST_CASE("identity values that look like SQL are only compared, never run") {
    auto connector = ExampleConnector();
    const auto customers_before =
        RawQuery(Crm().path, "SELECT count(*) AS n FROM customers")[0]["n"];
    for (const std::string attack : {"' OR 1=1 --", "\"; DROP TABLE customers; --",
                                     "x' UNION SELECT * FROM customers --", "') OR ('1'='1"}) {
      CAPTURE(attack);
      const Subject subject = {
          {"email", attack}, {"name", attack}, {"customer_id", attack}, {"phone", attack}};
      auto report = connector->Locate(subject);
      REQUIRE(report.ok());
      CHECK(report->confirmed.empty());
      CHECK(report->ambiguous.empty());
      CollectingSink sink;
      REQUIRE(connector->Export(subject, sink).ok());
      CHECK(sink.size() == 0);
    }
    CHECK(RawQuery(Crm().path, "SELECT count(*) AS n FROM customers")[0]["n"] == customers_before);
  }

  TEST_CASE("the batch size changes the queries, not the result") {
    const auto& sample = Sample("typical");
    nlohmann::json config = ExampleCrmConnectorConfig(Crm().path);
    config["batch_size"] = 1;
    CollectingSink small_batches;
    REQUIRE(MakeConnector(config)
                ->Export({{"customer_id", sample.customer_number}}, small_batches)
                .ok());
    CheckExport(small_batches, ExpectedRows({CustomerId(sample.customer_number)}));
  }

  TEST_CASE("a failing sink stops the export and its status is returned") {
    struct RefusingSink final : RecordSink {
      int calls = 0;
      Status Add(const FoundRecord&) override {
        ++calls;
        return TooLarge("spool full");
      }
    } sink;
    const Status status =
        ExampleConnector()->Export({{"customer_id", Sample("typical").customer_number}}, sink);
    CHECK(status.code() == StatusCode::kTooLarge);
    CHECK(sink.calls == 1);
  }
}

}  // namespace dsr::connectors::testing
