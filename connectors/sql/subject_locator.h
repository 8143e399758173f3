// SubjectLocator: finds the rows that belong to one data subject.
//
// Seed rows are the rows of tables with identities that match any of the
// subject's identities. From there references are followed outwards only:
// rows that refer to located rows are located too, hop after hop, until no new
// key appears. A reference is never followed from the referring row to the row
// it refers to, so a shared parent (a household, a product) never pulls in
// other people's rows. Keys already seen are not followed again, which also
// ends cycles. Not thread-safe; one instance per session.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <vector>

#include "common/status.h"
#include "connectors/connector.h"
#include "connectors/sql/source_database.h"
#include "connectors/sql/sql_config.h"
#include "connectors/sql/sql_value.h"
#include "connectors/sql/table_catalog.h"

namespace dsr::connectors::sql {

// The located rows of one table as disjoint row filters (WHERE conditions),
// each small enough for one query: key batches for tables with a key.
struct LocatedRows {
  std::vector<BoundSql> filters;
  std::optional<int64_t> known_count;  // the number of keys, for tables with a key
};

class SubjectLocator {
 public:
  // All three must outlive the locator.
  SubjectLocator(SourceDatabase& database, const SqlConfig& config,
                 const std::vector<TableColumns>& catalog)
      : database_(database), config_(config), catalog_(catalog) {}

  // One entry per configured table, same order. Throws soci errors.
  Result<std::vector<LocatedRows>> Locate(const Subject& subject);

 private:
  using KeySet = std::set<SqlValue>;

  Status SeedFromIdentities(const Subject& subject, std::vector<KeySet>* located,
                            std::vector<std::vector<SqlValue>>* fresh);
  Status FollowReferences(std::vector<KeySet>* located, std::vector<std::vector<SqlValue>> fresh);
  // Adds the keys of `table`'s rows that pass `filter`; new ones also to `fresh`.
  Status CollectKeys(size_t table, const BoundSql& filter, KeySet* located,
                     std::vector<SqlValue>* fresh);
  // Filters for rows of `table` that refer, through `reference`, to `parent_keys`.
  std::vector<BoundSql> ReferenceFilters(const TableReference& reference,
                                         const std::vector<SqlValue>& parent_keys) const;
  // `quoted_column` IN (...) in batches of config_.batch_size keys.
  std::vector<BoundSql> KeyFilters(const std::string& quoted_column,
                                   const std::vector<SqlValue>& keys) const;
  LocatedRows Describe(size_t table, const Subject& subject,
                       const std::vector<KeySet>& located) const;

  SourceDatabase& database_;
  const SqlConfig& config_;
  const std::vector<TableColumns>& catalog_;
};

}  // namespace dsr::connectors::sql
