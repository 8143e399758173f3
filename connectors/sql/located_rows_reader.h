// Reading located rows: counting them for Locate and streaming them, column by
// column with their types kept, for Export and for the records an action
// leaves untouched. Both throw soci errors.
#pragma once

#include <cstdint>

#include "common/status.h"
#include "connectors/connector.h"
#include "connectors/sql/source_database.h"
#include "connectors/sql/sql_config.h"
#include "connectors/sql/subject_locator.h"
#include "connectors/sql/table_catalog.h"

namespace dsr::connectors::sql {

struct MatchCounts {
  int64_t confirmed = 0;
  int64_t ambiguous = 0;
};

// The number of rows in `rows` by match; queries the database only for
// keyless tables.
Result<MatchCounts> CountLocatedRows(SourceDatabase& database, const TableConfig& table,
                                     const LocatedRows& rows);

enum class RowChoice { kAll, kAmbiguousOnly };

// Sends the chosen rows of `rows` to `sink`, one FoundRecord each: the row as
// a JSON object (column name as the database spells it → value), its key as
// text for tables with a key, its match, and for tables with identities the
// canonical attributes it holds (RecordAttributes). Rows come in key order for tables
// with a key. A non-ok Status from the sink stops the reading and is returned.
Status ReadLocatedRows(SourceDatabase& database, const SqlConfig& config, size_t table,
                       const TableColumns& columns, const LocatedRows& rows, RowChoice choice,
                       RecordSink& sink);

}  // namespace dsr::connectors::sql
