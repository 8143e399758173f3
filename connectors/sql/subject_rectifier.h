// SubjectRectifier: one rectification (Connector::Rectify, GDPR Art. 16) of
// the SQL connector. In one transaction it resolves the scope and writes each
// corrected attribute into the columns that a table's `rectify:` maps it to,
// in every row in scope; parts a correction does not give (a name's family
// part, an address's city) stay as they are. Values are bound parameters.
// There is no verification by identity: after a corrected e-mail the old one
// no longer finds the subject, which is the point. Not thread-safe; one
// instance per call. Throws soci errors.
#pragma once

#include <vector>

#include "common/status.h"
#include "connectors/connector.h"
#include "connectors/sql/action_scope.h"
#include "connectors/sql/source_database.h"
#include "connectors/sql/sql_config.h"
#include "connectors/sql/table_catalog.h"

namespace dsr::connectors::sql {

class SubjectRectifier {
 public:
  // All must outlive this.
  SubjectRectifier(SourceDatabase& database, const SqlConfig& config,
                   const std::vector<TableColumns>& catalog)
      : database_(database), config_(config), catalog_(catalog) {}

  // One outcome per configured table, in config order: kUpdated with the
  // number of rows written, or kNotApplicable when the table maps none of
  // the corrected attributes or has no row in scope. Ambiguous records
  // outside the scope are added to `untouched`. kInvalidArgument when
  // `corrections` is not an object of known attributes with string values.
  Result<std::vector<CollectionOutcome>> Rectify(const Subject& subject,
                                                 const Corrections& corrections,
                                                 const ActionScope& scope,
                                                 BufferedRecords* untouched);

 private:
  // "col = :p0, ..." for what `corrections` gives and `table` maps; empty when nothing.
  std::string Assignments(const TableConfig& table, const Corrections& corrections,
                          BoundSql* statement) const;

  SourceDatabase& database_;
  const SqlConfig& config_;
  const std::vector<TableColumns>& catalog_;
};

}  // namespace dsr::connectors::sql
