// SubjectEraser: one erasure (Connector::Erase) of the SQL connector.
//
// In one transaction it resolves the scope, erases table by table — every
// table after the tables that refer to it, so dependents go first — and
// verifies before it commits: a row in scope that is still there and neither
// retained nor anonymized as configured rolls everything back.
//
// Per table, by erasure.strategy: delete; anonymize (rows already anonymized
// are left as they are); retain (kept until the end of the retention period,
// restrict_column set to 1). With kOnly and retention_ended, retained tables
// apply retain.then. A row that a retained row still refers to is never
// deleted: it is retained until the latest end among the rows referring to it
// ("referenced by retained invoices rows (HGB §257 ...)"), so no reference
// breaks. Whether a retention period has already ended is the engine's call
// (it files the kOnly follow-up); the connector itself never reads the clock.
// Not thread-safe; one instance per call. Throws soci errors.
#pragma once

#include <map>
#include <set>
#include <vector>

#include "common/status.h"
#include "connectors/connector.h"
#include "connectors/sql/action_scope.h"
#include "connectors/sql/anonymize_key.h"
#include "connectors/sql/retention.h"
#include "connectors/sql/source_database.h"
#include "connectors/sql/sql_config.h"
#include "connectors/sql/table_catalog.h"

namespace dsr::connectors::sql {

class SubjectEraser {
 public:
  // `key` may be null when no table uses keyed_hash. All must outlive this.
  SubjectEraser(SourceDatabase& database, const SqlConfig& config,
                const std::vector<TableColumns>& catalog, const AnonymizeKey* key)
      : database_(database), config_(config), catalog_(catalog), key_(key) {}

  // One outcome or more per configured table, in config order. Ambiguous
  // records outside the scope are added to `untouched`. kConflict (and no
  // change) when a row in scope is still referred to by a row that is neither
  // in scope nor retained.
  Result<std::vector<CollectionOutcome>> Erase(const Subject& subject, const ActionScope& scope,
                                               BufferedRecords* untouched);

 private:
  // Tables that refer to a table come before it; cycles in config order.
  std::vector<size_t> ErasureOrder() const;
  ErasureStrategy Applied(size_t table) const;
  Status EraseTable(size_t table, const ScopedRows& rows);
  Status DeleteRows(size_t table, const ScopedRows& rows);
  Status AnonymizeRows(size_t table, const ScopedRows& rows);
  Status RetainRows(size_t table, const ScopedRows& rows);
  // What rows that still refer to `keys` of `table` hold them for.
  Result<std::map<SqlValue, Hold>> HoldsFromReferrers(size_t table, const std::set<SqlValue>& keys);
  // The own holds of referring rows retained by an earlier erasure, into
  // `earlier` by table; kConflict for referring rows that are not retained.
  Status EarlierHolds(size_t table, const std::set<SqlValue>& keys,
                      const std::map<SqlValue, std::vector<Referrer>>& referrers,
                      std::vector<std::map<SqlValue, Hold>>* earlier);
  Status Retain(size_t table, std::map<SqlValue, Hold> holds);
  Status Verify(const Subject& subject, const std::vector<ScopedRows>& before);
  Result<int64_t> CountLeft(size_t table, const std::vector<BoundSql>& filters);
  std::vector<CollectionOutcome> Outcomes() const;

  SourceDatabase& database_;
  const SqlConfig& config_;
  const std::vector<TableColumns>& catalog_;
  const AnonymizeKey* key_;
  const ActionScope* scope_ = nullptr;
  std::vector<std::map<SqlValue, Hold>> retained_;  // per table, this call's
  std::vector<std::vector<CollectionOutcome>> outcomes_;
};

}  // namespace dsr::connectors::sql
