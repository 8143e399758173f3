// Discover for the SQL connector: which columns of the whole database hold
// personal data, whether the connector's config names their tables or not.
//
// Every table of the database (SqlDialect::TablesQuery) is read, at most
// `sample_rows` rows each (the first the database returns, in no particular
// order), and every text value of its text-like columns is run through the
// recognisers of connectors/discovery.h. Tables and columns whose names the
// backend cannot pass (SqlDialect::CanQuote) are skipped with a warning that
// names them. Only places, kinds and counts leave this function, never a
// value. Reads only, without a transaction. Throws soci errors.
#pragma once

#include <vector>

#include "common/status.h"
#include "connectors/connector.h"
#include "connectors/sql/source_database.h"

namespace dsr::connectors::sql {

// One place "table.column" (as the database spells them) per column in which
// at least one value holds personal data, sorted by place.
Result<std::vector<PersonalDataPlace>> DiscoverPersonalData(SourceDatabase& database,
                                                            int sample_rows);

}  // namespace dsr::connectors::sql
