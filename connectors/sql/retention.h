// Retention: until when rows are kept under a legal obligation, and which
// rows of other tables still refer to rows about to be deleted. Throws soci
// errors.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/civil_date.h"
#include "common/status.h"
#include "connectors/sql/source_database.h"
#include "connectors/sql/sql_config.h"
#include "connectors/sql/table_catalog.h"

namespace dsr::connectors::sql {

// Why and until when one row is kept.
struct Hold {
  // Absent when the row's date is missing or unreadable: kept until reviewed.
  std::optional<CivilDate> until;
  std::string legal_basis;  // as reported for this row
  std::string root_basis;   // the obligation at the end of a chain of references

  // Whether this hold ends after `other` (an open end is the latest).
  bool EndsAfter(const Hold& other) const;
};

// The end of a retention period that starts from `date` (see RetentionPolicy).
CivilDate RetainedUntil(CivilDate date, const RetentionPolicy& policy);

// The calendar date at the start of a column value: "2024-05-17",
// "2024-05-17T10:00:00Z" or "2024-05-17 10:00:00"; nullopt for anything else.
std::optional<CivilDate> DateOfValue(const SqlValue& value);

// The holds of rows of `table` (which has a retention policy) by their own
// date, for the rows with `keys`.
Result<std::map<SqlValue, Hold>> OwnHolds(SourceDatabase& database, const SqlConfig& config,
                                          size_t table, const TableColumns& columns,
                                          const std::set<SqlValue>& keys);

// A row that refers, through a configured reference, to a row about to go.
struct Referrer {
  size_t table = 0;
  std::optional<SqlValue> key;  // absent for keyless tables
};

// For each of `keys` of `table`: the rows that still refer to it.
Result<std::map<SqlValue, std::vector<Referrer>>> FindReferrers(
    SourceDatabase& database, const SqlConfig& config, const std::vector<TableColumns>& catalog,
    size_t table, const std::set<SqlValue>& keys);

}  // namespace dsr::connectors::sql
