#include "connectors/sql/row_filters.h"

#include <algorithm>

namespace dsr::connectors::sql {

std::vector<BoundSql> InFilters(const std::string& quoted_column,
                                const std::vector<SqlValue>& values, int batch_size) {
  std::vector<BoundSql> filters;
  const size_t batch = static_cast<size_t>(batch_size);
  for (size_t start = 0; start < values.size(); start += batch) {
    BoundSql filter;
    std::string placeholders;
    for (size_t i = start; i < std::min(values.size(), start + batch); ++i) {
      placeholders += (placeholders.empty() ? "" : ", ") + filter.Bind(values[i]);
    }
    filter.text = quoted_column + " IN (" + placeholders + ")";
    filters.push_back(std::move(filter));
  }
  return filters;
}

std::vector<BoundSql> KeyFilters(const TableConfig& table, const SqlDialect& dialect,
                                 const std::set<SqlValue>& keys, int batch_size) {
  return InFilters(dialect.Quote(*table.key), {keys.begin(), keys.end()}, batch_size);
}

std::vector<BoundSql> ReferenceFilters(const TableReference& reference, const TableConfig& parent,
                                       const SqlDialect& dialect,
                                       const std::vector<SqlValue>& parent_keys, int batch_size) {
  if (reference.target == *parent.key) {
    return InFilters(dialect.Quote(reference.column), parent_keys, batch_size);
  }
  std::vector<BoundSql> filters = InFilters(dialect.Quote(*parent.key), parent_keys, batch_size);
  for (auto& filter : filters) {
    filter.text = dialect.Quote(reference.column) + " IN (SELECT " +
                  dialect.Quote(reference.target) + " FROM " + dialect.Quote(parent.name) +
                  " WHERE " + filter.text + ")";
  }
  return filters;
}

std::string SelectList(const SqlDialect& dialect, const std::vector<ColumnInfo>& columns) {
  std::string select;
  for (const auto& column : columns) {
    for (const auto& expression : dialect.Projection(column)) {
      select += (select.empty() ? "" : ", ") + expression;
    }
  }
  return select;
}

BoundSql And(const BoundSql& filter, const BoundSql& condition) {
  BoundSql combined;
  combined.text = "(" + combined.Adopt(filter) + ") AND (" + combined.Adopt(condition) + ")";
  return combined;
}

}  // namespace dsr::connectors::sql
