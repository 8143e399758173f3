#include "connectors/sql/retention.h"

#include "connectors/sql/row_filters.h"

namespace dsr::connectors::sql {
namespace {

// Which rows of `parent` each value of `reference.target` stands for.
Result<std::map<SqlValue, std::vector<SqlValue>>> TargetsOf(SourceDatabase& database,
                                                            const SqlConfig& config,
                                                            const TableColumns& parent_columns,
                                                            const TableReference& reference,
                                                            const std::set<SqlValue>& keys) {
  std::map<SqlValue, std::vector<SqlValue>> targets;
  const TableConfig& parent = config.tables[reference.parent_table];
  if (reference.target == *parent.key) {
    for (const auto& key : keys) targets[key].push_back(key);
    return targets;
  }
  const SqlDialect& dialect = database.dialect();
  const ColumnInfo& key = *parent_columns.Find(*parent.key);
  const ColumnInfo& target = *parent_columns.Find(reference.target);
  for (const auto& filter : KeyFilters(parent, dialect, keys, config.batch_size)) {
    BoundSql query = filter;
    query.text = "SELECT " + SelectList(dialect, {key, target}) + " FROM " +
                 dialect.Quote(parent.name) + " WHERE " + filter.text;
    DSR_RETURN_IF_ERROR(database.ForEachRow(query, [&](const soci::row& row) {
      size_t position = 0;
      SqlValue parent_key = dialect.DecodeColumn(row, &position, key);
      SqlValue value = dialect.DecodeColumn(row, &position, target);
      if (!std::holds_alternative<std::monostate>(value)) {
        targets[std::move(value)].push_back(std::move(parent_key));
      }
      return Status::Ok();
    }));
  }
  return targets;
}

// Adds to `found` the rows of `child` that refer through `reference` to the
// parent rows behind `targets`.
Status AddReferrers(SourceDatabase& database, const SqlConfig& config, size_t child,
                    const TableColumns& child_columns, const TableReference& reference,
                    const std::map<SqlValue, std::vector<SqlValue>>& targets,
                    std::map<SqlValue, std::vector<Referrer>>* found) {
  const TableConfig& table = config.tables[child];
  const SqlDialect& dialect = database.dialect();
  const ColumnInfo& column = *child_columns.Find(reference.column);
  std::vector<ColumnInfo> selected = {column};
  if (table.key) selected.push_back(*child_columns.Find(*table.key));
  // Matched by text: the database compared the values with its own type
  // conversions (an INTEGER key against a TEXT column), so may we.
  std::vector<SqlValue> values;
  std::map<std::string, const std::vector<SqlValue>*> by_text;
  for (const auto& [value, parents] : targets) {
    values.push_back(value);
    by_text[KeyText(value)] = &parents;
  }
  for (const auto& filter : InFilters(dialect.Quote(column.name), values, config.batch_size)) {
    BoundSql query = filter;
    query.text = "SELECT " + SelectList(dialect, selected) + " FROM " + dialect.Quote(table.name) +
                 " WHERE " + filter.text;
    DSR_RETURN_IF_ERROR(database.ForEachRow(query, [&](const soci::row& row) {
      size_t position = 0;
      const SqlValue value = dialect.DecodeColumn(row, &position, column);
      Referrer referrer{child, std::nullopt};
      if (table.key) referrer.key = dialect.DecodeColumn(row, &position, selected[1]);
      const auto parents = by_text.find(KeyText(value));
      if (parents == by_text.end()) return Status::Ok();
      for (const auto& parent : *parents->second) (*found)[parent].push_back(referrer);
      return Status::Ok();
    }));
  }
  return Status::Ok();
}

}  // namespace

bool Hold::EndsAfter(const Hold& other) const {
  if (!until) return other.until.has_value();
  return other.until && *until > *other.until;
}

CivilDate RetainedUntil(CivilDate date, const RetentionPolicy& policy) {
  if (policy.from == RetentionPolicy::Start::kEndOfYear) {
    // HGB §257(5), AO §147(4): the period starts with the end of the calendar
    // year, so it ends with the end of the year `years` later.
    return CivilDate(date.year() + policy.years, 12, 31);
  }
  return date.AddMonthsClamped(12 * policy.years);
}

std::optional<CivilDate> DateOfValue(const SqlValue& value) {
  const auto* text = std::get_if<std::string>(&value);
  if (text == nullptr || text->size() < 10) return std::nullopt;
  if (text->size() > 10 && (*text)[10] != 'T' && (*text)[10] != ' ') return std::nullopt;
  auto date = CivilDate::Parse(std::string_view(*text).substr(0, 10));
  if (!date.ok()) return std::nullopt;
  return date.value();
}

Result<std::map<SqlValue, Hold>> OwnHolds(SourceDatabase& database, const SqlConfig& config,
                                          size_t table, const TableColumns& columns,
                                          const std::set<SqlValue>& keys) {
  const TableConfig& table_config = config.tables[table];
  const RetentionPolicy& policy = *table_config.erasure.retain;
  const SqlDialect& dialect = database.dialect();
  const ColumnInfo& key = *columns.Find(*table_config.key);
  const ColumnInfo& from = *columns.Find(policy.from_column);
  std::map<SqlValue, Hold> holds;
  for (const auto& filter : KeyFilters(table_config, dialect, keys, config.batch_size)) {
    BoundSql query = filter;
    query.text = "SELECT " + SelectList(dialect, {key, from}) + " FROM " +
                 dialect.Quote(table_config.name) + " WHERE " + filter.text;
    DSR_RETURN_IF_ERROR(database.ForEachRow(query, [&](const soci::row& row) {
      size_t position = 0;
      SqlValue row_key = dialect.DecodeColumn(row, &position, key);
      const auto date = DateOfValue(dialect.DecodeColumn(row, &position, from));
      Hold hold{std::nullopt, policy.legal_basis, policy.legal_basis};
      if (date) {
        hold.until = RetainedUntil(*date, policy);
      } else {
        hold.legal_basis +=
            " (no readable date in " + policy.from_column + ": kept until reviewed)";
      }
      holds.emplace(std::move(row_key), std::move(hold));
      return Status::Ok();
    }));
  }
  return holds;
}

Result<std::map<SqlValue, std::vector<Referrer>>> FindReferrers(
    SourceDatabase& database, const SqlConfig& config, const std::vector<TableColumns>& catalog,
    size_t table, const std::set<SqlValue>& keys) {
  std::map<SqlValue, std::vector<Referrer>> found;
  if (keys.empty()) return found;
  for (size_t child = 0; child < config.tables.size(); ++child) {
    for (const auto& reference : config.tables[child].references) {
      if (reference.parent_table != table) continue;
      auto targets = TargetsOf(database, config, catalog[table], reference, keys);
      if (!targets.ok()) return targets.status();
      DSR_RETURN_IF_ERROR(
          AddReferrers(database, config, child, catalog[child], reference, *targets, &found));
    }
  }
  return found;
}

}  // namespace dsr::connectors::sql
