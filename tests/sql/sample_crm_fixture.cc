#include "tests/sql/sample_crm_fixture.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <stdexcept>

namespace dsr::connectors::testing {
namespace {

struct Generated {
  TempDir dir;
  std::string path = dir.File("crm.db");
  std::vector<sample_crm::SampleCustomer> samples;
};

const Generated& Sample() {
  // Created once for all tests; destroyed, with its directory, at exit.
  static const std::unique_ptr<Generated> generated = [] {
    auto created = std::make_unique<Generated>();
    sample_crm::SampleCrmOptions options;
    options.path = created->path;
    options.customers = 400;
    options.seed = 1;
    auto summary = sample_crm::CreateSampleCrm(options);
    REQUIRE_MESSAGE(summary.ok(), summary.status().ToString());
    created->samples = summary->samples;
    return created;
  }();
  return *generated;
}

}  // namespace

const std::string& SampleCrmPath() {
  return Sample().path;
}

const sample_crm::SampleCustomer& SampleCustomerOf(const std::string& reason_prefix) {
  for (const auto& sample : Sample().samples) {
    if (sample.reason.rfind(reason_prefix, 0) == 0) return sample;
  }
  FAIL("the sample CRM has no customer of kind " << reason_prefix);
  throw std::logic_error("unreachable");
}

SampleCrmCopy::SampleCrmCopy() : path_(dir_.File("crm.db")), key_path_(dir_.File("anon.key")) {
  std::filesystem::copy_file(SampleCrmPath(), path_);
  WriteFile(key_path_, std::string(64, 'k'));
}

nlohmann::json SampleCrmCopy::Config() const {
  return ExampleCrmConnectorConfig(path_, key_path_);
}

std::unique_ptr<Connector> SampleCrmCopy::Connect() const {
  auto connector = NewConnector(Config(), "worker-crm.yaml");
  REQUIRE_MESSAGE(connector.ok(), connector.status().ToString());
  return std::move(connector.value());
}

long long CustomerIdIn(const std::string& path, const std::string& customer_number) {
  const auto rows =
      RawQuery(path, "SELECT id FROM customers WHERE customer_number = ?1", {customer_number});
  REQUIRE(rows.size() == 1);
  return rows[0]["id"].get<long long>();
}

TableDump DumpTables(const std::string& path) {
  TableDump dump;
  for (const char* table :
       {"customers", "orders", "order_lines", "invoices", "payments", "support_notes"}) {
    dump[table] = RawQuery(path, std::string("SELECT * FROM ") + table + " ORDER BY id");
  }
  return dump;
}

}  // namespace dsr::connectors::testing
