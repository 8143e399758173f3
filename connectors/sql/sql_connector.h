// The SQL connector: finds and exports a data subject's rows in a relational
// database (SQLite or MySQL/MariaDB through SOCI), following the references
// between tables that its config names. See schemas/config/connector-sql.json
// and deploy/examples/worker-crm.yaml for the config.
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
// that need it (kUnavailable). The connector reads only; every SQL statement
// binds its values as parameters.
Result<std::unique_ptr<Connector>> NewSqlConnector(const nlohmann::json& config);

}  // namespace dsr::connectors
