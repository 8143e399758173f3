// SubjectLocator: finds the rows that belong to one data subject, and how
// sure that is.
//
// Seed rows are the rows of tables with identities that match any of the
// subject's identities; a seed is confirmed unless another given identity that
// its table maps holds a different, non-empty value (IdentityVerdicts). From
// there references are followed outwards only: rows that refer to located
// rows are located too, hop after hop, until no new key appears. A reference
// is never followed from the referring row to the row it refers to, so a
// shared parent (a household, a product) never pulls in other people's rows.
//
// Rows reached from at least one confirmed row are confirmed; the others are
// ambiguous ("refers to an ambiguous customers row"). So the confirmed rows
// are everything reachable from confirmed seeds, and the ambiguous rows what
// ambiguous seeds reach beyond that. Keys already seen are not followed
// again, which also ends cycles. Not thread-safe; one instance per session.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "connectors/connector.h"
#include "connectors/sql/identity_filter.h"
#include "connectors/sql/source_database.h"
#include "connectors/sql/sql_config.h"
#include "connectors/sql/sql_value.h"
#include "connectors/sql/table_catalog.h"

namespace dsr::connectors::sql {

// The located rows of one table.
struct LocatedRows {
  // Tables with a key: every located row by key.
  std::map<SqlValue, RowMatch> by_key;

  // Keyless tables: disjoint row filters (WHERE conditions), each small enough
  // for one query, with the match of their rows. Ambiguous rows of a keyless
  // table with identities get their reason from `verdicts`, row by row.
  struct Group {
    BoundSql filter;
    RowMatch match;
  };
  std::vector<Group> groups;
  std::optional<IdentityVerdicts> verdicts;
};

class SubjectLocator {
 public:
  // All three must outlive the locator.
  SubjectLocator(SourceDatabase& database, const SqlConfig& config,
                 const std::vector<TableColumns>& catalog)
      : database_(database), config_(config), catalog_(catalog) {}

  // One entry per configured table, same order. Located rows named in
  // `accepted` (by collection and key text) count as confirmed, and so does
  // everything reached from them: an agent has accepted them as the
  // subject's. Throws soci errors.
  Result<std::vector<LocatedRows>> Locate(const Subject& subject,
                                          const RecordSelection& accepted = {});

 private:
  using Located = std::vector<std::map<SqlValue, RowMatch>>;

  // Seed rows of keyed tables with identities, confirmed or ambiguous.
  Status Seed(const Subject& subject, Located* seeds);
  // Everything reachable from `seeds`: first from the confirmed, then from the
  // ambiguous ones.
  Result<Located> Spread(const Located& seeds);
  // Adds rows reached from `fresh` keys to `located` with `match`, skipping
  // rows in `settled`; repeats until nothing new appears.
  Status Follow(std::vector<std::vector<SqlValue>> fresh, Match match, const Located* settled,
                Located* located);
  // Reads the key, then the select-list expressions in `extra` (if any; at
  // `position` of `row`), of the rows of `table` that pass `filter`. Rows
  // with a NULL key are skipped.
  using OnKey = std::function<Status(SqlValue key, const soci::row& row, size_t position)>;
  Status ForEachKey(size_t table, const BoundSql& extra, const BoundSql& filter,
                    const OnKey& on_row);
  Result<LocatedRows> Describe(size_t table, const Subject& subject, const Located& located);
  // For a keyless table reached through its one reference.
  Status DescribeByReference(size_t table, const Located& located, LocatedRows* rows);
  // The values of `reference.target` in the parent rows with `parent_keys`.
  Result<std::vector<SqlValue>> TargetValues(const TableReference& reference,
                                             const std::vector<SqlValue>& parent_keys);

  SourceDatabase& database_;
  const SqlConfig& config_;
  const std::vector<TableColumns>& catalog_;
};

}  // namespace dsr::connectors::sql
