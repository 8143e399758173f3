#include "connectors/sql/subject_locator.h"

#include <algorithm>

#include "connectors/sql/identity_filter.h"

namespace dsr::connectors::sql {
namespace {

bool AnyFresh(const std::vector<std::vector<SqlValue>>& fresh) {
  return std::any_of(fresh.begin(), fresh.end(), [](const auto& keys) { return !keys.empty(); });
}

}  // namespace

Result<std::vector<LocatedRows>> SubjectLocator::Locate(const Subject& subject) {
  std::vector<KeySet> located(config_.tables.size());
  std::vector<std::vector<SqlValue>> fresh(config_.tables.size());
  DSR_RETURN_IF_ERROR(SeedFromIdentities(subject, &located, &fresh));
  DSR_RETURN_IF_ERROR(FollowReferences(&located, std::move(fresh)));
  std::vector<LocatedRows> rows;
  for (size_t table = 0; table < config_.tables.size(); ++table) {
    rows.push_back(Describe(table, subject, located));
  }
  return rows;
}

Status SubjectLocator::SeedFromIdentities(const Subject& subject, std::vector<KeySet>* located,
                                          std::vector<std::vector<SqlValue>>* fresh) {
  for (size_t table = 0; table < config_.tables.size(); ++table) {
    // Keyless tables are never followed further; Describe selects their rows.
    if (!config_.tables[table].key) continue;
    const auto filter = IdentityFilter(config_.tables[table], subject, database_.dialect());
    if (!filter) continue;
    DSR_RETURN_IF_ERROR(CollectKeys(table, *filter, &(*located)[table], &(*fresh)[table]));
  }
  return Status::Ok();
}

// Breadth first: each round follows the keys found in the round before.
Status SubjectLocator::FollowReferences(std::vector<KeySet>* located,
                                        std::vector<std::vector<SqlValue>> fresh) {
  while (AnyFresh(fresh)) {
    std::vector<std::vector<SqlValue>> next(config_.tables.size());
    for (size_t table = 0; table < config_.tables.size(); ++table) {
      if (!config_.tables[table].key) continue;
      for (const auto& reference : config_.tables[table].references) {
        const auto& parent_keys = fresh[reference.parent_table];
        if (parent_keys.empty()) continue;
        for (const auto& filter : ReferenceFilters(reference, parent_keys)) {
          DSR_RETURN_IF_ERROR(CollectKeys(table, filter, &(*located)[table], &next[table]));
        }
      }
    }
    fresh.swap(next);
  }
  return Status::Ok();
}

Status SubjectLocator::CollectKeys(size_t table, const BoundSql& filter, KeySet* located,
                                   std::vector<SqlValue>* fresh) {
  const TableConfig& config = config_.tables[table];
  const ColumnInfo& key = *catalog_[table].Find(*config.key);
  const SqlDialect& dialect = database_.dialect();
  std::string select;
  for (const auto& expression : dialect.Projection(key)) {
    select += (select.empty() ? "" : ", ") + expression;
  }
  BoundSql query = filter;
  query.text = "SELECT " + select + " FROM " + dialect.Quote(config.name) + " WHERE " + filter.text;
  return database_.ForEachRow(query, [&](const soci::row& row) {
    size_t position = 0;
    SqlValue value = dialect.DecodeColumn(row, &position, key);
    if (std::holds_alternative<std::monostate>(value)) return Status::Ok();
    if (std::holds_alternative<Blob>(value)) {
      return ValidationError(config.config_path + ".key: column '" + key.name +
                             "' holds binary values, which cannot be followed; choose another key");
    }
    if (located->insert(value).second) fresh->push_back(std::move(value));
    return Status::Ok();
  });
}

std::vector<BoundSql> SubjectLocator::ReferenceFilters(
    const TableReference& reference, const std::vector<SqlValue>& parent_keys) const {
  const SqlDialect& dialect = database_.dialect();
  const TableConfig& parent = config_.tables[reference.parent_table];
  if (reference.target == *parent.key) {
    return KeyFilters(dialect.Quote(reference.column), parent_keys);
  }
  std::vector<BoundSql> filters = KeyFilters(dialect.Quote(*parent.key), parent_keys);
  for (auto& filter : filters) {
    filter.text = dialect.Quote(reference.column) + " IN (SELECT " +
                  dialect.Quote(reference.target) + " FROM " + dialect.Quote(parent.name) +
                  " WHERE " + filter.text + ")";
  }
  return filters;
}

std::vector<BoundSql> SubjectLocator::KeyFilters(const std::string& quoted_column,
                                                 const std::vector<SqlValue>& keys) const {
  std::vector<BoundSql> filters;
  const size_t batch_size = static_cast<size_t>(config_.batch_size);
  for (size_t start = 0; start < keys.size(); start += batch_size) {
    BoundSql filter;
    std::string placeholders;
    for (size_t i = start; i < std::min(keys.size(), start + batch_size); ++i) {
      placeholders += (placeholders.empty() ? "" : ", ") + filter.Bind(keys[i]);
    }
    filter.text = quoted_column + " IN (" + placeholders + ")";
    filters.push_back(std::move(filter));
  }
  return filters;
}

LocatedRows SubjectLocator::Describe(size_t table, const Subject& subject,
                                     const std::vector<KeySet>& located) const {
  const TableConfig& config = config_.tables[table];
  LocatedRows rows;
  if (config.key) {
    rows.filters = KeyFilters(database_.dialect().Quote(*config.key),
                              {located[table].begin(), located[table].end()});
    rows.known_count = static_cast<int64_t>(located[table].size());
  } else if (!config.identities.empty()) {
    auto filter = IdentityFilter(config, subject, database_.dialect());
    if (filter) rows.filters.push_back(std::move(*filter));
  } else {
    // The config check allows a keyless table only one way in, so these
    // filters select disjoint rows.
    const TableReference& reference = config.references.front();
    const KeySet& parent_keys = located[reference.parent_table];
    rows.filters = ReferenceFilters(reference, {parent_keys.begin(), parent_keys.end()});
  }
  return rows;
}

}  // namespace dsr::connectors::sql
