// The parts of the SQL connector's config that say how rows are erased and
// rectified: parsing the `erasure:` and `rectify:` sections of a table (after
// schema validation) and the checks a schema cannot express. Used by
// ParseSqlConfig only; every problem names its config key.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "connectors/sql/sql_config.h"

namespace dsr::connectors::sql {

// Fills table->erasure and table->rectify from `table_json`.
void ParseTableActions(const nlohmann::json& table_json, TableConfig* table,
                       std::vector<std::string>* problems);

// Checks across tables: keyed hashes need the key file, and no row that is
// kept (anonymized) may refer to a row that is deleted in the end.
void CheckErasurePlan(const SqlConfig& config, std::vector<std::string>* problems);

}  // namespace dsr::connectors::sql
