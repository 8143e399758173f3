// TableCatalog: the columns of every configured table as the database has
// them, read once per session. It checks the config against the database, so
// a misspelt column is reported by its config key instead of failing in SQL.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "connectors/sql/source_database.h"
#include "connectors/sql/sql_config.h"
#include "connectors/sql/sql_dialect.h"

namespace dsr::connectors::sql {

struct TableColumns {
  std::vector<ColumnInfo> columns;  // in table order

  // The column named `name` (compared without case, as SQL does), or null.
  const ColumnInfo* Find(const std::string& name) const;
};

// Appends the columns of `table` to `found`; none when there is no such table.
// Throws soci errors.
Status ReadTableColumns(SourceDatabase& database, const std::string& table, TableColumns* found);

// One entry per table of `config`, same order. kValidation naming the config
// key when a configured table or column does not exist. Throws soci errors.
Result<std::vector<TableColumns>> ReadTableCatalog(SourceDatabase& database,
                                                   const SqlConfig& config);

}  // namespace dsr::connectors::sql
