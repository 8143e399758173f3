// The sample CRM as the SQL connector tests use it: generated once per test
// binary (400 customers, seed 1) and copied for every test that changes it,
// with the example worker config pointed at the copy and at a key file.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "connectors/connector.h"
#include "tests/sql/sql_test_support.h"
#include "tools/sample-crm/sample_crm.h"

namespace dsr::connectors::testing {

// The generated database; read it, never change it.
const std::string& SampleCrmPath();
// The first sample customer whose reason starts with `reason_prefix`.
const sample_crm::SampleCustomer& SampleCustomerOf(const std::string& reason_prefix);

// A private copy of the sample CRM in its own directory, with a 64-byte key file.
class SampleCrmCopy {
 public:
  SampleCrmCopy();
  const std::string& path() const { return path_; }
  const std::string& key_path() const { return key_path_; }
  // The example config's connector section for this copy.
  nlohmann::json Config() const;
  std::unique_ptr<Connector> Connect() const;

 private:
  TempDir dir_;
  std::string path_;
  std::string key_path_;
};

// The id of the customer with `customer_number`, in `path`.
long long CustomerIdIn(const std::string& path, const std::string& customer_number);

// Every row of the sample's tables with personal data, by table, in id order.
using TableDump = std::map<std::string, std::vector<nlohmann::json>>;
TableDump DumpTables(const std::string& path);

}  // namespace dsr::connectors::testing
