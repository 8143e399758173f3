// Identity matching: which rows of a table hold one of the subject's
// identities. The subject's value and the column are normalized the same way
// (once in C++, once in SQL), and the value is always a bound parameter.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "connectors/connector.h"
#include "connectors/sql/sql_config.h"
#include "connectors/sql/sql_dialect.h"
#include "connectors/sql/sql_value.h"

namespace dsr::connectors::sql {

// `value` as `mapping` compares it: surrounding white space dropped; ASCII
// letters lower-cased for kCaseInsensitive (as SQL LOWER does in SQLite);
// space - / ( ) . removed for kDigits; runs of white space made one space when
// several columns are joined. Empty when nothing is left to compare.
std::string NormalizeIdentityValue(std::string_view value, const IdentityMapping& mapping);

// The SQL expression that normalizes `mapping`'s column(s) the same way.
std::string NormalizedColumnExpression(const IdentityMapping& mapping, const SqlDialect& dialect);

// A row filter for rows of `table` that match ANY identity of `subject` the
// table maps; nullopt when the table maps none of the subject's identities.
std::optional<BoundSql> IdentityFilter(const TableConfig& table, const Subject& subject,
                                       const SqlDialect& dialect);

}  // namespace dsr::connectors::sql
