// Reading located rows: counting them for Locate and streaming them, column by
// column with their types kept, for Export. Both throw soci errors.
#pragma once

#include <cstdint>

#include "common/status.h"
#include "connectors/connector.h"
#include "connectors/sql/source_database.h"
#include "connectors/sql/sql_config.h"
#include "connectors/sql/subject_locator.h"
#include "connectors/sql/table_catalog.h"

namespace dsr::connectors::sql {

// The number of rows in `rows`; queries the database only for keyless tables.
Result<int64_t> CountLocatedRows(SourceDatabase& database, const TableConfig& table,
                                 const LocatedRows& rows);

// Sends every row in `rows` to `sink` as one JSON object (column name as the
// database spells it → value), collection = the table's name. Rows come in
// key order for tables with a key. A non-ok Status from the sink stops the
// export and is returned.
Status ExportLocatedRows(SourceDatabase& database, const TableConfig& table,
                         const TableColumns& columns, const LocatedRows& rows, RecordSink& sink);

}  // namespace dsr::connectors::sql
