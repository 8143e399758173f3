// Which rows an erasure or rectification changes (ActionScope in
// connectors/connector.h): with kSubject the subject's confirmed rows plus the
// located rows an agent accepted (and what they reach); with kOnly exactly the
// named rows that still exist. Throws soci errors.
#pragma once

#include <set>
#include <vector>

#include "common/status.h"
#include "connectors/connector.h"
#include "connectors/sql/source_database.h"
#include "connectors/sql/sql_config.h"
#include "connectors/sql/table_catalog.h"

namespace dsr::connectors::sql {

// The rows of one table in scope.
struct ScopedRows {
  std::set<SqlValue> keys;        // tables with a key
  std::vector<BoundSql> filters;  // keyless tables: disjoint row filters
};

// Keeps reported records in memory, so that they can be passed on after the
// transaction that found them has ended.
class BufferedRecords final : public RecordSink {
 public:
  Status Add(const FoundRecord& found) override {
    records_.push_back(found);
    return Status::Ok();
  }
  Status SendTo(RecordSink& sink) const;

 private:
  std::vector<FoundRecord> records_;
};

// An outcome that is a count of records (every kind but kRetained).
CollectionOutcome CountedOutcome(const std::string& collection, OutcomeKind kind, int64_t records);

// One entry per configured table, same order. Ambiguous rows outside the
// scope go to `untouched` when it is not null. kInvalidArgument when the
// selection names a collection the config does not have (or, for kOnly, one
// without a key).
Result<std::vector<ScopedRows>> ResolveScope(SourceDatabase& database, const SqlConfig& config,
                                             const std::vector<TableColumns>& catalog,
                                             const Subject& subject, const ActionScope& scope,
                                             RecordSink* untouched);

}  // namespace dsr::connectors::sql
