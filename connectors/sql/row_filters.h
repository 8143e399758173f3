// Building blocks of the SQL the connector sends: row filters over sets of
// values, batched so that no query binds more than `batch_size` values, and
// select lists that read columns with their types kept.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "connectors/sql/sql_config.h"
#include "connectors/sql/sql_dialect.h"
#include "connectors/sql/sql_value.h"

namespace dsr::connectors::sql {

// `quoted_column` IN (...) in batches of `batch_size` values; none for none.
std::vector<BoundSql> InFilters(const std::string& quoted_column,
                                const std::vector<SqlValue>& values, int batch_size);

// Filters for the rows of keyed `table` whose key is in `keys`.
std::vector<BoundSql> KeyFilters(const TableConfig& table, const SqlDialect& dialect,
                                 const std::set<SqlValue>& keys, int batch_size);

// Filters for the rows that refer, through `reference`, to the rows of
// `parent` with `parent_keys`.
std::vector<BoundSql> ReferenceFilters(const TableReference& reference, const TableConfig& parent,
                                       const SqlDialect& dialect,
                                       const std::vector<SqlValue>& parent_keys, int batch_size);

// The select list that reads `columns` for SqlDialect::DecodeColumn.
std::string SelectList(const SqlDialect& dialect, const std::vector<ColumnInfo>& columns);

// "<filter> AND <condition>", both already bound into one statement.
BoundSql And(const BoundSql& filter, const BoundSql& condition);

}  // namespace dsr::connectors::sql
