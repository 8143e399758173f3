// RowAnonymizer: rewrites the rows of one table by its erasure.anonymize rules
// (null, fixed value, keyed hash), and tells rows that already hold what the
// rules write, so that a repeated erasure changes nothing and a keyed hash is
// never hashed again. Throws soci errors.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "connectors/sql/anonymize_key.h"
#include "connectors/sql/source_database.h"
#include "connectors/sql/sql_config.h"
#include "connectors/sql/table_catalog.h"

namespace dsr::connectors::sql {

class RowAnonymizer {
 public:
  // `key` may be null when no rule uses keyed_hash. All must outlive this.
  RowAnonymizer(SourceDatabase& database, const TableConfig& table, const TableColumns& columns,
                const AnonymizeKey* key)
      : database_(database), table_(table), columns_(columns), key_(key) {}

  // A condition that holds for rows whose every anonymized column already
  // holds what its rule writes: NULL; the fixed value; a keyed hash (or NULL,
  // which stays NULL). Never NULL itself, so NOT (...) is safe.
  BoundSql AlreadyAnonymized() const;

  // Anonymizes the rows that pass `filter` and are not anonymized yet;
  // returns how many it changed. A value becomes its keyed hash with one
  // UPDATE per distinct value, so rows without a key are handled too.
  Result<int64_t> Anonymize(const BoundSql& filter);

 private:
  // "<column> = <value>", text compared byte for byte (SqlDialect::SameText).
  std::string Equals(const std::string& quoted_column, const SqlValue& value,
                     BoundSql* statement) const;
  // "col = NULL, col = :p1, ..." for the null and fixed rules.
  std::string PlainAssignments(BoundSql* statement) const;
  Result<int64_t> AnonymizeHashed(const BoundSql& pending,
                                  const std::vector<const ColumnInfo*>& hashed);

  SourceDatabase& database_;
  const TableConfig& table_;
  const TableColumns& columns_;
  const AnonymizeKey* key_;
};

}  // namespace dsr::connectors::sql
