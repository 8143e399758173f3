// The sample CRM generator: deterministic, complete, and with the cases the
// connector tests rely on (mixed-case e-mails, shared phones and addresses).
#include "tools/sample-crm/sample_crm.h"

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/sql/sql_test_support.h"

namespace dsr::connectors::testing {
namespace {

std::string Create(const std::string& path, uint64_t seed, bool replace = false) {
  sample_crm::SampleCrmOptions options;
  options.path = path;
  options.customers = 300;
  options.seed = seed;
  options.replace_existing = replace;
  auto summary = sample_crm::CreateSampleCrm(options);
  REQUIRE_MESSAGE(summary.ok(), summary.status().ToString());
  return path;
}

// Every row of every table, in table and key order.
std::string Dump(const std::string& path) {
  nlohmann::json dump = nlohmann::json::object();
  for (const auto& table :
       RawQuery(path, "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
    const std::string name = table["name"];
    dump[name] = {{"sql", table["sql"]},
                  {"rows", RawQuery(path, "SELECT * FROM " + name + " ORDER BY id")}};
  }
  return dump.dump();
}

std::string Bytes(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

long long Count(const std::string& path, const std::string& sql) {
  return RawQuery(path, sql).at(0).at("n").get<long long>();
}

}  // namespace

TEST_SUITE("SampleCrm") {
  TEST_CASE("the same seed gives the same database, byte for byte") {
    TempDir dir;
    const std::string first = Create(dir.File("a.db"), 42);
    const std::string second = Create(dir.File("b.db"), 42);
    CHECK(Dump(first) == Dump(second));
    CHECK(Bytes(first) == Bytes(second));
    CHECK(Dump(Create(dir.File("c.db"), 43)) != Dump(first));
  }

  TEST_CASE("refuses to overwrite a file unless asked to") {
    TempDir dir;
    Create(dir.File("crm.db"), 1);
    sample_crm::SampleCrmOptions options;
    options.path = dir.File("crm.db");
    auto again = sample_crm::CreateSampleCrm(options);
    REQUIRE_FALSE(again.ok());
    CHECK(again.status().code() == StatusCode::kConflict);
    Create(dir.File("crm.db"), 2, /*replace=*/true);
  }

  TEST_CASE("holds consistent, realistic data with the cases the connector must handle") {
    TempDir dir;
    const std::string path = Create(dir.File("crm.db"), 1);
    CHECK(RawQuery(path, "PRAGMA foreign_key_check").empty());
    CHECK(Count(path, "SELECT count(*) AS n FROM customers") == 300);
    CHECK(Count(path, "SELECT count(DISTINCT lower(email)) AS n FROM customers") == 300);
    CHECK(Count(path, "SELECT count(*) AS n FROM customers WHERE email <> lower(email)") > 0);
    CHECK(Count(path,
                "SELECT count(*) AS n FROM customers WHERE first_name || last_name "
                "GLOB '*[^ -~]*'") > 0);
    CHECK(Count(path,
                "SELECT count(*) AS n FROM (SELECT 1 FROM customers GROUP BY street, "
                "postal_code, city HAVING count(*) > 1)") > 0);
    CHECK(Count(path, "SELECT count(*) AS n FROM invoices WHERE order_id IS NULL") > 0);
    // Nothing is restricted until an erasure retains it.
    CHECK(Count(path, "SELECT count(*) AS n FROM invoices WHERE processing_restricted <> 0") == 0);
    CHECK(Count(path, "SELECT count(*) AS n FROM payments WHERE processing_restricted <> 0") == 0);
    CHECK(Count(path,
                "SELECT count(*) AS n FROM invoices i JOIN customers c ON c.id = i.customer_id "
                "WHERE i.billing_name <> c.first_name || ' ' || c.last_name") == 0);
    // A December invoice paid in January: its payment is kept a year longer.
    CHECK(Count(path,
                "SELECT count(*) AS n FROM payments p JOIN invoices i ON i.id = p.invoice_id "
                "WHERE substr(p.paid_on, 1, 4) > substr(i.issued_on, 1, 4)") > 0);
    CHECK(Count(path, "SELECT count(*) AS n FROM payments") > 0);
    // Payments of ordered goods: three references away from the customer.
    CHECK(Count(path,
                "SELECT count(*) AS n FROM payments p JOIN invoices i ON i.id = p.invoice_id "
                "WHERE i.order_id IS NOT NULL") > 0);
    CHECK(Count(path,
                "SELECT count(*) AS n FROM (SELECT 1 FROM customers GROUP BY "
                "replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), "
                "'/', ''), '(', ''), ')', ''), '.', '') HAVING count(*) > 1)") > 0);
  }

  TEST_CASE("names customers to try, among them one who shares a phone number") {
    TempDir dir;
    sample_crm::SampleCrmOptions options;
    options.path = dir.File("crm.db");
    options.customers = 300;
    auto summary = sample_crm::CreateSampleCrm(options);
    REQUIRE(summary.ok());
    bool shares_phone = false;
    std::set<std::string> kinds;
    for (const auto& sample : summary->samples) {
      kinds.insert(sample.reason.substr(0, sample.reason.find(':')));
      CHECK(sample.customer_number.rfind("K-", 0) == 0);
      CHECK(sample.email == RawQuery(options.path,
                                     "SELECT lower(email) AS e FROM customers WHERE "
                                     "customer_number = ?1",
                                     {sample.customer_number})
                                .at(0)
                                .at("e"));
      shares_phone |= sample.reason.rfind("shares-phone-with:", 0) == 0;
    }
    CHECK(shares_phone);
    CHECK(kinds == std::set<std::string>{"typical", "mixed-case-email", "shares-phone-with",
                                         "shares-address-with", "non-ascii-name",
                                         "invoice-paid-next-year"});
    CHECK(summary->rows_per_table.at("customers") == 300);
  }
}

}  // namespace dsr::connectors::testing
