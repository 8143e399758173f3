#include "connectors/sql/subject_locator.h"

#include <algorithm>

#include "connectors/sql/row_filters.h"

namespace dsr::connectors::sql {
namespace {

bool AnyFresh(const std::vector<std::vector<SqlValue>>& fresh) {
  return std::any_of(fresh.begin(), fresh.end(), [](const auto& keys) { return !keys.empty(); });
}

std::vector<SqlValue> KeysWith(const std::map<SqlValue, RowMatch>& rows, Match match) {
  std::vector<SqlValue> keys;
  for (const auto& [key, row] : rows) {
    if (row.match == match) keys.push_back(key);
  }
  return keys;
}

}  // namespace

Result<std::vector<LocatedRows>> SubjectLocator::Locate(const Subject& subject,
                                                        const RecordSelection& accepted) {
  Located seeds(config_.tables.size());
  DSR_RETURN_IF_ERROR(Seed(subject, &seeds));
  auto located = Spread(seeds);
  if (!located.ok()) return located.status();
  bool promoted = false;
  for (size_t table = 0; table < config_.tables.size(); ++table) {
    const auto named = accepted.find(config_.tables[table].name);
    if (named == accepted.end()) continue;
    for (const auto& [key, row] : (*located)[table]) {
      if (row.match == Match::kAmbiguous && named->second.count(KeyText(key)) != 0) {
        seeds[table][key] = RowMatch{};
        promoted = true;
      }
    }
  }
  if (promoted) located = Spread(seeds);
  if (!located.ok()) return located.status();
  std::vector<LocatedRows> rows;
  for (size_t table = 0; table < config_.tables.size(); ++table) {
    auto described = Describe(table, subject, *located);
    if (!described.ok()) return described.status();
    rows.push_back(std::move(described.value()));
  }
  return rows;
}

Status SubjectLocator::Seed(const Subject& subject, Located* seeds) {
  const SqlDialect& dialect = database_.dialect();
  for (size_t table = 0; table < config_.tables.size(); ++table) {
    const TableConfig& config = config_.tables[table];
    // Keyless tables are never followed further; Describe selects their rows.
    if (!config.key) continue;
    const IdentityVerdicts verdicts(config, subject, dialect);
    if (verdicts.empty()) continue;
    BoundSql extra;
    extra.text = verdicts.SelectList(&extra);
    DSR_RETURN_IF_ERROR(ForEachKey(table, extra, verdicts.Matching(),
                                   [&](SqlValue key, const soci::row& row, size_t position) {
                                     (*seeds)[table][std::move(key)] =
                                         verdicts.Read(row, &position);
                                     return Status::Ok();
                                   }));
  }
  return Status::Ok();
}

Result<SubjectLocator::Located> SubjectLocator::Spread(const Located& seeds) {
  const size_t tables = config_.tables.size();
  Located confirmed(tables);
  std::vector<std::vector<SqlValue>> fresh(tables);
  for (size_t table = 0; table < tables; ++table) {
    fresh[table] = KeysWith(seeds[table], Match::kConfirmed);
    for (const auto& key : fresh[table]) confirmed[table][key] = RowMatch{};
  }
  DSR_RETURN_IF_ERROR(Follow(std::move(fresh), Match::kConfirmed, nullptr, &confirmed));
  Located ambiguous(tables);
  fresh.assign(tables, {});
  for (size_t table = 0; table < tables; ++table) {
    for (const auto& [key, row] : seeds[table]) {
      if (row.match != Match::kAmbiguous || confirmed[table].count(key) != 0) continue;
      ambiguous[table][key] = row;
      fresh[table].push_back(key);
    }
  }
  DSR_RETURN_IF_ERROR(Follow(std::move(fresh), Match::kAmbiguous, &confirmed, &ambiguous));
  for (size_t table = 0; table < tables; ++table) confirmed[table].merge(ambiguous[table]);
  return confirmed;
}

// Breadth first: each round follows the keys found in the round before.
Status SubjectLocator::Follow(std::vector<std::vector<SqlValue>> fresh, Match match,
                              const Located* settled, Located* located) {
  const SqlDialect& dialect = database_.dialect();
  while (AnyFresh(fresh)) {
    std::vector<std::vector<SqlValue>> next(config_.tables.size());
    for (size_t table = 0; table < config_.tables.size(); ++table) {
      if (!config_.tables[table].key) continue;
      for (const auto& reference : config_.tables[table].references) {
        const auto& parent_keys = fresh[reference.parent_table];
        if (parent_keys.empty()) continue;
        const TableConfig& parent = config_.tables[reference.parent_table];
        RowMatch reached;
        if (match == Match::kAmbiguous) {
          reached = {Match::kAmbiguous, "refers to an ambiguous " + parent.name + " row"};
        }
        for (const auto& filter :
             ReferenceFilters(reference, parent, dialect, parent_keys, config_.batch_size)) {
          DSR_RETURN_IF_ERROR(
              ForEachKey(table, {}, filter, [&](SqlValue key, const soci::row&, size_t) {
                if (settled != nullptr && (*settled)[table].count(key) != 0) return Status::Ok();
                if ((*located)[table].emplace(key, reached).second) next[table].push_back(key);
                return Status::Ok();
              }));
        }
      }
    }
    fresh.swap(next);
  }
  return Status::Ok();
}

Status SubjectLocator::ForEachKey(size_t table, const BoundSql& extra, const BoundSql& filter,
                                  const OnKey& on_row) {
  const TableConfig& config = config_.tables[table];
  const ColumnInfo& key = *catalog_[table].Find(*config.key);
  const SqlDialect& dialect = database_.dialect();
  BoundSql query;
  query.text = "SELECT " + SelectList(dialect, {key});
  if (!extra.text.empty()) query.text += ", " + query.Adopt(extra);
  query.text += " FROM " + dialect.Quote(config.name) + " WHERE " + query.Adopt(filter);
  return database_.ForEachRow(query, [&](const soci::row& row) {
    size_t position = 0;
    SqlValue value = dialect.DecodeColumn(row, &position, key);
    if (std::holds_alternative<std::monostate>(value)) return Status::Ok();
    if (std::holds_alternative<Blob>(value)) {
      return ValidationError(config.config_path + ".key: column '" + key.name +
                             "' holds binary values, which cannot be followed; choose another key");
    }
    return on_row(std::move(value), row, position);
  });
}

Result<LocatedRows> SubjectLocator::Describe(size_t table, const Subject& subject,
                                             const Located& located) {
  const TableConfig& config = config_.tables[table];
  LocatedRows rows;
  if (config.key) {
    rows.by_key = located[table];
  } else if (!config.identities.empty()) {
    IdentityVerdicts verdicts(config, subject, database_.dialect());
    if (verdicts.empty()) return rows;
    rows.groups.push_back({verdicts.Confirmed(), RowMatch{}});
    rows.groups.push_back({verdicts.Ambiguous(), {Match::kAmbiguous, ""}});
    rows.verdicts = std::move(verdicts);
  } else {
    DSR_RETURN_IF_ERROR(DescribeByReference(table, located, &rows));
  }
  return rows;
}

// The config check allows a keyless table only one way in. The reference
// values of confirmed and of ambiguous parents are told apart here, so the
// two groups of filters select disjoint rows even when several parents share
// a target value.
Status SubjectLocator::DescribeByReference(size_t table, const Located& located,
                                           LocatedRows* rows) {
  const TableReference& reference = config_.tables[table].references.front();
  const TableConfig& parent = config_.tables[reference.parent_table];
  const auto& parent_rows = located[reference.parent_table];
  auto confirmed = TargetValues(reference, KeysWith(parent_rows, Match::kConfirmed));
  if (!confirmed.ok()) return confirmed.status();
  auto ambiguous = TargetValues(reference, KeysWith(parent_rows, Match::kAmbiguous));
  if (!ambiguous.ok()) return ambiguous.status();
  std::vector<SqlValue> only_ambiguous;
  std::set_difference(ambiguous->begin(), ambiguous->end(), confirmed->begin(), confirmed->end(),
                      std::back_inserter(only_ambiguous));
  const std::string column = database_.dialect().Quote(reference.column);
  for (auto& filter : InFilters(column, *confirmed, config_.batch_size)) {
    rows->groups.push_back({std::move(filter), RowMatch{}});
  }
  const RowMatch inherited{Match::kAmbiguous, "refers to an ambiguous " + parent.name + " row"};
  for (auto& filter : InFilters(column, only_ambiguous, config_.batch_size)) {
    rows->groups.push_back({std::move(filter), inherited});
  }
  return Status::Ok();
}

// Sorted and without duplicates; NULL targets refer to nothing.
Result<std::vector<SqlValue>> SubjectLocator::TargetValues(
    const TableReference& reference, const std::vector<SqlValue>& parent_keys) {
  const TableConfig& parent = config_.tables[reference.parent_table];
  if (reference.target == *parent.key) return parent_keys;
  const ColumnInfo& target = *catalog_[reference.parent_table].Find(reference.target);
  const SqlDialect& dialect = database_.dialect();
  std::set<SqlValue> values;
  for (const auto& filter :
       InFilters(dialect.Quote(*parent.key), parent_keys, config_.batch_size)) {
    BoundSql query = filter;
    query.text = "SELECT " + SelectList(dialect, {target}) + " FROM " + dialect.Quote(parent.name) +
                 " WHERE " + filter.text;
    DSR_RETURN_IF_ERROR(database_.ForEachRow(query, [&](const soci::row& row) {
      size_t position = 0;
      SqlValue value = dialect.DecodeColumn(row, &position, target);
      if (!std::holds_alternative<std::monostate>(value)) values.insert(std::move(value));
      return Status::Ok();
    }));
  }
  return std::vector<SqlValue>(values.begin(), values.end());
}

}  // namespace dsr::connectors::sql
