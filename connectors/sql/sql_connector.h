// The SQL connector: finds, exports, erases and rectifies a data subject's
// rows in a relational database (SQLite or MySQL/MariaDB through SOCI),
// following the references between tables that its config names, and
// telling confirmed rows from ambiguous ones (connectors/connector.h). See
// schemas/config/connector-sql.json and deploy/examples/worker-crm.yaml for
// the config.
#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>

#include "common/status.h"
#include "connectors/connector.h"

namespace dsr::connectors {

// Builds a SQL connector from the `connector:` section of a worker config
// (already converted to JSON). Checks the config (schema and the rules a
// schema cannot express) and fails with kValidation naming the config key;
// does not connect. The database is opened on first use and reopened after
// an error, so a database that is down at start-up only fails the actions
// that need it (kUnavailable). Erase and Rectify each run in one transaction
// (SQLite: BEGIN IMMEDIATE) that is rolled back on any failure; SQLite
// sessions enforce foreign keys. A change the database refuses by a
// constraint is kConflict. Every SQL statement binds its values as
// parameters, and compares text byte for byte whatever the database's
// collation. The anonymize key file is read at the first erasure. Discover
// reads every table of the database, not only the configured ones, up to
// discover.sample_rows rows each (connectors/sql/personal_data_discovery.h).
Result<std::unique_ptr<Connector>> NewSqlConnector(const nlohmann::json& config);

}  // namespace dsr::connectors
