// The sample CRM in MariaDB, for running the SQL connector's behaviours
// against a real server: the rows GenerateSampleCrm gives for the SQLite
// fixture (400 customers, seed 1, so the same sample customers and ids),
// written through SOCI's mysql backend into InnoDB tables with real foreign
// keys, in utf8mb4 with a case-insensitive collation as CRMs have it, with
// DATE and DATETIME columns. Each MariaDbCrm is a database of its own on the
// shared MariaDbServer.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "connectors/connector.h"
#include "tests/sql/sample_crm_fixture.h"
#include "tests/sql/sql_test_support.h"
#include "tests/support/mariadb_server.h"
#include "tools/sample-crm/sample_crm_data.h"

namespace dsr::connectors::testing {

using ::dsr::testing::MariaDbLockHolder;
using ::dsr::testing::MariaDbServer;

// Writes `data` into the empty database that `root_connection` (a SOCI
// connection string with the right to create tables) names. Aborts on error.
void LoadSampleCrm(const std::string& root_connection, const sample_crm::SampleCrmData& data);

class MariaDbCrm {
 public:
  // A new database on MariaDbServer::Shared(), loaded with the sample CRM.
  MariaDbCrm();

  const std::string& database() const { return database_; }
  const std::string& key_path() const { return key_path_; }
  MariaDbServer& server() const { return server_; }

  // deploy/examples/worker-crm.yaml's connector section for this database.
  nlohmann::json Config() const;
  std::unique_ptr<Connector> Connect() const;

  // Plain SQL as root, read through the C API (MariaDbServer::Query).
  std::vector<nlohmann::json> Query(const std::string& sql,
                                    const std::vector<std::string>& params = {}) const;
  void Execute(const std::string& sql) const;
  long long CustomerId(const std::string& customer_number) const;
  // Every row of the tables with personal data, by table, in id order.
  TableDump Dump() const;

 private:
  MariaDbServer& server_;
  TempDir dir_;
  std::string database_;
  std::string key_path_;
};

// A loaded database shared by the tests that only read; never change it.
const MariaDbCrm& SharedMariaDbCrm();

// A hand-built database on the shared server: `statements` run in it as
// root, and a connector for it configured by `config` with its connection
// pointed there.
struct MariaDbFixture {
  std::string database;
  std::unique_ptr<Connector> connector;
};
MariaDbFixture BuildMariaDbFixture(const std::vector<std::string>& statements,
                                   nlohmann::json config);

}  // namespace dsr::connectors::testing
