// CrmOracle: what the bundle for a customer of the sample CRM must hold,
// computed with plain SQL written out by hand along the sample's foreign keys,
// independently of the SQL connector's configurable traversal.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dsr::testing {

using RowsByTable = std::map<std::string, std::vector<nlohmann::json>>;

// Rows (column → value, typed as SQLite stores them) belonging to the customer
// with this e-mail address (case-insensitive), per table; tables without rows
// are absent. Each table's rows are sorted by id.
RowsByTable ExpectedRowsForEmail(const std::string& crm_path, const std::string& email);

// Every row of the sample CRM's personal-data tables, by table, sorted by id.
RowsByTable AllRows(const std::string& crm_path);
// `all` without the rows whose ids appear in `subject` (per table).
RowsByTable WithoutRowsOf(const RowsByTable& all, const RowsByTable& subject);

// Every records.json under <bundle>/sources/<source>/, by collection, sorted by id.
RowsByTable BundleRows(const std::string& bundle_folder, const std::string& source);

}  // namespace dsr::testing
